"""Idioms of configuration-driven model libraries (diffusers' `ConfigMixin`, `@register_to_config`,
`FrozenDict`, lazy package `__init__`s, optional-package probes, keyword sizes), each as a short model in
that style with its exact figures. Linear(I, O) with bias on R rows costs R·O·2I FLOPs (seed)."""

from __future__ import annotations

from pathlib import Path

from staticflops import analyze


def test_a_frozen_dict_config_registered_by_a_decorator_on_init(analyze_source) -> None:
    # diffusers.configuration_utils: an OrderedDict subclass whose __init__ fills itself through
    # super().__init__ and mirrors its keys as attributes (its __setattr__ refuses once frozen); a
    # decorator on __init__ binds every argument (defaults included) by inspect.signature and registers
    # them, merging `{**self._internal_dict, **kwargs}` with `dict(self._internal_dict)` on a second
    # registration; the model reads `self.config.width` in forward()
    model = analyze_source(
        """
        import functools
        import inspect
        from collections import OrderedDict

        import torch.nn as nn


        class FrozenDict(OrderedDict):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for key, value in self.items():
                    setattr(self, key, value)
                self.__frozen = True

            def __setattr__(self, name, value):
                if hasattr(self, "__frozen") and self.__frozen:
                    raise Exception("frozen")
                super().__setattr__(name, value)


        class ConfigMixin:
            def register_to_config(self, **kwargs):
                if not hasattr(self, "_internal_dict"):
                    internal = kwargs
                else:
                    previous = dict(self._internal_dict)
                    internal = {**self._internal_dict, **kwargs}
                    assert len(previous) + 1 == len(internal)
                self._internal_dict = FrozenDict(internal)

            @property
            def config(self):
                return self._internal_dict


        def register_to_config(init):
            @functools.wraps(init)
            def inner(self, *args, **kwargs):
                names = list(inspect.signature(init).parameters.items())[1:]
                found = {name: p.default for name, p in names}
                found.update(zip([name for name, _ in names], args))
                found.update(kwargs)
                self.register_to_config(**found)
                init(self, *args, **kwargs)

            return inner


        class Model(nn.Module, ConfigMixin):
            @register_to_config
            def __init__(self, features=16, width=32):
                super().__init__()
                self.proj = nn.Linear(features, width)
                self.register_to_config(scale=2)

            def forward(self, x):
                if self.config.width != 32 or self.config.scale != 2:
                    raise ValueError("config lost")
                return self.proj(x) * self.config["scale"]


        model = Model(16)
        """,
        inputs=[(4, 16)],
    )
    assert model.params == 16 * 32 + 32
    assert model.flops == 4 * 32 * 2 * 16 + 4 * 32  # the linear, then the scaling
    assert model.flops_complete and not model.assumptions, model.diagnostics


