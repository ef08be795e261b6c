"""Hypothesis strategies for fuzzing: random source text and mutations of the fixtures."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SOURCES = [path.read_text() for path in sorted(FIXTURES.glob("*.py")) if path.name != "hostile.py"]
TOKENS = re.compile(r"\w+|[^\w\s]")
REPLACEMENTS = (
    "0 1 -1 2 3 1000000 None True x self nn torch ( ) [ ] , : = + * / . lambda yield return raise 1.5 'a' [] {}"
).split()


@st.composite
def mutated_fixture(draw: st.DrawFn) -> str:
    """A fixture with a few random edits: tokens replaced, lines deleted, duplicated or swapped."""
    lines = draw(st.sampled_from(SOURCES)).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["token", "delete", "duplicate", "swap"]))
        if action == "token":
            tokens = list(TOKENS.finditer(lines[index]))
            if tokens:
                token = draw(st.sampled_from(tokens))
                replacement = draw(st.sampled_from(REPLACEMENTS))
                lines[index] = lines[index][: token.start()] + replacement + lines[index][token.end() :]
        elif action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        else:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
    return "\n".join(lines) + "\n"


def random_python() -> st.SearchStrategy[str]:
    """Arbitrary text leaning towards Python: fragments of statements glued together."""
    fragment = st.sampled_from([
        "import torch.nn as nn\n", "class M(nn.Module):\n", "    def __init__(self, n=3):\n",
        "        super().__init__()\n", "        self.l = nn.Linear(n, n)\n", "    def forward(self, x):\n",
        "        return self.l(x)\n", "        return x\n", "x = 1\n", "for i in range(3):\n", "    pass\n",
        "while x:\n", "    x -= 1\n", "def f(*a, **k):\n", "    return f(*a)\n", "model = M()\n",
        "y = [i for i in x]\n",
        "        self.l = nn.Conv2d(n, n, n)\n", "try:\n", "except Exception:\n", "@f\n", "lambda: 0\n",
    ])  # fmt: skip
    return st.one_of(st.lists(fragment, max_size=12).map("".join), st.text(max_size=200))
