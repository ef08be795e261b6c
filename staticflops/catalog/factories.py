"""Tensors made from other tensors' shapes, random draws and in-place fills: `clone`, `fill`, `zero_`,
`resize_as_`, `new_empty_strided`, `bernoulli`, `normal`, `multinomial`, `hash_tensor`.

Copies, fills and resizes do no arithmetic. A random draw is priced by what it does with the numbers the
generator gives (the generation itself is no arithmetic of the formula, as `torch.rand`'s is not counted):
`bernoulli` compares each uniform draw with its probability (1 per element), `normal` scales and shifts each
standard draw (`mean + std·z`: 2 per element). NB: `multinomial`'s work depends on the sampling algorithm and on
the data (as `sort`'s does); it is not priced. `hash_tensor` combines the elements of each output (`n − 1` per
output, as a sum). FlopCounterMode has no formula for any of them: 0 under `torch`.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.elementwise import broadcast
from staticflops.catalog.reduction import reduce_shape
from staticflops.catalog.spec import FREE, Example, OpSpec, Shape, Work, WorkKind, numel, require, spelled
from staticflops.interpreter.calls import signature


def _same(bound: dict[str, Any]) -> Shape:
    return bound["input"]


def _per_element(count: int) -> Any:
    return lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(out), per_output=count)


def _free(qualname: str, params: str, output: Any, example: Example, **defaults: Any) -> OpSpec:
    return OpSpec(qualname, signature(params, **defaults), ("input",), output, lambda b, out: FREE, (example,))


def _moves(source: str, inputs: tuple[Shape, ...], output: Shape) -> Example:
    return Example(source, inputs, output, 0, 0, 0)


def normal_shape(bound: dict[str, Any]) -> Shape:
    """`normal(mean, std)`: the broadcast of the tensors among them (a number stands for any shape);
    `normal(mean, std, size)` of two numbers: `size`."""
    shapes = [v for v in (bound["mean"], bound["std"]) if isinstance(v, tuple)]
    if shapes:
        return broadcast(*shapes) if len(shapes) == 2 else shapes[0]
    size = bound["size"]
    require(isinstance(size, (tuple, list)), "normal() of a number mean and std needs a size")
    return tuple(size)


def multinomial_shape(bound: dict[str, Any]) -> Shape:
    """`num_samples` indices per row of probabilities (a vector is one row)."""
    x, samples = bound["input"], bound["num_samples"]
    require(len(x) in (1, 2), f"prob_dist must be 1 or 2 dim, got {len(x)}")
    require(samples > 0, "cannot sample n_sample <= 0 samples")
    require(
        bool(bound["replacement"]) or samples <= x[-1],
        f"cannot sample n_sample > prob_dist.size(-1) samples without replacement ({samples} > {x[-1]})",
    )
    return (*x[:-1], samples)


def _hash_work(bound: dict[str, Any], out: Shape) -> Work:
    return Work(WorkKind.REDUCE_SUM, outputs=numel(out), reduced=numel(bound["input"]), inputs=numel(bound["input"]))


def _resize_as_shape(bound: dict[str, Any]) -> Shape:
    return bound["the_template"]


SPECS = (
    _free("torch.clone", "input, *, memory_format", _same, _moves("torch.clone(x)", ((2, 3),), (2, 3)),
          memory_format=None),
    _free("torch.fill", "input, value", _same, _moves("torch.fill(x, 2.0)", ((2, 3),), (2, 3))),
    _free("torch.zero_", "input", _same, _moves("torch.zero_(x)", ((2, 3),), (2, 3))),
    *(
        OpSpec(
            qualname,
            signature("input, the_template, *, memory_format", memory_format=None),
            ("input", "the_template"),
            _resize_as_shape,
            lambda b, out: FREE,
            (_moves(spelled(qualname, "y"), ((2, 3), (4, 5)), (4, 5)),),
        )
        for qualname in ("torch.resize_as_", "torch.Tensor.resize_as_")
    ),
    _free("torch.Tensor.new_empty_strided", "input, size, stride", lambda b: tuple(b["size"]),
          _moves("x.new_empty_strided((3, 2), (1, 3))", ((2, 3),), (3, 2))),
    # a uniform draw compared with each probability: 2·3 = 6
    *(
        OpSpec(
            qualname,
            signature("input, p, *, generator", p=None, generator=None),
            ("input",),
            _same,
            _per_element(1),
            (Example(spelled(qualname), ((2, 3),), (2, 3), 0, 6, 0),),
        )
        for qualname in ("torch.bernoulli", "torch.Tensor.bernoulli")
    ),
    # mean + std·z per element: 2·(2·3) = 12
    OpSpec(
        "torch.normal",
        signature("mean, std, size, *, generator", std=1.0, size=None, generator=None),
        ("mean", "std"),
        normal_shape,
        _per_element(2),
        (
            Example("torch.normal(x, y)", ((2, 3), (3,)), (2, 3), 0, 12, 0),
            Example("torch.normal(2.0, x)", ((4,),), (4,), 0, 8, 0),
        ),
    ),
    *(
        OpSpec(
            qualname,
            signature("input, num_samples, replacement, *, generator", replacement=False, generator=None),
            ("input",),
            multinomial_shape,
            lambda b, out: FREE,
            (_moves(spelled(qualname, "2"), ((3, 5),), (3, 2)),),
            dtype="int64",
        )
        for qualname in ("torch.multinomial", "torch.Tensor.multinomial")
    ),
    # every element combined into one hash: 2·3·4 − 1 = 23
    *(
        OpSpec(
            qualname,
            signature("input, dim, *, keepdim, mode", dim=None, keepdim=False, mode=0),
            ("input",),
            lambda b: reduce_shape(b["input"], b["dim"], bool(b["keepdim"])),
            _hash_work,
            (Example(spelled(qualname), ((2, 3, 4),), (), 0, 23, 0),),
            dtype="uint64",
        )
        for qualname in ("torch.hash_tensor", "torch.Tensor.hash_tensor")
    ),
)
