"""Linear algebra: the factorizations, solves and decompositions of `torch.linalg` and their older `torch.` names.

Every entry takes batches of matrices (`(*, m, n)`) and applies its algorithm to each; where several operands meet
(`linalg.solve(A, B)`), their batch dimensions broadcast as torch broadcasts them. Tuple results are torch's named
tuples (`torch.linalg.qr(A).Q`, `L, info = torch.linalg.cholesky_ex(A)`), with the dtypes torch gives their items:
`int32` pivots and `info`, `int64` ranks.

The work is the algorithm's published operation count (`WorkKind.LINALG`): the leading terms of the counts in
Golub & Van Loan, *Matrix Computations* (4th ed.), for the LAPACK routine torch calls on the CPU (Cholesky n³/3,
LU with partial pivoting 2n³/3, Householder QR 2mn² − 2n³/3, a triangular solve n² per right-hand side, ...).
docs/conventions.md lists each and why. No counter but the seed convention prices them: FlopCounterMode,
fvcore, thop and ptflops count none of these ops (measured in torch 2.14.1), so `WorkKind.LINALG` is 0 for them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from staticflops.catalog.complex import COMPLEX_OF
from staticflops.catalog.elementwise import broadcast
from staticflops.catalog.spec import (
    FREE,
    DataDependent,
    Example,
    OpSpec,
    Output,
    Shape,
    Work,
    WorkKind,
    numel,
    primary,
    require,
)
from staticflops.interpreter.calls import signature

Bound = dict[str, Any]
Rule = Callable[[Bound], Output]
Cost = Callable[[Bound, Any], Work]


# --------------------------------------------------------------------------- operands
def _matrices(shape: Shape, what: str) -> tuple[Shape, int, int]:
    """A batch of matrices `(*, m, n)`: (batch dimensions, m, n)."""
    require(len(shape) >= 2, f"{what}: the input must have at least 2 dimensions, got shape {list(shape)}")
    return shape[:-2], shape[-2], shape[-1]


def _square(shape: Shape, what: str) -> tuple[Shape, int]:
    batch, m, n = _matrices(shape, what)
    require(m == n, f"{what}: A must be batches of square matrices, but they are {m} by {n} matrices")
    return batch, n


def _tolerances(bound: Bound, matrix: str, *names: str) -> tuple[Shape, ...]:
    """The shapes of the tolerances given as tensors (`atol`, `rtol`, `rcond`): they broadcast with the batch, except
    for an empty input, which torch returns at once (its result has the input's batch)."""
    if numel(bound[matrix]) == 0:
        return ()
    return tuple(bound[name] for name in names if isinstance(bound.get(name), tuple))


def _batches(*shapes: Shape) -> Shape:
    result: Shape = ()
    for shape in shapes:
        result = broadcast(result, shape)
    return result


# --------------------------------------------------------------------------- operation counts, per matrix
def _whole(value: Fraction | int) -> int:
    """A count with fractional terms (2n³/3) rounded to the nearest operation."""
    return math.floor(Fraction(value) + Fraction(1, 2))


def lu_count(m: int, n: int) -> Fraction:
    """LU with partial pivoting of an m×n matrix (LAPACK `getrf`): 2n³/3 when square; with k = min(m, n), M = max,
    M·k² − k³/3 (Golub & Van Loan §3.2.11: mn² − n³/3 for m ≥ n)."""
    k, big = min(m, n), max(m, n)
    return big * k * k - Fraction(k**3, 3)


def cholesky_count(n: int) -> Fraction:
    """Cholesky (`potrf`): n³/3 (Golub & Van Loan §4.2.5); also the Bunch–Kaufman LDLᵀ (`sytrf`, §4.4.4)."""
    return Fraction(n**3, 3)


def qr_count(m: int, n: int) -> Fraction:
    """Householder QR of an m×n matrix, R and the reflectors (`geqrf`): 2mn² − 2n³/3 for m ≥ n (§5.2.2); with
    k = min(m, n), 4mnk − 2(m + n)k² + 4k³/3, which is symmetric in m and n (2m²n − 2m³/3 for a wide one)."""
    k = min(m, n)
    return 4 * m * n * k - 2 * (m + n) * k * k + Fraction(4 * k**3, 3)


def form_q_count(m: int, q: int, k: int) -> Fraction:
    """The first q columns of Q from k Householder reflectors of length m (`orgqr`, backward accumulation, §5.1.6):
    4mqk − 2(m + q)k² + 4k³/3; 2mn² − 2n³/3 for the thin Q of an m×n matrix, 4m²n − 4mn² + 4n³/3 for the full one."""
    return 4 * m * q * k - 2 * (m + q) * k * k + Fraction(4 * k**3, 3)


def apply_q_count(m: int, n: int, k: int, left: bool) -> int:
    """k Householder reflectors applied to an m×n matrix (`ormqr`, §5.1.6): 4mnk − 2nk² from the left (reflectors
    of length m), 4mnk − 2mk² from the right."""
    return 4 * m * n * k - 2 * (n if left else m) * k * k


def triangular_count(n: int, k: int) -> int:
    """Forward or back substitution with an n×n triangular matrix for k right-hand sides (`trsm`, §3.1): n² each."""
    return n * n * k


def inverse_count(n: int) -> int:
    """The inverse from LU (`getrf` + `getri`): 2n³/3 + 4n³/3 = 2n³ (§3.4.9)."""
    return 2 * n**3


def svd_count(m: int, n: int, vectors: str) -> Fraction:
    """Golub–Reinsch SVD of an m×n matrix, m ≥ n (Golub & Van Loan Figure 8.6.1; a wide matrix is its transpose):
    singular values only 4mn² − 4n³/3; with the thin U (m×n) and V 14mn² + 8n³; with the full U (m×m) and V
    4m²n + 8mn² + 9n³. `vectors`: 'none', 'thin' or 'full'."""
    m, n = max(m, n), min(m, n)
    if vectors == "none":
        return 4 * m * n * n - Fraction(4 * n**3, 3)
    if vectors == "thin":
        return 14 * m * n * n + 8 * n**3
    return 4 * m * m * n + 8 * m * n * n + 9 * n**3


def symmetric_eig_count(n: int, vectors: bool) -> Fraction:
    """The symmetric QR algorithm (`syevd`, Golub & Van Loan §8.3.6): eigenvalues only 4n³/3 (the tridiagonal
    reduction), with the eigenvectors about 9n³."""
    return Fraction(9 * n**3) if vectors else Fraction(4 * n**3, 3)


def general_eig_count(n: int, vectors: bool) -> int:
    """The nonsymmetric (Francis) QR algorithm (`geev`, Golub & Van Loan §7.5.6): eigenvalues only 10n³, with the
    eigenvectors 25n³."""
    return 25 * n**3 if vectors else 10 * n**3


def product_count(m: int, k: int, n: int) -> int:
    """An m×k by k×n product: 2k − 1 per element, as the seed convention counts a matrix product."""
    return m * n * (2 * k - 1) if k else 0


def _work(out: Output, *parts: tuple[int, Fraction | int]) -> Work:
    """(matrices, operations per matrix) for each stage of the algorithm: its count over the batch."""
    shape = primary(out)
    return Work(
        WorkKind.LINALG,
        outputs=numel(shape) if isinstance(shape, tuple) else 0,
        operations=sum(count * _whole(per) for count, per in parts),
    )


# --------------------------------------------------------------------------- entries
def _entries(
    qualnames: tuple[str, ...],
    params: str,
    tensors: tuple[str, ...],
    output: Rule,
    work: Cost,
    examples: tuple[Example, ...],
    *,
    names: str | tuple[str, ...] | None = None,
    fields: tuple[str, ...] = (),
    item_dtypes: tuple[str | None, ...] = (),
    dtype: str | None = None,
    result_dtype: Callable[[str], str] | None = None,
    **defaults: Any,
) -> tuple[OpSpec, ...]:
    """One entry per name torch gives the op (`torch.linalg.det`, `torch.det`, `Tensor.det`), each with the example
    of its own spelling (`examples[i]` for `qualnames[i]`; the last one for the rest).

    `params` is the signature the rules read (`A, B, *, left`); `names`, torch's own names for the same parameters
    where they differ (`input, b, rcond, *, driver` for `linalg.lstsq`; one string per qualname, or one for all),
    which keyword arguments must use: aten's schema names, its `self` spelled `input`."""
    spelled = names if isinstance(names, tuple) else (names or params,) * len(qualnames)
    return tuple(
        OpSpec(
            qualname,
            signature(spelled[i], **_renamed_keys(defaults, params, spelled[i])),
            tuple(_renamed_keys(dict.fromkeys(tensors), params, spelled[i])),
            _read_as(output, spelled[i], params),
            _read_as(work, spelled[i], params),
            (examples[min(i, len(examples) - 1)],),
            dtype=dtype,
            result_dtype=result_dtype,
            fields=fields,
            item_dtypes=item_dtypes,
        )
        for i, qualname in enumerate(qualnames)
    )


def _names(params: str) -> list[str]:
    return [name.strip() for name in params.split(",") if name.strip() not in ("*", "/")]


def _renamed_keys(values: dict[str, Any], source: str, target: str) -> dict[str, Any]:
    """`values` keyed by the parameters of `source` re-keyed by those of `target`, position by position."""
    mapping = dict(zip(_names(source), _names(target), strict=True))
    return {mapping[key]: value for key, value in values.items()}


def _read_as(rule: Any, spelled: str, params: str) -> Any:
    """A rule written for `params`, called with arguments bound to torch's `spelled` names."""
    if _names(spelled) == _names(params):
        return rule
    mapping = dict(zip(_names(spelled), _names(params), strict=True))
    return lambda bound, *rest: rule({mapping.get(key, key): value for key, value in bound.items()}, *rest)


def _same_square(what: str, per_matrix: Callable[[int], Fraction | int]) -> tuple[Rule, Cost]:
    """An op whose result has the shape of its square input (`cholesky`, `inv`, `matrix_exp`)."""

    def output(b: Bound) -> Output:
        _square(b[_first(b)], what)
        return b[_first(b)]

    def work(b: Bound, out: Any) -> Work:
        batch, n = _square(b[_first(b)], what)
        return _work(out, (numel(batch), per_matrix(n)))

    return output, work


def _first(b: Bound) -> str:
    """The name of the matrix operand (`A`, `input`, `L`): the first bound argument."""
    return next(iter(b))


def _per_matrix_scalar(what: str, per_matrix: Callable[[int], Fraction | int], outputs: int = 1) -> tuple[Rule, Cost]:
    """An op that reduces each square matrix to a number (`det`) or to `outputs` numbers (`slogdet`'s sign and
    logarithm)."""

    def output(b: Bound) -> Output:
        batch, _ = _square(b[_first(b)], what)
        return batch if outputs == 1 else [batch] * outputs

    def work(b: Bound, out: Any) -> Work:
        batch, n = _square(b[_first(b)], what)
        return _work(out, (numel(batch), per_matrix(n)))

    return output, work


def _info(what: str, rule: Rule) -> Rule:
    """The `_ex` forms: the result and an `info` code per matrix of the input's batch."""

    def output(b: Bound) -> Output:
        batch, _, _ = _matrices(b[_first(b)], what)
        result = rule(b)
        return [*result, batch] if isinstance(result, list) else [result, batch]

    return output


# cholesky, inverse, matrix functions
_CHOLESKY = _same_square("linalg.cholesky", cholesky_count)
_INVERSE = _same_square("linalg.inv", inverse_count)
_CHOLESKY_INVERSE = _same_square("cholesky_inverse", lambda n: 2 * cholesky_count(n))
"""`potri`: the triangular factor's inverse (n³/3) and its product with its transpose (n³/3)."""
_MATRIX_EXP = _same_square("matrix_exp", lambda n: 5 * product_count(n, n, n))
"""torch's degree-18 Taylor evaluation (Bader, Blanes and Casas 2019): 5 matrix products. NB: torch picks a lower
degree (fewer products) for matrices of small norm and squares the result once per halving of a large one: the
values decide, and the count is that of the degree-18 path without squarings."""
_MATRIX_SQRTH = _same_square("linalg.matrix_sqrth", lambda n: symmetric_eig_count(n, True) + 2 * n**3)
"""Eigenvectors V and eigenvalues λ (9n³), then V·diag(√λ)·Vᵀ (an n×n product, 2n³)."""

_DET = _per_matrix_scalar("linalg.det", lambda n: lu_count(n, n))
_SLOGDET = _per_matrix_scalar("linalg.slogdet", lambda n: lu_count(n, n), outputs=2)


def _eigh(vectors: bool) -> tuple[Rule, Cost]:
    def output(b: Bound) -> Output:
        batch, n = _square(b["A"], "linalg.eigh")
        return [(*batch, n), b["A"]] if vectors else (*batch, n)

    def work(b: Bound, out: Any) -> Work:
        batch, n = _square(b["A"], "linalg.eigh")
        return _work(out, (numel(batch), symmetric_eig_count(n, vectors)))

    return output, work


def _eig(vectors: bool) -> tuple[Rule, Cost]:
    def output(b: Bound) -> Output:
        batch, n = _square(b["A"], "linalg.eig")
        return [(*batch, n), b["A"]] if vectors else (*batch, n)

    def work(b: Bound, out: Any) -> Work:
        batch, n = _square(b["A"], "linalg.eig")
        return _work(out, (numel(batch), general_eig_count(n, vectors)))

    return output, work


def _ldl_factor(b: Bound) -> Output:
    batch, n = _square(b["A"], "linalg.ldl_factor")
    return [b["A"], (*batch, n)]


def _ldl_work(b: Bound, out: Any) -> Work:
    batch, n = _square(b["A"], "linalg.ldl_factor")
    return _work(out, (numel(batch), cholesky_count(n)))


# LU
def _lu_factor(b: Bound) -> Output:
    batch, m, n = _matrices(b["A"], "linalg.lu_factor")
    return [b["A"], (*batch, min(m, n))]


def _lu_work(b: Bound, out: Any) -> Work:
    batch, m, n = _matrices(b[_first(b)], "linalg.lu_factor")
    return _work(out, (numel(batch), lu_count(m, n)))


def _lu(b: Bound) -> Output:
    batch, m, n = _matrices(b["A"], "linalg.lu")
    k = min(m, n)
    return [(*batch, m, m), (*batch, m, k), (*batch, k, n)]


def _old_lu(b: Bound) -> Output:
    """`torch.lu(A, pivot, get_infos)`: (LU, pivots), and the infos when asked for."""
    batch, m, n = _matrices(b["A"], "lu")
    result: list[Any] = [b["A"], (*batch, min(m, n))]
    return [*result, batch] if b["get_infos"] else result


def _lu_unpack(b: Bound) -> Output:
    """P (*, m, m), L (*, m, k), U (*, k, n); an empty tensor for what is not unpacked."""
    batch, m, n = _matrices(b["LU_data"], "lu_unpack")
    k = min(m, n)
    permutation = (*batch, m, m) if b["unpack_pivots"] else (0,)
    factors = [(*batch, m, k), (*batch, k, n)] if b["unpack_data"] else [(0,), (0,)]
    return [permutation, *factors]


# solves
def _rhs(a: Shape, rhs: Shape, what: str, left: bool = True, vectors: bool = True) -> tuple[Shape, Shape, int, bool]:
    """The right-hand side of a solve with the square matrices `a`: (the broadcast batch, the result's shape, the
    columns solved for, whether it is a vector). With `vectors`, as in `linalg.solve`, a 1-D B, or a B of A's shape
    without its last dimension, is a batch of vectors; the other solves take matrices only."""
    a_batch, n = _square(a, what)
    if vectors and (len(rhs) == 1 or (len(rhs) == len(a) - 1 and rhs == a[:-1])):
        require(left, f"{what}: Vector broadcasting of the left hand side is not supported for left=False")
        require(rhs[-1] == n, f"{what}: incompatible shapes of A and B ({n}x{n} and {rhs[-1]})")
        batch = _batches(a_batch, rhs[:-1])
        return batch, (*batch, n), 1, True
    rows, columns = _matrix_rhs(rhs, what)
    solved = rows if left else columns
    require(solved == n, f"{what}: incompatible shapes of A and B for the equation "
            f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {rows}x{columns})")  # fmt: skip
    batch = _batches(a_batch, rhs[:-2])
    return batch, (*batch, rows, columns), columns if left else rows, False


def _matrix_rhs(rhs: Shape, what: str) -> tuple[int, int]:
    require(len(rhs) >= 2, f"{what}: B must have at least 2 dimensions, got shape {list(rhs)}")
    return rhs[-2], rhs[-1]


def _solve(matrix: str, rhs: str, what: str, vectors: bool = True) -> Rule:
    """A solve's result: B's shape over the broadcast batch (`vectors`: a vector B is allowed, as in
    `linalg.solve`; the older solves take matrices only)."""

    def output(b: Bound) -> Output:
        return _rhs(b[matrix], b[rhs], what, b.get("left", True), vectors)[1]

    return output


def _solve_work(
    matrix: str,
    rhs: str,
    what: str,
    factor: Callable[[int], Fraction | int] | None,
    substitutions: int,
    vectors: bool = False,
) -> Cost:
    """`factor` the matrix (each of its batch) when the op does (`linalg.solve` factors, `lu_solve` is given the
    factors), then `substitutions` triangular solves for each column of each result."""

    def work(b: Bound, out: Any) -> Work:
        a_batch, n = _square(b[matrix], what)
        batch, _, columns, _ = _rhs(b[matrix], b[rhs], what, b.get("left", True), vectors)
        parts = [(numel(batch), substitutions * triangular_count(n, columns))]
        if factor is not None:
            parts.append((numel(a_batch), factor(n)))
        return _work(out, *parts)

    return work


def _solve_ex(b: Bound) -> Output:
    a_batch, _ = _square(b["A"], "linalg.solve_ex")
    return [_rhs(b["A"], b["B"], "linalg.solve_ex", b["left"])[1], a_batch]


def _triangular_solve(b: Bound) -> Output:
    """`torch.triangular_solve(b, A)`: the solution and A broadcast to the solution's batch."""
    batch, shape, _, _ = _rhs(b["A"], b["input"], "triangular_solve", vectors=False)
    n = b["A"][-1]
    return [shape, (*batch, n, n)]


# least squares
LSTSQ_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def _lstsq_parts(b: Bound) -> tuple[Shape, int, int, int, bool, str]:
    """(broadcast batch, m, n, columns of B, whether B is a batch of vectors, driver). torch takes B as vectors when
    it has one dimension fewer than A."""
    a, rhs = b["A"], b["B"]
    a_batch, m, n = _matrices(a, "linalg.lstsq")
    require(len(rhs) in (len(a), len(a) - 1), "torch.linalg.lstsq: input.dim() must be greater or equal to "
            "other.dim() and (input.dim() - other.dim()) <= 1")  # fmt: skip
    vector = len(rhs) == len(a) - 1
    rows, columns = (rhs[-1], 1) if vector else _matrix_rhs(rhs, "linalg.lstsq")
    require(rows == m, f"linalg.lstsq: A and B must have the same number of rows, got {m} and {rows}")
    driver = b["driver"] or "gelsy"
    require(driver in LSTSQ_DRIVERS, f"linalg.lstsq: parameter `driver` should be one of {LSTSQ_DRIVERS}")
    batch = _batches(a_batch, rhs[:-1] if vector else rhs[:-2])
    return batch, m, n, columns, vector, driver


def _lstsq(b: Bound) -> Output:
    """(solution, residuals, rank, singular_values). `gels` assumes full rank: residuals when m > n. `gelsy` never
    returns them; `gelsd` and `gelss` only when every matrix has full rank, which the values decide. The rank comes
    from every driver but `gels`, the singular values from `gelsd` and `gelss`."""
    batch, m, n, columns, vector, driver = _lstsq_parts(b)
    solution = (*batch, n) if vector else (*batch, n, columns)
    residuals: Any = (0,)
    if m > n and driver == "gels":
        residuals = (*batch, columns)
    elif m > n and driver in ("gelsd", "gelss"):
        residuals = DataDependent((*batch, columns), numel((*batch, columns)))
    rank = (0,) if driver == "gels" else batch
    singular = (*batch, min(m, n)) if driver in ("gelsd", "gelss") else (0,)
    return [solution, residuals, rank, singular]


def _lstsq_work(b: Bound, out: Any) -> Work:
    """QR-based drivers (`gels`, `gelsy`): QR, Qᵀ applied to B, back substitution. SVD-based ones (`gelsd`, `gelss`):
    the thin SVD, Uᵀ·B and V times the scaled result."""
    batch, m, n, columns, _, driver = _lstsq_parts(b)
    k = min(m, n)
    if driver in ("gels", "gelsy"):
        per = qr_count(m, n) + apply_q_count(max(m, n), columns, k, True) + triangular_count(k, columns)
    else:
        per = svd_count(m, n, "thin") + product_count(k, m, columns) + product_count(n, k, columns)
    return _work(out, (numel(batch), per))


# QR and Householder reflectors
QR_MODES = ("reduced", "complete", "r")


def _qr(b: Bound) -> Output:
    batch, m, n = _matrices(b["A"], "linalg.qr")
    mode = b["mode"]
    require(mode in QR_MODES, f"qr received unrecognized mode '{mode}' but expected one of {', '.join(QR_MODES)}")
    k = min(m, n)
    if mode == "complete":
        return [(*batch, m, m), (*batch, m, n)]
    return [(0,) if mode == "r" else (*batch, m, k), (*batch, k, n)]


def _qr_work(b: Bound, out: Any) -> Work:
    """R (`geqrf`), then Q from the reflectors (`orgqr`): its k columns (`reduced`) or all m (`complete`)."""
    batch, m, n = _matrices(b["A"], "linalg.qr")
    k = min(m, n)
    q = {"reduced": form_q_count(m, k, k), "complete": form_q_count(m, m, k), "r": 0}[b["mode"]]
    return _work(out, (numel(batch), qr_count(m, n) + q))


def _geqrf(b: Bound) -> Output:
    batch, m, n = _matrices(b["input"], "geqrf")
    return [b["input"], (*batch, min(m, n))]


def _geqrf_work(b: Bound, out: Any) -> Work:
    batch, m, n = _matrices(b["input"], "geqrf")
    return _work(out, (numel(batch), qr_count(m, n)))


def _householder(b: Bound) -> Output:
    a, tau = b["A"], b["tau"]
    batch, m, n = _matrices(a, "linalg.householder_product")
    require(m >= n, "linalg.householder_product: input.shape[-2] must be greater than or equal to input.shape[-1]")
    require(len(tau) == len(a) - 1 and tau[:-1] == batch, "linalg.householder_product: tau must have the input's "
            f"batch dimensions, got shapes {list(a)} and {list(tau)}")  # fmt: skip
    require(tau[-1] <= n, "linalg.householder_product: input.shape[-1] must be greater than or equal to tau.shape[-1]")
    return a


def _householder_work(b: Bound, out: Any) -> Work:
    batch, m, n = _matrices(b["A"], "linalg.householder_product")
    return _work(out, (numel(batch), form_q_count(m, n, b["tau"][-1])))


def _ormqr(b: Bound) -> Output:
    a, tau, other = b["input"], b["input2"], b["input3"]
    _matrices(a, "ormqr")
    require(len(other) == len(a), f"torch.ormqr: Expected other to have the same number of dimensions as input, but "
            f"got other.ndim equal to {len(other)} and input.ndim is equal to {len(a)}")  # fmt: skip
    require(tau[-1] <= a[-1], "torch.ormqr: tau.shape[-1] must be less than or equal to input.shape[-1]")
    side = other[-2] if b["left"] else other[-1]
    require(side == a[-2], f"torch.ormqr: other.shape[{-2 if b['left'] else -1}] must be equal to input.shape[-2]")
    return other


def _ormqr_work(b: Bound, out: Any) -> Work:
    batch, m, n = _matrices(b["input3"], "ormqr")
    return _work(out, (numel(batch), apply_q_count(m, n, b["input2"][-1], b["left"])))


# SVD and what is built on it
def _svd(b: Bound) -> Output:
    batch, m, n = _matrices(b["A"], "linalg.svd")
    k = min(m, n)
    if b["full_matrices"]:
        return [(*batch, m, m), (*batch, k), (*batch, n, n)]
    return [(*batch, m, k), (*batch, k), (*batch, k, n)]


def _svd_work(b: Bound, out: Any) -> Work:
    batch, m, n = _matrices(b["A"], "linalg.svd")
    return _work(out, (numel(batch), svd_count(m, n, "full" if b["full_matrices"] else "thin")))


def _old_svd(b: Bound) -> Output:
    """`torch.svd`: V rather than Vᴴ; `some=False` or `compute_uv=False` gives square U and V (zeros for the
    latter)."""
    batch, m, n = _matrices(b["input"], "svd")
    k = min(m, n)
    if b["some"] and b["compute_uv"]:
        return [(*batch, m, k), (*batch, k), (*batch, n, k)]
    return [(*batch, m, m), (*batch, k), (*batch, n, n)]


def _old_svd_work(b: Bound, out: Any) -> Work:
    batch, m, n = _matrices(b["input"], "svd")
    vectors = "none" if not b["compute_uv"] else "thin" if b["some"] else "full"
    return _work(out, (numel(batch), svd_count(m, n, vectors)))


def _svdvals(b: Bound) -> Output:
    batch, m, n = _matrices(b["A"], "linalg.svdvals")
    return (*batch, min(m, n))


def _svdvals_work(b: Bound, out: Any) -> Work:
    batch, m, n = _matrices(b["A"], "linalg.svdvals")
    return _work(out, (numel(batch), svd_count(m, n, "none")))


COND_BY_SINGULAR_VALUES = (None, 2, -2)
"""`linalg.cond`'s orders computed from the singular values, for any m×n matrices; the others invert."""


def _cond(b: Bound) -> Output:
    batch, m, n = _matrices(b["A"], "linalg.cond")
    if b["p"] not in COND_BY_SINGULAR_VALUES:
        require(m == n, f"linalg.cond(ord={b['p']}): A must be batches of square matrices, but they are {m} by {n} "
                "matrices")  # fmt: skip
    return batch


def _cond_work(b: Bound, out: Any) -> Work:
    """The ratio of the extreme singular values; for another order, ‖A‖·‖A⁻¹‖: the inverse (2n³), and for the
    nuclear norm the singular values of both."""
    batch, m, n = _matrices(b["A"], "linalg.cond")
    if b["p"] in COND_BY_SINGULAR_VALUES:
        return _work(out, (numel(batch), svd_count(m, n, "none")))
    nuclear = 2 * svd_count(n, n, "none") if b["p"] == "nuc" else 0
    return _work(out, (numel(batch), inverse_count(n) + nuclear))


def _rank(b: Bound) -> Output:
    """One rank per matrix, over the batch broadcast with tolerances given as tensors."""
    batch, _, _ = _matrices(b["A"], "linalg.matrix_rank")
    if b["hermitian"]:
        _square(b["A"], "linalg.matrix_rank")
    return _batches(batch, *_tolerances(b, "A", "tol", "atol", "rtol"))


def _rank_work(b: Bound, out: Any) -> Work:
    """The singular values (the eigenvalues when `hermitian`), which are then compared with the tolerance."""
    batch, m, n = _matrices(b["A"], "linalg.matrix_rank")
    per = symmetric_eig_count(n, False) if b["hermitian"] else svd_count(m, n, "none")
    return _work(out, (numel(batch), per))


def _pinv(matrix: str) -> Rule:
    def output(b: Bound) -> Output:
        batch, m, n = _matrices(b[matrix], "linalg.pinv")
        if b.get("hermitian"):
            _square(b[matrix], "linalg.pinv")
        return (*_batches(batch, *_tolerances(b, matrix, "rcond", "atol", "rtol")), n, m)

    return output


def _pinv_work(matrix: str) -> Cost:
    """The thin SVD of each matrix (its eigendecomposition when `hermitian`), then V·Σ⁺·Uᴴ for each result (an n×k by
    k×m product; the scaling by Σ⁺ is not counted)."""

    def work(b: Bound, out: Any) -> Work:
        batch, m, n = _matrices(b[matrix], "linalg.pinv")
        k = min(m, n)
        factor = symmetric_eig_count(n, True) if b.get("hermitian") else svd_count(m, n, "thin")
        return _work(out, (numel(batch), factor), (numel(out[:-2]), product_count(n, k, m)))

    return work


def _polar(b: Bound) -> Output:
    batch, m, n = _matrices(b["A"], "linalg.polar")
    require(m >= n, f"linalg.polar: input must have at least as many rows as columns, but got {m} by {n} matrices")
    return [b["A"], (*batch, n, n)]


def _polar_work(b: Bound, out: Any) -> Work:
    """As torch computes it on the CPU: the thin SVD, then U = U_A·Vᴴ (m×n by n×n) and H = V·Σ·Vᴴ (n×n by n×n)."""
    batch, m, n = _matrices(b["A"], "linalg.polar")
    return _work(out, (numel(batch), svd_count(m, n, "thin") + product_count(m, n, n) + product_count(n, n, n)))


# tensor forms
def _tensorinv_parts(b: Bound) -> tuple[Shape, int]:
    a, ind = b["A"], b["ind"]
    require(isinstance(ind, int) and ind > 0, f"linalg.tensorinv: expected a strictly positive integer for 'ind', "
            f"but got {ind}")  # fmt: skip
    rows, columns = numel(a[:ind]), numel(a[ind:])
    require(rows == columns, f"linalg.tensorinv: expected prod(A.shape[:ind]) == prod(A.shape[ind:]), but got "
            f"{rows} != {columns}")  # fmt: skip
    return (*a[ind:], *a[:ind]), rows


def _tensorsolve_parts(b: Bound) -> tuple[Shape, int]:
    a, rhs, dims = b["A"], b["B"], b["dims"]
    if dims is not None:
        moved = [d % len(a) for d in (dims if isinstance(dims, (tuple, list)) else (dims,))]
        a = (*(a[d] for d in range(len(a)) if d not in moved), *(a[d] for d in moved))
    result = a[len(rhs) :]
    require(numel(result) == numel(rhs), "linalg.tensorsolve: expected prod(A.shape[B.ndim:]) == "
            f"prod(A.shape[:B.ndim]), but got {numel(result)} != {numel(rhs)}")  # fmt: skip
    require(numel(a[: len(rhs)]) == numel(rhs), f"linalg.tensorsolve: A's first dimensions {list(a[: len(rhs)])} "
            f"do not hold B's {numel(rhs)} elements")  # fmt: skip
    return result, numel(result)


def _tensorinv_work(b: Bound, out: Any) -> Work:
    """The inverse of A viewed as one n×n matrix."""
    return _work(out, (1, inverse_count(_tensorinv_parts(b)[1])))


def _tensorsolve_work(b: Bound, out: Any) -> Work:
    """`linalg.solve` of A viewed as one n×n matrix, for one right-hand side."""
    n = _tensorsolve_parts(b)[1]
    return _work(out, (1, lu_count(n, n) + 2 * triangular_count(n, 1)))


def _vander(b: Bound) -> Output:
    x = b["x"] or (1,)
    columns = x[-1] if b["N"] is None else b["N"]
    require(columns > 1, "N must be greater than 1.")
    return (*x, columns)


def _vander_work(b: Bound, out: Any) -> Work:
    """Powers by a running product: ones, x, then N − 2 multiplications per element of x."""
    columns = out[-1]
    return _work(out, (numel(b["x"] or (1,)), columns - 2))


def _complex_of(dtype: str) -> str:
    return COMPLEX_OF.get(dtype, "complex64")


def _square_example(call: str, shape: Shape) -> str:
    """A well-conditioned operand for ops that need one (the cross-check runs examples on tensors of ones): the
    positive-definite x·xᵀ + I."""
    return f"a = x @ x.mT + torch.eye({shape[-1]}); {call}"


INT = "int32"

# The examples' counts: B matrices × the formula's per-matrix count (rounded), beside each.
SPECS = (
    # 2 × 4³/3 = 2 × 21.33 → 2 × 21
    *_entries(("torch.linalg.cholesky",), "A, *, upper", ("A",), *_CHOLESKY,
              (Example(_square_example("torch.linalg.cholesky(a)", (4, 4)), ((2, 4, 4),), (2, 4, 4), 0, 42, 0),),
              upper=False, names="input, *, upper"),
    *_entries(("torch.linalg.cholesky_ex",), "A, *, upper, check_errors", ("A",), _info("linalg.cholesky_ex",
              _CHOLESKY[0]), _CHOLESKY[1],
              (Example(_square_example("torch.linalg.cholesky_ex(a).L", (4, 4)), ((2, 4, 4),), (2, 4, 4), 0, 42, 0),),
              fields=("L", "info"), item_dtypes=(None, INT), upper=False, check_errors=False,
              names="input, *, upper, check_errors"),
    # 2·5³/3 = 83.33 → 83
    *_entries(("torch.cholesky_inverse", "torch.Tensor.cholesky_inverse"), "input, upper", ("input",),
              *_CHOLESKY_INVERSE,
              (Example("torch.cholesky_inverse(x + 1)", ((5, 5),), (5, 5), 0, 83, 0),
               Example("(x + 1).cholesky_inverse(upper=True)", ((5, 5),), (5, 5), 0, 83, 0)), upper=False),
    # 2 triangular solves: 2 · 4² · 3 over the broadcast batch of 2
    *_entries(("torch.cholesky_solve", "torch.Tensor.cholesky_solve"), "input, input2, upper", ("input", "input2"),
              _solve("input2", "input", "cholesky_solve", vectors=False),
              _solve_work("input2", "input", "cholesky_solve", None, 2),
              (Example("torch.cholesky_solve(x, y)", ((2, 4, 3), (4, 4)), (2, 4, 3), 0, 192, 0),
               Example("x.cholesky_solve(y)", ((4, 3), (4, 4)), (4, 3), 0, 96, 0)), upper=False),
    # 2mn² − 2n³/3 with m = 5, n = 3: 90 − 18 = 72
    *_entries(("torch.geqrf", "torch.Tensor.geqrf"), "input", ("input",), _geqrf, _geqrf_work,
              (Example("torch.geqrf(x).a", ((5, 3),), (5, 3), 0, 72, 0), Example("x.geqrf()[0]", ((5, 3),),
               (5, 3), 0, 72, 0)), fields=("a", "tau")),
    # singular values of 2 matrices 4×3: 4·4·9 − 4·27/3 = 108 each; 'fro' inverts 3×3: 2·27
    *_entries(("torch.linalg.cond",), "A, p", ("A",), _cond, _cond_work,
              (Example("torch.linalg.cond(x)", ((2, 4, 3),), (2,), 0, 216, 0),), p=None, names="input, p"),
    # LU: 2·4³/3 = 42.67 → 43, for 2 matrices
    *_entries(("torch.linalg.det", "torch.det", "torch.Tensor.det"), "A", ("A",), *_DET,
              (Example("torch.linalg.det(x)", ((2, 4, 4),), (2,), 0, 86, 0),
               Example("torch.det(x)", ((4, 4),), (), 0, 43, 0), Example("x.det()", ((4, 4),), (), 0, 43, 0)),
              names=("A", "input", "input")),
    *_entries(("torch.linalg.slogdet", "torch.slogdet", "torch.Tensor.slogdet"), "A", ("A",), *_SLOGDET,
              (Example("torch.linalg.slogdet(x).logabsdet", ((2, 4, 4),), (2,), 0, 86, 0),
               Example("torch.slogdet(x)[1]", ((4, 4),), (), 0, 43, 0),
               Example("x.slogdet().sign", ((4, 4),), (), 0, 43, 0)), fields=("sign", "logabsdet"),
              names=("A", "input", "input")),
    *_entries(("torch.logdet", "torch.Tensor.logdet"), "input", ("input",), *_DET,
              (Example(_square_example("torch.logdet(a)", (4, 4)), ((4, 4),), (), 0, 43, 0),
               Example(_square_example("a.logdet()", (4, 4)), ((4, 4),), (), 0, 43, 0))),
    # eigenvectors: 9·4³ = 576 per matrix; eigenvalues only 4·4³/3 = 85.33 → 85
    *_entries(("torch.linalg.eigh",), "A, UPLO", ("A",), *_eigh(True),
              (Example("torch.linalg.eigh(x).eigenvalues", ((2, 4, 4),), (2, 4), 0, 1152, 0),),
              fields=("eigenvalues", "eigenvectors"), UPLO="L", names="input, UPLO"),
    *_entries(("torch.linalg.eigvalsh",), "A, UPLO", ("A",), *_eigh(False),
              (Example("torch.linalg.eigvalsh(x)", ((2, 4, 4),), (2, 4), 0, 170, 0),), UPLO="L", names="input, UPLO"),
    # the nonsymmetric QR algorithm: 25·3³ with eigenvectors, 10·3³ without
    *_entries(("torch.linalg.eig",), "A", ("A",), *_eig(True),
              (Example("torch.linalg.eig(x)", ((3, 3),), (3,), 0, 675, 0),), fields=("eigenvalues", "eigenvectors"),
              result_dtype=_complex_of, names="input"),
    *_entries(("torch.linalg.eigvals",), "A", ("A",), *_eig(False),
              (Example("torch.linalg.eigvals(x)", ((3, 3),), (3,), 0, 270, 0),), result_dtype=_complex_of,
              names="input"),
    # Q's 3 columns from 2 reflectors of length 5: 4·5·3·2 − 2·8·4 + 4·8/3 = 120 − 64 + 10.67 → 67
    *_entries(("torch.linalg.householder_product", "torch.orgqr", "torch.Tensor.orgqr"), "A, tau", ("A", "tau"),
              _householder, _householder_work,
              (Example("torch.linalg.householder_product(x, y)", ((5, 3), (2,)), (5, 3), 0, 67, 0),
               Example("torch.orgqr(x, y)", ((5, 3), (2,)), (5, 3), 0, 67, 0),
               Example("x.orgqr(y)", ((5, 3), (2,)), (5, 3), 0, 67, 0)),
              names=("input, tau", "input, input2", "input, input2")),
    # 2·4³ = 128 per matrix
    *_entries(("torch.linalg.inv", "torch.inverse", "torch.Tensor.inverse"), "A", ("A",), *_INVERSE,
              (Example(_square_example("torch.linalg.inv(a)", (4, 4)), ((2, 4, 4),), (2, 4, 4), 0, 256, 0),
               Example(_square_example("torch.inverse(a)", (4, 4)), ((4, 4),), (4, 4), 0, 128, 0),
               Example(_square_example("a.inverse()", (4, 4)), ((4, 4),), (4, 4), 0, 128, 0)),
              names=("A", "input", "input")),
    *_entries(("torch.linalg.inv_ex",), "A, *, check_errors", ("A",), _info("linalg.inv_ex", _INVERSE[0]),
              _INVERSE[1],
              (Example(_square_example("torch.linalg.inv_ex(a).inverse", (4, 4)), ((2, 4, 4),), (2, 4, 4), 0, 256,
               0),), fields=("inverse", "info"), item_dtypes=(None, INT), check_errors=False),
    # Bunch–Kaufman: 4³/3 → 21 per matrix
    *_entries(("torch.linalg.ldl_factor",), "A, *, hermitian", ("A",), _ldl_factor, _ldl_work,
              (Example(_square_example("torch.linalg.ldl_factor(a).LD", (4, 4)), ((2, 4, 4),), (2, 4, 4), 0, 42,
               0),), fields=("LD", "pivots"), item_dtypes=(None, INT), hermitian=False, names="input, *, hermitian"),
    *_entries(("torch.linalg.ldl_factor_ex",), "A, *, hermitian, check_errors", ("A",),
              _info("linalg.ldl_factor_ex", _ldl_factor), _ldl_work,
              (Example(_square_example("torch.linalg.ldl_factor_ex(a)[0]", (4, 4)), ((2, 4, 4),), (2, 4, 4), 0, 42,
               0),), fields=("LD", "pivots", "info"), item_dtypes=(None, INT, INT), hermitian=False,
              check_errors=False, names="input, *, hermitian, check_errors"),
    # 2 substitutions: 2·4²·3 = 96
    *_entries(("torch.linalg.ldl_solve",), "LD, pivots, B, *, hermitian", ("LD", "pivots", "B"),
              _solve("LD", "B", "linalg.ldl_solve", vectors=False), _solve_work("LD", "B", "linalg.ldl_solve", None, 2),
              (Example(_square_example("f = torch.linalg.ldl_factor(a); torch.linalg.ldl_solve(f.LD, f.pivots, y)",
                                       (4, 4)), ((4, 4), (4, 3)), (4, 3), 0, 96, 0),), hermitian=False),
    # gelsy on 5×3 with 2 columns: QR 72 + Qᵀ·B 4·5·2·3 − 2·2·9 = 84 + back substitution 9·2 = 18
    *_entries(("torch.linalg.lstsq",), "A, B, rcond, *, driver", ("A", "B"), _lstsq, _lstsq_work,
              (Example("torch.linalg.lstsq(x, y).solution", ((5, 3), (5, 2)), (3, 2), 0, 174, 0),),
              fields=("solution", "residuals", "rank", "singular_values"), item_dtypes=(None, None, "int64", None),
              rcond=None, driver=None, names="input, b, rcond, *, driver"),
    # LU of 5×3: 5·9 − 27/3 = 36
    *_entries(("torch.linalg.lu",), "A, *, pivot", ("A",), _lu, _lu_work,
              (Example("torch.linalg.lu(x).P", ((5, 3),), (5, 5), 0, 36, 0),), fields=("P", "L", "U"), pivot=True),
    *_entries(("torch.linalg.lu_factor",), "A, *, pivot", ("A",), _lu_factor, _lu_work,
              (Example("a = x + torch.eye(5, 3); torch.linalg.lu_factor(a).LU", ((5, 3),), (5, 3), 0, 36, 0),),
              fields=("LU", "pivots"),
              item_dtypes=(None, INT), pivot=True),
    *_entries(("torch.linalg.lu_factor_ex",), "A, *, pivot, check_errors", ("A",),
              _info("linalg.lu_factor_ex", _lu_factor), _lu_work,
              (Example("torch.linalg.lu_factor_ex(x).LU", ((5, 3),), (5, 3), 0, 36, 0),),
              fields=("LU", "pivots", "info"), item_dtypes=(None, INT, INT), pivot=True, check_errors=False),
    *_entries(("torch.lu", "torch.Tensor.lu"), "A, pivot, get_infos", ("A",), _old_lu, _lu_work,
              (Example("torch.lu(x)[0]", ((5, 3),), (5, 3), 0, 36, 0),
               Example("x.lu(get_infos=True)", ((5, 3),), (5, 3), 0, 36, 0)),
              fields=("LU", "pivots", "info"), item_dtypes=(None, INT, INT), pivot=True, get_infos=False),
    # moves elements: no arithmetic
    *_entries(("torch.lu_unpack",), "LU_data, LU_pivots, unpack_data, unpack_pivots", ("LU_data", "LU_pivots"),
              _lu_unpack, lambda b, out: FREE,
              (Example("f = torch.linalg.lu_factor(x + torch.eye(5, 3)); torch.lu_unpack(f.LU, f.pivots).P",
                       ((5, 3),), (5, 5), 0, 0, 0),), fields=("P", "L", "U"), unpack_data=True, unpack_pivots=True),
    # 2 substitutions with a 4×4 factor for 3 columns, 2 batches broadcast: 2 · 2·16·3
    *_entries(("torch.linalg.lu_solve",), "LU, pivots, B, *, left, adjoint", ("LU", "pivots", "B"),
              _solve("LU", "B", "linalg.lu_solve", vectors=False), _solve_work("LU", "B", "linalg.lu_solve", None, 2),
              (Example(_square_example("f = torch.linalg.lu_factor(a); torch.linalg.lu_solve(f.LU, f.pivots, y)",
                                       (4, 4)), ((4, 4), (2, 4, 3)), (2, 4, 3), 0, 192, 0),), left=True, adjoint=False),
    *_entries(("torch.lu_solve", "torch.Tensor.lu_solve"), "input, LU_data, LU_pivots", ("input", "LU_data",
              "LU_pivots"), _solve("LU_data", "input", "lu_solve", vectors=False),
              _solve_work("LU_data", "input", "lu_solve", None, 2),
              (Example(_square_example("f = torch.linalg.lu_factor(a); torch.lu_solve(y, f.LU, f.pivots)", (4, 4)),
                       ((4, 4), (4, 3)), (4, 3), 0, 96, 0),
               Example(_square_example("f = torch.linalg.lu_factor(a); y.lu_solve(f.LU, f.pivots)", (4, 4)),
                       ((4, 4), (4, 3)), (4, 3), 0, 96, 0))),
    # singular values of 2 matrices 4×3 (108 each), compared with the tolerance
    *_entries(("torch.linalg.matrix_rank",), "A, tol, hermitian, *, atol, rtol", ("A", "tol", "atol", "rtol"),
              _rank, _rank_work, (Example("torch.linalg.matrix_rank(x)", ((2, 4, 3),), (2,), 0, 216, 0),),
              dtype="int64", tol=None, hermitian=False, atol=None, rtol=None,
              names="input, tol, hermitian, *, atol, rtol"),
    # 9·4³ + 2·4³ = 704
    *_entries(("torch.linalg.matrix_sqrth",), "A", ("A",), *_MATRIX_SQRTH,
              (Example(_square_example("torch.linalg.matrix_sqrth(a)", (4, 4)), ((4, 4),), (4, 4), 0, 704, 0),),
              names="input"),
    # 5 products of 3×3 matrices: 5·9·5 = 225
    *_entries(("torch.linalg.matrix_exp", "torch.matrix_exp", "torch.Tensor.matrix_exp"), "A", ("A",), *_MATRIX_EXP,
              (Example("torch.linalg.matrix_exp(x)", ((3, 3),), (3, 3), 0, 225, 0),
               Example("torch.matrix_exp(x)", ((2, 3, 3),), (2, 3, 3), 0, 450, 0),
               Example("x.matrix_exp()", ((3, 3),), (3, 3), 0, 225, 0)), names="input"),
    # k reflectors applied from the left to a 5×4 matrix: 4·5·4·3 − 2·4·9 = 168
    *_entries(("torch.ormqr", "torch.Tensor.ormqr"), "input, input2, input3, left, transpose",
              ("input", "input2", "input3"), _ormqr, _ormqr_work,
              (Example("torch.ormqr(x, y, z)", ((5, 3), (3,), (5, 4)), (5, 4), 0, 168, 0),
               Example("x.ormqr(y, z, left=False)", ((5, 3), (3,), (4, 5)), (4, 5), 0, 4 * 4 * 5 * 3 - 2 * 4 * 9, 0)),
              left=True, transpose=False),
    # thin SVD of 5×3: 14·5·9 + 8·27 = 846; then a 3×3 by 3×5 product: 15·5 = 75
    *_entries(("torch.linalg.pinv",), "A, rcond, hermitian, *, atol, rtol", ("A", "rcond", "atol", "rtol"),
              _pinv("A"), _pinv_work("A"), (Example("torch.linalg.pinv(x)", ((5, 3),), (3, 5), 0, 921, 0),),
              rcond=None, hermitian=False, atol=None, rtol=None, names="input, rcond, hermitian, *, atol, rtol"),
    *_entries(("torch.pinverse", "torch.Tensor.pinverse"), "input, rcond", ("input",), _pinv("input"),
              _pinv_work("input"),
              (Example("torch.pinverse(x)", ((5, 3),), (3, 5), 0, 921, 0),
               Example("x.pinverse()", ((5, 3),), (3, 5), 0, 921, 0)), rcond=1e-15),
    # thin SVD 846, U·Vᴴ 5·3·5 = 75, V·Σ·Vᴴ 3·3·5 = 45
    *_entries(("torch.linalg.polar",), "A", ("A",), _polar, _polar_work,
              (Example("torch.linalg.polar(x).U", ((5, 3),), (5, 3), 0, 966, 0),), fields=("U", "H")),
    # R: 72; the thin Q from 3 reflectors: 4·5·3·3 − 2·8·9 + 4·27/3 = 180 − 144 + 36 = 72
    *_entries(("torch.linalg.qr",), "A, mode", ("A",), _qr, _qr_work,
              (Example("torch.linalg.qr(x).Q", ((5, 3),), (5, 3), 0, 144, 0),), fields=("Q", "R"), mode="reduced"),
    # LU of 4×4 (43), then 2 substitutions for 3 columns (96), for each of 2 matrices
    *_entries(("torch.linalg.solve",), "A, B, *, left", ("A", "B"), _solve("A", "B", "linalg.solve"),
              _solve_work("A", "B", "linalg.solve", lambda n: lu_count(n, n), 2, vectors=True),
              (Example(_square_example("torch.linalg.solve(a, y)", (4, 4)), ((2, 4, 4), (2, 4, 3)), (2, 4, 3), 0,
                       278, 0),), left=True),
    *_entries(("torch.linalg.solve_ex",), "A, B, *, left, check_errors", ("A", "B"), _solve_ex,
              _solve_work("A", "B", "linalg.solve_ex", lambda n: lu_count(n, n), 2, vectors=True),
              (Example(_square_example("torch.linalg.solve_ex(a, y).result", (4, 4)), ((4, 4), (4,)), (4,), 0,
                       43 + 32, 0),), fields=("result", "info"), item_dtypes=(None, INT), left=True,
              check_errors=False),
    # one substitution: 4²·3 = 48
    *_entries(("torch.linalg.solve_triangular",), "A, B, *, upper, left, unitriangular", ("A", "B"),
              _solve("A", "B", "linalg.solve_triangular", vectors=False),
              _solve_work("A", "B", "linalg.solve_triangular", None, 1),
              (Example("torch.linalg.solve_triangular(x, y, upper=True)", ((4, 4), (4, 3)), (4, 3), 0, 48, 0),),
              left=True, unitriangular=False, names="input, B, *, upper, left, unitriangular"),
    *_entries(("torch.triangular_solve", "torch.Tensor.triangular_solve"), "input, A, upper, transpose, unitriangular",
              ("input", "A"), _triangular_solve, _solve_work("A", "input", "triangular_solve", None, 1),
              (Example("torch.triangular_solve(x, y).solution", ((4, 3), (4, 4)), (4, 3), 0, 48, 0),
               Example("x.triangular_solve(y)[0]", ((2, 4, 3), (4, 4)), (2, 4, 3), 0, 96, 0)),
              fields=("solution", "cloned_coefficient"), upper=True, transpose=False, unitriangular=False),
    # 5×3, full U: 4·25·3 + 8·5·9 + 9·27 = 300 + 360 + 243 = 903
    *_entries(("torch.linalg.svd",), "A, full_matrices, *, driver", ("A",), _svd, _svd_work,
              (Example("torch.linalg.svd(x).U", ((5, 3),), (5, 5), 0, 903, 0),), fields=("U", "S", "Vh"),
              full_matrices=True, driver=None),
    # thin: 14·5·9 + 8·27 = 846
    *_entries(("torch.svd", "torch.Tensor.svd"), "input, some, compute_uv", ("input",), _old_svd, _old_svd_work,
              (Example("torch.svd(x).U", ((5, 3),), (5, 3), 0, 846, 0),
               Example("x.svd(compute_uv=False)[0]", ((5, 3),), (5, 5), 0, 144, 0)), fields=("U", "S", "V"),
              some=True, compute_uv=True),
    # 4·5·9 − 4·27/3 = 144
    *_entries(("torch.linalg.svdvals",), "A, *, driver", ("A",), _svdvals, _svdvals_work,
              (Example("torch.linalg.svdvals(x)", ((5, 3),), (3,), 0, 144, 0),), driver=None),
    # a 6×6 inverse: 2·216
    *_entries(("torch.linalg.tensorinv",), "A, ind", ("A",), lambda b: _tensorinv_parts(b)[0], _tensorinv_work,
              (Example("torch.linalg.tensorinv((x + torch.eye(6)).reshape(2, 3, 6), ind=2)", ((6, 6),), (6, 2, 3),
                       0, 432, 0),), ind=2, names="input, ind"),
    # a 6×6 solve: LU 2·216/3 = 144, 2 substitutions 72
    *_entries(("torch.linalg.tensorsolve",), "A, B, dims", ("A", "B"), lambda b: _tensorsolve_parts(b)[0],
              _tensorsolve_work,
              (Example("torch.linalg.tensorsolve((x + torch.eye(6)).reshape(2, 3, 6), y)",
                       ((6, 6), (2, 3)), (6,), 0, 216, 0),), dims=None, names="input, other, dims"),
    # 2·3 elements, each with 4 − 2 products
    *_entries(("torch.linalg.vander",), "x, *, N", ("x",), _vander, _vander_work,
              (Example("torch.linalg.vander(x, N=4)", ((2, 3),), (2, 3, 4), 0, 12, 0),), N=None),
)  # fmt: skip
