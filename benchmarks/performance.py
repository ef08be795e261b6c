"""Whole-process time and peak memory of staticflops, against its floor and against dynamic counters.

    python benchmarks/performance.py            # prints the tables; --write updates docs/performance.md
    python benchmarks/performance.py --torch /path/to/python   # adds the dynamic counters
    python benchmarks/performance.py --corpus-only --runs 1    # only the torchvision and timm corpus runs

`--torch` names a Python with torch and torchvision (on this machine: `pip install torch==2.14.1
torchvision==0.29.1`) and any of thop, ptflops and fvcore: each installed counter runs on
torchvision's resnet50 in a fresh process, torch import included.

Every figure is the median of several runs of a fresh process, measured with /usr/bin/time
(wall seconds, peak RSS). The floor of one analysis is: start Python, import staticflops'
dependencies (typer, rich), and parse the files the analysis reads with Python's `ast`.
staticflops' own modules are byte-compiled first, as `pip install` does.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import csv
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from timm_suite import fetch_sources as fetch_timm  # noqa: E402
from torchvision_suite import REFERENCE, fetch_sources, model_files  # noqa: E402

DOCS = HERE.parent / "docs" / "performance.md"
CLASSIFICATION = ("alexnet convnext densenet efficientnet googlenet inception maxvit mnasnet mobilenetv2 mobilenetv3 "
                  "regnet resnet shufflenetv2 squeezenet swin_transformer vgg vision_transformer").split()  # fmt: skip
TIME = "/usr/bin/time"
COLD = {**os.environ, "STATICFLOPS_NO_CACHE": "1"}
"""Every figure is a full analysis unless it says it is cached."""


Run = tuple[list[str], dict[str, str] | None, Callable[[int], None] | None]
"""A command, its environment, and what to do before its n-th run (an edit), if anything."""


def measure(command: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Median wall seconds and median peak RSS (MB) of `command` over `runs` fresh processes."""
    return measure_together([(command, env, None)], runs)[0]


def measure_together(commands: list[Run], runs: int, warm: bool = False) -> list[tuple[float, float]]:
    """`measure` for several commands, run in turn, so that a busy moment of the machine weighs on each
    alike: the ratios between them are what matters. With `warm`, each measured run comes right after an
    unmeasured run of the same command (after its own edit, if it has one), as hyperfine's `--warmup`
    does: the first process after another program has read a gigabyte of libraries runs about 15%
    slower here, whatever it is, which weighs on a 0.2 s command and not on a 4 s one."""
    seconds: list[list[float]] = [[] for _ in commands]
    memory: list[list[float]] = [[] for _ in commands]
    for run in range(runs):
        for i, (command, env, before) in enumerate(commands):
            if warm:
                if before is not None:
                    before(2 * run + runs)  # an edit of its own: the measured run's edit is still new
                timed(command, env)
            if before is not None:
                before(run)
            wall, rss, _ = timed(command, env)
            seconds[i].append(wall)
            memory[i].append(rss)
    return [(statistics.median(s), statistics.median(m)) for s, m in zip(seconds, memory, strict=True)]


def timed(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, float, str]:
    """One fresh process: its wall seconds, its peak RSS in MB (with its children's) and its stdout. The
    clock is `perf_counter`, whose steps are not the 10 ms of /usr/bin/time's (5% of a one-model run);
    /usr/bin/time still gives the memory, being a small process to fork the command from (the fork of
    this one would count its own pages)."""
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as report:
        started = time.perf_counter()
        subprocess.run([TIME, "-f", "%M", "-o", report.name, *command], stdout=out, stderr=subprocess.DEVNULL,
                       env=env, cwd=cwd, check=False)  # fmt: skip
        wall = time.perf_counter() - started
        out.seek(0)
        return wall, int(report.read().split()[-1]) / 1024, out.read().decode("utf-8")


def staticflops(*args: str) -> list[str]:
    """The command as users run it: the script `pip install` puts beside the interpreter."""
    script = Path(sys.executable).with_name("staticflops")
    return [str(script), *args] if script.is_file() else [sys.executable, "-m", "staticflops", *args]


