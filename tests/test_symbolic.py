"""Cost as a formula (issue #18): a trace with named sizes gives params, FLOPs, MACs and activations as exact
expressions in them, written as Python, with the conditions on the sizes the trace relied on; a formula that
disagrees with a concrete trace is never shown.

The check every model test makes is the issue's own: the printed expression, evaluated by Python at random
sizes that meet the printed conditions, equals the concrete trace at those sizes, exactly."""

from __future__ import annotations

import itertools
import json
import math
import random
import textwrap
from pathlib import Path

import jsonschema
import pytest

from staticflops import analyze
from staticflops.conventions import Convention
from staticflops.report.json import to_json
from staticflops.report.units import human
from staticflops.results import ModelResult
from staticflops.symbolic import Ledger, Poly, SymInt
from staticflops.symbolic.options import SymbolicOptions
from staticflops.symbolic.slices import slice_length
from tests.conftest import FIXTURES, ROOT


def sizes(ledger: Ledger, **values: int) -> list[SymInt]:
    return [SymInt(value, Poly.dim(name), ledger) for name, value in values.items()]


# ----------------------------------------------------------------- expressions


def test_a_strided_convolution_size_is_an_exact_floor() -> None:
    (h,) = sizes(Ledger(), H=224)
    out = (h + 2 * 1 - 1 * (3 - 1) - 1) // 2 + 1  # torch's formula, kernel 3, stride 2, padding 1
    assert str(out.expr) == "(H + 1) // 2"  # ⌊(H − 1)/2⌋ + 1, the same integer for every H
    assert all(eval(str(out.expr), {"H": n}) == (n + 2 - 2 - 1) // 2 + 1 for n in range(1, 500))


def test_a_floor_of_a_floor_is_one_floor() -> None:
    (h,) = sizes(Ledger(), H=224)
    stem = (h + 6 - 6 - 1) // 2 + 1  # 7×7 stride 2 padding 3
    pooled = (stem + 2 - 2 - 1) // 2 + 1  # 3×3 max pool, stride 2, padding 1
    assert str(pooled.expr) == "(H + 3) // 4"
    assert int(pooled) == 56


def test_equal_sizes_built_along_different_paths_need_no_condition() -> None:
    ledger = Ledger()
    h, w = sizes(ledger, H=224, W=224)
    assert (h - 1) // 2 + 1 == (h + 1) // 2
    assert h * w // w == h
    assert not ledger.guards


def test_a_comparison_answers_concretely_and_records_its_condition() -> None:
    ledger = Ledger()
    (h,) = sizes(ledger, H=224)
    assert not h > 256
    assert [str(g) for g in ledger.guards] == ["H <= 256"]
    assert h >= 1 and h != 0  # true of every size: no condition
    assert [str(g) for g in ledger.guards] == ["H <= 256"]


def test_a_condition_whose_common_size_leaves_a_constant_keeps_it() -> None:
    ledger = Ledger()
    b, x = sizes(ledger, B=1, X=64)
    assert 3136 * b * x == 200704 * b  # B · (3136·X − 200704) == 0: X == 64, not X == 0
    assert [str(g) for g in ledger.guards] == ["X == 64"]


def test_the_printed_grammar_is_python_that_evaluates_to_the_expression() -> None:
    rng = random.Random(18)
    ledger = Ledger()
    b, h, w = sizes(ledger, B=3, H=37, W=11)
    atoms = [b, h, w, h // 2, (w + 3) // 4, -(h // 3), h % 5]
    for _ in range(200):
        value = rng.randint(-5, 5)
        for _ in range(rng.randint(1, 4)):
            term = rng.randint(-9, 9)
            for _ in range(rng.randint(1, 3)):
                term = term * rng.choice(atoms)
            value = value + term
        if isinstance(value, SymInt):
            for env in ({"B": 3, "H": 37, "W": 11}, {"B": 1, "H": 5, "W": 200}):
                assert eval(str(value.expr), dict(env)) == value.expr.evaluate(env)
            assert value.expr.evaluate({"B": 3, "H": 37, "W": 11}) == int(value)


def test_slices_keep_a_symbolic_length_and_match_python_on_plain_sizes() -> None:
    values = [None, -7, -3, -1, 0, 1, 2, 3, 5, 9]
    for size, start, stop, step in itertools.product(range(8), values, values, [None, 1, 2, 3, -1, -2]):
        item = slice(start, stop, step)
        assert slice_length(item, size) == len(range(*item.indices(size)))
    ledger = Ledger()
    t, block = sizes(ledger, T=64, N=1024)
    assert str(slice_length(slice(None, t), block).expr) == "T"  # a causal mask cut to the sequence: bias[:T]
    assert [str(g) for g in ledger.guards] == ["N - T > -1"]


# ----------------------------------------------------------------- models


def symbolic_model(
    path: Path, inputs: list[tuple[int | str, ...]] | None = None, model: str | None = None, **dims: int
) -> ModelResult:
    options = SymbolicOptions(inputs=tuple(inputs or ()), dims=tuple(dims.items()))
    concrete = None
    if inputs and all(isinstance(s, int) or s in dims for p in inputs for s in p):
        concrete = [tuple(dims[s] if isinstance(s, str) else s for s in p) for p in inputs]
    (result,) = analyze([path], model=model, inputs=concrete, symbolic=options).models
    assert result.symbolic is not None
    return result


def valid_sizes(model: ModelResult, count: int, seed: int = 0) -> list[dict[str, int]]:
    """Random sizes (1 to twice the traced one, or 64) that meet every printed condition, evaluated by Python."""
    assert model.symbolic is not None
    dims = model.symbolic.dims
    rng = random.Random(seed)
    found: list[dict[str, int]] = []
    for _ in range(20_000):
        env = {name: rng.choice([value, rng.randint(1, max(2 * value, 64))]) for name, value in dims.items()}
        if env not in found and all(eval(text, dict(env)) for text, _ in model.symbolic.conditions):
            found.append(env)
            if len(found) == count:
                break
    return found


def concrete_at(path: Path, model: ModelResult, env: dict[str, int]) -> ModelResult:
    """The same model, traced at plain sizes."""
    assert model.symbolic is not None
    shapes = []
    for text in model.symbolic.inputs:
        shapes.append(tuple(int(eval(size, dict(env))) for size in text.split(",")))
    (result,) = analyze([path], model=model.name, inputs=shapes).models
    return result


def assert_formulas_hold(path: Path, model: ModelResult, count: int) -> None:
    """The issue's check: each formula, evaluated at `count` random valid sizes, equals the concrete trace."""
    assert model.symbolic is not None and model.symbolic.exact
    quantities = model.symbolic.quantities
    envs = valid_sizes(model, count)
    assert len(envs) == count
    for env in envs:
        concrete = concrete_at(path, model, env)
        assert concrete.flops_complete
        assert eval(quantities["flops"].expr, dict(env)) == concrete.flops, env
        assert eval(quantities["macs"].expr, dict(env)) == concrete.macs, env
        assert eval(quantities["params"].expr, dict(env)) == concrete.params, env


def test_an_mlp_costs_a_constant_times_the_batch() -> None:
    model = symbolic_model(FIXTURES / "mlp.py", [("B", 784)], B=1)
    flops = model.symbolic.quantities["flops"]
    assert flops.expr == f"{model.flops} * B"
    assert model.symbolic.quantities["params"].expr == str(model.params)
    assert_formulas_hold(FIXTURES / "mlp.py", model, 3)


def test_a_gpt_has_its_attention_term_in_l_squared_and_its_projections_in_l() -> None:
    model = symbolic_model(FIXTURES / "gpt.py", [("B", "L")], B=1, L=64)
    flops = model.symbolic.quantities["flops"]
    assert flops.orders == {"B": 1, "L": 2}
    quadratic, linear = flops.expr.split(" + ")
    assert quadratic.endswith(" * B * L ** 2") and linear.endswith(" * B * L")
    assert flops.value == model.flops
    assert_formulas_hold(FIXTURES / "gpt.py", model, 3)


def test_a_resnet_is_exact_in_floors_of_its_strides() -> None:
    model = symbolic_model(FIXTURES / "resnet50.py", [("B", 3, "H", "W")], B=1, H=224, W=224)
    layers = dict((path, expr) for path, expr, _ in model.symbolic.layers)
    assert layers["conv1"] == "18752 * B * ((H + 1) // 2) * ((W + 1) // 2)"  # 7×7/2: 64·3·49·2 FLOPs a pixel
    assert "((H + 31) // 32) * ((W + 31) // 32)" in model.symbolic.quantities["flops"].expr
    assert model.symbolic.quantities["flops"].orders == {"B": 1, "H": 1, "W": 1}


def test_a_vit_depends_on_its_patch_grid() -> None:
    model = symbolic_model(FIXTURES / "vit.py", [("B", 3, "H", "W")], B=1, H=224, W=224)
    assert "(H // 16) * (W // 16)" in model.symbolic.quantities["flops"].expr
    # the fixed position table decides which image sizes the model takes
    assert ("(H // 16) * (W // 16) == 196", f"{FIXTURES / 'vit.py'}:54") in model.symbolic.conditions


BRANCHING = """
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
            self.pool = nn.AvgPool2d(2)

        def forward(self, x):
            if x.shape[-1] > 256:
                x = self.pool(x)
            return self.conv(x)
"""


def write(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "model.py"
    path.write_text(textwrap.dedent(source))
    return path


def test_a_branch_on_a_size_is_a_condition_of_the_formula(tmp_path: Path) -> None:
    path = write(tmp_path, BRANCHING)
    model = symbolic_model(path, [("B", 3, "H", "W")], B=1, H=224, W=224)
    assert model.symbolic.conditions == [("W <= 256", f"{path}:11")]
    # 2 FLOPs per multiply-accumulate, 8 · 3 · 3 · 3 of them per output pixel of the stride-2 convolution
    assert model.symbolic.quantities["flops"].expr == "432 * B * ((H + 1) // 2) * ((W + 1) // 2)"
    assert_formulas_hold(path, model, 3)
    wide = symbolic_model(path, [("B", 3, "H", "W")], B=1, H=300, W=300)
    assert wide.symbolic.conditions == [("W > 256", f"{path}:11"), ("H > 1", f"{path}:12")]  # the other piece
    assert wide.symbolic.quantities["flops"].expr.startswith("432 * B * ((H + 2) // 4) * ((W + 2) // 4) + ")


def test_a_grid_fixed_at_construction_is_a_condition_the_traced_sizes_meet(tmp_path: Path) -> None:
    # windows departitioned into a grid the constructor computed (torchvision's MaxViT does this): the
    # reshape holds only where the patch grid has grid² cells
    path = write(
        tmp_path,
        """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self, grid=8):
                super().__init__()
                self.grid = grid
                self.proj = nn.Conv2d(3, 16, 4, stride=4)
                self.fc = nn.Linear(16, 16)

            def forward(self, x):
                x = self.proj(x)
                B, C, H, W = x.shape
                x = self.fc(x.reshape(B, C, H * W).transpose(1, 2))
                return x.reshape(B, self.grid, self.grid, C)
        """,
    )
    model = symbolic_model(path, [("B", 3, "H", "W")], B=1, H=32, W=32)
    assert ("(H // 4) * (W // 4) == 64", f"{path}:15") in model.symbolic.conditions  # not `== 0`
    # near the traced size: 32 <= H, W <= 35 with H // 4 == W // 4 == 8 (or a 4 × 16, 2 × 32 ... grid)
    assert model.symbolic.exact and len(model.symbolic.checked) == 2
    assert_formulas_hold(path, model, 3)


def test_a_size_the_formula_lost_is_flagged_never_printed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 4)

            def forward(self, x):
                y = self.fc(x)
                for _ in range(x.shape[0]):  # range() takes the plain number: the count has no expression
                    y = y + 1
                return y
        """,
    )
    model = symbolic_model(path, [("B", 4)], B=8)
    assert not model.symbolic.exact
    assert model.symbolic.quantities["flops"].expr is None
    assert model.symbolic.quantities["params"].expr == "20"
    assert any(d.code.code == "SF308" and "flops" in d.message for d in model.diagnostics)
    assert model.flops == 8 * 4 * 4 * 2 + 8 * (8 * 4)  # the numbers at the traced size stay exact


def test_symbolic_alone_names_the_sizes_the_model_leaves_free() -> None:
    (model,) = analyze([FIXTURES / "lenet5.py"], symbolic=SymbolicOptions()).models
    assert model.symbolic.inputs == ["B,1,H,W"]  # the channel count is pinned by conv1: a number
    assert model.symbolic.dims == {"B": 1, "H": 32, "W": 32}
    assert model.symbolic.exact and len(model.symbolic.checked) == 2


def test_the_json_symbolic_object_follows_the_schema() -> None:
    schema = json.loads((ROOT / "docs" / "schema.json").read_text())
    analysis = analyze([FIXTURES / "gpt.py"], inputs=[(2, 32)], symbolic=SymbolicOptions(inputs=(("B", "L"),)))
    document = to_json(analysis)
    jsonschema.validate(document, schema)
    symbolic = document["models"][0]["symbolic"]
    assert symbolic["dims"] == {"B": 2, "L": 32}
    assert symbolic["flops"]["value"] == document["models"][0]["flops"]
    assert eval(symbolic["flops"]["expr"], {"B": 2, "L": 32}) == document["models"][0]["flops"]


def test_the_cli_reads_named_sizes_and_shows_the_formulas(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from staticflops.cli import app

    result = CliRunner().invoke(app, ["analyze", str(FIXTURES / "mlp.py"), "-i", "B,784", "--dim", "B=4"])
    assert result.exit_code == 0, result.output
    assert "formulas in B,784 (traced at B=4)" in result.output
    # the MLP's FLOPs at batch 1, as torch measured them (fixtures/expected/mlp.json), times the batch
    batch_one = json.loads((FIXTURES / "expected" / "mlp.json").read_text())["models"][0]["flops"]
    assert f"{batch_one} * B" in result.output
    missing = CliRunner().invoke(app, ["analyze", str(FIXTURES / "mlp.py"), "-i", "x=B,784"])
    assert missing.exit_code == 2 and "--dim B=" in missing.output
    rank = CliRunner().invoke(app, ["analyze", str(FIXTURES / "lenet5.py"), "-i", "B,L"])
    assert rank.exit_code == 2 and "has not the rank of the model's input [1, 1, 32, 32]" in rank.output


# ----------------------------------------------------------------- the check, 20 sizes (slow)
#
# One symbolic run per model, whose `checks` trace the built model concretely at random sizes meeting every
# condition (`Symbolic.checked`, what they gave in `Symbolic.measured`); the printed formulas are evaluated
# by Python at each of them. That the checks' totals are those of a full `analyze()` is tested below, under
# every convention, and for every library model at one of its sizes.

CHECKS = 20


def benchmarks_module(name: str):
    import importlib
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.pop(0)


def assert_checked(model: ModelResult, count: int = CHECKS) -> None:
    """Exact, checked at `count` sizes, and each printed formula equal to the concrete trace at each."""
    assert model.symbolic is not None and model.symbolic.exact, [d.message for d in model.diagnostics]
    assert len(model.symbolic.checked) == count, model.symbolic.conditions
    for env, measured in zip(model.symbolic.checked, model.symbolic.measured, strict=True):
        for quantity, value in measured.items():
            assert eval(model.symbolic.quantities[quantity].expr, dict(env)) == value, (quantity, env)


def assert_measured_as_analyze(path: Path, model: ModelResult, at: int = 0, **options) -> None:
    """The totals a check measured at its size are those of a full `analyze()` there."""
    env, measured = model.symbolic.checked[at], model.symbolic.measured[at]
    shapes = [tuple(int(eval(size, dict(env))) for size in text.split(",")) for text in model.symbolic.inputs]
    call = options.pop("call", None)
    found = analyze([path], model=call, inputs=shapes, all_models=call is None, **options).models
    (concrete,) = [m for m in found if call is not None or m.name == model.name]
    assert concrete.flops_complete
    activations = sum(math.prod(layer.output) for layer in concrete.layers if layer.output is not None)
    totals = {"params": concrete.params, "flops": concrete.flops, "macs": concrete.macs, "activations": activations}
    assert measured == totals, env


@pytest.mark.parametrize("convention", list(Convention))
def test_a_checks_totals_are_a_full_analysis_under_every_convention(convention: Convention) -> None:
    # a BatchNorm's affine flag (ptflops), an attention's need_weights (fvcore), per-sample work (ptflops)
    for fixture, name in (("mobilenet_v2.py", "MobileNetV2"), ("vit.py", None), ("gpt.py", "GPT")):
        path = FIXTURES / fixture
        (model,) = analyze([path], model=name, convention=convention, symbolic=SymbolicOptions()).models
        assert len(model.symbolic.checked) == 2
        for at in (0, 1):
            assert_measured_as_analyze(path, model, at, convention=convention)


FIXTURE_FILES = sorted(p.name for p in FIXTURES.glob("*.py") if p.name != "hostile_helpers.py")


@pytest.mark.slow
@pytest.mark.parametrize("fixture", FIXTURE_FILES)
def test_every_fixture_model_is_exact_at_twenty_random_sizes(fixture: str) -> None:
    """Every model of every fixture: exact at 20 sizes, or its concrete trace is incomplete too (then SF308
    says so and no formula is shown)."""
    path = FIXTURES / fixture
    models = analyze([path], all_models=True, symbolic=SymbolicOptions(checks=CHECKS)).models
    concrete = {m.name: m for m in analyze([path], all_models=True).models}
    assert models and set(concrete) == {m.name for m in models}
    for model in models:
        if concrete[model.name].flops_complete:
            assert_checked(model)
            assert_measured_as_analyze(path, model)
        else:
            assert model.symbolic.quantities["flops"].expr is None
            assert any(d.code.code == "SF308" for d in model.diagnostics)


def _torchvision_names() -> list[str]:
    import csv

    table = ROOT / "benchmarks" / "torchvision_reference.tsv"
    return [row["name"] for row in csv.DictReader(table.open(), delimiter="\t")]


@pytest.mark.slow
@pytest.mark.parametrize("name", _torchvision_names())
def test_torchvision_formulas_equal_concrete_traces_at_twenty_random_sizes(name: str) -> None:
    """The classification zoo (benchmarks/torchvision_reference.tsv), at the reference's input, `--symbolic`."""
    suite = benchmarks_module("symbolic_suite")
    (case,) = [c for c in suite.torchvision_cases() if c.name == name]
    _, model = suite.run(case, CHECKS)
    assert model is not None
    assert_checked(model)
    assert_measured_as_analyze(case.file, model, call=case.call, search_paths=[case.root])


@pytest.mark.slow
@pytest.mark.parametrize("name", benchmarks_module("symbolic_suite").TIMM_SAMPLE)
def test_timm_formulas_equal_concrete_traces_at_twenty_random_sizes(name: str) -> None:
    """A sample over timm's families (benchmarks/symbolic_suite.py), at the reference's input."""
    suite = benchmarks_module("symbolic_suite")
    (case,) = suite.timm_cases([name])
    _, model = suite.run(case, CHECKS)
    assert model is not None
    assert_checked(model)
    assert_measured_as_analyze(case.file, model, call=case.call, search_paths=[case.root], site_packages=False)


# ----------------------------------------------------------------- staticflops scale


def test_scale_sweeps_a_gpt_over_its_context_length(tmp_path: Path) -> None:
    from xml.etree import ElementTree

    from typer.testing import CliRunner

    from staticflops.cli import app

    plot = tmp_path / "gpt.svg"
    command = ["scale", str(FIXTURES / "gpt.py"), "--dim", "L=16..1024", "--points", "3", "--plot", str(plot)]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    assert "order of growth in L: params ~ constant, flops ~ L^2, activations ~ L" in result.output
    assert "dominating at L=1024 (largest): transformer.h.0.attn.scaled_dot_product_attention" in result.output
    for size in (16, 128, 1024):  # 16·(1024/16)^(i/2): each point is the formula, as a concrete trace gives it
        (concrete,) = analyze([FIXTURES / "gpt.py"], inputs=[(1, size)]).models
        assert f"{size:>8}  {human(concrete.params):>10}  {human(concrete.flops):>10}" in result.output
    assert ElementTree.parse(plot).getroot().tag == "{http://www.w3.org/2000/svg}svg"


def test_scale_traces_the_sizes_outside_the_formulas_conditions(tmp_path: Path) -> None:
    from staticflops.symbolic import scale

    path = write(tmp_path, BRANCHING)
    model = symbolic_model(path, [("B", 3, "H", "W")], B=1, H=224, W=224)

    def trace_at(env: dict[str, int]) -> ModelResult:
        (result,) = analyze([path], inputs=[(env["B"], 3, env["H"], env["W"])]).models
        return result

    swept = scale.sweep(model, "W", [128, 256, 257, 512], trace_at)
    assert [p.source for p in swept.points] == ["formula", "formula", "traced", "traced"]
    for point in swept.points:
        assert point.flops == trace_at({"B": 1, "H": 224, "W": point.size}).flops


def test_a_symbolic_size_is_an_int_to_the_analyzed_code(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 4)

            def forward(self, x):
                assert type(x.shape[0]) is int and isinstance(x.shape[0], int)
                return self.fc(x)
        """,
    )
    model = symbolic_model(path, [("B", 4)], B=3)
    assert model.symbolic.quantities["flops"].expr == "32 * B"


# ----------------------------------------------------------------- against PyTorch (torch-marked)

FLOP_COUNTER_CASES = [
    # fixture, class, the shape with names, the swept dimension, three sizes, token ids?
    ("gpt.py", "GPT", ("B", "L"), "L", [8, 24, 64], True),
    ("gpt_fused_qkv.py", "GPT", ("B", "L"), "L", [5, 16, 48], True),
    ("llama_reference.py", "Transformer", ("B", "L"), "L", [7, 32, 128], True),  # on the CPU: see below
    ("resnet50.py", "ResNet50", ("B", 3, "H", "W"), "H", [33, 96, 224], False),
    ("mobilenet_v2.py", "MobileNetV2", ("B", 3, "H", "W"), "W", [40, 150, 224], False),
    ("cifar_resnet.py", "resnet20", ("B", 3, "H", "W"), "H", [9, 32, 63], False),
]


@pytest.mark.torch
@pytest.mark.parametrize(("fixture", "name", "pattern", "dim", "sizes", "ids"), FLOP_COUNTER_CASES,
                         ids=[c[0] for c in FLOP_COUNTER_CASES])  # fmt: skip
def test_scale_equals_flop_counter_mode_at_three_sizes(fixture, name, pattern, dim, sizes, ids) -> None:
    import importlib.util

    torch = pytest.importorskip("torch")
    from torch.utils.flop_counter import FlopCounterMode

    from staticflops.symbolic import scale

    path = FIXTURES / fixture
    spec = importlib.util.spec_from_file_location(f"fixture_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the fixture, run by torch: the truth, never by staticflops
    # the meta device, as docs/conventions.md measures (the CPU's attention kernel has no formula); the llama
    # keeps its rotary table as a plain attribute, which .to() does not move: it runs on the CPU (plain matmuls)
    device = "cpu" if fixture == "llama_reference.py" else "meta"
    network = getattr(module, name)().eval().to(device)
    (model,) = analyze([path], model=name, convention="torch", symbolic=SymbolicOptions(inputs=(pattern,))).models

    def trace_at(env: dict[str, int]) -> ModelResult:
        shape = tuple(env[s] if isinstance(s, str) else s for s in pattern)
        (result,) = analyze([path], model=name, inputs=[shape], convention="torch").models
        return result

    swept = scale.sweep(model, dim, sizes, trace_at)
    assert [p.size for p in swept.points] == sizes
    for point in swept.points:
        env = {**model.symbolic.dims, dim: point.size}
        shape = tuple(env[s] if isinstance(s, str) else s for s in pattern)
        x = torch.randint(0, 100, shape, device=device) if ids else torch.randn(shape, device=device)
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            network(x)
        assert point.flops == counter.get_total_flops(), (point.size, point.source)
