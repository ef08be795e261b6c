"""Linear algebra in forward(): the shapes, dtypes and named tuples of torch.linalg's results, and the seed
convention's operation counts (staticflops/catalog/linalg.py, docs/conventions.md).

CASES are calls as model code writes them, with the results torch 2.14.1 gives (recorded by running each case's
forward() in /work/tvenv on random operands made well-conditioned in the case's own code; the torch-marked test
runs them again, so the record cannot drift from torch). Each result prints as staticflops' reveal prints it;
`kinds` is `10·element_size + is_floating_point` of each item: 41 float32, 40 int32, 80 int64, 80 complex64.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from staticflops import analyze
from tests.conftest import codes, skip_what_this_torch_lacks


@dataclass(frozen=True)
class Case:
    name: str
    inputs: tuple[tuple[int, ...], ...]
    """forward()'s operands a, b, c."""
    body: str
    """Statements ending with `out = ...`; `s` is a positive-definite batch built from `a` where a case needs one."""
    result: str
    kinds: tuple[int, ...]


SPD = "s = a @ a.mT + a.shape[-1] * torch.eye(a.shape[-1])"
"""A well-conditioned symmetric positive-definite batch from `a`, for the ops that need one."""

CASES = [
    Case("cholesky", ((2, 4, 4),), f"{SPD}; out = torch.linalg.cholesky(s, upper=True)", "Tensor[2, 4, 4]", (41,)),
    Case("cholesky_ex", ((2, 4, 4),), f"{SPD}; out = torch.linalg.cholesky_ex(s)", "(Tensor[2, 4, 4], Tensor[2])",
         (41, 40)),
    Case("cholesky_ex.L", ((2, 4, 4),), f"{SPD}; out = torch.linalg.cholesky_ex(s).info", "Tensor[2]", (40,)),
    Case("cholesky_inverse", ((3, 4, 4),), f"{SPD}; out = torch.cholesky_inverse(torch.linalg.cholesky(s))",
         "Tensor[3, 4, 4]", (41,)),
    Case("cholesky_solve", ((2, 4, 4), (3, 1, 4, 2)),
         f"{SPD}; out = torch.cholesky_solve(b, torch.linalg.cholesky(s))", "Tensor[3, 2, 4, 2]", (41,)),
    Case("geqrf.wide", ((3, 5),), "out = torch.geqrf(a)", "(Tensor[3, 5], Tensor[3])", (41, 41)),
    Case("geqrf.tau", ((2, 5, 3),), "out = a.geqrf().tau", "Tensor[2, 3]", (41,)),
    Case("cond", ((2, 5, 3),), "out = torch.linalg.cond(a)", "Tensor[2]", (41,)),
    Case("cond.fro", ((2, 4, 4),), f"{SPD}; out = torch.linalg.cond(s, 'fro')", "Tensor[2]", (41,)),
    Case("det", ((2, 3, 4, 4),), "out = torch.linalg.det(a)", "Tensor[2, 3]", (41,)),
    Case("slogdet", ((2, 4, 4),), "sign, logabsdet = torch.linalg.slogdet(a); out = logabsdet", "Tensor[2]", (41,)),
    Case("slogdet.named", ((4, 4),), "out = a.slogdet().sign", "Tensor[]", (41,)),
    Case("logdet", ((2, 4, 4),), f"{SPD}; out = torch.logdet(s)", "Tensor[2]", (41,)),
    Case("eigh", ((2, 4, 4),), f"{SPD}; out = torch.linalg.eigh(s, UPLO='U')", "(Tensor[2, 4], Tensor[2, 4, 4])",
         (41, 41)),
    Case("eigh.eigenvectors", ((4, 4),), f"{SPD}; out = torch.linalg.eigh(s).eigenvectors", "Tensor[4, 4]", (41,)),
    Case("eigvalsh", ((3, 4, 4),), f"{SPD}; out = torch.linalg.eigvalsh(s)", "Tensor[3, 4]", (41,)),
    Case("eig", ((2, 4, 4),), "out = torch.linalg.eig(a)", "(Tensor[2, 4], Tensor[2, 4, 4])", (80, 80)),
    Case("eigvals", ((4, 4),), "out = torch.linalg.eigvals(a)", "Tensor[4]", (80,)),
    Case("householder_product", ((2, 1, 5, 3),), "f = torch.geqrf(a); out = torch.linalg.householder_product(*f)",
         "Tensor[2, 1, 5, 3]", (41,)),
    Case("orgqr", ((5, 3),), "f = torch.geqrf(a); out = f.a.orgqr(f.tau[:2])", "Tensor[5, 3]", (41,)),
    Case("inv", ((2, 4, 4),), f"{SPD}; out = torch.linalg.inv(s)", "Tensor[2, 4, 4]", (41,)),
    Case("inv_ex", ((2, 4, 4),), f"{SPD}; out = torch.linalg.inv_ex(s)", "(Tensor[2, 4, 4], Tensor[2])", (41, 40)),
    Case("inverse", ((4, 4),), f"{SPD}; out = s.inverse()", "Tensor[4, 4]", (41,)),
    Case("ldl_factor", ((2, 4, 4),), f"{SPD}; out = torch.linalg.ldl_factor(s)", "(Tensor[2, 4, 4], Tensor[2, 4])",
         (41, 40)),
    Case("ldl_factor_ex", ((2, 4, 4),), f"{SPD}; out = torch.linalg.ldl_factor_ex(s, hermitian=True)",
         "(Tensor[2, 4, 4], Tensor[2, 4], Tensor[2])", (41, 40, 40)),
    Case("ldl_solve", ((4, 4), (3, 4, 2)), f"{SPD}; LD, pivots = torch.linalg.ldl_factor(s); "
         "out = torch.linalg.ldl_solve(LD, pivots, b)", "Tensor[3, 4, 2]", (41,)),
    Case("lstsq.gels", ((2, 5, 3), (2, 5, 2)), "out = torch.linalg.lstsq(a, b, driver='gels')",
         "(Tensor[2, 3, 2], Tensor[2, 2], Tensor[0], Tensor[0])", (41, 41, 80, 41)),
    Case("lstsq.gelsy", ((2, 5, 3), (1, 5, 2)), "out = torch.linalg.lstsq(a, b)",
         "(Tensor[2, 3, 2], Tensor[0], Tensor[2], Tensor[0])", (41, 41, 80, 41)),
    Case("lstsq.vector", ((2, 5, 3), (2, 5)), "out = torch.linalg.lstsq(a, b, driver='gels')",
         "(Tensor[2, 3], Tensor[2, 1], Tensor[0], Tensor[0])", (41, 41, 80, 41)),
    Case("lstsq.wide", ((3, 5), (3, 2)), "out = torch.linalg.lstsq(a, b, driver='gelsd')",
         "(Tensor[5, 2], Tensor[0], Tensor[], Tensor[3])", (41, 41, 80, 41)),
    Case("lstsq.solution", ((4, 6), (4, 3)), "out = torch.linalg.lstsq(a, b, driver='gelss').solution",
         "Tensor[6, 3]", (41,)),
    Case("lu", ((2, 3, 5),), "P, L, U = torch.linalg.lu(a); out = (P, L, U)",
         "(Tensor[2, 3, 3], Tensor[2, 3, 3], Tensor[2, 3, 5])", (41, 41, 41)),
    Case("lu.tall", ((5, 3),), "out = torch.linalg.lu(a).L", "Tensor[5, 3]", (41,)),
    Case("lu_factor", ((2, 5, 3),), "out = torch.linalg.lu_factor(a)", "(Tensor[2, 5, 3], Tensor[2, 3])", (41, 40)),
    Case("lu_factor_ex", ((3, 5),), "out = torch.linalg.lu_factor_ex(a)", "(Tensor[3, 5], Tensor[3], Tensor[])",
         (41, 40, 40)),
    Case("torch.lu", ((2, 4, 4),), "out = torch.lu(a, get_infos=True)", "(Tensor[2, 4, 4], Tensor[2, 4], Tensor[2])",
         (41, 40, 40)),
    Case("lu_solve", ((2, 4, 4), (3, 1, 4, 2)), f"{SPD}; LU, pivots = torch.linalg.lu_factor(s); "
         "out = torch.linalg.lu_solve(LU, pivots, b, adjoint=True)", "Tensor[3, 2, 4, 2]", (41,)),
    Case("lu_solve.right", ((2, 4, 4), (3, 1, 2, 4)), f"{SPD}; f = torch.linalg.lu_factor(s); "
         "out = torch.linalg.lu_solve(f.LU, f.pivots, b, left=False)", "Tensor[3, 2, 2, 4]", (41,)),
    Case("torch.lu_solve", ((4, 4), (2, 4, 3)), f"{SPD}; LU, pivots = torch.lu(s); out = b.lu_solve(LU, pivots)",
         "Tensor[2, 4, 3]", (41,)),
    Case("lu_unpack", ((2, 5, 3),), "f = torch.linalg.lu_factor(a); out = torch.lu_unpack(f.LU, f.pivots)",
         "(Tensor[2, 5, 5], Tensor[2, 5, 3], Tensor[2, 3, 3])", (41, 41, 41)),
    Case("lu_unpack.pivots", ((3, 5),), "f = torch.linalg.lu_factor(a); "
         "out = torch.lu_unpack(*f, unpack_data=False)", "(Tensor[3, 3], Tensor[0], Tensor[0])", (41, 41, 41)),
    Case("matrix_rank", ((2, 5, 3), (4, 1)), "out = torch.linalg.matrix_rank(a, atol=b)", "Tensor[4, 2]", (80,)),
    Case("matrix_rank.hermitian", ((2, 4, 4),), f"{SPD}; out = torch.linalg.matrix_rank(s, hermitian=True)",
         "Tensor[2]", (80,)),
    Case("matrix_sqrth", ((2, 4, 4),), f"{SPD}; out = torch.linalg.matrix_sqrth(s)", "Tensor[2, 4, 4]", (41,)),
    Case("matrix_exp", ((2, 3, 3),), "out = torch.matrix_exp(a / 10)", "Tensor[2, 3, 3]", (41,)),
    Case("linalg.matrix_exp", ((3, 3),), "out = torch.linalg.matrix_exp(a)", "Tensor[3, 3]", (41,)),
    Case("ormqr", ((2, 5, 3), (2, 5, 4)), "f = torch.geqrf(a); out = torch.ormqr(f.a, f.tau, b, transpose=True)",
         "Tensor[2, 5, 4]", (41,)),
    Case("ormqr.right", ((5, 3), (4, 5)), "f = torch.geqrf(a); out = f.a.ormqr(f.tau, b, left=False)", "Tensor[4, 5]",
         (41,)),
    Case("pinv", ((2, 5, 3), (4, 1)), "out = torch.linalg.pinv(a, atol=b)", "Tensor[4, 2, 3, 5]", (41,)),
    Case("pinv.rcond", ((3, 2), (3, 2)), "out = torch.linalg.pinv(a, b)", "Tensor[3, 2, 2, 3]", (41,)),
    Case("pinv.empty", ((3, 0), (3, 0)), "out = torch.linalg.pinv(a, b)", "Tensor[0, 3]", (41,)),
    Case("pinv.hermitian", ((2, 4, 4),), f"{SPD}; out = torch.linalg.pinv(s, hermitian=True)", "Tensor[2, 4, 4]",
         (41,)),
    Case("pinverse", ((2, 5, 3),), "out = a.pinverse()", "Tensor[2, 3, 5]", (41,)),
    Case("polar", ((2, 5, 3),), "out = torch.linalg.polar(a)", "(Tensor[2, 5, 3], Tensor[2, 3, 3])", (41, 41)),
    Case("qr", ((2, 5, 3),), "Q, R = torch.linalg.qr(a); out = (Q, R)", "(Tensor[2, 5, 3], Tensor[2, 3, 3])",
         (41, 41)),
    Case("qr.complete", ((2, 5, 3),), "out = torch.linalg.qr(a, mode='complete')",
         "(Tensor[2, 5, 5], Tensor[2, 5, 3])", (41, 41)),
    Case("qr.r", ((2, 5, 3),), "out = torch.linalg.qr(a, 'r')", "(Tensor[0], Tensor[2, 3, 3])", (41, 41)),
    Case("qr.wide", ((3, 5),), "out = torch.linalg.qr(a).R", "Tensor[3, 5]", (41,)),
    Case("solve.vector", ((2, 4, 4), (4,)), f"{SPD}; out = torch.linalg.solve(s, b)", "Tensor[2, 4]", (41,)),
    Case("solve.vectors", ((2, 4, 4), (2, 4)), f"{SPD}; out = torch.linalg.solve(s, b)", "Tensor[2, 4]", (41,)),
    Case("solve.matrix", ((2, 4, 4), (3, 1, 4, 2)), f"{SPD}; out = torch.linalg.solve(s, b)", "Tensor[3, 2, 4, 2]",
         (41,)),
    Case("solve.right", ((2, 4, 4), (5, 4)), f"{SPD}; out = torch.linalg.solve(s, b, left=False)", "Tensor[2, 5, 4]",
         (41,)),
    Case("solve_ex", ((4, 4), (3, 4, 2)), f"{SPD}; out = torch.linalg.solve_ex(s, b)", "(Tensor[3, 4, 2], Tensor[])",
         (41, 40)),
    Case("solve_triangular", ((2, 4, 4), (3, 1, 4, 2)), f"{SPD}; "
         "out = torch.linalg.solve_triangular(torch.linalg.cholesky(s), b, upper=False)", "Tensor[3, 2, 4, 2]", (41,)),
    Case("solve_triangular.right", ((2, 4, 4), (2, 3, 4)), f"{SPD}; "
         "out = torch.linalg.solve_triangular(s, b, upper=True, left=False, unitriangular=True)", "Tensor[2, 3, 4]",
         (41,)),
    Case("triangular_solve", ((2, 4, 4), (3, 1, 4, 2)), f"{SPD}; out = torch.triangular_solve(b, s)",
         "(Tensor[3, 2, 4, 2], Tensor[3, 2, 4, 4])", (41, 41)),
    Case("svd", ((2, 3, 5),), "U, S, Vh = torch.linalg.svd(a); out = (U, S, Vh)",
         "(Tensor[2, 3, 3], Tensor[2, 3], Tensor[2, 5, 5])", (41, 41, 41)),
    Case("svd.thin", ((5, 3),), "out = torch.linalg.svd(a, full_matrices=False)",
         "(Tensor[5, 3], Tensor[3], Tensor[3, 3])", (41, 41, 41)),
    Case("torch.svd", ((2, 3, 5),), "out = torch.svd(a)", "(Tensor[2, 3, 3], Tensor[2, 3], Tensor[2, 5, 3])",
         (41, 41, 41)),
    Case("torch.svd.full", ((5, 3),), "out = a.svd(some=False)", "(Tensor[5, 5], Tensor[3], Tensor[3, 3])",
         (41, 41, 41)),
    Case("torch.svd.values", ((5, 3),), "out = torch.svd(a, compute_uv=False)",
         "(Tensor[5, 5], Tensor[3], Tensor[3, 3])", (41, 41, 41)),
    Case("svdvals", ((2, 3, 5),), "out = torch.linalg.svdvals(a)", "Tensor[2, 3]", (41,)),
    Case("tensorinv", ((24, 24),), "s = a @ a.mT + 24 * torch.eye(24); "
         "out = torch.linalg.tensorinv(s.reshape(24, 4, 6), ind=1)", "Tensor[4, 6, 24]", (41,)),
    Case("tensorsolve", ((6, 6), (2, 3)), "s = a @ a.mT + 6 * torch.eye(6); "
         "out = torch.linalg.tensorsolve(s.reshape(6, 2, 3), b, dims=(0,))", "Tensor[6]", (41,)),
    Case("vander", ((2, 3),), "out = torch.linalg.vander(a)", "Tensor[2, 3, 3]", (41,)),
    Case("vander.N", ((5,),), "out = torch.linalg.vander(a, N=2)", "Tensor[5, 2]", (41,)),
    Case("import", ((2, 4, 4),), f"{SPD}; out = LA.cholesky(s)", "Tensor[2, 4, 4]", (41,)),
]  # fmt: skip


