"""Cost as a formula: exact expressions of params, FLOPs and MACs in named input sizes (docs/symbolic.md)."""

from staticflops.symbolic.expr import Floor, Poly
from staticflops.symbolic.values import Guard, Ledger, SymFloat, SymInt

__all__ = ["Floor", "Guard", "Ledger", "Poly", "SymFloat", "SymInt"]
