"""Embeddings: `nn.Embedding` looks rows up in a table; a lookup does no arithmetic."""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import FREE, Example, Hyper, LayerSpec, OpSpec, Shape
from staticflops.interpreter.calls import signature


def _attributes(bound: dict[str, Any]) -> dict[str, Any]:
    return {
        "num_embeddings": bound["num_embeddings"],
        "embedding_dim": bound["embedding_dim"],
        "padding_idx": bound["padding_idx"],
        "max_norm": bound["max_norm"],
        "norm_type": bound["norm_type"],
        "scale_grad_by_freq": bound["scale_grad_by_freq"],
        "sparse": bound["sparse"],
    }


def _output(h: Hyper, inputs: list[Shape]) -> Shape:
    return (*inputs[0], h["embedding_dim"])


SPECS = (
    LayerSpec(
        "torch.nn.Embedding",
        init=signature(
            "num_embeddings, embedding_dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, _weight, "
            "_freeze, device, dtype",
            padding_idx=None,
            max_norm=None,
            norm_type=2.0,
            scale_grad_by_freq=False,
            sparse=False,
            _weight=None,
            _freeze=False,
            device=None,
            dtype=None,
        ),
        attributes=_attributes,
        parameters=lambda h: {"weight": (h["num_embeddings"], h["embedding_dim"])},
        output=_output,
        work=lambda h, inputs, out: FREE,
        # a 1000×64 table; 2·16 ids → 2·16·64 values, no arithmetic
        examples=(Example("nn.Embedding(1000, 64)", ((2, 16),), (2, 16, 64), 64_000, 0, 0),),
    ),
    OpSpec(
        "torch.nn.functional.embedding",
        signature(
            "input, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse",
            padding_idx=None,
            max_norm=None,
            norm_type=2.0,
            scale_grad_by_freq=False,
            sparse=False,
        ),
        ("input", "weight"),
        output=lambda b: (*b["input"], b["weight"][-1]),
        work=lambda b, out: FREE,
    ),
)
