"""Index, select and sort ops: `gather`, `scatter*`, `index_*`, `take*`, `masked_*`, `nonzero`, `sort`,
`unique`, `searchsorted`, `narrow`, `select`, `rot90`, ...

They move data: no arithmetic, so no FLOPs (FlopCounterMode counts none of them either), except the scatters
that combine what they scatter (`scatter_add`, `index_add`, `scatter_reduce`, `index_put(accumulate=True)`):
one operation per element scattered. NB: sorts and searches make comparisons, but how many depends on the
algorithm (and on the data), not on the shapes; as for `topk`, no counter prices them, nor does this one.
Where the output's size depends on the data (`nonzero`, `masked_select`, `unique`) the shape rule says so
(`DataDependent`, with the most elements it can have) and the analysis reports SF301.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.elementwise import broadcast
from staticflops.catalog.reshape import diagonal_shape
from staticflops.catalog.spec import (
    FREE,
    DataDependent,
    Example,
    OpSpec,
    Shape,
    Work,
    WorkKind,
    normalize_dim,
    numel,
    require,
    spelled,
)
from staticflops.diagnostics import SF205
from staticflops.interpreter.calls import signature
from staticflops.symbolic.slices import slice_length


def moves(source: str, inputs: tuple[Shape, ...], output: Shape, data_dependent: bool = False) -> Example:
    return Example(source, inputs, output, 0, 0, 0, data_dependent=data_dependent)


def _forms(name: str, *, function: bool = True, method: bool = True, in_place: bool = False) -> list[str]:
    """The qualnames torch has for an op: `torch.name`, `Tensor.name`, `Tensor.name_`."""
    return [
        *(["torch." + name] if function else []),
        *(["torch.Tensor." + name] if method else []),
        *(["torch.Tensor." + name + "_"] if in_place else []),
    ]


def _shape(value: Any) -> Shape:
    """A tensor operand's shape; a number (a `value`) is a 0-d one."""
    return tuple(value) if isinstance(value, (tuple, list)) else ()


def _rank(x: Shape) -> int:
    return max(len(x), 1)


# ---------------------------------------------------------------- gather, take


def gather_shape(x: Shape, dim: int, index: Shape, op: str = "gather") -> Shape:
    """`gather(x, dim, index)`: the index's shape; it must have x's rank and be no larger apart from `dim`."""
    require(
        len(index) == len(x) or (len(x) <= 1 and len(index) <= 1),
        f"{op}(): Index tensor must have the same number of dimensions as input tensor ({list(index)} against "
        f"{list(x)})",
    )
    at = normalize_dim(dim, len(x))
    for d, (i, s) in enumerate(zip(index, x, strict=False)):
        require(
            d == at or i <= s,
            f"{op}(): Size does not match at dimension {d} expected index {list(index)} to be no larger than self "
            f"{list(x)} apart from dimension {at}",
        )
    return index


def take_along_dim_shape(x: Shape, indices: Shape, dim: int | None) -> Shape:
    if dim is None:
        return (numel(indices),)
    require(
        len(x) == len(indices),
        f"torch.take_along_dim(): input and indices should have the same number of dimensions, but input has "
        f"{len(x)} dimensions and indices has {len(indices)} dimensions",
    )
    at = normalize_dim(dim, len(x))
    others = broadcast(x[:at] + x[at + 1 :], indices[:at] + indices[at + 1 :])
    return (*others[:at], indices[at], *others[at:])


def index_select_shape(x: Shape, dim: int, index: Shape) -> Shape:
    require(len(index) <= 1, f"index_select(): Index is supposed to be a vector, got {list(index)}")
    at = normalize_dim(dim, len(x))
    if not x:  # a 0-d input picks its one element: a 0-d result
        count = numel(index)
        require(count == 1, f"index_select(): Index to scalar can have only 1 value, got {count} value(s)", SF205)
        return ()
    return (*x[:at], numel(index), *x[at + 1 :])


