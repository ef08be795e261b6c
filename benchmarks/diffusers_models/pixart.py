"""A tiny PixArt-alpha transformer: AdaLN-single conditioning and cross-attention to text."""

import torch
from diffusers import PixArtTransformer2DModel

pixart = PixArtTransformer2DModel(
    num_attention_heads=2,
    attention_head_dim=8,
    in_channels=4,
    out_channels=8,
    num_layers=2,
    cross_attention_dim=16,
    sample_size=8,
    patch_size=2,
    caption_channels=24,
    norm_num_groups=8,
    use_additional_conditions=False,
)

if __name__ == "__main__":
    latents = torch.randn(1, 4, 8, 8)
    caption = torch.randn(1, 6, 24)
    out = pixart(
        latents,
        encoder_hidden_states=caption,
        timestep=torch.tensor([10]),
        added_cond_kwargs={"resolution": None, "aspect_ratio": None},
    ).sample
    print(out.shape)
