"""Random but valid PyTorch model definitions, as source text, for differential testing.

A generated model is a stack of convolutional stages (convolutions with random kernel,
stride, padding, dilation, groups and bias; batch norms; activations; pooling; residual
blocks; two-branch `torch.cat` blocks), then a head (`flatten`, `view` or `nn.Flatten`,
linear layers). It is written in one of the fixture styles: a flat `nn.Sequential`, or an
`nn.Module` with layers in a list, a `ModuleList` loop, or attributes and a hand-written
`forward`. The generator tracks shapes so that every model runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

ACTIVATIONS = ("nn.ReLU()", "nn.GELU()", "nn.SiLU()", "nn.Hardswish()", "nn.LeakyReLU(0.1)", "nn.Sigmoid()",
               "nn.Tanh()", "nn.ReLU6()")  # fmt: skip


@dataclass
class Generated:
    source: str
    input_shape: tuple[int, ...]
    style: str
    blocks: list[str] = field(default_factory=list)


def _conv_out(size: int, k: int, s: int, p: int, d: int) -> int:
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def _pool_out(size: int, k: int, s: int, p: int, ceil: bool) -> int:
    span = size + 2 * p - (k - 1) - 1
    out = (-(-span // s) if ceil else span // s) + 1
    if ceil and (out - 1) * s >= size + p:
        out -= 1
    return out


class _Builder:
    def __init__(self, rng: random.Random, channels: int, height: int, width: int) -> None:
        self.rng = rng
        self.c, self.h, self.w = channels, height, width
        self.lines: list[str] = []  # constructor expressions, in order
        self.kinds: list[str] = []

    def conv(self, cout: int | None = None, keep_size: bool = False) -> str | None:
        rng = self.rng
        cout = cout or rng.choice([4, 8, 12, 16, 24, 32])
        k = rng.choice([1, 3, 5]) if not keep_size else rng.choice([1, 3])
        d = 1 if keep_size or k == 1 else rng.choice([1, 1, 2])
        s = 1 if keep_size else rng.choice([1, 1, 2])
        if keep_size:
            padding: int | str = rng.choice([(k - 1) // 2, "'same'"])
        elif s == 1 and rng.random() < 0.2:
            padding = "'valid'"
        else:
            padding = rng.choice([0, 1, 2])
        p = 0 if padding == "'valid'" else (d * (k - 1)) // 2 if padding == "'same'" else int(padding)
        h = self.h if padding == "'same'" else _conv_out(self.h, k, s, p, d)
        w = self.w if padding == "'same'" else _conv_out(self.w, k, s, p, d)
        if h < 1 or w < 1:
            return None
        groups = rng.choice([g for g in (1, 1, 2, 4) if self.c % g == 0 and cout % g == 0])
        bias = rng.choice([True, False])
        self.c, self.h, self.w = cout, h, w
        return (
            f"nn.Conv2d({self.c_in_placeholder}, {cout}, {k}, stride={s}, padding={padding}, dilation={d}, "
            f"groups={groups}, bias={bias})"
        )

    c_in_placeholder = "{cin}"


def _conv_layer(b: _Builder, keep_size: bool = False, cout: int | None = None) -> str | None:
    cin = b.c
    text = b.conv(cout, keep_size)
    return None if text is None else text.replace("{cin}", str(cin))


def generate(seed: int) -> Generated:
    rng = random.Random(seed)
    channels = rng.choice([1, 3, 4, 8])
    size = rng.randint(8, 40)
    b = _Builder(rng, channels, size, rng.choice([size, rng.randint(8, 40)]))
    input_shape = (rng.choice([1, 1, 2]), channels, b.h, b.w)
    layers: list[str] = []  # Sequential-compatible layers
    blocks: list[str] = []
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        if choice < 0.45:
            conv = _conv_layer(b)
            if conv is None:
                continue
            layers.append(conv)
            blocks.append("conv")
            if rng.random() < 0.5:
                layers.append(f"nn.BatchNorm2d({b.c})")
            if rng.random() < 0.7:
                layers.append(rng.choice(ACTIVATIONS))
        elif choice < 0.6:
            k = rng.choice([2, 3])
            s = rng.choice([1, 2])
            p = rng.choice([0, 1]) if k == 3 else 0
            ceil = rng.choice([False, True])
            h, w = _pool_out(b.h, k, s, p, ceil), _pool_out(b.w, k, s, p, ceil)
            if h < 1 or w < 1:
                continue
            kind = rng.choice(["nn.MaxPool2d", "nn.AvgPool2d"])
            layers.append(f"{kind}({k}, stride={s}, padding={p}, ceil_mode={ceil})")
            b.h, b.w = h, w
            blocks.append("pool")
        elif choice < 0.7:
            out = (rng.randint(1, max(1, b.h)), rng.randint(1, max(1, b.w)))
            layers.append(f"nn.AdaptiveAvgPool2d({out})")
            b.h, b.w = out
            blocks.append("adaptive")
        elif choice < 0.85:
            inner = _conv_layer(b, keep_size=True, cout=b.c)
            if inner is None:
                continue
            layers.append(f"Residual({inner}, nn.BatchNorm2d({b.c}))")
            blocks.append("residual")
        else:
            a = rng.choice([4, 8])
            c = rng.choice([4, 8, 12])
            cin = b.c
            layers.append(f"TwoBranch(nn.Conv2d({cin}, {a}, 1), nn.Conv2d({cin}, {c}, 3, padding=1))")
            b.c = a + c
            blocks.append("cat")
    if rng.random() < 0.5:
        layers.append(f"nn.AdaptiveAvgPool2d({rng.choice([1, 2])})")
        b.h = b.w = int(layers[-1].split("(")[1].rstrip(")"))
    features = b.c * b.h * b.w
    hidden = rng.choice([16, 32, 64])
    classes = rng.choice([2, 10])
    head_bias = rng.choice([True, False])
    flatten = rng.choice(["torch.flatten(x, 1)", "x.view(x.size(0), -1)", "x.reshape(x.shape[0], -1)"])
    style = rng.choice(["sequential", "list", "modulelist", "attributes"])
    helpers = (
        "class Residual(nn.Module):\n"
        "    def __init__(self, conv, norm):\n"
        "        super().__init__()\n"
        "        self.conv = conv\n"
        "        self.norm = norm\n\n"
        "    def forward(self, x):\n"
        "        return x + self.norm(self.conv(x))\n\n\n"
        "class TwoBranch(nn.Module):\n"
        "    def __init__(self, left, right):\n"
        "        super().__init__()\n"
        "        self.left = left\n"
        "        self.right = right\n\n"
        "    def forward(self, x):\n"
        "        return torch.cat([self.left(x), self.right(x)], dim=1)\n\n\n"
    )
    head = [
        f"nn.Linear({features}, {hidden}, bias={head_bias})",
        rng.choice(ACTIVATIONS),
        f"nn.Linear({hidden}, {classes})",
    ]
    body = ",\n            ".join(layers) if layers else "nn.Identity()"
    if style == "sequential":
        model = (
            f"model = nn.Sequential(\n    nn.Sequential(\n            {body}\n    ),\n    nn.Flatten(),\n"
            f"    {head[0]},\n    {head[1]},\n    {head[2]},\n)\n"
        )
    elif style == "list":
        model = (
            "class Net(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        layers = []\n"
            + "".join(f"        layers.append({layer})\n" for layer in layers)
            + "        self.features = nn.Sequential(*layers)\n"
            f"        self.head = nn.Sequential({', '.join(head)})\n\n"
            "    def forward(self, x):\n"
            "        x = self.features(x)\n"
            f"        x = {flatten}\n"
            "        return self.head(x)\n"
        )
    elif style == "modulelist":
        model = (
            "class Net(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            f"        self.blocks = nn.ModuleList([\n            {body}\n        ])\n"
            f"        self.fc1 = {head[0]}\n"
            f"        self.act = {head[1]}\n"
            f"        self.fc2 = {head[2]}\n\n"
            "    def forward(self, x):\n"
            "        for block in self.blocks:\n"
            "            x = block(x)\n"
            f"        x = {flatten}\n"
            "        return self.fc2(self.act(self.fc1(x)))\n"
        )
    else:
        attributes = "".join(f"        self.layer{i} = {layer}\n" for i, layer in enumerate(layers))
        calls = "".join(f"        x = self.layer{i}(x)\n" for i in range(len(layers)))
        model = (
            "class Net(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            f"{attributes}"
            f"        self.fc1 = {head[0]}\n"
            f"        self.fc2 = {head[2]}\n\n"
            "    def forward(self, x):\n"
            f"{calls}"
            f"        x = {flatten}\n"
            f"        x = F.relu(self.fc1(x))\n"
            "        return self.fc2(x)\n"
        )
    source = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n" + helpers + model
    return Generated(source, input_shape, style, blocks)
