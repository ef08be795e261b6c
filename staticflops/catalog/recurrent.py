"""Recurrent layers: `nn.RNN`, `nn.LSTM`, `nn.GRU` (layers, directions, `proj_size`, `batch_first`).

At every time step, each layer and direction computes its gates from the step's input and the
previous hidden state: `G·H` gate values (G = 1, 4, 3 for RNN, LSTM, GRU), each receiving
`input + hidden` products and two biases. The catalog records that as two linear works per layer
and direction (input-to-hidden and hidden-to-hidden); the gates' nonlinearities and products as
elementwise work: NB 1 operation per hidden unit and step for an RNN (tanh), 9 for an LSTM
(3 sigmoids, 2 tanh, 3 products, 1 sum), 8 for a GRU, plus `proj_size` projections for an LSTM.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import Example, Hyper, LayerSpec, Output, Shape, Work, WorkKind, require
from staticflops.interpreter.calls import signature

GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}
GATE_OPS = {"RNN": 1, "LSTM": 9, "GRU": 8}


def _attributes(kind: str) -> Any:
    def attributes(bound: dict[str, Any]) -> dict[str, Any]:
        proj = bound.get("proj_size", 0) or 0
        require(proj < bound["hidden_size"], "proj_size has to be smaller than hidden_size")
        return {
            "mode": kind,
            "input_size": bound["input_size"],
            "hidden_size": bound["hidden_size"],
            "num_layers": bound["num_layers"],
            "nonlinearity": bound.get("nonlinearity", "tanh"),
            "bias": bool(bound["bias"]),
            "batch_first": bool(bound["batch_first"]),
            "dropout": bound["dropout"],
            "bidirectional": bool(bound["bidirectional"]),
            "proj_size": proj,
        }

    return attributes


def _layers(h: Hyper) -> list[tuple[int, str, int]]:
    """(layer, direction suffix, input size) for every layer and direction, in torch's order."""
    directions = 2 if h["bidirectional"] else 1
    out = h["proj_size"] or h["hidden_size"]
    return [(layer, "_reverse" if d else "", h["input_size"] if layer == 0 else out * directions)
            for layer in range(h["num_layers"]) for d in range(directions)]  # fmt: skip


def _parameters(h: Hyper) -> dict[str, Shape | None]:
    gates = GATES[h["mode"]] * h["hidden_size"]
    out = h["proj_size"] or h["hidden_size"]
    params: dict[str, Shape | None] = {}
    for layer, suffix, size in _layers(h):
        params[f"weight_ih_l{layer}{suffix}"] = (gates, size)
        params[f"weight_hh_l{layer}{suffix}"] = (gates, out)
        if h["bias"]:
            params[f"bias_ih_l{layer}{suffix}"] = (gates,)
            params[f"bias_hh_l{layer}{suffix}"] = (gates,)
        if h["proj_size"]:
            params[f"weight_hr_l{layer}{suffix}"] = (h["proj_size"], h["hidden_size"])
    return params


def _layout(h: Hyper, x: Shape) -> tuple[int, int, bool]:
    """(sequence length, batch, batched) of the input."""
    if len(x) == 2:
        return x[0], 1, False
    return (x[1], x[0], True) if h["batch_first"] else (x[0], x[1], True)


def _output(h: Hyper, inputs: list[Shape]) -> Output:
    x = inputs[0]
    name = h["mode"]
    require(len(x) in (2, 3), f"{name} expects a 2D or 3D input, got {list(x)}")
    require(x[-1] == h["input_size"], f"{name} expects {h['input_size']} input features (input_size), got {x[-1]}")
    length, batch, batched = _layout(h, x)
    directions = 2 if h["bidirectional"] else 1
    out = h["proj_size"] or h["hidden_size"]
    states = h["num_layers"] * directions
    sequence = ((batch, length) if h["batch_first"] else (length, batch)) if batched else (length,)
    output = (*sequence, directions * out)
    hidden = (states, batch, out) if batched else (states, out)
    if name == "LSTM":
        cell = (states, batch, h["hidden_size"]) if batched else (states, h["hidden_size"])
        return [output, [hidden, cell]]
    return [output, hidden]


def _work(h: Hyper, inputs: list[Shape], out: Any) -> tuple[Work, ...]:
    length, batch, _ = _layout(h, inputs[0])
    steps = length * batch
    gates = GATES[h["mode"]] * h["hidden_size"]
    hidden_in = h["proj_size"] or h["hidden_size"]
    works: list[Work] = []
    for _, _, size in _layers(h):
        outputs = steps * gates
        works.append(Work(WorkKind.LINEAR, outputs=outputs, macs=outputs * size, bias=h["bias"]))
        works.append(Work(WorkKind.LINEAR, outputs=outputs, macs=outputs * hidden_in, bias=h["bias"]))
        works.append(Work(WorkKind.ELEMENTWISE, outputs=steps * h["hidden_size"], per_output=GATE_OPS[h["mode"]]))
        if h["proj_size"]:
            projected = steps * h["proj_size"]
            works.append(Work(WorkKind.LINEAR, outputs=projected, macs=projected * h["hidden_size"]))
    return tuple(works)


