"""Loss functions (`F.mse_loss`, `F.cross_entropy`, ...), as a forward() that returns its loss calls them.

A loss is its formula's operations on every element (written beside each entry, counted after
broadcasting), then its reduction: `reduction='none'` keeps the per-element (or per-row) losses, `'sum'`
adds them (n − 1), `'mean'` adds and divides (n). The legacy `size_average`/`reduce` flags choose the
reduction as torch's `_Reduction.legacy_get_string` does.
"""

from __future__ import annotations

import math
from typing import Any

from staticflops.catalog.elementwise import broadcast
from staticflops.catalog.spec import Example, Hyper, LayerSpec, OpSpec, Shape, Work, WorkKind, numel, require
from staticflops.interpreter.calls import signature

TENSORS = frozenset({"input", "target", "var", "input1", "input2", "anchor", "positive", "negative"})
LEGACY = {"size_average": None, "reduce": None, "reduction": "mean"}


def reduction_of(bound: dict[str, Any]) -> str:
    """torch's `_Reduction.legacy_get_string`: the legacy flags, when given, override `reduction`."""
    size_average, reduce = bound.get("size_average"), bound.get("reduce")
    if size_average is None and reduce is None:
        return bound.get("reduction", "mean")
    if reduce is False:
        return "none"
    return "sum" if size_average is False else "mean"


def _reduced(bound: dict[str, Any], unreduced: Shape) -> Shape:
    return unreduced if reduction_of(bound) == "none" else ()


def _work(per_element: int, per_row: int = 0, rows: bool = False) -> Any:
    """`per_element` operations per (broadcast) element, `per_row` more per row, then the reduction."""

    def work(bound: dict[str, Any], out: Shape) -> Work:
        names = ("input", "input1", "input2", "anchor") if rows else ("input", "target", "input1", "input2")
        shapes = [bound[name] for name in names if name in bound]
        elements = numel(_broadcast([s for s in shapes if isinstance(s, tuple)]))
        count = numel(_unreduced(bound, rows)) if rows else elements
        total = per_element * elements + per_row * count
        mode = reduction_of(bound)
        total += {"none": 0, "sum": count - 1, "mean": count}.get(mode, count)
        return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=elements, per_output=total // max(numel(out), 1))

    return work


def _broadcast(shapes: list[Shape]) -> Shape:
    shape: Shape = ()
    for other in shapes:
        shape = broadcast(shape, other)
    return shape


def _unreduced(bound: dict[str, Any], rows: bool) -> Shape:
    """The losses before the reduction: one per element, or one per row (the last dimension is a row's)."""
    names = [n for n in ("input", "target", "input1", "input2", "anchor", "positive", "negative") if n in bound]
    shape = _broadcast([bound[n] for n in names if isinstance(bound[n], tuple) and not (rows and n == "target")])
    return shape[:-1] if rows else shape


def _pointwise(name: str, params: str, per_element: int, example_flops: int, **defaults: Any) -> OpSpec:
    """A loss of element-by-element terms; example: (2, 3) against (2, 3), mean-reduced (6 elements)."""
    tensors = tuple(p for p in params.split(", ") if p in TENSORS)
    return OpSpec(
        f"torch.nn.functional.{name}",
        signature(params, **{**LEGACY, **defaults}),
        tensors,
        lambda b: _reduced(b, _unreduced(b, False)),
        _work(per_element),
        (Example(f"F.{name}({', '.join('xyzw'[: len(tensors)])})", ((2, 3),) * len(tensors), (), 0, example_flops, 0),),
    )


def _rows(name: str, params: str, per_element: int, per_row: int, example: Example, **defaults: Any) -> OpSpec:
    """A loss per row (the last dimension), e.g. a distance or a margin over classes."""
    tensors = tuple(p for p in params.split(", ") if p in TENSORS)
    return OpSpec(
        f"torch.nn.functional.{name}",
        signature(params, **{**LEGACY, **defaults}),
        tensors,
        lambda b: _reduced(b, _unreduced(b, True)),
        _work(per_element, per_row, rows=True),
        (example,),
    )


