"""`x[index]` and `x[index] = value` on shape-only tensors: the interpreter's side of torch's indexing,
whose rules are `staticflops.torchmodel.indexing`. Imported by the first subscript of a tensor."""

from __future__ import annotations

from typing import Any

from staticflops.catalog import ShapeError
from staticflops.diagnostics import SF301
from staticflops.interpreter.values import Unknown
from staticflops.source import Location
from staticflops.torchmodel.indexing import (
    Indexed,
    IndexTensor,
    Unresolved,
    check_assignment,
    fmt,
    index_shape,
    index_values,
)
from staticflops.torchmodel.ops import _contains_unknown, _first_unknown
from staticflops.torchmodel.tensor import Tensor


def tensor_index(interp: Any, tensor: Tensor, index: Any, site: Location) -> Tensor:
    """`x[index]`: torch's indexing rules (torchmodel.indexing); a view or a gather, no arithmetic. A boolean mask
    makes the result's size depend on the data: SF301, with the most elements it can have."""
    if tensor.shape is None:
        return Tensor(None, source=tensor.source)
    indexed = _indexed(interp, tensor.shape, index, site)
    if indexed is None:
        return Tensor(None, dtype=tensor.dtype, source=tensor.source)
    shape = indexed.known
    if shape is None:
        form = "of unknown rank" if indexed.shape is None else fmt(indexed.shape)
        interp.report(
            SF301, f"indexing by a boolean mask: the result's size depends on the data (shape {form}, as many "
            f"elements as the mask has true ones, at most {indexed.bound})", site
        )  # fmt: skip
        return Tensor(None, dtype=tensor.dtype, source=tensor.source)
    result = Tensor(shape, dtype=tensor.dtype, source=tensor.source)
    if tensor.values is not None:  # a constant: the values it picks (`widths[[0, 2]]`, `table[1:, 0]`)
        result.values = index_values(tensor.shape, tensor.values, _index_operand(index))
    return result


def tensor_setitem(interp: Any, tensor: Tensor, index: Any, value: Any, site: Location) -> None:
    """`x[index] = value`: the value must broadcast to what the index picks; x keeps its shape."""
    tensor.values = None
    if tensor.shape is None:
        return
    indexed = _indexed(interp, tensor.shape, index, site, report=False)  # x's shape is known whatever the index
    if indexed is None:
        return
    if not indexed.certain:
        interp.report(
            SF301, "assigning through a boolean mask combined with other index tensors: whether they broadcast "
            f"together depends on the data (the mask's true elements, at most {indexed.bound})", site
        )  # fmt: skip
    elif isinstance(value, Tensor) and value.shape is not None:
        try:
            certain = check_assignment(indexed, value.shape)
        except ShapeError as error:
            error.site = site
            raise
        if not certain:
            interp.report(
                SF301, f"assigning a value of shape {fmt(value.shape)} through a boolean mask: whether it fits "
                f"depends on the data (as many elements as the mask has true ones, at most {indexed.bound})", site
            )  # fmt: skip


def _indexed(interp: Any, shape: tuple[int, ...], index: Any, site: Location, report: bool = True) -> Indexed | None:
    """The shape rule on an index made of Python values and tensors; None (reported) when it is not known."""
    try:
        return index_shape(shape, _index_operand(index))
    except Unresolved as unresolved:
        if report and unresolved.reported is False:
            unknown = _first_unknown(index) if _contains_unknown(index) else Unknown(str(unresolved), site)
            interp.report_unknown(unknown, "an index", site)
        return None
    except ShapeError as error:
        error.site = site
        raise


def _index_operand(value: Any) -> Any:
    """Tensors in an index as `IndexTensor`s, slices' tensor bounds as their constant values."""
    if isinstance(value, Tensor):
        if value.shape is None:  # downstream of what made its shape unknown, which was reported there
            raise Unresolved("an index tensor of unknown shape", reported=True)
        boolean = value.dtype in ("bool", "uint8")
        return IndexTensor(tuple(value.shape), boolean, value.values)
    if isinstance(value, tuple):
        return tuple(_index_operand(v) for v in value)
    if isinstance(value, list):
        return [_index_operand(v) for v in value]
    if isinstance(value, slice):
        return slice(*(_scalar(part) for part in (value.start, value.stop, value.step)))
    if isinstance(value, Unknown):
        raise Unresolved(value.reason)
    return value


def _scalar(part: Any) -> Any:
    """A slice bound: a 0-d tensor counts by its value (`x[:n]` with `n = lengths.max()`)."""
    if isinstance(part, Tensor):
        if part.values is not None and len(part.values) == 1:
            return int(part.values[0])
        raise Unresolved("a slice bound held in a tensor whose value is not known statically")
    if isinstance(part, Unknown):
        raise Unresolved(part.reason)
    return part