FLOOR = """
import ast, sys
import typer, rich  # noqa
for path in sys.argv[1:]:
    ast.parse(open(path, encoding="utf-8").read())
"""


def files_read(target: Path, root: Path, model: str) -> list[str]:
    """The files one analysis parses, found by running it once with a spy on the loader."""
    spy = (
        "import sys\nimport staticflops.source.files as p\nread = []\norig = p.load_source\n"
        "def load(path, *args, **kwargs):\n    read.append(str(path))\n    return orig(path, *args, **kwargs)\n"
        "p.load_source = load\nfrom staticflops import analyze\n"
        f"analyze([{str(target)!r}], model={model!r}, inputs=[(1, 3, 224, 224)], search_paths=[{str(root)!r}])\n"
        "print('\\n'.join(read))\n"
    )
    out = subprocess.run([sys.executable, "-c", spy], capture_output=True, text=True, check=True).stdout
    return out.split()


LLAMA = """
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    dim: int = {dim}
    n_layers: int = {layers}
    n_heads: int = {heads}
    hidden: int = {hidden}
    vocab_size: int = 32000
    max_seq_len: int = 128


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_heads = cfg.n_heads
        self.head_dim = cfg.dim // cfg.n_heads
        self.wq = nn.Linear(cfg.dim, cfg.dim, bias=False)
        self.wk = nn.Linear(cfg.dim, cfg.dim, bias=False)
        self.wv = nn.Linear(cfg.dim, cfg.dim, bias=False)
        self.wo = nn.Linear(cfg.dim, cfg.dim, bias=False)

    def forward(self, x):
        b, t, _ = x.shape
        q = self.wq(x).view(b, t, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.wk(x).view(b, t, self.n_heads, self.head_dim).transpose(1, 2)
        v = self.wv(x).view(b, t, self.n_heads, self.head_dim).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.wo(y.transpose(1, 2).reshape(b, t, -1))


class FeedForward(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.w1 = nn.Linear(cfg.dim, cfg.hidden, bias=False)
        self.w2 = nn.Linear(cfg.hidden, cfg.dim, bias=False)
        self.w3 = nn.Linear(cfg.dim, cfg.hidden, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.attention_norm = RMSNorm(cfg.dim)
        self.attention = Attention(cfg)
        self.ffn_norm = RMSNorm(cfg.dim)
        self.feed_forward = FeedForward(cfg)

    def forward(self, x):
        x = x + self.attention(self.attention_norm(x))
        return x + self.feed_forward(self.ffn_norm(x))


class Llama(nn.Module):
    def __init__(self, cfg: Config = Config()):
        super().__init__()
        self.cfg = cfg
        self.tok_embeddings = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.layers = nn.ModuleList([Block(cfg) for _ in range(cfg.n_layers)])
        self.norm = RMSNorm(cfg.dim)
        self.output = nn.Linear(cfg.dim, cfg.vocab_size, bias=False)

    def forward(self, tokens):
        h = self.tok_embeddings(tokens)
        for layer in self.layers:
            h = layer(h)
        return self.output(self.norm(h))
"""

LLAMA_SIZES = {  # name: (dim, layers, heads, hidden)
    "45M": (512, 4, 8, 1376),
    "100M": (768, 12, 12, 2048),
    "1B": (2048, 16, 32, 5632),
    "7B": (4096, 32, 32, 11008),
    "13B": (5120, 40, 40, 13824),
    "70B": (8192, 80, 64, 28672),
}

RESNET = """
import torch.nn as nn


class Bottleneck(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels // 4, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels // 4)
        self.conv2 = nn.Conv2d(channels // 4, channels // 4, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels // 4)
        self.conv3 = nn.Conv2d(channels // 4, channels, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU()

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        return self.relu(self.bn3(self.conv3(out)) + x)


class Deep(nn.Module):
    def __init__(self, blocks={blocks}):
        super().__init__()
        self.stem = nn.Conv2d(3, 256, 7, stride=4, padding=3)
        self.body = nn.Sequential(*[Bottleneck(256) for _ in range(blocks)])
        self.head = nn.Linear(256, 1000)

    def forward(self, x):
        return self.head(self.body(self.stem(x)).mean((2, 3)))
"""


