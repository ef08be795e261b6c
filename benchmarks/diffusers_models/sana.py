"""A tiny Sana transformer: linear attention and a convolutional mix-FFN."""

import torch
from diffusers import SanaTransformer2DModel

sana = SanaTransformer2DModel(
    in_channels=4,
    out_channels=4,
    num_attention_heads=2,
    attention_head_dim=8,
    num_layers=1,
    num_cross_attention_heads=2,
    cross_attention_head_dim=8,
    cross_attention_dim=16,
    caption_channels=12,
    sample_size=8,
    patch_size=1,
)

if __name__ == "__main__":
    latents = torch.randn(1, 4, 8, 8)
    caption = torch.randn(1, 5, 12)
    print(sana(latents, caption, torch.tensor([10])).sample.shape)