GATHERS = (
    *(
        OpSpec(
            qualname,
            signature("input, dim, index, *, sparse_grad", sparse_grad=False),
            ("input", "index"),
            output=lambda b: gather_shape(b["input"], b["dim"], b["index"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "1, y"), ((2, 5), (2, 3)), (2, 3)),),
        )
        for qualname in _forms("gather")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, index"),
            ("input", "index"),
            output=lambda b: b["index"],
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "y"), ((2, 5), (4, 2)), (4, 2)),),
        )
        for qualname in _forms("take")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, indices, dim", dim=None),
            ("input", "indices"),
            output=lambda b: take_along_dim_shape(b["input"], b["indices"], b["dim"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "y, dim=1"), ((2, 5, 3), (1, 2, 3)), (2, 2, 3)),),
        )
        for qualname in _forms("take_along_dim")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, dim, index"),
            ("input", "index"),
            output=lambda b: index_select_shape(b["input"], b["dim"], b["index"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "1, y"), ((2, 5, 3), (4,)), (2, 4, 3)),),
        )
        for qualname in _forms("index_select")
    ),
)


# ---------------------------------------------------------------- scatter


def scatter_shape(x: Shape, dim: int, index: Shape, src: Any, op: str = "scatter") -> Shape:
    """`scatter(x, dim, index, src)`: x's shape; index has x's rank, no larger than src, nor than x apart from
    `dim`."""
    require(
        len(index) == len(x) or (len(x) <= 1 and len(index) <= 1),
        f"{op}(): Index tensor must have the same number of dimensions as self tensor ({list(index)} against "
        f"{list(x)})",
    )
    at = normalize_dim(dim, len(x))
    for d, (i, s) in enumerate(zip(index, x, strict=False)):
        require(
            d == at or i <= s,
            f"{op}(): Expected index {list(index)} to be no larger than self {list(x)} apart from dimension {at}",
        )
    if isinstance(src, tuple) and index:
        require(len(src) == len(index), f"{op}(): Index tensor must have the same number of dimensions as src tensor")
        for i, s in zip(index, src, strict=True):
            require(i <= s, f"{op}(): Expected index {list(index)} to be no larger than src {list(src)}")
    return x


def _scattered(b: dict[str, Any]) -> Work:
    """One operation (an addition, a product, a comparison) per element scattered into the output."""
    return Work(WorkKind.ELEMENTWISE, outputs=numel(b["index"]))


def _scatter_work(b: dict[str, Any], out: Shape) -> Work:
    return FREE if b.get("reduce") is None else _scattered(b)


def _reduce_work(b: dict[str, Any], out: Shape) -> Work:
    """`scatter_reduce`: one operation per element scattered, and for `mean` a division per output element."""
    mean = numel(out) if b["reduce"] == "mean" else 0
    return Work(WorkKind.ELEMENTWISE, outputs=numel(b["index"]) + mean)


SCATTER = signature("input, dim, index, src, *, value, reduce", src=None, value=None, reduce=None)
SCATTERS = (
    *(
        OpSpec(
            qualname,
            SCATTER,
            ("input", "index", "src"),
            output=lambda b: scatter_shape(b["input"], b["dim"], b["index"], b["src"]),
            work=_scatter_work,
            examples=(moves(spelled(qualname, "0, y, z"), ((3, 5), (2, 5), (2, 5)), (3, 5)),),
        )
        for qualname in _forms("scatter", in_place=True)
    ),
    *(
        OpSpec(
            qualname,
            signature("input, dim, index, src"),
            ("input", "index", "src"),
            output=lambda b: scatter_shape(b["input"], b["dim"], b["index"], b["src"], "scatter_add"),
            work=lambda b, out: _scattered(b),
            examples=(Example(spelled(qualname, "0, y, z"), ((3, 5), (2, 5), (2, 5)), (3, 5), 0, 10, 0),),
        )
        for qualname in _forms("scatter_add", in_place=True)
    ),
    *(
        OpSpec(
            qualname,
            signature("input, dim, index, src, reduce, *, include_self", include_self=True),
            ("input", "index", "src"),
            output=lambda b: scatter_shape(b["input"], b["dim"], b["index"], b["src"], "scatter_reduce"),
            work=_reduce_work,
            examples=(Example(spelled(qualname, "0, y, z, 'amax'"), ((3, 5), (2, 5), (2, 5)), (3, 5), 0, 10, 0),),
        )
        for qualname in _forms("scatter_reduce", in_place=True)
    ),
)


