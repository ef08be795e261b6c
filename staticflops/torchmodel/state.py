"""Per-run torch state: the trace being recorded and the native classes built for this run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from staticflops.interpreter.values import ClassObject
from staticflops.torchmodel.trace import Trace


@dataclass
class TorchState:
    module_class: ClassObject
    tensor_class: ClassObject
    layer_classes: dict[str, ClassObject] = field(default_factory=dict)
    """Classes built from catalog entries, by qualified name; built on first use."""
    trace: Trace = field(default_factory=Trace)


def torch_state(interp: Any) -> TorchState:
    return interp.hooks["torch"]
