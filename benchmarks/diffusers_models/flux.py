"""A tiny Flux transformer: double- and single-stream blocks with rotary position embeddings."""

import torch
from diffusers import FluxTransformer2DModel

flux = FluxTransformer2DModel(
    patch_size=1,
    in_channels=16,
    num_layers=1,
    num_single_layers=1,
    attention_head_dim=16,
    num_attention_heads=2,
    joint_attention_dim=32,
    pooled_projection_dim=32,
    axes_dims_rope=(4, 4, 8),
)

if __name__ == "__main__":
    image_tokens = torch.randn(1, 64, 16)
    text_tokens = torch.randn(1, 8, 32)
    pooled = torch.randn(1, 32)
    img_ids = torch.zeros(64, 3)
    txt_ids = torch.zeros(8, 3)
    out = flux(
        hidden_states=image_tokens,
        encoder_hidden_states=text_tokens,
        pooled_projections=pooled,
        timestep=torch.tensor([1.0]),
        img_ids=img_ids,
        txt_ids=txt_ids,
    ).sample
    print(out.shape)
