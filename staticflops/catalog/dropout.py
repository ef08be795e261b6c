"""Dropout layers and `F.dropout`: identity in eval mode, the mode models are analyzed in."""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import FREE, Example, LayerSpec, OpSpec, Shape
from staticflops.interpreter.calls import signature


def _dropout(name: str, examples: tuple[Example, ...] = ()) -> LayerSpec:
    return LayerSpec(
        f"torch.nn.{name}",
        init=signature("p, inplace", p=0.5, inplace=False),
        attributes=lambda b: {"p": b["p"], "inplace": bool(b["inplace"])},
        parameters=lambda h: {},
        output=lambda h, inputs: inputs[0],
        work=lambda h, inputs, out: FREE,
        examples=examples,
    )


def _f_dropout(name: str, shape: tuple[Shape, ...]) -> OpSpec:
    def output(bound: dict[str, Any]) -> Any:
        return bound["input"]

    return OpSpec(
        f"torch.nn.functional.{name}",
        signature("input, p, training, inplace", p=0.5, training=True, inplace=False),
        ("input",),
        output=output,
        work=lambda b, out: FREE,
        examples=(Example(f"F.{name}(x)", shape, shape[0], 0, 0, 0),),
    )


SPECS = (
    _dropout("Dropout", (Example("nn.Dropout(0.5)", ((4, 10),), (4, 10), 0, 0, 0),)),
    _dropout("Dropout1d", (Example("nn.Dropout1d(0.1)", ((2, 3, 5),), (2, 3, 5), 0, 0, 0),)),
    _dropout("Dropout2d", (Example("nn.Dropout2d(0.1)", ((1, 3, 4, 4),), (1, 3, 4, 4), 0, 0, 0),)),
    _dropout("Dropout3d", (Example("nn.Dropout3d(0.1)", ((1, 2, 2, 2, 2),), (1, 2, 2, 2, 2), 0, 0, 0),)),
    _dropout("AlphaDropout", (Example("nn.AlphaDropout(0.2)", ((4, 10),), (4, 10), 0, 0, 0),)),
    _dropout("FeatureAlphaDropout", (Example("nn.FeatureAlphaDropout(0.2)", ((1, 3, 4, 4),), (1, 3, 4, 4), 0, 0, 0),)),
    _f_dropout("dropout", ((4, 10),)),
    _f_dropout("dropout1d", ((2, 3, 5),)),
    _f_dropout("dropout2d", ((1, 3, 4, 4),)),
    _f_dropout("dropout3d", ((1, 2, 2, 2, 2),)),
    _f_dropout("alpha_dropout", ((4, 10),)),
    _f_dropout("feature_alpha_dropout", ((1, 3, 4, 4),)),
)
