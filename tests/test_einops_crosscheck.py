"""The einops model against einops and torch themselves, where both are installed (CI installs them).

For written and generated patterns and shapes, the analyzer's output shape is the one einops computes,
and a call einops rejects is an error in the analysis too (a shape error where einops' is about the
shape). FLOPs: the `torch` convention is what `FlopCounterMode` counts, `fvcore` what fvcore counts
(where installed), and the default convention follows the catalog's rules on the shapes torch reports
(a reduction's n − 1 operations per output, a mean's n; an einsum's products); EinMix's parameters are
torch's.
"""

from __future__ import annotations

import math
import random
import re
import textwrap

import pytest

from staticflops.results import ModelResult

torch = pytest.importorskip("torch")
einops = pytest.importorskip("einops")
pytest.importorskip("einops.layers.torch")
pytestmark = pytest.mark.torch

HEADER = """
import torch
import torch.nn as nn
import einops
from einops.layers.torch import EinMix, Rearrange, Reduce
"""


def source_of(expression: str, layer: str = "nn.Identity()") -> str:
    return HEADER + textwrap.dedent(
        f"""
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.layer = {layer}

            def forward(self, *inputs):
                x = inputs[0]
                y = inputs[-1]
                return {expression}
        """
    )


def run_torch(source: str, shapes: list[tuple[int, ...]]):
    """The model of `source` run by torch and einops: (output, parameters, FlopCounterMode's total) or the error."""
    from torch.utils.flop_counter import FlopCounterMode

    namespace: dict[str, object] = {}
    exec(source, namespace)  # our own test text, not analyzed code
    model = namespace["M"]().eval()  # type: ignore[operator]
    counter = FlopCounterMode(display=False)
    with counter:  # grad enabled: FlopCounterMode's module tracker needs it with expanded parameters
        output = model(*(torch.zeros(shape) for shape in shapes))
    if isinstance(output, (tuple, list)):
        output = output[0]
    return output, sum(p.numel() for p in model.parameters()), counter.get_total_flops(), model


def fvcore_flops(model, shapes: list[tuple[int, ...]]) -> int | None:
    try:
        from fvcore.nn import FlopCountAnalysis
    except ImportError:
        return None
    try:
        analysis = FlopCountAnalysis(model, tuple(torch.zeros(shape) for shape in shapes))
        analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
        return int(analysis.total())
    except Exception:  # fvcore cannot trace this call at all: nothing to compare with
        return None


def einops_row(model: ModelResult):
    (row,) = [
        layer
        for layer in model.layers
        if layer.type.startswith("einops.") or layer.type in ("Rearrange", "Reduce", "EinMix")
    ]
    return row


def tokens(side: str) -> list[str]:
    return [t for t in re.findall(r"\.\.\.|\w+", side) if t != "1"]


def reduces(pattern: str, rank: int) -> bool:
    """Whether einops reduces any axis: one on the left that the right lacks (a numbered one always is)."""
    left, right = (tokens(side) for side in pattern.split("->"))
    named = [t for t in left if t != "..."]
    for token in left:
        if token == "...":
            if "..." not in right and rank > len(named):
                return True
        elif token.isdigit() or token not in right:
            return True
    return False


def seed_of_reduction(pattern: str, reduction: str, input_shape: tuple[int, ...], output) -> int:
    if not reduces(pattern, len(input_shape)):
        return 0
    elements, outputs = math.prod(input_shape), output.numel()
    return elements if reduction == "mean" else elements - outputs