def _nll_output(bound: dict[str, Any]) -> Shape:
    """`nll_loss`/`cross_entropy`: a loss per target element (class indices), or per input element without
    the class dimension (class probabilities, as the target has the input's shape)."""
    x, target = bound["input"], bound["target"]
    require(len(x) >= 1, "nll_loss: the input needs a class dimension")
    probabilities = (x[0], *x[2:]) if len(x) > 1 else ()
    return _reduced(bound, probabilities if target == x else target)


def _nll_work(log_softmax: bool) -> Any:
    """A pick and a negation per target element (1), the log-softmax's 3 per input element first for
    cross_entropy, then the reduction."""

    def work(bound: dict[str, Any], out: Shape) -> Work:
        x, target = bound["input"], bound["target"]
        count = numel((x[0], *x[2:]) if target == x and len(x) > 1 else () if target == x else target)
        total = count + (3 * numel(x) if log_softmax else 0)
        total += {"none": 0, "sum": count - 1, "mean": count}.get(reduction_of(bound), count)
        return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(x), per_output=total // max(numel(out), 1))

    return work


NLL_PARAMS = "input, target, weight, size_average, ignore_index, reduce, reduction"

OPS = (
    # |x − y|: 2 per element; mean over 6: 12 + 6
    _pointwise("l1_loss", "input, target, size_average, reduce, reduction, weight", 2, 18, weight=None),
    # (x − y)²: 2 per element
    _pointwise("mse_loss", "input, target, size_average, reduce, reduction, weight", 2, 18, weight=None),
    # the difference, its magnitude, the quadratic or linear branch: 3 per element
    _pointwise("smooth_l1_loss", "input, target, size_average, reduce, reduction, beta", 3, 24, beta=1.0),
    _pointwise("huber_loss", "input, target, reduction, delta, weight", 3, 24, delta=1.0, weight=None),
    # log(1 + exp(−y·x)): a product, a negation, the exponent, the logarithm
    _pointwise("soft_margin_loss", "input, target, size_average, reduce, reduction", 4, 30),
    # −(y·log x + (1 − y)·log(1 − x)): two logarithms, two subtractions, two products, a sum, a negation
    _pointwise("binary_cross_entropy", "input, target, weight, size_average, reduce, reduction", 8, 54, weight=None),
    # (1 − y)·x + log(1 + exp(−x)): a subtraction, a product, a negation, the exponent, the logarithm, a sum
    _pointwise(
        "binary_cross_entropy_with_logits",
        "input, target, weight, size_average, reduce, reduction, pos_weight",
        6,
        42,
        weight=None,
        pos_weight=None,
    ),
    # y·(log y − x): a logarithm, a subtraction, a product
    _pointwise("kl_div", "input, target, size_average, reduce, reduction, log_target", 3, 24, log_target=False),
    # exp(x) − y·x: the exponent, a product, a subtraction
    _pointwise(
        "poisson_nll_loss",
        "input, target, log_input, full, size_average, eps, reduce, reduction",
        3,
        24,
        log_input=True,
        full=False,
        eps=1e-8,
    ),
    # ½·(log v + (x − y)²/v): a subtraction, a square, a division, a logarithm, a sum, a halving
    _pointwise("gaussian_nll_loss", "input, target, var, full, eps, reduction", 6, 42, full=False, eps=1e-6),
    # max(0, −y·(x1 − x2) + margin): a subtraction, a product, a negation, an addition, a maximum
    _pointwise(
        "margin_ranking_loss", "input1, input2, target, margin, size_average, reduce, reduction", 5, 36, margin=0.0
    ),
    # y = 1: x; y = −1: max(0, margin − x): a subtraction, a maximum, a selection
    _pointwise("hinge_embedding_loss", "input, target, margin, size_average, reduce, reduction", 3, 24, margin=1.0),
    OpSpec(
        "torch.nn.functional.nll_loss",
        signature(NLL_PARAMS, **LEGACY, weight=None, ignore_index=-100),
        ("input", "target"),
        _nll_output,
        _nll_work(False),
        # 2 samples of 5 classes, class indices: a pick per sample, the mean's 2
        (Example("F.nll_loss(x, y.long())", ((2, 5), (2,)), (), 0, 4, 0),),
    ),
    OpSpec(
        "torch.nn.functional.cross_entropy",
        signature(NLL_PARAMS + ", label_smoothing", **LEGACY, weight=None, ignore_index=-100, label_smoothing=0.0),
        ("input", "target"),
        _nll_output,
        _nll_work(True),
        # log-softmax over 2·5 (30), a pick per sample (2), the mean (2)
        (Example("F.cross_entropy(x, y.long())", ((2, 5), (2,)), (), 0, 34, 0),),
    ),
    # cosine similarity of each row pair (x·y, ‖x‖, ‖y‖: 6 per element; a division, a margin, a selection per row)
    _rows(
        "cosine_embedding_loss",
        "input1, input2, target, margin, size_average, reduce, reduction",
        6,
        3,
        Example("F.cosine_embedding_loss(x, y, z)", ((2, 3), (2, 3), (2,)), (), 0, 44, 0),
        margin=0.0,
    ),
    # Σ_i max(0, margin − x[y] + x[i]) / C: 3 per class, a division per row
    _rows(
        "multi_margin_loss",
        "input, target, p, margin, weight, size_average, reduce, reduction",
        3,
        1,
        Example("F.multi_margin_loss(x, y.long())", ((2, 5), (2,)), (), 0, 34, 0),
        p=1,
        margin=1.0,
        weight=None,
    ),
    # y·log σ(x) + (1 − y)·log σ(−x) per class (8), averaged over the classes (1 per class)
    _rows(
        "multilabel_soft_margin_loss",
        "input, target, weight, size_average, reduce, reduction",
        9,
        0,
        Example("F.multilabel_soft_margin_loss(x, y)", ((2, 5), (2, 5)), (), 0, 92, 0),
        weight=None,
    ),
    # two distances (a subtraction, a power, a sum per element each: 6), their difference, the margin, a maximum
    _rows(
        "triplet_margin_loss",
        "anchor, positive, negative, margin, p, eps, swap, size_average, reduce, reduction",
        6,
        3,
        Example("F.triplet_margin_loss(x, y, z)", ((2, 3), (2, 3), (2, 3)), (), 0, 44, 0),
        margin=1.0,
        p=2.0,
        eps=1e-6,
        swap=False,
    ),
)