# ---------------------------------------------------------------- index_add, index_copy, index_fill, index_put


def index_source_shape(x: Shape, dim: int, index: Shape, source: Any, op: str) -> Shape:
    """`index_add(x, dim, index, source)`: a vector index; source is x with `dim` as long as the index."""
    require(len(index) <= 1, f"{op}(): Index is supposed to be a vector, got {list(index)}")
    at = normalize_dim(dim, len(x))
    if source is not None:
        expected = (*x[:at], numel(index), *x[at + 1 :]) if x else ()
        require(
            _shape(source) == expected or (not x and numel(_shape(source)) == numel(index)),
            f"{op}(): source {list(_shape(source))} does not fit self {list(x)} indexed by {numel(index)} elements "
            f"along dimension {at} (expected {list(expected)})",
        )
    return x


def _added(b: dict[str, Any]) -> Work:
    """`index_add`: one addition per source element, and a product first when `alpha` is not 1."""
    return Work(WorkKind.ELEMENTWISE, outputs=numel(b["source"]), per_output=1 + (b["alpha"] != 1))


def index_put_shape(x: Shape, indices: list[Shape], values: Shape) -> Shape:
    """`index_put(x, indices, values)` is `x[indices] = values`. Its indices may be integer tensors or masks,
    which a shape rule cannot tell apart (it sees shapes, not dtypes): only their count is checked."""
    require(len(indices) <= len(x), f"index_put(): too many indices for tensor of dimension {len(x)}", SF205)
    return x


def _index_put_work(b: dict[str, Any], out: Shape) -> Work:
    return Work(WorkKind.ELEMENTWISE, outputs=numel(b["values"])) if b["accumulate"] else FREE


INDEX_WRITES = (
    *(
        OpSpec(
            qualname,
            signature("input, dim, index, source, *, alpha", alpha=1),
            ("input", "index", "source"),
            output=lambda b: index_source_shape(b["input"], b["dim"], b["index"], b["source"], "index_add"),
            work=lambda b, out: Work(
                WorkKind.ELEMENTWISE, outputs=numel(b["source"]), per_output=1 + (b["alpha"] != 1)
            ),
            examples=(Example(spelled(qualname, "0, y, z"), ((5, 3), (2,), (2, 3)), (5, 3), 0, 6, 0),),
        )
        for qualname in _forms("index_add", in_place=True)
    ),
    *(
        OpSpec(
            qualname,
            signature("input, dim, index, source"),
            ("input", "index", "source"),
            output=lambda b: index_source_shape(b["input"], b["dim"], b["index"], b["source"], "index_copy"),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "1, y, z"), ((5, 3), (2,), (5, 2)), (5, 3)),),
        )
        for qualname in _forms("index_copy", in_place=True)
    ),
    *(
        OpSpec(
            qualname,
            signature("input, dim, index, value"),
            ("input", "index"),
            output=lambda b: index_source_shape(b["input"], b["dim"], b["index"], None, "index_fill"),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "1, y, -1.0"), ((5, 3), (2,)), (5, 3)),),
        )
        for qualname in _forms("index_fill", in_place=True)
    ),
    *(
        OpSpec(
            qualname,
            signature("input, indices, values, accumulate", accumulate=False),
            ("input", "indices", "values"),
            output=lambda b: index_put_shape(b["input"], b["indices"], b["values"]),
            work=_index_put_work,
            examples=(
                Example(spelled(qualname, "(y, z), w, accumulate=True"), ((5, 3), (4,), (4,), (4,)), (5, 3), 0, 4, 0),
            ),
        )
        for qualname in _forms("index_put", in_place=True)
    ),
)