# ---------------------------------------------------------------- rearrange, repeat, reduce: written and generated
WRITTEN = [
    ("rearrange", "b c h w -> b h w c", {}, (2, 3, 4, 5)),
    ("rearrange", "b c (h p1) (w p2) -> b (h w) (p1 p2 c)", {"p1": 2, "p2": 2}, (1, 3, 4, 6)),
    ("rearrange", "b (h w) c -> b c h w", {"h": 2}, (2, 6, 3)),
    ("rearrange", "(b1 b2) h w c -> (b1 h) (b2 w) c", {"b1": 2}, (4, 2, 3, 1)),
    ("rearrange", "... h w -> ... (h w)", {}, (2, 3, 4, 5)),
    ("rearrange", "... -> ...", {}, ()),
    ("rearrange", "b ... c -> b c ...", {}, (2, 3, 4, 5)),
    ("rearrange", "b c -> b c () 1", {}, (2, 3)),
    ("rearrange", "b () c 1 -> (b c)", {}, (2, 1, 3, 1)),
    ("rearrange", "h (w w2) -> (h w2) w", {"w2": 3}, (2, 7)),  # 7 does not divide by 3
    ("rearrange", "b c -> b c", {"c": 4}, (2, 3)),  # a length that disagrees
    ("rearrange", "b c h w -> b c", {}, (2, 3, 4, 5)),  # axes on one side only
    ("repeat", "h w -> h w c", {"c": 3}, (2, 3)),
    ("repeat", "h w -> (h h2) (w w2)", {"h2": 2, "w2": 3}, (2, 3)),
    ("repeat", "b 1 d -> b n d", {"n": 4}, (2, 1, 5)),
    ("repeat", "... -> ... 3 k", {"k": 2}, (2, 3)),
    ("repeat", "h w -> h w c", {}, (2, 3)),  # the new axis' length missing
    ("reduce:max", "b c (h h2) (w w2) -> b c h w", {"h2": 2, "w2": 2}, (1, 2, 4, 6)),
    ("reduce:mean", "b c h w -> b c", {}, (2, 3, 4, 5)),
    ("reduce:sum", "b c h w -> b c 1 1", {}, (2, 3, 4, 5)),
    ("reduce:min", "t b c -> b c", {}, (4, 2, 3)),
    ("reduce:prod", "b (c 2) -> b c", {}, (2, 6)),
    ("reduce:mean", "b c -> c b", {}, (4, 3)),  # nothing reduced
    ("reduce:sum", "... c -> ...", {}, (2, 3, 4)),
    ("reduce:mean", "b 1 c -> b c", {}, (2, 1, 3)),
    ("reduce:max", "b c (h 2) -> b c h", {}, (2, 3, 6)),
    ("reduce:any", "b c -> b", {}, (2, 3)),
]

NAMES = ("a", "b", "c", "d", "h", "w", "t", "x1", "batch", "head")


def _groups(rng: random.Random, names: list[str]) -> list[list[str]]:
    groups: list[list[str]] = []
    for name in names:
        if groups and rng.random() < 0.35:
            groups[-1].append(name)
        else:
            groups.append([name])
    return groups


def _spell(groups: list[list[str]]) -> str:
    return " ".join(g[0] if len(g) == 1 else f"({' '.join(g)})" for g in groups)


def generated(count: int, seed: int = 15) -> list[tuple[str, str, dict[str, int], tuple[int, ...]]]:
    """Random patterns over 1–4 named axes of 1–4 elements: regrouped, permuted, with `...`, `1`, `()`,
    new axes for repeat and dropped ones for reduce; now and then a length that disagrees."""
    rng = random.Random(seed)
    cases = []
    while len(cases) < count:
        operation = rng.choice(["rearrange", "repeat", "reduce"])
        names = rng.sample(NAMES, rng.randint(1, 4))
        sizes = {name: rng.randint(1, 4) for name in names}
        left = _groups(rng, names)
        lengths: dict[str, int] = {}
        for group in left:
            if len(group) > 1:
                for name in rng.sample(group, len(group) - 1):
                    lengths[name] = sizes[name]
            elif rng.random() < 0.15:
                lengths[group[0]] = sizes[group[0]]
        shape = [math.prod(sizes[name] for name in group) for group in left]
        kept = rng.sample(names, len(names))
        if operation == "reduce":
            kept = [name for name in kept if rng.random() < 0.6]
        if operation == "repeat":
            for new in rng.sample(["k", "r", "3", "2"], rng.randint(1, 2)):
                kept.insert(rng.randint(0, len(kept)), new)
                if not new.isdigit():
                    lengths[new] = rng.randint(1, 3)
        right = _groups(rng, kept)
        if rng.random() < 0.2:
            right.insert(rng.randint(0, len(right)), [rng.choice(["()", "1"])])
        if rng.random() < 0.25:
            extra = [rng.randint(1, 3) for _ in range(rng.randint(0, 2))]
            at = rng.choice([0, len(left)])
            left.insert(at, ["..."])
            shape[at:at] = extra
            if operation != "reduce" or rng.random() < 0.5:
                right.insert(rng.randint(0, len(right)), ["..."])
        if lengths and rng.random() < 0.1:
            name = rng.choice(sorted(lengths))
            lengths[name] += 1  # einops must reject it, and so must the analysis
        spelled_right = _spell(right)
        reduction = rng.choice(["sum", "mean", "max", "min", "prod"])
        label = f"reduce:{reduction}" if operation == "reduce" else operation
        cases.append((label, f"{_spell(left)} -> {spelled_right}", lengths, tuple(shape)))
    return cases