MORE = (
    # Σ over the targets j and the other classes i of max(0, 1 − (x[y_j] − x[i])), over C: priced as one target
    # per row (3 per class, a division per row), as multi_margin_loss. NB: the pairs depend on the data (how many
    # targets each row lists before its −1); 2·5 classes: 30, 2 divisions, the mean's 2
    _rows(
        "multilabel_margin_loss",
        "input, target, size_average, reduce, reduction",
        3,
        1,
        Example("F.multilabel_margin_loss(x, y.long())", ((2, 5), (2, 5)), (), 0, 34, 0),
    ),
)


def _logits(bound: dict[str, Any]) -> Shape:
    """`linear_cross_entropy`'s logits, `(*batch, C, *out_features)` for a weight `(C, *out_features, D)`."""
    x, weight, bias = bound["input"], bound["linear_weight"], bound["linear_bias"]
    require(1 <= len(x) <= 2, f"expected input with dimensionality 1 or 2, got {len(x)}")
    require(len(weight) >= 2, f"expected linear_weight with dimensionality at least 2, got {len(weight)}")
    require(x[-1] == weight[-1], f"expected equal input and linear_weight last dimensions (in_features), got {x[-1]} "
            f"and {weight[-1]}, respectively", expected=weight[-1], actual=x[-1])  # fmt: skip
    logits = (*x[:-1], *weight[:-1])
    require(bias is None or bias == weight[:-1], f"expected linear_bias shape {weight[:-1]}, got {bias}")
    require(len(weight) == 2 or len(x) == 2, f"K-dimensional loss defined by linear_weight shape {list(weight)} "
            f"requires batched input, (N, {x[-1]}), got unbatched input with shape {list(x)}")  # fmt: skip
    return logits


