"""A tiny class-conditional DiT on 8x8 latents."""

import torch
from diffusers import DiTTransformer2DModel

dit = DiTTransformer2DModel(
    num_attention_heads=2,
    attention_head_dim=16,
    in_channels=4,
    num_layers=2,
    sample_size=8,
    patch_size=2,
    norm_num_groups=8,
    num_embeds_ada_norm=10,
)

if __name__ == "__main__":
    latents = torch.randn(1, 4, 8, 8)
    out = dit(latents, timestep=torch.tensor([5]), class_labels=torch.tensor([3])).sample
    print(out.shape)
