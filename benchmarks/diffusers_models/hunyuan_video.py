"""A tiny HunyuanVideo transformer: a token refiner, dual- and single-stream blocks, 3D rotary."""

import torch
from diffusers import HunyuanVideoTransformer3DModel

model = HunyuanVideoTransformer3DModel(
    in_channels=4,
    out_channels=4,
    num_attention_heads=2,
    attention_head_dim=16,
    num_layers=1,
    num_single_layers=1,
    num_refiner_layers=1,
    patch_size=2,
    patch_size_t=1,
    guidance_embeds=True,
    text_embed_dim=16,
    pooled_projection_dim=8,
    rope_axes_dim=(4, 6, 6),
)

if __name__ == "__main__":
    video = torch.randn(1, 4, 2, 8, 8)
    prompt = torch.randn(1, 6, 16)
    mask = torch.ones(1, 6)
    pooled = torch.randn(1, 8)
    out = model(video, torch.tensor([10]), prompt, mask, pooled, guidance=torch.tensor([3500.0])).sample
    print(out.shape)