def _reduced_into(b: dict[str, Any], out: Shape) -> Work:
    """`index_reduce`: one operation per source element, and for `mean` a division per output element."""
    mean = numel(out) if b["reduce"] == "mean" else 0
    return Work(WorkKind.ELEMENTWISE, outputs=numel(b["source"]) + mean)


def put_shape(x: Shape, index: Shape, source: Shape) -> Shape:
    """`x.put(index, source)`: into the flattened x, one source element per index."""
    require(numel(index) == numel(source), f"put(): Expected source and index to have the same number of elements, "
            f"but got source.numel() = {numel(source)}, index.numel() = {numel(index)}")  # fmt: skip
    return x


INDEX_MORE = (
    *(
        OpSpec(
            qualname,
            signature("input, dim, index, source, reduce, *, include_self", include_self=True),
            ("input", "index", "source"),
            output=lambda b: index_source_shape(b["input"], b["dim"], b["index"], b["source"], "index_reduce"),
            work=_reduced_into,
            examples=(Example(spelled(qualname, "0, y, z, 'prod'"), ((5, 3), (2,), (2, 3)), (5, 3), 0, 6, 0),),
        )
        for qualname in _forms("index_reduce", in_place=True)
    ),
    *(
        OpSpec(
            qualname,
            signature("input, index, source, accumulate", accumulate=False),
            ("input", "index", "source"),
            output=lambda b: put_shape(b["input"], b["index"], b["source"]),
            work=lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(b["source"])) if b["accumulate"] else FREE,
            examples=(moves(spelled(qualname, "y, z"), ((5, 3), (4,), (2, 2)), (5, 3)),),
        )
        for qualname in _forms("put", in_place=True)
    ),
)


# ---------------------------------------------------------------- masks, nonzero


def masked_select_shape(x: Shape, mask: Shape) -> DataDependent:
    """As many elements as the (broadcast) mask has true ones."""
    return DataDependent((None,), numel(broadcast(x, mask)))


def masked_scatter_shape(x: Shape, mask: Shape, in_place: bool) -> Shape:
    if in_place:
        require(broadcast(x, mask) == x, f"masked_scatter_(): mask {list(mask)} does not broadcast to {list(x)}")
        return x
    return broadcast(x, mask)


def nonzero_shape(x: Shape, as_tuple: bool) -> DataDependent:
    """One row per nonzero element, of as many indices as x has dimensions (a 0-d x counts as one)."""
    if as_tuple:
        return DataDependent(None, numel(x))
    return DataDependent((None, len(x)), numel(x))


def _nonzero_static(x: Shape, size: int) -> Shape:
    """`nonzero_static(x, size=n)`: n rows, padded or cut, whatever the data."""
    require(size >= 0, f"nonzero_static: 'size' must be an non-negative integer, got {size}")
    return (size, len(x))


MASKS = (
    *(
        OpSpec(
            qualname,
            signature("input, mask"),
            ("input", "mask"),
            output=lambda b: masked_select_shape(b["input"], b["mask"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "y > 0"), ((2, 3), (3,)), (6,), data_dependent=True),),
        )
        for qualname in _forms("masked_select")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, mask, source"),
            ("input", "mask", "source"),
            output=lambda b, q=qualname: masked_scatter_shape(b["input"], b["mask"], q.endswith("_")),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "y > 0, z"), ((2, 3), (3,), (6,)), (2, 3)),),
        )
        for qualname in _forms("masked_scatter", in_place=True)
    ),
    *(
        OpSpec(
            qualname,
            signature("input, *, as_tuple", as_tuple=False),
            ("input",),
            output=lambda b: nonzero_shape(b["input"], b["as_tuple"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname), ((2, 3),), (6, 2), data_dependent=True),),
        )
        for qualname in _forms("nonzero")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, *, size, fill_value", fill_value=-1),
            ("input",),
            output=lambda b: _nonzero_static(b["input"], b["size"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "size=4"), ((2, 3),), (4, 2)),),
        )
        for qualname in _forms("nonzero_static")
    ),
    *(
        OpSpec(
            qualname,
            signature("input"),
            ("input",),
            output=lambda b: nonzero_shape(b["input"], False),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname), ((2, 3, 4),), (24, 3), data_dependent=True),),
        )
        for qualname in _forms("argwhere")
    ),
)


