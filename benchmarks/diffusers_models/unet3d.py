"""A tiny text-to-video UNet: 2D spatial layers with temporal attention and convolutions."""

import torch
from diffusers import UNet3DConditionModel

unet = UNet3DConditionModel(
    sample_size=16,
    in_channels=4,
    out_channels=4,
    down_block_types=("CrossAttnDownBlock3D", "DownBlock3D"),
    up_block_types=("UpBlock3D", "CrossAttnUpBlock3D"),
    block_out_channels=(32, 64),
    layers_per_block=1,
    cross_attention_dim=32,
    attention_head_dim=8,
    norm_num_groups=8,
)

if __name__ == "__main__":
    video_latents = torch.randn(1, 4, 4, 16, 16)
    text = torch.randn(1, 10, 32)
    print(unet(video_latents, torch.tensor([10]), encoder_hidden_states=text).sample.shape)
