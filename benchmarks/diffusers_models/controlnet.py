"""A tiny ControlNet: the UNet encoder copy that turns a conditioning image into residuals."""

import torch
from diffusers import ControlNetModel

controlnet = ControlNetModel(
    in_channels=4,
    block_out_channels=(32, 64),
    down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
    layers_per_block=1,
    cross_attention_dim=32,
    attention_head_dim=8,
    norm_num_groups=8,
    conditioning_embedding_out_channels=(16, 32),
)

if __name__ == "__main__":
    latents = torch.randn(1, 4, 16, 16)
    text = torch.randn(1, 77, 32)
    edges = torch.randn(1, 3, 32, 32)
    out = controlnet(latents, torch.tensor([10]), encoder_hidden_states=text, controlnet_cond=edges)
    print(out.mid_block_res_sample.shape)
