"""Embeddings: `nn.Embedding` looks rows up in a table, which does no arithmetic;
`nn.EmbeddingBag` then reduces each bag of rows to one, by sum, mean or max.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import FREE, Example, Hyper, LayerSpec, OpSpec, Shape, Work, WorkKind, require
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


BAG_MODES = {"sum": WorkKind.REDUCE_SUM, "mean": WorkKind.REDUCE_MEAN, "max": WorkKind.REDUCE_MAX}


def _bags(indices: Shape, offsets: Shape | None, include_last_offset: bool) -> tuple[int, int]:
    """(bags, rows looked up): a 2-D input is one bag per row; a 1-D input is cut into bags at its offsets."""
    if len(indices) == 2:
        require(offsets is None, "embedding_bag: offsets must be None when the input is 2D")
        return indices[0], indices[0] * indices[1]
    require(len(indices) == 1 and offsets is not None, "embedding_bag: a 1D input needs offsets")
    assert offsets is not None
    return offsets[0] - (1 if include_last_offset else 0), indices[0]


def _bag_work(mode: str, dim: int, bags: int, rows: int, weighted: bool) -> Work | tuple[Work, ...]:
    # each output element reduces its bag's rows; per-sample weights (sum mode) scale every row first
    require(mode in BAG_MODES, f"embedding_bag: mode must be one of {', '.join(BAG_MODES)}, got '{mode}'")
    reduce = Work(BAG_MODES[mode], outputs=bags * dim, reduced=rows * dim, inputs=rows * dim)
    return (Work(WorkKind.ELEMENTWISE, outputs=rows * dim, inputs=rows * dim), reduce) if weighted else reduce


def _bag_layer_output(h: Hyper, inputs: list[Shape]) -> Shape:
    bags, _ = _bags(inputs[0], inputs[1] if len(inputs) > 1 else None, h["include_last_offset"])
    return (bags, h["embedding_dim"])


def _bag_layer_work(h: Hyper, inputs: list[Shape], out: Shape) -> Work | tuple[Work, ...]:
    _, rows = _bags(inputs[0], inputs[1] if len(inputs) > 1 else None, h["include_last_offset"])
    return _bag_work(h["mode"], h["embedding_dim"], out[0], rows, len(inputs) > 2)


def _bag_op_output(bound: dict[str, Any]) -> Shape:
    bags, _ = _bags(bound["input"], bound["offsets"], bound["include_last_offset"])
    return (bags, bound["weight"][-1])


def _bag_op_work(bound: dict[str, Any], out: Shape) -> Work | tuple[Work, ...]:
    _, rows = _bags(bound["input"], bound["offsets"], bound["include_last_offset"])
    return _bag_work(bound["mode"], out[1], out[0], rows, bound["per_sample_weights"] is not None)


def _one_hot_output(bound: dict[str, Any]) -> Shape | None:
    """`F.one_hot(ids, n)`: a new last dimension of n; without n it is the largest id + 1, known only from the data."""
    classes = bound["num_classes"]
    if not isinstance(classes, int) or classes < 0:
        return None
    return (*bound["input"], classes)


ONE_HOT = OpSpec(
    "torch.nn.functional.one_hot",
    signature("input, num_classes", num_classes=-1),
    ("input",),
    output=_one_hot_output,
    work=lambda b, out: FREE,  # a lookup: a 1 placed per input element
    examples=(Example("F.one_hot(x.long(), 5)", ((2, 3),), (2, 3, 5), 0, 0, 0),),
)


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
        call_dtype=lambda bound, dtype: getattr(bound.get("weight"), "dtype", None) or dtype,  # rows of the table
        work=lambda b, out: FREE,
        examples=(Example("F.embedding(x, y)", ((2, 3), (10, 4)), (2, 3, 4), 0, 0, 0),),
    ),
    LayerSpec(
        "torch.nn.EmbeddingBag",
        init=signature(
            "num_embeddings, embedding_dim, max_norm, norm_type, scale_grad_by_freq, mode, sparse, _weight, "
            "include_last_offset, padding_idx, device, dtype",
            max_norm=None, norm_type=2.0, scale_grad_by_freq=False, mode="mean", sparse=False, _weight=None,
            include_last_offset=False, padding_idx=None, device=None, dtype=None,
        ),
        attributes=lambda b: {
            **_attributes(b),
            "mode": b["mode"],
            "include_last_offset": b["include_last_offset"],
        },
        parameters=lambda h: {"weight": (h["num_embeddings"], h["embedding_dim"])},
        output=_bag_layer_output,
        work=_bag_layer_work,
        forward=signature("input, offsets, per_sample_weights", offsets=None, per_sample_weights=None),
        examples=(
            # 4 bags of 5 rows of 8 values, averaged: 5 per output (4 additions, 1 division), 4·8 outputs
            Example("nn.EmbeddingBag(100, 8)", ((4, 5),), (4, 8), 800, 160, 0),
            # summed: 4 additions per output
            Example("nn.EmbeddingBag(100, 8, mode='sum')", ((4, 5),), (4, 8), 800, 128, 0),
        ),
    ),
    OpSpec(
        "torch.nn.functional.embedding_bag",
        signature(
            "input, weight, offsets, max_norm, norm_type, scale_grad_by_freq, mode, sparse, per_sample_weights, "
            "include_last_offset, padding_idx",
            offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean", sparse=False,
            per_sample_weights=None, include_last_offset=False, padding_idx=None,
        ),
        ("input", "weight", "offsets", "per_sample_weights"),
        output=_bag_op_output,
        work=_bag_op_work,
        # 10 indices cut into 3 bags at the offsets, 4 values each, max: 10·4 − 3·4 comparisons
        examples=(Example("F.embedding_bag(x, y, z, mode='max')", ((10,), (20, 4), (3,)), (3, 4), 0, 28, 0),),
    ),
    ONE_HOT,
)  # fmt: skip

