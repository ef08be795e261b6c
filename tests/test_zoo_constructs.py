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