# ---------------------------------------------------------------- sort, unique, search


def _along(x: Shape, dim: int) -> int:
    return normalize_dim(dim, _rank(x))


def _sorted(x: Shape, dim: int) -> Shape:
    """Sorted along `dim` (which must exist): the same shape."""
    _along(x, dim)
    return x


def kthvalue_shape(x: Shape, k: int, dim: int, keepdim: bool) -> list[Shape]:
    at = _along(x, dim)
    size = x[at] if x else 1
    require(1 <= k <= size, f"kthvalue(): selected number k ({k}) out of range for dimension {at} of size {size}")
    shape = (*x[:at], *((1,) if keepdim else ()), *x[at + 1 :]) if x else ()
    return [shape, shape]


def unique_shape(x: Shape, dim: int | None) -> DataDependent:
    """Distinct elements (or slices along `dim`): at most all of them."""
    if dim is None:
        return DataDependent((None,), numel(x))
    at = normalize_dim(dim, len(x))
    return DataDependent((*x[:at], None, *x[at + 1 :]), x[at])


def _unique(b: dict[str, Any]) -> DataDependent:
    shape = unique_shape(b["input"], b["dim"])
    if b["return_inverse"] or b["return_counts"]:
        return DataDependent(None, shape.bound)  # a tuple, its first and last sizes decided by the data
    return shape


def searchsorted_shape(sequence: Shape, values: Any) -> Shape:
    """The insertion points of `values` in a sorted 1-D sequence, or in each row of a sequence whose leading
    dimensions are the values'."""
    values = _shape(values)
    require(
        len(sequence) == 1 or sequence[:-1] == values[:-1],
        f"torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries "
        f"tensor and input value tensor must match, but we got boundaries tensor {list(sequence)} and input value "
        f"tensor {list(values)}",
    )
    return values


def bucketize_shape(x: Any, boundaries: Shape) -> Shape:
    require(len(boundaries) == 1, f"bucketize(): boundaries tensor must be 1 dimension, but got {len(boundaries)}")
    return _shape(x)


