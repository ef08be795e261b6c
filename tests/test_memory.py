"""Memory follows the code traced, not the depth of the model: what a deeper model adds per block is its
records, a few hundred bytes a call, never the interpreter state, the trace or the whole report at once.

Measured with tracemalloc (the bytes Python allocates, the same from run to run), not RSS: the peak of
an analysis and its JSON report, written out as `staticflops -f json` writes it, a layer at a time."""

from __future__ import annotations

import json
import os
import textwrap
import tracemalloc
from pathlib import Path

import pytest

from staticflops import analyze
from staticflops.report import OutputFormat, chunks, render
from staticflops.report.json import to_json

LLAMA = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.weight


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm = RMSNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim, bias=False)
        self.up = nn.Linear(dim, 4 * dim, bias=False)
        self.down = nn.Linear(4 * dim, dim, bias=False)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm(x)).view(b, t, 3, 8, d // 8).transpose(1, 3).unbind(2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, d)
        x = x + self.out(y)
        return x + self.down(F.silu(self.up(self.norm(x))))


class Llama(nn.Module):
    def __init__(self, blocks={blocks}):
        super().__init__()
        self.embed = nn.Embedding(1000, 256)
        self.blocks = nn.ModuleList([Block(256) for _ in range(blocks)])
        self.head = nn.Linear(256, 1000, bias=False)

    def forward(self, tokens):
        h = self.embed(tokens)
        for block in self.blocks:
            h = block(h)
        return self.head(h)
"""


def peak_bytes(path: Path) -> int:
    tracemalloc.start()
    try:
        analysis = analyze([path], model="Llama", inputs=[(1, 64)])
        with open(os.devnull, "w", encoding="utf-8") as sink:
            for piece in chunks(analysis, OutputFormat.JSON):
                sink.write(piece)
        del analysis
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def write(tmp_path: Path, blocks: int) -> Path:
    path = tmp_path / f"llama_{blocks}.py"
    path.write_text(textwrap.dedent(LLAMA).replace("{blocks}", str(blocks)))
    return path


def test_a_deeper_model_adds_its_records_to_the_peak_not_its_trace(tmp_path) -> None:
    shallow, deep = write(tmp_path, 4), write(tmp_path, 20)
    peak_bytes(shallow)  # caches of the first analysis in a process (catalog tables, stubs) are not the model's
    growth = (peak_bytes(deep) - peak_bytes(shallow)) / 16
    # about 30 KB a block (20 calls: their records, the block's modules); the trace, the interpreter and
    # the report held together came to about 150 KB
    assert growth < 60_000, f"{growth / 1000:.0f} KB more peak memory per block"


@pytest.mark.parametrize("blocks", [0, 2])
def test_json_written_in_pieces_is_the_document(tmp_path, blocks) -> None:
    analysis = analyze([write(tmp_path, blocks)], model="Llama", inputs=[(1, 64)])
    text = "".join(chunks(analysis, OutputFormat.JSON))
    assert text == render(analysis, OutputFormat.JSON)
    assert text == json.dumps(to_json(analysis), indent=2)


def test_each_value_is_written_as_json_writes_it() -> None:
    from staticflops.report.json import _indented

    value = {
        "path": 'blocks.0."attn"\\ü\t',
        "numbers": [0, -3, 2**70, 1.5, -0.0, float("nan"), float("inf")],
        "flags": [True, False, None],
        "nested": {"empty": [], "none": {}, "shape": (1, 3, 224, 224)},
    }
    assert _indented(value, "") == json.dumps(value, indent=2)


def test_the_blocks_of_a_deep_model_share_what_their_calls_were_priced_from(tmp_path) -> None:
    one = analyze([write(tmp_path, 1)], model="Llama", inputs=[(1, 64)]).models[0]
    deep = analyze([write(tmp_path, 20)], model="Llama", inputs=[(1, 64)]).models[0]
    # each block's calls are priced from the same `Caller`s as the first block's (staticflops/interning.py)
    assert len({id(layer.caller) for layer in deep.layers}) == len({id(layer.caller) for layer in one.layers})
    assert len(deep.layers) > 10 * len(one.layers)
