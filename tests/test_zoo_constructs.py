"""Python and torch constructs the torchvision zoo beyond classification relies on, each as a short model
with its exact figures (docs/conventions.md, seed convention)."""

from __future__ import annotations


def test_tensor_split_at_indices_and_repeat_interleave(analyze_source) -> None:
    # mvit's class token split off the tokens and its space-time position embedding
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Tokens(nn.Module):
            def __init__(self):
                super().__init__()
                self.temporal_pos = nn.Parameter(torch.zeros(2, 8))
                self.spatial_pos = nn.Parameter(torch.zeros(3, 8))
                self.proj = nn.Linear(8, 8)

            def forward(self, x):
                hw, c = self.spatial_pos.shape
                pos = torch.repeat_interleave(self.temporal_pos, hw, dim=0)
                pos = pos + self.spatial_pos.repeat(2, 1)
                class_token, tokens = torch.tensor_split(x, indices=(1,), dim=1)
                tokens = tokens + pos
                return self.proj(tokens), class_token
        """,
        inputs=[(1, 7, 8)],
    )
    assert model.params == 2 * 8 + 3 * 8 + (8 * 8 + 8)
    # two adds of 6·8 elements; the projection: 48 outputs × 2·8
    assert model.flops == 48 + 48 + 48 * 16
    assert model.flops_complete, model.diagnostics
    adds = [layer.inputs for layer in model.layers if layer.path.startswith("add")]
    assert adds == [[(6, 8), (6, 8)], [(1, 6, 8), (6, 8)]]


def test_grid_sample_at_absolute_coordinates(analyze_source) -> None:
    # RAFT's correlation lookup: pixel coordinates normalized to [-1, 1], then sampled bilinearly
    model = analyze_source(
        """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        def grid_sample(img, absolute_grid):
            h, w = img.shape[-2:]
            xgrid, ygrid = absolute_grid.split([1, 1], dim=-1)
            xgrid = 2 * xgrid / (w - 1) - 1
            ygrid = 2 * ygrid / (h - 1) - 1
            return F.grid_sample(img, torch.cat([xgrid, ygrid], dim=-1), align_corners=True)

        class Lookup(nn.Module):
            def forward(self, fmap, coords):
                return grid_sample(fmap, coords.permute(0, 2, 3, 1))
        """,
        inputs=[(1, 4, 8, 8), (1, 2, 3, 3)],
    )
    # normalizing: 3 ops on each of 9 x and 9 y coordinates; sampling: 4·3·3 outputs × 7 (bilinear)
    assert model.flops == 2 * 3 * 9 + 36 * 7
    assert model.layers[-1].output == (1, 4, 3, 3)
    assert model.flops_complete, model.diagnostics


def test_what_code_asks_about_how_it_runs(analyze_source) -> None:
    # torchvision's detection transform: not traced (torch._C), a float image on the CPU, `type(None)` among
    # the accepted kinds; the resize by a Python float scale is then a bilinear interpolation
    model = analyze_source(
        """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        def _is_tracing():
            return torch._C._get_tracing_state()

        class Anchors:
            pass

        class Transform(nn.Module):
            def __init__(self, min_size=32, anchors=None):
                super().__init__()
                if not isinstance(anchors, (Anchors, type(None))):
                    raise TypeError("anchors should be Anchors or None")
                self.min_size = min_size

            def forward(self, image):
                if not image.is_floating_point() or image.element_size() != 4:
                    raise TypeError("expected a float32 image")
                if image.device.type != "cpu" or image.device != torch.device("cpu") or image.is_quantized:
                    raise RuntimeError("CPU only")
                if _is_tracing():
                    scale = torch.tensor(self.min_size) / torch.tensor(image.shape[-2:]).min()
                else:
                    scale = self.min_size / min(image.shape[-2:])
                image = F.interpolate(image[None], scale_factor=scale, mode="bilinear", align_corners=False)
                return image[0]
        """,
        inputs=[(3, 16, 24)],
    )
    # scale 32 / 16 = 2: 3·32·48 outputs × 7 (bilinear)
    assert model.layers[-1].output == (1, 3, 32, 48)
    assert model.flops == 3 * 32 * 48 * 7
    assert not [d for d in model.diagnostics if d.code.code in ("SF301", "SF304", "SF305", "SF306")]


def test_compiled_functions_are_the_functions(analyze_source) -> None:
    # torchvision's roi_align: `torch.compile` applied on first call, behind a determinism check
    model = analyze_source(
        """
        import functools

        import torch
        import torch.nn as nn

        def lazy_compile(**options):
            def decorate(fn):
                @functools.wraps(fn)
                def hook(*args, **kwargs):
                    return torch.compile(fn, **options)(*args, **kwargs)

                return hook

            return decorate

        @lazy_compile(dynamic=True)
        def double(x):
            return x * 2

        @torch.compile(mode="reduce-overhead")
        def halve(x):
            return x / 2

        class M(nn.Module):
            def forward(self, x):
                if torch.are_deterministic_algorithms_enabled() and (x.is_cuda or x.is_mps or x.is_xpu):
                    raise RuntimeError("no deterministic kernel")
                return halve(double(x))
        """,
        inputs=[(2, 5)],
    )
    assert model.flops == 10 + 10
    assert model.flops_complete, model.diagnostics


def test_topk_masks_and_remainders(analyze_source) -> None:
    # post-processing that depends only on shapes: the k best scores, box sides compared, labels modulo
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Select(nn.Module):
            def forward(self, scores, boxes):
                top, idx = scores.topk(10, dim=1)
                picked = boxes[0][idx[0]]
                w = picked[:, 2] - picked[:, 0]
                h = picked[:, 3] - picked[:, 1]
                keep = (w >= 1.0) & (h >= 1.0)
                return top, keep, idx % 5, torch.logical_or(keep, idx[0] // 5 == 0)
        """,
        inputs=[(1, 50), (1, 50, 4)],
    )
    # topk: no arithmetic counted; 10 each: w, h, the two comparisons, &, %, //, ==, logical_or
    assert model.flops == 9 * 10
    assert [layer.output for layer in model.layers if layer.path.startswith(("topk", "and", "mod"))] == [
        (1, 10), (10,), (1, 10),
    ]  # fmt: skip
    assert model.flops_complete, model.diagnostics


def test_data_dependent_shapes_are_said_to_be_and_their_consequences_are_not_errors(analyze_source) -> None:
    # detection heads keep the boxes that pass a threshold: how many is known only at run time
    analysis = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Filter(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 2)

            def forward(self, scores, boxes):
                kept = boxes[scores > 0.5]
                pieces = [box[None] for box in kept]
                return self.fc(torch.cat(pieces))
        """,
        inputs=[(8,), (8, 4)],
        all=True,
    )
    (model,) = analysis.models
    messages = [d.format() for d in analysis.diagnostics + model.diagnostics]
    assert any("boolean mask: the result's size depends on the data" in m for m in messages), messages
    assert any("an empty sequence, which the loop skipped at line 12 may have filled" in m for m in messages)
    assert not any("SF201" in m for m in messages), messages
    assert model.params == 4 * 2 + 2
    assert model.flops == 8  # the comparison; the rest is not known
    assert not model.flops_complete