@contextlib.contextmanager
def edited_run(root: Path) -> Iterator[Run]:
    """resnet50 after a one-line edit of resnet.py before every run (a comment line appended): the stored
    result no longer applies, and the run analyzes everything again. On a copy of the sources."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "sources"
        shutil.copytree(root / "torchvision", copy / "torchvision")
        env = {**os.environ, "STATICFLOPS_CACHE_DIR": str(Path(scratch) / "cache")}
        target = copy / "torchvision" / "models" / "resnet.py"
        original = target.read_text(encoding="utf-8")
        command = staticflops(
            str(target), "--model", "resnet50()", "--path", str(copy), "-i", "1,3,224,224", "-f", "json"
        )
        subprocess.run(command, capture_output=True, env=env, check=False)  # stores a result the edits invalidate

        def edit(run: int) -> None:
            target.write_text(f"{original}# edit {run}\n", encoding="utf-8")

        yield command, env, edit


LLAMA3_70B = HERE.parent / "fixtures" / "hf_configs" / "llama3_70b.json"


def config_section(runs: int) -> str:
    """LLaMA-3-70B's published hyperparameters as a config.json, priced from the installed transformers'
    source (issue: under 2 s and 100 MB)."""
    probe = "import importlib.util, sys; sys.exit(importlib.util.find_spec('transformers') is None)"
    found = subprocess.run([sys.executable, "-c", probe], check=False)
    heading = "### A Hugging Face config: LLaMA-3-70B (`fixtures/hf_configs/llama3_70b.json`, 80 layers)\n\n"
    if found.returncode != 0:
        return heading + "transformers is not installed where this benchmark runs (pip install --no-deps transformers)."
    with tempfile.TemporaryDirectory() as cache_dir:
        warm_env = {**os.environ, "STATICFLOPS_CACHE_DIR": cache_dir}
        json_run = staticflops(str(LLAMA3_70B), "-f", "json")
        subprocess.run(json_run, capture_output=True, env=warm_env, check=False)
        table_run = staticflops(str(LLAMA3_70B))
        runs_measured: list[Run] = [(json_run, COLD, None), (table_run, COLD, None), (json_run, warm_env, None)]
        cold_json, cold_table, warm = measure_together(runs_measured, runs)
    rows = [
        ("`staticflops llama3_70b.json -f json`", f"{cold_json[0]:.2f}", f"{cold_json[1]:.0f}"),
        ("`staticflops llama3_70b.json` (the table)", f"{cold_table[0]:.2f}", f"{cold_table[1]:.0f}"),
        ("the JSON run, repeated on unchanged files (cached)", f"{warm[0]:.2f}", f"{warm[1]:.0f}"),
    ]
    return heading + table(rows, ("command", "seconds", "peak RSS (MB)"))


def corpus_sections(models: Path, runs: int) -> list[str]:
    """Every torchvision classification model, and every timm model file, each in one invocation."""
    files = [str(models / f"{name}.py") for name in CLASSIFICATION]
    corpus = []
    for jobs in (1, 2):
        seconds, memory = measure(staticflops(*files, "-f", "json", "--jobs", str(jobs)), max(1, runs // 2), COLD)
        corpus.append(
            (
                f"{len(files)} files, every model that builds by default, `--jobs {jobs}`",
                f"{seconds:.2f}",
                f"{memory:.0f}",
            )
        )
    torchvision = "### Every torchvision classification model in one invocation\n\n" + table(
        corpus, ("run", "seconds", "peak RSS (MB)")
    )
    return [torchvision, timm_corpus(max(1, runs // 3))]


def timm_corpus(runs: int, jobs: int = 2) -> str:
    """Every file of timm's `timm/models/` in one invocation: what the run costs, and what it found
    (the models reported, and how many of them are complete: every parameter and every FLOP known)."""
    root = fetch_timm()
    files = sorted(str(path.relative_to(root)) for path in (root / "timm" / "models").glob("*.py"))
    command = staticflops(*files, "-f", "json", "--jobs", str(jobs))
    seconds, memory, found = [], [], {}
    for _ in range(runs):  # measured as `measure` does, keeping the report: the run takes minutes
        wall, rss, stdout = timed(command, COLD, root)
        seconds.append(wall)
        memory.append(rss)
        found = json.loads(stdout)
    complete = sum(1 for model in found["models"] if model["complete"])
    row = (
        f"{len(files)} files of timm 1.0.31's `timm/models/`, `--jobs {jobs}`",
        f"{statistics.median(seconds):.1f}",
        f"{statistics.median(memory):.0f}",
        str(len(found["models"])),
        str(complete),
        str(len(found["skipped"])),
    )
    header = ("run", "seconds", "peak RSS (MB)", "models reported", "complete", "candidates skipped")
    return "### Every timm model file in one invocation\n\n" + table([row], header)


def size_section(runs: int) -> tuple[list[tuple[str, ...]], str]:
    """The LLaMA-style rows of the model-size table, and the sentence giving the ratio of the peak memory
    of the 70B-class definition (80 blocks) to that of the 45M one (4 blocks) of the same code."""
    rows, memory = [], {}
    with tempfile.TemporaryDirectory() as scratch:
        for name, (dim, layers, heads, hidden) in LLAMA_SIZES.items():
            path = Path(scratch) / f"llama_{name}.py"
            path.write_text(textwrap.dedent(LLAMA).format(dim=dim, layers=layers, heads=heads, hidden=hidden))
            params = layers * (4 * dim * dim + 3 * dim * hidden + 2 * dim) + 2 * 32000 * dim + dim
            seconds, memory[name] = measure(staticflops(str(path), "--model", "Llama", "-f", "json"), runs, COLD)
            rows.append(
                (
                    f"LLaMA-style {name}",
                    f"{params / 1e9:.2f} B",
                    f"{layers} blocks",
                    f"{seconds:.2f}",
                    f"{memory[name]:.0f}",
                )
            )
    ratio = memory["70B"] / memory["45M"]
    sentence = (
        f"Peak memory of the 70B-class definition (80 blocks) against the 45M one (4 blocks) of the same code, "
        f"`-f json`: {memory['70B']:.1f} MB / {memory['45M']:.1f} MB = **{ratio:.2f}×** (target: at most 1.10×)."
    )
    return rows, sentence


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--torch", help="a Python interpreter with torch installed, for the dynamic counters")
    parser.add_argument("--write", action="store_true", help="write the results into docs/performance.md")
    parser.add_argument("--corpus-only", action="store_true", help="only the two corpus runs (printed, not written)")
    parser.add_argument(
        "--memory-only", action="store_true", help="only the LLaMA-style sizes and their memory ratio (printed)"
    )
    args = parser.parse_args()
    if args.memory_only:
        rows, sentence = size_section(args.runs)
        print(table(rows, ("model", "parameters", "traced", "seconds", "peak RSS (MB)")) + "\n\n" + sentence)
        return 0
    root = fetch_sources()
    models = root / "torchvision" / "models"
    if args.corpus_only:
        print("\n\n".join(corpus_sections(models, args.runs)))
        return 0
    sections = []

    # 1. one model against the floor, and against the dynamic counters
    compileall.compile_dir(HERE.parent / "staticflops", quiet=1)
    resnet = models / "resnet.py"
    read = files_read(resnet, root, "resnet50()")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as floor_script:
        floor_script.write(FLOOR)
    resnet50 = staticflops(str(resnet), "--model", "resnet50()", "--path", str(root), "-i", "1,3,224,224", "-f", "json")
    with tempfile.TemporaryDirectory() as cache_dir, edited_run(root) as edited_command:
        warm_env = {**os.environ, "STATICFLOPS_CACHE_DIR": cache_dir}
        subprocess.run(resnet50, capture_output=True, env=warm_env, check=False)  # stores the result
        ours_runs: list[Run] = [(resnet50, COLD, None), (resnet50, warm_env, None), edited_command]
        floor, ours, warm, edited = measure_together(
            [([sys.executable, floor_script.name, *read], None, None), *ours_runs], 3 * args.runs
        )
        if args.torch:  # the counters and ours in turn, so that the ratios see the same machine
            counters = _dynamic(args.torch)
            measured = measure_together([*ours_runs, *counters.values()], args.runs, warm=True)
    rows = [
        ("floor: Python + typer, rich + `ast.parse` of the files read", f"{floor[0]:.2f}", f"{floor[1]:.0f}", "1.00"),
        ("`staticflops resnet.py --model resnet50()`", f"{ours[0]:.2f}", f"{ours[1]:.0f}", f"{ours[0] / floor[0]:.2f}"),
        (
            "the same, repeated on unchanged files (cached)",
            f"{warm[0]:.2f}",
            f"{warm[1]:.0f}",
            f"{warm[0] / floor[0]:.2f}",
        ),
        (
            "the same, after a one-line edit of resnet.py",
            f"{edited[0]:.2f}",
            f"{edited[1]:.0f}",
            f"{edited[0] / floor[0]:.2f}",
        ),
    ]
    sections.append(
        f"### One model: torchvision's resnet50 ({len(read)} files read)\n\n"
        + table(rows, ("command", "seconds", "peak RSS (MB)", "× floor"))
    )
    if args.torch:
        (cold, _), (cached, _), (after_edit, _) = measured[:3]
        rows = [
            ("`staticflops resnet.py --model resnet50()`", *_figures(measured[0]), "1.0", "", ""),
            ("the same, cached", *_figures(measured[1]), "", "1.0", ""),
            ("the same, after a one-line edit", *_figures(measured[2]), "", "", "1.0"),
        ]
        for name, (seconds, memory) in zip(counters, measured[3:], strict=True):
            ratios = (f"{seconds / reference:.1f}" for reference in (cold, cached, after_edit))
            rows.append((name, f"{seconds:.2f}", f"{memory:.0f}", *ratios))
        header = ("command", "seconds", "peak RSS (MB)", "× staticflops", "× cached", "× after an edit")
        sections.append(
            "### Against the dynamic counters, same model (torchvision's resnet50, batch 1), whole processes, "
            f"torch import included, each command in turn ({args.runs} rounds), each measured run right after an "
            "unmeasured one of the same command (a warm-up, as hyperfine's `--warmup`)\n\n" + table(rows, header)
        )
    sections.append(_stages(root, models, max(3, args.runs // 2)))

    # 2. a Hugging Face config of a 70B-class model
    sections.append(config_section(args.runs))

    # 3. the whole corpus
    sections.extend(corpus_sections(models, args.runs))

    # 4. model size
    scale, memory_ratio = size_section(args.runs)
    with tempfile.TemporaryDirectory() as scratch:
        for blocks in (8, 16, 33, 100, 333):
            path = Path(scratch) / f"deep_{blocks}.py"
            path.write_text(textwrap.dedent(RESNET).format(blocks=blocks))
            seconds, memory = measure(
                staticflops(str(path), "--model", "Deep", "-i", "1,3,224,224", "-f", "json"), args.runs, COLD
            )
            scale.append(
                (f"ResNet-style, {3 * blocks + 2} layers", "", f"{blocks} blocks", f"{seconds:.2f}", f"{memory:.0f}")
            )
    # the reference for memory: torchvision's own ResNet-18
    seconds, memory = measure(
        staticflops(str(resnet), "--model", "resnet18()", "--path", str(root), "-i", "1,3,224,224", "-f", "json"),
        args.runs,
        COLD,
    )
    scale.append(("torchvision resnet18", "0.01 B", "8 blocks", f"{seconds:.2f}", f"{memory:.0f}"))
    sections.append(
        "### Model size: time follows the code traced, never the parameters\n\n"
        + table(scale, ("model", "parameters", "traced", "seconds", "peak RSS (MB)"))
        + "\n\n"
        + memory_ratio
    )

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    report = "\n\n".join(sections)
    print(report)
    if args.write:
        DOCS.write_text(
            "<!-- GENERATED by benchmarks/performance.py - DO NOT EDIT -->\n# Performance\n\n"
            f"Measured on {machine} with `python benchmarks/performance.py --write"
            f"{' --torch PYTHON' if args.torch else ''}`: medians of fresh processes (wall seconds, peak RSS).\n\n"
            + report
            + "\n\n"
            + NOTES
        )
    return 0


NOTES = """### Reading these figures

