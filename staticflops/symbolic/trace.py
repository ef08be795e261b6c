"""The symbolic run of one model: trace with named sizes, read the formulas, check them at other sizes.

`trace_symbolically` is handed the concrete input shapes the run would use (given, or inferred) and a
`finish(shapes, named)` that traces the model and makes its result. It traces once with `SymInt` sizes,
reads the expressions of the totals and of each layer, and then traces concretely at a few other sizes
that meet every recorded condition: a formula that disagrees with any of them (an expression was lost on
the way, in a C function that took the plain number) is dropped and said so (SF308), never shown.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from typing import Any

from staticflops.catalog import Shape
from staticflops.diagnostics import SF005, SF308, Diagnostic, Severity
from staticflops.errors import StaticFlopsError
from staticflops.results import ModelResult, Symbolic, SymbolicQuantity
from staticflops.symbolic.checks import Totals, activation_elements, measure
from staticflops.symbolic.expr import Poly, substitute
from staticflops.symbolic.options import Pattern, SymbolicOptions, concrete
from staticflops.symbolic.values import Guard, Ledger, SymInt, lift

Finish = Callable[..., ModelResult]
QUANTITIES = ("params", "flops", "macs", "activations")
TOP_LAYERS = 5
"""How many of the costliest layers the result gives the formula of."""
TRIES = 400
"""Random sizes drawn (each way, for every two checks) to find `checks` that meet every condition."""


def trace_symbolically(
    options: SymbolicOptions,
    shapes: list[Shape],
    named_shapes: dict[str, Shape] | None,
    finish: Finish,
    where: Callable[[], Any],
) -> ModelResult:
    named_shapes = dict(named_shapes or {})
    patterns, named_patterns, problem = _patterns(options, shapes, named_shapes)
    if problem is not None:  # the names do not fit the inputs: an input error, as a shape that cannot be read
        raise StaticFlopsError(Diagnostic(SF005, problem))
    dims: dict[str, int] = dict(options.dims)
    for pattern, shape in [*zip(patterns, shapes, strict=True),
                           *((named_patterns[k], named_shapes[k]) for k in named_patterns)]:  # fmt: skip
        for size, value in zip(pattern, shape, strict=True):
            if isinstance(size, str) and dims.setdefault(size, value) != value:
                message = f"the dimension '{size}' stands for sizes {dims[size]} and {value}; give it with --dim"
                raise StaticFlopsError(Diagnostic(SF005, message))
    ledger = Ledger(where=where)
    symbols = {name: SymInt(value, Poly.dim(name), ledger) for name, value in dims.items()}

    def symbolic_shape(pattern: Pattern, shape: Shape) -> Shape:
        return tuple(symbols[size] if isinstance(size, str) else size for size in pattern)

    traced: Totals = finish(
        [symbolic_shape(p, s) for p, s in zip(patterns, shapes, strict=True)],
        {k: symbolic_shape(named_patterns[k], named_shapes[k]) for k in named_patterns} or None,
        fresh=True,
        traced=ledger.close,
        again=True,
        measure=measure,
    )
    # the report is the concrete trace at the traced sizes (the shape search's, when it made that one, as a
    # concrete run's is): plain numbers, made as a concrete run makes them; the symbolic trace gives the
    # expressions, call by call
    result: ModelResult = finish(
        [concrete(p, dims) for p in patterns],  # type: ignore[misc]
        {k: concrete(p, dims) for k, p in named_patterns.items()} or None,
        again=True,
    )
    exprs = {q: lift(v) or Poly.const(0) for q, v in traced.values.items()}
    same = _same_trace(traced, result)
    per_call = traced.flops if same else []
    top = sorted(range(len(result.layers)), key=lambda i: -(result.layers[i].flops or 0))[:TOP_LAYERS]
    every_layer = [(result.layers[i].path, lift(f)) for i, f in enumerate(per_call) if f is not None]
    layer_exprs = {i: lift(per_call[i]) for i in top if i < len(per_call) and per_call[i] is not None}
    guards = dict(ledger.guards)

    # sizes the model pins (`C == 3`) are numbers, not dimensions; --symbolic alone names what is left
    pinned = _pinned(guards)
    renames = _auto_names(patterns, named_patterns, pinned) if options.auto else {}
    values = {old: Poly.dim(new) for old, new in renames.items()}
    values.update({name: Poly.const(value) for name, value in pinned.items()})
    memo: dict[Any, Poly] = {}

    def rebuilt(expr: Poly) -> Poly:
        return substitute(expr, values, memo) if values else expr  # nothing renamed or pinned: as it is

    exprs = {q: rebuilt(e) for q, e in exprs.items()}
    every_layer = [(path, rebuilt(e)) for path, e in every_layer if e is not None]
    layer_exprs = {i: rebuilt(e) for i, e in layer_exprs.items() if e is not None}
    free = {renames.get(name, name): value for name, value in dims.items() if name not in pinned}
    conditions = _simplified({Guard(rebuilt(g.expr), g.op): site for g, site in guards.items()}, free)

    def positions(env: dict[str, int]) -> dict[str, int]:
        """Values of the trace's own names for an assignment of the reported ones."""
        back = {new: old for old, new in renames.items()}
        return {**pinned, **{back.get(name, name): value for name, value in env.items()}}

    exact = {q: True for q in QUANTITIES}
    checked: list[dict[str, int]] = []
    measured: list[dict[str, int]] = []
    problems: list[str] = []
    if any(d.severity is Severity.ERROR for d in result.diagnostics) or not result.flops_complete:
        exact = {q: q == "params" and result.params_complete for q in QUANTITIES}
        problems.append("the trace is not complete, so its totals are lower bounds, not formulas")
    elif not traced.complete:
        exact = dict.fromkeys(QUANTITIES, False)
        failure = next((d.message for d in traced.diagnostics if d.severity is Severity.ERROR), "a cost unknown")
        problems.append(f"the trace with named sizes is not complete ({failure})")
    elif not same:
        exact = dict.fromkeys(QUANTITIES, False)
        problems.append("the trace with named sizes and the concrete trace at its sizes differ")
    else:
        for env in _sizes(free, list(conditions), options.checks, result.name):
            at = positions(env)
            other: Totals = finish(
                [concrete(p, at) for p in patterns],  # type: ignore[misc]
                {k: concrete(p, at) for k, p in named_patterns.items()} or None,
                fresh=True,
                again=True,
                measure=measure,
            )
            checked.append(env)
            measured.append(other.values)
            shown = ", ".join(f"{k}={v}" for k, v in env.items())
            if not other.complete:
                problems.append(f"the concrete trace at {shown} fails although every condition holds")
                exact = dict.fromkeys(QUANTITIES, False)
                break
            for quantity, value in other.values.items():
                formula = exprs[quantity].evaluate(env)
                if exact[quantity] and formula != value:
                    exact[quantity] = False
                    problems.append(f"{quantity}: the formula gives {formula} at {shown}, a concrete trace {value}")
    for problem in problems:
        result.diagnostics.append(_diagnostic(result, f"{problem}; that formula is not reported"))
    result.symbolic = Symbolic(
        dims=free,
        pinned={} if options.auto else pinned,
        inputs=[_pattern_text(p, renames, pinned) for p in patterns]
        + [f"{k}={_pattern_text(p, renames, pinned)}" for k, p in named_patterns.items()],
        quantities={q: _quantity(e, free) if exact[q] else SymbolicQuantity(None, None) for q, e in exprs.items()},
        layers=[(result.layers[i].path, str(e), result.layers[i].flops or 0) for i, e in layer_exprs.items()]
        if exact["flops"]
        else [],
        conditions=[(str(g), _site(s)) for g, s in conditions.items()],
        exact=all(exact.values()),
        checked=checked,
        formulas={q: e for q, e in exprs.items() if exact[q]},
        layer_formulas=every_layer if exact["flops"] else [],
        guards=list(conditions),
        measured=measured,
    )
    return result