SEARCHSORTED = signature(
    "sorted_sequence, input, *, out_int32, right, side, sorter", out_int32=False, right=False, side=None, sorter=None
)
SORTS = (
    *(
        OpSpec(
            qualname,
            signature("input, dim, descending, *, stable", dim=-1, descending=False, stable=False),
            ("input",),
            output=lambda b: [_sorted(b["input"], b["dim"])] * 2,
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "dim=1, descending=True"), ((2, 5),), (2, 5)),),
            values_indices=True,
        )
        for qualname in _forms("sort")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, dim, descending, *, stable", dim=-1, descending=False, stable=False),
            ("input",),
            output=lambda b: _sorted(b["input"], b["dim"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "0"), ((2, 5),), (2, 5)),),
        )
        for qualname in _forms("argsort")
    ),
    *(
        OpSpec(
            qualname,
            signature("input"),
            ("input",),
            output=lambda b: b["input"],
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname), ((4, 2),), (4, 2)),),
        )
        for qualname in _forms("msort")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, k, dim, keepdim", dim=-1, keepdim=False),
            ("input",),
            output=lambda b: kthvalue_shape(b["input"], b["k"], b["dim"], b["keepdim"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "2, 1"), ((2, 5, 3),), (2, 3)),),
            values_indices=True,
        )
        for qualname in _forms("kthvalue")
    ),
    *(
        OpSpec(
            qualname,
            signature(
                "input, sorted, return_inverse, return_counts, dim",
                sorted=True,
                return_inverse=False,
                return_counts=False,
                dim=None,
            ),
            ("input",),
            output=_unique,
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname), ((2, 3),), (1,), data_dependent=True),),
        )
        for qualname in _forms("unique")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, return_inverse, return_counts, dim", return_inverse=False, return_counts=False, dim=None),
            ("input",),
            output=_unique,
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "dim=1"), ((2, 3),), (2, 1), data_dependent=True),),
        )
        for qualname in _forms("unique_consecutive")
    ),
    OpSpec(
        "torch.searchsorted",
        SEARCHSORTED,
        ("sorted_sequence", "input"),
        output=lambda b: searchsorted_shape(b["sorted_sequence"], b["input"]),
        work=lambda b, out: FREE,
        examples=(moves("torch.searchsorted(x, y)", ((2, 5), (2, 3)), (2, 3)),),
    ),
    *(
        OpSpec(
            qualname,
            signature("input, boundaries, *, out_int32, right", out_int32=False, right=False),
            ("input", "boundaries"),
            output=lambda b: bucketize_shape(b["input"], b["boundaries"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "y"), ((2, 3), (4,)), (2, 3)),),
        )
        for qualname in _forms("bucketize", method=False)
    ),
)


# ---------------------------------------------------------------- narrow, select, rot90, flips


def _start_value(start: Any) -> int | None:
    """`narrow`'s start: an int, or a 0-d integer tensor, whose value is known when it was built from constants."""
    if isinstance(start, int):
        return start
    shape = getattr(start, "shape", None)
    require(shape is None or shape == (), "start must be an 0-dim integral Tensor.")
    values = getattr(start, "values", None)
    return int(values[0]) if values else None


def narrow_shape(x: Shape, dim: int, start: Any, length: int) -> Shape:
    """`length` elements of `dim` from `start`; a tensor start whose value is not known still gives the shape
    (only the bounds go unchecked)."""
    require(bool(x), "narrow() cannot be applied to a 0-dim tensor.")
    at = normalize_dim(dim, len(x))
    size = x[at]
    require(length >= 0, "narrow(): length must be non-negative.")
    begin = _start_value(start)
    if begin is None:
        require(length <= size, f"narrow(): length ({length}) exceeds dimension size ({size}).")
        return (*x[:at], length, *x[at + 1 :])
    require(
        -size <= begin <= size, f"start out of range (expected to be in range of [{-size}, {size}], but got {begin})"
    )
    begin += size if begin < 0 else 0
    require(begin + length <= size, f"start ({begin}) + length ({length}) exceeds dimension size ({size}).")
    return (*x[:at], length, *x[at + 1 :])


def select_shape(x: Shape, dim: int, index: int) -> Shape:
    require(bool(x), "select() cannot be applied to a 0-dim tensor.")
    at = normalize_dim(dim, len(x))
    size = x[at]
    require(
        -size <= index < size,
        f"select(): index {index} out of range for tensor of size {list(x)} at dimension {at}",
        SF205,
    )
    return (*x[:at], *x[at + 1 :])


def rot90_shape(x: Shape, k: int, dims: Any) -> Shape:
    dims = tuple(dims)
    require(len(dims) == 2, f"expected total rotation dims == 2, but got dims = {len(dims)}")
    require(len(x) >= 2, f"expected total dims >= 2, but got total dims = {len(x)}")
    a, b = normalize_dim(dims[0], len(x)), normalize_dim(dims[1], len(x))
    require(a != b, f"expected rotation dims to be different, but got dim0 = {a} and dim1 = {b}")
    if k % 2 == 0:
        return x
    shape = list(x)
    shape[a], shape[b] = x[b], x[a]
    return tuple(shape)


