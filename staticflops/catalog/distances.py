"""Distances, similarities and covariances: `torch.cdist`, `F.pdist`, `F.pairwise_distance`,
`F.cosine_similarity`, `torch.cov`, `torch.corrcoef`.

Under the seed convention a distance of two n-vectors is `dist`'s `3n` (subtract, power, sum, a root at the
end), `pairwise_distance` adds `eps` to each difference first (`4n`), and a cosine similarity is the dot
product (`2n − 1`), two norms (`2n` each), their product, a clamp to `eps` and the division: `6n + 2`. A
covariance of V variables observed N times is their means (`V·N`), the deviations (`V·N`), the product of the
deviations with their transpose (`2·MACs − outputs`, MACs `V·V·N`) and the division by `N − correction` (`V·V`);
weights (`fweights`, `aweights`) multiply into the mean and the deviations (`2·V·N`), are summed (`N`) and, both
given, multiplied together (`N`). `corrcoef` divides the covariance by the deviations' outer product: a root
per variable, two divisions and a clamp per output.

FlopCounterMode sees `cov`'s (and `corrcoef`'s) `aten.mm`: 2 per multiply–accumulate. `cdist` runs
`aten._cdist_forward` or `aten._euclidean_dist`, which have no formula: 0, as for the others.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.elementwise import broadcast
from staticflops.catalog.spec import Example, OpSpec, Shape, Work, WorkKind, Works, normalize_dim, numel, require
from staticflops.interpreter.calls import signature


def cdist_shape(bound: dict[str, Any]) -> Shape:
    """Every pair of rows: `(*batch, P, R)` for x1 `(*b1, P, M)`, x2 `(*b2, R, M)`, the batches broadcast."""
    a, b = bound["x1"], bound["x2"]
    require(len(a) >= 2, f"cdist only supports at least 2D tensors, X1 got: {len(a)}D")
    require(len(b) >= 2, f"cdist only supports at least 2D tensors, X2 got: {len(b)}D")
    require(a[-1] == b[-1], f"X1 and X2 must have the same number of columns. X1: {a[-1]} X2: {b[-1]}",
            expected=a[-1], actual=b[-1])  # fmt: skip
    require(bound["p"] >= 0, "cdist only supports non-negative p values")
    return (*broadcast(a[:-2], b[:-2]), a[-2], b[-2])


def _pair_distances(per_element: int, length: Any) -> Any:
    """`per_element` operations per element of each pair's vectors (`length` of them)."""

    def work(bound: dict[str, Any], out: Shape) -> Work:
        return Work(WorkKind.ELEMENTWISE, outputs=numel(out), per_output=per_element * length(bound))

    return work


