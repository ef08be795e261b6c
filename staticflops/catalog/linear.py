"""Fully connected layers: `nn.Linear`.

Every output element sums `in_features` products: `2·I − 1` operations without a
bias, `2·I` with one, times every output element (all leading dimensions).
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import Example, Hyper, LayerSpec, Shape, Work, WorkKind, numel, require
from staticflops.interpreter.calls import signature


def _attributes(bound: dict[str, Any]) -> dict[str, Any]:
    return {"in_features": bound["in_features"], "out_features": bound["out_features"], "bias": bool(bound["bias"])}


def _parameters(h: Hyper) -> dict[str, Shape | None]:
    return {
        "weight": (h["out_features"], h["in_features"]),
        "bias": (h["out_features"],) if h["bias"] else None,
    }


def _output(h: Hyper, inputs: list[Shape]) -> Shape:
    (x,) = inputs
    require(len(x) >= 1, "Linear expects at least a 1D input")
    require(
        x[-1] == h["in_features"],
        f"Linear expects {h['in_features']} input features (in_features), but the input's last dimension is {x[-1]}",
        expected=h["in_features"],
        actual=x[-1],
    )
    return (*x[:-1], h["out_features"])


def _work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
    return Work(
        WorkKind.LINEAR,
        outputs=numel(out),
        macs=numel(out) * h["in_features"],
        bias=h["bias"] is not None,
        inputs=numel(inputs[0]),
    )


SPECS = (
    LayerSpec(
        "torch.nn.Linear",
        init=signature("in_features, out_features, bias, device, dtype", bias=True, device=None, dtype=None),
        attributes=_attributes,
        parameters=_parameters,
        output=_output,
        work=_work,
        examples=(
            # the reference document's fully connected rule, (2·I − 1)·O: (2·4 − 1)·3 = 21
            Example("nn.Linear(4, 3, bias=False)", ((1, 4),), (1, 3), 12, 21, 12),
            # with bias: 2·4·3 = 24
            Example("nn.Linear(4, 3)", ((1, 4),), (1, 3), 15, 24, 12),
            # a classifier head: 2·512·1000
            Example("nn.Linear(512, 1000)", ((1, 512),), (1, 1000), 513_000, 1_024_000, 512_000),
            # every leading dimension counts: 8·10 outputs × 2·9
            Example("nn.Linear(9, 10)", ((8, 9),), (8, 10), 100, 1440, 720),
        ),
    ),
)