def _recurrent(kind: str, examples: tuple[Example, ...]) -> LayerSpec:
    extra = {"RNN": "nonlinearity, ", "LSTM": "", "GRU": ""}[kind]
    tail = ", proj_size" if kind == "LSTM" else ""
    params = (
        f"input_size, hidden_size, num_layers, {extra}bias, batch_first, dropout, bidirectional{tail}, device, dtype"
    )
    return LayerSpec(
        f"torch.nn.{kind}",
        init=signature(
            params,
            num_layers=1, nonlinearity="tanh", bias=True, batch_first=False, dropout=0.0, bidirectional=False,
            proj_size=0, device=None, dtype=None,
        ),
        attributes=_attributes(kind),
        parameters=_parameters,
        output=_output,
        work=_work,
        forward=signature("input, hx", hx=None),
        examples=examples,
    )  # fmt: skip


def _cell_attributes(kind: str) -> Any:
    def attributes(bound: dict[str, Any]) -> dict[str, Any]:
        return {
            "mode": kind,
            "input_size": bound["input_size"],
            "hidden_size": bound["hidden_size"],
            "bias": bool(bound["bias"]),
            "nonlinearity": bound.get("nonlinearity", "tanh"),
        }

    return attributes


def _cell_parameters(h: Hyper) -> dict[str, Shape | None]:
    gates = GATES[h["mode"]] * h["hidden_size"]
    return {
        "weight_ih": (gates, h["input_size"]),
        "weight_hh": (gates, h["hidden_size"]),
        "bias_ih": (gates,) if h["bias"] else None,
        "bias_hh": (gates,) if h["bias"] else None,
    }


def _cell_output(h: Hyper, inputs: list[Shape]) -> Output:
    x = inputs[0]
    name = f"{h['mode']}Cell"
    require(len(x) in (1, 2), f"{name}: Expected input to be 1D or 2D, got {len(x)}D instead")
    require(x[-1] == h["input_size"], f"{name} expects {h['input_size']} input features (input_size), got {x[-1]}")
    hidden = (*x[:-1], h["hidden_size"])
    return [hidden, hidden] if h["mode"] == "LSTM" else hidden


def _cell_work(h: Hyper, inputs: list[Shape], out: Any) -> tuple[Work, ...]:
    """One time step of the layer above: the two gate products and the gates' elementwise work."""
    batch = inputs[0][0] if len(inputs[0]) == 2 else 1
    outputs = batch * GATES[h["mode"]] * h["hidden_size"]
    return (
        Work(WorkKind.LINEAR, outputs=outputs, macs=outputs * h["input_size"], bias=h["bias"]),
        Work(WorkKind.LINEAR, outputs=outputs, macs=outputs * h["hidden_size"], bias=h["bias"]),
        Work(WorkKind.ELEMENTWISE, outputs=batch * h["hidden_size"], per_output=GATE_OPS[h["mode"]]),
    )


def _cell(kind: str, example: Example) -> LayerSpec:
    extra = ", nonlinearity" if kind == "RNN" else ""
    return LayerSpec(
        f"torch.nn.{kind}Cell",
        init=signature(
            f"input_size, hidden_size, bias{extra}, device, dtype", bias=True, nonlinearity="tanh", device=None,
            dtype=None,
        ),
        attributes=_cell_attributes(kind),
        parameters=_cell_parameters,
        output=_cell_output,
        work=_cell_work,
        forward=signature("input, hx", hx=None),
        examples=(example,),
    )  # fmt: skip


SPECS = (
    # 10 steps of batch 1, H = 20 from 8 inputs: 10·20 gate values × (2·8 + 2·20) products and 2 biases
    # = 200·(2·28 + 1)... as two linear works: 200·(2·8) + 200·(2·20) = 11,200; tanh 200
    _recurrent("RNN", (Example("nn.RNN(8, 20)", ((10, 1, 8),), (10, 1, 20), 8 * 20 + 20 * 20 + 40, 11_400, 5_600),)),
    # 4 gates: 800 gate values × 2·(8 + 20) = 44,800; 9 per hidden unit and step: 1,800
    _recurrent("LSTM", (Example("nn.LSTM(8, 20)", ((10, 1, 8),), (10, 1, 20), 4 * (8 * 20 + 20 * 20 + 40), 46_600,
                                22_400),)),
    _recurrent("GRU", (Example("nn.GRU(8, 20, batch_first=True)", ((1, 10, 8),), (1, 10, 20),
                               3 * (8 * 20 + 20 * 20 + 40), 35_200, 16_800),)),
    # one step of batch 3, H = 20 from 8 inputs: 60 gate values × 2·(8 + 20) = 3,360 with both biases; tanh 60
    _cell("RNN", Example("nn.RNNCell(8, 20)", ((3, 8),), (3, 20), 8 * 20 + 20 * 20 + 40, 3_420, 1_680)),
    # 4 gates: 240 gate values × 2·(8 + 20) = 13,440; 9 per hidden unit: 540
    _cell("LSTM", Example("nn.LSTMCell(8, 20)", ((3, 8),), (3, 20), 4 * (8 * 20 + 20 * 20 + 40), 13_980, 6_720)),
    # 3 gates, no biases: 180 × (2·8 − 1 + 2·20 − 1) = 9,720; 8 per hidden unit: 480
    _cell("GRU", Example("nn.GRUCell(8, 20, bias=False)", ((3, 8),), (3, 20), 3 * (8 * 20 + 20 * 20), 10_200, 5_040)),
)  # fmt: skip
