"""What a convention sees of a call besides its work: how it was made, as a counter that hooks
modules or patches functions would see it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from staticflops.catalog import Shape, WorkKind
from staticflops.catalog.spec import numel as catalog_numel


@dataclass(frozen=True, slots=True)
class Caller:
    """How a call was made: what a counter that hooks modules or patches functions sees of it.
    thop and ptflops find a module's rule by its exact type, and ptflops reads the module's
    attributes and its input tensors the way its hooks do."""

    qualname: str
    """The catalog entry: `torch.nn.Conv2d`, `torch.nn.functional.relu`, `torch.Tensor.view`."""
    spelling: str = ""
    """The name the call was made through (`torch.conv2d` for the entry `torch.nn.functional.conv2d`,
    `torch.Tensor.addmm_` for `torch.Tensor.addmm`): what a counter that patches names sees."""
    exact_module: bool = False
    """Called as a module whose class is exactly the catalog's (not a subclass, not a function)."""
    inputs: tuple[Shape | None, ...] = ()
    """The shapes of the call's tensor arguments, in order."""
    output: Shape | None = None
    """The shape of the call's (first) output."""
    aliases: tuple[int, ...] = ()
    """For each tensor argument, the position of its first occurrence: `(0, 0, 0)` for `attn(x, x, x)`."""
    attributes: Mapping[str, Any] = field(default_factory=dict)
    """A module's attributes as torch stores them, and its parameters' shapes by name."""
    arguments: Mapping[str, Any] = field(default_factory=dict)
    """The call's plain arguments by name (tensors as their shapes)."""
    batch: int = 1
    """The first dimension of the model's input (ptflops reports module work per sample)."""


FUNCTION = Caller("")
"""For pricing work whose caller does not matter."""

PRODUCTS = frozenset({WorkKind.CONV, WorkKind.CONV_TRANSPOSE, WorkKind.LINEAR, WorkKind.MATMUL})


def called_as(caller: Caller) -> str:
    """The name the call was made through, the entry's when none was recorded."""
    return caller.spelling or caller.qualname


def in_place(caller: Caller) -> bool:
    """A `Tensor.name_` method: torch runs aten's in-place kernel (`aten.addmm_`), which counters that
    price aten ops (FlopCounterMode, fvcore) have no formula for."""
    name = called_as(caller)
    return name.startswith("torch.Tensor.") and name.endswith("_") and not name.endswith("__")


def numel(shape: Shape | None) -> int:
    """Elements of a shape; 0 for an unknown one."""
    return 0 if shape is None else catalog_numel(shape)


def operands(caller: Caller, n: int) -> list[Shape | None]:
    """The first n tensor arguments' shapes, None for those missing."""
    return [*caller.inputs[:n], *[None] * (n - len(caller.inputs[:n]))]


def first_input(caller: Caller) -> int:
    """Elements of the first tensor argument."""
    return numel(caller.inputs[0]) if caller.inputs else 0
