"""`torch.signal.windows`: the window functions of signal processing (`hann`, `kaiser`, ...), factories of one
1-D tensor of `M` elements.

Each is torch's formula over a `linspace` ramp (torch/signal/windows/windows.py); the seed convention counts
every elementwise operation of that formula once per element, as it counts any elementwise op (the ramp itself
is a factory: free). `M = 0` gives an empty window, and the windows that special-case `M = 1` (`bartlett`,
`general_cosine` and its family, `kaiser`) return ones there: nothing computed. FlopCounterMode has no formula
for any of it (no matrix product): 0 under `torch`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from staticflops.catalog.spec import FREE, Example, OpSpec, Shape, Work, WorkKind, Works, require
from staticflops.interpreter.calls import signature

WINDOWS = "torch.signal.windows."
UNUSED = ((1,),)
"""A factory's example takes one input it does not use: a forward() without tensors has no input to analyze."""


def general_cosine_ops(terms: int) -> int:
    """`Σᵢ aᵢ·cos(i·k)` per element: for each term a product `i·k`, a cosine and a product by `aᵢ`, then the
    terms' `terms − 1` additions (torch's `(a_i.unsqueeze(-1) * torch.cos(i.unsqueeze(-1) * k)).sum(0)`)."""
    return 4 * terms - 1


def _length(name: str) -> Callable[[dict[str, Any]], Shape]:
    def rule(bound: dict[str, Any]) -> Shape:
        size = bound["M"]
        require(isinstance(size, int) and size >= 0, f"{name} requires non-negative window length, got M={size}")
        require(bound.get("center") is None or not bound["sym"], "Center must be None for symmetric windows")
        for positive, what in (("tau", "Tau"), ("std", "Standard deviation")):
            require(bound.get(positive, 1) > 0, f"{what} must be positive, got: {bound.get(positive)} instead.")
        return (size,)

    return rule


def _terms(bound: dict[str, Any]) -> int:
    coefficients = bound["a"]
    require(isinstance(coefficients, (list, tuple)), "Coefficients must be a list/tuple")
    require(len(coefficients) > 0, "Coefficients cannot be empty")
    return len(coefficients)


def _priced(per_element: Callable[[dict[str, Any]], int], ones_at_one: bool, scalars: int = 0) -> Any:
    """The work of a window of `M` elements, `per_element` operations each (`scalars` more, once, for the
    0-d tensors the formula computes: `kaiser`'s `β·β` and `I₀(β)`); none when torch returns an empty window, or
    ones for `M = 1`."""

    def work(bound: dict[str, Any], out: Shape) -> Works:
        (size,) = out
        if size == 0 or (ones_at_one and size == 1):
            return FREE
        elementwise = Work(WorkKind.ELEMENTWISE, outputs=size, per_output=per_element(bound))
        return (elementwise, Work(WorkKind.ELEMENTWISE, outputs=scalars)) if scalars else elementwise

    return work


def _window(
    name: str,
    keywords: str,
    per_element: Callable[[dict[str, Any]], int],
    example: tuple[str, int, int],
    *,
    ones_at_one: bool = False,
    scalars: int = 0,
    **defaults: Any,
) -> OpSpec:
    arguments, size, flops = example
    return OpSpec(
        WINDOWS + name,
        signature(f"M, *, {keywords}sym", sym=True, **defaults),
        (),
        _length(name),
        _priced(per_element, ones_at_one, scalars),
        (Example(f"torch.signal.windows.{name}({arguments})", UNUSED, (size,), 0, flops, 0),),
    )


SPECS = (
    # 1 − |k|: an absolute value and a subtraction
    _window("bartlett", "", lambda b: 2, ("10", 10, 20), ones_at_one=True),
    # three cosine terms: 4·3 − 1 = 11 per element; 5 · 11 = 55
    _window("blackman", "", lambda b: general_cosine_ops(3), ("5", 5, 55), ones_at_one=True),
    # sin(k)
    _window("cosine", "", lambda b: 1, ("10, sym=False", 10, 10)),
    # exp(−|k|): an absolute value, a negation, an exponent
    _window("exponential", "center, tau, ", lambda b: 3, ("10, tau=0.5", 10, 30), center=None, tau=1.0),
    # exp(−k²): a square, a negation, an exponent
    _window("gaussian", "std, ", lambda b: 3, ("7, std=0.9", 7, 21), std=1.0),
    # 4 coefficients: 4·4 − 1 = 15 per element; 6 · 15 = 90
    _window("general_cosine", "a, ", lambda b: general_cosine_ops(_terms(b)), ("6, a=[0.4, 0.3, 0.2, 0.1]", 6, 90),
            ones_at_one=True, a=None),
    # α − (1 − α)·cos(k): two cosine terms, 4·2 − 1 = 7 per element; 8 · 7 = 56
    _window("general_hamming", "alpha, ", lambda b: general_cosine_ops(2), ("8, alpha=0.6", 8, 56), ones_at_one=True,
            alpha=0.54),
    _window("hamming", "", lambda b: general_cosine_ops(2), ("10", 10, 70), ones_at_one=True),
    _window("hann", "", lambda b: general_cosine_ops(2), ("10, sym=False", 10, 70), ones_at_one=True),
    # I₀(√(β² − k²)) / I₀(β): a square, a subtraction, a root, a Bessel function, a division per element; β·β and
    # I₀(β) once: 5 · 5 + 2 = 27
    _window("kaiser", "beta, ", lambda b: 5, ("5, beta=0.9", 5, 27), ones_at_one=True, scalars=2, beta=12.0),
    # four cosine terms: 15 per element; 4 · 15 = 60
    _window("nuttall", "", lambda b: general_cosine_ops(4), ("4", 4, 60), ones_at_one=True),
)