def source(case: Case) -> str:
    """A model whose forward makes the case's calls and reveals what they return (`kinds` of each item)."""
    names = "abc"[: len(case.inputs)]
    lines = ["import torch", "import torch.linalg as LA", "import torch.nn as nn", "", "",
             "class M(nn.Module):", f"    def forward(self, {', '.join(names)}):",
             *(f"        {statement}" for statement in case.body.split("; ")),
             "        items = out if isinstance(out, tuple) else (out,)",
             "        kinds = tuple(10 * t.element_size() + int(t.is_floating_point()) for t in items)",
             "        return out"]  # fmt: skip
    return "\n".join(lines) + "\n"


def static(case: Case, tmp_path, convention: str = "seed") -> tuple[dict[str, str], object]:
    path = tmp_path / "model.py"
    path.write_text(source(case))
    (model,) = analyze([path], inputs=list(case.inputs), reveal=True, convention=convention).models
    revealed = {}
    for line in model.revealed:
        _, target, value = line.rsplit(": ", 2)
        revealed[target] = value
    return revealed, model


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_linalg_results_are_torchs(case: Case, tmp_path) -> None:
    revealed, model = static(case, tmp_path)
    assert codes(model) == [], model.diagnostics
    assert revealed["out"] == case.result
    assert revealed["kinds"] == repr(case.kinds)


