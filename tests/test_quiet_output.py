"""What a run prints on stderr: the diagnostics of the files the user named and those that change the
numbers; assumptions inside other code are counted in one line (`--verbose` lists them), and the same
message met again in one file prints once with the other lines. JSON keeps everything."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from staticflops.cli import app
from staticflops.diagnostics import SF304, SF305, SF307, Diagnostic
from staticflops.report import notes

LIBRARY = """
import os
import torch.nn as nn

_FUSED = os.environ.get("LIB_FUSED", "0") == "1"
_PROBE_A = os.environ.get("LIB_A") is not None
_PROBE_B = os.environ.get("LIB_B") is not None
REGISTRY = {}["missing"]


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return self.conv(x)
"""

USER = """
import torch.nn as nn
from lib import Block


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.block = Block(8)

    def forward(self, x):
        return self.block(self.stem(x))
"""


def write(tmp_path: Path) -> Path:
    (tmp_path / "lib.py").write_text(LIBRARY)
    model = tmp_path / "net.py"
    model.write_text(USER)
    return model


def run(*args: str) -> tuple[str, str, int]:
    result = CliRunner().invoke(app, ["analyze", *args, "--no-cache"])
    return result.stdout, result.stderr, result.exit_code


def test_notes_from_files_not_named_are_counted_in_one_line(tmp_path: Path) -> None:
    model = write(tmp_path)
    _, stderr, code = run(str(model))
    assert code == 0
    lines = stderr.splitlines()
    # the input-shape assumption is the named file's; the three environment probes and the failing
    # registry line are lib.py's
    assert [line.split(": ")[1].split()[0] for line in lines[:-1]] == ["SF304"]
    assert lines[0].startswith(f"{model}:")
    assert lines[-1].startswith("staticflops: 4 notes from 1 file not named on the command line left out")


def test_verbose_lists_every_note(tmp_path: Path) -> None:
    model = write(tmp_path)
    _, stderr, _ = run(str(model), "--verbose")
    library = [line for line in stderr.splitlines() if line.startswith(str(tmp_path / "lib.py"))]
    assert len(library) == 4
    assert not any(line.startswith("staticflops:") for line in stderr.splitlines())


def test_json_keeps_every_diagnostic(tmp_path: Path) -> None:
    model = write(tmp_path)
    stdout, _, _ = run(str(model), "--format", "json")
    library = [d for d in json.loads(stdout)["diagnostics"] if d["file"] == str(tmp_path / "lib.py")]
    assert sorted(d["code"] for d in library) == ["SF304", "SF304", "SF304", "SF307"]


def test_naming_the_library_file_shows_its_notes(tmp_path: Path) -> None:
    model = write(tmp_path)
    _, stderr, _ = run(str(model), str(tmp_path / "lib.py"))
    assert not any(line.startswith("staticflops:") for line in stderr.splitlines())


def test_warnings_elsewhere_are_shown_and_repeats_collapse() -> None:
    message = "'torch.frobnicate' is not in the catalog"
    unknown_op = [Diagnostic(SF305, message, "lib.py", line, 4) for line in (3, 9, 12)]
    probe = [Diagnostic(SF304, "condition unknown; assumed true", "lib.py", line, 0) for line in (5, 6)]
    failed = Diagnostic(SF307, "module-level code raised KeyError", "lib.py", 20, 0)
    text = notes.render([*unknown_op, *probe, failed], named={"net.py"}, in_models=unknown_op)
    assert text.splitlines() == [
        "lib.py:3:5: SF305 [unknown-op] 'torch.frobnicate' is not in the catalog (×3: also lines 9, 12)",
        "staticflops: 3 notes from 1 file not named on the command line left out (assumptions, and what their "
        "module-level code could not evaluate); --verbose lists them, --format json keeps them",
    ]
