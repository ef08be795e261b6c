"""Reductions: `x.mean(dim)`, `x.sum(dim)`, `x.amax(dim)`, `max`, `min`, `argmax`, `argmin`,
`var`, `std`, `norm`, `cumsum`, `topk`, and their `torch.*` forms.

An output element combines the n input elements of its slice: a sum is n − 1 additions,
a mean one division more, a max n − 1 comparisons. A variance takes the mean (n), subtracts
it (n), squares (n), sums (n − 1) and divides (1): 4n per output, and a standard deviation
one square root more; a norm squares (n), sums (n − 1) and takes a square root (1): 2n, priced as
the 2-norm whatever its `p`.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.elementwise import broadcast
from staticflops.catalog.spec import (
    FREE,
    Example,
    OpSpec,
    Shape,
    Work,
    WorkKind,
    normalize_dim,
    numel,
    require,
    spelled,
)
from staticflops.interpreter.calls import signature


def reduce_shape(x: Shape, dim: Any, keepdim: bool) -> Shape:
    if dim is None:
        return (1,) * len(x) if keepdim else ()
    dims = {normalize_dim(d, len(x)) for d in (dim if isinstance(dim, (tuple, list)) else (dim,))}
    if keepdim:
        return tuple(1 if i in dims else size for i, size in enumerate(x))
    return tuple(size for i, size in enumerate(x) if i not in dims)


SEED_OF_2x3x4 = {WorkKind.REDUCE_MEAN: 24, WorkKind.REDUCE_SUM: 24 - 8, WorkKind.REDUCE_MAX: 24 - 8}
"""(2, 3, 4) reduced over dimension 1: 8 outputs of 3 elements; a mean is 2 additions and a division each."""


def _reduction(qualname: str, kind: WorkKind) -> OpSpec:
    def output(bound: dict[str, Any]) -> Shape:
        return reduce_shape(bound["input"], bound["dim"], bool(bound["keepdim"]))

    def work(bound: dict[str, Any], out: Shape) -> Work:
        return Work(kind, outputs=numel(out), reduced=numel(bound["input"]), inputs=numel(bound["input"]))

    return OpSpec(
        qualname,
        signature("input, dim, keepdim, *, dtype", dim=None, keepdim=False, dtype=None),
        ("input",),
        output,
        work,
        (Example(spelled(qualname, "1"), ((2, 3, 4),), (2, 4), 0, SEED_OF_2x3x4[kind], 0),),
    )


SUMS = tuple(
    _reduction(f"{prefix}.{name}", kind)
    for prefix in ("torch", "torch.Tensor")
    for name, kind in (("mean", WorkKind.REDUCE_MEAN), ("sum", WorkKind.REDUCE_SUM), ("amax", WorkKind.REDUCE_MAX))
)


def _extreme(qualname: str) -> OpSpec:
    """`max`/`min`: the whole tensor's (no dim), `(values, indices)` along a dim, or with a tensor as
    second argument the elementwise maximum (`torch.max(x, y)`), which then arrives as `dim`."""

    def output(bound: dict[str, Any]) -> Any:
        x, dim = bound["input"], bound["dim"]
        if isinstance(dim, tuple):  # another tensor's shape
            return broadcast(x, dim)
        if dim is None:
            return ()
        shape = reduce_shape(x, dim, bool(bound["keepdim"]))
        return [shape, shape]

    def work(bound: dict[str, Any], out: Any) -> Work:
        if isinstance(bound["dim"], tuple):
            return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(bound["input"]))
        values = out[0] if isinstance(out, list) else out
        return Work(
            WorkKind.REDUCE_MAX, outputs=numel(values), reduced=numel(bound["input"]), inputs=numel(bound["input"])
        )

    return OpSpec(
        qualname,
        signature("input, dim, keepdim", dim=None, keepdim=False),
        ("input", "dim"),
        output,
        work,
        (
            # (2, 3, 4) along dimension 1: 8 outputs, 2 comparisons each
            Example(spelled(qualname, "1"), ((2, 3, 4),), (2, 4), 0, 16, 0),
            # elementwise against another tensor, broadcast: one comparison per output
            Example(spelled(qualname, "y"), ((2, 3), (3,)), (2, 3), 0, 6, 0),
        ),
        values_indices=True,
    )


def _argument_extreme(qualname: str) -> OpSpec:
    def work(bound: dict[str, Any], out: Shape) -> Work:
        return Work(
            WorkKind.REDUCE_MAX, outputs=numel(out), reduced=numel(bound["input"]), inputs=numel(bound["input"])
        )

    return OpSpec(
        qualname,
        signature("input, dim, keepdim", dim=None, keepdim=False),
        ("input",),
        lambda b: reduce_shape(b["input"], b["dim"], bool(b["keepdim"])),
        work,
        (Example(spelled(qualname, "dim=-1"), ((2, 3, 4),), (2, 3), 0, 18, 0),),  # 6 outputs × 3 comparisons
        dtype="int64",
    )


def _spread(qualname: str, per_element: int, extra: int) -> OpSpec:
    """var, std, norm: `per_element` operations per element reduced, `extra` more per output."""

    def work(bound: dict[str, Any], out: Shape) -> Work:
        n = numel(bound["input"]) // max(numel(out), 1)
        return Work(
            WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(bound["input"]), per_output=per_element * n + extra
        )

    name = qualname.rsplit(".", 1)[1]
    params = "input, p, dim, keepdim, dtype" if name == "norm" else "input, dim, unbiased, keepdim, *, correction"
    example_flops = 8 * (per_element * 3 + extra)  # (2, 3, 4) over dimension 1: 8 outputs of 3 elements
    return OpSpec(
        qualname,
        signature(params, p="fro", dim=None, unbiased=True, keepdim=False, dtype=None, correction=None),
        ("input",),
        _spread_shape,
        work,
        (Example(spelled(qualname, "dim=1"), ((2, 3, 4),), (2, 4), 0, example_flops, 0),),
    )


def _spread_shape(bound: dict[str, Any]) -> Shape:
    """`torch.var(x, True)`: a flag second is torch's `(input, unbiased)` overload, over every element."""
    dim = None if isinstance(bound.get("dim"), bool) else bound.get("dim")
    return reduce_shape(bound["input"], dim, bool(bound.get("keepdim")))


