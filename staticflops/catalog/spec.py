"""What a catalog entry is: a torch layer or op described by pure functions of its
hyperparameters and of tensor shapes.

An entry says *what work* a call does (`Work`: multiply–accumulates, output elements,
elements reduced, whether a bias is added); it never says what that work costs.
Pricing is the job of `staticflops.conventions`. FLOPs and MACs are both derived
from the same `Work`, so every report can show both.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import import_module
from typing import Any

from staticflops.diagnostics import SF201, Code
from staticflops.interpreter.calls import signature
from staticflops.interpreter.values import Param

Shape = tuple[int, ...]
Output = Shape | list[Any]
"""What a shape rule returns: one tensor's shape, or a list for several outputs (`chunk`,
`nn.MultiheadAttention`'s `(output, weights)`), possibly nested (an LSTM's `(output, (h, c))`);
None stands for an output that is None."""
Hyper = Mapping[str, Any]
"""A layer's attributes as torch stores them (`kernel_size` as a tuple, ...), plus its
parameter shapes under their names (`weight`, `bias`; None when absent); when a call is priced, the
call's forward arguments that are not tensors under `FORWARD`."""
FORWARD = "__forward__"
"""Where a layer's shape and work rules find the non-tensor arguments of the call (`need_weights=False`),
by name: a layer whose output depends on how it is called (`nn.MultiheadAttention`) reads them there."""