def _as_cross_entropy(bound: dict[str, Any]) -> dict[str, Any]:
    return {**bound, "input": _logits(bound), "size_average": None, "reduce": None}


def _linear_cross_entropy_work(bound: dict[str, Any], out: Shape) -> tuple[Work, ...]:
    """The logits as a linear layer's (`2·D − 1` per logit, one more with a bias), then `cross_entropy`'s."""
    logits = _logits(bound)
    linear = Work(WorkKind.LINEAR, outputs=numel(logits), macs=numel(logits) * bound["input"][-1],
                  bias=bound["linear_bias"] is not None, inputs=numel(bound["input"]))  # fmt: skip
    return (linear, _nll_work(True)(_as_cross_entropy(bound), out))


def _lengths(value: Any, count: int, full: int) -> list[int]:
    """`ctc_loss`'s lengths: a list (or tuple) of ints, known; a tensor, whose values are not: every sample at the
    `full` padded length."""
    if isinstance(value, (list, tuple)) and all(isinstance(v, int) for v in value):
        require(len(value) == count, f"ctc_loss: expected {count} lengths, got {len(value)}")
        return list(value)
    return [full] * count


def _ctc_layout(bound: dict[str, Any]) -> tuple[int, int, list[int], list[int]]:
    x, targets = bound["log_probs"], bound["targets"]
    require(len(x) in (2, 3), f"ctc_loss: expected log_probs of 2 or 3 dimensions, got {list(x)}")
    steps, batch = x[0], (x[1] if len(x) == 3 else 1)
    longest = targets[-1] if len(targets) >= 2 else sum(targets) if targets else 0
    inputs = _lengths(bound["input_lengths"], batch, steps)
    labels = _lengths(bound["target_lengths"], batch, longest)
    require(all(0 <= t <= steps for t in inputs), f"ctc_loss: input lengths {inputs} exceed the {steps} steps")
    return steps, batch, inputs, labels


def _ctc_output(bound: dict[str, Any]) -> Shape:
    _, batch, _, _ = _ctc_layout(bound)
    unreduced = (batch,) if len(bound["log_probs"]) == 3 else ()
    return unreduced if bound["reduction"] == "none" else ()


def _ctc_work(bound: dict[str, Any], out: Shape) -> Work:
    """The forward algorithm: per step and per state of the extended labels (a blank around each label:
    `2·S + 1`), a log-sum-exp of at most three predecessors (three exponents, two additions, a logarithm) and the
    emission's addition: 7; per sample the last two states' log-sum-exp and the negation (4); `zero_infinity` a
    selection per sample; `mean` divides each loss by its target length and averages (2 per sample), `sum` adds.
    NB: with the lengths given as tensors their values are not known: every sample is priced at the padded
    lengths (the steps of `log_probs`, the targets' columns), an upper bound."""
    _, batch, inputs, labels = _ctc_layout(bound)
    states = sum(t * (2 * s + 1) for t, s in zip(inputs, labels, strict=True))
    total = 7 * states + 4 * batch + (batch if bound["zero_infinity"] else 0)
    total += {"none": 0, "sum": batch - 1, "mean": 2 * batch}.get(bound["reduction"], 2 * batch)
    return Work(WorkKind.ELEMENTWISE, outputs=total)


FUNCTIONS = (
    OpSpec(
        "torch.nn.functional.linear_cross_entropy",
        signature("input, linear_weight, target, *, linear_bias, weight, reduction, ignore_index, label_smoothing, "
                  "options", linear_bias=None, weight=None, reduction="mean", ignore_index=None, label_smoothing=0.0,
                  options=None),
        ("input", "linear_weight", "target", "linear_bias", "weight"),
        lambda b: _nll_output(_as_cross_entropy(b)),
        _linear_cross_entropy_work,
        # 2 samples, 3 features, 5 classes: 10 logits of 2·3 − 1 (50), then cross_entropy's 34: 84
        (Example("F.linear_cross_entropy(x, y, z.long())", ((2, 3), (5, 3), (2,)), (), 0, 84, 30),),
    ),
    OpSpec(
        "torch.nn.functional.ctc_loss",
        signature("log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity", blank=0,
                  reduction="mean", zero_infinity=False),
        ("log_probs", "targets"),
        _ctc_output,
        _ctc_work,
        # 2 samples of 6 steps, targets of 2 labels: 2·6·5 = 60 states · 7 = 420, 8, the mean's 4: 432
        (Example("F.ctc_loss(x, y.long(), [6, 6], [2, 2])", ((6, 2, 4), (2, 2)), (), 0, 432, 0),),
    ),
)


