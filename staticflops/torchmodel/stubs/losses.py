"""Losses whose forward() calls a function the user may pass, written for staticflops' interpreter.

As torchmodel/stubs/transformer.py: never imported by Python, read by the interpreter as it reads user code, so
that a `distance_function` of the user's own is interpreted like any other code of theirs.
"""

import torch
import torch.nn as nn


def _pairwise_distance(x1, x2):
    """torch's `pairwise_distance` (the default distance): the 2-norm of `x1 − x2 + eps` over the last dimension."""
    return torch.linalg.vector_norm(x1 - x2 + 1e-6, 2, dim=-1)


class TripletMarginWithDistanceLoss(nn.Module):
    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction="mean"):
        super().__init__()
        if margin <= 0:
            raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin}")
        self.distance_function = distance_function if distance_function is not None else _pairwise_distance
        self.margin = margin
        self.swap = swap
        self.reduction = reduction

    def forward(self, anchor, positive, negative):
        distance = self.distance_function
        dist_pos = distance(anchor, positive)
        dist_neg = distance(anchor, negative)
        if self.swap:
            dist_neg = torch.minimum(dist_neg, distance(positive, negative))
        loss = torch.clamp_min(self.margin + dist_pos - dist_neg, 0)
        if self.reduction == "mean":
            return loss.mean()
        if self.reduction == "sum":
            return loss.sum()
        return loss
