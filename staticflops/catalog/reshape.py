"""Layers and ops that only rearrange elements: `nn.Flatten`, `nn.Unflatten`, `nn.Identity`,
`torch.flatten`, `Tensor.view/reshape/flatten`. They do no arithmetic; their shape
rules are where most shape errors surface.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import (
    FREE,
    Example,
    Hyper,
    LayerSpec,
    OpSpec,
    Shape,
    normalize_dim,
    numel,
    require,
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


def _sizes(bound: dict[str, Any]) -> tuple[int, ...]:
    """`view(2, 3)` and `view((2, 3))` both mean shape (2, 3)."""
    shape = bound["shape"]
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(shape)


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


def _free(qualname: str, params: Any, output: Any) -> OpSpec:
    return OpSpec(qualname, params, ("input",), output=output, work=lambda b, out: FREE)


OPS = (
    _free(
        "torch.flatten",
        signature("input, start_dim, end_dim", start_dim=0, end_dim=-1),
        lambda b: flatten_shape(b["input"], b["start_dim"], b["end_dim"]),
    ),
    _free(
        "torch.Tensor.flatten",
        signature("input, start_dim, end_dim", start_dim=0, end_dim=-1),
        lambda b: flatten_shape(b["input"], b["start_dim"], b["end_dim"]),
    ),
    _free("torch.Tensor.view", signature("input, *shape"), lambda b: view_shape(b["input"], _sizes(b), "view")),
    _free("torch.Tensor.reshape", signature("input, *shape"), lambda b: view_shape(b["input"], _sizes(b), "reshape")),
    _free("torch.reshape", signature("input, shape"), lambda b: view_shape(b["input"], tuple(b["shape"]), "reshape")),
)

SPECS = LAYERS + OPS