def _cumulative(qualname: str) -> OpSpec:
    """A running sum: along each line of n, every output after the first adds one element to the previous
    output (it combines 2 elements, the first 1): n − 1 additions per line."""

    def work(bound: dict[str, Any], out: Shape) -> Work:
        lines = numel(out) // max(out[normalize_dim(bound["dim"], len(out))], 1) if out else 1
        return Work(WorkKind.REDUCE_SUM, outputs=numel(out), reduced=2 * numel(out) - lines, inputs=numel(out))

    return OpSpec(
        qualname,
        signature("input, dim, *, dtype", dtype=None),
        ("input",),
        lambda b: b["input"],
        work,
        (Example(spelled(qualname, "dim=1"), ((2, 3, 4),), (2, 3, 4), 0, 16, 0),),  # 8 lines of 3: 2 additions each
    )


def _topk(qualname: str) -> OpSpec:
    """`topk(k, dim)`: `(values, indices)` with `dim` cut to k. NB its comparisons are not counted: how many
    a selection makes depends on the algorithm (and on the data), not on the shapes; no counter prices them."""

    def output(bound: dict[str, Any]) -> list[Shape]:
        x, k = bound["input"], bound["k"]
        if not x:
            require(k in (0, 1), f"topk(): k ({k}) out of range for a 0-dimensional tensor")
            return [(), ()]
        at = normalize_dim(bound["dim"], len(x))
        require(0 <= k <= x[at], f"topk(): k ({k}) out of range for dimension {at} of size {x[at]}")
        shape = (*x[:at], k, *x[at + 1 :])
        return [shape, shape]

    return OpSpec(
        qualname,
        signature("input, k, dim, largest, sorted", dim=-1, largest=True, sorted=True),
        ("input",),
        output,
        lambda b, out: FREE,
        (Example(spelled(qualname, "2, dim=1"), ((2, 3, 4),), (2, 2, 4), 0, 0, 0),),
        values_indices=True,
    )


