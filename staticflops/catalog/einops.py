"""einops (0.8): `rearrange`, `repeat`, `reduce`, `einsum`, `pack`, `unpack`, and the torch layers
`Rearrange`, `Reduce` and `EinMix`, their shapes read from the pattern strings as einops parses them.

A pattern is checked when einops checks it: a malformed one (an axis on one side only, nested
brackets, a repeated axis without its size) raises einops' own error where the call or the layer's
construction is (`RaisedError`); one that does not fit the tensor (a rank or a length that
disagrees, an axis that does not divide) is a shape error (SF201, SF202) at the call.

The work is what einops asks torch for. `rearrange` and `repeat` only reshape, permute and expand
(no arithmetic); `reduce` is one torch reduction over the reduced axes, priced like torch's (`sum`
n − 1 additions per output, `mean` one division more, `max`/`min` n − 1 comparisons, `prod` n − 1
multiplications, priced as a sum), and nothing when no axis is reduced, since einops then calls
none; `einsum` and `EinMix` are `torch.einsum`, priced like the catalog's `torch.einsum` (every
combination of all axes is one product), `EinMix` adding its bias to every output element.
"""

from __future__ import annotations

import dataclasses
import math
import string
from dataclasses import dataclass
from typing import Any

from staticflops.catalog.spec import (
    FREE,
    Example,
    Hyper,
    LayerSpec,
    OpSpec,
    RaisedError,
    Shape,
    ShapeError,
    Work,
    WorkKind,
    contracted,
    numel,
    require,
)
from staticflops.diagnostics import SF202
from staticflops.interpreter.calls import signature

ELLIPSIS = "…"
"""What `...` stands for once parsed (einops uses the same single character)."""

REDUCTIONS: dict[str, WorkKind] = {
    "sum": WorkKind.REDUCE_SUM,
    "mean": WorkKind.REDUCE_MEAN,
    "max": WorkKind.REDUCE_MAX,
    "min": WorkKind.REDUCE_MAX,
    "prod": WorkKind.REDUCE_SUM,  # n − 1 multiplications per output, as a sum's n − 1 additions
    "any": WorkKind.REDUCE_MAX,  # a boolean max
    "all": WorkKind.REDUCE_MAX,  # a boolean min
}
"""einops' reductions by name, and the work each is (`einops.reduce` accepts all seven)."""
LAYER_REDUCTIONS = ("min", "max", "sum", "mean", "prod")
"""What the `Reduce` layer's torch forward can compute: it raises for any other reduction."""


# ---------------------------------------------------------------- parsing
class Anonymous:
    """A numbered axis (`2` in `(h 2)`): each occurrence is an axis of its own, as in einops."""

    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"{self.value}-axis"


Axis = str | Anonymous


@dataclass
class Expression:
    """One side of a pattern (`b c (h w)`), as einops' ParsedExpression holds it."""

    composition: list[Any]
    """Groups of axes in order (a list each, empty for `()` and for `1`), or ELLIPSIS."""
    identifiers: set[Any]
    has_ellipsis: bool = False
    ellipsis_parenthesized: bool | None = None
    non_unitary_anonymous: bool = False

    def flat(self) -> list[Any]:
        """Every axis in order, groups opened; ELLIPSIS kept where it stands."""
        axes: list[Any] = []
        for group in self.composition:
            axes.extend([group] if group == ELLIPSIS else group)
        return axes


def _axis_name_problem(name: str, allow_underscore: bool = False) -> str | None:
    if not name.isidentifier():
        return "not a valid python identifier"
    if name.startswith("_") or name.endswith("_"):
        if name == "_" and allow_underscore:
            return None
        return "axis name should should not start or end with underscore"
    return None


