"""A tiny SDXL-style UNet: text-time additional embeddings and transformer depth per block."""

import torch
from diffusers import UNet2DConditionModel

unet = UNet2DConditionModel(
    sample_size=16,
    in_channels=4,
    out_channels=4,
    layers_per_block=1,
    block_out_channels=(32, 64),
    down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
    up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
    cross_attention_dim=32,
    attention_head_dim=(2, 4),
    use_linear_projection=True,
    addition_embed_type="text_time",
    addition_time_embed_dim=8,
    projection_class_embeddings_input_dim=80,
    transformer_layers_per_block=(1, 2),
    norm_num_groups=8,
)

if __name__ == "__main__":
    latents = torch.randn(1, 4, 16, 16)
    text = torch.randn(1, 77, 32)
    conditions = {"text_embeds": torch.randn(1, 32), "time_ids": torch.randn(1, 6)}
    out = unet(latents, torch.tensor([10]), encoder_hidden_states=text, added_cond_kwargs=conditions).sample
    print(out.shape)
