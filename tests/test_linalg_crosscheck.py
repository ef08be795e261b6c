"""Generated linear-algebra calls against torch: random batch shapes (broadcast, of size 0 and 1, and sometimes
not broadcastable), sizes and keyword arguments, for the ops whose shape rules combine operands (solves, least
squares, tolerances given as tensors) or depend on their arguments (`mode`, `full_matrices`, `some`, `left`,
`driver`, `hermitian`, the unpacking flags).

Each case is a forward() making one call, analyzed statically and run in torch on operands made well-conditioned
in the case's own code. They agree when the results print the same (every item of a named tuple, with its dtype),
or when torch refuses the call and staticflops reports a shape error (SF2xx) for it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from staticflops import analyze

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

COUNT = 240
"""Cases generated; a fixed seed makes them the same on every run."""


@dataclass(frozen=True)
class Case:
    inputs: tuple[tuple[int, ...], ...]
    body: tuple[str, ...]
    """forward()'s statements on its operands a, b, c; the last binds `out`."""


def _batch(rng: random.Random) -> tuple[int, ...]:
    return tuple(rng.choice((1, 2, 3, 0)) if rng.random() < 0.1 else rng.choice((1, 2, 3)) for _ in
                 range(rng.choice((0, 0, 1, 1, 2))))  # fmt: skip


def _other_batch(rng: random.Random, batch: tuple[int, ...]) -> tuple[int, ...]:
    """A batch that broadcasts with `batch` (most often), or an arbitrary one."""
    if rng.random() < 0.15:
        return _batch(rng)
    kept = [rng.choice((size, 1)) for size in batch[rng.randrange(len(batch) + 1) :]]
    return (*[rng.choice((1, 2)) for _ in range(rng.choice((0, 0, 1)))], *kept)


def _keywords(rng: random.Random, choices: dict[str, tuple[object, ...]]) -> str:
    chosen = [f"{name}={rng.choice(values)!r}" for name, values in choices.items() if rng.random() < 0.6]
    return "".join(", " + keyword for keyword in chosen)


WELL = "a = a + a.shape[-1] * torch.eye(a.shape[-1])"
"""Diagonally dominant: nonsingular, with an LU and a well-defined inverse."""
SPD = "a = a @ a.mT + a.shape[-1] * torch.eye(a.shape[-1])"


