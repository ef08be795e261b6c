"""A tiny CogVideoX transformer: 3D patches of 3 latent frames with text tokens in one sequence."""

import torch
from diffusers import CogVideoXTransformer3DModel

transformer = CogVideoXTransformer3DModel(
    num_attention_heads=2,
    attention_head_dim=8,
    in_channels=4,
    out_channels=4,
    time_embed_dim=8,
    text_embed_dim=16,
    num_layers=1,
    sample_width=8,
    sample_height=8,
    sample_frames=9,
    patch_size=2,
    temporal_compression_ratio=4,
    max_text_seq_length=6,
)

if __name__ == "__main__":
    video = torch.randn(1, 3, 4, 8, 8)
    prompt = torch.randn(1, 6, 16)
    with torch.no_grad():
        print(transformer(video, prompt, torch.tensor([10]), return_dict=False)[0].shape)
