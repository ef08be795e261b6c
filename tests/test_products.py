"""Matrix products beyond the catalog's worked examples: vectors on either side, contractions that keep
nothing, chains of several sizes. Seed FLOPs follow docs/conventions.md (`2·MACs − outputs`, a bias
`+ outputs`); the `torch` convention counts what FlopCounterMode counts, 2 per multiply–accumulate of the
`aten.mm`/`bmm`/`addmm`/`baddbmm` the call runs, and with torch installed FlopCounterMode itself agrees."""

from __future__ import annotations

import pytest

from staticflops.catalog.linear import chain_order
from tests.test_spellings import _model, _torch_run

Case = tuple[str, tuple[tuple[int, ...], ...], tuple[int, ...], int, int]

CASES: list[Case] = [
    # source, inputs, output, seed FLOPs, torch FLOPs
    ("torch.matmul(x, y)", ((3, 4), (4,)), (3,), 21, 0),  # aten.mv
    ("torch.matmul(x, y)", ((4,), (4,)), (), 7, 0),  # aten.dot
    ("torch.matmul(x, y)", ((4,), (4, 5)), (5,), 35, 40),  # (1, 4) @ (4, 5) by aten.mm
    ("torch.matmul(x, y)", ((2, 3, 4), (4,)), (2, 3), 42, 0),  # folded into aten.mv
    ("torch.matmul(x, y)", ((4,), (2, 4, 5)), (2, 5), 70, 80),
    ("torch.matmul(x, y)", ((2, 1, 3, 4), (5, 4, 2)), (2, 5, 3, 2), 420, 480),  # batches broadcast
    ("x @ y", ((3, 4), (4,)), (3,), 21, 0),
    ("torch.inner(x, y)", ((4,), (4,)), (), 7, 0),  # aten.dot
    ("torch.inner(x, y)", ((4,), (3, 4)), (3,), 21, 24),  # aten.mm of (1, 4) and (4, 3)
    ("torch.inner(x, y)", ((), (3, 4)), (3, 4), 12, 0),  # a scalar: an elementwise product
    ("torch.tensordot(x, y)", ((3, 4), (3, 4)), (), 23, 0),  # nothing kept: aten.dot
    ("torch.tensordot(x, y, dims=([0], [1]))", ((2, 3), (4, 2)), (3, 4), 36, 48),
    ("torch.tensordot(x, y, dims=0)", ((2, 3), (4,)), (2, 3, 4), 24, 48),  # an outer product by aten.mm
    # each keeps one element: torch multiplies and sums (aten.mul, aten.sum), no aten.mm; 2·4·1 − 1
    ("torch.tensordot(x, y, dims=([0, 1], [2, 0]))", ((2, 2, 1), (2, 1, 2)), (1, 1), 7, 0),
    # a contracted size of 1 broadcasts: torch sums y over it first, then aten.dot; 2·(2·2) − 1 as broadcast
    ("torch.tensordot(x, y, dims=([0, 1], [2, 0]))", ((1, 1, 1), (2, 1, 2)), (1, 1), 7, 0),
    # x keeps 1 element, y 3: aten.mm of (1, 8) and (8, 3)
    ("torch.tensordot(x, y, dims=2)", ((1, 4, 2), (4, 2, 3)), (1, 3), 45, 48),
    ("torch.chain_matmul(x)", ((3, 4),), (3, 4), 0, 0),  # one matrix: a copy
    ("torch.linalg.multi_dot([x, y])", ((3, 4), (4,)), (3,), 21, 24),  # the vector as a column: aten.mm
    # x·(y·z): 1·30·5 + 1·5·60 MACs for x (30,) as a row
    ("torch.linalg.multi_dot([x, y, z])", ((30,), (30, 5), (5, 60)), (60,), 835, 900),
    # 3·4·1 then 1·3·1: (3·4 − 1)·... the cheaper order x·(y·z)
    ("torch.linalg.multi_dot([x, y, z])", ((3,), (3, 4), (4,)), (), 26, 30),
    ("torch.addmm(x, y, z, beta=0)", ((3, 5), (3, 4), (4, 5)), (3, 5), 105, 120),
    ("torch.baddbmm(x, y, z, alpha=2)", ((5,), (2, 3, 4), (2, 4, 5)), (2, 3, 5), 270, 240),
    ("torch.addmv(x, y, z, beta=2)", ((3,), (3, 4), (4,)), (3,), 27, 0),
    ("torch.linalg.vecdot(x, y, dim=0)", ((4, 3), (4, 1)), (3,), 21, 0),
    ("torch.kron(x, y)", ((2,), (3, 4)), (3, 8), 24, 0),
]