def _same_trace(traced: Totals, result: ModelResult) -> bool:
    """The symbolic trace made the calls of the concrete one at the same sizes, with their numbers."""
    if len(traced.flops) != len(result.layers):
        return False
    if any((f is None) != (layer.flops is None) or (f is not None and int(f) != layer.flops)
           for f, layer in zip(traced.flops, result.layers, strict=True)):  # fmt: skip
        return False
    totals = _totals(result)
    return all(int(traced.values[q]) == totals[q] for q in QUANTITIES)


def _quantity(expr: Poly, dims: dict[str, int]) -> SymbolicQuantity:
    return SymbolicQuantity(str(expr), int(expr.evaluate(dims)), _orders(expr))


def _patterns(
    options: SymbolicOptions, shapes: list[Shape], named: dict[str, Shape]
) -> tuple[list[Pattern], dict[str, Pattern], str | None]:
    """The pattern of each input: as written, or every size named (`--symbolic` alone)."""
    if options.auto:
        patterns = [tuple(f"_{n}_{i}" for i in range(len(s))) for n, s in enumerate(shapes)]
        named_patterns = {k: tuple(f"_{k}_{i}" for i in range(len(s))) for k, s in named.items()}
        first = shapes[0] if shapes else next(iter(named.values()), None)
        # one batch for every input, and the sizes of inputs shaped like the first (ids and their mask) shared
        for index, pattern in enumerate([*patterns, *named_patterns.values()]):
            shape = [*shapes, *named.values()][index]
            shared = first is not None and len(shape) == len(first) and tuple(shape) == tuple(first)
            renamed = tuple("_0_0" if i == 0 else (f"_0_{i}" if shared else p) for i, p in enumerate(pattern))
            if index < len(patterns):
                patterns[index] = renamed
            else:
                named_patterns[list(named_patterns)[index - len(patterns)]] = renamed
        return patterns, named_patterns, None
    if len(options.inputs) != len(shapes) or set(dict(options.named)) != set(named):
        return [], {}, "the named input shapes do not match the model's inputs"
    patterns = list(options.inputs)
    named_patterns = dict(options.named)
    for pattern, shape in [*zip(patterns, shapes, strict=True), *((named_patterns[k], named[k]) for k in named)]:
        if len(pattern) != len(shape):
            written = ",".join(map(str, pattern))
            return [], {}, f"the input shape {written} has not the rank of the model's input {list(shape)}"
    return patterns, named_patterns, None


