"""A tiny Wan video transformer: 3D rotary embeddings, cross-attention to text."""

import torch
from diffusers import WanTransformer3DModel

wan = WanTransformer3DModel(
    patch_size=(1, 2, 2),
    num_attention_heads=2,
    attention_head_dim=8,
    in_channels=4,
    out_channels=4,
    text_dim=16,
    freq_dim=16,
    ffn_dim=32,
    num_layers=1,
    rope_max_seq_len=32,
)

if __name__ == "__main__":
    video = torch.randn(1, 4, 2, 8, 8)
    prompt = torch.randn(1, 6, 16)
    print(wan(video, torch.tensor([10]), prompt).sample.shape)
