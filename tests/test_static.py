"""Static means static: analysis never imports torch and never runs the analyzed code."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import FIXTURES, ROOT

AUDIT = r"""
import json, sys
events = []
def hook(event, args):
    if event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "socket.connect",
                 "socket.__new__", "ctypes.dlopen") or (event == "open" and "marker" in str(args[0])):
        events.append(event)
from staticflops import analyze
sys.addaudithook(hook)
analysis = analyze([sys.argv[1]])
print(json.dumps({"torch": "torch" in sys.modules, "events": events,
                  "models": [[m.name, m.params] for m in analysis.models]}))
"""


def run_isolated(path, cwd) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", AUDIT, str(path)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_analysis_never_imports_torch(tmp_path) -> None:
    report = run_isolated(FIXTURES / "lenet5.py", tmp_path)
    assert report["torch"] is False
    assert report["models"] == [["LeNet5", 61706]]


def test_hostile_file_is_analyzed_without_running_anything(tmp_path) -> None:
    hostile = tmp_path / "hostile.py"
    hostile.write_text((FIXTURES / "hostile.py").read_text())
    (tmp_path / "hostile_helpers.py").write_text((FIXTURES / "hostile_helpers.py").read_text())
    report = run_isolated(hostile, tmp_path)
    assert report["events"] == []
    assert not list(tmp_path.glob("*.marker"))
    # the model is still analyzed: Conv2d(3, 8, 3) has 3·8·9 + 8 parameters
    assert report["models"] == [["Hostile", 224]]


def test_an_internal_error_is_a_short_message_not_a_traceback(monkeypatch) -> None:
    from typer.testing import CliRunner

    from staticflops import cli

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "run_analysis", broken)
    result = CliRunner().invoke(cli.app, ["analyze", str(FIXTURES / "lenet5.py")])
    assert result.exit_code == 3
    assert "internal error" in result.stderr and "--debug" in result.stderr
    assert "Traceback" not in result.stderr
    debug = CliRunner().invoke(cli.app, ["analyze", str(FIXTURES / "lenet5.py"), "--debug"])
    assert debug.exit_code == 3
    assert "ZeroDivisionError: a bug" in debug.stderr