* **Floor.** What any tool with this CLI pays: starting Python, importing typer and rich, and
  parsing the files involved with CPython's parser. Only the files a model needs are read: `from x import y` binds names
  that load on first use, and a parameter default naming a module not loaded yet (torchvision's
  `interpolation=InterpolationMode.BILINEAR`) is evaluated by the first call that needs it, so
  resnet50 reads 6 files instead of the 14 its weights enums would pull in through
  `torchvision.transforms`. The analysis parses with `ast` too (it replaced libcst, whose import alone
  took 0.25 s: docs/architecture.md).
* **What is ours.** Above the floor: importing staticflops itself (the catalog, the interpreter), the
  interpretation, and writing the report. The command raises the cycle collector's thresholds: parsing
  and tracing make millions of objects and almost no cycles, and the default thresholds cost about 15%
  of a run; it freezes what it imported (`gc.freeze()`), so that the collector never walks the
  catalog and the interpreter's own code; and it ends with `os._exit` once its output is flushed,
  instead of freeing those objects one by one (about 8%). typer is kept below 0.29, which builds a
  pydantic adapter for every option at each invocation (+0.2 s here).
* **Dynamic counters** must import torch and torchvision and build the model before counting (with
  real weights, except on the meta device); staticflops needs neither. In the comparison, each
  measured run comes right after an unmeasured run of the same command: the first process after
  torch's runs (staticflops or any other) ran about 15% slower, which a 0.2 s command would carry
  alone. A repeated run on unchanged
  files prints the cached result (docs/usage.md, "Cache"): it costs Python's start-up and
  staticflops' imports, and checks the files it depends on. After an edit, the stored result no
  longer applies and the run analyzes everything again, but parses only the edited file: the trees of
  the others are loaded from the cache's `trees/`, kept under the sha256 of their bytes (five of
  resnet50's six files; docs/architecture.md, "Parsed files kept by content"). They are pickles,
  read by an unpickler that builds nothing but syntax-tree nodes, so that a cache directory a CI job
  restores from a shared store cannot run code. What an edited run costs is then mostly start-up:
  Python itself, typer, the catalog and the interpreter (a catalog family's file is imported only when
  the model uses one of its entries), then the analysis of resnet50.
