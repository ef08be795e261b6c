"""What the sweep over every transformers model type (benchmarks/transformers_sweep.py) taught the
interpreter, each as a short model of ours in the style of the code that needed it, with exact figures
(torch 2.14.1's, where a figure is torch's)."""

from __future__ import annotations


def test_an_embedding_of_int32_ids_gives_its_weights_dtype(analyze_source) -> None:
    # CPM-Ant: int32 ids and int32 relative-position buckets index float tables (nn.Embedding, F.embedding),
    # and the scores' own dtype is asked for a `-inf` fill. torch 2.14.1: 6,336 parameters, FlopCounterMode
    # 57,344 on 1×8 ids (the qkv projection and the two attention products)
    model = analyze_source(
        """
        import math
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        class BiasedAttention(nn.Module):
            def __init__(self):
                super().__init__()
                self.embed = nn.Embedding(100, 32)
                self.qkv = nn.Linear(32, 96, bias=False)
                self.relative_bias = nn.Parameter(torch.zeros(16, 4))

            def forward(self, ids):
                x = self.embed(ids.to(torch.int32))
                q, k, v = self.qkv(x).view(1, 8, 3, 4, 8).permute(2, 0, 3, 1, 4)
                positions = torch.arange(8, dtype=torch.int32)
                bias = F.embedding(positions[None, :] - positions[:, None] + 8, self.relative_bias).permute(2, 0, 1)
                score = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(8) + bias
                causal = torch.ones(8, 8, dtype=torch.bool).tril()
                minimum = torch.scalar_tensor(float("-inf"), dtype=score.dtype)
                score = torch.masked_fill(score, causal == torch.tensor(False), minimum)
                return torch.matmul(score.softmax(-1), v)
        """,
        named_inputs={"ids": (1, 8)},
        convention="torch",
    )
    assert (model.params, model.flops) == (6_336, 57_344)
    assert model.flops_complete and model.params_complete


def test_an_infinite_fill_of_an_integer_tensor_raises_as_torch_does(analyze_source) -> None:
    # torch.scalar_tensor(float("-inf"), dtype=torch.int32) is torch's RuntimeError, which code may catch
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Fill(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(4, 4)

            def forward(self, x):
                try:
                    floor = torch.scalar_tensor(float("-inf"), dtype=torch.int32)
                except RuntimeError:
                    return self.proj(x)
                return x
        """,
        inputs=[(2, 4)],
        convention="torch",
    )
    assert model.flops == 2 * 2 * 4 * 4


def test_numpy_spellings_of_torch_arguments(analyze_source) -> None:
    # I-BERT and ImageGPT: `x.mean(axis=-1, keepdims=True)`; Funnel: `torch.cat(..., axis=...)`. torch's argument
    # parser takes numpy's names for `dim`, `keepdim`, `input` and `other`. torch 2.14.1: FlopCounterMode 768
    # (the Linear on 2·3 rows), output 2×6
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class NumpyStyle(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(8, 8)

            def forward(self, x):
                centred = x - x.mean(axis=-1, keepdims=True)
                pooled = torch.cat([centred, self.proj(centred)], axis=1)
                return torch.sum(pooled, axis=-1)
        """,
        inputs=[(2, 3, 8)],
        convention="torch",
    )
    assert (model.params, model.flops) == (72, 768)
    assert [layer.output for layer in model.layers] == [(2, 3, 1), (2, 3, 8), (2, 3, 8), (2, 6, 8), (2, 6)]


