"""A tiny AnimateDiff UNet (UNetMotionModel): a 2D UNet with motion modules over 4 frames."""

import torch
from diffusers import UNetMotionModel

unet = UNetMotionModel(
    sample_size=8,
    in_channels=4,
    out_channels=4,
    down_block_types=("CrossAttnDownBlockMotion", "DownBlockMotion"),
    up_block_types=("UpBlockMotion", "CrossAttnUpBlockMotion"),
    block_out_channels=(32, 64),
    layers_per_block=1,
    norm_num_groups=8,
    cross_attention_dim=32,
    num_attention_heads=2,
    motion_num_attention_heads=2,
    motion_max_seq_length=8,
)

if __name__ == "__main__":
    video = torch.randn(1, 4, 4, 8, 8)
    prompt = torch.randn(4, 6, 32)
    print(unet(video, 10, prompt).sample.shape)
