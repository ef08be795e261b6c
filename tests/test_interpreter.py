"""Python as model code uses it: each test is a short model source and the numbers it must give."""

from __future__ import annotations

import time

from tests.conftest import codes


def test_helpers_closures_kwargs_and_comprehensions(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn
        from functools import partial

        def conv_bn(cin, cout, *, stride=1, **extra):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())

        def widths(base):
            scale = lambda m: int(base * m)
            return [scale(m) for m in (1, 2, 4) if m > 0]

        class Net(nn.Module):
            def __init__(self, base=8):
                super().__init__()
                block = partial(conv_bn, stride=2)
                chans = [3, *widths(base)]
                self.body = nn.Sequential(*[block(a, b) for a, b in zip(chans, chans[1:])])

            def forward(self, x):
                return self.body(x)
        """,
        inputs=[(1, 3, 32, 32)],
    )
    # convs 3→8→16→32 (no bias) and three BatchNorms: 216 + 1152 + 4608 + 2·(8+16+32)
    assert model.params == 216 + 1152 + 4608 + 2 * (8 + 16 + 32)
    assert model.layers[-1].output == (1, 32, 4, 4)


def test_inheritance_super_and_class_attributes(analyze_source) -> None:
    model = analyze_source(
        """
        from torch import nn

        class Base(nn.Module):
            expansion = 2

            def __init__(self, width):
                super().__init__()
                self.fc = nn.Linear(width, width * self.expansion)

        class Wide(Base):
            expansion = 4

            def __init__(self, width=16):
                super(Wide, self).__init__(width)

            def forward(self, x):
                return self.fc(x)
        """,
        model="Wide",
        inputs=[(2, 16)],
    )
    assert model.params == 16 * 64 + 64
    assert model.layers[0].output == (2, 64)


def test_dataclass_config(analyze_source) -> None:
    model = analyze_source(
        """
        from dataclasses import dataclass, field
        import torch.nn as nn

        @dataclass
        class Config:
            dim: int = 32
            depth: int = 3
            hidden: list = field(default_factory=lambda: [64])

        class Net(nn.Module):
            def __init__(self, cfg: Config = Config(depth=2)):
                super().__init__()
                self.layers = nn.ModuleList()
                for _ in range(cfg.depth):
                    self.layers.append(nn.Linear(cfg.dim, cfg.dim))

            def forward(self, x):
                for layer in self.layers:
                    x = x + layer(x)
                return x
        """,
        inputs=[(1, 32)],
    )
    assert model.params == 2 * (32 * 32 + 32)
    assert [layer.path for layer in model.layers] == ["layers.0", "add", "layers.1", "add_1"]
    # Linear: 32 outputs × 2·32; each residual add: 32
    assert model.flops == 2 * (32 * 64 + 32)


def test_tied_weights_count_once(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn

        class Tied(nn.Module):
            def __init__(self):
                super().__init__()
                self.encoder = nn.Linear(10, 20, bias=False)
                self.decoder = nn.Linear(20, 10, bias=False)
                self.decoder.weight = self.encoder.weight
                self.again = self.encoder

            def forward(self, x):
                return self.decoder(self.encoder(x))
        """,
        inputs=[(1, 10)],
    )
    assert model.params == 200


def test_unknown_third_party_layer_is_reported_not_zeroed(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn
        from acme_layers import DropPath  # a library that is not installed

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 8)
                self.drop = DropPath(0.1)

            def forward(self, x):
                return self.drop(self.fc(x))
        """,
        inputs=[(1, 8)],
    )
    assert model.params == 72
    assert "SF301" in codes(model)


def test_unknown_torch_op_is_a_lower_bound(analyze_source) -> None:
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 8)

            def forward(self, x):
                return torch.special.gammainc(self.fc(x), 2.0)
        """,
        inputs=[(1, 8)],
    )
    assert model.flops == 8 * 2 * 8
    assert not model.flops_complete


def test_infinite_loop_in_init_hits_the_budget(analyze_source) -> None:
    started = time.monotonic()
    analysis = analyze_source(
        """
        import torch.nn as nn

        class Spin(nn.Module):
            def __init__(self):
                super().__init__()
                while True:
                    pass
        """,
        all=True,
    )
    assert time.monotonic() - started < 10
    assert analysis.files[0].skipped and "loop iteration budget" in analysis.files[0].skipped[0][1]


def test_unbounded_recursion_and_huge_loops_terminate(analyze_source) -> None:
    analysis = analyze_source(
        """
        import torch.nn as nn

        def forever(n):
            return forever(n + 1)

        class Deep(nn.Module):
            def __init__(self):
                super().__init__()
                forever(0)

        class Long(nn.Module):
            def __init__(self):
                super().__init__()
                for i in range(10 ** 9):
                    pass
        """,
        all=True,
    )
    reasons = dict(analysis.files[0].skipped)
    assert "call depth budget" in reasons["Deep"]
    assert "loop iteration budget" in reasons["Long"]


def test_a_skipped_model_is_listed_with_its_failure_not_an_assumption_on_the_way(analyze_source) -> None:
    analysis = analyze_source(
        """
        import os

        import torch.nn as nn


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                fused = os.environ.get("FUSED_ATTN")
                raise ValueError("no such backbone")
        """,
        all=True,
    )
    ((name, reason),) = analysis.files[0].skipped
    assert name == "Net" and "raised ValueError: no such backbone" in reason