def parse_expression(text: str, *, allow_underscore: bool = False, allow_duplicates: bool = False) -> Expression:
    """einops' parser: names, numbers, `(...)` groups one level deep, one `...`."""
    expression = Expression([], set())
    if "." in text:
        if "..." not in text:
            raise RaisedError("Expression may contain dots only inside ellipsis (...)")
        if text.count("...") != 1 or text.count(".") != 3:
            raise RaisedError("Expression may contain dots only inside ellipsis (...); only one ellipsis for tensor ")
        text = text.replace("...", ELLIPSIS)
        expression.has_ellipsis = True
    group: list[Any] | None = None

    def add(name: str) -> None:
        if name in expression.identifiers and not (allow_underscore and name == "_") and not allow_duplicates:
            raise RaisedError(f'Indexing expression contains duplicate dimension "{name}"')
        if name == ELLIPSIS:
            expression.identifiers.add(ELLIPSIS)
            if group is None:
                expression.composition.append(ELLIPSIS)
                expression.ellipsis_parenthesized = False
            else:
                group.append(ELLIPSIS)
                expression.ellipsis_parenthesized = True
            return
        number = name.isdecimal()
        if number and int(name) == 1:  # a length-1 axis: an empty group outside brackets, nothing inside
            if group is None:
                expression.composition.append([])
            return
        problem = None if number else _axis_name_problem(name, allow_underscore)
        if problem is not None:
            raise RaisedError(f"Invalid axis identifier: {name}\n{problem}")
        axis: Axis = name
        if number:
            if int(name) < 1:
                raise RaisedError(f"Anonymous axis should have positive length, not {int(name)}")
            axis = Anonymous(int(name))
            expression.non_unitary_anonymous = True
        expression.identifiers.add(axis)
        if group is None:
            expression.composition.append([axis])
        else:
            group.append(axis)

    current: str | None = None
    for char in text:
        if char in "() ":
            if current is not None:
                add(current)
            current = None
            if char == "(":
                if group is not None:
                    raise RaisedError("Axis composition is one-level (brackets inside brackets not allowed)")
                group = []
            elif char == ")":
                if group is None:
                    raise RaisedError("Brackets are not balanced")
                expression.composition.append(group)
                group = None
        elif char.isalnum() or char in ("_", ELLIPSIS):
            current = char if current is None else current + char
        else:
            raise RaisedError(f"Unknown character '{char}'")
    if group is not None:
        raise RaisedError(f'Imbalanced parentheses in expression: "{text}"')
    if current is not None:
        add(current)
    return expression


def _sides(pattern: Any) -> tuple[str, str]:
    if not isinstance(pattern, str):
        raise RaisedError(f"a pattern must be a string, not {type(pattern).__name__}", "TypeError")
    parts = pattern.split("->")
    if len(parts) != 2:
        got = f"expected 2, got {len(parts)}"
        raise RaisedError(f"{'too many' if len(parts) > 2 else 'not enough'} values to unpack ({got})", "ValueError")
    return parts[0], parts[1]


def _named(axes: set[Any]) -> str:
    return "{" + ", ".join(repr(a) for a in sorted(axes, key=str)) + "}"


# ---------------------------------------------------------------- rearrange, repeat, reduce
@dataclass(frozen=True)
class Recipe:
    """A pattern checked for one operation ("rearrange", "repeat", a reduction's name, or "" for a callable)."""

    pattern: str
    operation: str
    left: Expression
    right: Expression


def prepare(pattern: Any, operation: str, axes_names: tuple[str, ...]) -> Recipe:
    """einops' checks that depend on the pattern and the names of the given lengths, not on any shape."""
    left_text, right_text = _sides(pattern)
    left, right = parse_expression(left_text), parse_expression(right_text)
    if not left.has_ellipsis and right.has_ellipsis:
        raise RaisedError(f"Ellipsis found in right side, but not left side of a pattern {pattern}")
    if left.has_ellipsis and left.ellipsis_parenthesized:
        raise RaisedError(f"Ellipsis inside parenthesis in the left side is not allowed: {pattern}")
    if operation == "rearrange":
        if left.non_unitary_anonymous or right.non_unitary_anonymous:
            raise RaisedError("Non-unitary anonymous axes are not supported in rearrange (exception is length 1)")
        difference = left.identifiers ^ right.identifiers
        if difference:
            raise RaisedError(f"Identifiers only on one side of expression (should be on both): {_named(difference)}")
    elif operation == "repeat":
        difference = left.identifiers - right.identifiers
        if difference:
            raise RaisedError(f"Unexpected identifiers on the left side of repeat: {_named(difference)}")
        unsized = {a for a in right.identifiers if not isinstance(a, Anonymous)} - left.identifiers - set(axes_names)
        if unsized:
            raise RaisedError(f"Specify sizes for new axes in repeat: {_named(unsized)}")
    elif operation in REDUCTIONS or operation == "":
        difference = right.identifiers - left.identifiers
        if difference:
            raise RaisedError(f"Unexpected identifiers on the right side of reduce {operation}: {_named(difference)}")
    else:
        raise RaisedError(f"Unknown reduction {operation}. Expect one of {tuple(REDUCTIONS)}.")
    axes = {a for a in left.identifiers | right.identifiers if a != ELLIPSIS}
    for name in axes_names:
        if _axis_name_problem(name) is not None:
            raise RaisedError(f"('Invalid name for an axis', '{name}')")
        if name not in axes:
            raise RaisedError(f"Axis {name} is not used in transform")
    for group in left.composition:
        if group == ELLIPSIS:
            continue
        unknown = {a for a in group if isinstance(a, str) and a not in axes_names}
        if len(unknown) > 1:
            raise RaisedError(f"Could not infer sizes for {_named(unknown)}")
    return Recipe(pattern, operation, left, right)


@dataclass(frozen=True)
class Applied:
    output: Shape
    reduced_axes: int
    """How many elementary axes the reduction runs over (none: einops calls no reduction)."""


