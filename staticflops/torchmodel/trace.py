"""The record of one `forward()`: every leaf call, in call order, with its data flow."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from staticflops.catalog import Shape, Spec, Works
from staticflops.interning import Interned
from staticflops.interpreter.values import Instance
from staticflops.source import Location
from staticflops.torchmodel.tensor import Tensor


@dataclass(slots=True)
class Call:
    """One call of a catalog layer or op (or of an unknown one: then `spec` and `work` are None).
    Slotted: a deep model's trace holds thousands until its records are made."""

    index: int
    type_name: str
    """`Conv2d` for a module (its own class name, even for a subclass), `F.relu` / `torch.flatten` /
    `Tensor.view` / `add` for ops."""
    spec: Spec | None
    module: Instance | None
    """The module called, for layer calls; None for ops."""
    parent: Instance | None
    """The innermost module whose forward made the call."""
    inputs: tuple[Shape | None, ...]
    output: Shape | None
    work: Works | None
    called_at: Location
    sources: tuple[int, ...] = ()
    """Indexes of the calls whose outputs this call consumed."""
    op_name: str = ""
    """For ops: the short name that identifies the call under its parent (`relu`, `add_1`)."""
    arguments: Mapping[str, Any] = field(default_factory=dict)
    """The call's plain arguments (numbers, strings, flags; tensors as their shapes), for counters
    whose rules read them."""
    aliases: tuple[int, ...] = ()
    """For each tensor input, the position of its first occurrence: `(0, 0, 0)` for `attn(x, x, x)`."""
    spelling: str = ""
    """For ops: the name the call was made through when it is not the entry's (`torch.conv2d` for
    `F.conv2d`, `Tensor.sub_` for `Tensor.sub`); empty otherwise."""


def plain_arguments(bound: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments a report can keep: tensors become their shapes; anything else not plain data is left out."""
    return {
        name: value.shape if isinstance(value, Tensor) else value
        for name, value in bound.items()
        if isinstance(value, Tensor) or _plain(value)
    }


def _plain(value: Any) -> bool:
    # a function of the module: a closure calling itself is a reference cycle, garbage at every call
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):  # `**axes_lengths`
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return value is None or isinstance(value, (bool, int, float, str))


class TraceStopped(Exception):
    pass


@dataclass
class Trace:
    active: bool = False
    calls: list[Call] = field(default_factory=list)
    stack: list[Instance] = field(default_factory=list)
    _op_counts: dict[tuple[int, str], int] = field(default_factory=dict)
    until: Callable[[Call], bool] | None = None
    """A probe's question: the trace stops (TraceStopped) at the first call it answers yes to."""
    skipped_loops_before: int = 0
    """How many loops the interpreter had skipped when this trace began (`Interpreter.skipped_loops`)."""
    interned: Interned = field(default_factory=Interned, repr=False)
    """One copy of the equal shapes, arguments and names the calls record (`staticflops.interning`)."""

    def record(
        self,
        *,
        type_name: str,
        spec: Spec | None,
        module: Instance | None,
        tensors: Sequence[Tensor],
        output: Shape | None,
        work: Works | None,
        site: Location,
        op: str = "",
        arguments: Mapping[str, Any] | None = None,
        spelling: str = "",
    ) -> int | None:
        """The index of the new call, which the output tensor carries as its source; None while no
        forward is being traced (building modules, folding constants), when calls are not recorded."""
        if not self.active:
            return None
        same = self.interned
        inputs = same.shapes(tuple(t.shape for t in tensors))
        sources = tuple(t.source for t in tensors if t.source is not None)
        parent = self.stack[-1] if self.stack else None
        op_name = ""
        if module is None:
            key = (id(parent), op)
            count = self._op_counts.get(key, 0)
            self._op_counts[key] = count + 1
            op_name = op if count == 0 else f"{op}_{count}"
        aliases = same.value(tuple(next(i for i, other in enumerate(tensors) if other is t) for t in tensors))
        call = Call(
            len(self.calls),
            same.text(type_name),
            spec,
            module,
            parent,
            inputs,
            same.shape(output),
            work,
            site,
            sources,
            op_name,
            same.mapping(plain_arguments(arguments or {})),
            aliases,
            same.text(spelling),
        )
        self.calls.append(call)
        if self.until is not None and self.until(call):
            raise TraceStopped
        return call.index
