"""Two revisions → paired models → deltas: what `staticflops diff` reports.

Revisions are read with `git archive` into a temporary directory: nothing is checked out and
the working tree is never touched. HEAD defaults to the working tree itself. Files are paired
as git pairs them (renames followed), models by name, layers by module path.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from staticflops.api import analyze
from staticflops.catalog import Shape
from staticflops.config import load_config
from staticflops.conventions import Convention
from staticflops.diagnostics import SF002, Diagnostic
from staticflops.errors import StaticFlopsError
from staticflops.results import Analysis, LayerResult, ModelResult
from staticflops.source.libraries import Libraries, find_libraries

if TYPE_CHECKING:
    from staticflops.source.trees import TreeCache

WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Cost:
    params: int
    flops: int


@dataclass
class LayerChange:
    path: str
    type: str
    status: str
    """added, removed, changed or unchanged"""
    line: int
    base: Cost | None
    head: Cost | None


@dataclass
class ModelChange:
    file: str
    """The file at head (at base for a removed model), relative to the repository."""
    name: str
    status: str
    """added, removed, changed or unchanged"""
    base: Cost | None
    head: Cost | None
    line: int = 0
    base_file: str | None = None
    layers: list[LayerChange] = field(default_factory=list)
    incomplete: bool = False
    """Some figure is a lower bound on either side."""

    def delta(self) -> Cost:
        base = self.base or Cost(0, 0)
        head = self.head or Cost(0, 0)
        return Cost(head.params - base.params, head.flops - base.flops)


@dataclass
class Diff:
    base: str
    head: str
    convention: Convention
    models: list[ModelChange]
    diagnostics: list[Diagnostic]


def git(repo: Path, *args: str, binary: bool = False) -> str | bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True, text=not binary)
    except FileNotFoundError:
        raise StaticFlopsError(
            Diagnostic(SF002, "git is not installed; `staticflops diff` reads revisions with it")
        ) from None
    except subprocess.CalledProcessError as exc:
        message = (exc.stderr if isinstance(exc.stderr, str) else exc.stderr.decode(errors="replace")).strip()
        raise StaticFlopsError(Diagnostic(SF002, f"git {' '.join(args[:2])}: {message}")) from None
    return done.stdout


def changed_files(
    repo: Path, base: str, head: str | None, paths: Sequence[str]
) -> list[tuple[str, str | None, str | None]]:
    """(status, path at base, path at head) of each changed Python file; renames as one entry."""
    revisions = [base] if head is None else [base, head]
    output = git(repo, "diff", "--name-status", "-M", "--no-color", *revisions, "--", *(paths or ["*.py"]))
    changes = []
    for line in str(output).splitlines():
        fields = line.split("\t")
        status = fields[0][0]
        if status == "R":
            old, new = fields[1], fields[2]
        elif status == "A":
            old, new = None, fields[1]
        elif status == "D":
            old, new = fields[1], None
        else:
            old = new = fields[1]
        if (old or new or "").endswith(".py"):
            changes.append((status, old, new))
    return changes


def configured_files(repo: Path) -> list[str]:
    """The model files `[[tool.staticflops.models]]` in the repository's pyproject.toml names, if any."""
    config = load_config(repo / "pyproject.toml") if (repo / "pyproject.toml").is_file() else None
    if config is None or config.path is None:
        return []
    base = config.path.parent
    return sorted({str((base / entry.file).relative_to(repo)) for entry in config.models})