def apply(recipe: Recipe, shape: Shape, lengths: dict[str, int]) -> Applied:
    """The output shape of `recipe` on a tensor of `shape`, as einops reconstructs it."""
    left, right = recipe.left, recipe.right
    ndim = len(shape)
    left_groups = [g for g in left.composition if g != ELLIPSIS]
    right_groups: list[list[Any]] = []
    if left.has_ellipsis:
        others = len(left.composition) - 1
        require(ndim >= others, f"Wrong shape: expected >={others} dims. Received {ndim}-dim tensor.")
        ellipsis = [f"{ELLIPSIS}{i}" for i in range(ndim - others)]
        at = left.composition.index(ELLIPSIS)
        left_groups = [*left.composition[:at], *([a] for a in ellipsis), *left.composition[at + 1 :]]
        for group in right.composition:
            if group == ELLIPSIS:
                right_groups.extend([a] for a in ellipsis)
            else:
                right_groups.append([b for a in group for b in (ellipsis if a == ELLIPSIS else [a])])
    else:
        require(ndim == len(left_groups), f"Wrong shape: expected {len(left_groups)} dims. Received {ndim}-dim tensor.")
        right_groups = list(right.composition)
    known: dict[Any, int | None] = {}
    for group in left_groups:
        for axis in group:
            known[axis] = axis.value if isinstance(axis, Anonymous) else lengths.get(axis)
    for group in right_groups:
        for axis in group:
            if axis not in known:
                known[axis] = axis.value if isinstance(axis, Anonymous) else lengths.get(axis)
    for length, group in zip(shape, left_groups, strict=True):
        unknown = [a for a in group if known[a] is None]
        product = math.prod(known[a] for a in group if known[a] is not None)  # type: ignore[misc]
        if not unknown:
            require(length == product, f"Shape mismatch, {length} != {product}", expected=product, actual=length)
        else:
            require(
                product > 0 and length % product == 0,
                f"Shape mismatch, can't divide axis of length {length} in chunks of {product}",
                SF202,
            )
            known[unknown[0]] = length // product
    output = tuple(math.prod(known[a] for a in group) for group in right_groups)  # type: ignore[misc]
    kept = {a for group in right_groups for a in group}
    reduced = sum(1 for group in left_groups for a in group if a not in kept)
    return Applied(output, reduced)


def stacked(tensor: Any) -> Shape:
    """The input's shape; a list of tensors is stacked first (`torch.stack`), so they must agree."""
    if not isinstance(tensor, list):
        return tensor
    first = tensor[0]
    for index, shape in enumerate(tensor):
        require(
            shape == first,
            f"stack expects each tensor to be equal size, but got {list(first)} at entry 0 and {list(shape)} "
            f"at entry {index}",
        )
    return (len(tensor), *first)


def _lengths(bound: dict[str, Any]) -> dict[str, int]:
    return dict(bound.get("axes_lengths") or {})


def _applied(bound: dict[str, Any], operation: str) -> Applied:
    shape = stacked(bound["tensor"])
    lengths = _lengths(bound)
    recipe = prepare(bound["pattern"], operation, tuple(lengths))
    try:
        return apply(recipe, shape, lengths)
    except ShapeError as error:
        raise _located(error, bound["pattern"], shape) from None


def _located(error: ShapeError, pattern: str, shape: Shape) -> ShapeError:
    """The error with the pattern and the input's shape before einops' own words, as einops says them."""
    located = ShapeError(error.code, f"'{pattern}' on a tensor of shape {list(shape)}: {error.message}")
    located.expected, located.actual = error.expected, error.actual
    return located


def reduction_name(reduction: Any) -> str:
    """A reduction given by name, or "" for a callable one (`torch.logsumexp`)."""
    return reduction if isinstance(reduction, str) else ""


def reduce_work(input_shape: Shape, applied: Applied, reduction: str) -> Work | None:
    """One torch reduction of every input element into the outputs; None for a callable's unknown cost."""
    if applied.reduced_axes == 0:
        return FREE
    if not reduction:
        return None
    count = numel(input_shape)
    return Work(REDUCTIONS[reduction], outputs=numel(applied.output), reduced=count, inputs=count)


def _rearrange(qualname: str, operation: str) -> OpSpec:
    verb = qualname.rsplit(".", 1)[1]
    examples = {
        "rearrange": Example("einops.rearrange(x, 'b c h w -> b h w c')", ((2, 3, 4, 5),), (2, 4, 5, 3), 0, 0, 0),
        # a new axis of 3: an expand, no arithmetic
        "repeat": Example("einops.repeat(x, 'h w -> h w c', c=3)", ((2, 3),), (2, 3, 3), 0, 0, 0),
    }
    return OpSpec(
        qualname,
        signature("tensor, pattern, **axes_lengths"),
        ("tensor",),
        lambda b: _applied(b, operation).output,
        lambda b, out: FREE,
        (examples[verb],),
    )