# ---------------------------------------------------------------- more reductions, as tables
def _reduced_work(kind: WorkKind, per_element: int = 0, extra: int = 0) -> Any:
    """Work of a reduction to `out`: `kind`'s (n − 1 additions or comparisons per output, a mean one more), or
    with `per_element`, `per_element`·n + `extra` elementwise operations per output."""

    def work(bound: dict[str, Any], out: Any) -> Any:
        values = out[0] if isinstance(out, list) else out
        x = bound["input"]
        if per_element:
            n = numel(x) // max(numel(values), 1)
            return Work(
                WorkKind.ELEMENTWISE, outputs=numel(values), inputs=numel(x), per_output=per_element * n + extra
            )
        return Work(kind, outputs=numel(values), reduced=numel(x), inputs=numel(x))

    return work


def _reduce(
    qualname: str,
    params: str,
    work: Any,
    flops: int,
    *,
    output_dtype: str | None = None,
    pair: bool = False,
    tensors: tuple[str, ...] = ("input",),
    example: Example | None = None,
    **defaults: Any,
) -> OpSpec:
    """A reduction over `dim` (every element when None); `pair` returns two tensors of that shape
    (`aminmax`, `var_mean`). Example: (2, 3, 4) over dimension 1, 8 outputs of 3 elements, `flops` in all."""

    def output(bound: dict[str, Any]) -> Any:
        shape = _spread_shape(bound)
        return [shape, shape] if pair else shape

    return OpSpec(
        qualname,
        signature(params, **defaults),
        tensors,
        output,
        work,
        (example or Example(spelled(qualname, "dim=1"), ((2, 3, 4),), (2, 4), 0, flops, 0),),
        dtype=output_dtype,
    )


def _selection(qualname: str, params: str, **defaults: Any) -> OpSpec:
    """median, nanmedian, mode, kthvalue: `(values, indices)` along `dim` (the whole tensor's value when there is
    none). NB their comparisons are not counted, as for topk: they depend on the algorithm and the data."""
    default_dim = defaults.get("dim")

    def output(bound: dict[str, Any]) -> Any:
        if bound["dim"] is None:
            return ()
        shape = reduce_shape(bound["input"], bound["dim"], bool(bound["keepdim"]))
        return [shape, shape]

    call = "1, dim=1" if params.startswith("input, k,") else "dim=1"
    return OpSpec(
        qualname,
        signature(params, **defaults),
        ("input",),
        output,
        lambda b, out: FREE,
        (Example(spelled(qualname, call), ((2, 3, 4),), (2, 4), 0, 0, 0),),
        values_indices=default_dim is not None or "median" in qualname,
    )


def _quantile_shape(bound: dict[str, Any]) -> Shape:
    """A number q: the reduced shape; a 1-D tensor of q: one reduced tensor per quantile, stacked first."""
    shape = reduce_shape(bound["input"], bound["dim"], bool(bound["keepdim"]))
    q = bound["q"]
    return (*q, *shape) if isinstance(q, tuple) else shape


def _quantile(qualname: str) -> OpSpec:
    return OpSpec(
        qualname,
        signature("input, q, dim, keepdim, *, interpolation", dim=None, keepdim=False, interpolation="linear"),
        ("input", "q"),
        _quantile_shape,
        lambda b, out: FREE,  # a sort, whose comparisons no counter prices (as topk)
        (Example(spelled(qualname, "0.5, dim=1"), ((2, 3, 4),), (2, 4), 0, 0, 0),),
    )


def _running(qualname: str, params: str, pair: bool = False, **defaults: Any) -> OpSpec:
    """cumprod, logcumsumexp, cummax, cummin: a running product, log-sum-exp or extreme along `dim` (one
    operation per element after the first of each line, as `cumsum`); cummax/cummin also return indices."""
    base = _cumulative(qualname)

    def output(bound: dict[str, Any]) -> Any:
        normalize_dim(bound["dim"], len(bound["input"]))
        return [bound["input"], bound["input"]] if pair else bound["input"]

    def work(bound: dict[str, Any], out: Any) -> Work:
        return base.work(bound, out[0] if isinstance(out, list) else out)

    return OpSpec(qualname, signature(params, **defaults), ("input",), output, work, base.examples, values_indices=pair)


SEED_2x3x4_SUM = 16
"""(2, 3, 4) over dimension 1: 8 outputs of 3 elements, 2 additions (or comparisons) each."""

