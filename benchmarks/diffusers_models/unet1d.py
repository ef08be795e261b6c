"""A tiny 1D audio denoiser in the Dance Diffusion layout."""

import torch
from diffusers import UNet1DModel

unet = UNet1DModel(
    sample_size=256,
    in_channels=2,
    out_channels=2,
    extra_in_channels=16,
    block_out_channels=(32, 32, 64),
    flip_sin_to_cos=True,
    use_timestep_embedding=False,
    time_embedding_type="fourier",
    mid_block_type="UNetMidBlock1D",
    down_block_types=("DownBlock1DNoSkip", "DownBlock1D", "AttnDownBlock1D"),
    up_block_types=("AttnUpBlock1D", "UpBlock1D", "UpBlock1DNoSkip"),
)

if __name__ == "__main__":
    audio = torch.randn(1, 2, 256)
    print(unet(audio, torch.tensor([10])).sample.shape)
