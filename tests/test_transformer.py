"""nn.Transformer and its parts (modelled by torchmodel/stubs/transformer.py): parameters and output
shapes as torch 2.13 reports them for the same configurations."""

from __future__ import annotations

import pytest

CASES = [
    # constructor, input shapes, torch's parameter count, torch's output shape
    ("nn.TransformerEncoder(nn.TransformerEncoderLayer(64, 4, dim_feedforward=128, batch_first=True), 2)",
     [(2, 10, 64)], 66_944, (2, 10, 64)),
    ("nn.Transformer(d_model=32, nhead=4, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=64)",
     [(7, 2, 32), (5, 2, 32)], 30_048, (5, 2, 32)),
    ("nn.TransformerDecoderLayer(32, 2, 64, norm_first=True, activation='gelu')",
     [(5, 3, 32), (7, 3, 32)], 12_832, (5, 3, 32)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("constructor", "inputs", "params", "output"), CASES, ids=["encoder", "transformer", "decoder"]
)
def test_transformer_layers_match_torch(constructor, inputs, params, output, analyze_source) -> None:
    model = analyze_source(
        f"""
        import torch.nn as nn

        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.t = {constructor}

            def forward(self, *inputs):
                return self.t(*inputs)
        """,
        inputs=inputs,
    )
    assert model.params == params
    assert model.layers[-1].output == output
    assert model.flops_complete


def test_encoder_layer_costs_what_its_parts_cost(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn

        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.layer = nn.TransformerEncoderLayer(64, 4, dim_feedforward=128, batch_first=True)

            def forward(self, x):
                return self.layer(x)
        """,
        inputs=[(2, 10, 64)],
    )
    by_type = {}
    for layer in model.layers:
        by_type[layer.type] = by_type.get(layer.type, 0) + layer.flops
    # projections: 4 × 2·10·64 outputs × 2·64; scores 2·4·10·10 × (2·16 − 1); softmax 3 per score;
    # weights·v 2·10·64 × (2·10 − 1)
    assert by_type["MultiheadAttention"] == 4 * 1280 * 128 + 800 * 31 + 3 * 800 + 1280 * 19
    # linear1 2·10·128 × 2·64, linear2 2·10·64 × 2·128
    assert by_type["Linear"] == 2560 * 128 + 1280 * 256
    assert by_type["LayerNorm"] == 2 * 1280 * 7
    assert by_type["F.relu"] == 2560
