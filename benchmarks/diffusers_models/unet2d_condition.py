"""A tiny text-conditioned latent UNet (Stable Diffusion's layout, small widths)."""

import torch
from diffusers import UNet2DConditionModel

unet = UNet2DConditionModel(
    sample_size=16,
    in_channels=4,
    out_channels=4,
    layers_per_block=1,
    block_out_channels=(32, 64),
    down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
    up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
    cross_attention_dim=32,
    attention_head_dim=8,
    norm_num_groups=8,
)

if __name__ == "__main__":
    latents = torch.randn(1, 4, 16, 16)
    text = torch.randn(1, 77, 32)
    out = unet(latents, torch.tensor([999]), encoder_hidden_states=text).sample
    print(out.shape)
