"""A tiny KL autoencoder (the VAE of a latent diffusion model), encoded and decoded."""

import torch
from diffusers import AutoencoderKL

vae = AutoencoderKL(
    in_channels=3,
    out_channels=3,
    down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
    up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
    block_out_channels=(32, 64),
    layers_per_block=1,
    latent_channels=4,
    norm_num_groups=8,
    sample_size=32,
)

if __name__ == "__main__":
    image = torch.randn(1, 3, 32, 32)
    reconstruction = vae(image).sample
    print(reconstruction.shape)
