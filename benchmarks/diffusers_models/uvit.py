"""A tiny U-ViT (aMUSEd's masked-token transformer) over an 8x8 grid of VQ tokens."""

import torch
from diffusers import UVit2DModel

uvit = UVit2DModel(
    hidden_size=32,
    cond_embed_dim=16,
    micro_cond_encode_dim=4,
    micro_cond_embed_dim=20,
    encoder_hidden_size=16,
    vocab_size=40,
    codebook_size=32,
    in_channels=16,
    block_out_channels=16,
    num_res_blocks=1,
    block_num_heads=2,
    num_hidden_layers=1,
    num_attention_heads=2,
    intermediate_size=64,
    sample_size=8,
)

if __name__ == "__main__":
    tokens = torch.randint(0, 32, (1, 8, 8))
    prompt = torch.randn(1, 5, 16)
    pooled = torch.randn(1, 16)
    micro = torch.randn(1, 5)
    print(uvit(tokens, prompt, pooled, micro).shape)