def test_namedtuple_enum_property_try_while_fstring_and_deepcopy(analyze_source) -> None:
    model = analyze_source(
        """
        import copy
        from enum import Enum
        from typing import NamedTuple

        import torch.nn as nn


        class Stage(NamedTuple):
            width: int
            depth: int


        class Act(Enum):
            RELU = "relu"
            GELU = "gelu"


        class Net(nn.Module):
            def __init__(self, stages=(Stage(8, 2), Stage(16, 1)), act=Act.GELU):
                super().__init__()
                try:
                    activation = {"relu": nn.ReLU, "gelu": nn.GELU}[act.value]
                except KeyError:
                    raise ValueError(f"unknown activation {act}")
                cin, i = 3, 0
                while True:
                    if i == len(stages):
                        break
                    width, depth = stages[i]
                    for j in range(depth):
                        self.add_module(f"conv{i}_{j}", nn.Conv2d(cin, width, 3, padding=1))
                        cin = width
                    i += 1
                self.act = activation()
                self.head = copy.deepcopy(nn.Linear(self.out_channels, 10))
                for m in self.modules():
                    if isinstance(m, nn.Conv2d):
                        nn.init.kaiming_normal_(m.weight)

            @property
            def out_channels(self):
                return 16

            def forward(self, x):
                for name, module in self.named_children():
                    if name.startswith("conv"):
                        x = self.act(module(x))
                return self.head(x.mean((2, 3)))
        """,
        inputs=[(1, 3, 8, 8)],
    )
    # convs 3→8, 8→8, 8→16 with bias; head 16→10
    assert model.params == (3 * 8 * 9 + 8) + (8 * 8 * 9 + 8) + (8 * 16 * 9 + 16) + (16 * 10 + 10)
    assert [layer.path for layer in model.layers][:4] == ["conv0_0", "act", "conv0_1", "act"]
    assert model.layers[-1].output == (1, 10)


def test_project_imports_load_when_first_used(tmp_path) -> None:
    """A module imported with `from ... import` runs only when a name from it is used; a star import
    is looked into only for names its importer lacks, in order; a default that names a module not
    loaded yet is evaluated by the first call that needs it."""
    from staticflops import analyze

    package = tmp_path / "proj"
    package.mkdir()
    (package / "__init__.py").write_text("from .sizes import *\nfrom .unused import *\n")
    (package / "unused.py").write_text("raise RuntimeError('this module must not run')\n")
    (package / "sizes.py").write_text("class Width:\n    WIDE = 32\n    NARROW = 8\n")
    (package / "model.py").write_text(
        "import torch.nn as nn\n"
        "from proj.unused import never_used\n"
        "from proj import Width\n"
        "\n"
        "def unused_helper(width=never_used.WIDTH):\n"
        "    return width\n"
        "\n"
        "class Net(nn.Module):\n"
        "    def __init__(self, width=Width.NARROW):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(4, width)\n"
        "\n"
        "    def forward(self, x):\n"
        "        return self.fc(x)\n"
    )
    analysis = analyze([package / "model.py"], model="Net()", inputs=[(1, 4)], search_paths=[tmp_path])
    (model,) = analysis.models
    assert model.params == 4 * 8 + 8  # Width.NARROW, resolved when Net() needed it
    assert [d.code.code for d in analysis.diagnostics if d.code.code == "SF307"] == []  # unused.py never ran


def test_values_and_indices_and_data_dependent_shapes(analyze_source) -> None:
    """`torch.max(x, dim)` returns (values, indices), by position or by name; `torch.where(condition)`
    has as many indices as true elements, which only the data decides: SF301, not a guess."""
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class M(nn.Module):
            def forward(self, x):
                values, indices = x.min(dim=1)
                hits = torch.where(x > 0)
                return torch.max(x, 1).values + x.max(dim=1)[0] + values
        """,
        inputs=[(2, 5)],
    )
    assert model.layers[-1].output == (2,)
    # 3 reductions over 5 elements: 4 comparisons each for 2 outputs; x > 0: 10; two additions of 2
    assert model.flops == 3 * 2 * 4 + 10 + 2 * 2
    assert "SF301" in codes(model)
    assert not model.flops_complete


def test_signature_of_a_wrapper_is_the_wrapped_functions(analyze_source) -> None:
    # torchvision's @handle_legacy_interface: inspect.signature sees through functools.wraps, so the
    # decorator finds the builder's keyword-only parameters and maps positional arguments onto them
    model = analyze_source(
        """
        import functools
        import inspect

        import torch.nn as nn

        def kwonly_to_pos_or_kw(fn):
            params = inspect.signature(fn).parameters
            start = next(i for i, p in enumerate(params.values()) if p.kind == p.KEYWORD_ONLY)
            names = tuple(params)[start:]

            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                kwargs.update(zip(names, args[start:]))
                return fn(*args[:start], **kwargs)

            return wrapper

        def legacy(builder):
            @kwonly_to_pos_or_kw
            @functools.wraps(builder)
            def inner(*args, **kwargs):
                return builder(*args, **kwargs)

            return inner

        @legacy
        def net(*, width=8):
            return nn.Linear(4, width)
        """,
        model="net(16)",
        inputs=[(1, 4)],
    )
    assert model.params == 4 * 16 + 16
    assert "SF304" not in codes(model)