MORE = {
    # name: (parameters, defaults, work, seed FLOPs of the example, output dtype)
    "amin": ("input, dim, keepdim", {"dim": None, "keepdim": False}, _reduced_work(WorkKind.REDUCE_MAX), 16, None),
    "prod": ("input, dim, keepdim, *, dtype", {"dim": None, "keepdim": False, "dtype": None},
             _reduced_work(WorkKind.REDUCE_SUM), 16, None),
    "nansum": ("input, dim, keepdim, *, dtype", {"dim": None, "keepdim": False, "dtype": None},
               _reduced_work(WorkKind.REDUCE_SUM), 16, None),
    "nanmean": ("input, dim, keepdim, *, dtype", {"dim": None, "keepdim": False, "dtype": None},
                _reduced_work(WorkKind.REDUCE_MEAN), 24, None),
    # exponent and addition per element, a logarithm per output: 8·(2·3 + 1)
    "logsumexp": ("input, dim, keepdim", {"keepdim": False}, _reduced_work(WorkKind.ELEMENTWISE, 2, 1), 56, None),
    "all": ("input, dim, keepdim", {"dim": None, "keepdim": False}, _reduced_work(WorkKind.REDUCE_MAX), 16, "bool"),
    "any": ("input, dim, keepdim", {"dim": None, "keepdim": False}, _reduced_work(WorkKind.REDUCE_MAX), 16, "bool"),
    "count_nonzero": ("input, dim", {"dim": None}, _reduced_work(WorkKind.REDUCE_SUM), 16, "int64"),
}  # fmt: skip
"""Reductions to `reduce_shape`: one entry per name, in both spellings (`torch.prod(x, 1)`, `x.prod(1)`)."""

PAIRS = {
    # (min, max): two comparisons per element reduced, less one each per output
    "aminmax": ("input, *, dim, keepdim", {"dim": None, "keepdim": False}, (_reduced_work(WorkKind.REDUCE_MAX),) * 2,
                32),
    # var_mean: the variance's 4n per output (its mean is the one returned); std_mean a square root more
    "var_mean": ("input, dim, unbiased, keepdim, *, correction",
                 {"dim": None, "unbiased": True, "keepdim": False, "correction": None},
                 (_reduced_work(WorkKind.ELEMENTWISE, 4, 0),), 96),
    "std_mean": ("input, dim, unbiased, keepdim, *, correction",
                 {"dim": None, "unbiased": True, "keepdim": False, "correction": None},
                 (_reduced_work(WorkKind.ELEMENTWISE, 4, 1),), 104),
}  # fmt: skip
"""Reductions returning two tensors of the reduced shape."""


def _pair_work(works: tuple[Any, ...]) -> Any:
    def work(bound: dict[str, Any], out: Any) -> Any:
        done = tuple(w(bound, out) for w in works)
        return done if len(done) > 1 else done[0]

    return work


NORMS = {
    # the 2-norm's squares, sum and root: 2n per output (whatever `ord`, as `norm`)
    "torch.linalg.vector_norm": ("input, ord, dim, keepdim, *, dtype", {"ord": 2, "dim": None, "keepdim": False,
                                                                         "dtype": None}),
    "torch.linalg.norm": ("input, ord, dim, keepdim, *, dtype", {"ord": None, "dim": None, "keepdim": False,
                                                                  "dtype": None}),
    "torch.linalg.matrix_norm": ("input, ord, dim, keepdim, *, dtype", {"ord": "fro", "dim": (-2, -1),
                                                                         "keepdim": False, "dtype": None}),
}  # fmt: skip


def _trace_output(bound: dict[str, Any]) -> Shape:
    require(len(bound["input"]) == 2, f"trace: expected a matrix, got a tensor of shape {list(bound['input'])}")
    return ()


def _trace(qualname: str) -> OpSpec:
    """The sum of a matrix's diagonal: min(rows, columns) − 1 additions."""
    return OpSpec(
        qualname,
        signature("input"),
        ("input",),
        _trace_output,
        lambda b, out: Work(WorkKind.REDUCE_SUM, outputs=1, reduced=min(b["input"]), inputs=numel(b["input"])),
        (Example(spelled(qualname), ((3, 4),), (), 0, 2, 0),),
    )


