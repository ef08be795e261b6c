"""`[tool.staticflops]` in `pyproject.toml`, merged with command-line options.

The file is found by walking up from the analyzed files, as ruff does. Keys mirror the CLI
options in kebab-case; `[[tool.staticflops.models]]` tables give per-model settings:

    [tool.staticflops]
    convention = "seed"
    max-layer-flops = "500M"
    max-model-params = "25M"

    [[tool.staticflops.models]]
    file = "models/resnet.py"
    model = "resnet50()"
    input-shape = "1,3,224,224"
    max-model-flops = "9G"

Command-line options override the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from staticflops.diagnostics import SF006, Diagnostic
from staticflops.errors import StaticFlopsError
from staticflops.guard import CONFIG_KEYS

UNITS = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}
BUDGET_KEYS = ("max-layer-flops", "max-layer-params", "max-model-flops", "max-model-params")


def parse_amount(text: str | int | float, what: str = "value") -> int:
    """`500M`, `1.5G`, `25_000_000`, `4 GFLOPs` → an integer."""
    if isinstance(text, bool):
        raise StaticFlopsError(Diagnostic(SF006, f"{what}: expected a number such as 500M, got {text!r}"))
    if isinstance(text, (int, float)):
        return int(text)
    match = re.fullmatch(r"\s*([0-9][0-9_]*(?:\.[0-9]+)?)\s*([KMGT]?)(?:FLOPs?|MACs?|params)?\s*", text, re.IGNORECASE)
    if match is None:
        raise StaticFlopsError(
            Diagnostic(SF006, f"{what}: cannot read '{text}'; write a number with an optional K, M, G or T")
        )
    number, unit = match.groups()
    return round(float(number.replace("_", "")) * UNITS[unit.upper()])


@dataclass(frozen=True)
class Budgets:
    """Limits a check enforces; None means no limit."""

    layer_flops: int | None = None
    layer_params: int | None = None
    model_flops: int | None = None
    model_params: int | None = None

    def merged(self, other: Budgets) -> Budgets:
        """`other`'s limits where it sets them, ours elsewhere."""
        return Budgets(**{
            name: getattr(other, name) if getattr(other, name) is not None else getattr(self, name)
            for name in ("layer_flops", "layer_params", "model_flops", "model_params")
        })  # fmt: skip

    @classmethod
    def from_table(cls, table: dict[str, Any], where: str) -> Budgets:
        values = {
            key.removeprefix("max-").replace("-", "_"): parse_amount(table[key], f"{where}: {key}")
            for key in BUDGET_KEYS
            if key in table
        }
        return cls(**values)


@dataclass(frozen=True)
class ModelConfig:
    file: str
    model: str | None = None
    input_shape: str | None = None
    budgets: Budgets = field(default_factory=Budgets)


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    """The pyproject.toml read, if any."""
    convention: str | None = None
    input_shape: str | None = None
    budgets: Budgets = field(default_factory=Budgets)
    models: tuple[ModelConfig, ...] = ()
    process_limits: dict[str, int] = field(default_factory=dict)
    """`max-memory` / `max-cpu-seconds`, as `guard.ProcessLimits` fields."""

    def for_file(self, file: Path) -> list[ModelConfig]:
        """The [[tool.staticflops.models]] entries that name `file` (paths relative to pyproject.toml)."""
        if self.path is None:
            return []
        root = self.path.parent
        resolved = file.resolve()
        return [entry for entry in self.models if (root / entry.file).resolve() == resolved]


KNOWN_KEYS = frozenset({"convention", "input-shape", "models", *BUDGET_KEYS, *CONFIG_KEYS})
MODEL_KEYS = frozenset({"file", "model", "input-shape", *BUDGET_KEYS})


def find_pyproject(start: Path) -> Path | None:
    directory = start.resolve()
    if directory.is_file():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        path = candidate / "pyproject.toml"
        if path.is_file():
            return path
    return None


def load_config(start: Path) -> Config:
    """The configuration that applies to `start`; an empty one when no pyproject.toml has a [tool.staticflops]."""
    path = find_pyproject(start)
    if path is None:
        return Config()
    import tomllib  # most runs find no pyproject.toml: not imported for them (2 ms of every start-up)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise StaticFlopsError(Diagnostic(SF006, f"cannot read {path}: {exc}", str(path))) from None
    table = data.get("tool", {}).get("staticflops")
    if table is None:
        return Config()
    where = f"{path} [tool.staticflops]"
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise StaticFlopsError(Diagnostic(SF006, f"{where}: unknown key(s) {', '.join(unknown)}", str(path)))
    models = []
    for index, entry in enumerate(table.get("models", [])):
        entry_where = f"{path} [[tool.staticflops.models]] #{index + 1}"
        unknown = sorted(set(entry) - MODEL_KEYS)
        if unknown or "file" not in entry:
            problem = f"unknown key(s) {', '.join(unknown)}" if unknown else "'file' is required"
            raise StaticFlopsError(Diagnostic(SF006, f"{entry_where}: {problem}", str(path)))
        models.append(
            ModelConfig(
                file=str(entry["file"]),
                model=entry.get("model"),
                input_shape=entry.get("input-shape"),
                budgets=Budgets.from_table(entry, entry_where),
            )
        )
    process_limits = {}
    for key, limit in CONFIG_KEYS.items():
        if key in table:
            if not isinstance(table[key], int) or isinstance(table[key], bool) or table[key] < 0:
                raise StaticFlopsError(Diagnostic(SF006, f"{where}: {key} must be a whole number", str(path)))
            process_limits[limit] = table[key]
    return Config(
        path=path,
        convention=table.get("convention"),
        input_shape=table.get("input-shape"),
        budgets=Budgets.from_table(table, where),
        models=tuple(models),
        process_limits=process_limits,
    )