def test_a_rounded_division_of_sizes_is_a_size(analyze_source) -> None:
    # Longformer and LED: `torch.div(seq_len, w, rounding_mode="trunc")` of two ints is a 0-d int64 tensor whose
    # value sizes `new_zeros` and `view`, as `Tensor.__index__` reads it. torch 2.14.1: FlopCounterMode 4,096 on
    # 2×16×8, output 32×8
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Chunks(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(8, 8)

            def forward(self, x):
                chunks = torch.div(x.size(1), 4, rounding_mode="trunc") - 1
                scores = x.new_zeros((x.size(0), chunks + 1, 4, 8))
                return self.proj(scores.view(x.size(0), chunks + 1, 4 * 8).view(-1, 8))
        """,
        inputs=[(2, 16, 8)],
        convention="torch",
    )
    assert (model.params, model.flops) == (72, 4_096)
    assert model.layers[-1].output == (32, 8) and model.flops_complete


def test_abs_of_a_tensor_is_its_abs_method(analyze_source) -> None:
    # ModernBERT's sliding window: `abs(q_idx - kv_idx) <= window` with the builtin `abs`, which calls
    # `Tensor.__abs__`; a class of ours with `__abs__` is called the same way. torch 2.14.1: FlopCounterMode
    # 20,480 on 2×16×8 (the Linear and the two batched products), output 2×16×8
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Width:
            def __init__(self, half):
                self.half = half

            def __abs__(self):
                return 2 * self.half

        class Window(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(8, 8)
                self.window = abs(Width(1))

            def forward(self, x):
                q = torch.arange(x.size(1))[:, None]
                k = torch.arange(x.size(1))[None, :]
                allowed = q.new_ones((), dtype=torch.bool) & (abs(q - k) <= self.window)
                scores = self.proj(x) @ x.transpose(1, 2)
                return scores.masked_fill(~allowed.expand(x.size(0), -1, -1), float("-inf")).softmax(-1) @ x
        """,
        inputs=[(2, 16, 8)],
        convention="torch",
    )
    assert (model.params, model.flops) == (72, 20_480)
    assert model.layers[-1].output == (2, 16, 8) and model.flops_complete


def test_autocast_is_not_enabled_around_the_forward(analyze_source) -> None:
    # transformers' `maybe_autocast` asks `torch.is_autocast_enabled(device_type)` before entering a region
    model = analyze_source(
        """
        import contextlib
        import torch
        import torch.nn as nn

        class Rotary(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(8, 8)

            def forward(self, x):
                region = torch.autocast("cpu") if torch.is_autocast_enabled("cpu") else contextlib.nullcontext()
                with region:
                    return self.proj(x)
        """,
        inputs=[(2, 8)],
        convention="torch",
    )
    assert model.flops == 2 * 2 * 8 * 8 and model.flops_complete and not model.assumptions


def test_the_tensor_class_called_is_the_legacy_constructor(analyze_source) -> None:
    # BiT's drop-path rates: `torch.Tensor(np.linspace(0, rate, sum(depths))).split(depths)`, a float32 tensor of
    # the array's values, split per stage
    model = analyze_source(
        """
        import numpy as np
        import torch
        import torch.nn as nn

        class Stages(nn.Module):
            def __init__(self, depths=(2, 1)):
                super().__init__()
                rates = [x.tolist() for x in torch.Tensor(np.linspace(0, 0.1, sum(depths))).split(depths)]
                self.blocks = nn.ModuleList(nn.Linear(8, 8) for rate in rates for _ in rate)

            def forward(self, x):
                for block in self.blocks:
                    x = block(x)
                return x
        """,
        inputs=[(2, 8)],
        convention="torch",
    )
    assert model.params == 3 * (8 * 8 + 8)
    assert model.flops == 3 * 2 * 2 * 8 * 8


def test_a_property_set_through_its_descriptor(analyze_source) -> None:
    # HRM's config: a subclass's setter hands the value to its base's with `Base.prop.__set__(self, value)`
    model = analyze_source(
        """
        import torch.nn as nn

        class Base:
            def __init__(self):
                self._width = 4

            @property
            def width(self):
                return self._width

            @width.setter
            def width(self, value):
                self._width = value

        class Doubled(Base):
            @property
            def width(self):
                return Base.width.__get__(self)

            @width.setter
            def width(self, value):
                Base.width.__set__(self, 2 * value)

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                config = Doubled()
                config.width = 8
                self.proj = nn.Linear(config.width, 4)

            def forward(self, x):
                return self.proj(x)
        """,
        model="Net",
        inputs=[(2, 16)],
    )
    assert model.params == 16 * 4 + 4