def test_dict_of_pairs_that_are_not_pairs_raises_in_the_analyzed_code(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn

        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                try:
                    width = dict(["abc"])["a"]
                except ValueError:
                    width = 8
                self.fc = nn.Linear(4, width)

            def forward(self, x):
                return self.fc(x)
        """,
        inputs=[(1, 4)],
    )
    assert model.params == 4 * 8 + 8


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_lazy_package_that_imports_eagerly_on_type_checking_or_a_flag(tmp_path: Path) -> None:
    # diffusers/__init__.py: `if TYPE_CHECKING or SLOW_IMPORT:` states the imports, `else:` hands the
    # module over to a `_LazyModule` the analysis cannot run
    _write(
        tmp_path,
        {
            "lib/__init__.py": (
                "import os\n"
                "from typing import TYPE_CHECKING\n"
                "SLOW_IMPORT = os.environ.get('LIB_SLOW_IMPORT', '') == '1'\n"
                "_import_structure = {'blocks': ['Block']}\n"
                "if TYPE_CHECKING or SLOW_IMPORT:\n"
                "    from .blocks import Block\n"
                "else:\n"
                "    import sys\n"
                "    from .lazy import _LazyModule\n"
                "    sys.modules[__name__] = _LazyModule(__name__, _import_structure)\n"
            ),
            "lib/lazy.py": "import types\nclass _LazyModule(types.ModuleType):\n    pass\n",
            "lib/blocks.py": (
                "import torch.nn as nn\n"
                "class Block(nn.Module):\n"
                "    def __init__(self, width=8):\n"
                "        super().__init__()\n"
                "        self.fc = nn.Linear(width, width)\n"
                "    def forward(self, x):\n"
                "        return self.fc(x)\n"
            ),
            "user.py": "from lib import Block\n\nmodel = Block(16)\n",
        },
    )
    analysis = analyze([tmp_path / "user.py"], inputs=[(2, 16)], site_packages=False)
    (model,) = analysis.models
    assert (model.params, model.flops) == (16 * 16 + 16, 2 * 16 * 2 * 16)


def test_an_optional_package_probe_takes_the_plain_path(analyze_source) -> None:
    # diffusers.utils.import_utils: `importlib.util.find_spec(name) is not None` says whether an optional
    # accelerator package is installed; one the analysis cannot find is taken as absent (an SF304 note),
    # one it models (torch) as present
    model = analyze_source(
        """
        import importlib.metadata
        import importlib.util

        import torch.nn as nn
        import torch.nn.functional as F

        _npu_available = importlib.util.find_spec("torch_npu_like_accelerator") is not None
        _torch_available = importlib.util.find_spec("torch") is not None
        try:  # transformers' `_is_package_available("torch", return_version=True)`
            _torch_version = importlib.metadata.version("torch")
        except importlib.metadata.PackageNotFoundError:
            _torch_version = "N/A"

        if _npu_available:
            import torch_npu_like_accelerator


        class GEGLU(nn.Module):
            def __init__(self, dim=8):
                super().__init__()
                self.proj = nn.Linear(dim, 2 * dim)

            def forward(self, x):
                x = self.proj(x)
                if _npu_available:
                    return torch_npu_like_accelerator.npu_geglu(x, dim=-1)[0]
                if not _torch_available or not _torch_version[0].isdigit():
                    raise ImportError("torch")
                x, gate = x.chunk(2, dim=-1)
                return x * F.gelu(gate)
        """,
        inputs=[(3, 8)],
    )
    assert [layer.type for layer in model.layers] == ["Linear", "Tensor.chunk", "F.gelu", "mul"]
    assert model.params == 8 * 16 + 16
    assert model.flops == 3 * 16 * 2 * 8 + 3 * 8 + 3 * 8
    assert model.flops_complete, model.diagnostics
    notes = [d.message for d in model.diagnostics]
    assert not any("torch_npu_like_accelerator" in note and "unknown" in note for note in notes)


def test_gradient_checkpointing_branches_are_not_taken(analyze_source) -> None:
    # diffusers' blocks: `if torch.is_grad_enabled() and self.gradient_checkpointing:` calls a function
    # set only when training with checkpointing; forward() is analyzed as inference
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 4)
                self.gradient_checkpointing = True

            def forward(self, x):
                if torch.is_grad_enabled() and self.gradient_checkpointing:
                    return self._gradient_checkpointing_func(self.fc, x)
                return self.fc(x)
        """,
        inputs=[(2, 4)],
    )
    assert model.flops == 2 * 4 * 2 * 4
    assert model.flops_complete and not model.assumptions, model.diagnostics


def test_size_methods_take_their_sizes_by_keyword(analyze_source) -> None:
    # diffusers' DiT unpatchify: `x.reshape(shape=(...))`; torch's argument parser also takes
    # view(size=), permute(dims=), expand(size=), repeat(repeats=), tile(dims=)
    model = analyze_source(
        """
        import torch.nn as nn

        class Unpatchify(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(8, 16)

            def forward(self, x):
                x = self.proj(x)
                x = x.reshape(shape=(-1, 4, 4, 2, 2, 4))
                x = x.permute(dims=(0, 5, 1, 3, 2, 4))
                x = x.reshape(shape=(-1, 4, 8, 8)).view(size=(1, 4, 64))
                return x.expand(size=(3, 4, 64)).repeat(repeats=(1, 2, 1)).tile(dims=(2,))
        """,
        inputs=[(1, 16, 8)],
    )
    assert [layer.output for layer in model.layers][1:] == [
        (1, 4, 4, 2, 2, 4), (1, 4, 4, 2, 4, 2), (1, 4, 8, 8), (1, 4, 64), (3, 4, 64), (3, 8, 64), (3, 8, 128)
    ]  # fmt: skip
    assert model.flops == 16 * 16 * 2 * 8