def _dist(qualname: str) -> OpSpec:
    """‖x − y‖_p of the broadcast operands: a subtraction, a power and an addition per element, a root at the end
    (3n, priced as the 2-norm whatever p)."""

    def work(bound: dict[str, Any], out: Shape) -> Work:
        n = numel(broadcast(bound["input"], bound["other"]))
        return Work(WorkKind.ELEMENTWISE, outputs=1, inputs=numel(bound["input"]), per_output=3 * n)

    def output(bound: dict[str, Any]) -> Shape:
        broadcast(bound["input"], bound["other"])
        return ()

    return OpSpec(
        qualname,
        signature("input, other, p", p=2),
        ("input", "other"),
        output,
        work,
        (Example(spelled(qualname, "y"), ((2, 3), (3,)), (), 0, 18, 0),),  # 3·6
    )


MASKED = {
    # name: (work, seed FLOPs of the (2, 3, 4) example over dimension 1, output dtype)
    "sum": (_reduced_work(WorkKind.REDUCE_SUM), 16, None),
    "prod": (_reduced_work(WorkKind.REDUCE_SUM), 16, None),
    "amax": (_reduced_work(WorkKind.REDUCE_MAX), 16, None),
    "amin": (_reduced_work(WorkKind.REDUCE_MAX), 16, None),
    # NB: torch.masked's argmax/argmin return the input's dtype (float indices), not int64
    "argmax": (_reduced_work(WorkKind.REDUCE_MAX), 16, None),
    "argmin": (_reduced_work(WorkKind.REDUCE_MAX), 16, None),
    "mean": (_reduced_work(WorkKind.REDUCE_MEAN), 24, None),
    "logsumexp": (_reduced_work(WorkKind.ELEMENTWISE, 2, 1), 56, None),
    "median": (lambda b, out: FREE, 0, None),
}
"""`torch.masked.*` reductions: their unmasked counterparts' work (the mask only chooses what is reduced)."""
MASKED_SPREADS = {
    "norm": ("input, ord, dim, *, keepdim, dtype, mask", {"ord": 2.0}, (2, 0), 48),
    "var": ("input, dim, unbiased, *, correction, keepdim, dtype, mask", {"unbiased": None, "correction": None},
            (4, 0), 96),
    "std": ("input, dim, unbiased, *, correction, keepdim, dtype, mask", {"unbiased": None, "correction": None},
            (4, 1), 104),
}  # fmt: skip
_MASKED_DEFAULTS = {"dim": None, "keepdim": False, "dtype": None, "mask": None}


def _cross(qualname: str, default_dim: int | None) -> OpSpec:
    """The cross product of 3-vectors along `dim` (torch.cross's default: the first of size 3): two products and
    a subtraction per output element."""

    def output(bound: dict[str, Any]) -> Shape:
        require(
            len(bound["input"]) == len(bound["other"]), "cross(): the inputs must have the same number of dimensions"
        )
        shape = broadcast(bound["input"], bound["other"])
        dim = bound["dim"]
        if dim is None:
            dim = next((i for i, size in enumerate(shape) if size == 3), None)
            require(dim is not None, f"cross(): no dimension of size 3 in {list(shape)}")
        at = normalize_dim(dim, len(shape))
        require(shape[at] == 3, f"cross(): dimension {dim} must have size 3, got {list(shape)}")
        return shape

    def work(bound: dict[str, Any], out: Shape) -> Work:
        return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(bound["input"]), per_output=3)

    call = {"torch.linalg.cross": "torch.linalg.cross(x, y)", "torch.cross": "torch.cross(x, y)"}.get(
        qualname, "x.cross(y)"
    )
    return OpSpec(
        qualname,
        signature("input, other, dim", dim=default_dim),
        ("input", "other"),
        output,
        work,
        (Example(call, ((2, 3), (1, 3)), (2, 3), 0, 18, 0),),  # 3 per output element
    )


SPREADS = {"var": (4, 0), "std": (4, 1), "norm": (2, 0)}
"""Operations per element reduced and per output (see the module's docstring)."""

