"""The totals of a concrete check trace, read straight off its calls.

A symbolic run checks its formulas by tracing the already built model concretely at other sizes
(`trace.py`). Those traces need four numbers each, not a report: making every layer's record (paths,
positions, interned attributes, per-layer parameters) cost about as much as the trace itself. `measure`
prices each call exactly as the report does (`models._layer_result`: the same `Caller`, the same `price`
and `multiply_accumulates`), sums the parameters as `models._model_result` does and the outputs as
`trace._totals` does; tests/test_symbolic.py checks its totals against full `analyze()` runs, under every
convention.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from staticflops.catalog import Shape, as_works
from staticflops.conventions import Caller, Convention, multiply_accumulates, price
from staticflops.diagnostics import Diagnostic, Severity
from staticflops.models import plain_data
from staticflops.symbolic.values import SymInt
from staticflops.torchmodel.module import layer_hyper, named_parameters
from staticflops.torchmodel.trace import Call


@dataclass
class Totals:
    """One check trace: its totals, whether every call's cost is known, and whether it failed."""

    values: dict[str, int]
    """params, flops, macs, activations."""
    complete: bool
    failed: bool
    diagnostics: list[Diagnostic]
    flops: list[int | None]
    """Each call's FLOPs, in call order (None: unknown), as the report's layers would have them."""


def measure(
    calls: list[Call], root: Any, shapes: list[Shape], diagnostics: list[Diagnostic], convention: Convention
) -> Totals:
    """`models.finish`'s `measure`: the totals of one trace (the calls are consumed)."""
    batch = shapes[0][0] if len(shapes) == 1 and shapes[0] else 1  # ptflops' batch, as `_model_result`
    flops: Any = 0
    macs: Any = 0
    per_call: list[Any] = []
    complete = bool(shapes)
    activations = activation_elements(call.output for call in calls)
    for call in calls:
        if call.work is None:
            complete = False
            per_call.append(None)
            continue
        works = as_works(call.work)
        cost = price(works, convention, _caller(call, batch))
        per_call.append(cost)
        flops = flops + cost
        macs = macs + multiply_accumulates(works)
    calls.clear()
    params = sum(t.numel() or 0 for _, t in named_parameters(root))
    failed = any(d.severity is Severity.ERROR for d in diagnostics)
    values = {"params": params, "flops": flops, "macs": macs, "activations": activations}
    return Totals(values, complete and not failed, failed, diagnostics, per_call)


def activation_elements(outputs: Iterable[Shape | None]) -> Any:
    """The elements of every output, counted by distinct shape (by their sizes' expressions): most layers
    repeat a shape (a convolution's, then its norm's and activation's), and each product of symbolic sizes
    is a product of polynomials."""
    counts: dict[tuple[Any, ...], list[Any]] = {}
    for output in outputs:
        if output is not None:
            key = tuple([size.expr if type(size) is SymInt else size for size in output])
            seen = counts.get(key)
            if seen is None:
                counts[key] = [output, 1]
            else:
                seen[1] += 1
    total: Any = 0
    for shape, count in counts.values():
        total = total + math.prod(shape) * count
    return total


def _caller(call: Call, batch: int) -> Caller:
    """The `Caller` `models._layer_result` makes of a call, without its interning."""
    qualname = call.spec.qualname if call.spec is not None else call.type_name
    exact = call.module is not None and call.spec is not None and call.module.cls.metadata.get("spec") is call.spec
    return Caller(
        qualname,
        spelling=call.spelling or qualname,
        exact_module=exact,
        inputs=call.inputs,
        output=call.output,
        aliases=call.aliases,
        attributes=_Later(layer_hyper, call.module) if call.module is not None else {},
        arguments=_Later(lambda arguments: arguments, call.arguments),
        batch=batch,
    )


class _Later(Mapping[str, Any]):
    """`plain_data(read(source))`, made when a convention first reads it: most conventions price most calls
    from their work alone, and making a module's attributes plain data costs more than pricing the call."""

    __slots__ = ("_data", "_read", "_source")

    def __init__(self, read: Callable[[Any], Mapping[str, Any]], source: Any) -> None:
        self._read, self._source, self._data = read, source, None

    def _made(self) -> dict[str, Any]:
        if self._data is None:
            self._data = plain_data(self._read(self._source))
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._made()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._made().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._made()

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())
