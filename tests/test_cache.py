"""The result cache: a repeated command on unchanged code prints the same without analyzing; any
change to what the first run looked at is a miss."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from staticflops import cli, launch

MODEL = """
import torch.nn as nn
from helpers import width

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, width())

    def forward(self, x):
        return self.fc(x)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "model.py").write_text(MODEL)
    (tmp_path / "src" / "helpers.py").write_text("def width():\n    return 8\n")
    monkeypatch.setenv("STATICFLOPS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STATICFLOPS_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, str, int]:
    monkeypatch.setattr(sys, "argv", ["staticflops", *argv])
    with pytest.raises(SystemExit) as exit:
        launch.main()
    out, err = capsys.readouterr()
    return out, err, int(exit.value.code or 0)


def forbid_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("analyzed although the cache holds the result")

    monkeypatch.setattr(cli, "run_analysis", fail)
    monkeypatch.setattr("staticflops.check.check", fail)


@pytest.mark.parametrize(
    "argv",
    [
        ("src/model.py", "-f", "json"),
        ("src/model.py",),  # the table
        ("check", "src", "--max-model-params", "10"),  # a finding: exit 1
    ],
)
def test_a_repeated_run_prints_the_stored_result(project, monkeypatch, capsys, argv) -> None:
    first = run(monkeypatch, capsys, *argv)
    assert len(list((project / "cache").glob("*.json"))) == 1
    forbid_analysis(monkeypatch)
    assert run(monkeypatch, capsys, *argv) == first


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "src" / "model.py").write_text(MODEL.replace("nn.Linear(4,", "nn.Linear(5,")),
        lambda root: (root / "src" / "helpers.py").write_text("def width():\n    return 16\n"),
        # a module the first run looked for and did not find now exists beside the model
        lambda root: (root / "src" / "extras.py").write_text("X = 1\n"),
        lambda root: (root / "pyproject.toml").write_text('[tool.staticflops]\ninput-shape = "2,4"\n'),
    ],
    ids=["the model", "an imported module", "a module that did not exist", "a new pyproject.toml"],
)
def test_any_change_to_what_the_run_read_is_a_miss(project, monkeypatch, capsys, change) -> None:
    (project / "src" / "model.py").write_text("import extras\n" + MODEL)
    run(monkeypatch, capsys, "src/model.py", "-f", "json")
    change(project)
    calls = []
    analyze = cli.run_analysis
    monkeypatch.setattr(cli, "run_analysis", lambda *a, **k: calls.append(1) or analyze(*a, **k))
    run(monkeypatch, capsys, "src/model.py", "-f", "json")
    assert calls == [1]


def test_a_new_file_in_a_directory_argument_is_a_miss(project, monkeypatch, capsys) -> None:
    first = run(monkeypatch, capsys, "check", "src")
    (project / "src" / "more.py").write_text("X = 1\n")
    second = run(monkeypatch, capsys, "check", "src")
    assert "2 files" in first[0] and "3 files" in second[0]


def test_other_options_are_another_entry(project, monkeypatch, capsys) -> None:
    seed = run(monkeypatch, capsys, "src/model.py", "-f", "json")
    macs = run(monkeypatch, capsys, "src/model.py", "-f", "json", "-c", "macs")
    assert seed[0] != macs[0]
    assert len(list((project / "cache").glob("*.json"))) == 2


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_cache_can_be_turned_off(project, monkeypatch, capsys, how) -> None:
    argv = ["src/model.py", "-f", "json"]
    if how == "option":
        argv.append("--no-cache")
    else:
        monkeypatch.setenv("STATICFLOPS_NO_CACHE", "1")
    run(monkeypatch, capsys, *argv)
    assert not (project / "cache").exists()


def test_an_unwritable_cache_is_no_cache(project, monkeypatch, capsys) -> None:
    (project / "cache").write_text("a file where the cache directory should be")
    out, _, code = run(monkeypatch, capsys, "src/model.py", "-f", "json")
    assert code == 0 and '"params": 40' in out


def test_input_errors_are_not_stored(project, monkeypatch, capsys) -> None:
    _, _, code = run(monkeypatch, capsys, "src/missing.py")
    assert code == 2
    assert not list((project / "cache").glob("*.json"))