def describe(value: object) -> str:
    """A torch result as staticflops' reveal prints the static one."""
    import torch

    if isinstance(value, torch.Tensor):
        return f"Tensor[{', '.join(str(d) for d in value.shape)}]"
    assert isinstance(value, tuple)
    return f"({', '.join(describe(v) for v in value)})"


@pytest.mark.torch
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_recorded_results_are_torchs(case: Case, tmp_path) -> None:
    torch = pytest.importorskip("torch")
    from torch.utils.flop_counter import FlopCounterMode

    namespace: dict[str, object] = {}
    exec(compile(source(case), "<case>", "exec"), namespace)  # our own test text, not analyzed code
    torch.manual_seed(0)
    operands = [torch.randn(shape, dtype=torch.float64).float() for shape in case.inputs]
    with torch.no_grad(), FlopCounterMode(display=False) as counter, skip_what_this_torch_lacks():
        out = namespace["M"]()(*operands)
    items = out if isinstance(out, tuple) else (out,)
    assert describe(out) == case.result
    assert tuple(10 * t.element_size() + int(t.is_floating_point()) for t in items) == case.kinds
    _, model = static(case, tmp_path, convention="torch")
    assert model.flops == counter.get_total_flops()  # the linear algebra 0, the products building `s` counted


# --------------------------------------------------------------------------- models, and their counts
WHITENING = """
    import torch
    import torch.nn as nn


    class Whitening(nn.Module):
        '''ZCA-style whitening of a batch of features by the Cholesky factor of their covariance.'''

        def __init__(self, eps: float = 1e-5):
            super().__init__()
            self.eps = eps

        def forward(self, x):
            centered = x - x.mean(dim=0, keepdim=True)
            covariance = centered.T @ centered / (x.shape[0] - 1)
            covariance = covariance + self.eps * torch.eye(x.shape[1])
            factor = torch.linalg.cholesky(covariance)
            return torch.linalg.solve_triangular(factor, centered.T, upper=False).T
"""