def pdist_shape(bound: dict[str, Any]) -> Shape:
    x = bound["input"]
    require(len(x) == 2, f"pdist only supports 2D tensors, got: {len(x)}D")
    require(bound["p"] >= 0, "pdist only supports non-negative p values")
    return (x[0] * (x[0] - 1) // 2,)


def pairwise_shape(bound: dict[str, Any]) -> Shape:
    """The norm over the last dimension of the broadcast difference (1-D operands: a 0-d result)."""
    shape = broadcast(bound["x1"], bound["x2"])
    rank = max(len(bound["x1"]), len(bound["x2"]))
    if rank == 0:
        return ()
    return (*shape[:-1], 1) if bound["keepdim"] else shape[:-1]


def cosine_shape(bound: dict[str, Any]) -> Shape:
    shape = broadcast(bound["x1"], bound["x2"])
    at = normalize_dim(bound["dim"], len(shape))
    return shape[:at] + shape[at + 1 :]


def _cosine_length(bound: dict[str, Any]) -> int:
    shape = broadcast(bound["x1"], bound["x2"])
    return shape[normalize_dim(bound["dim"], len(shape))] if shape else 1


def _observations(x: Shape) -> tuple[int, int]:
    """(variables, observations): rows and columns; a vector is one variable."""
    require(len(x) <= 2, f"cov(): expected input to have two or fewer dimensions but got an input with {len(x)} "
            "dimensions")  # fmt: skip
    if len(x) == 2:
        return x
    return 1, (x[0] if x else 1)


def cov_shape(bound: dict[str, Any]) -> Shape:
    variables, observations = _observations(bound["input"])
    for name in ("fweights", "aweights"):
        weights = bound.get(name)
        require(weights is None or weights == (observations,), f"cov(): expected {name} to have one dimension and "
                f"{observations} elements, got {list(weights or ())}")  # fmt: skip
    return () if variables == 1 else (variables, variables)


def _covariance(bound: dict[str, Any], correlation: bool = False) -> Works:
    variables, observations = _observations(bound["input"])
    outputs = variables * variables
    macs = outputs * observations
    weights = [bound.get(n) for n in ("fweights", "aweights") if bound.get(n) is not None]
    elementwise = 2 * variables * observations + outputs
    if weights:
        elementwise += 2 * variables * observations + observations * len(weights)
    if correlation:
        elementwise += variables + 3 * outputs
    return (
        Work(WorkKind.MATMUL, outputs=outputs, macs=macs),
        Work(WorkKind.ELEMENTWISE, outputs=elementwise),
    )


SPECS = (
    # 2·3·4 pairs of 5-vectors: 24 · 3·5 = 360
    OpSpec(
        "torch.cdist",
        signature("x1, x2, p, compute_mode", p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"),
        ("x1", "x2"),
        cdist_shape,
        _pair_distances(3, lambda b: b["x1"][-1]),
        (Example("torch.cdist(x, y)", ((2, 3, 5), (4, 5)), (2, 3, 4), 0, 360, 0),),
    ),
    # 4·3 / 2 = 6 pairs of 5-vectors: 6 · 15 = 90
    OpSpec(
        "torch.nn.functional.pdist",
        signature("input, p", p=2),
        ("input",),
        pdist_shape,
        _pair_distances(3, lambda b: b["input"][-1]),
        (Example("F.pdist(x)", ((4, 5),), (6,), 0, 90, 0),),
    ),
    # 3 distances of 4-vectors: 3 · 4·4 = 48
    OpSpec(
        "torch.nn.functional.pairwise_distance",
        signature("x1, x2, p, eps, keepdim", p=2.0, eps=1e-6, keepdim=False),
        ("x1", "x2"),
        pairwise_shape,
        _pair_distances(4, lambda b: broadcast(b["x1"], b["x2"])[-1] if b["x1"] or b["x2"] else 1),
        (Example("F.pairwise_distance(x, y)", ((3, 4), (4,)), (3,), 0, 48, 0),),
    ),
    # 2·4 similarities of 3-vectors: 8 · (6·3 + 2) = 160
    OpSpec(
        "torch.nn.functional.cosine_similarity",
        signature("x1, x2, dim, eps", dim=1, eps=1e-8),
        ("x1", "x2"),
        cosine_shape,
        lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(out), per_output=6 * _cosine_length(b) + 2),
        (Example("F.cosine_similarity(x, y)", ((2, 3, 4), (3, 1)), (2, 4), 0, 160, 0),),
    ),
    # 3 variables, 4 observations: the product 2·36 − 9 = 63, means and deviations 2·12, the division 9: 96
    *(
        OpSpec(
            qualname,
            signature("input, *, correction, fweights, aweights", correction=1, fweights=None, aweights=None),
            ("input", "fweights", "aweights"),
            cov_shape,
            lambda b, out: _covariance(b),
            (Example(source, ((3, 4),), (3, 3), 0, 96, 36),),
        )
        for qualname, source in (("torch.cov", "torch.cov(x)"), ("torch.Tensor.cov", "x.cov()"))
    ),
    # as cov, 96, and 3 roots, 27 divisions and clamps: 126
    *(
        OpSpec(
            qualname,
            signature("input"),
            ("input",),
            cov_shape,
            lambda b, out: _covariance(b, correlation=True),
            (Example(source, ((3, 4),), (3, 3), 0, 126, 36),),
        )
        for qualname, source in (("torch.corrcoef", "torch.corrcoef(x)"), ("torch.Tensor.corrcoef", "x.corrcoef()"))
    ),
)
