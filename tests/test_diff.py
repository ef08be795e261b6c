"""`staticflops diff` on a real repository with two commits: a layer widened, a block added, a layer
removed, a model file renamed. Every number below is worked out from the seed formulas at 1×3×8×8."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staticflops.cli import app

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="diff reads revisions with git")
runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"

BEFORE = """\
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(0.1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.drop(self.act(self.conv1(x)))
        x = self.pool(x).flatten(1)
        return self.fc(x)
"""
AFTER = """\
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.act = nn.ReLU()
        self.conv2 = nn.Conv2d(32, 32, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.act(self.conv1(x))
        x = self.act(self.conv2(x))
        x = self.pool(x).flatten(1)
        return self.fc(x)
"""
SMALL = """\
import torch.nn as nn


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(192, 4)

    def forward(self, x):
        return self.fc(x.flatten(1))
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "models").mkdir(parents=True)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)

    git("init", "-q", "-b", "main")
    (root / "models" / "net.py").write_text(BEFORE)
    (root / "models" / "small.py").write_text(SMALL)
    git("add", ".")
    git("commit", "-q", "-m", "base")
    git("tag", "base")
    (root / "models" / "net.py").write_text(AFTER)
    git("mv", "models/small.py", "models/tiny.py")
    git("add", ".")
    git("commit", "-q", "-m", "head")
    return root


def run(repo: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return runner.invoke(app, ["diff", *args])
    finally:
        os.chdir(cwd)


def test_json_deltas(repo: Path) -> None:
    result = run(repo, "base", "HEAD", "-i", "1,3,8,8", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["version"], data["base"], data["head"]) == (1, "base", "HEAD")
    net, small = data["models"]
    # base: conv1 448 params, 1024·54 = 55,296; relu 1,024; pool 1,024; fc 170 params, 10·32 = 320
    # head: conv1 896, 2048·54 = 110,592; conv2 9,248, 2048·576 = 1,179,648; relu twice 2·2,048;
    #       pool 2,048; fc 330, 10·64 = 640
    assert net == {
        "file": "models/net.py", "name": "Net", "status": "changed", "complete": True,
        "base": {"params": 618, "flops": 57_664},
        "head": {"params": 10_474, "flops": 1_297_024},
        "delta": {"params": 9_856, "flops": 1_239_360},
        "layers": [
            {"path": "conv1", "type": "Conv2d", "status": "changed", "line": 7,
             "base": {"params": 448, "flops": 55_296}, "head": {"params": 896, "flops": 110_592}},
            {"path": "act", "type": "ReLU", "status": "changed", "line": 8,
             "base": {"params": 0, "flops": 1_024}, "head": {"params": 0, "flops": 4_096}},
            {"path": "conv2", "type": "Conv2d", "status": "added", "line": 9,
             "base": None, "head": {"params": 9_248, "flops": 1_179_648}},
            {"path": "pool", "type": "AdaptiveAvgPool2d", "status": "changed", "line": 10,
             "base": {"params": 0, "flops": 1_024}, "head": {"params": 0, "flops": 2_048}},
            {"path": "fc", "type": "Linear", "status": "changed", "line": 11,
             "base": {"params": 170, "flops": 320}, "head": {"params": 330, "flops": 640}},
            {"path": "drop", "type": "Dropout", "status": "removed", "line": 9,
             "base": {"params": 0, "flops": 0}, "head": None},
        ],
    }  # fmt: skip
    # renamed, unchanged: followed across the rename
    assert (small["file"], small["name"], small["status"], small["layers"]) == (
        "models/tiny.py",
        "Small",
        "unchanged",
        [],
    )


def test_markdown_comment_matches_the_golden_file(repo: Path) -> None:
    result = run(repo, "base", "HEAD", "-i", "1,3,8,8", "--link-base", "https://example.invalid/blob/abc")
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / "diff.md").read_text()


def test_github_annotations(repo: Path) -> None:
    result = run(repo, "base", "HEAD", "-i", "1,3,8,8", "-f", "github")
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::notice file=models/net.py,line=4,title=staticflops::model 'Net' (changed): FLOPs "
        "57.7 KFLOPs → 1.3 MFLOPs (+1.24 MFLOPs, +2149.3%25); parameters 618 → 10.5 K (+9.86 K, +1594.8%25)"
    )
    assert lines[3] == (
        "::warning file=models/net.py,line=9,title=staticflops::layer 'conv2' (Conv2d) added: "
        "FLOPs new: 1.18 MFLOPs; parameters new: 9.25 K"
    )
    assert len(lines) == 6  # the model, and conv1, act, conv2, pool, fc


def test_fail_on_increase_and_working_tree(repo: Path) -> None:
    assert run(repo, "base", "HEAD", "-i", "1,3,8,8", "--fail-on-increase", "10%").exit_code == 1
    # HEAD defaults to the working tree, which equals HEAD here: nothing changed since HEAD
    result = run(repo, "HEAD", "-i", "1,3,8,8", "-f", "json")
    assert json.loads(result.stdout)["models"] == []
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout == ""


def test_unknown_revision_is_an_input_error(repo: Path) -> None:
    result = run(repo, "no-such-revision")
    assert result.exit_code == 2
    assert "SF002" in result.stderr


def test_action_is_a_composite_action_running_diff() -> None:
    yaml = pytest.importorskip("yaml")  # installed with pre-commit, a test dependency
    action = yaml.safe_load((Path(__file__).parent.parent / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    scripts = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "staticflops diff" in scripts and "--format github" in scripts and "gh api" in scripts
    assert set(action["inputs"]) >= {"base", "head", "paths", "args", "fail-on-increase", "comment"}


def test_configured_model_files_select_what_is_compared(repo: Path) -> None:
    """With [[tool.staticflops.models]] and no paths, only the configured files are compared."""
    (repo / "pyproject.toml").write_text('[[tool.staticflops.models]]\nfile = "models/tiny.py"\n')
    result = run(repo, "base", "HEAD", "-i", "1,3,8,8", "-f", "json")
    assert [model["name"] for model in json.loads(result.stdout)["models"]] == ["Small"]


def test_a_file_both_revisions_hold_unchanged_is_parsed_once(repo: Path, tmp_path: Path, monkeypatch) -> None:
    """`small.py` renamed `tiny.py` with the same bytes: the head's analysis loads the tree the base's stored."""
    from staticflops.gitdiff import diff
    from staticflops.shapes import parse_shape
    from staticflops.source import files
    from staticflops.source.trees import TreeCache

    parsed: list[str] = []
    parse = files.parse_source

    def counted(text: str, path: str, module_name: str = "__main__") -> files.SourceFile:
        parsed.append(Path(path).name)
        return parse(text, path, module_name)

    monkeypatch.setattr(files, "parse_source", counted)
    inputs = [parse_shape("1,3,8,8")]
    plain = diff("base", "HEAD", repo=repo, inputs=inputs)
    parsed.clear()
    cached = diff("base", "HEAD", repo=repo, inputs=inputs, trees=TreeCache(tmp_path / "trees", "salt"))
    assert sorted(parsed) == ["net.py", "net.py", "small.py"]
    assert [(m.name, m.base, m.head) for m in cached.models] == [(m.name, m.base, m.head) for m in plain.models]
