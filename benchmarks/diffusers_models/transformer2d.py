"""A tiny continuous-input Transformer2DModel with cross-attention to a text sequence."""

import torch
from diffusers import Transformer2DModel

transformer = Transformer2DModel(
    num_attention_heads=2,
    attention_head_dim=16,
    in_channels=32,
    num_layers=1,
    norm_num_groups=8,
    cross_attention_dim=24,
)

if __name__ == "__main__":
    features = torch.randn(1, 32, 8, 8)
    context = torch.randn(1, 10, 24)
    out = transformer(features, encoder_hidden_states=context).sample
    print(out.shape)