def generate(rng: random.Random) -> Case:
    batch, n, k = _batch(rng), rng.choice((1, 2, 3, 4)), rng.choice((1, 2, 3))
    m = rng.choice((1, 2, 3, 5))
    square, wide = (*batch, n, n), (*batch, m, n)
    rhs_batch = _other_batch(rng, batch)
    left = rng.random() < 0.7
    rhs = (*rhs_batch, n, k) if left else (*rhs_batch, k, n)
    kind = rng.choice(("solve", "lu_solve", "cholesky_solve", "solve_triangular", "triangular_solve", "ldl_solve",
                       "lstsq", "pinv", "matrix_rank", "qr", "svd", "old_svd", "lu", "lu_unpack", "square", "cond",
                       "householder", "ormqr", "tensor"))  # fmt: skip
    if kind == "solve":
        shapes = rng.choice(((*rhs_batch, n), (n,), rhs))
        return Case((square, shapes), (WELL, f"out = torch.linalg.{rng.choice(('solve', 'solve_ex'))}(a, b"
                                             f"{'' if left else ', left=False'})"))  # fmt: skip
    if kind == "lu_solve":
        keywords = _keywords(rng, {"adjoint": (True, False)}) + ("" if left else ", left=False")
        return Case((square, rhs), (WELL, "f = torch.linalg.lu_factor(a)",
                                    f"out = torch.linalg.lu_solve(f.LU, f.pivots, b{keywords})"))  # fmt: skip
    if kind == "cholesky_solve":
        upper = _keywords(rng, {"upper": (True, False)})
        call = f"torch.cholesky_solve(b, torch.linalg.cholesky(a){upper})"
        return Case((square, (*rhs_batch, n, k)), (SPD, f"out = {call}"))
    if kind == "solve_triangular":
        keywords = _keywords(rng, {"unitriangular": (True, False)}) + ("" if left else ", left=False")
        return Case((square, rhs), (WELL, f"out = torch.linalg.solve_triangular(a, b, upper={rng.random() < 0.5}"
                                          f"{keywords})"))  # fmt: skip
    if kind == "triangular_solve":
        keywords = _keywords(rng, {"upper": (True, False), "transpose": (True, False), "unitriangular": (True, False)})
        return Case((square, (*rhs_batch, n, k)), (WELL, f"out = torch.triangular_solve(b, a{keywords})"))
    if kind == "ldl_solve":
        return Case((square, (*rhs_batch, n, k)), (SPD, "f = torch.linalg.ldl_factor(a)",
                                                   "out = torch.linalg.ldl_solve(f.LD, f.pivots, b)"))  # fmt: skip
    if kind == "lstsq":
        b_shape = rng.choice(((*rhs_batch, m, k), (*batch, m)))
        driver = rng.choice((None, "gels", "gelsy", "gelsd", "gelss"))
        return Case((wide, b_shape), (WELL.replace("torch.eye(a.shape[-1])", "torch.eye(*a.shape[-2:])"),
                    f"out = torch.linalg.lstsq(a, b{'' if driver is None else f', driver={driver!r}'})"))  # fmt: skip
    if kind in ("pinv", "matrix_rank"):
        hermitian = rng.random() < 0.3
        tolerance = _other_batch(rng, batch)
        spelled = rng.choice(("atol=b", "rtol=b", "b", "atol=0.5")) if kind == "pinv" else rng.choice(
            ("atol=b", "rtol=b", "tol=0.5", "atol=b, rtol=0.1"))  # fmt: skip
        call = f"torch.linalg.{kind}(a, {spelled}{', hermitian=True' if hermitian else ''})"
        return Case((square if hermitian else wide, tolerance), (SPD if hermitian else "a = a * 1", f"out = {call}"))
    if kind == "qr":
        mode = rng.choice(("", ", mode='reduced'", ", mode='complete'", ", mode='r'", ", 'complete'"))
        return Case((wide,), (f"out = torch.linalg.qr(a{mode})",))
    if kind == "svd":
        call = rng.choice((f"torch.linalg.svd(a, full_matrices={rng.random() < 0.5})", "torch.linalg.svdvals(a)",
                           "torch.linalg.svd(a)"))  # fmt: skip
        return Case((wide,), (f"out = {call}",))
    if kind == "old_svd":
        flags = _keywords(rng, {"some": (True, False), "compute_uv": (True, False)})
        return Case((wide,), (f"out = torch.svd(a{flags})",))
    if kind == "lu":
        call = rng.choice(("torch.linalg.lu(a)", "torch.linalg.lu_factor(a)", "torch.linalg.lu_factor_ex(a)",
                           "torch.lu(a, get_infos=True)", "torch.lu(a)", "a.lu()"))  # fmt: skip
        return Case((wide,), (WELL.replace("torch.eye(a.shape[-1])", "torch.eye(*a.shape[-2:])"), f"out = {call}"))
    if kind == "lu_unpack":
        flags = _keywords(rng, {"unpack_data": (True, False), "unpack_pivots": (True, False)})
        return Case((wide,), (WELL.replace("torch.eye(a.shape[-1])", "torch.eye(*a.shape[-2:])"),
                              "f = torch.linalg.lu_factor(a)", f"out = torch.lu_unpack(f.LU, f.pivots{flags})"))
    if kind == "square":
        call = rng.choice(("torch.linalg.cholesky(a, upper=True)", "torch.linalg.cholesky_ex(a)",
                           "torch.linalg.inv(a)", "torch.linalg.inv_ex(a)", "torch.linalg.det(a)",
                           "torch.linalg.slogdet(a)", "torch.logdet(a)",
                           "torch.linalg.eigh(a, UPLO='U')", "torch.linalg.eigvalsh(a)", "torch.linalg.matrix_sqrth(a)",
                           "torch.linalg.ldl_factor_ex(a)", "torch.matrix_exp(a / 10)", "torch.cholesky_inverse(a)",
                           "torch.linalg.eigvals(a)", "torch.linalg.eig(a)"))  # fmt: skip
        return Case((square,), (SPD, f"out = {call}"))
    if kind == "cond":
        p = rng.choice(("", ", 2", ", -2", ", 'fro'", ", 'nuc'", ", 1", ", float('inf')"))
        return Case((rng.choice((wide, square)),), (WELL.replace("torch.eye(a.shape[-1])", "torch.eye(*a.shape[-2:])"),
                                                    f"out = torch.linalg.cond(a{p})"))  # fmt: skip
    if kind == "householder":
        tall = (*batch, max(m, n), n)
        return Case((tall,), ("f = torch.geqrf(a)", f"out = torch.linalg.householder_product(f.a, f.tau[..., :{k}])"))
    if kind == "ormqr":
        tall = (*batch, max(m, n), n)
        other = (*batch, max(m, n), k) if left else (*batch, k, max(m, n))
        return Case((tall, other), ("f = torch.geqrf(a)",
                                    f"out = torch.ormqr(f.a, f.tau, b, left={left}, transpose={rng.random() < 0.5})"))
    sizes = rng.choice(((2, 3, 6), (6, 2, 3), (3, 2, 6)))
    return Case(((6, 6), sizes[:2]), (SPD, f"out = torch.linalg.tensorsolve(a.reshape{sizes}, b"
                                           f"{rng.choice(('', ', dims=(0,)', ', dims=(2,)'))})"))  # fmt: skip


