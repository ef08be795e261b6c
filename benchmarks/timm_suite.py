"""Run staticflops over every timm 1.0.31 architecture and score it against PyTorch.

timm's sources come from `pip download timm==1.0.31 --no-deps` (no torch needed), unpacked
into benchmarks/.cache/. Each architecture is analyzed statically as a user would ask for it:
the model function of the file that registers it (`@register_model def resnet50(...)`),
called with no arguments, at the input size timm declares for it. The figures it is scored
against (benchmarks/timm_reference.tsv) were measured with torch 2.14.1 by
benchmarks/timm_truth.py:

* params: `sum(p.numel() for p in model.parameters())`;
* seed conv/linear FLOPs: every convolution and linear op the forward executed (module
  calls, functional calls, `nn.MultiheadAttention` projections);
* the `torch` convention's total against `torch.utils.flop_counter` on the meta device.

    python benchmarks/timm_suite.py                 # every architecture, writes docs/benchmarks-timm.md
    python benchmarks/timm_suite.py --sample 60     # an evenly spaced sample, nothing written
    python benchmarks/timm_suite.py resnet50 vit_base_patch16_224

Each model is analyzed in a worker process with a time limit (`--timeout`, default 60 s), two
at a time (`--jobs`): a crash or a stall costs that model only.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import re
import subprocess
import sys
import time
import zipfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, TimeoutError
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
SOURCES = CACHE / "timm-1.0.31"
REFERENCE = HERE / "timm_reference.tsv"
DOCS = HERE.parent / "docs" / "benchmarks-timm.md"


def fetch_sources() -> Path:
    """timm's Python sources, downloaded once (no torch, nothing imported)."""
    if (SOURCES / "timm" / "models" / "resnet.py").is_file():
        return SOURCES
    CACHE.mkdir(exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "timm==1.0.31", "-d", str(CACHE)],
        check=True,
    )
    wheel = next(CACHE.glob("timm-1.0.31-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith("timm/") and name.endswith(".py"):
                archive.extract(name, SOURCES)
    return SOURCES


def model_files(root: Path) -> dict[str, Path]:
    """Registered architecture name → the file of timm/models/ whose model function builds it."""
    files: dict[str, Path] = {}
    for path in sorted((root / "timm" / "models").glob("*.py")):
        for name in re.findall(r"@register_model\s*\ndef ([A-Za-z0-9_]+)\(", path.read_text()):
            files.setdefault(name, path)
    return files


@dataclass
class Score:
    name: str
    params: int | None = None
    params_expected: int | None = None
    flops: int | None = None
    flops_expected: int | None = None
    torch: int | None = None
    torch_expected: int | None = None
    seconds: float = 0.0
    problem: str = ""

    @property
    def params_ok(self) -> bool:
        return self.params is not None and self.params == self.params_expected

    @property
    def flops_ok(self) -> bool:
        return self.flops is not None and self.flops == self.flops_expected

    @property
    def torch_ok(self) -> bool:
        return self.torch is not None and self.torch == self.torch_expected


def measure(name: str, file: str, shape: tuple[int, ...], root: str) -> Score:
    """One architecture, in a worker process."""
    from staticflops import analyze
    from staticflops.catalog import WorkKind
    from staticflops.conventions import Convention, price
    from staticflops.diagnostics import Severity

    products = {WorkKind.CONV, WorkKind.CONV_TRANSPOSE, WorkKind.LINEAR}
    # the reference sees F.linear/F.conv* calls only: a recurrent layer's or a bilinear layer's
    # products are their own aten ops, not counted there
    not_linear_calls = {"RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "Bilinear", "F.bilinear"}
    sys.setrecursionlimit(20_000)
    started = time.perf_counter()
    score = Score(name)
    try:
        analysis = analyze([file], model=f"{name}()", inputs=[shape], search_paths=[root], site_packages=False)
        errors = [d for d in analysis.diagnostics if d.severity is Severity.ERROR]
        if analysis.models:
            model = analysis.models[0]
            score.params = model.params
            score.flops = sum(
                price(work, Convention.SEED)
                for layer in model.layers
                if layer.type not in not_linear_calls
                for work in layer.works
                if work.kind in products
            )
            score.torch = sum(price(layer.works, Convention.TORCH, layer.caller) for layer in model.layers)
            if not model.flops_complete and not errors:
                unknown = [d for d in model.diagnostics if d.code.code in ("SF305", "SF301", "SF302")]
                score.problem = unknown[0].format() if unknown else "incomplete"
        if errors:
            score.problem = errors[0].format()
        elif not analysis.models:
            score.problem = "; ".join(d.format() for d in analysis.diagnostics[-1:]) or "no model"
    except Exception as exc:  # the scoreboard records crashes as failures
        score.problem = f"crash: {type(exc).__name__}: {exc}"
    score.problem = score.problem.replace(root + "/", "")
    score.seconds = time.perf_counter() - started
    return score


def run_all(rows: list[dict[str, str]], files: dict[str, Path], root: Path, jobs: int, timeout: float) -> list[Score]:
    scores: list[Score] = []
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    pending = list(rows)
    while pending:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = []
            for row in pending:
                shape = tuple(int(d) for d in row["input"].split("x"))
                futures.append((row, pool.submit(measure, row["name"], str(files[row["name"]]), shape, str(root))))
            pending = []
            for row, future in futures:
                try:
                    score = future.result(timeout=timeout)
                except TimeoutError:
                    score = Score(row["name"], problem=f"timed out after {timeout:.0f} s", seconds=timeout)
                    for _, other in futures:
                        other.cancel()
                    for process in list(pool._processes.values()):  # a stalled worker never returns
                        process.kill()
                    done = {s.name for s in scores} | {row["name"]}
                    pending = [r for r, _ in futures if r["name"] not in done]
                except Exception as exc:  # a worker that died takes only its model
                    score = Score(row["name"], problem=f"worker died: {type(exc).__name__}")
                score.params_expected = int(row["params"])
                score.flops_expected = int(row["seed_conv_linear_flops_all"])
                score.torch_expected = int(row["torch_flop_counter_meta"]) if row["torch_flop_counter_meta"] else None
                scores.append(score)
                print(
                    f"{score.name:40} params {'ok ' if score.params_ok else 'BAD'} flops "
                    f"{'ok ' if score.flops_ok else 'BAD'} torch {'ok ' if score.torch_ok else 'BAD'} "
                    f"{score.seconds:6.2f}s {score.problem[:150]}",
                    flush=True,
                )
                if pending:
                    break
    return scores


def cause(problem: str) -> str:
    """A failure's kind, for grouping: its diagnostic code and the message without numbers and names."""
    text = re.sub(r"^[^ ]*:\d+:\d+: ", "", problem)
    text = re.sub(r"'[^']*'", "'…'", text)
    text = re.sub(r"\[[0-9, ]*\]|(?<!SF)\b\d+", "N", text)
    return text[:110] or "wrong numbers, no diagnostic"


def summary(scores: list[Score]) -> str:
    total = len(scores)
    lines = [
        f"**{sum(s.params_ok for s in scores)}/{total} params exact, "
        f"{sum(s.flops_ok for s in scores)}/{total} seed conv/linear FLOPs exact, "
        f"{sum(s.torch_ok for s in scores)}/{total} torch totals exact; "
        f"{sum(s.seconds for s in scores):.0f} s of analysis in all.**",
        "",
        "## Models that fall short, by cause",
        "",
        "| cause | models | examples |",
        "|---|---|---|",
    ]
    groups: dict[str, list[str]] = {}
    for s in scores:
        if not (s.params_ok and s.flops_ok and s.torch_ok):
            groups.setdefault(cause(s.problem), []).append(s.name)
    for text, names in sorted(groups.items(), key=lambda item: -len(item[1])):
        lines.append(f"| {text.replace('|', '/')} | {len(names)} | {', '.join(names[:4])} |")
    return "\n".join(lines)


def table(scores: list[Score]) -> str:
    def cell(ok: bool, ours: int | None, theirs: int | None) -> str:
        return "exact" if ok else f"{ours} ≠ {theirs}"

    lines = [
        "| model | params | seed conv/linear FLOPs | torch | time (s) | first problem |",
        "|---|---|---|---|---|---|",
    ]
    for s in scores:
        lines.append(
            f"| {s.name} | {cell(s.params_ok, s.params, s.params_expected)} | "
            f"{cell(s.flops_ok, s.flops, s.flops_expected)} | {cell(s.torch_ok, s.torch, s.torch_expected)} | "
            f"{s.seconds:.2f} | {s.problem.replace('|', '/')[:140]} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*")
    parser.add_argument("--sample", type=int, default=0, help="an evenly spaced sample of this many architectures")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    options = parser.parse_args(argv)
    root = fetch_sources()
    files = model_files(root)
    rows = [r for r in csv.DictReader(REFERENCE.open(), delimiter="\t") if r["params"] and r["name"] in files]
    if options.names:
        rows = [r for r in rows if r["name"] in set(options.names)]
    elif options.sample:
        step = max(len(rows) / options.sample, 1)
        rows = [rows[int(i * step)] for i in range(min(options.sample, len(rows)))]
    scores = run_all(rows, files, root, options.jobs, options.timeout)
    print(summary(scores).split("\n", 1)[0])
    print(Counter(cause(s.problem) for s in scores if not (s.params_ok and s.flops_ok)).most_common(15))
    if not options.names and not options.sample:
        DOCS.write_text(
            "<!-- GENERATED by benchmarks/timm_suite.py - DO NOT EDIT -->\n# timm: every architecture\n\n"
            "Every architecture of timm 1.0.31 that has reference figures, analyzed statically from the wheel's "
            "sources (`python benchmarks/timm_suite.py`) at its default input size, against figures measured "
            "with PyTorch 2.14.1 on the meta device (`benchmarks/timm_truth.py`, "
            "`benchmarks/timm_reference.tsv`).\n\n" + summary(scores) + "\n\n## Every model\n\n" + table(scores) + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