def _flip_side(x: Shape, name: str) -> Shape:
    rank = 2 if name == "fliplr" else 1
    require(len(x) >= rank, f"Input must be >= {rank}-d.")
    return x


PICKS = (
    *(
        OpSpec(
            qualname,
            signature("input, dim, start, length"),
            ("input",),
            output=lambda b: narrow_shape(b["input"], b["dim"], b["start"], b["length"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "1, 1, 2"), ((2, 5, 3),), (2, 2, 3)),),
        )
        for qualname in (*_forms("narrow"), *_forms("narrow_copy"))  # a copy has the view's shape
    ),
    *(
        OpSpec(
            qualname,
            signature("input, dim, index"),
            ("input",),
            output=lambda b: select_shape(b["input"], b["dim"], b["index"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "1, -1"), ((2, 5, 3),), (2, 3)),),
        )
        for qualname in _forms("select")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, k, dims", k=1, dims=(0, 1)),
            ("input",),
            output=lambda b: rot90_shape(b["input"], b["k"], b["dims"]),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "1, (1, 2)"), ((2, 5, 3),), (2, 3, 5)),),
        )
        for qualname in _forms("rot90")
    ),
    *(
        OpSpec(
            f"torch.Tensor.{name}",
            signature("input"),
            ("input",),
            output=lambda b, n=name: _flip_side(b["input"], n),
            work=lambda b, out: FREE,
            examples=(moves(f"x.{name}()", ((2, 5, 3),), (2, 5, 3)),),
        )
        for name in ("fliplr", "flipud")
    ),
)



# ---------------------------------------------------------------- strided views, and the scatters into views


def as_strided_shape(x: Shape, size: Any, stride: Any, offset: Any) -> Shape:
    """`size` elements at `stride` steps from `storage_offset` of x's storage (a fresh tensor's: x's elements).
    NB: a view of a view can reach storage beyond its base's elements; a fresh tensor's storage is its own."""
    size, stride = tuple(size), tuple(stride)
    require(len(size) == len(stride), f"mismatch in length of strides and shape ({len(stride)} and {len(size)})")
    require(all(d >= 0 for d in size), f"as_strided: negative size in {list(size)}")
    require(all(t >= 0 for t in stride), f"as_strided: Negative strides are not supported at the moment, got strides: "
            f"{list(stride)}")  # fmt: skip
    start = offset or 0
    if all(d > 0 for d in size):
        last = start + sum((d - 1) * t for d, t in zip(size, stride, strict=True))
        require(
            last < max(numel(x), 1),
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {start} require a storage of "
            f"{last + 1} elements, out of bounds for a storage of {numel(x)}",
        )
    return size


def scatter_into_view(x: Shape, src: Shape, view: Shape, op: str) -> Shape:
    """`select_scatter`, `slice_scatter`, `diagonal_scatter`, `as_strided_scatter`: x's shape, src the view's."""
    require(src == view, f"{op}(): expected src to have a size equal to the slice of self. src size = {list(src)}, "
            f"slice size = {list(view)}")  # fmt: skip
    return x


def slice_shape(x: Shape, dim: int, start: int | None, end: int | None, step: int) -> Shape:
    """`x[..., start:end:step, ...]` along `dim`, as Python slices clamp their bounds."""
    at = normalize_dim(dim, len(x))
    require(step > 0, "slice step must be positive")
    return (*x[:at], slice_length(slice(start, end, step), x[at]), *x[at + 1 :])


def _unravel(bound: dict[str, Any]) -> list[Shape]:
    """One coordinate tensor of the indices' shape per dimension of `shape`."""
    shape = bound["shape"]
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    require(all(d >= 0 for d in shape), "'shape' cannot have negative values")
    return [bound["input"]] * len(shape)


def _unravel_work(bound: dict[str, Any], out: list[Shape]) -> Work:
    """A remainder and a floor division per dimension per index."""
    return Work(WorkKind.ELEMENTWISE, outputs=numel(bound["input"]), per_output=2 * len(out))