def _reduce_output(bound: dict[str, Any]) -> Shape:
    return _applied(bound, reduction_name(bound["reduction"])).output


def _reduce_work(bound: dict[str, Any], out: Shape) -> Work | None:
    reduction = reduction_name(bound["reduction"])
    return reduce_work(stacked(bound["tensor"]), _applied(bound, reduction), reduction)


REDUCE = OpSpec(
    "einops.reduce",
    signature("tensor, pattern, reduction, **axes_lengths"),
    ("tensor",),
    _reduce_output,
    _reduce_work,  # type: ignore[arg-type]
    # 6 outputs, each the mean of 4·5 = 20 elements: 19 additions and a division
    (Example("einops.reduce(x, 'b c h w -> b c', 'mean')", ((2, 3, 4, 5),), (2, 3), 0, 120, 0),),
)


# ---------------------------------------------------------------- einsum
def einsum_terms(pattern: Any) -> tuple[list[list[Any]], list[Any]]:
    """`einops.einsum`'s pattern (`"b i j, b j k -> b i k"`): each operand's axes, and the output's."""
    if not isinstance(pattern, str):
        raise RaisedError(
            "The last argument passed to `einops.einsum` must be a string, representing the einsum pattern.",
            "ValueError",
        )
    if "->" not in pattern:
        raise RaisedError("Einsum pattern must contain '->'.", "ValueError")
    lefts_text, right_text = _sides(pattern)
    lefts = [parse_expression(t, allow_underscore=True, allow_duplicates=True) for t in lefts_text.split(",")]
    right = parse_expression(right_text, allow_underscore=True)

    def axes(expression: Expression) -> list[Any]:
        found: list[Any] = []
        for group in expression.composition:
            if group == ELLIPSIS:
                found.append(ELLIPSIS)
                continue
            if len(group) == 0:
                raise RaisedError("Singleton () axes are not yet supported in einsum.", "NotImplementedError")
            if len(group) > 1:
                raise RaisedError("Shape rearrangement is not yet supported in einsum.", "NotImplementedError")
            if isinstance(group[0], Anonymous):
                raise RaisedError("Anonymous axes are not yet supported in einsum.", "NotImplementedError")
            found.append(group[0])
        return found

    terms = [axes(left) for left in lefts]
    named = {a for term in terms for a in term}
    output = axes(right)
    for axis in output:
        if axis not in named:
            raise RaisedError(f"Unknown axis {axis} on right side of einsum {pattern}.")
    if len(named - {ELLIPSIS}) > len(string.ascii_letters):
        raise RaisedError("Too many axes in einsum.", "RuntimeError")
    return terms, output


@dataclass(frozen=True)
class Contraction:
    """An einsum on known shapes: each operand's axes and the output's, `...` spelled out, and every
    axis' size."""

    terms: list[list[str]]
    output: list[str]
    sizes: dict[str, int]

    @property
    def shape(self) -> Shape:
        return tuple(self.sizes[a] for a in self.output)


def einsum_sizes(terms: list[list[Any]], output: list[Any], shapes: list[Shape], what: str = "einsum") -> Contraction:
    """torch.einsum's shape rule on named axes: `...` covers an operand's remaining dimensions, all
    broadcast together right-aligned; an axis of size 1 broadcasts; axes not in the output are summed."""
    if len(terms) != len(shapes):
        more = "more" if len(shapes) > len(terms) else "fewer"
        raise RaisedError(f"einsum(): {more} operands were provided than specified in the equation", "RuntimeError")
    ranks: list[int] = []
    for index, (term, shape) in enumerate(zip(terms, shapes, strict=True)):
        named = len([a for a in term if a != ELLIPSIS])
        if ELLIPSIS in term:
            require(
                len(shape) >= named,
                f"{what}: {named} axes named for operand {index} of {len(shape)} dimensions, shape {list(shape)}",
            )
        else:
            require(
                len(shape) == named,
                f"{what}: {named} axes named for operand {index} of {len(shape)} dimensions, shape {list(shape)}",
            )
        ranks.append(len(shape) - named)
    spread = max(ranks, default=0)
    sizes: dict[Any, int] = {}
    spelled: list[list[str]] = []
    for term, shape, rank in zip(terms, shapes, ranks, strict=True):
        axes = [
            b for a in term for b in ([f"{ELLIPSIS}{spread - rank + i}" for i in range(rank)] if a == ELLIPSIS else [a])
        ]
        spelled.append(axes)
        for axis, size in zip(axes, shape, strict=True):
            seen = sizes.get(axis, size)
            name = "an axis of '...'" if axis.startswith(ELLIPSIS) else f"axis '{axis}'"
            require(
                seen == size or size == 1 or seen == 1,
                f"{what}: {name} has size {seen} and {size}",
                expected=seen,
                actual=size,
            )
            sizes[axis] = max(seen, size)
    out_axes = [b for a in output for b in ([f"{ELLIPSIS}{i}" for i in range(spread)] if a == ELLIPSIS else [a])]
    return Contraction(spelled, out_axes, sizes)


