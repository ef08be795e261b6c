"""A tiny Qwen-Image MMDiT: image shapes given as a list of (frames, height, width) per sample."""

import torch
from diffusers import QwenImageTransformer2DModel

model = QwenImageTransformer2DModel(
    patch_size=2,
    in_channels=16,
    out_channels=4,
    num_layers=1,
    attention_head_dim=16,
    num_attention_heads=2,
    joint_attention_dim=12,
    axes_dims_rope=(4, 6, 6),
)

if __name__ == "__main__":
    image_tokens = torch.randn(1, 16, 16)
    prompt = torch.randn(1, 6, 12)
    mask = torch.ones(1, 6)
    out = model(image_tokens, prompt, mask, torch.tensor([0.5]), img_shapes=[(1, 4, 4)], txt_seq_lens=[6]).sample
    print(out.shape)
