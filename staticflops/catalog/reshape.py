"""Layers and ops that rearrange elements: `nn.Flatten`, `nn.Unflatten`, `nn.Identity`,
`torch.flatten`, `Tensor.view/reshape/flatten`, `tile`, `unfold`. They do no arithmetic (except
`fold`, which sums overlapping blocks); their shape rules are where most shape errors surface.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from staticflops.catalog.elementwise import broadcast
from staticflops.catalog.spec import (
    FREE,
    Example,
    Hyper,
    LayerSpec,
    OpSpec,
    Shape,
    Work,
    WorkKind,
    normalize_dim,
    ntuple,
    numel,
    require,
    spelled,
)
from staticflops.diagnostics import SF202
from staticflops.interpreter.calls import signature


def flatten_shape(x: Shape, start_dim: int, end_dim: int) -> Shape:
    if not x:
        return (1,)
    start, end = normalize_dim(start_dim, len(x)), normalize_dim(end_dim, len(x))
    require(start <= end, f"flatten() start_dim {start_dim} comes after end_dim {end_dim}")
    return (*x[:start], numel(x[start : end + 1]), *x[end + 1 :])


def view_shape(x: Shape, requested: tuple[int, ...], op: str) -> Shape:
    """torch's view/reshape size rule: one -1 is inferred from the element count."""
    total = numel(x)
    require(sum(1 for d in requested if d == -1) <= 1, f"{op}(): only one dimension can be -1")
    known = numel(tuple(d for d in requested if d != -1))
    if -1 in requested:
        require(
            known != 0 and total % known == 0,
            f"{op}(): shape {list(requested)} is invalid for an input of {total} elements {list(x)}",
            SF202,
        )
        return tuple(total // known if d == -1 else d for d in requested)
    require(
        known == total,
        f"{op}(): shape {list(requested)} is invalid for an input of {total} elements {list(x)}",
        SF202,
    )
    return tuple(requested)


def sizes_signature(keyword: str) -> Any:
    """A method taking its sizes as varargs or as one keyword, as torch's argument parser allows:
    `x.reshape(2, 3)`, `x.reshape((2, 3))` and `x.reshape(shape=(2, 3))`. The varargs keep the keyword's
    name, so a message about them says `shape`."""
    return signature(f"input, *{keyword}, **{keyword}_by_keyword")


def sizes_given(bound: dict[str, Any], keyword: str) -> tuple[int, ...]:
    """The sizes of a `sizes_signature` call, however they were passed."""
    given, named = bound[keyword], bound[f"{keyword}_by_keyword"]
    unexpected = [name for name in named if name != keyword]
    require(not unexpected, f"got an unexpected keyword argument '{unexpected[0] if unexpected else ''}'")
    if keyword in named:
        require(not given, f"got multiple values for argument '{keyword}'")
        return tuple(named[keyword])
    if len(given) == 1 and isinstance(given[0], (tuple, list)):
        given = given[0]
    return tuple(given)


def _sizes(bound: dict[str, Any]) -> tuple[int, ...]:
    """`view(2, 3)`, `view((2, 3))` and `view(size=(2, 3))` all mean shape (2, 3)."""
    return sizes_given(bound, "size" if "size" in bound else "shape")


def _flatten_layer_output(h: Hyper, inputs: list[Shape]) -> Shape:
    return flatten_shape(inputs[0], h["start_dim"], h["end_dim"])


def _unflatten_output(h: Hyper, inputs: list[Shape]) -> Shape:
    x = inputs[0]
    dim = normalize_dim(h["dim"], len(x))
    parts = view_shape((x[dim],), tuple(h["unflattened_size"]), "unflatten")
    return (*x[:dim], *parts, *x[dim + 1 :])


LAYERS = (
    LayerSpec(
        "torch.nn.Flatten",
        init=signature("start_dim, end_dim", start_dim=1, end_dim=-1),
        attributes=dict,
        parameters=lambda h: {},
        output=_flatten_layer_output,
        work=lambda h, inputs, out: FREE,
        examples=(Example("nn.Flatten()", ((2, 16, 5, 5),), (2, 400), 0, 0, 0),),
    ),
    LayerSpec(
        "torch.nn.Unflatten",
        init=signature("dim, unflattened_size"),
        attributes=lambda b: {"dim": b["dim"], "unflattened_size": tuple(b["unflattened_size"])},
        parameters=lambda h: {},
        output=_unflatten_output,
        work=lambda h, inputs, out: FREE,
        examples=(Example("nn.Unflatten(1, (16, 5, 5))", ((2, 400),), (2, 16, 5, 5), 0, 0, 0),),
    ),
    LayerSpec(
        "torch.nn.Identity",
        init=signature("*args, **kwargs"),
        attributes=lambda b: {},
        parameters=lambda h: {},
        output=lambda h, inputs: inputs[0],
        work=lambda h, inputs, out: FREE,
        examples=(Example("nn.Identity()", ((3, 7),), (3, 7), 0, 0, 0),),
    ),
)


def moves(source: str, inputs: tuple[Shape, ...], output: Shape) -> Example:
    """An example of an op that only moves or views data: no FLOPs, no MACs."""
    return Example(source, inputs, output, 0, 0, 0)


def _free(qualname: str, params: Any, output: Any, example: Example, when_unknown: Any = None) -> OpSpec:
    return OpSpec(
        qualname,
        params,
        ("input",),
        output=output,
        work=lambda b, out: FREE,
        examples=(example,),
        output_when_unknown=when_unknown,
    )


def _given(sizes: Any) -> Shape | None:
    """Sizes that are the whole shape (all known, none inferred with -1), else None."""
    try:
        sizes = tuple(sizes)
    except TypeError:
        return None
    return sizes if all(type(size) is int and size >= 0 for size in sizes) else None


TENSOR_SPLIT = signature(
    "input, indices_or_sections, dim, *, sections, indices",
    indices_or_sections=None,
    dim=0,
    sections=None,
    indices=None,
)
"""`torch.tensor_split` and the method: sections or split indices, positionally or by keyword."""

OPS = (
    _free(
        "torch.flatten",
        signature("input, start_dim, end_dim", start_dim=0, end_dim=-1),
        lambda b: flatten_shape(b["input"], b["start_dim"], b["end_dim"]),
        moves("torch.flatten(x, 1)", ((2, 3, 4),), (2, 12)),
    ),
    _free(
        "torch.Tensor.flatten",
        signature("input, start_dim, end_dim", start_dim=0, end_dim=-1),
        lambda b: flatten_shape(b["input"], b["start_dim"], b["end_dim"]),
        moves("x.flatten()", ((2, 3, 4),), (24,)),
    ),
    _free(
        "torch.Tensor.view",
        sizes_signature("size"),
        lambda b: view_shape(b["input"], _sizes(b), "view"),
        moves("x.view(2, -1)", ((2, 3, 4),), (2, 12)),
        lambda b: _given(_sizes(b)),
    ),
    _free(
        "torch.Tensor.reshape",
        sizes_signature("shape"),
        lambda b: view_shape(b["input"], _sizes(b), "reshape"),
        moves("x.reshape(4, 6)", ((2, 3, 4),), (4, 6)),
        lambda b: _given(_sizes(b)),
    ),
    _free(
        "torch.reshape",
        signature("input, shape"),
        lambda b: view_shape(b["input"], tuple(b["shape"]), "reshape"),
        moves("torch.reshape(x, (-1,))", ((2, 3, 4),), (24,)),
        lambda b: _given(b["shape"]),
    ),
)


# ---------------------------------------------------------------- dimension shuffles
def permute_shape(x: Shape, dims: tuple[int, ...]) -> Shape:
    require(len(dims) == len(x), f"permute(): {len(dims)} dimensions given for a tensor of rank {len(x)}")
    order = [normalize_dim(d, len(x)) for d in dims]
    require(sorted(order) == list(range(len(x))), f"permute(): {list(dims)} is not a permutation")
    return tuple(x[d] for d in order)


def transpose_shape(x: Shape, dim0: int, dim1: int) -> Shape:
    if not x:
        return x
    a, b = normalize_dim(dim0, len(x)), normalize_dim(dim1, len(x))
    shape = list(x)
    shape[a], shape[b] = shape[b], shape[a]
    return tuple(shape)


def unsqueeze_shape(x: Shape, dim: int) -> Shape:
    at = normalize_dim(dim, len(x) + 1)
    return (*x[:at], 1, *x[at:])


def squeeze_shape(x: Shape, dim: Any) -> Shape:
    if dim is None:
        return tuple(d for d in x if d != 1)
    dims = {normalize_dim(d, len(x)) for d in (dim if isinstance(dim, (tuple, list)) else (dim,))}
    return tuple(size for i, size in enumerate(x) if not (i in dims and size == 1))


def expand_shape(x: Shape, sizes: tuple[int, ...]) -> Shape:
    require(len(sizes) >= len(x), f"expand(): {list(sizes)} has fewer dimensions than {list(x)}")
    lead = len(sizes) - len(x)
    result = list(sizes[:lead])
    for size, target in zip(x, sizes[lead:], strict=True):
        # a plain 1 first: expanding it to a symbolic size is no condition on that size (staticflops.symbolic)
        fits = (type(size) is int and size == 1) or target in (-1, size) or size == 1
        require(fits, f"expand(): cannot expand size {size} to {target}", SF202)
        result.append(size if target == -1 else target)
    return tuple(result)


def repeat_shape(x: Shape, repeats: tuple[int, ...]) -> Shape:
    require(len(repeats) >= len(x), f"repeat(): {list(repeats)} has fewer dimensions than {list(x)}")
    padded = (1,) * (len(repeats) - len(x)) + x
    return tuple(size * times for size, times in zip(padded, repeats, strict=True))


def repeat_interleave_shape(bound: dict[str, Any]) -> Shape | None:
    """`repeat_interleave(x, n, dim)`: each element n times along `dim`, of the flattened input without one.
    Repeats given as a tensor make the size depend on its values, unless `output_size` says it."""
    x, repeats, dim = bound["input"], bound["repeats"], bound["dim"]
    counts = _known_repeats(repeats)
    if counts is not None and len(counts) == 1:
        repeats = counts[0]  # one count for every element, as an int
    elif counts is not None:
        at = None if dim is None else normalize_dim(dim, len(x))
        extent = numel(x) if at is None else x[at]
        require(
            len(counts) == extent,
            f"repeat_interleave(): repeats must have the same size as input along dim, but got repeats.size(0) = "
            f"{len(counts)} and input.size({at or 0}) = {extent}",
        )
        return (sum(counts),) if at is None else (*x[:at], sum(counts), *x[at + 1 :])
    if isinstance(repeats, bool) or not isinstance(repeats, int):
        size = bound["output_size"]
        if not isinstance(size, int) or repeats is None:
            return None
    else:
        require(repeats >= 0, f"repeat_interleave(): repeats must be non-negative, got {repeats}")
        size = (numel(x) if dim is None else x[normalize_dim(dim, len(x))]) * repeats
    if dim is None:
        return (size,)
    at = normalize_dim(dim, len(x))
    return (*x[:at], size, *x[at + 1 :])


def _known_repeats(repeats: Any) -> list[int] | None:
    """The counts of a tensor of repeats whose values are known (a constant such as `torch.tensor([1, 2])`)."""
    values, shape = getattr(repeats, "values", None), getattr(repeats, "shape", None)
    if values is None or shape is None or len(shape) > 1:
        return None
    counts = [int(v) for v in values]
    require(all(c >= 0 for c in counts), f"repeat_interleave(): repeats must be non-negative, got {counts}")
    return counts


def cat_shape(shapes: list[Shape], dim: int, op: str = "cat") -> Shape:
    require(bool(shapes), f"{op}(): expected a non-empty list of tensors")
    # NB: as torch (a legacy rule), an empty 1-D tensor is skipped whatever the others' rank: a key/value
    # cache starts as `torch.tensor([])` and grows by `torch.cat([keys, new], dim=-2)`
    kept = [shape for shape in shapes if tuple(shape) != (0,)]
    shapes = kept or shapes[:1]
    first = shapes[0]
    at = normalize_dim(dim, len(first))
    for shape in shapes[1:]:
        same_rank = len(shape) == len(first)
        require(
            same_rank and all(a == b for i, (a, b) in enumerate(zip(shape, first, strict=True)) if i != at),
            f"{op}(): sizes of tensors must match except in dimension {at}: {list(first)} and {list(shape)}",
        )
    return (*first[:at], sum(shape[at] for shape in shapes), *first[at + 1 :])


def stack_shape(shapes: list[Shape], dim: int) -> Shape:
    require(bool(shapes), "stack(): expected a non-empty list of tensors")
    require(all(shape == shapes[0] for shape in shapes), f"stack(): tensors of different shapes {shapes}")
    at = normalize_dim(dim, len(shapes[0]) + 1)
    return (*shapes[0][:at], len(shapes), *shapes[0][at:])


def chunk_shapes(x: Shape, chunks: int, dim: int) -> list[Shape | None]:
    at = normalize_dim(dim, len(x))
    size = x[at]
    step = -(-size // chunks)
    pieces = [min(step, size - start) for start in range(0, size, step)] if size else [0]
    return [(*x[:at], piece, *x[at + 1 :]) for piece in pieces]


def split_shapes(x: Shape, split: Any, dim: int) -> list[Shape | None]:
    at = normalize_dim(dim, len(x))
    size = x[at]
    if isinstance(split, int):
        pieces = [min(split, size - start) for start in range(0, size, split)]
    else:
        pieces = list(split)
        require(sum(pieces) == size, f"split(): sizes {pieces} do not add up to {size}", SF202)
    return [(*x[:at], piece, *x[at + 1 :]) for piece in pieces]


def tensor_split_shapes(bound: dict[str, Any]) -> list[Shape | None] | None:
    """`tensor_split(x, sections | indices, dim)`: n sections as even as possible (the first `size % n` one
    longer), or the pieces between indices, each as the slice `x[previous:index]` would be."""
    x = bound["input"]
    at = normalize_dim(bound["dim"], len(x))
    size = x[at]
    given = [bound[name] for name in ("indices_or_sections", "sections", "indices") if bound[name] is not None]
    require(len(given) == 1, "tensor_split(): give one of sections and indices")
    if not isinstance(given[0], (int, list, tuple)):
        return None  # indices or sections held by a tensor: its values decide the pieces
    if isinstance(given[0], int):
        sections = given[0]
        require(sections > 0, f"tensor_split(): number of sections must be greater than 0, got {sections}")
        pieces = [size // sections + (1 if i < size % sections else 0) for i in range(sections)]
    else:
        bounds = [None, *given[0], None]
        pieces = [len(range(size)[start:stop]) for start, stop in itertools.pairwise(bounds)]
    return [(*x[:at], piece, *x[at + 1 :]) for piece in pieces]


def _roll_output(bound: dict[str, Any]) -> Shape:
    return bound["input"]


SHUFFLES = (
    _free(
        "torch.Tensor.permute",
        sizes_signature("dims"),
        lambda b: permute_shape(b["input"], sizes_given(b, "dims")),
        moves("x.permute(2, 0, 1)", ((2, 3, 4),), (4, 2, 3)),
    ),
    _free(
        "torch.permute",
        signature("input, dims"),
        lambda b: permute_shape(b["input"], tuple(b["dims"])),
        moves("torch.permute(x, (1, 0, 2))", ((2, 3, 4),), (3, 2, 4)),
    ),
    _free(
        "torch.Tensor.transpose",
        signature("input, dim0, dim1"),
        lambda b: transpose_shape(b["input"], b["dim0"], b["dim1"]),
        moves("x.transpose(0, 2)", ((2, 3, 4),), (4, 3, 2)),
    ),
    _free(
        "torch.transpose",
        signature("input, dim0, dim1"),
        lambda b: transpose_shape(b["input"], b["dim0"], b["dim1"]),
        moves("torch.transpose(x, -1, -2)", ((2, 3, 4),), (2, 4, 3)),
    ),
    _free(
        "torch.Tensor.unsqueeze",
        signature("input, dim"),
        lambda b: unsqueeze_shape(b["input"], b["dim"]),
        moves("x.unsqueeze(1)", ((2, 3, 4),), (2, 1, 3, 4)),
    ),
    _free(
        "torch.unsqueeze",
        signature("input, dim"),
        lambda b: unsqueeze_shape(b["input"], b["dim"]),
        moves("torch.unsqueeze(x, -1)", ((2, 3, 4),), (2, 3, 4, 1)),
    ),
    _free(
        "torch.Tensor.squeeze",
        signature("input, dim", dim=None),
        lambda b: squeeze_shape(b["input"], b["dim"]),
        moves("x.squeeze()", ((2, 1, 4),), (2, 4)),
    ),
    _free(
        "torch.squeeze",
        signature("input, dim", dim=None),
        lambda b: squeeze_shape(b["input"], b["dim"]),
        moves("torch.squeeze(x, 1)", ((2, 1, 4),), (2, 4)),
    ),
    _free(
        "torch.Tensor.expand",
        sizes_signature("size"),
        lambda b: expand_shape(b["input"], sizes_given(b, "size")),
        moves("x.expand(5, -1, -1)", ((1, 3, 4),), (5, 3, 4)),
    ),
    _free(
        "torch.Tensor.repeat",
        sizes_signature("repeats"),
        lambda b: repeat_shape(b["input"], sizes_given(b, "repeats")),
        moves("x.repeat(2, 1, 1)", ((2, 3, 4),), (4, 3, 4)),
    ),
    _free(
        "torch.repeat_interleave",
        signature("input, repeats, dim, *, output_size", repeats=None, dim=None, output_size=None),
        repeat_interleave_shape,
        moves("torch.repeat_interleave(x, 2, dim=0)", ((2, 3, 4),), (4, 3, 4)),
    ),
    _free(
        "torch.Tensor.repeat_interleave",
        signature("input, repeats, dim, *, output_size", repeats=None, dim=None, output_size=None),
        repeat_interleave_shape,
        moves("x.repeat_interleave(3)", ((2, 3, 4),), (72,)),
    ),
    _free(
        "torch.Tensor.unflatten",
        signature("input, dim, sizes"),
        lambda b: _unflatten_output({"dim": b["dim"], "unflattened_size": tuple(b["sizes"])}, [b["input"]]),
        moves("x.unflatten(2, (2, 2))", ((2, 3, 4),), (2, 3, 2, 2)),
    ),
    _free(
        "torch.roll",
        signature("input, shifts, dims", dims=None),
        _roll_output,
        moves("torch.roll(x, 1, 0)", ((2, 3, 4),), (2, 3, 4)),
    ),
    _free(
        "torch.Tensor.roll",
        signature("input, shifts, dims", dims=None),
        _roll_output,
        moves("x.roll(1)", ((2, 3, 4),), (2, 3, 4)),
    ),
    _free(
        "torch.nn.functional.pad",
        signature("input, pad, mode, value", mode="constant", value=None),
        lambda b: _pad_shape(b["input"], tuple(b["pad"])),
        moves("F.pad(x, (1, 1, 2, 0))", ((2, 3, 4),), (2, 5, 6)),
    ),
    _free(
        "torch.Tensor.chunk",
        signature("input, chunks, dim", dim=0),
        lambda b: chunk_shapes(b["input"], b["chunks"], b["dim"]),
        moves("x.chunk(2, 2)", ((2, 3, 4),), (2, 3, 2)),
    ),
    _free(
        "torch.chunk",
        signature("input, chunks, dim", dim=0),
        lambda b: chunk_shapes(b["input"], b["chunks"], b["dim"]),
        moves("torch.chunk(x, 3, 1)", ((2, 3, 4),), (2, 1, 4)),
    ),
    _free(
        "torch.Tensor.split",
        signature("input, split_size, dim", dim=0),
        lambda b: split_shapes(b["input"], b["split_size"], b["dim"]),
        moves("x.split(3, 2)", ((2, 3, 4),), (2, 3, 3)),
    ),
    _free(
        "torch.split",
        signature("input, split_size_or_sections, dim", dim=0),
        lambda b: split_shapes(b["input"], b["split_size_or_sections"], b["dim"]),
        moves("torch.split(x, [1, 2], 1)", ((2, 3, 4),), (2, 1, 4)),
    ),
    _free(
        "torch.tensor_split",
        TENSOR_SPLIT,
        tensor_split_shapes,
        moves("torch.tensor_split(x, 3, 2)", ((2, 3, 4),), (2, 3, 2)),
    ),
    _free(
        "torch.Tensor.tensor_split",
        TENSOR_SPLIT,
        tensor_split_shapes,
        moves("x.tensor_split(indices=(1,), dim=1)", ((2, 3, 4),), (2, 1, 4)),
    ),
    _free(
        "torch.Tensor.unbind",
        signature("input, dim", dim=0),
        lambda b: [squeeze_shape(s, b["dim"]) for s in chunk_shapes(b["input"], b["input"][b["dim"]], b["dim"])],
        moves("x.unbind(1)", ((2, 3, 4),), (2, 4)),
    ),
    _free(
        "torch.unbind",
        signature("input, dim", dim=0),
        lambda b: [squeeze_shape(s, b["dim"]) for s in chunk_shapes(b["input"], b["input"][b["dim"]], b["dim"])],
        moves("torch.unbind(x)", ((2, 3, 4),), (3, 4)),
    ),
)


def _pad_shape(x: Shape, pad: tuple[int, ...]) -> Shape:
    require(len(pad) % 2 == 0 and len(pad) // 2 <= len(x), f"pad(): padding {list(pad)} does not fit {list(x)}")
    shape = list(x)
    for i in range(len(pad) // 2):
        shape[len(x) - 1 - i] += pad[2 * i] + pad[2 * i + 1]
    return tuple(shape)


def _joined(qualname: str, rule: Any, *examples: Example) -> OpSpec:
    return OpSpec(
        qualname,
        signature("tensors, dim", dim=0),
        ("tensors",),
        output=rule,
        work=lambda b, out: FREE,
        examples=examples,
    )


JOINS = (
    _joined(
        "torch.cat",
        lambda b: cat_shape(list(b["tensors"]), b["dim"]),
        moves("torch.cat([x, y], 1)", ((2, 3, 4), (2, 5, 4)), (2, 8, 4)),
        # an empty 1-D tensor is skipped, as torch does
        moves("torch.cat([x, y], -2)", ((0,), (1, 2, 5, 4)), (1, 2, 5, 4)),
    ),
    _joined(
        "torch.concat",
        lambda b: cat_shape(list(b["tensors"]), b["dim"]),
        moves("torch.concat((x, y), dim=1)", ((2, 3, 4), (2, 5, 4)), (2, 8, 4)),
    ),
    _joined(
        "torch.concatenate",
        lambda b: cat_shape(list(b["tensors"]), b["dim"]),
        moves("torch.concatenate([x, y], -1)", ((2, 3, 4), (2, 3, 1)), (2, 3, 5)),
    ),
    _joined(
        "torch.stack",
        lambda b: stack_shape(list(b["tensors"]), b["dim"]),
        moves("torch.stack([x, x])", ((2, 3, 4),), (2, 2, 3, 4)),
    ),
)


def meshgrid_shapes(shapes: list[Shape], indexing: str) -> list[Shape | None]:
    sizes = [numel(shape) for shape in shapes]
    if indexing == "xy" and len(sizes) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return [tuple(sizes) for _ in shapes]


MESHGRID = OpSpec(
    "torch.meshgrid",
    signature("*tensors, indexing", indexing="ij"),
    ("tensors",),
    output=lambda b: meshgrid_shapes(list(b["tensors"]), b["indexing"]),
    work=lambda b, out: FREE,
    examples=(moves("torch.meshgrid(x, y, indexing='ij')", ((3,), (4,)), (3, 4)),),
)


def _t_shape(x: Shape) -> Shape:
    require(len(x) <= 2, f"t() expects a tensor of at most 2 dimensions, got {list(x)}")
    return tuple(reversed(x))


def _masked_fill(qualname: str) -> OpSpec:
    return OpSpec(
        qualname,
        signature("input, mask, value"),
        ("input", "mask"),
        output=lambda b: b["input"],
        work=lambda b, out: FREE,
        examples=(moves(spelled(qualname, "y > 0, 0.0"), ((2, 3, 4), (2, 3, 4)), (2, 3, 4)),),
    )


SWAPS = (
    _free(
        "torch.swapaxes",
        signature("input, axis0, axis1"),
        lambda b: transpose_shape(b["input"], b["axis0"], b["axis1"]),
        moves("torch.swapaxes(x, 0, 1)", ((2, 3, 4),), (3, 2, 4)),
    ),
    _free(
        "torch.swapdims",
        signature("input, dim0, dim1"),
        lambda b: transpose_shape(b["input"], b["dim0"], b["dim1"]),
        moves("torch.swapdims(x, 1, 2)", ((2, 3, 4),), (2, 4, 3)),
    ),
    _free(
        "torch.Tensor.swapaxes",
        signature("input, axis0, axis1"),
        lambda b: transpose_shape(b["input"], b["axis0"], b["axis1"]),
        moves("x.swapaxes(0, 2)", ((2, 3, 4),), (4, 3, 2)),
    ),
    _free(
        "torch.Tensor.swapdims",
        signature("input, dim0, dim1"),
        lambda b: transpose_shape(b["input"], b["dim0"], b["dim1"]),
        moves("x.swapdims(0, 1)", ((2, 3, 4),), (3, 2, 4)),
    ),
    _free("torch.Tensor.t", signature("input"), lambda b: _t_shape(b["input"]), moves("x.t()", ((2, 3),), (3, 2))),
    _free("torch.t", signature("input"), lambda b: _t_shape(b["input"]), moves("torch.t(x)", ((2, 3),), (3, 2))),
    *(
        OpSpec(
            f"torch.Tensor.{name}",
            signature("input, other"),
            ("input", "other"),
            output=rule,
            work=lambda b, out: FREE,
            examples=(moves(f"x.{name}(y)", ((2, 6), given), (3, 4) if name != "expand_as" else (3, 2, 6)),),
        )
        for name, rule, given in (
            ("view_as", lambda b: view_shape(b["input"], b["other"], "view_as"), (3, 4)),
            ("reshape_as", lambda b: view_shape(b["input"], b["other"], "reshape_as"), (3, 4)),
            ("expand_as", lambda b: expand_shape(b["input"], b["other"]), (3, 2, 6)),
        )
    ),
    *(
        _free(
            f"{prefix}.{name}",
            signature("input, diagonal", diagonal=0),
            lambda b: b["input"],
            moves(spelled(f"{prefix}.{name}"), ((3, 3),), (3, 3)),
        )
        for prefix in ("torch", "torch.Tensor")
        for name in ("tril", "triu")
    ),
    _masked_fill("torch.Tensor.masked_fill"),
    _masked_fill("torch.Tensor.masked_fill_"),
    _masked_fill("torch.masked_fill"),
)


def tile_shape(x: Shape, dims: tuple[int, ...]) -> Shape:
    """`tile`: like `repeat`, except that fewer repeats than dimensions are padded with ones in front."""
    return repeat_shape(x, (1,) * (len(x) - len(dims)) + tuple(dims))


def _windows_output(bound: dict[str, Any]) -> Shape:
    """`Tensor.unfold(dimension, size, step)`: the windows along one dimension, each a new last dimension."""
    x = bound["input"]
    size, step = bound["size"], bound["step"]
    if not x:  # a 0-dimensional tensor has one element: a window of it
        require(size <= 1, f"unfold(): window {size} is larger than a 0-dimensional tensor's one element")
        return (size,)
    at = normalize_dim(bound["dimension"], len(x))
    require(size <= x[at], f"unfold(): window {size} is larger than the dimension's size {x[at]}")
    return (*x[:at], (x[at] - size) // step + 1, *x[at + 1 :], size)


def _im2col(x: Shape, h: Hyper) -> Shape:
    """`F.unfold` / `nn.Unfold`: every sliding block of the (N, C, H, W) input as a column,
    (N, C·∏kernel, blocks); an unbatched (C, H, W) input gives (C·∏kernel, blocks)."""
    spatial = x[-2:]
    kernel, dilation, padding, stride = (ntuple(h[k], 2, k) for k in ("kernel_size", "dilation", "padding", "stride"))
    blocks = 1
    for size, k, d, p, s in zip(spatial, kernel, dilation, padding, stride, strict=True):
        count = (size + 2 * p - d * (k - 1) - 1) // s + 1
        require(count > 0, f"unfold(): kernel {list(kernel)} does not fit the input {list(x)}")
        blocks *= count
    channels = x[-3] * kernel[0] * kernel[1]
    return (*x[:-3], channels, blocks)


UNFOLD_DEFAULTS = {"dilation": 1, "padding": 0, "stride": 1}


def _coverage(size: int, kernel: int, dilation: int, padding: int, stride: int) -> list[int]:
    """How many sliding blocks cover each position of one output dimension of `fold`."""
    padded = size + 2 * padding
    blocks = (padded - dilation * (kernel - 1) - 1) // stride + 1
    counts = [0] * size
    for block in range(max(blocks, 0)):
        for k in range(kernel):
            position = block * stride + k * dilation - padding
            if 0 <= position < size:
                counts[position] += 1
    return counts


def _fold_geometry(h: Hyper) -> tuple[tuple[int, ...], ...]:
    """`fold`'s output size, kernel, dilation, padding and stride, each as a pair."""
    names = ("output_size", "kernel_size", "dilation", "padding", "stride")
    return tuple(ntuple(h[name], 2, name) for name in names)


def _fold_output(x: Shape, h: Hyper) -> Shape:
    """`F.fold` / `nn.Fold`, the inverse of unfold: (N, C·∏kernel, blocks) → (N, C, *output_size)."""
    size, kernel, dilation, padding, stride = _fold_geometry(h)
    blocks = 1
    for s, k, d, p, st in zip(size, kernel, dilation, padding, stride, strict=True):
        blocks *= (s + 2 * p - d * (k - 1) - 1) // st + 1
    require(x[-2] % (kernel[0] * kernel[1]) == 0, f"fold(): {x[-2]} channels are not divisible by the kernel's size")
    require(x[-1] == blocks, f"fold(): the input has {x[-1]} blocks, the output size needs {blocks}")
    return (*x[:-2], x[-2] // (kernel[0] * kernel[1]), *size)


def _fold_work(x: Shape, h: Hyper, out: Shape) -> Work:
    """Overlapping blocks are summed: an output position that n block elements land on costs n − 1
    additions; elements landing in the padding are dropped."""
    size, kernel, dilation, padding, stride = _fold_geometry(h)
    landed, covered = 1, 1
    for dims in zip(size, kernel, dilation, padding, stride, strict=True):
        counts = _coverage(*dims)
        landed *= sum(counts)
        covered *= sum(1 for c in counts if c)
    planes = numel(out) // (size[0] * size[1])
    return Work(WorkKind.REDUCE_SUM, outputs=covered * planes, reduced=landed * planes)


COPIES = (
    _free(
        "torch.Tensor.flip",
        signature("input, *dims_given, dims", dims=None),
        lambda b: b["input"],
        moves("x.flip(0)", ((2, 3),), (2, 3)),
    ),
    _free(
        "torch.flip", signature("input, dims"), lambda b: b["input"], moves("torch.flip(x, (0, 1))", ((2, 3),), (2, 3))
    ),
    _free("torch.fliplr", signature("input"), lambda b: b["input"], moves("torch.fliplr(x)", ((2, 3),), (2, 3))),
    _free("torch.flipud", signature("input"), lambda b: b["input"], moves("torch.flipud(x)", ((2, 3),), (2, 3))),
    _free(
        "torch.Tensor.tile",
        sizes_signature("dims"),
        lambda b: tile_shape(b["input"], sizes_given(b, "dims")),
        moves("x.tile((2,))", ((2, 3),), (2, 6)),
    ),
    _free(
        "torch.tile",
        signature("input, dims"),
        lambda b: tile_shape(b["input"], tuple(b["dims"])),
        moves("torch.tile(x, (2, 1, 1))", ((2, 3),), (2, 2, 3)),
    ),
    _free(
        "torch.Tensor.unfold",
        signature("input, dimension, size, step"),
        _windows_output,
        moves("x.unfold(1, 2, 1)", ((2, 5),), (2, 4, 2)),
    ),
    _free(
        "torch.nn.functional.unfold",
        signature("input, kernel_size, dilation, padding, stride", **UNFOLD_DEFAULTS),
        lambda b: _im2col(b["input"], b),
        moves("F.unfold(x, 2)", ((1, 3, 4, 4),), (1, 12, 9)),
    ),
)

FOLD = OpSpec(
    "torch.nn.functional.fold",
    signature("input, output_size, kernel_size, dilation, padding, stride", **UNFOLD_DEFAULTS),
    ("input",),
    output=lambda b: _fold_output(b["input"], b),
    work=lambda b, out: _fold_work(b["input"], b, out),
    # four 2×2 blocks on a 3×3 output: positions covered 1, 2, 1 times per dimension, 16 elements land
    # on 9 positions, 16 − 9 = 7 additions
    examples=(Example("F.fold(x, (3, 3), 2)", ((1, 4, 4),), (1, 1, 3, 3), 0, 7, 0),),
)

FOLD_LAYER = LayerSpec(
    "torch.nn.Fold",
    init=signature("output_size, kernel_size, dilation, padding, stride", **UNFOLD_DEFAULTS),
    attributes=dict,
    parameters=lambda h: {},
    output=lambda h, inputs: _fold_output(inputs[0], h),
    work=lambda h, inputs, out: _fold_work(inputs[0], h, out),
    # non-overlapping 2×2 blocks: every output position receives one element, nothing is added
    examples=(Example("nn.Fold((4, 4), 2, stride=2)", ((1, 12, 4),), (1, 3, 4, 4), 0, 0, 0),),
)

UNFOLD = LayerSpec(
    "torch.nn.Unfold",
    init=signature("kernel_size, dilation, padding, stride", **UNFOLD_DEFAULTS),
    attributes=dict,
    parameters=lambda h: {},
    output=lambda h, inputs: _im2col(inputs[0], h),
    work=lambda h, inputs, out: FREE,
    examples=(Example("nn.Unfold(2, stride=2)", ((1, 3, 4, 4),), (1, 12, 4), 0, 0, 0),),
)


# ---------------------------------------------------------------- diagonals and combinations of tensors
def diag_shape(x: Shape, diagonal: int) -> Shape:
    """`torch.diag`: a vector becomes a square matrix with it on the `diagonal`-th diagonal; a matrix gives
    that diagonal."""
    require(len(x) in (1, 2), f"diag expects a 1D or 2D tensor, got {list(x)}")
    if len(x) == 1:
        return (x[0] + abs(diagonal),) * 2
    return (_diagonal_length(x[0], x[1], diagonal),)


def _diagonal_length(rows: int, columns: int, offset: int) -> int:
    return max(0, min(rows, columns - offset) if offset >= 0 else min(rows + offset, columns))


def diagonal_shape(x: Shape, offset: int, dim1: int, dim2: int) -> Shape:
    d1, d2 = normalize_dim(dim1, len(x)), normalize_dim(dim2, len(x))
    require(d1 != d2, f"diagonal: dimensions {dim1} and {dim2} are the same")
    kept = tuple(s for i, s in enumerate(x) if i not in (d1, d2))
    return (*kept, _diagonal_length(x[d1], x[d2], offset))


def diag_embed_shape(x: Shape, offset: int, dim1: int, dim2: int) -> Shape:
    require(len(x) >= 1, "diag_embed expects at least a 1D tensor")
    rank = len(x) + 1
    d1, d2 = normalize_dim(dim1, rank), normalize_dim(dim2, rank)
    require(d1 != d2, f"diag_embed: dimensions {dim1} and {dim2} are the same")
    size = x[-1] + abs(offset)
    rest = iter(x[:-1])
    return tuple(size if i in (d1, d2) else next(rest) for i in range(rank))


def cartesian_prod_shape(shapes: list[Shape]) -> Shape:
    require(bool(shapes) and all(len(s) == 1 for s in shapes), "cartesian_prod expects 1D tensors")
    count = numel(tuple(s[0] for s in shapes))
    return (count,) if len(shapes) == 1 else (count, len(shapes))


def block_diag_shape(shapes: list[Shape]) -> Shape:
    require(all(len(s) <= 2 for s in shapes), "block_diag expects tensors of at most 2 dimensions")
    blocks = [(1, 1) if not s else (1, s[0]) if len(s) == 1 else s for s in shapes]
    return (sum(b[0] for b in blocks), sum(b[1] for b in blocks))


def combinations_shape(x: Shape, r: int, with_replacement: bool) -> Shape:
    require(len(x) == 1, f"combinations expects a 1D tensor, got {list(x)}")
    if r == 0:
        return (0,)
    n = x[0] + r - 1 if with_replacement else x[0]
    return (math.comb(n, r), r)


DIAGONALS = (
    *(_free(q, signature("input, diagonal", diagonal=0), lambda b: diag_shape(b["input"], b["diagonal"]),
            moves(spelled(q, "1"), ((3,),), (4, 4))) for q in ("torch.diag", "torch.Tensor.diag")),
    *(_free(q, signature("input, offset, dim1, dim2", offset=0, dim1=0, dim2=1),
            lambda b: diagonal_shape(b["input"], b["offset"], b["dim1"], b["dim2"]),
            moves(spelled(q, "offset=1, dim1=1, dim2=2"), ((2, 3, 4),), (2, 3)))
      for q in ("torch.diagonal", "torch.Tensor.diagonal")),
    *(_free(q, signature("input, offset, dim1, dim2", offset=0, dim1=-2, dim2=-1),
            lambda b: diag_embed_shape(b["input"], b["offset"], b["dim1"], b["dim2"]),
            moves(spelled(q, "offset=-1"), ((2, 3),), (2, 4, 4)))
      for q in ("torch.diag_embed", "torch.Tensor.diag_embed")),
    OpSpec("torch.cartesian_prod", signature("*tensors"), ("tensors",),
           output=lambda b: cartesian_prod_shape(list(b["tensors"])), work=lambda b, out: FREE,
           examples=(moves("torch.cartesian_prod(x, y)", ((2,), (3,)), (6, 2)),)),
    OpSpec("torch.block_diag", signature("*tensors"), ("tensors",),
           output=lambda b: block_diag_shape(list(b["tensors"])), work=lambda b, out: FREE,
           examples=(moves("torch.block_diag(x, y)", ((2, 3), (4,)), (3, 7)),)),
    # C(5, 3) combinations of 3
    _free("torch.combinations", signature("input, r, with_replacement", r=2, with_replacement=False),
          lambda b: combinations_shape(b["input"], b["r"], b["with_replacement"]),
          moves("torch.combinations(x, r=3)", ((5,),), (10, 3))),
)  # fmt: skip

SPECS = (*LAYERS, *OPS, *SHUFFLES, *JOINS, MESHGRID, *SWAPS, *COPIES, UNFOLD, FOLD, FOLD_LAYER, *DIAGONALS)


# ---------------------------------------------------------------- more moves: copies, stacks, atleast_*, movedim
def _copy_of(name: str, base: str, example: str) -> OpSpec:
    """`torch.permute_copy` and friends: the view's shape rule, as a fresh tensor (a copy, no arithmetic)."""
    spec = next(s for s in (*OPS, *SHUFFLES, *SWAPS, *COPIES) if s.qualname == base)
    return _free(f"torch.{name}", spec.params, spec.output, moves(example, spec.examples[0].inputs,
                                                                    spec.examples[0].output))  # fmt: skip


COPY_VARIANTS = (
    _copy_of("permute_copy", "torch.permute", "torch.permute_copy(x, (1, 0, 2))"),
    _copy_of("transpose_copy", "torch.transpose", "torch.transpose_copy(x, -1, -2)"),
    _copy_of("t_copy", "torch.t", "torch.t_copy(x)"),
    _copy_of("unsqueeze_copy", "torch.unsqueeze", "torch.unsqueeze_copy(x, -1)"),
    _copy_of("squeeze_copy", "torch.squeeze", "torch.squeeze_copy(x, 1)"),
    _copy_of("unbind_copy", "torch.unbind", "torch.unbind_copy(x)"),
    _copy_of("unfold_copy", "torch.Tensor.unfold", "torch.unfold_copy(x, 1, 2, 1)"),
    _copy_of("unsafe_split", "torch.split", "torch.unsafe_split(x, 1, 1)"),
    _copy_of("unsafe_chunk", "torch.chunk", "torch.unsafe_chunk(x, 3, 1)"),
)


def _split_sizes(bound: dict[str, Any]) -> list[Shape | None]:
    return split_shapes(bound["input"], list(bound["split_sizes"]), bound["dim"])


SIZED_COPIES = (
    *(
        _free(f"torch.{name}", signature("input, split_sizes, dim", dim=0), _split_sizes,
              moves(f"torch.{name}(x, [1, 2], 1)", ((2, 3),), (2, 1)))
        for name in ("split_with_sizes", "split_with_sizes_copy")
    ),
    _free("torch.Tensor.split_with_sizes", signature("input, split_sizes, dim", dim=0), _split_sizes,
          moves("x.split_with_sizes([1, 2], 1)", ((2, 3),), (2, 1))),
    _free("torch.view_copy", signature("input, size"), lambda b: view_shape(b["input"], tuple(b["size"]), "view_copy"),
          moves("torch.view_copy(x, (3, 2))", ((2, 3),), (3, 2))),
    _free("torch.expand_copy", signature("input, size, *, implicit", implicit=False),
          lambda b: expand_shape(b["input"], tuple(b["size"])),
          moves("torch.expand_copy(x, (4, 3))", ((1, 3),), (4, 3))),
    _free("torch.alias_copy", signature("input"), lambda b: b["input"],
          moves("torch.alias_copy(x)", ((2, 3),), (2, 3))),
    *(
        _free(f"{prefix}.ravel", signature("input"), lambda b: (numel(b["input"]),),
              moves("x.ravel()" if prefix == "torch.Tensor" else "torch.ravel(x)", ((2, 3),), (6,)))
        for prefix in ("torch", "torch.Tensor")
    ),
    _free("torch.unflatten", signature("input, dim, sizes"),
          next(s for s in SHUFFLES if s.qualname == "torch.Tensor.unflatten").output,
          moves("torch.unflatten(x, 1, (2, 2))", ((3, 4),), (3, 2, 2))),
)  # fmt: skip


def _dims(value: Any) -> tuple[int, ...]:
    return (value,) if isinstance(value, int) else tuple(value)


def movedim_shape(bound: dict[str, Any]) -> Shape:
    """`movedim(x, source, destination)`: the source dimensions land at the destinations, the others keep
    their order in the places left."""
    x = bound["input"]
    source = [normalize_dim(d, len(x)) for d in _dims(bound["source"])]
    destination = [normalize_dim(d, len(x)) for d in _dims(bound["destination"])]
    require(len(source) == len(destination), "movedim: source and destination must have the same length")
    order: list[int | None] = [None] * len(x)
    for s, d in zip(source, destination, strict=True):
        order[d] = s
    rest = iter(i for i in range(len(x)) if i not in source)
    return tuple(x[next(rest) if at is None else at] for at in order)


def atleast_shape(x: Shape, rank: int) -> Shape:
    """`atleast_1d/2d/3d`: a 0-d tensor becomes ones, a vector a row `(1, n)`, a matrix `(m, n, 1)` in 3-D."""
    if len(x) >= rank:
        return x
    if not x:
        return (1,) * rank
    if len(x) == 1:
        return (1, x[0]) if rank == 2 else (1, x[0], 1)
    return (*x, 1)


def _atleast(rank: int) -> Any:
    def output(bound: dict[str, Any]) -> Any:
        tensors = bound["tensors"]
        if len(tensors) == 1 and isinstance(tensors[0], list):  # atleast_2d([a, b]) or ((a, b),)
            return [atleast_shape(t, rank) for t in tensors[0]]
        if len(tensors) == 1:
            return atleast_shape(tensors[0], rank)
        return [atleast_shape(t, rank) for t in tensors]

    return output


def _stacked(rank: int, dim: int) -> Any:
    """hstack (1-D pieces joined along 0, others along 1), vstack (as 2-D, along 0), dstack (as 3-D, along 2),
    column_stack (vectors as columns, then along 1)."""

    def output(bound: dict[str, Any]) -> Shape:
        shapes = list(bound["tensors"])
        if rank == 0:  # column_stack
            shapes = [(numel(s), 1) if len(s) <= 1 else s for s in shapes]
            return cat_shape(shapes, 1, "column_stack")
        shapes = [atleast_shape(s, rank) for s in shapes]
        along = 0 if rank == 1 and len(shapes[0]) == 1 else dim
        return cat_shape(shapes, along)

    return output


STACKS = (
    *(
        OpSpec(f"{prefix}.{name}", signature("input, source, destination"), ("input",), movedim_shape,
               lambda b, out: FREE,
               (moves(f"x.{name}(0, -1)" if prefix == "torch.Tensor" else f"torch.{name}(x, 0, -1)", ((2, 3, 4),),
                      (3, 4, 2)),))
        for prefix in ("torch", "torch.Tensor") for name in ("movedim", "moveaxis")
    ),
    *(
        OpSpec(f"torch.atleast_{rank}d", signature("*tensors"), ("tensors",), _atleast(rank), lambda b, out: FREE,
               (moves(f"torch.atleast_{rank}d(x)", ((3,),), atleast_shape((3,), rank)),))
        for rank in (1, 2, 3)
    ),
    *(
        OpSpec(f"torch.{name}", signature("tensors, *, out", out=None), ("tensors",), _stacked(rank, dim),
               lambda b, out: FREE, (moves(f"torch.{name}((x, y))", ((2, 3), (2, 3)), shape),))
        for name, rank, dim, shape in (("hstack", 1, 1, (2, 6)), ("vstack", 2, 0, (4, 3)), ("dstack", 3, 2, (2, 3, 2)),
                                       ("column_stack", 0, 1, (2, 6)))
    ),
)  # fmt: skip


def _directional_split(name: str) -> Any:
    """hsplit (dim 1, or 0 for a vector), vsplit (dim 0), dsplit (dim 2): `tensor_split` into equal sections
    (which must divide the size) or at indices."""

    def output(bound: dict[str, Any]) -> list[Shape | None] | None:
        x, given = bound["input"], bound["indices_or_sections"]
        dim = {"vsplit": 0, "dsplit": 2}.get(name, 0 if len(x) == 1 else 1)
        require(len(x) > dim, f"torch.{name} needs a tensor of at least {dim + 1} dimensions, got {list(x)}")
        if isinstance(given, int):
            require(given > 0 and x[dim] % given == 0, f"torch.{name}: {given} sections do not divide {x[dim]}")
        return tensor_split_shapes(
            {"input": x, "dim": dim, "indices_or_sections": given, "sections": None, "indices": None}
        )

    return output


SPLITS = (
    *(
        _free(f"{prefix}.{name}", signature("input, indices_or_sections"), _directional_split(name),
              moves(f"x.{name}(2)" if prefix == "torch.Tensor" else f"torch.{name}(x, 2)", ((4, 4, 4),), shape))
        for prefix in ("torch", "torch.Tensor")
        for name, shape in (("hsplit", (4, 2, 4)), ("vsplit", (2, 4, 4)), ("dsplit", (4, 4, 2)))
    ),
    _free("torch.Tensor.unsafe_split", signature("input, split_size, dim", dim=0),
          lambda b: split_shapes(b["input"], b["split_size"], b["dim"]),
          moves("x.unsafe_split(1, 1)", ((2, 3),), (2, 1))),
    _free("torch.Tensor.unsafe_chunk", signature("input, chunks, dim", dim=0),
          lambda b: chunk_shapes(b["input"], b["chunks"], b["dim"]), moves("x.unsafe_chunk(3, 1)", ((2, 3),), (2, 1))),
)  # fmt: skip


def _broadcast_tensors(bound: dict[str, Any]) -> list[Shape]:
    shapes = bound["tensors"]
    if len(shapes) == 1 and isinstance(shapes[0], list):
        shapes = shapes[0]
    shape: Shape = ()
    for other in shapes:
        shape = broadcast(shape, other)
    return [shape for _ in shapes]


DIAGONALS_MORE = (
    OpSpec("torch.linalg.diagonal", signature("A, *, offset, dim1, dim2", offset=0, dim1=-2, dim2=-1), ("A",),
           lambda b: diagonal_shape(b["A"], b["offset"], b["dim1"], b["dim2"]), lambda b, out: FREE,
           (moves("torch.linalg.diagonal(x)", ((2, 3, 4),), (2, 3)),)),
    _free("torch.diagonal_copy", signature("input, offset, dim1, dim2", offset=0, dim1=0, dim2=1),
          lambda b: diagonal_shape(b["input"], b["offset"], b["dim1"], b["dim2"]),
          moves("torch.diagonal_copy(x)", ((3, 4),), (3,))),
    *(
        _free(f"{prefix}.diagflat", signature("input, offset", offset=0),
              lambda b: (numel(b["input"]) + abs(b["offset"]),) * 2,
              moves("x.diagflat()" if prefix == "torch.Tensor" else "torch.diagflat(x)", ((2, 3),), (6, 6)))
        for prefix in ("torch", "torch.Tensor")
    ),
    _free("torch.broadcast_to", signature("input, size"), lambda b: expand_shape(b["input"], tuple(b["size"])),
          moves("torch.broadcast_to(x, (4, 3))", ((1, 3),), (4, 3))),
    # the method, like expand, also takes the sizes one by one: x.broadcast_to(b, n, c)
    _free("torch.Tensor.broadcast_to", sizes_signature("size"),
          lambda b: expand_shape(b["input"], sizes_given(b, "size")),
          moves("x.broadcast_to(2, 4, 3)", ((1, 3),), (2, 4, 3))),
    OpSpec("torch.broadcast_tensors", signature("*tensors"), ("tensors",), _broadcast_tensors, lambda b, out: FREE,
           (moves("torch.broadcast_tensors(x, y)", ((2, 1), (3,)), (2, 3)),)),
    _free("torch.constant_pad_nd", signature("input, pad, value", value=0),
          lambda b: _pad_shape(b["input"], tuple(b["pad"])),
          moves("torch.constant_pad_nd(x, (1, 1))", ((2, 3),), (2, 5))),
    *(
        _free(f"torch.fft.{name}", signature("input, dim", dim=None), lambda b: b["input"],
              moves(f"torch.fft.{name}(x)", ((2, 3),), (2, 3)))
        for name in ("fftshift", "ifftshift")
    ),
)  # fmt: skip
"""More diagonals, broadcasts, padding and the FFT's shifts (rolls): no arithmetic."""

SPECS = (*SPECS, *COPY_VARIANTS, *SIZED_COPIES, *STACKS, *SPLITS, *DIAGONALS_MORE)