LAYERS = {
    "L1Loss": "l1_loss", "MSELoss": "mse_loss", "SmoothL1Loss": "smooth_l1_loss", "HuberLoss": "huber_loss",
    "SoftMarginLoss": "soft_margin_loss", "BCELoss": "binary_cross_entropy",
    "BCEWithLogitsLoss": "binary_cross_entropy_with_logits", "KLDivLoss": "kl_div",
    "PoissonNLLLoss": "poisson_nll_loss", "GaussianNLLLoss": "gaussian_nll_loss",
    "MarginRankingLoss": "margin_ranking_loss", "HingeEmbeddingLoss": "hinge_embedding_loss",
    "NLLLoss": "nll_loss", "CrossEntropyLoss": "cross_entropy", "CosineEmbeddingLoss": "cosine_embedding_loss",
    "MultiMarginLoss": "multi_margin_loss", "MultiLabelSoftMarginLoss": "multilabel_soft_margin_loss",
    "TripletMarginLoss": "triplet_margin_loss", "NLLLoss2d": "nll_loss",
}  # fmt: skip
"""Each loss module and the function its forward() calls: its constructor takes the function's other
arguments, in the same order, and its forward() the function's tensors."""

EXAMPLES = {"CrossEntropyLoss": (((2, 5), (2, 5)), 34)}
"""Examples whose inputs differ from the function's: a module's example feeds float tensors, so
cross-entropy's target is class probabilities (the input's shape) rather than indices: the
log-softmax over 2·5 (30), a pick per row (2), the mean (2)."""


INITS = {
    "L1Loss": "size_average, reduce, reduction",
    "MSELoss": "size_average, reduce, reduction",
    "HuberLoss": "reduction, delta",
    "GaussianNLLLoss": "*, full, eps, reduction",
}
"""Constructors that are not the function's other arguments in order (a function's `weight` the module
lacks, keyword-only arguments)."""


def _layer(name: str, function: OpSpec) -> LayerSpec:
    tensors = function.tensors
    init = tuple(p for p in function.params if p.name not in tensors)
    if name in INITS:
        defaults = {p.name: p.default for p in init}
        names = [n for n in INITS[name].split(", ") if n != "*"]
        init = signature(INITS[name], **{n: defaults[n] for n in names})

    def bound(h: Hyper, inputs: list[Shape]) -> dict[str, Any]:
        return {**h, **dict(zip(tensors, inputs, strict=False))}

    (template,) = function.examples
    inputs, flops = EXAMPLES.get(name, (template.inputs, template.flops))
    return LayerSpec(
        f"torch.nn.{name}",
        init=init,
        attributes=lambda b: {**b, "reduction": reduction_of(b)},
        parameters=lambda h: {},
        output=lambda h, shapes: function.output(bound(h, shapes)),
        work=lambda h, shapes, out: function.work(bound(h, shapes), out),
        forward=tuple(p for p in function.params if p.name in tensors),
        examples=(Example(f"nn.{name}()", inputs, (), 0, flops, 0),),
    )


_FUNCTIONS = {spec.name: spec for spec in OPS}
MODULES = tuple(_layer(name, _FUNCTIONS[function]) for name, function in LAYERS.items())


