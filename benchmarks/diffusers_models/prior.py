"""A tiny unCLIP prior: a causal transformer predicting an image embedding from a text embedding."""

import torch
from diffusers import PriorTransformer

prior = PriorTransformer(
    num_attention_heads=2,
    attention_head_dim=8,
    num_layers=2,
    embedding_dim=16,
    num_embeddings=7,
    additional_embeddings=4,
)

if __name__ == "__main__":
    image_embed = torch.randn(1, 16)
    text_embed = torch.randn(1, 16)
    text_states = torch.randn(1, 7, 16)
    out = prior(image_embed, torch.tensor([10]), proj_embedding=text_embed, encoder_hidden_states=text_states)
    print(out.predicted_image_embedding.shape)