def test_whitening_by_cholesky_and_a_triangular_solve(analyze_source) -> None:
    model = analyze_source(WHITENING, inputs=[(32, 16)])
    assert model.diagnostics == []
    rows = {layer.type: layer for layer in model.layers}
    assert rows["torch.linalg.cholesky"].output == (16, 16)
    assert rows["torch.linalg.cholesky"].flops == 1365  # 16³/3 = 1365.33, to the nearest operation
    assert rows["torch.linalg.solve_triangular"].output == (16, 32)
    assert rows["torch.linalg.solve_triangular"].flops == 16 * 16 * 32  # n² per right-hand side, 32 of them


PROCRUSTES = """
    import torch
    import torch.nn as nn


    class Procrustes(nn.Module):
        '''Aligns point sets: the rotation R minimizing ‖R·source − target‖ is U·Vᵀ of target·sourceᵀ's SVD.'''

        def forward(self, source, target):
            cross = target @ source.transpose(-1, -2)
            U, S, Vh = torch.linalg.svd(cross)
            rotation = U @ Vh
            sign = torch.linalg.det(rotation)
            return rotation @ source, sign
"""


def test_procrustes_alignment_by_svd(analyze_source) -> None:
    model = analyze_source(PROCRUSTES, inputs=[(4, 3, 100), (4, 3, 100)])
    assert model.diagnostics == []
    rows = {layer.type: layer for layer in model.layers}
    svd = rows["torch.linalg.svd"]
    assert svd.output == (4, 3, 3)  # U; S is [4, 3], Vh [4, 3, 3]
    assert svd.flops == 4 * (4 * 27 + 8 * 27 + 9 * 27)  # full U and V of 3×3: 4m²n + 8mn² + 9n³, 4 matrices
    assert (rows["torch.linalg.det"].output, rows["torch.linalg.det"].flops) == ((4,), 4 * 18)  # LU: 2·27/3
    assert model.layers[-1].output == (4, 3, 100)


