"""A tiny LTX-Video transformer over 2 latent frames of 4x4 tokens."""

import torch
from diffusers import LTXVideoTransformer3DModel

ltx = LTXVideoTransformer3DModel(
    in_channels=8,
    out_channels=8,
    num_attention_heads=2,
    attention_head_dim=8,
    cross_attention_dim=16,
    num_layers=1,
    caption_channels=12,
)

if __name__ == "__main__":
    tokens = torch.randn(1, 32, 8)
    prompt = torch.randn(1, 6, 12)
    mask = torch.ones(1, 6)
    out = ltx(tokens, prompt, torch.tensor([10]), mask, num_frames=2, height=4, width=4).sample
    print(out.shape)
