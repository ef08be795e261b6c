"""A tiny T2I-Adapter: pixel-unshuffled condition image to multi-scale features."""

import torch
from diffusers import T2IAdapter

adapter = T2IAdapter(in_channels=3, channels=[32, 64], num_res_blocks=1, downscale_factor=4)

if __name__ == "__main__":
    features = adapter(torch.randn(1, 3, 64, 64))
    print([f.shape for f in features])