AS_STRIDED = "input, size, stride, storage_offset"
VIEWS = (
    *(
        OpSpec(
            qualname,
            signature(AS_STRIDED, storage_offset=None),
            ("input",),
            output=lambda b: as_strided_shape(b["input"], b["size"], b["stride"], b["storage_offset"]),
            work=lambda b, out: FREE,
            examples=(moves(source, ((3, 3),), (2, 2)),),
        )
        for qualname, source in (
            ("torch.as_strided", "torch.as_strided(x, (2, 2), (1, 2), 1)"),
            ("torch.Tensor.as_strided", "x.as_strided((2, 2), (1, 2))"),
            ("torch.as_strided_copy", "torch.as_strided_copy(x, (2, 2), (1, 2))"),
        )
    ),
    *(
        OpSpec(
            qualname,
            signature("input, src, size, stride, storage_offset", storage_offset=None),
            ("input", "src"),
            output=lambda b: scatter_into_view(
                b["input"], b["src"], as_strided_shape(b["input"], b["size"], b["stride"], b["storage_offset"]),
                "as_strided_scatter",
            ),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "y, (2, 2), (1, 2)"), ((3, 3), (2, 2)), (3, 3)),),
        )
        for qualname in _forms("as_strided_scatter")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, src, dim, index"),
            ("input", "src"),
            output=lambda b: scatter_into_view(
                b["input"], b["src"], select_shape(b["input"], b["dim"], b["index"]), "select_scatter"
            ),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "y, 1, 2"), ((2, 5, 3), (2, 3)), (2, 5, 3)),),
        )
        for qualname in _forms("select_scatter")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, src, dim, start, end, step", dim=0, start=None, end=None, step=1),
            ("input", "src"),
            output=lambda b: scatter_into_view(
                b["input"], b["src"], slice_shape(b["input"], b["dim"], b["start"], b["end"], b["step"]),
                "slice_scatter",
            ),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "y, 1, 1, 5, 2"), ((2, 5, 3), (2, 2, 3)), (2, 5, 3)),),
        )
        for qualname in _forms("slice_scatter")
    ),
    *(
        OpSpec(
            qualname,
            signature("input, src, offset, dim1, dim2", offset=0, dim1=0, dim2=1),
            ("input", "src"),
            output=lambda b: scatter_into_view(
                b["input"], b["src"], diagonal_shape(b["input"], b["offset"], b["dim1"], b["dim2"]),
                "diagonal_scatter",
            ),
            work=lambda b, out: FREE,
            examples=(moves(spelled(qualname, "y, 1"), ((4, 5), (4,)), (4, 5)),),
        )
        for qualname in _forms("diagonal_scatter")
    ),
    # a remainder and a floor division per dimension: 2·2 per index, 2·3 indices: 24
    OpSpec(
        "torch.unravel_index",
        signature("input, shape"),
        ("input",),
        output=_unravel,
        work=_unravel_work,
        examples=(Example("torch.unravel_index(x.long(), (4, 5))", ((2, 3),), (2, 3), 0, 24, 0),),
        result_dtype=lambda dtype: "int64",  # each coordinate tensor of the tuple
    ),
)

SPECS = (*GATHERS, *SCATTERS, *INDEX_WRITES, *INDEX_MORE, *MASKS, *SORTS, *PICKS, *VIEWS)

INDEX_OPERANDS: dict[str, tuple[int, ...]] = {
    spec.qualname: (1, 2) if spec.name.startswith("index_put") else (1,)
    for spec in SPECS
    if spec.name.rstrip("_") in ("gather", "take", "take_along_dim", "index_select", "scatter", "scatter_add",
                                 "scatter_reduce", "index_add", "index_copy", "index_fill", "index_put", "index_reduce",
                                 "put")
}  # fmt: skip
"""Examples whose operands at these positions (x, y, z, w: 0, 1, 2, 3) hold indices: the cross-checks run them
with zeros, which index every dimension."""