TRANSFORMS = WRITTEN + generated(160)


def _transform_call(label: str, pattern: str, lengths: dict[str, int], as_layer: bool) -> tuple[str, str]:
    operation, _, reduction = label.partition(":")
    keywords = "".join(f", {name}={size}" for name, size in lengths.items())
    if as_layer:
        layer = (
            f"Rearrange({pattern!r}{keywords})"
            if operation == "rearrange"
            else f"Reduce({pattern!r}, {reduction!r}{keywords})"
        )
        return "self.layer(x)", layer
    if operation == "reduce":
        return f"einops.reduce(x, {pattern!r}, {reduction!r}{keywords})", "nn.Identity()"
    return f"einops.{operation}(x, {pattern!r}{keywords})", "nn.Identity()"


@pytest.mark.parametrize(
    ("label", "pattern", "lengths", "shape", "as_layer"),
    [
        pytest.param(*case, as_layer, id=f"{case[0]}-{case[1]}-{case[3]}{'-layer' if as_layer else ''}")
        for index, case in enumerate(TRANSFORMS)
        for as_layer in (
            (False, True) if index % 3 == 0 and not case[0].startswith(("repeat", "reduce:any")) else (False,)
        )
    ],
)
def test_a_transform_has_einops_shape_and_the_catalogs_cost(
    label, pattern, lengths, shape, as_layer, analyze_source
) -> None:
    expression, layer = _transform_call(label, pattern, lengths, as_layer)
    source = source_of(expression, layer)
    try:
        output, _, counted, _ = run_torch(source, [shape])
    except Exception as error:  # einops rejects it: the analysis must too
        analysis = analyze_source(source, all=True, model="M", inputs=[shape])
        found = [d.code.code for d in analysis.diagnostics if d.severity == "error"]
        assert found, (str(error), analysis.diagnostics)
        if re.search(r"Shape mismatch|Wrong shape", str(error)):
            assert any(code.startswith("SF2") for code in found), (str(error), analysis.diagnostics)
        return
    model = analyze_source(source, model="M", inputs=[shape])
    assert model.diagnostics == []
    row = einops_row(model)
    assert row.output == tuple(output.shape)
    reduction = label.partition(":")[2]
    assert row.flops == (seed_of_reduction(pattern, reduction, shape, output) if reduction else 0)
    (as_torch,) = analyze_source(source, all=True, model="M", inputs=[shape], convention="torch").models
    assert as_torch.flops == counted == 0


def test_the_generated_patterns_cover_what_einops_accepts_and_rejects() -> None:
    """The generator must exercise both: most patterns valid, some rejected for their lengths."""
    outcomes = []
    for label, pattern, lengths, shape in TRANSFORMS:
        expression, layer = _transform_call(label, pattern, lengths, False)
        try:
            run_torch(source_of(expression, layer), [shape])
            outcomes.append(True)
        except Exception:
            outcomes.append(False)
    assert sum(outcomes) > len(outcomes) * 0.7
    assert not all(outcomes)


# ---------------------------------------------------------------- einsum
EINSUMS = [
    ("b i j, b j k -> b i k", [(2, 3, 4), (2, 4, 5)]),
    ("batch h w, h w channel -> batch channel", [(4, 2, 3), (2, 3, 5)]),
    ("i j, j k -> i k", [(3, 4), (4, 5)]),
    ("i, j -> i j", [(3,), (4,)]),
    ("i i ->", [(3, 3)]),
    ("b n d -> b d", [(2, 3, 4)]),
    ("out_dim in_dim, ... in_dim -> ... out_dim", [(10, 20), (5, 3, 20)]),
    ("... i j, ... j k -> ... i k", [(2, 3, 4), (4, 5)]),
    ("b h i d, b h j d -> b h i j", [(2, 4, 6, 8), (2, 4, 7, 8)]),
    ("a b c, c b d, a g k -> a b k", [(2, 3, 4), (4, 3, 2), (2, 5, 3)]),
    ("b i, b i -> b", [(3, 7), (3, 7)]),
    ("i j, j k -> i k", [(3, 4), (5, 6)]),  # sizes that disagree
    ("i j, j k -> i m", [(3, 4), (4, 5)]),  # an output axis no operand has
]


