"""A tiny asymmetric VQGAN-style KL autoencoder: a decoder conditioned on the masked image."""

import torch
from diffusers import AsymmetricAutoencoderKL

vae = AsymmetricAutoencoderKL(
    in_channels=3,
    out_channels=3,
    down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
    down_block_out_channels=(32, 64),
    layers_per_down_block=1,
    up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
    up_block_out_channels=(32, 64),
    layers_per_up_block=1,
    latent_channels=4,
    norm_num_groups=8,
    sample_size=32,
)

if __name__ == "__main__":
    image = torch.randn(1, 3, 32, 32)
    mask = torch.ones(1, 1, 32, 32)
    print(vae(image, mask).sample.shape)