def test_other_staticflops_code_is_another_entry(tmp_path) -> None:
    """An upgrade or a local edit of staticflops, even under the same version number, changes the key."""
    from staticflops.cache import code_fingerprint

    package = tmp_path / "staticflops"
    package.mkdir()
    (package / "catalog.py").write_text("RULE = 1\n")
    before = code_fingerprint(package)
    (package / "catalog.py").write_text("RULE = 22\n")
    assert code_fingerprint(package) != before


def fake_python(path: Path, site: Path) -> Path:
    """An 'interpreter' whose installed packages are in `site`, whatever it is asked."""
    path.write_text(f"#!/bin/sh\necho '[\"{site}\"]'\n")
    path.chmod(0o755)
    return path


def test_a_module_that_appears_in_a_library_root_is_a_miss(project, monkeypatch, capsys) -> None:
    (project / "src" / "model.py").write_text(MODEL.replace("from helpers import", "from minilib import"))
    (project / "site-packages").mkdir()
    python = str(fake_python(project / "python", project / "site-packages"))
    first = run(monkeypatch, capsys, "src/model.py", "-f", "json", "--python", python)
    assert "module 'minilib' was not found" in first[1]
    (project / "site-packages" / "minilib.py").write_text("def width():\n    return 8\n")  # pip install minilib
    second = run(monkeypatch, capsys, "src/model.py", "-f", "json", "--python", python)
    assert '"params": 40' in second[0] and "minilib" not in second[1]


def test_an_interpreter_that_names_other_directories_is_a_miss(project, monkeypatch, capsys) -> None:
    """The same command line in another environment (a recreated venv, another Python version)."""
    (project / "src" / "model.py").write_text(MODEL.replace("from helpers import", "from minilib import"))
    for site, width in (("old", 8), ("new", 16)):
        (project / site).mkdir()
        (project / site / "minilib.py").write_text(f"def width():\n    return {width}\n")
    python = str(fake_python(project / "python", project / "old"))
    assert '"params": 40' in run(monkeypatch, capsys, "src/model.py", "-f", "json", "--python", python)[0]
    fake_python(project / "python", project / "new")
    assert '"params": 80' in run(monkeypatch, capsys, "src/model.py", "-f", "json", "--python", python)[0]


def test_the_running_interpreter_s_answer_is_recorded(project, monkeypatch, capsys) -> None:
    import json

    from staticflops.source.libraries import find_libraries

    run(monkeypatch, capsys, "src/model.py", "-f", "json")
    (entry,) = (project / "cache").glob("*.json")
    answer = json.loads(entry.read_text())["reads"]["interpreters"]
    assert answer == {"": [f"the installed packages of {sys.executable}", *find_libraries().roots]}


REPLAY = """
import sys
from staticflops import launch
try:
    launch.main()
except SystemExit as exit:
    code = exit.code
heavy = ("typer", "rich", "staticflops.cli", "staticflops.interpreter", "staticflops.catalog")
loaded = [name for name in heavy if name in sys.modules]
print(code, loaded, file=sys.stderr)
"""


def test_a_replayed_run_imports_neither_the_cli_nor_the_analyzer(project) -> None:
    import os
    import subprocess

    command = [sys.executable, "-c", REPLAY, "src/model.py", "-f", "json"]
    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).parent.parent)}
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    replayed = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert replayed.stdout == first.stdout and '"params": 40' in first.stdout
    assert replayed.stderr.splitlines()[-1] == "0 []", replayed.stderr


def test_only_the_newest_entries_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from staticflops import cache
    from staticflops.source.reads import Reads

    monkeypatch.setenv("STATICFLOPS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cache, "KEPT_ENTRIES", 3)
    for number in range(5):
        cache.store(f"key{number}", cache.Output("out", "", 0), Reads())
        moment = 1_000_000 + number
        os.utime(tmp_path / f"key{number}.json", (moment, moment))
    cache.store("key5", cache.Output("out", "", 0), Reads())
    assert sorted(path.name for path in tmp_path.iterdir()) == ["key3.json", "key4.json", "key5.json"]
