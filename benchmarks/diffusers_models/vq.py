"""A tiny VQ autoencoder: encode, quantize to the nearest codebook vector, decode."""

import torch
from diffusers import VQModel

vq = VQModel(
    in_channels=3,
    out_channels=3,
    down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
    up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
    block_out_channels=(32, 64),
    layers_per_block=1,
    latent_channels=4,
    num_vq_embeddings=32,
    vq_embed_dim=4,
    norm_num_groups=8,
    sample_size=32,
)

if __name__ == "__main__":
    image = torch.randn(1, 3, 32, 32)
    print(vq(image).sample.shape)
