"""A tiny TAESD-style autoencoder (AutoencoderTiny)."""

import torch
from diffusers import AutoencoderTiny

taesd = AutoencoderTiny(
    encoder_block_out_channels=(16, 16, 16, 16),
    decoder_block_out_channels=(16, 16, 16, 16),
    num_encoder_blocks=(1, 1, 1, 1),
    num_decoder_blocks=(1, 1, 1, 1),
    latent_channels=4,
)

if __name__ == "__main__":
    print(taesd(torch.randn(1, 3, 64, 64)).sample.shape)
