"""A tiny CogView4 transformer with size and crop conditioning."""

import torch
from diffusers import CogView4Transformer2DModel

model = CogView4Transformer2DModel(
    patch_size=2,
    in_channels=4,
    out_channels=4,
    num_layers=1,
    attention_head_dim=8,
    num_attention_heads=2,
    text_embed_dim=12,
    time_embed_dim=16,
    condition_dim=4,
    pos_embed_max_size=16,
    sample_size=8,
    rope_axes_dim=(4, 4),
)

if __name__ == "__main__":
    latents = torch.randn(1, 4, 8, 8)
    prompt = torch.randn(1, 6, 12)
    size = torch.tensor([[64.0, 64.0]])
    crop = torch.tensor([[0.0, 0.0]])
    print(model(latents, prompt, torch.tensor([10]), size, size, crop).sample.shape)
