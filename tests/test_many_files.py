"""Runs over many files: a package directory named whole, its `__init__.py` importing the modules
that are named too. Every file's models are found whatever the order, and `--jobs 2` prints exactly
what `--jobs 1` does (results cross the process boundary as plain data)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from staticflops import analyze, progress
from staticflops.results import FileDone
from tests.conftest import ROOT

PACKAGE = {
    "__init__.py": "from .blocks import Block\nfrom .nets import Net, TinyAttention\n",
    "blocks.py": (
        "import torch.nn as nn\n\n\nclass Block(nn.Module):\n    def __init__(self, c=8):\n        super().__init__()\n"
        "        self.conv = nn.Conv2d(c, c, 3, padding=1)\n\n    def forward(self, x):\n        return self.conv(x)\n"
    ),
    "nets.py": (
        "import torch.nn as nn\n\nfrom .blocks import Block\n\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.stem = nn.Conv2d(3, 8, 3, padding=1)\n"
        "        self.block = Block()\n\n"
        "    def forward(self, x):\n        return self.block(self.stem(x))\n\n\n"
        "class TinyAttention(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.attn = nn.MultiheadAttention(16, 2, batch_first=True)\n\n"
        "    def forward(self, x):\n        return self.attn(x, x, x)[0]\n"
    ),
}


def write_package(root: Path) -> list[Path]:
    package = root / "zoo"
    package.mkdir()
    for name, text in PACKAGE.items():
        (package / name).write_text(text)
    return sorted(package.glob("*.py"))  # `__init__.py` first, as a shell's glob gives it


def test_a_module_the_package_init_imported_still_has_its_models(tmp_path: Path) -> None:
    files = write_package(tmp_path)
    analysis = analyze(files, inputs=[(1, 3, 8, 8)], jobs=1)
    by_file = {Path(result.path).name: [model.name for model in result.models] for result in analysis.files}
    assert by_file == {"__init__.py": [], "blocks.py": ["Block"], "nets.py": ["Net", "TinyAttention"]}
    assert all(str(model.file).startswith(str(tmp_path)) for model in analysis.models)


def run_json(files: list[str], jobs: int, cwd: Path) -> str:
    command = [sys.executable, "-m", "staticflops", *files, "--format", "json", "--jobs", str(jobs), "--no-cache"]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)}, timeout=600)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return done.stdout


def test_two_jobs_print_what_one_job_prints(tmp_path: Path) -> None:
    files = [str(path.relative_to(tmp_path)) for path in write_package(tmp_path)]
    assert run_json(files, 2, tmp_path) == run_json(files, 1, tmp_path)


def test_workers_loading_stored_trees_print_what_parsing_printed(tmp_path: Path) -> None:
    """The parsed-tree cache across `--jobs 2` workers: the first run's workers store every tree, the
    second's load them (`--output` runs are never replayed whole), and the reports are the same."""
    files = [str(path.relative_to(tmp_path)) for path in write_package(tmp_path)]
    env = {"PYTHONPATH": str(ROOT), "STATICFLOPS_CACHE_DIR": str(tmp_path / "cache")}
    reports: list[str] = []
    stored: list[dict[str, int]] = []
    for run in ("parsed", "loaded"):
        report = tmp_path / f"{run}.json"
        command = [sys.executable, "-m", "staticflops", *files, "-f", "json", "--jobs", "2", "-o", str(report)]
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode in (0, 1), done.stderr[-2000:]  # 1: TinyAttention's input is not inferred
        reports.append(report.read_text())
        stored.append({path.name: path.stat().st_mtime_ns for path in (tmp_path / "cache" / "trees").iterdir()})
    assert len(stored[0]) == 3 and stored[1] == stored[0]  # loaded, none parsed and stored again
    assert reports[0] == reports[1]


@pytest.mark.slow
def test_torchvision_models_directory_in_parallel_equals_serial(tmp_path: Path) -> None:
    """The whole of torchvision's `models/` (86 models; its wheel fetched with `pip download`, as the
    benchmarks do): once crashed in `--jobs 2` on pickling, and lost every module `__init__.py` imported."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import torchvision_suite
    finally:
        sys.path.pop(0)
    models = torchvision_suite.fetch_sources() / "torchvision" / "models"
    files = sorted(str(path) for path in models.glob("*.py"))
    serial = run_json(files, 1, tmp_path)
    assert run_json(files, 2, tmp_path) == serial
    import json

    assert len(json.loads(serial)["models"]) >= 80


def test_a_module_first_imported_while_building_does_not_change_the_model(tmp_path: Path) -> None:
    """`helpers.py` reads an environment variable at its top level (an SF304 assumption). Whether it is
    first imported by `b.py`'s top level or inside `a.py`'s constructor, `A` is the same model: the
    module's assumptions are the module's, not the model's."""
    (tmp_path / "helpers.py").write_text('import os\n\nWIDTH = int(os.environ.get("WIDTH", "8"))\n')
    (tmp_path / "a.py").write_text(
        "import torch.nn as nn\n\n\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        from helpers import WIDTH\n\n        self.fc = nn.Linear(4, WIDTH)\n\n"
        "    def forward(self, x):\n        return self.fc(x)\n"
    )
    (tmp_path / "b.py").write_text("import helpers\n")
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    first = analyze([a, b], inputs=[(1, 4)], jobs=1)
    later = analyze([b, a], inputs=[(1, 4)], jobs=1)
    (model,) = first.models
    assert (model.params, model.assumptions) == (4 * 8 + 8, [])
    assert [(m.params, m.flops, m.assumptions) for m in later.models] == [(40, model.flops, [])]
    assert [d.format() for d in first.diagnostics] == [d.format() for d in later.diagnostics]


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_hears_of_every_file_with_its_models(tmp_path: Path, jobs: int) -> None:
    files = write_package(tmp_path)
    heard: list[FileDone] = []
    analyze(files, inputs=[(1, 3, 8, 8)], jobs=jobs, progress=heard.append)
    assert sorted(heard, key=lambda done: done.path) == [
        FileDone(str(files[0]), 0),
        FileDone(str(files[1]), 1),
        FileDone(str(files[2]), 2),
    ]


def test_the_progress_bar_is_only_for_a_person_at_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert progress.wanted(Terminal(), {"TERM": "xterm-256color"}, files=40)
    assert not progress.wanted(Terminal(), {"TERM": "xterm-256color"}, files=1)
    assert not progress.wanted(Terminal(), {"TERM": "xterm", "CI": "true"}, files=40)
    assert not progress.wanted(Terminal(), {"TERM": "dumb"}, files=40)
    assert not progress.wanted(io.StringIO(), {"TERM": "xterm"}, files=40)  # a pipe or a file
