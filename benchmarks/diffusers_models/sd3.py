"""A tiny MMDiT (Stable Diffusion 3's transformer): joint attention over image patches and text."""

import torch
from diffusers import SD3Transformer2DModel

mmdit = SD3Transformer2DModel(
    sample_size=16,
    patch_size=2,
    in_channels=4,
    num_layers=2,
    attention_head_dim=8,
    num_attention_heads=4,
    joint_attention_dim=32,
    caption_projection_dim=32,
    pooled_projection_dim=64,
    out_channels=4,
    pos_embed_max_size=16,
)

if __name__ == "__main__":
    latents = torch.randn(1, 4, 16, 16)
    prompt = torch.randn(1, 12, 32)
    pooled = torch.randn(1, 64)
    out = mmdit(
        hidden_states=latents, encoder_hidden_states=prompt, pooled_projections=pooled, timestep=torch.tensor([500])
    ).sample
    print(out.shape)
