"""A tiny AuraFlow transformer: MMDiT blocks then single DiT blocks, with register tokens."""

import torch
from diffusers import AuraFlowTransformer2DModel

model = AuraFlowTransformer2DModel(
    sample_size=8,
    patch_size=2,
    in_channels=4,
    num_mmdit_layers=1,
    num_single_dit_layers=1,
    attention_head_dim=8,
    num_attention_heads=2,
    joint_attention_dim=16,
    caption_projection_dim=16,
    out_channels=4,
    pos_embed_max_size=64,
)

if __name__ == "__main__":
    latents = torch.randn(1, 4, 8, 8)
    prompt = torch.randn(1, 5, 16)
    print(model(latents, prompt, torch.tensor([30])).sample.shape)