def extract(repo: Path, revision: str, into: Path) -> Path:
    """The tree of `revision`, written under `into` (git archive: no checkout)."""
    data = git(repo, "archive", "--format=tar", revision, binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:  # type: ignore[arg-type]
        archive.extractall(into, filter="data")
    return into


def _costs(model: ModelResult) -> dict[str, tuple[LayerResult, Cost]]:
    """Per module path: the layer (first call) and its params and FLOPs summed over its calls."""
    found: dict[str, tuple[LayerResult, Cost]] = {}
    for layer in model.layers:
        if layer.path in found:
            first, cost = found[layer.path]
            found[layer.path] = (first, Cost(cost.params, cost.flops + (layer.flops or 0)))
        else:
            found[layer.path] = (layer, Cost(layer.params, layer.flops or 0))
    return found


def compare_models(file: str, base: ModelResult | None, head: ModelResult | None, base_file: str | None) -> ModelChange:
    base_cost = None if base is None else Cost(base.params, base.flops)
    head_cost = None if head is None else Cost(head.params, head.flops)
    status = "added" if base is None else "removed" if head is None else "changed"
    change = ModelChange(
        file,
        (head or base).name,
        status,
        base_cost,
        head_cost,  # type: ignore[union-attr]
        line=(head or base).line,
        base_file=base_file,
    )  # type: ignore[union-attr]
    change.incomplete = any(m is not None and not (m.params_complete and m.flops_complete) for m in (base, head))
    before = _costs(base) if base is not None else {}
    after = _costs(head) if head is not None else {}
    for path in [*after, *(p for p in before if p not in after)]:
        old, new = before.get(path), after.get(path)
        layer = (new or old)[0]  # type: ignore[index]
        if old is None:
            layer_status = "added"
        elif new is None:
            layer_status = "removed"
        else:
            same = old[1] == new[1] and old[0].type == new[0].type  # a reviewer cares about cost, not views
            layer_status = "unchanged" if same else "changed"
        change.layers.append(
            LayerChange(
                path,
                layer.type,
                layer_status,
                layer.line,
                None if old is None else old[1],
                None if new is None else new[1],
            )
        )
    if (
        base is not None
        and head is not None
        and all(layer.status == "unchanged" for layer in change.layers)
        and base_cost == head_cost
    ):
        change.status = "unchanged"
    return change


def _analyze(
    path: Path, inputs: list[Shape] | None, convention: Convention, libraries: Libraries, trees: TreeCache | None
) -> Analysis | Diagnostic:
    try:
        return analyze([path], inputs=inputs, convention=convention, libraries=libraries, trees=trees)
    except StaticFlopsError as error:
        return error.diagnostic


def diff(
    base: str,
    head: str | None = None,
    paths: Sequence[str] = (),
    *,
    repo: Path | None = None,
    inputs: list[Shape] | None = None,
    convention: Convention = Convention.SEED,
    site_packages: bool = True,
    python: str | None = None,
    trees: TreeCache | None = None,
) -> Diff:
    """Both revisions' imports of installed libraries read the same environment (`site_packages`
    and `python` as for `analyze`): a diff shows what the change did, not what the environment did.
    With `trees` (as for `analyze`), a file both revisions hold unchanged is parsed once."""
    libraries = find_libraries(site_packages, python)
    repo = Path(str(git(repo or Path.cwd(), "rev-parse", "--show-toplevel")).strip())
    if not paths:
        paths = configured_files(repo)
    base_commit = str(git(repo, "rev-parse", "--verify", f"{base}^{{commit}}")).strip()
    head_commit = None if head is None else str(git(repo, "rev-parse", "--verify", f"{head}^{{commit}}")).strip()
    changes = changed_files(repo, base_commit, head_commit, paths)
    models: list[ModelChange] = []
    diagnostics: list[Diagnostic] = []
    with tempfile.TemporaryDirectory(prefix="staticflops-diff-") as scratch:
        base_root = extract(repo, base_commit, Path(scratch) / "base") if changes else Path(scratch)
        head_root = repo if head_commit is None else extract(repo, head_commit, Path(scratch) / "head")
        for _, old, new in changes:
            before = _analyze(base_root / old, inputs, convention, libraries, trees) if old else None
            after = _analyze(head_root / new, inputs, convention, libraries, trees) if new else None
            for side in (before, after):
                if isinstance(side, Diagnostic):
                    diagnostics.append(side)
                elif side is not None:
                    diagnostics.extend(
                        _relative(d, base_root if side is before else head_root) for d in side.diagnostics
                    )
            before_models = {m.name: m for m in before.models} if isinstance(before, Analysis) else {}
            after_models = {m.name: m for m in after.models} if isinstance(after, Analysis) else {}
            names = [*after_models, *(n for n in before_models if n not in after_models)]
            for name in names:
                models.append(
                    compare_models(
                        new or old or "", before_models.get(name), after_models.get(name), old if old != new else None
                    )
                )
    return Diff(base, head or WORKING_TREE, convention, models, diagnostics)


def _relative(diagnostic: Diagnostic, root: Path) -> Diagnostic:
    if diagnostic.file is None:
        return diagnostic
    try:
        file = str(Path(diagnostic.file).resolve().relative_to(root.resolve()))
    except ValueError:
        return diagnostic
    return Diagnostic(diagnostic.code, diagnostic.message, file, diagnostic.line, diagnostic.column)


def relative_change(before: int, after: int) -> float | None:
    return None if before == 0 else (after - before) / before