def einsum_work(einsum: Contraction, bias: bool = False) -> Work:
    """As the catalog's torch.einsum: every combination of all axes is one product, summed into its output."""
    products = math.prod(einsum.sizes.values())
    outputs = numel(einsum.shape)
    if len(einsum.terms) == 1:
        return Work(WorkKind.REDUCE_SUM, outputs=outputs, reduced=products)
    bmm = contracted(einsum.terms, einsum.output, einsum.sizes)
    return Work(WorkKind.MATMUL, outputs=outputs, macs=products * (len(einsum.terms) - 1), bias=bias, bmm=bmm)


def _einsum_parts(bound: dict[str, Any]) -> tuple[list[list[Any]], list[Any], list[Shape]]:
    terms, output = einsum_terms(bound["pattern"])
    return terms, output, list(bound["tensors"])


def _einsum_output(bound: dict[str, Any]) -> Shape:
    return einsum_sizes(*_einsum_parts(bound), "einops.einsum").shape


def _einsum_work(bound: dict[str, Any], out: Shape) -> Work:
    return einsum_work(einsum_sizes(*_einsum_parts(bound), "einops.einsum"))


EINSUM = OpSpec(
    "einops.einsum",
    # einops takes the tensors first and the pattern last; the namespace passes the pattern first
    signature("pattern, *tensors"),
    ("tensors",),
    _einsum_output,
    _einsum_work,
    # every (b, i, j, k): 2·3·4·5 = 120 products into 30 outputs, as torch.einsum('bij,bjk->bik')
    (Example("einops.einsum(x, y, 'b i j, b j k -> b i k')", ((2, 3, 4), (2, 4, 5)), (2, 3, 5), 0, 210, 120),),
)


# ---------------------------------------------------------------- pack, unpack
def pack_axes(pattern: Any, name: str) -> tuple[int, int]:
    """`'b * c'`: the axes before and after the packed `*`."""
    if not isinstance(pattern, str):
        raise RaisedError(f"a pattern must be a string, not {type(pattern).__name__}", "TypeError")
    axes = pattern.split()
    if len(axes) != len(set(axes)):
        raise RaisedError(f'Duplicates in axes names in {name}(..., "{pattern}")')
    if "*" not in axes:
        raise RaisedError(f'No *-axis in {name}(..., "{pattern}")')
    for axis in axes:
        if axis != "*" and _axis_name_problem(axis) is not None:
            raise RaisedError(f'Invalid axis name {axis} in {name}(..., "{pattern}")')
    before = axes.index("*")
    return before, len(axes) - before - 1


def packed_shapes(shapes: list[Shape], pattern: str) -> list[Shape]:
    """What `pack` returns beside the tensor: each input's dimensions that `*` covers."""
    before, after = pack_axes(pattern, "pack")
    return [tuple(shape[before : len(shape) - after]) for shape in shapes]


def _pack_output(bound: dict[str, Any]) -> Shape:
    shapes, pattern = bound["tensors"], bound["pattern"]
    before, after = pack_axes(pattern, "pack")
    require(bool(shapes), "pack() of no tensors: torch.cat() expects a non-empty list of tensors")
    rows: list[Shape] = []
    for index, shape in enumerate(shapes):
        require(
            len(shape) >= before + after,
            f"packed tensor #{index} (enumeration starts with 0) has shape {tuple(shape)}, while pattern "
            f"{pattern} assumes at least {before + after} axes",
        )
        packed = math.prod(shape[before : len(shape) - after])
        rows.append((*shape[:before], packed, *shape[len(shape) - after :]))
    first = rows[0]
    for index, row in enumerate(rows):
        for dim, (a, b) in enumerate(zip(first, row, strict=True)):
            require(
                dim == before or a == b,
                f"torch.cat(): sizes of tensors must match except in dimension {before}. Expected size {a} but "
                f"got size {b} for tensor number {index} in the list",
                expected=a,
                actual=b,
            )
    return (*first[:before], sum(row[before] for row in rows), *first[before + 1 :])


PACK = OpSpec(
    "einops.pack",
    signature("tensors, pattern"),
    ("tensors",),
    _pack_output,
    lambda b, out: FREE,
    # (2, 3, 4) and (2, 5, 6, 4) packed along `*`: 3 + 5·6 = 33; a reshape and a concatenation
    (Example("einops.pack([x, y], 'b * c')", ((2, 3, 4), (2, 5, 6, 4)), (2, 33, 4), 0, 0, 0),),
)