def test_usage_feeds_a_library_model_built_at_module_level(tmp_path: Path) -> None:
    # a user file builds a library's denoiser at module level and calls it under __main__ with a sample,
    # a timestep given as a number, text embeddings and a dict of extra conditions
    _write(
        tmp_path,
        {
            "denoisers.py": (
                "import torch\n"
                "import torch.nn as nn\n"
                "class Denoiser(nn.Module):\n"
                "    def __init__(self, channels=4, context=6, width=8):\n"
                "        super().__init__()\n"
                "        self.conv = nn.Conv2d(channels, width, 3, padding=1)\n"
                "        self.time = nn.Linear(1, width)\n"
                "        self.context = nn.Linear(context, width)\n"
                "        self.extra = nn.Linear(3, width)\n"
                "    def forward(self, sample, timestep, context=None, added=None, return_dict=True):\n"
                "        if not torch.is_tensor(timestep):\n"
                "            timestep = torch.tensor([timestep], dtype=torch.float32)\n"
                "        h = self.conv(sample) + self.time(timestep[:, None])[:, :, None, None]\n"
                "        h = h + self.context(context).mean(1)[:, :, None, None]\n"
                "        h = h + self.extra(added['time_ids'])[:, :, None, None]\n"
                "        return h if return_dict else (h,)\n"
            ),
            "user.py": (
                "import torch\n"
                "from denoisers import Denoiser\n"
                "\n"
                "unet = Denoiser(channels=4, context=6, width=8)\n"
                "\n"
                'if __name__ == "__main__":\n'
                "    latents = torch.randn(1, 4, 5, 5)\n"
                "    text = torch.randn(1, 7, 6)\n"
                "    out = unet(latents, 10, context=text, added={'time_ids': torch.randn(1, 3)}, return_dict=False)\n"
            ),
        },
    )
    analysis = analyze([tmp_path / "user.py"], site_packages=False)
    (model,) = analysis.models
    assert model.input_source == "usage"
    conv = 25 * 8 * (2 * 4 * 9)  # 8 outputs of 4·9 products (and bias) at each of 5·5 places
    linears = 8 * 2 * 1 + 7 * 8 * 2 * 6 + 8 * 2 * 3
    mean = 8 * 6 + 8  # 7 rows summed (6 additions) and divided, per output
    adds = 3 * 200  # three broadcast additions to the 1·8·5·5 feature map
    assert model.params == (4 * 9 * 8 + 8) + (1 * 8 + 8) + (6 * 8 + 8) + (3 * 8 + 8)
    assert model.flops == conv + linears + mean + adds, [(layer.type, layer.flops) for layer in model.layers]
    assert model.flops_complete, model.diagnostics


def test_a_learned_mix_factor_from_the_legacy_tensor_constructor(analyze_source) -> None:
    # diffusers.models.resnet.AlphaBlender: `nn.Parameter(torch.Tensor([alpha]))` holds one float;
    # `torch.Tensor(2, 3)` is a size; the temporal transformer broadcasts with the sizes one by one
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class AlphaBlender(nn.Module):
            def __init__(self, alpha=0.5):
                super().__init__()
                self.register_parameter("mix_factor", torch.nn.Parameter(torch.Tensor([alpha])))
                self.register_buffer("offset", torch.Tensor(2, 3))

            def forward(self, spatial, temporal):
                alpha = torch.sigmoid(self.mix_factor)[..., None].broadcast_to(4, 2, 3)
                return alpha * spatial + (1.0 - alpha) * temporal + self.offset
        """,
        inputs=[(4, 2, 3), (4, 2, 3)],
    )
    assert model.params == 1
    assert [layer.output for layer in model.layers][:2] == [(1,), (4, 2, 3)]
    assert model.flops == 1 + 5 * 24  # the sigmoid; mul, rsub, mul, add, add on 24 elements
    assert model.flops_complete, model.diagnostics


def test_an_and_with_an_unknown_term_is_decided_by_a_false_one(analyze_source) -> None:
    # transformers' mamba: `use_scan and scan is not None and (is_compiling() and ...)` where `scan` was
    # imported from a module the analysis does not model: false whatever `scan` is, since its last term
    # is; a right side that runs tensor ops Python may skip is not kept in the trace
    model = analyze_source(
        """
        import torch
        import torch.nn as nn
        from torch._not_modelled_ops import scan

        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 4)

            def forward(self, x):
                if scan is not None and torch.compiler.is_compiling():
                    x = scan(x)
                if scan is not None or torch.jit.is_scripting():
                    x = x
                unused = scan and torch.matmul(x, x.T)
                return self.fc(x)
        """,
        inputs=[(2, 4)],
    )
    assert [layer.type for layer in model.layers] == ["Linear"]
    assert model.flops == 2 * 4 * 2 * 4
    assert len(model.assumptions) == 1, model.assumptions  # the `or`, which its false term cannot decide