@pytest.mark.parametrize(("source", "inputs", "output", "seed", "torch"), CASES, ids=[c[0] + str(c[1]) for c in CASES])
def test_products(source, inputs, output, seed, torch, analyze_source) -> None:
    model = _model(source, inputs, analyze_source)
    assert model.diagnostics == []
    assert model.layers[-1].output == output
    assert model.flops == seed
    assert _model(source, inputs, analyze_source, "torch").flops == torch


@pytest.mark.torch
@pytest.mark.parametrize(("source", "inputs", "output", "seed", "torch"), CASES, ids=[c[0] + str(c[1]) for c in CASES])
def test_flop_counter_mode_agrees(source, inputs, output, seed, torch) -> None:
    theirs, counted = _torch_run(source, inputs)
    assert tuple(theirs.shape) == output
    assert counted == torch


def test_chain_order_is_the_optimal_parenthesization() -> None:
    # Cormen et al.'s example: 30×35, 35×15, 15×5, 5×10, 10×20, 20×25 costs 15125 at best
    order = chain_order([30, 35, 15, 5, 10, 20, 25])
    assert sum(r * k * c for r, k, c in order) == 15125
    assert len(order) == 5


@pytest.mark.parametrize(
    ("source", "inputs", "message"),
    [
        ("x.mm(y)", ((3, 4), (5, 6)), "mm: [3, 4] and [5, 6] cannot be multiplied"),
        ("torch.addmm(x, y, z)", ((2, 5), (3, 4), (4, 5)), "shapes [2, 5] and [3, 5] cannot be broadcast together"),
        ("torch.baddbmm(x, y, z)", ((1,), (2, 3, 4), (3, 4, 5)), "baddbmm: batch sizes differ (2 and 3)"),
        ("torch.dot(x, y)", ((3,), (4,)), "dot: the vectors' sizes differ (3 and 4)"),
        # mm and bmm take matrices and batches of them, not matmul's vectors and broadcast batches
        ("torch.mm(x, y)", ((2, 3, 4), (4, 5)), "mm: both arguments must be matrices"),
        ("torch.bmm(x, y)", ((2, 3, 4), (4, 5)), "bmm: both batches must be 3D"),
        ("x.bmm(y)", ((2, 3, 4), (1, 4, 5)), "bmm: batch sizes differ (2 and 1)"),
    ],
)
def test_shape_errors_are_reported(source, inputs, message, analyze_source) -> None:
    model = _model(source, inputs, analyze_source)
    assert any(message in d.message for d in model.diagnostics), model.diagnostics


@pytest.mark.parametrize(("n", "products"), [(0, 0), (1, 0), (2, 1), (3, 2), (5, 3), (7, 4), (8, 3)])
def test_matrix_power_squares_up_the_bits(n, products, analyze_source) -> None:
    model = _model(f"torch.linalg.matrix_power(x, {n})", ((3, 3),), analyze_source, "torch")
    assert model.diagnostics == []
    assert model.flops == products * 2 * 27


@pytest.mark.torch
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 7, 8])
def test_matrix_power_as_flop_counter_mode_counts_it(n, analyze_source) -> None:
    _, counted = _torch_run(f"torch.linalg.matrix_power(x, {n})", ((2, 3, 3),))
    assert _model(f"torch.linalg.matrix_power(x, {n})", ((2, 3, 3),), analyze_source, "torch").flops == counted