# --------------------------------------------------------------------------- losses whose modules have their own rule
# NB: `F.ctc_loss` and `F.multilabel_margin_loss` (FUNCTIONS above) were written at the same time as these modules'
# rules: the modules belong in LAYERS, built on the functions' entries (their counts differ for now).
def _total_work(total: int, out: Shape, inputs: int) -> tuple[Work, ...]:
    """`total` operations spread over the output elements, exactly (a remainder as a second record)."""
    count = max(numel(out), 1)
    works = [Work(WorkKind.ELEMENTWISE, outputs=count, inputs=inputs, per_output=total // count)]
    if total % count:
        works.append(Work(WorkKind.ELEMENTWISE, outputs=total % count, per_output=1))
    return tuple(works)


def _reduction_ops(reduction: str, losses: int) -> int:
    return {"none": 0, "sum": losses - 1, "mean": losses}.get(reduction, losses)


def _ctc_output(h: Hyper, inputs: list[Shape]) -> Shape:
    """One loss per sequence: `(N,)` with `reduction='none'` (`()` for an unbatched `(T, C)` input), else `()`."""
    log_probs, targets = inputs[:2]
    require(len(log_probs) in (2, 3), f"ctc_loss expects log_probs of shape (T, N, C) or (T, C), got {list(log_probs)}")
    require(len(targets) in (1, 2), f"ctc_loss expects targets of shape (N, S) or (sum(target_lengths),), got "
            f"{list(targets)}")  # fmt: skip
    batch = log_probs[1:2] if len(log_probs) == 3 else ()
    return batch if h["reduction"] == "none" else ()


def _ctc_work(h: Hyper, inputs: list[Shape], out: Shape) -> tuple[Work, ...]:
    """The forward (alpha) recursion: at each of T steps, each position of every extended target (the labels
    with a blank around each: 2·S + 1 for a target of S labels, 2·targets + N over the batch) takes the
    log-sum-exp of up to three predecessors (3 exponentials, 2 additions, a logarithm) and adds its emission:
    7 operations; then `mean` divides each loss by its target's length and averages (2 per sequence).
    NB: the lengths are data: T and S are counted at the padded sizes of log_probs and targets, an upper bound."""
    log_probs, targets = inputs[:2]
    steps, batch = log_probs[0], log_probs[1] if len(log_probs) == 3 else 1
    total = 7 * steps * (2 * numel(targets) + batch)
    total += 2 * batch if h["reduction"] == "mean" else _reduction_ops(h["reduction"], batch)
    return _total_work(total, out, numel(log_probs))


def _multilabel_margin_output(h: Hyper, inputs: list[Shape]) -> Shape:
    x, target = inputs[:2]
    require(len(x) in (1, 2) and target == x, f"multilabel_margin_loss expects input and target of the same shape "
            f"(C) or (N, C), got {list(x)} and {list(target)}")  # fmt: skip
    return x[:1] if h["reduction"] == "none" and len(x) == 2 else ()


def _multilabel_margin_work(h: Hyper, inputs: list[Shape], out: Shape) -> tuple[Work, ...]:
    """Per row of C classes, `max(0, 1 − (x[y] − x[i]))` summed over each target class y and each other class i
    (a subtraction, the margin, a maximum, an addition: 4), divided by C; then the reduction over rows.
    NB: how many classes are targets is data (the target row ends at its first −1): counted as C·C pairs, the
    most a row can have."""
    x = inputs[0]
    classes, rows = x[-1], x[0] if len(x) == 2 else 1
    total = rows * (4 * classes * classes + 1) + _reduction_ops(h["reduction"], rows)
    return _total_work(total, out, numel(x))


def _lce_attributes(bound: dict[str, Any]) -> dict[str, Any]:
    weight = bound["weight"]
    classes = bound["num_classes"]
    require(weight is None or tuple(weight.shape) == (classes,), f"expected weight shape to be {(classes,)}, got "
            f"{getattr(weight, 'shape', weight)}")  # fmt: skip
    require(0 <= bound["label_smoothing"] <= 1, f"expected label_smoothing to be in range [0, 1], got "
            f"{bound['label_smoothing']}")  # fmt: skip
    out_features = tuple(bound["out_features"])
    return {
        "num_classes": classes,
        "out_features": out_features,
        "in_features": bound["in_features"],
        "bias": bool(bound["bias"]),
        "reduction": bound["reduction"],
        "ignore_index": bound["ignore_index"],
        "label_smoothing": bound["label_smoothing"],
        "weight": None if weight is None else (classes,),
    }


def _lce_logits(h: Hyper, x: Shape) -> Shape:
    require(len(x) in (1, 2) and x[-1] == h["in_features"], f"LinearCrossEntropyLoss expects input of shape "
            f"({h['in_features']},) or (N, {h['in_features']}), got {list(x)}")  # fmt: skip
    return (*x[:-1], h["num_classes"], *h["out_features"])


def _lce_output(h: Hyper, inputs: list[Shape]) -> Shape:
    return _nll_output({"input": _lce_logits(h, inputs[0]), "target": inputs[1], "reduction": h["reduction"]})


def _lce_work(h: Hyper, inputs: list[Shape], out: Shape) -> tuple[Work, ...]:
    """`F.linear_cross_entropy`: `linear`'s weight as a projection to `num_classes × out_features` logits (its
    `linear` is registered, never called), then cross_entropy's work on them."""
    x, logits = inputs[0], _lce_logits(h, inputs[0])
    outputs = numel(logits)
    projection = Work(WorkKind.LINEAR, outputs=outputs, macs=outputs * x[-1], bias=h["bias"], inputs=numel(x))
    loss = _nll_work(True)({"input": logits, "target": inputs[1], "reduction": h["reduction"]}, out)
    return (projection, loss)


OWN_RULES = (
    LayerSpec(
        "torch.nn.CTCLoss",
        init=signature("blank, reduction, zero_infinity", blank=0, reduction="mean", zero_infinity=False),
        attributes=dict,
        parameters=lambda h: {},
        output=_ctc_output,
        work=_ctc_work,
        forward=signature("log_probs, targets, input_lengths, target_lengths"),
        # T = 6 steps, N = 2 sequences of up to S = 3 labels (2·3 + 1 = 7 positions each): 7·6·14 = 588;
        # the mean divides each by its length and averages (4)
        examples=(Example("nn.CTCLoss()", ((6, 2, 5), (2, 3), (2,), (2,)), (), 0, 588 + 4, 0),),
    ),
    LayerSpec(
        "torch.nn.MultiLabelMarginLoss",
        init=signature("size_average, reduce, reduction", **LEGACY),
        attributes=lambda b: {"reduction": reduction_of(b)},
        parameters=lambda h: {},
        output=_multilabel_margin_output,
        work=_multilabel_margin_work,
        forward=signature("input, target"),
        # 2 rows of 4 classes: 4·16 + 1 = 65 each, the mean over 2 rows (2)
        examples=(Example("nn.MultiLabelMarginLoss()", ((2, 4), (2, 4)), (), 0, 2 * 65 + 2, 0),),
    ),
    LayerSpec(
        "torch.nn.LinearCrossEntropyLoss",
        init=signature(
            "in_features, num_classes, *, out_features, bias, device, dtype, reduction, weight, ignore_index, "
            "label_smoothing, options",
            out_features=(),
            bias=False,
            device=None,
            dtype=None,
            reduction="mean",
            weight=None,
            ignore_index=None,
            label_smoothing=0.0,
            options=None,
        ),
        attributes=_lce_attributes,
        parameters=lambda h: {},
        buffers=lambda h: {} if h["weight"] is None else {"weight": h["weight"]},
        children=lambda h: {
            "linear": (
                "torch.nn.Linear",
                {
                    "in_features": h["in_features"],
                    "out_features": math.prod(h["out_features"], start=h["num_classes"]),
                    "bias": h["bias"],
                },
            )
        },
        output=_lce_output,
        work=_lce_work,
        forward=signature("input, target"),
        # 8 samples of 5 features to 4 classes: 32 logits × (2·5 − 1) = 288; log-softmax 3·32 = 96, a pick per
        # target (8), the mean (8)
        examples=(Example("nn.LinearCrossEntropyLoss(5, 4)", ((8, 5), (8, 4)), (), 20, 288 + 96 + 8 + 8, 160),),
    ),
)

SPECS = (*OPS, *MORE, *FUNCTIONS, *MODULES, *OWN_RULES)
