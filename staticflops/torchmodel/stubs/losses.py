"""Losses whose forward() calls a function the user may pass, written for staticflops' interpreter.

As torchmodel/stubs/transformer.py: never imported by Python, read by the interpreter as it reads user code, so
that a `distance_function` of the user's own is interpreted like any other code of theirs.
"""

from collections import namedtuple

import torch
import torch.nn as nn
import torch.nn.functional as F


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


_ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])


class AdaptiveLogSoftmaxWithLoss(nn.Module):
    """torch's adaptive softmax: the head classifies every row among the shortlist and the clusters; each cluster's
    tail projects only the rows whose target is in it. Which rows those are is data: `nonzero` says so (SF301),
    and the tails' work is not counted (a lower bound), as torch's own forward() computes it."""

    def __init__(self, in_features, n_classes, cutoffs, div_value=4.0, head_bias=False, device=None, dtype=None):
        super().__init__()
        cutoffs = list(cutoffs)
        if len(cutoffs) == 0:
            raise ValueError("cutoffs should be a sequence of length larger than 0")
        if (
            cutoffs != sorted(cutoffs)
            or min(cutoffs) <= 0
            or max(cutoffs) > n_classes - 1
            or len(set(cutoffs)) != len(cutoffs)
        ):
            raise ValueError(
                "cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where "
                "each value is between 1 and n_classes-1"
            )
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = [*cutoffs, n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = nn.Linear(self.in_features, self.head_size, bias=self.head_bias)
        self.tail = nn.ModuleList()
        for i in range(self.n_clusters):
            hsz = int(self.in_features // (self.div_value ** (i + 1)))
            osz = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(
                nn.Sequential(nn.Linear(self.in_features, hsz, bias=False), nn.Linear(hsz, osz, bias=False))
            )

    def forward(self, input_, target_):
        if target_.dim() == 1:
            if input_.size(0) != target_.size(0):
                raise RuntimeError("Input and target should have the same size in the batch dimension.")
            if input_.dim() != 2:
                raise RuntimeError(
                    f"1D target tensor expects 2D input tensors, but found inputs with size {input_.size()}"
                )
        elif target_.dim() == 0:
            if input_.dim() != 1:
                raise RuntimeError(
                    f"0D target tensor expects 1D input tensors, but found inputs with size {input_.size()}"
                )
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        is_batched = target_.dim() > 0
        input = input_ if is_batched else input_.unsqueeze(0)
        target = target_ if is_batched else target_.unsqueeze(0)
        for i in range(self.n_clusters):
            low, high = self.cutoffs[i], self.cutoffs[i + 1]
            rows = ((target >= low) & (target < high)).nonzero().squeeze()
            cluster_output = self.tail[i](input.index_select(0, rows))
            F.log_softmax(cluster_output, dim=1)
        head_logprob = F.log_softmax(self.head(input), dim=1)
        output = head_logprob.gather(1, target.unsqueeze(1)).squeeze(1)
        loss = (-output).mean()
        if not is_batched:
            output = output.squeeze(0)
        return _ASMoutput(output, loss)