def test_other_conventions_price_linear_algebra_at_zero(analyze_source) -> None:
    """FlopCounterMode, fvcore, thop and ptflops count none of these ops (test_the_recorded_results_are_torchs
    measures FlopCounterMode; fvcore reports them as unsupported): only the products around them."""
    for convention in ("torch", "fvcore", "thop", "ptflops", "macs"):
        model = analyze_source(WHITENING, inputs=[(32, 16)], convention=convention)
        rows = {layer.type: layer for layer in model.layers}
        assert rows["torch.linalg.cholesky"].flops == 0, convention
        assert rows["torch.linalg.solve_triangular"].flops == 0, convention


@pytest.mark.parametrize(
    ("call", "shapes", "flops"),
    [
        # LU 2·4³/3 → 43, and 2 substitutions of 4² for each of 3 columns in each of 2 batches
        ("torch.linalg.solve(a + 4 * torch.eye(4), b)", ((4, 4), (2, 4, 3)), 43 + 2 * 2 * 16 * 3),
        # R: 2mn² − 2n³/3 = 180 − 18 = 162 (m = 10, n = 3); the thin Q: 4·10·9 − 2·13·9 + 4·27/3 = 360 − 234 + 36
        ("torch.linalg.qr(a).Q", ((10, 3),), 162 + 162),
        # complete Q: 4·10·10·3 − 2·20·9 + 36 = 1200 − 360 + 36 = 876
        ("torch.linalg.qr(a, mode='complete').Q", ((10, 3),), 162 + 876),
        # mode 'r': R only
        ("torch.linalg.qr(a, mode='r').R", ((10, 3),), 162),
        # inverse 2n³ per matrix
        ("torch.linalg.inv(a + 4 * torch.eye(4))", ((3, 4, 4),), 3 * 128),
        # singular values of 10×3: 4·10·9 − 4·27/3 = 324; eigenvalues only: 4·4³/3 = 85.33
        ("torch.linalg.svdvals(a)", ((10, 3),), 324),
        ("torch.linalg.eigvalsh(a)", ((4, 4),), 85),
        # a wide matrix is priced as its transpose: the same 324
        ("torch.linalg.svdvals(a)", ((3, 10),), 324),
        # LU of 3×10: 10·9 − 27/3
        ("torch.linalg.lu_factor(a).LU", ((3, 10),), 81),
        # gels on 10×3 for 2 columns: QR 162, Qᵀ·B 4·10·2·3 − 2·2·9 = 204, back substitution 9·2 = 18
        ("torch.linalg.lstsq(a, b, driver='gels').solution", ((10, 3), (10, 2)), 162 + 204 + 18),
        # gelsd on 3×10 (a wide A: no residuals): thin SVD 14·10·9 + 8·27 = 1476, Uᵀ·B (3×3 by 3×2: 6·5),
        # V·(·) (10×3 by 3×2: 20·5)
        ("torch.linalg.lstsq(a, b, driver='gelsd').solution", ((3, 10), (3, 2)), 1476 + 30 + 100),
        # 'nuc': the inverse and the singular values of both matrices: 2·27 + 2·(4·27 − 4·27/3)
        ("torch.linalg.cond(a + 3 * torch.eye(3), 'nuc')", ((3, 3),), 54 + 2 * 72),
        # pinv through eigh: 9·4³ and a 4×4 product 16·7
        ("torch.linalg.pinv(a, hermitian=True)", ((4, 4),), 576 + 112),
    ],
)
def test_operation_counts(call: str, shapes, flops: int, analyze_source) -> None:
    names = "ab"[: len(shapes)]
    model = analyze_source(
        f"""
        import torch
        import torch.nn as nn

        class M(nn.Module):
            def forward(self, {", ".join(names)}):
                return {call}
        """,
        inputs=list(shapes),
    )
    assert model.diagnostics == []
    (call_row,) = [layer for layer in model.layers if layer.type.startswith("torch.linalg.")]
    assert call_row.flops == flops