@pytest.mark.parametrize(("pattern", "shapes"), EINSUMS, ids=[e[0] for e in EINSUMS])
def test_einsum_has_einops_shape_and_torch_einsums_cost(pattern, shapes, analyze_source) -> None:
    names = ", ".join(f"inputs[{i}]" for i in range(len(shapes)))
    source = source_of(f"einops.einsum({names}, {pattern!r})")
    try:
        output, _, counted, module = run_torch(source, shapes)
    except Exception as error:
        analysis = analyze_source(source, all=True, model="M", inputs=shapes)
        assert [d for d in analysis.diagnostics if d.severity == "error"], str(error)
        return
    model = analyze_source(source, model="M", inputs=shapes)
    assert model.diagnostics == []
    row = einops_row(model)
    assert row.output == tuple(output.shape)
    # every combination of all axes is one product (`...` broadcast), summed into its output
    lefts = [tokens(term) for term in pattern.split("->")[0].split(",")]
    sizes: dict[str, int] = {}
    for term, shape in zip(lefts, shapes, strict=True):
        named = [t for t in term if t != "..."]
        spread = len(shape) - len(named)
        at = term.index("...") if "..." in term else len(term)
        axes = [*named[:at], *(f"…{spread - i}" for i in range(spread, 0, -1)), *named[at:]] if "..." in term else named
        for axis, size in zip(axes, shape, strict=True):
            sizes[axis] = max(sizes.get(axis, 1), size)
    products = math.prod(sizes.values())
    if len(shapes) == 1:
        assert row.flops == products - output.numel()
    else:
        assert row.flops == 2 * products * (len(shapes) - 1) - output.numel()
    (as_torch,) = analyze_source(source, all=True, model="M", inputs=shapes, convention="torch").models
    assert as_torch.flops == counted
    theirs = fvcore_flops(module, shapes)
    if theirs is not None and len(shapes) == 2:
        (as_fvcore,) = analyze_source(source, all=True, model="M", inputs=shapes, convention="fvcore").models
        assert as_fvcore.flops == theirs


# ---------------------------------------------------------------- EinMix
MIXES = [
    ("'b t c -> b t d', weight_shape='c d', bias_shape='d', c=4, d=5", (2, 3, 4)),
    ("'b (h c) -> b (h d)', weight_shape='h c d', h=2, c=3, d=4", (5, 6)),
    ("'... c -> ... d', weight_shape='c d', bias_shape='d', c=4, d=6", (2, 3, 4)),
    ("'b n c -> b m c', weight_shape='n m', bias_shape='m', n=16, m=32", (1, 16, 8)),
    ("'b c -> b c', weight_shape='c', c=7", (3, 7)),
    ("'b c h w -> b (h w) d', weight_shape='c d', bias_shape='d', c=3, d=8", (2, 3, 4, 5)),
    ("'b (h w) c -> b h w d', weight_shape='c d', h=2, c=3, d=4", (2, 6, 3)),
    ("'t b cin -> t b cout', weight_shape='cin cout', bias_shape='cout', cin=10, cout=20", (4, 2, 10)),
    ("'h w c -> hout w c', weight_shape='h hout', bias_shape='hout', h=8, hout=4", (8, 3, 2)),
    ("'b c -> b c k', weight_shape='k', k=3", (2, 5)),  # an outer product: nothing summed
    ("'b t c -> b t d', weight_shape='c d', c=4, d=5", (2, 3, 6)),  # an input of the wrong width
    ("'b t c -> b t e', weight_shape='c d', c=4, d=5", (2, 3, 4)),  # an output axis from nowhere
]