* **Corpus.** One interpreter serves all the files of a run, so modules they share are read once;
  `--jobs N` (default: the number of cores) shares the files out across processes, each worker taking
  the next file, largest first, when it is done with one. A timm file registers up to 160 models
  (`vision_transformer.py`), and without `--model` each is built, its input shape found and traced
  (docs/usage.md, "Files that register many models"): the run is about 1,400 analyses. What keeps
  that linear: a model whose input the shape search found is reported from the search's own trace,
  not traced again; positions come with the parsed nodes, so a file's hundredth model does not
  rescan it; a worker drops each file's traces when it is done. Two things cost the corpus a third
  of its time before: CPython 3.11 unmapping and remapping a chunk of its frame stack at every call
  where the interpreter's depth crossed a chunk's edge (a fifth of the run in the kernel; analyses now
  run under a frame that keeps a 2 MB chunk mapped), and TinyViT's attention-bias tables, millions of
  Python iterations that kept one worker busy for two minutes (a long loop that only computes local
  values is now cut: docs/architecture.md).
* **Size.** Time and memory follow the number of layer calls traced, not the parameter count: a
  78-billion-parameter LLaMA-style model costs about what a 100-million one does, and its peak
  memory is within a few percent of torchvision's ResNet-18 (last row).
* **Memory per block.** A deeper model adds only its records, about 30 KB per LLaMA block of ~34
  calls (`tests/test_memory.py` measures it with tracemalloc): each call's record is made as the
  trace is consumed, and the trace, the interpreter and the parse trees are freed with the analysis
  (no result refers to them); equal shapes, arguments, works and names are shared between the
  records of a trace and of a model (`staticflops/interning.py`), which are slotted; `--format json`
  writes its document a layer at a time when nothing keeps the text (the cache does, for output that
  is not a terminal); the table makes the text of the rows it shows only, and hands rich runs of
  one-line rows as one row of multi-line cells (the same lines, laid out about 4× faster).
