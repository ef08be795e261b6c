"""A tiny deep-compression autoencoder (Sana's DC-AE) with linear attention blocks."""

import torch
from diffusers import AutoencoderDC

dc_ae = AutoencoderDC(
    in_channels=3,
    latent_channels=8,
    attention_head_dim=8,
    encoder_block_types=("ResBlock", "EfficientViTBlock"),
    decoder_block_types=("ResBlock", "EfficientViTBlock"),
    encoder_block_out_channels=(16, 32),
    decoder_block_out_channels=(16, 32),
    encoder_layers_per_block=(1, 1),
    decoder_layers_per_block=(1, 1),
    encoder_qkv_multiscales=((), (5,)),
    decoder_qkv_multiscales=((), (5,)),
)

if __name__ == "__main__":
    print(dc_ae(torch.randn(1, 3, 32, 32)).sample.shape)
