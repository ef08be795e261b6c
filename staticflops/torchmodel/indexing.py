"""What `x[index]` and `x[index] = value` do to shapes: torch's indexing rules, which are NumPy's
except that plain integers are always basic (a `select`, never an advanced index).

Pure shape logic, no interpreter: the caller turns tensors in the index into `IndexTensor` (shape,
whether boolean, values when constant) and everything else it cannot know into `Unresolved`.

The rules, as torch applies them (`torch/csrc/autograd/python_variable_indexing.cpp`):

* A tuple is a tuple of indices; a list is one index, unless it is short (< 32) and holds a sequence,
  a tensor, a slice, `...` or `None`, when it is taken as a tuple (torch's legacy `treatSequenceAsTuple`).
* An int (or a 0-d integer tensor) selects: the dimension goes. A slice keeps it, resized as Python's
  `range` would (out-of-range bounds clamp; the step must be positive). `None` adds a dimension of 1.
  One `...` stands for as many full slices as the other indices leave dimensions.
* Advanced indices: integer tensors and lists (each indexes one dimension), boolean tensors and lists
  (a mask indexes as many dimensions as it has, which its shape must match, and counts as its true
  elements: data-dependent), and Python bools (a mask of no dimensions: `x[True]` adds a dimension of 1,
  `x[False]` one of 0). All advanced indices broadcast together; the broadcast shape replaces the indexed
  dimensions in place when the advanced indices are adjacent (ints between them do not separate them, as
  they are gone already), and goes first when a slice, `None` or `...` separates them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from staticflops.catalog.spec import Shape, ShapeError
from staticflops.diagnostics import SF205
from staticflops.symbolic.slices import slice_length

LEGACY_SEQUENCE = 32
"""torch takes a list shorter than this that holds sequences, tensors, slices, `...` or `None` as a tuple."""


@dataclass(frozen=True)
class IndexTensor:
    """A tensor used as an index: its shape, whether it is boolean, its flattened values when constant."""

    shape: Shape
    boolean: bool
    values: tuple[Any, ...] | None = None


class Unresolved(Exception):
    """An index the analysis cannot know (an unknown value, a tensor of unknown shape): the result is unknown."""

    def __init__(self, reason: str, reported: bool = False) -> None:
        super().__init__(reason)
        self.reported = reported
        """Its cause was reported where it arose (a tensor of unknown shape): no need to say it again."""


@dataclass(frozen=True)
class Indexed:
    """The result of indexing. `shape` holds None for each dimension whose size only the data decides (a boolean
    mask's true elements); `shape` itself is None when even the rank depends on the data."""

    shape: tuple[int | None, ...] | None
    bound: int | None = None
    """For a data-dependent result: the most elements its data-dependent dimension can have."""
    certain: bool = True
    """False when the data decides whether the index works at all (a mask's true elements broadcast against
    another index)."""

    @property
    def known(self) -> Shape | None:
        if self.shape is None or any(size is None for size in self.shape):
            return None
        return tuple(size for size in self.shape if size is not None)


def index_error(message: str) -> ShapeError:
    return ShapeError(SF205, message)


def fmt(shape: Any) -> str:
    return "[" + ", ".join("?" if size is None else str(size) for size in shape) + "]"


# ---------------------------------------------------------------- classifying the items


@dataclass(frozen=True)
class _Int:
    value: int | None
    """None for a 0-d integer tensor, whose value is not known."""


@dataclass(frozen=True)
class _Advanced:
    dims: int
    """How many dimensions of the indexed tensor it consumes (a mask: its rank; an integer index: 1)."""
    shape: Shape | None
    """The index's own shape (a mask: `(true elements,)`); None when that depends on the data."""
    mask: Shape | None = None
    """A mask's shape, which must match the dimensions it indexes."""
    values: tuple[Any, ...] | None = None
    """The index's values, when known: an integer index's (checked against the dimension's size), a mask's."""
    bound: int = 0
    """The most elements `shape` can have (a mask: its element count)."""


def as_items(index: Any) -> list[Any]:
    """The index as a list of single indices (torch's `treatSequenceAsTuple`)."""
    if isinstance(index, tuple):
        return list(index)
    legacy = isinstance(index, list) and len(index) < LEGACY_SEQUENCE
    if legacy and any(isinstance(v, (list, tuple, IndexTensor, slice)) or v is None or v is ... for v in index):
        return list(index)
    return [index]


def _classify(item: Any) -> Any:
    if isinstance(item, bool):  # before int: a Python bool is a mask of no dimensions
        return _Advanced(0, (1,) if item else (0,), mask=(), bound=1)
    if isinstance(item, int) or item is None or item is ...:
        return _Int(item) if isinstance(item, int) else item
    if isinstance(item, slice):
        for part in (item.start, item.stop, item.step):
            if part is not None and (isinstance(part, bool) or not isinstance(part, int)):
                raise Unresolved(f"a slice bound {part!r}")
        if item.step == 0:
            raise index_error("slice step cannot be zero")
        if item.step is not None and item.step < 0:
            raise index_error("step must be greater than zero")
        return item
    if isinstance(item, IndexTensor):
        return _tensor_index(item)
    if isinstance(item, range):
        item = list(item)
    if isinstance(item, (list, tuple)):
        return _tensor_index(_list_tensor(item))
    if isinstance(item, float):
        raise index_error(
            "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
            "(got float)"
        )
    raise Unresolved(f"an index {item!r}")


def _tensor_index(tensor: IndexTensor) -> Any:
    if tensor.boolean:
        count = None if tensor.values is None else sum(1 for v in tensor.values if v)
        return _Advanced(
            len(tensor.shape),
            None if count is None else (count,),
            mask=tensor.shape,
            values=tensor.values,
            bound=math.prod(tensor.shape),
        )
    if not tensor.shape:  # a 0-d integer tensor selects, as an int does
        return _Int(None if tensor.values is None else int(tensor.values[0]))
    values = None if tensor.values is None else tuple(int(v) for v in tensor.values)
    return _Advanced(1, tensor.shape, values=values, bound=math.prod(tensor.shape))


def _list_tensor(data: list[Any] | tuple[Any, ...]) -> IndexTensor:
    """`torch.tensor(data)` for a nested list of ints and bools: a boolean tensor if every element is a bool."""
    shape: list[int] = []
    level: Any = data
    while isinstance(level, (list, tuple)):
        shape.append(len(level))
        if not level:
            break
        level = level[0]
    flat: list[Any] = []

    def walk(value: Any, depth: int) -> None:
        if depth == len(shape):
            if isinstance(value, (list, tuple)):
                raise index_error(f"expected a sequence of length {len(value)} at dim {depth} (got a sequence)")
            if isinstance(value, IndexTensor) or not isinstance(value, int):
                raise Unresolved(f"an index list holding {value!r}")
            flat.append(value)
            return
        if not isinstance(value, (list, tuple)) or len(value) != shape[depth]:
            raise index_error(f"expected sequence of length {shape[depth]} at dim {depth}")
        for v in value:
            walk(v, depth + 1)

    walk(data, 0)
    boolean = bool(flat) and all(isinstance(v, bool) for v in flat)
    return IndexTensor(tuple(shape), boolean, tuple(flat))


# ---------------------------------------------------------------- the algorithm


def broadcast_indices(shapes: list[Shape]) -> Shape:
    """The broadcast shape of the advanced indices, or torch's IndexError."""
    rank = max((len(s) for s in shapes), default=0)
    result: list[int] = []
    for at in range(rank):
        sizes = {s[len(s) - rank + at] for s in shapes if len(s) - rank + at >= 0} - {1}
        if len(sizes) > 1:
            shown = ", ".join(fmt(s) for s in shapes)
            raise index_error(f"shape mismatch: indexing tensors could not be broadcast together with shapes {shown}")
        result.append(sizes.pop() if sizes else 1)
    return tuple(result)


def _expanded(shape: Shape, index: Any) -> list[Any]:
    """The classified items, `...` replaced by full slices and full slices added for the dimensions left."""
    items = [_classify(item) for item in as_items(index)]
    if sum(1 for item in items if item is ...) > 1:
        raise index_error("an index can only have a single ellipsis ('...')")
    rank = len(shape)
    consumed = sum(1 if isinstance(item, (_Int, slice)) else item.dims if isinstance(item, _Advanced) else 0
                   for item in items)  # fmt: skip
    if consumed > rank:
        if rank == 0 and any(isinstance(item, _Int) for item in items):
            raise index_error("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` "
                              "in C++ to convert a 0-dim tensor to a number")  # fmt: skip
        raise index_error(f"too many indices for tensor of dimension {rank}")
    if ... in items:
        at = items.index(...)
        items[at : at + 1] = [slice(None)] * (rank - consumed)
    else:
        items.extend([slice(None)] * (rank - consumed))
    return items


def index_shape(shape: Shape, index: Any) -> Indexed:
    """`x[index]` for x of `shape`. Raises ShapeError (SF205) where torch raises IndexError/ValueError, and
    Unresolved where the index is not known."""
    items = _expanded(shape, index)
    slots: list[int | None] = []  # result dimensions in order; None marks where an advanced index stands
    advanced: list[_Advanced] = []
    where: list[int] = []
    bad: str | None = None
    dim = 0
    for item in items:
        if item is None:
            slots.append(1)
        elif isinstance(item, _Int):
            size = shape[dim]
            if item.value is not None and not -size <= item.value < size:
                raise index_error(f"index {item.value} is out of bounds for dimension {dim} with size {size}")
            dim += 1
        elif isinstance(item, slice):
            slots.append(slice_length(item, shape[dim]))
            dim += 1
        else:
            bad = bad or _check_advanced(item, shape, dim)
            advanced.append(item)
            where.append(len(slots))
            slots.append(None)
            dim += item.dims
    if not advanced:
        return Indexed(tuple(s for s in slots if s is not None))
    adjacent = where == list(range(where[0], where[0] + len(where)))
    shapes = [a.shape for a in advanced]
    if all(s is not None for s in shapes):
        middle: tuple[int | None, ...] | None = broadcast_indices(shapes)  # type: ignore[arg-type]
        bound = None
    else:
        # a mask's true elements: one dimension if every index is at most one-dimensional
        middle = (None,) if all(s is None or len(s) <= 1 for s in shapes) else None
        bound = max([a.bound for a in advanced if a.shape is None] + [max(s) for s in shapes if s])
    certain = all(s is not None for s in shapes) or all(s is None or math.prod(s) == 1 for s in shapes)
    if middle is None:
        return Indexed(None, bound, certain)
    rest = [s for s in slots if s is not None]
    if adjacent:
        result = Indexed((*slots[: where[0]], *middle, *slots[where[-1] + 1 :]), bound, certain)
    else:
        result = Indexed((*middle, *rest), bound, certain)
    if bad and (result.shape is None or 0 not in result.shape):
        raise index_error(bad)
    return result


def _check_advanced(item: _Advanced, shape: Shape, dim: int) -> str | None:
    """Raise for a mask of the wrong shape or an index into a dimension of size 0; return the message for an
    index value out of bounds, which torch raises only when the result has elements (its kernel checks them)."""
    if item.mask is not None:
        indexed = shape[dim : dim + len(item.mask)]
        for k, (m, s) in enumerate(zip(item.mask, indexed, strict=True)):
            if m != s:
                raise index_error(
                    f"The shape of the mask {fmt(item.mask)} at index {k} does not match the shape of the indexed "
                    f"tensor {fmt(shape)} at index {dim + k}"
                )
        return None
    size = shape[dim]
    if size == 0 and item.bound:
        raise index_error("index is out of bounds for dimension with size 0")
    for value in item.values or ():
        if not -size <= value < size:  # type: ignore[operator]
            return f"index {value} is out of bounds for dimension {dim} with size {size}"
    return None


def check_assignment(target: Indexed, value: Shape) -> bool:
    """`x[index] = value`: the value must broadcast to the indexed shape (leading dimensions of 1 dropped first,
    as torch does), or torch's shape-mismatch error. False when that depends on the data (a mask's true elements
    against a dimension of the value other than 1)."""
    stripped = list(value)
    while stripped and stripped[0] == 1:
        stripped.pop(0)
    if target.shape is None:
        return all(v == 1 for v in stripped)
    pairs = list(zip(reversed(stripped), reversed(target.shape), strict=False))
    fits = len(stripped) <= len(target.shape) and all(v == 1 or t is None or v == t for v, t in pairs)
    if not fits:
        raise index_error(
            f"shape mismatch: value tensor of shape {fmt(value)} cannot be broadcast to indexing result of shape "
            f"{fmt(target.shape)}"
        )
    return all(v == 1 for v, t in pairs if t is None)


# ---------------------------------------------------------------- values of constants

MAX_FOLDED = 10_000
"""Constants indexed element by element up to this many result elements (configuration-sized tensors)."""


def index_values(shape: Shape, values: tuple[Any, ...], index: Any) -> tuple[Any, ...] | None:
    """The values `x[index]` picks from a constant x (flattened, row-major), as torch picks them; None when the
    index's values are not all known or the result is large. Call after `index_shape` succeeded."""
    out = index_shape(shape, index).known
    if out is None or math.prod(out) > MAX_FOLDED:
        return None
    items = _expanded(shape, index)
    arrays: list[tuple[Shape, list[int]]] = []  # each advanced index as integer arrays, one per dimension indexed
    broadcast_shapes: list[Shape] = []
    slots: list[int] = []  # sizes of the result dimensions that are not the advanced ones, in order
    where: list[int] = []
    for item in items:
        if isinstance(item, _Advanced):
            where.append(len(slots))
            broadcast_shapes.append(item.shape)  # type: ignore[arg-type]
            if item.mask is None:
                if item.values is None:
                    return None
                arrays.append((item.shape, list(item.values)))  # type: ignore[arg-type]
            elif item.mask:
                if item.values is None:
                    return None
                true = [at for at, v in enumerate(item.values) if v]
                for dim in range(len(item.mask)):
                    stride = math.prod(item.mask[dim + 1 :])
                    arrays.append(((len(true),), [at // stride % item.mask[dim] for at in true]))
        elif item is None:
            slots.append(1)
        elif isinstance(item, slice):
            slots.append(-1)  # sized below
        elif item.value is None:  # a 0-d integer tensor of unknown value
            return None
    middle = broadcast_indices(broadcast_shapes) if broadcast_shapes else ()
    adjacent = not where or where == [where[0]] * len(where)
    strides = [math.prod(shape[d + 1 :]) for d in range(len(shape))]
    picked = []
    for coord in _coordinates(out):
        if not where:
            b, rest = (), list(coord)
        elif adjacent:
            b, rest = coord[where[0] : where[0] + len(middle)], [*coord[: where[0]], *coord[where[0] + len(middle) :]]
        else:
            b, rest = coord[: len(middle)], list(coord[len(middle) :])
        picked.append(values[_source(items, shape, strides, arrays, b, rest)])
    return tuple(picked)


def _coordinates(shape: Shape) -> Any:
    import itertools

    return itertools.product(*(range(size) for size in shape))


def _source(
    items: list[Any], shape: Shape, strides: list[int], arrays: list[tuple[Shape, list[int]]], b: tuple, rest: list
) -> int:
    """The flat position in x of one result element: `b` its coordinate in the advanced indices' broadcast shape,
    `rest` its coordinates along the other result dimensions."""
    flat = 0
    dim = 0
    arrays_used = 0
    rest_at = 0
    for item in items:
        if item is None:
            rest_at += 1
        elif isinstance(item, _Int):
            flat += (item.value % shape[dim]) * strides[dim]  # type: ignore[operator]
            dim += 1
        elif isinstance(item, slice):
            start, _, step = item.indices(shape[dim])
            flat += (start + step * rest[rest_at]) * strides[dim]
            rest_at += 1
            dim += 1
        else:
            for _ in range(item.dims):
                array_shape, array = arrays[arrays_used]
                arrays_used += 1
                flat += (array[_broadcast_at(array_shape, b)] % shape[dim]) * strides[dim]
                dim += 1
    return flat


def _broadcast_at(array_shape: Shape, b: tuple) -> int:
    """The flat position in an index array of the broadcast coordinate `b` (a dimension of 1 stretches)."""
    position = 0
    offset = len(b) - len(array_shape)
    for d, size in enumerate(array_shape):
        position = position * size + (b[offset + d] if size != 1 else 0)
    return position
