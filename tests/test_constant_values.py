"""Hyperparameters and buffer shapes that model code computes with torch or numpy on constants.

Every source here was also run with PyTorch 2.14 (parameters, buffer shapes and the layers built
agree); FLOPs follow docs/conventions.md.
"""

from __future__ import annotations


def test_a_drop_path_schedule_from_linspace_chooses_the_blocks(analyze_source) -> None:
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self, depth=4, rate=0.3):
                super().__init__()
                dpr = [x.item() for x in torch.linspace(0, rate, depth)]
                self.blocks = nn.Sequential(*[nn.Linear(8, 8) if r < 0.15 else nn.Identity() for r in dpr])
                stages = torch.linspace(0, rate, depth).split([1, 3])
                self.heads = nn.ModuleList([nn.Linear(8, 1 + len(s.tolist())) for s in stages])

            def forward(self, x):
                x = self.blocks(x)
                return [h(x) for h in self.heads]
        """,
        inputs=[(1, 8)],
    )
    # rates 0, 0.1, 0.2, 0.3: two Linear(8, 8) blocks; stages of 1 and 3 rates: Linear(8, 2), Linear(8, 4)
    assert model.params == 2 * (64 + 8) + (16 + 2) + (32 + 4)
    assert [layer.type for layer in model.layers] == ["Linear", "Linear", "Identity", "Identity", "Linear", "Linear"]
    assert model.flops == 2 * (2 * 8 * 8) + 2 * 8 * 2 + 2 * 8 * 4
    assert model.flops_complete and not model.assumptions


def test_a_numpy_sinusoid_table_registered_as_a_buffer_keeps_its_shape(analyze_source) -> None:
    model = analyze_source(
        """
        import numpy as np
        import torch
        import torch.nn as nn

        class Encoder(nn.Module):
            def __init__(self, positions=16, dim=8):
                super().__init__()
                pe = np.zeros((positions, dim))
                position = np.arange(0, positions)[:, np.newaxis]
                div = np.exp(np.arange(0, dim, 2) * -(np.log(10000.0) / dim))
                pe[:, 0::2] = np.sin(position * div)
                pe[:, 1::2] = np.cos(position * div)
                self.register_buffer("pe", torch.from_numpy(pe).float().unsqueeze(0))
                self.logit_scale = nn.Parameter(torch.ones([]) * np.log(1 / 0.07))
                self.fc = nn.Linear(dim, dim)

            def forward(self, x):
                x = x + self.pe[:, : x.size(1)]
                return self.fc(x) * self.logit_scale.exp()
        """,
        inputs=[(1, 16, 8)],
    )
    assert model.params == (64 + 8) + 1  # the Linear and the scalar logit scale
    assert model.layers[0].inputs == [(1, 16, 8), (1, 16, 8)]  # x + pe[:, :16]
    # add 16·8, Linear 16·8 outputs of 2·8, exp of one element, the product 16·8
    assert model.flops == 128 + 16 * 8 * 16 + 1 + 128
    assert model.flops_complete


def test_regnet_style_stage_widths_from_torch_unique_and_flip(analyze_source) -> None:
    model = analyze_source(
        """
        import math
        import torch
        import torch.nn as nn

        def stage_widths(depth=6, w0=8, wa=8.0, wm=2.0, quant=8):
            widths_cont = torch.arange(depth) * wa + w0
            exps = torch.round(torch.log(widths_cont / w0) / math.log(wm))
            widths = torch.round((w0 * torch.pow(wm, exps)) / quant) * quant
            widths, depths = torch.unique(widths.int(), return_counts=True)
            return widths.tolist(), depths.tolist()

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                widths, depths = stage_widths()
                layers, prev = [], 4
                for w, d in zip(widths, depths):
                    for _ in range(d):
                        layers.append(nn.Linear(prev, w))
                        prev = w
                self.body = nn.Sequential(*layers)
                self.levels = (4 ** torch.arange(3)).flip(0).tolist()
                self.pool = nn.Linear(prev, self.levels[0])

            def forward(self, x):
                return self.pool(self.body(x))
        """,
        inputs=[(1, 4)],
    )
    # widths 8, 16, 32, 32, 32, 64 → stages (8, 1), (16, 1), (32, 3), (64, 1); levels [16, 4, 1]
    widths = [(4, 8), (8, 16), (16, 32), (32, 32), (32, 32), (32, 64), (64, 16)]
    assert [layer.output for layer in model.layers] == [(1, o) for _, o in widths]
    assert model.params == sum(i * o + o for i, o in widths) == 5992
    assert model.flops == sum(2 * i * o for i, o in widths)


def test_identity_and_triangle_index_factories_have_their_shapes(analyze_source) -> None:
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.register_buffer("eye", torch.eye(4))
                pairs = torch.triu_indices(4, 4, 1).shape[1]  # the 6 pairs above the diagonal
                self.fc = nn.Linear(4, pairs)

            def forward(self, x):
                return self.fc(x @ self.eye)
        """,
        inputs=[(1, 4)],
    )
    assert model.params == 4 * 6 + 6
    assert [layer.output for layer in model.layers] == [(1, 4), (1, 6)]
    assert model.flops == (2 * 4 - 1) * 4 + 2 * 4 * 6  # the matmul, then the biased Linear
