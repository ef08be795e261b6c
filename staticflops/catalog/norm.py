"""Normalization layers: `nn.BatchNorm1d/2d/3d`.

In eval mode a batch norm normalizes with its running statistics: per element one
subtraction and one division, plus one multiplication and one addition when affine.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import Example, Hyper, LayerSpec, Shape, Work, WorkKind, numel, require
from staticflops.interpreter.calls import signature


def _attributes(bound: dict[str, Any]) -> dict[str, Any]:
    return {
        "num_features": bound["num_features"],
        "eps": bound["eps"],
        "momentum": bound["momentum"],
        "affine": bool(bound["affine"]),
        "track_running_stats": bool(bound["track_running_stats"]),
        "bias": bool(bound["bias"]),
    }


def _parameters(h: Hyper) -> dict[str, Shape | None]:
    features = (h["num_features"],)
    if not h["affine"]:
        return {"weight": None, "bias": None}
    return {"weight": features, "bias": features if h["bias"] else None}


def _buffers(h: Hyper) -> dict[str, Shape]:
    if not h["track_running_stats"]:
        return {}
    return {"running_mean": (h["num_features"],), "running_var": (h["num_features"],), "num_batches_tracked": ()}


def _batch_norm(n: int, ranks: tuple[int, ...], examples: tuple[Example, ...]) -> LayerSpec:
    name = f"BatchNorm{n}d"

    def output(h: Hyper, inputs: list[Shape]) -> Shape:
        (x,) = inputs
        require(len(x) in ranks, f"{name} expects a {' or '.join(f'{r}D' for r in ranks)} input, got {list(x)}")
        require(
            x[1] == h["num_features"],
            f"{name} expects {h['num_features']} channels (num_features), but the input has {x[1]}",
        )
        return x

    def work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
        return Work(WorkKind.NORM, outputs=numel(out), inputs=numel(out), affine=h["weight"] is not None)

    return LayerSpec(
        f"torch.nn.{name}",
        init=signature(
            "num_features, eps, momentum, affine, track_running_stats, device, dtype, *, bias",
            eps=1e-5,
            momentum=0.1,
            affine=True,
            track_running_stats=True,
            device=None,
            dtype=None,
            bias=True,
        ),
        attributes=_attributes,
        parameters=_parameters,
        buffers=_buffers,
        output=output,
        work=work,
        examples=examples,
    )


SPECS = (
    # 2·16 elements × 4 (subtract mean, divide by std, scale, shift)
    _batch_norm(1, (2, 3), (Example("nn.BatchNorm1d(16)", ((2, 16),), (2, 16), 32, 128, 0),)),
    # 64·56·56 elements × 4
    _batch_norm(
        2,
        (4,),
        (
            Example("nn.BatchNorm2d(64)", ((1, 64, 56, 56),), (1, 64, 56, 56), 128, 802_816, 0),
            # not affine: 2 per element
            Example("nn.BatchNorm2d(8, affine=False)", ((1, 8, 4, 4),), (1, 8, 4, 4), 0, 256, 0),
        ),
    ),
    _batch_norm(3, (5,), (Example("nn.BatchNorm3d(4)", ((1, 4, 2, 3, 3),), (1, 4, 2, 3, 3), 8, 288, 0),)),
)
