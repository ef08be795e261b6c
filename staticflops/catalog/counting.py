"""Counting and membership: `bincount`, `histc`, `histogram`, `isin`.

`bincount`'s size is its input's largest value plus one (at least `minlength`): it depends on the data, so the
shape rule says so (`DataDependent`, SF301) and no work is counted. A histogram of `bins` bins has a known size;
it finds each element's bin and adds one to it: with bins of equal width a subtraction, a scaling and the
increment (3 per input element); with edges given as a tensor, a search (unpriced: comparisons whose count
depends on the algorithm, as `searchsorted`'s) and the increment (1). `density=True` divides each bin by the
total and its width (2 per bin). `isin` answers one membership question per element (1 per output element, as a
predicate). NB: how many comparisons `isin` makes depends on its algorithm (sort-based, or brute force for
few test elements), as for `sort`. FlopCounterMode prices none of them: 0 under `torch`.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.spec import (
    FREE,
    DataDependent,
    Example,
    OpSpec,
    Shape,
    Work,
    WorkKind,
    Works,
    numel,
    require,
    spelled,
)
from staticflops.interpreter.calls import signature


def _forms(name: str, method: bool = True) -> tuple[str, ...]:
    return (f"torch.{name}", *([f"torch.Tensor.{name}"] if method else []))


def bincount_shape(bound: dict[str, Any]) -> DataDependent:
    """A 1-D count of each value: as many bins as the largest value says, at least `minlength`."""
    x, weights, minlength = bound["input"], bound["weights"], bound["minlength"]
    require(len(x) == 1, f"bincount only supports 1-d non-negative integral inputs, got {len(x)}-d")
    require(weights is None or weights == x, "weights should be 1-d and have the same length as input")
    require(minlength >= 0, "minlength should be >= 0")
    return DataDependent((None,), None, least=minlength)


def _bincount_dtype(bound: dict[str, Any], dtype: str) -> str:
    """int64 counts; with weights, sums of the weights in their dtype."""
    weights = bound.get("weights")
    return "int64" if weights is None else getattr(weights, "dtype", "float32")


def histc_shape(bound: dict[str, Any]) -> Shape:
    bins, low, high = bound["bins"], bound["min"], bound["max"]
    require(isinstance(bins, int) and bins > 0, f"torch.histc(): bins must be > 0, but got {bins} for bins")
    require(not (isinstance(low, (int, float)) and isinstance(high, (int, float)) and low > high),
            f"torch.histc(): max must be larger than min, got min {low} and max {high}")  # fmt: skip
    return (bins,)


def _binned(bound: dict[str, Any], out: Shape) -> Works:
    """3 per input element for bins of equal width (a subtraction, a scaling, the increment)."""
    return Work(WorkKind.ELEMENTWISE, outputs=numel(bound["input"]), per_output=3)


def histogram_shape(bound: dict[str, Any]) -> list[Shape]:
    """(hist, bin_edges): `bins` bins and `bins + 1` edges, or the edges given as a 1-D tensor."""
    bins, weight = bound["bins"], bound["weight"]
    if isinstance(bins, tuple):  # a tensor of edges
        require(len(bins) == 1 and bins[0] >= 1, f"torch.histogram(): bins tensor should have one dimension and at "
                f"least 1 element, but got {list(bins)}")  # fmt: skip
        edges = bins[0]
    else:
        require(isinstance(bins, int) and bins > 0, f"torch.histogram(): bins must be > 0, but got {bins} for bins")
        edges = bins + 1
    require(weight is None or weight == bound["input"], "torch.histogram(): if weight tensor is provided it should "
            "have the same shape as the input tensor")  # fmt: skip
    return [(edges - 1,), (edges,)]


def _histogram_work(bound: dict[str, Any], out: list[Shape]) -> Works:
    per_element = 1 if isinstance(bound["bins"], tuple) else 3
    counted = Work(WorkKind.ELEMENTWISE, outputs=numel(bound["input"]), per_output=per_element)
    if not bound["density"]:
        return counted
    return (counted, Work(WorkKind.ELEMENTWISE, outputs=numel(out[0]), per_output=2))


def _operand(value: Any) -> Shape:
    return value if isinstance(value, tuple) else ()


def isin_shape(bound: dict[str, Any]) -> Shape:
    """One answer per element of `elements` (a number is a 0-d tensor)."""
    require(isinstance(bound["elements"], tuple) or isinstance(bound["test_elements"], tuple),
            "isin() expects at least one tensor")  # fmt: skip
    return _operand(bound["elements"])


SPECS = (
    *(
        OpSpec(
            qualname,
            signature("input, weights, minlength", weights=None, minlength=0),
            ("input", "weights"),
            bincount_shape,
            lambda b, out: FREE,
            # ones: three bins, the counts in bin 1
            (Example(source, ((5,),), (3,), 0, 0, 0, data_dependent=True),),
            call_dtype=_bincount_dtype,
        )
        for qualname, source in (("torch.bincount", "torch.bincount(x.long(), minlength=3)"),
                                 ("torch.Tensor.bincount", "x.long().bincount(minlength=3)"))
    ),
    # 3 per element: 2·3·3 = 18
    *(
        OpSpec(
            qualname,
            signature("input, bins, min, max", bins=100, min=0, max=0),
            ("input",),
            histc_shape,
            _binned,
            (Example(spelled(qualname, "bins=4, min=0, max=3"), ((2, 3),), (4,), 0, 18, 0),),
        )
        for qualname in _forms("histc")
    ),
    # 3 per element and, for the density, 2 per bin: 3·6 + 2·5 = 28
    *(
        OpSpec(
            qualname,
            signature("input, bins, *, range, weight, density", range=None, weight=None, density=False),
            ("input", "bins", "weight"),
            histogram_shape,
            _histogram_work,
            (Example(spelled(qualname, "5, density=True"), ((2, 3),), (5,), 0, 28, 0),),
        )
        for qualname in _forms("histogram")
    ),
    # one answer per element: 2·3 = 6
    OpSpec(
        "torch.isin",
        signature("elements, test_elements, *, assume_unique, invert", assume_unique=False, invert=False),
        ("elements", "test_elements"),
        isin_shape,
        lambda b, out: Work(WorkKind.ELEMENTWISE, outputs=numel(out)),
        (Example("torch.isin(x, y)", ((2, 3), (4,)), (2, 3), 0, 6, 0),),
        dtype="bool",
    ),
)
