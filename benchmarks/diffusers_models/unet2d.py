"""A tiny pixel-space denoiser, built the way diffusers' README builds a UNet2DModel."""

import torch
from diffusers import UNet2DModel

model = UNet2DModel(
    sample_size=32,
    in_channels=3,
    out_channels=3,
    layers_per_block=1,
    block_out_channels=(32, 64),
    down_block_types=("DownBlock2D", "AttnDownBlock2D"),
    up_block_types=("AttnUpBlock2D", "UpBlock2D"),
    norm_num_groups=8,
    attention_head_dim=8,
)

if __name__ == "__main__":
    noisy = torch.randn(1, 3, 32, 32)
    noise_pred = model(noisy, torch.tensor([10])).sample
    print(noise_pred.shape)