def _pinned(guards: dict[Guard, Any]) -> dict[str, int]:
    """Dimensions a condition fixes to one value (`C == 3`, `L - 1024 == 0`)."""
    found: dict[str, int] = {}
    for guard in guards:
        if guard.op != "==":
            continue
        varying = [(m, c) for m, c in guard.expr.terms.items() if m]
        if len(varying) == 1 and len(varying[0][0]) == 1 and varying[0][0][0][1] == 1:
            atom, coefficient = varying[0][0][0][0], varying[0][1]
            constant = guard.expr.terms.get((), 0)
            if isinstance(atom, str) and abs(coefficient) == 1:
                found[atom] = int(-constant * coefficient)
    return found


def _simplified(guards: dict[Guard, Any], dims: dict[str, int]) -> dict[Guard, Any]:
    """The conditions, those that a size alone must meet as a lower bound: `H // 4 > 3` and `H > 4` are
    `H > 15`. A `>=` condition on one dimension whose expression is non-decreasing in it holds exactly from
    its least solution on (found by bisection below the traced value, which meets it)."""
    bounds: dict[str, tuple[int, Any]] = {}
    kept: dict[Guard, Any] = {}
    for guard, site in guards.items():
        names = guard.expr.dims()
        if not names:
            continue
        if guard.op == ">=" and len(names) == 1 and guard.expr.monotone():
            (name,) = names
            low, high = 1, dims.get(name, 1)
            while low < high:
                middle = (low + high) // 2
                if guard.holds({name: middle}):
                    high = middle
                else:
                    low = middle + 1
            if low > bounds.get(name, (1, None))[0]:
                bounds[name] = (low, site)
            continue
        kept.setdefault(guard, site)
    lower = {Guard(Poly.dim(name) - Poly.const(least), ">="): site for name, (least, site) in bounds.items()}
    return {**lower, **kept}