def _unpack_output(bound: dict[str, Any]) -> list[Shape]:
    shape, pattern = bound["tensor"], bound["pattern"]
    before, after = pack_axes(pattern, "unpack")
    wanted = [tuple(p) for p in bound["packed_shapes"]]
    require(
        len(shape) == before + 1 + after,
        f"unpack(..., {pattern}) received input of wrong dim with shape {tuple(shape)}",
    )
    lengths = [-1 if -1 in p else math.prod(p) for p in wanted]
    if lengths.count(-1) > 1:
        raise RaisedError(f"unpack(..., {pattern}) received more than one -1 in {wanted} and can't infer dimensions")
    total = shape[before]
    if -1 in lengths:
        rest = total - sum(n for n in lengths if n != -1)
        at = lengths.index(-1)
        known = math.prod(d for d in wanted[at] if d != -1)
        fits = rest >= 0 and known > 0 and rest % known == 0
        lengths[at] = rest
        if fits:
            wanted[at] = tuple(rest // known if d == -1 else d for d in wanted[at])
    else:
        fits = sum(lengths) == total
    require(
        fits,
        f'Error during unpack(..., "{pattern}"): could not split axis of size {total} into requested '
        f"{[tuple(p) for p in bound['packed_shapes']]}",
        SF202,
    )
    return [(*shape[:before], *p, *shape[before + 1 :]) for p in wanted]


UNPACK = OpSpec(
    "einops.unpack",
    signature("tensor, packed_shapes, pattern"),
    ("tensor",),
    _unpack_output,
    lambda b, out: FREE,
    # 14 = 2 + 3·4 split back: slices and reshapes
    (Example("einops.unpack(x, [(2,), (3, 4)], 'b * c')", ((2, 14, 5),), (2, 2, 5), 0, 0, 0),),
)


# ---------------------------------------------------------------- the layers
LAYERS = "einops.layers.torch"


def _layer_lengths(bound: dict[str, Any]) -> dict[str, Any]:
    lengths = dict(bound.get("axes_lengths") or {})
    for name, value in lengths.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise RaisedError(f"axis length {name}={value!r} is not an integer", "TypeError")
    return lengths


def _rearrange_attributes(bound: dict[str, Any], operation: str | None = None) -> dict[str, Any]:
    lengths = _layer_lengths(bound)
    reduction = bound.get("reduction", "rearrange") if operation is None else operation
    if isinstance(reduction, str) and reduction not in ("rearrange", *REDUCTIONS):
        raise RaisedError(f"Unknown reduction {reduction}. Expect one of {tuple(REDUCTIONS)}.")
    prepare(bound["pattern"], reduction_name(reduction), tuple(lengths))
    attributes = {"pattern": bound["pattern"], "axes_lengths": lengths}
    if "reduction" in bound:
        attributes["reduction"] = bound["reduction"]
    return attributes


def _layer_applied(h: Hyper, inputs: list[Shape]) -> Applied:
    reduction = reduction_name(h.get("reduction", "rearrange"))
    lengths = dict(h["axes_lengths"])
    recipe = prepare(h["pattern"], reduction, tuple(lengths))
    try:
        return apply(recipe, inputs[0], lengths)
    except ShapeError as error:
        raise _located(error, h["pattern"], inputs[0]) from None


def _reduce_layer_work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
    applied = _layer_applied(h, inputs)
    reduction = h["reduction"]
    if applied.reduced_axes and reduction not in LAYER_REDUCTIONS:
        raise RaisedError(f"('Unknown reduction ', {reduction!r})", "NotImplementedError")
    return reduce_work(inputs[0], applied, reduction) or FREE


REARRANGE_LAYER = LayerSpec(
    f"{LAYERS}.Rearrange",
    init=signature("pattern, **axes_lengths"),
    attributes=lambda b: _rearrange_attributes(b, "rearrange"),
    parameters=lambda h: {},
    output=lambda h, inputs: _layer_applied(h, inputs).output,
    work=lambda h, inputs, out: FREE,
    # ViT's patch embedding on 4×4 images of 2×2 patches: 4 patches of 2·2·3 values; a reshape and a permute
    examples=(
        Example(
            "einops.layers.torch.Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=2, p2=2)",
            ((1, 3, 4, 4),),
            (1, 4, 12),
            0,
            0,
            0,
        ),
    ),
)

REDUCE_LAYER = LayerSpec(
    f"{LAYERS}.Reduce",
    init=signature("pattern, reduction, **axes_lengths"),
    attributes=_rearrange_attributes,
    parameters=lambda h: {},
    output=lambda h, inputs: _layer_applied(h, inputs).output,
    work=_reduce_layer_work,
    # 2×2 max pooling: 12 outputs of 4 elements, 3 comparisons each
    examples=(
        Example("einops.layers.torch.Reduce('b c (h h2) (w w2) -> b c h w', 'max', h2=2, w2=2)",
                ((1, 3, 4, 4),), (1, 3, 2, 2), 0, 36, 0),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Mix:
    """An EinMix layer as einops builds it: the rearranges around one einsum with its weight."""

    pre_pattern: str | None
    pre_lengths: dict[str, int]
    post_pattern: str | None
    input_axes: list[Any]
    weight_axes: list[str]
    output_axes: list[Any]
    weight_shape: Shape
    bias_shape: Shape | None
    einsum_pattern: str


def _report(axes: set[Any], message: str) -> None:
    if axes:
        raise RaisedError(message.format(_named(axes)))


def prepare_mix(pattern: Any, weight_shape: Any, bias_shape: Any, lengths: dict[str, Any]) -> Mix:
    """einops' `initialize_einmix`, in its order, with its errors."""
    left_text, right_text = _sides(pattern)
    if not isinstance(weight_shape, str):
        raise RaisedError(f"weight_shape must be a string, not {type(weight_shape).__name__}", "TypeError")
    left, right, weight = parse_expression(left_text), parse_expression(right_text), parse_expression(weight_shape)
    _report(
        right.identifiers - left.identifiers - weight.identifiers,
        "Unrecognized identifiers on the right side of EinMix {}",
    )
    if weight.has_ellipsis:
        raise RaisedError("Ellipsis is not supported in weight, as its shape should be fully specified")
    if left.has_ellipsis or right.has_ellipsis:
        if not (left.has_ellipsis and right.has_ellipsis):
            raise RaisedError(f"Ellipsis in EinMix should be on both sides, {pattern}")
        if left.ellipsis_parenthesized:
            raise RaisedError(f"Ellipsis on left side can't be in parenthesis, got {pattern}")
    if left.non_unitary_anonymous or right.non_unitary_anonymous or weight.non_unitary_anonymous:
        raise RaisedError("Anonymous axes (numbers) are not allowed in EinMix")
    if "(" in weight_shape or ")" in weight_shape:
        raise RaisedError(f"Parenthesis is not allowed in weight shape: {weight_shape}")

    def spelled(expression: Expression) -> str:
        return " ".join("..." if a == ELLIPSIS else a for a in expression.flat())

    def regrouped(expression: Expression) -> bool:
        return any(group != ELLIPSIS and len(group) != 1 for group in expression.composition)

    pre_pattern = post_pattern = None
    pre_lengths: dict[str, int] = {}
    if regrouped(left):
        pre_pattern = f"{left_text}-> {spelled(left)}"
        pre_lengths = {name: size for name, size in lengths.items() if name in left.flat()}
    if regrouped(right) or right.ellipsis_parenthesized:
        post_pattern = f"{spelled(right)} ->{right_text}"
    if pre_pattern is not None:
        prepare(pre_pattern, "rearrange", tuple(pre_lengths))
    if post_pattern is not None:
        prepare(post_pattern, "rearrange", ())
    for axis in weight.identifiers:
        if axis not in lengths:
            raise RaisedError(f"Dimension {axis} of weight should be specified")
    _report(set(lengths) - left.identifiers - weight.identifiers, "Axes {} are not used in pattern")
    _report(weight.identifiers - left.identifiers - right.identifiers, "Weight axes {} are redundant")
    for name, size in lengths.items():
        if not isinstance(size, int) or isinstance(size, bool):
            raise RaisedError(f"axis length {name}={size!r} is not an integer", "TypeError")
    weight_axes = [group[0] for group in weight.composition if group]
    bias = None
    if bias_shape is not None:
        if not isinstance(bias_shape, str):
            raise RaisedError("bias shape should be string specifying which axes bias depends on")
        parsed = parse_expression(bias_shape)
        _report(parsed.identifiers - right.identifiers, "Bias axes {} not present in output")
        _report(parsed.identifiers - set(lengths), "Sizes not provided for bias axes {}")
        dims: list[int] = []
        sized = False
        for group in right.composition:
            for axis in [group] if group == ELLIPSIS else group:
                if axis == ELLIPSIS:
                    if sized:
                        raise RaisedError("all bias dimensions should go after ellipsis in the output")
                elif axis in parsed.identifiers:
                    dims.append(lengths[axis])
                    sized = True
                else:
                    dims.append(1)
        bias = tuple(dims)
    names = sorted(a for a in left.identifiers | right.identifiers | weight.identifiers if a != ELLIPSIS)
    letters = {name: letter for letter, name in zip(string.ascii_lowercase, names, strict=False)}
    letters[ELLIPSIS] = "..."

    def lettered(expression: Expression) -> str:
        return "".join(letters.get(a, "?") for a in expression.flat())

    return Mix(
        pre_pattern,
        pre_lengths,
        post_pattern,
        left.flat(),
        weight_axes,
        right.flat(),
        tuple(lengths[a] for a in weight_axes),
        bias,
        f"{lettered(left)},{lettered(weight)}->{lettered(right)}",
    )


def _mix_of(h: Hyper) -> Mix:
    return prepare_mix(h["pattern"], h["weight_shape"], h["bias_shape"], dict(h["axes_lengths"]))


def _mix_attributes(bound: dict[str, Any]) -> dict[str, Any]:
    lengths = dict(bound.get("axes_lengths") or {})
    mix = prepare_mix(bound["pattern"], bound["weight_shape"], bound["bias_shape"], lengths)
    attributes: dict[str, Any] = {
        "pattern": bound["pattern"],
        "weight_shape": bound["weight_shape"],
        "bias_shape": bound["bias_shape"],
        "axes_lengths": lengths,
        "einsum_pattern": mix.einsum_pattern,
        "__sf_mix_weight__": mix.weight_shape,
        "__sf_mix_bias__": mix.bias_shape,
    }
    if mix.pre_pattern is None:
        attributes["pre_rearrange"] = None
    if mix.post_pattern is None:
        attributes["post_rearrange"] = None
    if mix.bias_shape is None:
        attributes["bias"] = None
    return attributes


def _mix_children(h: Hyper) -> dict[str, tuple[str, dict[str, Any]]]:
    mix = _mix_of(h)
    children: dict[str, tuple[str, dict[str, Any]]] = {}
    if mix.pre_pattern is not None:
        children["pre_rearrange"] = (f"{LAYERS}.Rearrange", {"pattern": mix.pre_pattern, **mix.pre_lengths})
    if mix.post_pattern is not None:
        children["post_rearrange"] = (f"{LAYERS}.Rearrange", {"pattern": mix.post_pattern})
    return children


def _mix_parameters(h: Hyper) -> dict[str, Shape | None]:
    parameters: dict[str, Shape | None] = {"weight": h["__sf_mix_weight__"]}
    if h["__sf_mix_bias__"] is not None:
        parameters["bias"] = h["__sf_mix_bias__"]
    return parameters


def _mix_einsum(h: Hyper, inputs: list[Shape]) -> tuple[Mix, Contraction, Shape]:
    """The einsum the layer runs, and its output (after the layer's rearranges)."""
    mix = _mix_of(h)
    x = inputs[0]
    if mix.pre_pattern is not None:
        x = apply(prepare(mix.pre_pattern, "rearrange", tuple(mix.pre_lengths)), x, mix.pre_lengths).output
    # the weight first: a mismatch then names the size the layer was built for as the expected one
    einsum = einsum_sizes([mix.weight_axes, mix.input_axes], mix.output_axes, [mix.weight_shape, x], "EinMix")
    final = einsum.shape
    if mix.post_pattern is not None:
        final = apply(prepare(mix.post_pattern, "rearrange", ()), final, {}).output
    return mix, einsum, final


def _mix_output(h: Hyper, inputs: list[Shape]) -> Shape:
    try:
        return _mix_einsum(h, inputs)[2]
    except ShapeError as error:
        raise _located(error, h["pattern"], inputs[0]) from None


def _mix_work(h: Hyper, inputs: list[Shape], final: Shape) -> Work:
    mix, einsum, _ = _mix_einsum(h, inputs)
    work = einsum_work(einsum, bias=mix.bias_shape is not None)
    return dataclasses.replace(work, kind=WorkKind.LINEAR, inputs=numel(inputs[0]))


EINMIX_LAYER = LayerSpec(
    f"{LAYERS}.EinMix",
    init=signature("pattern, weight_shape, bias_shape, **axes_lengths", bias_shape=None),
    attributes=_mix_attributes,
    parameters=_mix_parameters,
    output=_mix_output,
    work=_mix_work,
    children=_mix_children,
    examples=(
        # a linear layer over the last axis: 2·3 outputs of 5, each 4 products and the bias: 30·(2·4) = 240
        Example("einops.layers.torch.EinMix('b t c -> b t d', weight_shape='c d', bias_shape='d', c=4, d=5)",
                ((2, 3, 4),), (2, 3, 5), 25, 240, 120),
        # two heads of 3 → 4 channels each, no bias: 5·2·4 outputs of 3 products (5 operations) = 200
        Example("einops.layers.torch.EinMix('b (h c) -> b (h d)', weight_shape='h c d', h=2, c=3, d=4)",
                ((5, 6),), (5, 8), 24, 200, 120),
    ),
)  # fmt: skip


SPECS = (
    _rearrange("einops.rearrange", "rearrange"),
    _rearrange("einops.repeat", "repeat"),
    REDUCE,
    EINSUM,
    PACK,
    UNPACK,
    REARRANGE_LAYER,
    REDUCE_LAYER,
    EINMIX_LAYER,
)