"""


DYNAMIC = """
import sys
import torch, torchvision

tool = sys.argv[1]
x = torch.randn(1, 3, 224, 224)
if tool == "flop_counter_meta":  # the cheapest dynamic count: no weights are initialized
    from torch.utils.flop_counter import FlopCounterMode
    with torch.device("meta"):
        model = torchvision.models.resnet50().eval()
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(x.to("meta"))
    print(counter.get_total_flops())
    raise SystemExit
model = torchvision.models.resnet50().eval()
if tool == "flop_counter_cpu":
    from torch.utils.flop_counter import FlopCounterMode
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(x)
    print(counter.get_total_flops())
elif tool == "thop":
    from thop import profile
    with torch.no_grad():
        print(profile(model, inputs=(x,), verbose=False)[0])
elif tool == "ptflops":
    from ptflops import get_model_complexity_info
    with torch.no_grad():
        print(get_model_complexity_info(model, (3, 224, 224), as_strings=False, print_per_layer_stat=False)[0])
elif tool == "fvcore":
    from fvcore.nn import FlopCountAnalysis
    print(FlopCountAnalysis(model, x).unsupported_ops_warnings(False).total())
"""

COUNTERS = {
    "thop": "`thop.profile`",
    "ptflops": "`ptflops.get_model_complexity_info`",
    "fvcore": "`fvcore.nn.FlopCountAnalysis` (grad enabled)",
    "flop_counter_cpu": "`torch.utils.flop_counter.FlopCounterMode`, on the CPU",
    "flop_counter_meta": "`torch.utils.flop_counter.FlopCounterMode`, built and run on the meta device",
}


def _figures(measured: tuple[float, float]) -> tuple[str, str]:
    return f"{measured[0]:.2f}", f"{measured[1]:.0f}"


def _dynamic(python: str) -> dict[str, Run]:
    """Each counter installed in `python`, on torchvision's resnet50: import, build, count."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(DYNAMIC)
    runs: dict[str, Run] = {}
    for tool, name in COUNTERS.items():
        module = "torch" if tool.startswith("flop_counter") else tool
        if subprocess.run([python, "-c", f"import torchvision, {module}"], capture_output=True).returncode != 0:
            print(f"{tool}: not installed in {python}, skipped", file=sys.stderr)
            continue
        runs[f"build resnet50 in torch, count with {name}"] = ([python, script.name, tool], None, None)
    return runs