def test_einsum_with_an_ellipsis(analyze_source) -> None:
    # LongT5's local attention: `torch.einsum("...qhd,...khd->...hqk", q, k)`; the implicit form keeps the
    # ellipsis' dimensions first, and an ellipsis may cover trailing dimensions. torch 2.14.1: FlopCounterMode
    # 15,744 on 2×12×16, outputs 2×2×4×4 and 2×3×2×4×4
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Blocks(nn.Module):
            def __init__(self):
                super().__init__()
                self.q = nn.Linear(16, 16)

            def forward(self, x):
                q = self.q(x).view(2, 3, 4, 2, 8)
                scores = torch.einsum("...qhd,...khd->...hqk", q, x.view(2, 3, 4, 2, 8))
                summed = torch.einsum("...ij", scores)
                return torch.einsum("bn...,n->b...", scores, torch.ones(3)), summed
        """,
        inputs=[(2, 12, 16)],
        convention="torch",
    )
    assert (model.params, model.flops) == (272, 15_744)
    assert [layer.output for layer in model.layers if layer.type == "torch.einsum"] == [
        (2, 3, 2, 4, 4), (2, 3, 2, 4, 4), (2, 2, 4, 4)
    ]  # fmt: skip


def test_an_optional_dependency_is_asked_of_the_analyzed_environment(analyze_source) -> None:
    # xLSTM: `if is_xlstm_available(): from xlstm... else: class xLSTMBlock(...)`, asked with
    # `importlib.util.find_spec`. A package the analyzed environment lacks is None: the fallback is priced;
    # torch (modelled) and the standard library are found, and torch's version is the modelled one
    model = analyze_source(
        """
        import importlib.metadata
        import importlib.util

        import torch
        import torch.nn as nn

        if importlib.util.find_spec("no_such_fused_kernels") is not None:
            from no_such_fused_kernels import FusedBlock as Block
        else:
            class Block(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.proj = nn.Linear(8, 8)

                def forward(self, x):
                    return self.proj(x)

        HAS_TORCH = importlib.util.find_spec("torch") is not None and importlib.util.find_spec("math") is not None
        NEW_TORCH = importlib.metadata.version("torch") == torch.__version__

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.block = Block()
                self.extra = nn.Linear(8, 8) if HAS_TORCH and NEW_TORCH else nn.Identity()

            def forward(self, x):
                return self.extra(self.block(x))
        """,
        model="Net",
        inputs=[(2, 8)],
        convention="torch",
    )
    assert (model.params, model.flops) == (2 * (8 * 8 + 8), 2 * 2 * 2 * 8 * 8)
    assert not model.assumptions, model.diagnostics


def test_an_unknown_and_a_falsy_operand_is_falsy(analyze_source) -> None:
    # Jamba's scan: `use_scan and scan is not None and (is_compiling() and not is_exporting())` where `scan` is
    # unknown (torch._higher_order_ops): falsy whatever it is, since the last operand is False; `or` with a truthy
    # right side is truthy. A right side that records a call is not trusted (the unknown may have skipped it)
    model = analyze_source(
        """
        import torch
        import torch.nn as nn
        from torch._higher_order_ops.scan import scan

        class Mixer(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(8, 8)
                self.out = nn.Linear(8, 8)

            def forward(self, x):
                if True and scan is not None and torch.compiler.is_compiling():
                    x = x * 2
                if scan is None or True:
                    x = self.proj(x)
                if scan is not None and self.out(x).sum() > 0:
                    x = x + 1
                return x
        """,
        inputs=[(2, 8)],
        convention="torch",
    )
    assert [layer.path for layer in model.layers][:1] == ["proj"]
    assert len(model.assumptions) == 1  # only the third condition, whose right side calls a layer


def test_another_accelerators_questions_are_not_ops(analyze_source) -> None:
    # transformers' `is_tracing()` asks `torch.xpu.is_current_stream_capturing()`: a device question, as
    # unmodelled as torch.cuda's, never an unknown op whose cost would be missing
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(8, 8)

            def forward(self, x):
                capturing = torch.xpu.is_current_stream_capturing() or torch.mps.is_available()
                return self.proj(x)
        """,
        inputs=[(2, 8)],
        convention="torch",
    )
    assert model.flops == 2 * 2 * 8 * 8 and model.flops_complete
    assert not [d for d in model.diagnostics if d.code.code == "SF305"], model.diagnostics


def test_overlapping_chunks_by_as_strided(analyze_source) -> None:
    # Longformer's `_chunk`: `x.as_strided(size, stride)` with the stride from `x.stride()`, halved along the
    # chunks; a tensor is laid out as a new one (row-major, as `is_contiguous()` says). torch 2.14.1:
    # FlopCounterMode 7,680 on 2×16×8, output 2×7×4×4
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Chunks(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(8, 8)

            def forward(self, x):
                x = self.proj(x).view(x.size(0), x.size(1) // 4, 4, 8)
                size = list(x.size())
                size[1] = size[1] * 2 - 1
                stride = list(x.stride())
                stride[1] = stride[1] // 2
                chunks = x.as_strided(size=size, stride=stride)
                return torch.einsum("bcxd,bcyd->bcxy", chunks, chunks)
        """,
        inputs=[(2, 16, 8)],
        convention="torch",
    )
    assert (model.params, model.flops) == (72, 7_680)
    assert model.layers[-1].output == (2, 7, 4, 4) and model.flops_complete