SPATIAL_NAMES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


def _auto_names(patterns: list[Pattern], named: dict[str, Pattern], pinned: dict[str, int]) -> dict[str, str]:
    """Readable names for `--symbolic` alone: B for the batch, then L / H, W / D, H, W for the sizes of the
    first input the model leaves free, S1, S2, ... for any other."""
    names: dict[str, str] = {} if "_0_0" in pinned else {"_0_0": "B"}
    first = patterns[0] if patterns else next(iter(named.values()), ())
    free = [size for size in first[1:] if isinstance(size, str) and size not in pinned]
    spatial = SPATIAL_NAMES.get(len(free), tuple(f"S{i + 1}" for i in range(len(free))))
    names.update(zip(free, spatial, strict=True))
    count = len(spatial)
    for pattern in [*patterns, *named.values()]:
        for size in pattern:
            if isinstance(size, str) and size not in names and size not in pinned:
                count += 1
                names[size] = f"S{count}"
    return names


def _pattern_text(pattern: Pattern, renames: dict[str, str], pinned: dict[str, int]) -> str:
    return ",".join(str(pinned.get(s, renames.get(s, s))) if isinstance(s, str) else str(s) for s in pattern)


def _totals(result: ModelResult) -> dict[str, Any]:
    """The totals; activations are the elements of every call's output."""
    activations = activation_elements(layer.output for layer in result.layers)
    return {"params": result.params, "flops": result.flops, "macs": result.macs, "activations": activations}


def _orders(expr: Poly) -> dict[str, int]:
    """The highest power of each dimension outside floor divisions: `L ** 2` → {"L": 2}."""
    return {name: expr.degree(name) for name in sorted(expr.dims())}


def _sizes(dims: dict[str, int], conditions: list[Guard], count: int, seed: str) -> list[dict[str, int]]:
    """Up to `count` assignments of the dimensions, other than the traced one, meeting every condition:
    each size drawn between 1 and twice its traced value or 16 (or `count` + 2, so that a model free in its
    batch alone has `count` of them), or kept at it, with a seed fixed by the model. Where few of those
    meet the conditions (a grid the model fixes: 221 <= H <= 224), sizes near the traced ones are drawn."""
    if not dims or count <= 0:
        return []
    rng = random.Random(zlib.crc32(seed.encode()))
    found: list[dict[str, int]] = []

    def wide(value: int) -> int:
        return value if rng.random() < 0.25 else rng.randint(1, max(2 * value, 16, count + 2))

    def near(value: int) -> int:
        return value if rng.random() < 0.25 else rng.randint(max(1, value - 16), value + max(16, count + 2))

    for draw in (wide, near):
        for _ in range(TRIES * max(1, count // 2)):
            env = {name: draw(value) for name, value in dims.items()}
            if env == dims or env in found:
                continue
            try:
                if all(guard.holds(env) for guard in conditions):
                    found.append(env)
            except ZeroDivisionError:
                continue
            if len(found) == count:
                return found
    return found


def _site(site: Any) -> str | None:
    try:
        return None if site is None else f"{site.file}:{site.line}"
    except Exception:  # a site whose position cannot be resolved: the condition is shown without it
        return None


def _diagnostic(result: ModelResult, message: str) -> Diagnostic:
    return Diagnostic(SF308, f"symbolic '{result.name}': {message}", result.file, result.line)