TIMINGS = re.compile(
    r"parse (?P<parse>[\d.]+) s, interpret (?P<interpret>[\d.]+) s, render (?P<render>[\d.]+) s, "
    r"total [\d.]+ s \(after (?P<startup>[\d.]+) s of start-up\)"
)
STAGES = ("startup", "parse", "interpret", "render")


def _stages(root: Path, models: Path, runs: int) -> str:
    """Where the time of one model goes: `--timings` on every classification model, medians of `runs`."""
    files = model_files(root)
    rows = []
    for row in csv.DictReader(REFERENCE.open(), delimiter="\t"):
        name = row["name"]
        shape = row["input"].replace("x", ",")
        samples: dict[str, list[float]] = {stage: [] for stage in STAGES}
        for _ in range(runs):
            done = subprocess.run(
                staticflops(str(files[name]), "--model", f"{name}()", "--path", str(root), "-i", shape, "-f", "json",
                            "--timings"),
                capture_output=True, text=True,
            )  # fmt: skip
            match = TIMINGS.search(done.stderr)
            if match is None:
                raise RuntimeError(f"{name}: no timings in {done.stderr[-300:]}")
            for stage in STAGES:
                samples[stage].append(float(match[stage]))
        medians = [statistics.median(samples[stage]) for stage in STAGES]
        rows.append((name, *(f"{m:.3f}" for m in medians), f"{sum(medians):.2f}"))
    return f"### Where the time goes, per model (`--timings`, medians of {runs} runs)\n\n" + table(
        rows, ("model", "start-up", "parse", "interpret", "render", "in all")
    )


if __name__ == "__main__":
    raise SystemExit(main())
