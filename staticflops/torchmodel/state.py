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

    def layer(self, qualname: str) -> ClassObject | None:
        """The class analyzed code sees for a torch layer: built from its catalog entry, or a
        stand-in that reports itself when the catalog lacks it; None for names that are not layers."""
        from staticflops.catalog import CATALOG, LayerSpec
        from staticflops.torchmodel.module import layer_class, unknown_layer_class

        cls = self.layer_classes.get(qualname)
        if cls is None:
            spec = CATALOG.entries.get(qualname)
            if isinstance(spec, LayerSpec):
                cls = layer_class(spec, self.module_class)
            elif qualname.rsplit(".", 1)[1][:1].isupper():
                cls = unknown_layer_class(qualname, self.module_class)
            else:
                return None
            self.layer_classes[qualname] = cls
        return cls


def torch_state(interp: Any) -> TorchState:
    return interp.hooks["torch"]
