"""A tiny VAE with a temporal decoder (Stable Video Diffusion's), decoding 2 frames."""

import torch
from diffusers import AutoencoderKLTemporalDecoder

vae = AutoencoderKLTemporalDecoder(
    in_channels=3,
    out_channels=3,
    down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
    block_out_channels=(32, 64),
    layers_per_block=1,
    latent_channels=4,
)

if __name__ == "__main__":
    frames = torch.randn(2, 3, 32, 32)
    print(vae(frames, num_frames=2).sample.shape)
