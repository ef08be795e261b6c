"""Parsed files kept by content: after an edit, only the edited file is parsed again, the numbers are
those of a run without the cache, and a stored entry is never more than a tree."""

from __future__ import annotations

import ast
import hashlib
import os
import pickle
import time
from pathlib import Path

import pytest

from staticflops import analyze, cli
from staticflops.source import files, trees
from staticflops.source.files import load_source, parse_source
from staticflops.source.trees import TreeCache

BLOCKS = '''
import torch.nn as nn


def conv_bn(cin, cout):
    """A 3×3 convolution and its norm."""
    layers = [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
    return nn.Sequential(*layers)
'''

MODEL = """
import torch.nn as nn
from blocks import conv_bn


class Net(nn.Module):
    def __init__(self, width=8):
        super().__init__()
        self.stem = conv_bn(3, width)
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        return self.head(self.stem(x).mean((2, 3)))
"""

# stem conv: 8·16·16 outputs of 2·3·9 − 1 = 53: 108,544; norm with its affine, 4 per element: 8,192;
# ReLU 2,048; mean over 256 positions: 8 outputs of 255 additions and 1 division = 2,048; head: 10 · 2·8 = 160
FLOPS = 108_544 + 8_192 + 2_048 + 2_048 + 160
PARAMS = 3 * 8 * 9 + 2 * 8 + 8 * 10 + 10


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "blocks.py").write_text(BLOCKS)
    (tmp_path / "model.py").write_text(MODEL)
    return tmp_path


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []

    def counted(text: str, path: str, module_name: str = "__main__") -> files.SourceFile:
        parsed.append(Path(path).name)
        return parse_source(text, path, module_name)

    monkeypatch.setattr(files, "parse_source", counted)
    return parsed


def test_an_edit_parses_only_the_edited_file(project: Path, tmp_path: Path, monkeypatch) -> None:
    cache = TreeCache(tmp_path / "trees", "salt")
    parsed = counting_parses(monkeypatch)
    first = analyze([project / "model.py"], inputs=[(1, 3, 16, 16)], trees=cache)
    assert sorted(parsed) == ["blocks.py", "model.py"]

    parsed.clear()
    (project / "model.py").write_text(MODEL.replace("width=8", "width=16"))
    edited = analyze([project / "model.py"], inputs=[(1, 3, 16, 16)], trees=cache)
    assert parsed == ["model.py"]
    uncached = analyze([project / "model.py"], inputs=[(1, 3, 16, 16)])
    assert (edited.models[0].flops, edited.models[0].params) == (uncached.models[0].flops, uncached.models[0].params)

    (first_model,) = first.models
    assert (first_model.flops, first_model.params) == (FLOPS, PARAMS)


def test_a_stored_tree_is_the_parsed_tree_with_its_bodies_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "blocks.py"
    path.write_text(BLOCKS + "\nSCALE = 1j + 2.5\nREST = ...\n")
    cache = TreeCache(tmp_path / "trees", "salt")
    parsed = load_source(path, "blocks", trees=cache)
    stored = load_source(path, "blocks", trees=cache)
    assert stored.module is not parsed.module
    assert ast.dump(stored.module, include_attributes=True) == ast.dump(parsed.module, include_attributes=True)
    (function,) = [node for node in stored.module.body if isinstance(node, ast.FunctionDef)]
    # the docstring stays; the return is set aside, and parsed from the file's text on first use
    assert [type(node).__name__ for node in function.body] == ["Expr", "DeferredBody"]
    assert [type(node).__name__ for node in stored.body(function)] == ["Expr", "Assign", "Return"]
    assert stored.body(function)[1].lineno == 7


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_other_bytes_or_another_salt_are_a_miss(tmp_path: Path) -> None:
    cache = TreeCache(tmp_path / "trees", "one")
    data = b"x = 1\n"
    cache.store(sha(data), ast.parse(data))
    assert cache.load(sha(data)) is not None
    assert cache.load(sha(b"x = 2\n")) is None
    assert TreeCache(tmp_path / "trees", "two").load(sha(data)) is None


class Planted:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch planted",))


def test_a_planted_entry_is_a_miss_and_runs_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    cache = TreeCache(tmp_path / "trees", "salt")
    digest = sha(b"x = 1\n")
    (tmp_path / "trees").mkdir()
    entry = tmp_path / "trees" / f"{digest}-salt.pickle"
    entry.write_bytes(pickle.dumps(Planted()))
    assert cache.load(digest) is None
    assert not (tmp_path / "planted").exists()
    entry.write_bytes(b"not a pickle")
    assert cache.load(digest) is None
    entry.write_bytes(pickle.dumps([1, 2]))  # a pickle, not a tree
    assert cache.load(digest) is None


def test_the_oldest_entries_go_past_the_limit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(trees, "KEPT_TREES", 5)
    cache = TreeCache(tmp_path / "trees", "salt")
    sources = [f"x = {number}\n".encode() for number in range(7)]
    for number, data in enumerate(sources):
        cache.store(sha(data), ast.parse(data))
        moment = time.time() - 100 + number
        os.utime(tmp_path / "trees" / f"{sha(data)}-salt.pickle", (moment, moment))
    cache.prune()
    kept = {path.name for path in (tmp_path / "trees").iterdir()}
    assert kept == {f"{sha(data)}-salt.pickle" for data in sources[3:]}


def test_the_command_keeps_trees_unless_the_cache_is_off(project: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("STATICFLOPS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STATICFLOPS_NO_CACHE", raising=False)
    model = str(project / "model.py")
    for argv in (["analyze", model, "-i", "1,3,16,16", "--no-cache"], ["check", model, "--no-cache"]):
        with pytest.raises(SystemExit):
            cli.app(argv)
    assert not (tmp_path / "cache" / "trees").exists()
    with pytest.raises(SystemExit):
        cli.app(["analyze", model, "-i", "1,3,16,16", "-f", "json"])
    assert f'"flops": {FLOPS}' in capsys.readouterr().out
    assert len(list((tmp_path / "cache" / "trees").glob("*.pickle"))) == 2
