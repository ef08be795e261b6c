"""A tiny score-SDE UNet (NCSN++ style): Fourier time features and skip blocks with FIR resampling."""

import torch
from diffusers import UNet2DModel

model = UNet2DModel(
    sample_size=16,
    in_channels=3,
    out_channels=3,
    layers_per_block=1,
    block_out_channels=(32, 64),
    down_block_types=("SkipDownBlock2D", "AttnSkipDownBlock2D"),
    up_block_types=("AttnSkipUpBlock2D", "SkipUpBlock2D"),
    time_embedding_type="fourier",
    mid_block_scale_factor=1.414,
    norm_num_groups=8,
    attention_head_dim=8,
    resnet_time_scale_shift="scale_shift",
)

if __name__ == "__main__":
    x = torch.randn(1, 3, 16, 16)
    sigma = torch.tensor([0.5])
    print(model(x, sigma).sample.shape)
