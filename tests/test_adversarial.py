"""Hostile and malformed inputs end with a clear message and the documented exit code, quickly.

Each case runs staticflops in its own process (a crash of the parser must not take pytest down)
with a timeout. Exit codes: 0 analyzed, 1 findings (no model could be analyzed, budgets), 2 input errors.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LAYER = "import torch.nn as nn\n\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"


def _write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


CASES = {
    # name: (files to write, file to analyze, exit code, text the output must contain)
    "deep_recursion": (
        {"m.py": LAYER + "        self.n = f(0)\n\n\ndef f(n):\n    return f(n + 1)\n"},
        "m.py",
        1,
        "call depth budget",
    ),
    "mutual_recursion_between_modules": (
        {
            "a.py": LAYER
            + "        from b import g\n        g(0)\n\n\ndef f(n):\n    from b import g\n    return g(n)\n",
            "b.py": "from a import f\n\n\ndef g(n):\n    return f(n + 1)\n",
        },
        "a.py",
        1,
        "call depth budget",
    ),
    "import_cycle": (
        {
            "a.py": "from b import B\n" + LAYER + "        self.fc = nn.Linear(2, 2)\n\n"
            "    def forward(self, x):\n        return self.fc(x)\n",
            "b.py": "from a import M\nB = 1\n",
        },
        "a.py",
        0,
        "'M'",
    ),
    "infinite_loop": ({"m.py": LAYER + "        while True:\n            pass\n"}, "m.py", 1, "loop iteration budget"),
    "huge_range": ({"m.py": LAYER + "        xs = list(range(10**12))\n"}, "m.py", 1, "collection size budget"),
    "giant_literal": ({"m.py": LAYER + "        s = 'x' * 10**10\n"}, "m.py", 1, "collection size budget"),
    "huge_integer": ({"m.py": LAYER + "        n = 9 ** 9 ** 9\n"}, "m.py", 1, "integer size"),
    "generated_100k_lines": (
        {"m.py": "".join(f"v{i} = {i}\n" for i in range(100_000))},
        "m.py",
        2,
        "SF007 [too-complex] the file is too large",
    ),
    "sequential_of_10k_layers": (
        {"m.py": "import torch.nn as nn\n\nmodel = nn.Sequential(*[nn.Linear(8, 8) for _ in range(10_000)])\n"},
        "m.py",
        0,
        "params 720,000",
    ),
    "deeply_nested_brackets": (
        {"m.py": "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"},
        "m.py",
        2,
        "too many nested parentheses",
    ),
    "very_long_expression": ({"m.py": "x = " + " + ".join(["1"] * 20_000) + "\n"}, "m.py", 2, "operators"),
    "not_utf8": ({"m.py": b'x = "\xff\xfe"\n'}, "m.py", 2, "SF003 [undecodable-source]"),
    "nul_bytes": ({"m.py": b"x = 1\x00\n"}, "m.py", 2, "NUL bytes"),
    "binary_file": ({"m.py": bytes(range(256)) * 10}, "m.py", 2, "SF003 [undecodable-source]"),
    "byte_order_mark": (
        {"m.py": b"\xef\xbb\xbfimport torch.nn as nn\nmodel = nn.Linear(3, 4)\n"},
        "m.py",
        0,
        "params 16",
    ),
    "tabs_and_crlf": (
        {
            "m.py": b"import torch.nn as nn\r\nclass M(nn.Module):\r\n\tdef __init__(self):\r\n"
            b"\t\tsuper().__init__()\r\n\t\tself.fc = nn.Linear(3, 4)\r\n\tdef forward(self, x):\r\n"
            b"\t\treturn self.fc(x)\r\n"
        },
        "m.py",
        0,
        "params 16",
    ),
    "empty_file": ({"m.py": ""}, "m.py", 1, "SF004 [model-not-found]"),
    "directory_named_like_a_file": ({}, "pkg.py", 2, "is a directory with no Python files"),
    "missing_file": ({}, "nowhere.py", 2, "SF002 [file-not-found]"),
    "syntax_error": ({"m.py": "class M(:\n"}, "m.py", 2, "SF001 [syntax-error]"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_adversarial_input(name: str, tmp_path: Path) -> None:
    files, target, code, expected = CASES[name]
    for file, content in files.items():
        _write(tmp_path, file, content)
    if name == "directory_named_like_a_file":
        (tmp_path / "pkg.py").mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "staticflops", target], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env
    )
    output = result.stdout + result.stderr
    assert result.returncode == code, output[-2000:]
    assert expected in output, output[-2000:]
    assert "Traceback" not in output