class ShapeError(Exception):
    """A call whose input shapes cannot work; becomes an SF2xx diagnostic at the call site."""

    def __init__(self, code: Code, message: str, expected: int | None = None, actual: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.expected = expected
        """For a size mismatch: the size the layer was built for (lets the shape solver search)."""
        self.actual = actual
        self.site: Any = None
        """The call where it happened, attached by the caller that knows it."""
        self.module: Any = None
        """The layer whose shape rule failed, when it was a module call."""


class RaisedError(Exception):
    """A call that raises in the analyzed program whatever the shapes (einops' `EinopsError` for a
    malformed pattern): the caller raises `type_name` there, as the program would, not a shape error."""

    def __init__(self, message: str, type_name: str = "EinopsError") -> None:
        super().__init__(message)
        self.message = message
        self.type_name = type_name


def require(
    condition: bool, message: str, code: Code = SF201, expected: int | None = None, actual: int | None = None
) -> None:
    if not condition:
        raise ShapeError(code, message, expected, actual)


def numel(shape: Shape) -> int:
    return math.prod(shape)


def contracted(terms: list[list[Any]], output: list[Any], sizes: Mapping[Any, int]) -> int:
    """The multiply–accumulates of the matrix products `torch.einsum` runs (as torch 2 does without
    opt_einsum): operands are combined left to right; before each pair, an index neither the other
    operand nor what follows needs is summed out (a sum, not a product); a pair that shares an index it
    sums is one batched matrix product over all the pair's indices, and a pair that sums none is an
    elementwise product (no matrix product at all)."""
    total = 0
    current = set(terms[0]) if terms else set()
    for at, other in enumerate(terms[1:], 1):
        later = set(output).union(*(set(t) for t in terms[at + 1 :]))
        left = {a for a in current if a in other or a in later}
        right = {a for a in other if a in current or a in later}
        summed = {a for a in left & right if a not in later}
        if summed:
            total += math.prod(sizes[a] for a in left | right)
        current = (left | right) - summed
    return total


class WorkKind(StrEnum):
    """The kind of computation; conventions price each kind differently."""

    CONV = "conv"
    CONV_TRANSPOSE = "conv_transpose"
    LINEAR = "linear"
    MATMUL = "matmul"
    NORM = "norm"
    """Normalization with stored statistics (batch norm in eval mode)."""
    NORM_STATS = "norm_stats"
    """Normalization that computes its statistics (layer, group, instance norm)."""
    ACTIVATION = "activation"
    SOFTMAX = "softmax"
    MAX_POOL = "max_pool"
    AVG_POOL = "avg_pool"
    ELEMENTWISE = "elementwise"
    REDUCE_SUM = "reduce_sum"
    REDUCE_MEAN = "reduce_mean"
    REDUCE_MAX = "reduce_max"
    LINALG = "linalg"
    """A factorization, solve or decomposition of matrices (`linalg.cholesky`, `linalg.svd`): `operations` holds its
    classic operation count (docs/conventions.md), which no counter but the seed convention prices."""
    FREE = "free"
    """Shape changes and eval-mode no-ops (view, flatten, dropout, identity): no arithmetic."""


@dataclass(frozen=True)
class Work:
    """The arithmetic one call performs, independent of how anyone counts it."""

    kind: WorkKind
    outputs: int = 0
    """Output elements."""
    macs: int = 0
    """Multiply–accumulates: products summed into outputs (conv, linear, matmul)."""
    bias: bool = False
    """A bias is added to every output element."""
    covered: int | None = None
    """Outputs that receive at least one product (transposed convolutions); None = all."""
    reduced: int = 0
    """Input elements read by reductions, summed over outputs (pooling windows)."""
    inputs: int = 0
    """Input elements (of the first tensor input)."""
    affine: bool = False
    """Norms: a learned scale and shift is applied."""
    per_output: int = 1
    """Elementwise work: operations per output element (an L2 normalize squares, sums and divides: 3)."""
    window: int = 0
    """Elements one output nominally combines: a pool's kernel (adaptive pools: ∏⌊in/out⌋), a softmax's
    dimension."""
    mode: str = ""
    """Resampling: the interpolation mode (`nearest`, `bilinear`, ...), which some counters price by."""
    attention: bool = False
    """Part of a fused attention (`nn.MultiheadAttention`, `F.scaled_dot_product_attention`), which some
    counters cannot see into."""
    bmm: int | None = None
    """The multiply–accumulates of the aten matrix products (`mm`, `addmm`, `bmm`, `baddbmm`) the call runs,
    which is what a counter of aten's matrix products sees: an einsum's (`contracted`); 0 for a product torch
    runs as `aten.mv`, `aten.dot` or an elementwise `mul` (`torch.mv`, `torch.outer`, `matmul` with a vector
    on the right). None: all of `macs`."""
    operations: int = 0
    """Linear algebra (`WorkKind.LINALG`): the additions, multiplications, divisions and square roots of the
    algorithm's published count, for all matrices of the batch."""


FREE = Work(WorkKind.FREE)

Works = Work | tuple[Work, ...]
"""A call's work: one record, or several for layers that do several kinds of work
(`nn.MultiheadAttention`: its projections are linear work, its attention matmul work)."""


def as_works(works: Works) -> tuple[Work, ...]:
    return works if isinstance(works, tuple) else (works,)


@dataclass(frozen=True)
class DataDependent:
    """What a shape rule returns when the output's size depends on the data (`torch.nonzero`, `masked_select`):
    the shape as far as it is known (None for each data-dependent size; None altogether when even the rank is
    not known) and the most elements a data-dependent size can have, which the SF301 diagnostic states (None when
    nothing bounds it: `torch.bincount`'s size is the largest value plus one); `least`, the fewest it can have,
    when a call states it (`bincount`'s `minlength`)."""

    shape: tuple[int | None, ...] | None
    bound: int | None
    least: int = 0


def primary(output: Output) -> Shape | None:
    """The first output's shape: what a report shows as the call's output."""
    return output[0] if isinstance(output, list) else output


@dataclass(frozen=True)
class Example:
    """A worked case that is also a test: the generator in tests/ runs every example."""

    source: str
    """The constructor (for layers) as a user writes it, e.g. `nn.Linear(9, 10)`; for ops, the call on
    tensors named x, y, z, w in input order (`torch.matmul(x, y)`), after any statements it needs
    separated by `; ` (`x += y; x`)."""
    inputs: tuple[Shape, ...]
    output: Shape
    params: int
    flops: int
    """Under the default (seed) convention."""
    macs: int
    data_dependent: bool = False
    """The output's size depends on the data (`torch.nonzero`): the analysis reports SF301 and no shape, and counts
    no work; `output` is what torch gives on the cross-check's operands (ones; zeros where indices go)."""


@dataclass(frozen=True)
class LayerSpec:
    """An `nn.Module` subclass from torch: how it is built and what a call does."""

    qualname: str
    """`torch.nn.Conv2d`: the name users import it by."""
    init: tuple[Param, ...]
    attributes: Callable[[dict[str, Any]], dict[str, Any]]
    """Bound constructor arguments → the attributes torch stores (normalized)."""
    parameters: Callable[[Hyper], dict[str, Shape | None]]
    """Attributes → parameter shapes, in torch's registration order (None: registered as None)."""
    output: Callable[[Hyper, list[Shape]], Output]
    work: Callable[[Hyper, list[Shape], Any], Works]
    buffers: Callable[[Hyper], dict[str, Shape]] = lambda h: {}
    children: Callable[[Hyper], dict[str, tuple[str, dict[str, Any]]]] = lambda h: {}
    """Submodules torch registers in the constructor: name → (catalog qualname, constructor keywords)."""
    forward: tuple[Param, ...] = field(default_factory=lambda: signature("input"))
    examples: tuple[Example, ...] = ()
    infer: Callable[[list[Shape]], dict[str, Any]] | None = None
    """Lazy layers (`nn.LazyLinear`): the constructor arguments the first input's shape decides; the
    layer is built (its parameters created) at its first call."""

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[1]


@dataclass(frozen=True)
class OpSpec:
    """A function or tensor method (`torch.flatten`, `F.relu`, `Tensor.view`, `+`)."""

    qualname: str
    """`torch.nn.functional.relu`, `torch.Tensor.view`; binary operators are `torch.Tensor.__add__`."""
    params: tuple[Param, ...]
    tensors: tuple[str, ...]
    """Parameters that take tensors; the shape rule receives their shapes."""
    output: Callable[[dict[str, Any]], Output | DataDependent | None]
    """None or `DataDependent`: the output's shape depends on the data (`torch.where(condition)`)."""
    work: Callable[[dict[str, Any], Any], Works]
    examples: tuple[Example, ...] = ()
    values_indices: bool = False
    """Returns torch's `(values, indices)` tuple, whose items are also attributes (`torch.max(x, 1).values`)."""
    dtype: str | None = None
    """The output's dtype when it is not the first tensor's: `bool` for predicates (`torch.isnan`), which
    matters downstream (indexing by a boolean mask is data-dependent)."""
    result_dtype: Callable[[str], str] | None = None
    """The result's dtype from the first tensor operand's, where it is another (`torch.view_as_complex`:
    float32 → complex64); by default the operand's."""
    call_dtype: Callable[[dict[str, Any], str], str] | None = None
    """The result's dtype where the call's other arguments decide it: from the bound arguments (tensors as the
    interpreter's values, whose `dtype` it may read) and the dtype `dtype`/`result_dtype` give (`torch.stft`:
    complex with `return_complex=True`; `torch.bincount`: the weights' dtype)."""
    fields: tuple[str, ...] = ()
    """Returns one of torch's named tuples: its items' names, which are also attributes (`torch.linalg.qr(A).Q`)."""
    item_dtypes: tuple[str | None, ...] = ()
    """A tuple result's items' dtypes where they are not the result's (`linalg.lu_factor`'s pivots are `int32`);
    None keeps the result's."""
    output_when_unknown: Callable[[dict[str, Any]], Shape | None] | None = None
    """The output's shape when the tensor's is unknown, from the other arguments alone, or None where they
    do not decide it: `x.view(n, n)` is `(n, n)` whatever `x` was, if it runs at all."""

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[1]


Spec = LayerSpec | OpSpec


class FamilyEntries(Mapping[str, Spec]):
    """The entries of a package's family files by qualified name, each file imported on the first lookup
    of a name `index` (family → its names) gives it. Once read, a family's entries never change."""

    def __init__(self, package: str, index: Mapping[str, tuple[str, ...]]) -> None:
        self._package = package
        self._index = index
        self._family_of = {name: family for family, names in index.items() for name in names}
        self._specs: dict[str, Spec] = {}

    def __getitem__(self, qualname: str) -> Spec:
        spec = self.get(qualname)
        if spec is None:
            raise KeyError(qualname)
        return spec

    def get(self, qualname: str, default: Any = None) -> Any:  # type: ignore[override]
        spec = self._specs.get(qualname)
        if spec is not None:
            return spec
        family = self._family_of.get(qualname)
        if family is None:
            return default
        self._read(family)
        return self._specs[qualname]

    def __contains__(self, qualname: object) -> bool:
        return qualname in self._family_of

    def __iter__(self) -> Iterator[str]:
        return iter(self._family_of)

    def __len__(self) -> int:
        return len(self._family_of)

    def _read(self, family: str) -> None:
        specs = import_module(f"{self._package}.{family}").SPECS
        if [spec.qualname for spec in specs] != list(self._index[family]):
            stale = f"the catalog's index is stale for {family}"
            raise RuntimeError(f"{stale}: run python scripts/generate_catalog_index.py")
        for spec in specs:
            self._specs[spec.qualname] = spec


@dataclass(frozen=True)
class Catalog:
    """Every entry, by qualified name."""

    entries: Mapping[str, Spec]

    def layers(self, prefix: str = "torch.nn.") -> dict[str, LayerSpec]:
        """Layers directly under `prefix`, by short name."""
        return {
            spec.qualname[len(prefix) :]: spec
            for spec in self.entries.values()
            if isinstance(spec, LayerSpec)
            and spec.qualname.startswith(prefix)
            and "." not in spec.qualname[len(prefix) :]
        }

    def ops(self, prefix: str) -> dict[str, OpSpec]:
        """Ops directly under `prefix` (`torch.`, `torch.nn.functional.`, `torch.Tensor.`), by short name."""
        return {
            spec.qualname[len(prefix) :]: spec
            for spec in self.entries.values()
            if isinstance(spec, OpSpec) and spec.qualname.startswith(prefix) and "." not in spec.qualname[len(prefix) :]
        }


def spelled(qualname: str, arguments: str = "") -> str:
    """How a user writes a call of an op on a tensor `x`, for examples: `F.relu(x)`, `torch.relu(x)`,
    `x.relu()`, with `arguments` after the tensor."""
    prefix, name = qualname.rsplit(".", 1)
    if prefix == "torch.Tensor":
        return f"x.{name}({arguments})"
    short = "F" if prefix == "torch.nn.functional" else prefix
    return f"{short}.{name}(x{', ' + arguments if arguments else ''})"


def ntuple(value: Any, n: int, what: str) -> tuple[Any, ...]:
    """torch's `_ntuple`: an int becomes `(v,) * n`; a sequence must have length n."""
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ShapeError(SF201, f"{what} must have {n} values, got {len(value)}")
        return tuple(value)
    return (value,) * n


def normalize_dim(dim: int, rank: int) -> int:
    """A dimension in [0, rank); a 0-dimensional tensor takes 0 and -1, as torch's `maybe_wrap_dim` does."""
    require(-max(rank, 1) <= dim < max(rank, 1), f"dimension {dim} is out of range for a tensor of rank {rank}")
    return dim % rank if rank else 0
