"""`staticflops check`: budgets from options and pyproject.toml, suppressions, exit codes, and the hook
run through pre-commit itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staticflops.cli import app
from tests.conftest import ROOT

runner = CliRunner()

COSTLY = textwrap.dedent(
    """\
    import torch.nn as nn


    class Wide(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 256, 3, padding=1)
            self.head = nn.Linear(256, 10)

        def forward(self, x):
            return self.head(self.conv(x).mean((2, 3)))
    """
)
# conv: 256·224·224 outputs × 2·27 = 693,633,024 FLOPs; params 3·256·9 + 256 + 2570 = 9,738


def run_check(tmp_path: Path, *args: str, source: str = COSTLY, pyproject: str | None = None):
    (tmp_path / "model.py").write_text(source)
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(textwrap.dedent(pyproject))
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return runner.invoke(app, ["check", "model.py", *args])
    finally:
        os.chdir(cwd)


def test_layer_over_the_cli_budget_fails_at_its_line(tmp_path) -> None:
    result = run_check(tmp_path, "--max-layer-flops", "500M")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "model.py:7:21: SF101 [layer-flops] layer 'conv' (Conv2d) of 'Wide' costs 694 MFLOPs, over the 500 MFLOPs "
        "limit",
        "Found 1 finding(s), 1 failing, in 1 file (1 model checked).",
    ]


def test_under_budget_is_clean(tmp_path) -> None:
    result = run_check(tmp_path, "--max-layer-flops", "1G", "--max-model-params", "10K")
    assert result.exit_code == 0
    assert result.stdout.strip() == "All clear: 1 file, 1 model checked."


def test_budgets_from_pyproject_and_cli_overrides(tmp_path) -> None:
    pyproject = """
        [tool.staticflops]
        max-model-params = "5K"

        [[tool.staticflops.models]]
        file = "model.py"
        model = "Wide"
        input-shape = "1,3,32,32"
        max-model-flops = "10M"
    """
    result = run_check(tmp_path, pyproject=pyproject)
    assert result.exit_code == 1
    # at 32×32 the model costs 14,155,776 + 256·1024 (mean) + 5,120 = 14,423,040 FLOPs
    assert "model.py:4:1: SF103 [model-flops] model 'Wide' costs 14.4 MFLOPs, over the 10 MFLOPs limit" in result.stdout
    assert "model.py:4:1: SF104 [model-params] model 'Wide' has 9.74 K parameters, over the 5 K limit" in result.stdout
    overridden = run_check(tmp_path, "--max-model-flops", "20M", "--max-model-params", "10K", pyproject=pyproject)
    assert overridden.exit_code == 0, overridden.stdout


def test_suppressions_and_unused_suppressions(tmp_path) -> None:
    suppressed = COSTLY.replace(
        "nn.Conv2d(3, 256, 3, padding=1)", "nn.Conv2d(3, 256, 3, padding=1)  # staticflops: ignore[SF101]"
    ).replace("nn.Linear(256, 10)", "nn.Linear(256, 10)  # staticflops: ignore[SF102]")
    result = run_check(tmp_path, "--max-layer-flops", "500M", source=suppressed)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "model.py:8:41: SF900 [unused-suppression] this suppression of SF102 suppresses nothing"
    )
    strict = run_check(tmp_path, "--max-layer-flops", "500M", "--strict", source=suppressed)
    assert strict.exit_code == 1
    whole_file = "# staticflops: ignore-file[SF101]\n" + COSTLY
    assert run_check(tmp_path, "--max-layer-flops", "500M", source=whole_file).exit_code == 0


def test_report_only_never_fails(tmp_path) -> None:
    result = run_check(tmp_path, "--max-layer-flops", "500M", "--exit-zero")
    assert result.exit_code == 0
    assert "SF101" in result.stdout


def test_files_without_models_pass_quietly_and_syntax_errors_are_findings(tmp_path) -> None:
    assert run_check(tmp_path, "--max-layer-flops", "1M", source="x = 1\n").stdout.strip() == (
        "All clear: 1 file, 0 models checked."
    )
    broken = run_check(tmp_path, source="def f(:\n")
    assert broken.exit_code == 1
    assert broken.stdout.startswith("model.py:1:")
    assert "SF001 [syntax-error]" in broken.stdout


def test_bad_budget_is_a_usage_error(tmp_path) -> None:
    result = run_check(tmp_path, "--max-layer-flops", "lots")
    assert result.exit_code == 2
    assert "SF006" in result.stderr


def test_check_help_documents_every_option() -> None:
    result = runner.invoke(app, ["check", "--help"], env={"COLUMNS": "200"})
    for option in (
        "--max-layer-flops",
        "--max-layer-params",
        "--max-model-flops",
        "--max-model-params",
        "--convention",
        "--model",
        "--input-shape",
        "--strict",
        "--exit-zero",
    ):
        assert option in result.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to run pre-commit")
def test_hook_through_pre_commit(tmp_path) -> None:
    """A real repository with a costly model and a .pre-commit-config.yaml: the hook fails at the layer's
    line; once the model is cheaper, it passes."""
    staticflops = shutil.which("staticflops") or str(Path(sys.executable).with_name("staticflops"))
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "model.py").write_text(COSTLY)
    (repo / ".pre-commit-config.yaml").write_text(
        textwrap.dedent(f"""\
        repos:
          - repo: local
            hooks:
              - id: staticflops
                name: staticflops
                entry: {staticflops} check --max-layer-flops 500M
                language: system
                types: [python]
    """)
    )
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    git("init", "-q")
    git("add", ".")
    failed = pre_commit()
    assert failed.returncode == 1, failed.stdout
    assert "model.py:7:21: SF101 [layer-flops] layer 'conv' (Conv2d) of 'Wide' costs 694 MFLOPs" in failed.stdout
    (repo / "model.py").write_text(
        COSTLY.replace("nn.Conv2d(3, 256, 3, padding=1)", "nn.Conv2d(3, 64, 3, padding=1)").replace(
            "nn.Linear(256, 10)", "nn.Linear(64, 10)"
        )
    )
    git("add", ".")
    passed = pre_commit()
    assert passed.returncode == 0, passed.stdout
    # a budget in pyproject.toml is read by the hook too ...
    (repo / "pyproject.toml").write_text('[tool.staticflops]\nmax-model-params = "1K"\n')
    git("add", ".")
    over = pre_commit()
    assert over.returncode == 1, over.stdout
    # conv 3·64·9 + 64 = 1,792 and linear 64·10 + 10 = 650 parameters
    assert "model.py:4:1: SF104 [model-params] model 'Wide' has 2.44 K parameters, over the 1 K limit" in over.stdout
    # ... and a suppression on the line the finding points to silences it
    source = (repo / "model.py").read_text()
    (repo / "model.py").write_text(
        source.replace("class Wide(nn.Module):", "class Wide(nn.Module):  # staticflops: ignore[SF104]")
    )
    git("add", ".")
    suppressed = pre_commit()
    assert suppressed.returncode == 0, suppressed.stdout


def test_hooks_file_declares_both_hooks() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "id: staticflops\n" in text and "entry: staticflops check\n" in text
    assert "id: staticflops-report" in text and "entry: staticflops check --exit-zero" in text
