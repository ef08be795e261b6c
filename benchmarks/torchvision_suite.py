"""Run staticflops over every torchvision 0.29.1 classification model and score it.

The torchvision wheel is fetched with `pip download torchvision==0.29.1 --no-deps` (no
torch needed) and its Python sources unpacked into benchmarks/.cache/. Each model
function of torchvision/models/*.py is analyzed statically at the input shape of the
reference figures (benchmarks/torchvision_reference.tsv, measured with real PyTorch),
and the scoreboard compares:

* params: `sum(p.numel() for p in model.parameters())`;
* seed conv/linear FLOPs: the seed FLOPs of every convolution and linear op the forward
  executed (module calls, `nn.MultiheadAttention` projections and functional calls);
* the totals of the `thop`, `ptflops`, `fvcore` and `torch` conventions against what thop,
  ptflops (pytorch backend), fvcore (grad enabled) and `torch.utils.flop_counter` (meta device)
  reported for the same model.

    python benchmarks/torchvision_suite.py            # prints the scoreboard, writes docs/benchmarks.md
    python benchmarks/torchvision_suite.py resnet50   # only the models named
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from staticflops import analyze
from staticflops.catalog import WorkKind
from staticflops.conventions import Convention, price
from staticflops.diagnostics import Severity

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
SOURCES = CACHE / "torchvision-0.29.1"
REFERENCE = HERE / "torchvision_reference.tsv"
DOCS = HERE.parent / "docs" / "benchmarks.md"
PRODUCT_KINDS = {WorkKind.CONV, WorkKind.CONV_TRANSPOSE, WorkKind.LINEAR}


def fetch_sources() -> Path:
    """torchvision's Python sources, downloaded once (no torch, nothing imported)."""
    if (SOURCES / "torchvision" / "models" / "resnet.py").is_file():
        return SOURCES
    CACHE.mkdir(exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "torchvision==0.29.1",
            "-d",
            str(CACHE),
        ],
        check=True,
    )
    wheel = next(CACHE.glob("torchvision-0.29.1-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith("torchvision/") and name.endswith(".py"):
                archive.extract(name, SOURCES)
    return SOURCES


def model_files(root: Path) -> dict[str, Path]:
    """Model function name → the file of torchvision/models/ that defines it."""
    files: dict[str, Path] = {}
    for path in sorted((root / "torchvision" / "models").glob("*.py")):
        for name in re.findall(r"^def ([a-z][a-z0-9_]*)\(", path.read_text(), flags=re.MULTILINE):
            files.setdefault(name, path)
    return files


TOOLS = {
    Convention.THOP: "thop_macs",
    Convention.PTFLOPS: "ptflops_macs",
    Convention.FVCORE: "fvcore_total",
    Convention.TORCH: "torch_flop_counter_meta",
}
"""Each reproduced convention and the reference column holding that tool's number."""


@dataclass
class Score:
    name: str
    params: int | None
    params_expected: int
    flops: int | None
    flops_expected: int
    seconds: float
    problem: str = ""
    tools: dict[Convention, tuple[int | None, int]] = field(default_factory=dict)
    """Convention → (our total, the tool's)."""

    @property
    def params_ok(self) -> bool:
        return self.params == self.params_expected

    @property
    def flops_ok(self) -> bool:
        return self.flops == self.flops_expected

    def tool_ok(self, convention: Convention) -> bool:
        ours, theirs = self.tools.get(convention, (None, 0))
        return ours == theirs


def run(name: str, file: Path, shape: tuple[int, ...], expected: dict[str, str], root: Path) -> Score:
    started = time.perf_counter()
    problem = ""
    params = flops = None
    tools: dict[Convention, tuple[int | None, int]] = {c: (None, int(expected[col])) for c, col in TOOLS.items()}
    try:
        analysis = analyze([file], model=f"{name}()", inputs=[shape], search_paths=[root])
        errors = [d for d in analysis.diagnostics if d.severity is Severity.ERROR]
        if analysis.models:
            model = analysis.models[0]
            params = model.params
            flops = sum(
                price(work, Convention.SEED)
                for layer in model.layers
                for work in layer.works
                if work.kind in PRODUCT_KINDS
            )
            for convention, column in TOOLS.items():
                total = sum(price(layer.works, convention, layer.caller) for layer in model.layers)
                tools[convention] = (total, int(expected[column]))
        if errors:
            problem = errors[0].format()
        elif analysis.models and not analysis.models[0].flops_complete:
            unknown = [d for d in analysis.models[0].diagnostics if d.code.code in ("SF305", "SF301")]
            problem = unknown[0].format() if unknown else "incomplete"
    except Exception as exc:  # the scoreboard records crashes as failures
        problem = f"crash: {type(exc).__name__}: {exc}"
    return Score(
        name,
        params,
        int(expected["params"]),
        flops,
        int(expected["seed_conv_linear_flops_all"]),
        time.perf_counter() - started,
        problem,
        tools,
    )


def _cell(ok: bool, ours: int | None, theirs: int) -> str:
    return "exact" if ok else f"{ours} ≠ {theirs}"


def scoreboard(scores: list[Score]) -> str:
    lines = [
        f"| model | params | seed conv/linear FLOPs | {' | '.join(TOOLS)} | time (s) | first problem |",
        "|---|---|---|" + "---|" * len(TOOLS) + "---|---|",
    ]
    for s in scores:
        tools = " | ".join(_cell(s.tool_ok(c), *s.tools[c]) for c in TOOLS)
        problem = s.problem.replace("|", "\\|").replace(str(SOURCES) + "/", "")[:160]
        lines.append(
            f"| {s.name} | {_cell(s.params_ok, s.params, s.params_expected)} | "
            f"{_cell(s.flops_ok, s.flops, s.flops_expected)} | {tools} | {s.seconds:.2f} | {problem} |"
        )
    total = len(scores)
    tools = ", ".join(f"{sum(s.tool_ok(c) for s in scores)}/{total} {c} totals" for c in TOOLS)
    lines.append("")
    lines.append(
        f"**{sum(s.params_ok for s in scores)}/{total} params exact, "
        f"{sum(s.flops_ok for s in scores)}/{total} seed conv/linear FLOPs exact, {tools} exact; "
        f"{sum(s.seconds for s in scores):.1f} s in all.**"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    root = fetch_sources()
    files = model_files(root)
    rows = list(csv.DictReader(REFERENCE.open(), delimiter="\t"))
    wanted = set(argv)
    scores = []
    for row in rows:
        if wanted and row["name"] not in wanted:
            continue
        shape = tuple(int(d) for d in row["input"].split("x"))
        score = run(row["name"], files[row["name"]], shape, row, root)
        print(
            f"{score.name:22} params {'ok ' if score.params_ok else 'BAD'} flops {'ok ' if score.flops_ok else 'BAD'}"
            f" {score.seconds:6.2f}s {score.problem[:140]}",
            flush=True,
        )
        scores.append(score)
    board = scoreboard(scores)
    print(board.rsplit("\n", 1)[-1])
    if not wanted:
        DOCS.write_text(
            "<!-- GENERATED by benchmarks/torchvision_suite.py - DO NOT EDIT -->\n"
            "# torchvision classification suite\n\n"
            "Every classification model of torchvision 0.29.1, analyzed statically from the wheel's sources "
            "(`python benchmarks/torchvision_suite.py`), against figures measured with PyTorch 2.14.1 "
            "(`benchmarks/torchvision_reference.tsv`). Seed conv/linear FLOPs count every convolution and "
            "linear op the forward executes, `nn.MultiheadAttention` projections included.\n\n" + board + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