SPECS = (
    *SUMS,
    *(_extreme(f"{prefix}.{name}") for prefix in ("torch", "torch.Tensor") for name in ("max", "min")),
    *(_argument_extreme(f"{prefix}.{name}") for prefix in ("torch", "torch.Tensor") for name in ("argmax", "argmin")),
    *(_spread(f"{prefix}.{name}", *SPREADS[name]) for prefix in ("torch", "torch.Tensor") for name in SPREADS),
    _cumulative("torch.cumsum"),
    _cumulative("torch.Tensor.cumsum"),
    _topk("torch.topk"),
    _topk("torch.Tensor.topk"),
    *(_reduce(f"{prefix}.{name}", params, work, flops, output_dtype=dtype, **defaults)
      for prefix in ("torch", "torch.Tensor") for name, (params, defaults, work, flops, dtype) in MORE.items()),
    *(_reduce(f"{prefix}.{name}", params, _pair_work(works), flops, pair=True, **defaults)
      for name, (params, defaults, works, flops) in PAIRS.items()
      for prefix in ("torch", "torch.Tensor") if prefix == "torch" or name == "aminmax"),
    _reduce("torch.linalg.vector_norm", *NORMS["torch.linalg.vector_norm"][:1], _reduced_work(WorkKind.ELEMENTWISE, 2),
            48, **NORMS["torch.linalg.vector_norm"][1]),
    _reduce("torch.linalg.norm", *NORMS["torch.linalg.norm"][:1], _reduced_work(WorkKind.ELEMENTWISE, 2), 48,
            **NORMS["torch.linalg.norm"][1]),
    *(_selection(f"{prefix}.{name}", "input, dim, keepdim", dim=None, keepdim=False)
      for prefix in ("torch", "torch.Tensor") for name in ("median", "nanmedian")),
    *(_selection(f"{prefix}.mode", "input, dim, keepdim", dim=-1, keepdim=False)
      for prefix in ("torch", "torch.Tensor")),
    *(_quantile(f"{prefix}.{name}") for prefix in ("torch", "torch.Tensor") for name in ("quantile", "nanquantile")),
    *(_running(f"{prefix}.{name}", "input, dim, *, dtype", dtype=None)
      for prefix in ("torch", "torch.Tensor") for name in ("cumprod", "logcumsumexp")),
    *(_reduce(f"torch.masked.{name}", "input, dim, *, keepdim, dtype, mask", work, flops, output_dtype=dtype,
              tensors=("input", "mask"), **{**_MASKED_DEFAULTS, "dim": -1 if name == "median" else None})
      for name, (work, flops, dtype) in MASKED.items()),
    *(_reduce(f"torch.masked.{name}", params, _reduced_work(WorkKind.ELEMENTWISE, *per), flops,
              tensors=("input", "mask"), **{**_MASKED_DEFAULTS, **defaults})
      for name, (params, defaults, per, flops) in MASKED_SPREADS.items()),
    *(_running(f"torch.masked.{name}", "input, dim, *, dtype, mask", dtype=None, mask=None)
      for name in ("cumsum", "cumprod")),
    _reduce("torch.linalg.matrix_norm", *NORMS["torch.linalg.matrix_norm"][:1],
            _reduced_work(WorkKind.ELEMENTWISE, 2), 48, **NORMS["torch.linalg.matrix_norm"][1],
            # the Frobenius norm of each of 2 matrices of 3·4 elements: 2·(2·12)
            example=Example("torch.linalg.matrix_norm(x)", ((2, 3, 4),), (2,), 0, 48, 0)),
    OpSpec(
        # summed over the dimensions it broadcasts to x: n − 1 additions per output
        "torch.Tensor.sum_to_size",
        signature("input, *size"),
        ("input",),
        lambda b: tuple(b["size"][0] if len(b["size"]) == 1 and isinstance(b["size"][0], (tuple, list)) else b["size"]),
        lambda b, out: Work(WorkKind.REDUCE_SUM, outputs=numel(out), reduced=numel(b["input"]),
                            inputs=numel(b["input"])),
        (Example("x.sum_to_size(1, 4)", ((3, 4),), (1, 4), 0, 8, 0),),
    ),
    _cross("torch.linalg.cross", -1),
    _cross("torch.cross", None),
    _cross("torch.Tensor.cross", None),
    *(_trace(f"{prefix}.trace") for prefix in ("torch", "torch.Tensor")),
    *(_dist(f"{prefix}.dist") for prefix in ("torch", "torch.Tensor")),
    *(_running(f"{prefix}.{name}", "input, dim", pair=True)
      for prefix in ("torch", "torch.Tensor") for name in ("cummax", "cummin")),
)  # fmt: skip
