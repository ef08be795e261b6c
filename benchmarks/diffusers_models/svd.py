"""A tiny image-to-video UNet (Stable Video Diffusion's layout): spatio-temporal blocks over 3 frames."""

import torch
from diffusers import UNetSpatioTemporalConditionModel

unet = UNetSpatioTemporalConditionModel(
    sample_size=8,
    in_channels=8,
    out_channels=4,
    down_block_types=("CrossAttnDownBlockSpatioTemporal", "DownBlockSpatioTemporal"),
    up_block_types=("UpBlockSpatioTemporal", "CrossAttnUpBlockSpatioTemporal"),
    block_out_channels=(32, 64),
    addition_time_embed_dim=8,
    projection_class_embeddings_input_dim=24,
    layers_per_block=1,
    cross_attention_dim=32,
    num_attention_heads=(2, 4),
    num_frames=3,
)

if __name__ == "__main__":
    frames = torch.randn(1, 3, 8, 8, 8)
    image_embedding = torch.randn(1, 1, 32)
    added_time_ids = torch.randn(1, 3)
    with torch.no_grad():
        out = unet(frames, 20, image_embedding, added_time_ids, return_dict=False)[0]
    print(out.shape)