def test_out_tuples_receive_the_items(analyze_source) -> None:
    """`out=(Q, R)`: torch resizes each tensor to its item and returns them as the named tuple."""
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class M(nn.Module):
            def forward(self, a):
                Q, R = torch.empty(0), torch.empty(0)
                result = torch.linalg.qr(a, out=(Q, R))
                LU, pivots = torch.empty(0), torch.empty(0, dtype=torch.int32)
                torch.linalg.lu_factor(a[:, :3], out=(LU, pivots))
                return Q * 1, result.R * 1, LU * 1, pivots * 1
        """,
        inputs=[(5, 3)],
    )
    assert model.diagnostics == []
    assert [layer.output for layer in model.layers if layer.type == "mul"] == [(5, 3), (3, 3), (5, 3), (3,)]


def test_residuals_that_the_values_decide_are_said_to(analyze_source) -> None:
    """`gelsd` returns residuals only when every matrix has full rank: their size is the data's to decide (SF301);
    the solution's shape is still known."""
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class M(nn.Module):
            def forward(self, a, b):
                solution, residuals, rank, singular_values = torch.linalg.lstsq(a, b, driver="gelsd")
                return solution * 2
        """,
        inputs=[(6, 3), (6, 2)],
    )
    assert codes(model) == ["SF301"]
    assert "'residuals' depends on the data" in model.diagnostics[0].message
    assert [layer.output for layer in model.layers] == [(3, 2), (3, 2)]


@pytest.mark.parametrize(
    ("call", "shapes", "message"),
    [
        ("torch.linalg.cholesky(a)", ((3, 4),), "square matrices, but they are 3 by 4"),
        ("torch.linalg.solve(a, b)", ((4, 4), (3, 4)), "AX = B (4x4 and 3x4)"),
        ("torch.linalg.polar(a)", ((3, 5),), "at least as many rows as columns"),
        ("torch.linalg.vander(a, N=1)", ((3,),), "N must be greater than 1"),
        ("torch.linalg.tensorinv(a, ind=1)", ((4, 3),), "4 != 3"),
    ],
)
def test_shapes_torch_refuses_are_shape_errors(call: str, shapes, message: str, analyze_source) -> None:
    model = analyze_source(
        f"""
        import torch
        import torch.nn as nn

        class M(nn.Module):
            def forward(self, {", ".join("ab"[: len(shapes)])}):
                return {call}
        """,
        inputs=list(shapes),
    )
    assert codes(model) == ["SF201"]
    assert message in model.diagnostics[0].message


@pytest.mark.torch
def test_parameters_have_torchs_names() -> None:
    """Keyword arguments bind by torch's names: aten's schema names (its `self` is `input` in Python), whatever the
    docs call them (`linalg.cholesky(A)` is `linalg_cholesky(Tensor self, ...)`: `input=`)."""
    torch = pytest.importorskip("torch")
    from staticflops.catalog import linalg

    wrong = {}
    for spec in linalg.SPECS:
        if spec.qualname.startswith("torch.Tensor."):
            continue
        name = spec.qualname.removeprefix("torch.").replace("linalg.", "linalg_")
        schemas = torch._C._jit_get_schemas_for_operator(f"aten::{name}")
        if not schemas:  # torch.lu is Python: torch.functional.lu(A, pivot, get_infos)
            continue
        theirs = {"input" if a.name == "self" else a.name for s in schemas for a in s.arguments}
        ours = [p.name for p in spec.params]
        if not set(ours) <= theirs:
            wrong[spec.qualname] = (ours, sorted(theirs))
    assert wrong == {}