@pytest.mark.parametrize(("arguments", "shape"), MIXES, ids=[m[0] for m in MIXES])
def test_einmix_has_torch_parameters_shape_and_einsum_cost(arguments, shape, analyze_source) -> None:
    source = source_of("self.layer(x)", f"EinMix({arguments})")
    try:
        output, params, counted, module = run_torch(source, [shape])
    except Exception as error:
        analysis = analyze_source(source, all=True, model="M", inputs=[shape])
        assert [d for d in analysis.diagnostics if d.severity == "error"], str(error)
        return
    model = analyze_source(source, model="M", inputs=[shape])
    assert model.diagnostics == []
    row = einops_row(model)
    assert row.output == tuple(output.shape)
    assert model.params == row.params == params
    # the einsum einops runs: its letters' sizes from the tensors it reads
    layer = module.layer
    flat = layer.pre_rearrange(torch.zeros(shape)) if layer.pre_rearrange is not None else torch.zeros(shape)
    left, weight_letters = layer.einsum_pattern.split("->")[0].split(",")
    sizes = dict(zip(weight_letters, layer.weight.shape, strict=True))
    left_letters = left.replace("...", "")
    spread = flat.dim() - len(left_letters)
    at = left.find("...") if "..." in left else len(left)
    named = [*(flat.shape[:at]), *(flat.shape[at + spread :])]
    sizes.update(zip(left_letters, named, strict=True))
    products = math.prod(sizes.values()) * math.prod(flat.shape[at : at + spread])
    outputs = output.numel()
    assert row.flops == 2 * products - outputs + (outputs if layer.bias is not None else 0)
    (as_torch,) = analyze_source(source, all=True, model="M", inputs=[shape], convention="torch").models
    assert as_torch.flops == counted
    theirs = fvcore_flops(module, [shape])
    if theirs is not None:
        (as_fvcore,) = analyze_source(source, all=True, model="M", inputs=[shape], convention="fvcore").models
        assert as_fvcore.flops == theirs


# ---------------------------------------------------------------- pack, unpack, parse_shape
PACKS = [
    ("einops.pack([inputs[0], inputs[1]], 'b * c')[0]", [(2, 3, 4), (2, 5, 6, 4)]),
    ("einops.pack([inputs[0], inputs[1]], 'i j *')[0]", [(2, 3), (2, 3, 4, 5)]),
    ("einops.pack([inputs[0], inputs[1]], '* c')[0]", [(4,), (2, 3, 4)]),
    ("einops.pack([inputs[0], inputs[1]], 'b * c')[0]", [(2, 3, 4), (3, 5, 4)]),  # batches that disagree
    ("einops.unpack(x, [(2,), (3, 4)], 'b * c')[1] * 2", [(2, 14, 5)]),
    ("einops.unpack(x, [(2,), (-1, 3)], 'b * c')[1] * 2", [(2, 14, 5)]),
    ("einops.unpack(x, [(), (2, 3)], '* c')[1] * 2", [(7, 5)]),
    ("einops.unpack(x, [(2,), (3,)], 'b * c')[0]", [(2, 6, 5)]),  # 2 + 3 is not 6
    ("einops.unpack(*einops.pack([inputs[0], inputs[1]], 'b * c'), 'b * c')[1] * 2", [(2, 3, 4), (2, 5, 6, 4)]),
    ("x.reshape(einops.parse_shape(x, 'b _ h w')['b'], -1)", [(2, 3, 4, 5)]),
]


@pytest.mark.parametrize(("expression", "shapes"), PACKS, ids=[p[0] + str(p[1]) for p in PACKS])
def test_pack_and_unpack_have_einops_shapes(expression, shapes, analyze_source) -> None:
    source = source_of(expression)
    try:
        output, _, _, _ = run_torch(source, shapes)
    except Exception as error:
        analysis = analyze_source(source, all=True, model="M", inputs=shapes)
        assert [d for d in analysis.diagnostics if d.severity == "error"], str(error)
        return
    model = analyze_source(source, model="M", inputs=shapes)
    assert model.diagnostics == []
    assert model.layers[-1].output == tuple(output.shape)  # `* 2` shows a piece after the first
    assert all(layer.flops == 0 for layer in model.layers if layer.type.startswith("einops."))


# ---------------------------------------------------------------- the fixture
def test_the_einops_fixture_numbers_are_torchs() -> None:
    """tests/test_einops.py records the fixture's figures; here torch measures them again."""
    import importlib.util

    from staticflops import analyze
    from tests.conftest import FIXTURES
    from tests.test_einops import FIXTURE_MODELS

    spec = importlib.util.spec_from_file_location("einops_models", FIXTURES / "einops_models.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    from torch.utils.flop_counter import FlopCounterMode

    for name, shape, params, _, macs, torch_flops in FIXTURE_MODELS:
        model = eval(name, vars(module)).eval()  # our own fixture, as the test names it
        counter = FlopCounterMode(display=False)
        with counter:
            output = model(torch.zeros(shape))
        assert sum(p.numel() for p in model.parameters()) == params
        assert counter.get_total_flops() == torch_flops == 2 * macs
        (ours,) = analyze([FIXTURES / "einops_models.py"], model=name, inputs=[shape]).models
        assert ours.layers[-1].output == tuple(output.shape)