def source(cases: list[Case]) -> str:
    lines = ["import torch", "import torch.nn as nn", ""]
    for i, case in enumerate(cases):
        names = ", ".join("abc"[: len(case.inputs)])
        lines += [f"class M{i}(nn.Module):", f"    def forward(self, {names}):", *(f"        {s}" for s in case.body),
                  "        items = out if isinstance(out, tuple) else (out,)",
                  "        kinds = tuple(10 * t.element_size() + int(t.is_floating_point()) for t in items)",
                  "        return out", ""]  # fmt: skip
    lines.append('if __name__ == "__main__":')
    lines += [f"    M{i}()({', '.join(f'torch.zeros({s!r})' for s in case.inputs)})" for i, case in enumerate(cases)]
    return "\n".join(lines) + "\n"


def describe(value: object) -> str:
    if isinstance(value, torch.Tensor):
        return f"Tensor[{', '.join(str(d) for d in value.shape)}]"
    return f"({', '.join(describe(v) for v in value)})"  # type: ignore[union-attr]


def torch_result(namespace: dict[str, object], i: int, case: Case) -> tuple[str, str] | None:
    """(result, kinds) in torch; None when torch refuses the call."""
    torch.manual_seed(i)
    operands = [torch.randn(shape) for shape in case.inputs]
    try:
        with torch.no_grad():
            out = namespace[f"M{i}"]()(*operands)
    except RuntimeError:
        return None
    items = out if isinstance(out, tuple) else (out,)
    return describe(out), repr(tuple(10 * t.element_size() + int(t.is_floating_point()) for t in items))


def test_generated_linear_algebra_calls_match_torch(tmp_path) -> None:
    rng = random.Random(20261203)
    cases = [generate(rng) for _ in range(COUNT)]
    text = source(cases)
    path = tmp_path / "linalg_cases.py"
    path.write_text(text)
    namespace: dict[str, object] = {"__name__": "cases"}
    exec(compile(text, str(path), "exec"), namespace)  # our own generated source, not analyzed code
    analysis = analyze([path], reveal=True, site_packages=False)
    models = {model.name: model for model in analysis.models}
    disagreements = []
    refused = 0
    for i, case in enumerate(cases):
        model = models[f"M{i}"]
        revealed = {line.rsplit(": ", 2)[1]: line.rsplit(": ", 1)[1] for line in model.revealed}
        errors = [d for d in model.diagnostics if d.code.code.startswith("SF2")]
        theirs = torch_result(namespace, i, case)
        if theirs is None:
            refused += 1
            if not errors:
                disagreements.append((i, case, "torch refuses, staticflops gives", revealed.get("out")))
            continue
        ours = (revealed.get("out"), revealed.get("kinds"))
        if ours != theirs and not (errors == [] and "?" in (ours[0] or "") and "SF301" in codes_of(model)):
            disagreements.append((i, case, theirs, ours, [d.message for d in model.diagnostics]))
    assert disagreements == []
    assert refused < COUNT // 4  # most generated calls are valid ones


def codes_of(model: object) -> list[str]:
    return [d.code.code for d in model.diagnostics]  # type: ignore[attr-defined]
