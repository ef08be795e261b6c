"""A tiny Oobleck audio autoencoder (Stable Audio's VAE) on a stereo clip."""

import torch
from diffusers import AutoencoderOobleck

vae = AutoencoderOobleck(
    encoder_hidden_size=8,
    downsampling_ratios=[2, 4],
    channel_multiples=[1, 2],
    decoder_channels=8,
    decoder_input_channels=4,
    audio_channels=2,
)

if __name__ == "__main__":
    print(vae(torch.randn(1, 2, 256)).sample.shape)
