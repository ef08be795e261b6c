"""Activations: modules (`nn.ReLU`, ...) and their functional forms (`F.relu`, `torch.relu`).

The reference document prices an activation at one operation per output element,
whatever its formula; the element count is all the catalog records.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import (
    Example,
    Hyper,
    LayerSpec,
    OpSpec,
    Shape,
    Work,
    WorkKind,
    normalize_dim,
    numel,
    require,
    spelled,
)
from staticflops.interpreter.calls import signature
from staticflops.interpreter.values import Param


def _same_shape(h: Hyper, inputs: list[Shape]) -> Shape:
    return inputs[0]


def _work(h: Hyper, inputs: list[Shape], out: Shape) -> Work:
    return Work(WorkKind.ACTIVATION, outputs=numel(out), inputs=numel(inputs[0]))


def _keep(bound: dict[str, Any]) -> dict[str, Any]:
    return dict(bound)


def _no_parameters(h: Hyper) -> dict[str, Shape | None]:
    return {}


def _activation(name: str, init: tuple[Param, ...], examples: tuple[Example, ...] = ()) -> LayerSpec:
    # unless given: the layer with its defaults on 2·8·4·4 elements, one operation each
    examples = examples or (Example(f"nn.{name}()", ((2, 8, 4, 4),), (2, 8, 4, 4), 0, 256, 0),)
    return LayerSpec(
        f"torch.nn.{name}",
        init=init,
        attributes=_keep,
        parameters=_no_parameters,
        output=_same_shape,
        work=_work,
        examples=examples,
    )


def _prelu_parameters(h: Hyper) -> dict[str, Shape | None]:
    return {"weight": (h["num_parameters"],)}


_INPLACE = signature("inplace", inplace=False)
_ANY = signature("*args, **kwargs")

LAYERS = (
    # the reference document: one op per element, 64·300·300 after the 3×300×300 conv
    _activation("ReLU", _INPLACE, (Example("nn.ReLU()", ((1, 64, 300, 300),), (1, 64, 300, 300), 0, 5_760_000, 0),)),
    _activation("ReLU6", _INPLACE),
    _activation("LeakyReLU", signature("negative_slope, inplace", negative_slope=0.01, inplace=False)),
    _activation("ELU", signature("alpha, inplace", alpha=1.0, inplace=False)),
    _activation("CELU", signature("alpha, inplace", alpha=1.0, inplace=False)),
    _activation("SELU", _INPLACE),
    _activation(
        "GELU",
        signature("approximate", approximate="none"),
        (Example("nn.GELU()", ((2, 10, 32),), (2, 10, 32), 0, 640, 0),),
    ),
    _activation("SiLU", _INPLACE),
    _activation("Mish", _INPLACE),
    _activation("Hardswish", _INPLACE),
    _activation("Hardsigmoid", _INPLACE),
    _activation(
        "Hardtanh",
        signature(
            "min_val, max_val, inplace, min_value, max_value",
            min_val=-1.0,
            max_val=1.0,
            inplace=False,
            min_value=None,
            max_value=None,
        ),
    ),
    _activation("Sigmoid", _ANY),
    _activation("Tanh", _ANY),
    _activation("Softplus", signature("beta, threshold", beta=1.0, threshold=20.0)),
    _activation("Softsign", _ANY),
    _activation("Tanhshrink", _ANY),
    _activation("LogSigmoid", _ANY),
    _activation("Hardshrink", signature("lambd", lambd=0.5)),
    _activation("Softshrink", signature("lambd", lambd=0.5)),
    _activation(
        "RReLU",
        signature("lower, upper, inplace", lower=1 / 8, upper=1 / 3, inplace=False),
    ),
    _activation(
        "Threshold",
        signature("threshold, value, inplace", inplace=False),
        (Example("nn.Threshold(0.1, 20.0)", ((2, 8, 4, 4),), (2, 8, 4, 4), 0, 256, 0),),
    ),
    LayerSpec(
        "torch.nn.PReLU",
        init=signature("num_parameters, init, device, dtype", num_parameters=1, init=0.25, device=None, dtype=None),
        attributes=lambda b: {"num_parameters": b["num_parameters"], "init": b["init"]},
        parameters=_prelu_parameters,
        output=_same_shape,
        work=_work,
        examples=(Example("nn.PReLU(8)", ((1, 8, 4, 4),), (1, 8, 4, 4), 8, 128, 0),),
    ),
)


def _op_output(bound: dict[str, Any]) -> Shape:
    return bound["input"]


def _op_work(bound: dict[str, Any], out: Shape) -> Work:
    return Work(WorkKind.ACTIVATION, outputs=numel(out), inputs=numel(bound["input"]))


def _op(qualname: str, params: str, **defaults: Any) -> OpSpec:
    # one operation per element: 2·3 elements, 6
    example = Example(spelled(qualname), ((2, 3),), (2, 3), 0, 6, 0)
    return OpSpec(qualname, signature(params, **defaults), ("input",), _op_output, _op_work, (example,))


def _prelu_output(bound: dict[str, Any]) -> Shape:
    x, weight = bound["input"], bound["weight"]
    channels = x[1] if len(x) > 1 else 1
    require(numel(weight) in (1, channels), f"prelu: {numel(weight)} weights for {channels} channels")
    return x


PRELU = OpSpec(
    "torch.nn.functional.prelu",
    signature("input, weight"),
    ("input", "weight"),
    _prelu_output,
    _op_work,
    (Example("F.prelu(x, y)", ((2, 3), (3,)), (2, 3), 0, 6, 0),),  # one operation per element
)


def _glu_output(bound: dict[str, Any]) -> Shape:
    """`F.glu(x, dim)`: the two halves of `dim` multiplied, one gated by a sigmoid: half the size there."""
    x = bound["input"]
    at = normalize_dim(bound["dim"], len(x))
    require(bool(x) and x[at] % 2 == 0, f"glu: dimension {bound['dim']} must have an even size, got {list(x)}")
    return (*x[:at], x[at] // 2, *x[at + 1 :])


GLU = OpSpec(
    "torch.nn.functional.glu",
    signature("input, dim", dim=-1),
    ("input",),
    _glu_output,
    _op_work,
    (Example("F.glu(x)", ((2, 6),), (2, 3), 0, 6, 0),),  # one operation per output element: 2·3
)

GLU_LAYER = LayerSpec(
    "torch.nn.GLU",
    init=signature("dim", dim=-1),
    attributes=_keep,
    parameters=_no_parameters,
    output=lambda h, inputs: _glu_output({"input": inputs[0], "dim": h["dim"]}),
    work=_work,
    examples=(Example("nn.GLU()", ((2, 6),), (2, 3), 0, 6, 0),),  # one operation per output element: 2·3
)

MORE_OPS = {
    "rrelu": ("input, lower, upper, training, inplace", {"lower": 1 / 8, "upper": 1 / 3, "training": False,
                                                          "inplace": False}),
    "logsigmoid": ("input", {}),
    "threshold": ("input, threshold, value, inplace", {"inplace": False}),
    "softshrink": ("input, lambd", {"lambd": 0.5}),
    "hardshrink": ("input, lambd", {"lambd": 0.5}),
}  # fmt: skip
"""More of `F`'s activations, each the input's shape at one operation per element (its parameters, defaults)."""


def _threshold_example(qualname: str) -> OpSpec:
    # F.threshold's two numbers are required: the example passes them
    return OpSpec(
        qualname,
        signature(MORE_OPS["threshold"][0], **MORE_OPS["threshold"][1]),
        ("input",),
        _op_output,
        _op_work,
        (Example("F.threshold(x, 0.5, 0.0)", ((2, 3),), (2, 3), 0, 6, 0),),
    )


OPS = (
    PRELU,
    GLU,
    *(
        _op(f"torch.nn.functional.{name}", params, **defaults)
        for name, (params, defaults) in MORE_OPS.items()
        if name != "threshold"
    ),
    _threshold_example("torch.nn.functional.threshold"),
    _op("torch.nn.functional.relu", "input, inplace", inplace=False),
    _op("torch.nn.functional.relu_", "input"),
    _op("torch.nn.functional.relu6", "input, inplace", inplace=False),
    _op("torch.nn.functional.leaky_relu", "input, negative_slope, inplace", negative_slope=0.01, inplace=False),
    _op("torch.nn.functional.elu", "input, alpha, inplace", alpha=1.0, inplace=False),
    _op("torch.nn.functional.selu", "input, inplace", inplace=False),
    _op("torch.nn.functional.gelu", "input, approximate", approximate="none"),
    _op("torch.nn.functional.silu", "input, inplace", inplace=False),
    _op("torch.nn.functional.mish", "input, inplace", inplace=False),
    _op("torch.nn.functional.hardswish", "input, inplace", inplace=False),
    _op("torch.nn.functional.hardsigmoid", "input, inplace", inplace=False),
    _op("torch.nn.functional.hardtanh", "input, min_val, max_val, inplace", min_val=-1.0, max_val=1.0, inplace=False),
    _op("torch.nn.functional.sigmoid", "input"),
    _op("torch.nn.functional.tanh", "input"),
    _op("torch.nn.functional.softplus", "input, beta, threshold", beta=1.0, threshold=20.0),
    _op("torch.nn.functional.celu", "input, alpha, inplace", alpha=1.0, inplace=False),
    _op("torch.nn.functional.softsign", "input"),
    _op("torch.nn.functional.tanhshrink", "input"),
    _op("torch.relu", "input"),
    _op("torch.relu_", "input"),
    _op("torch.sigmoid", "input"),
    _op("torch.tanh", "input"),
    _op("torch.Tensor.relu", "input"),
    _op("torch.Tensor.relu_", "input"),
    _op("torch.Tensor.sigmoid", "input"),
    _op("torch.Tensor.tanh", "input"),
)

SPECS = (*LAYERS, GLU_LAYER, *OPS)
