"""Run staticflops over the whole torchvision 0.29.1 zoo and score it.

The torchvision wheel is fetched with `pip download torchvision==0.29.1 --no-deps` (no
torch needed) and its Python sources unpacked into benchmarks/.cache/. Each model is analyzed
statically, built as the reference figures built it, at their input shape:

* the 80 classification models (benchmarks/torchvision_reference.tsv): each model function of
  torchvision/models/*.py called with no arguments;
* the rest of the zoo (benchmarks/torchvision_more_reference.tsv): quantizable models built with
  `quantize=False`, segmentation, video, optical flow and detection, each by the call of its
  `constructor` column (`torchvision.models.quantization.resnet18(weights=None, quantize=False)`
  is `resnet18(weights=None, quantize=False)` in torchvision/models/quantization/resnet.py);
  an input column of several shapes (`1x3x128x128;1x3x128x128`) is forward()'s arguments.

Both reference tables were measured with real PyTorch. The scoreboard compares:

* params: `sum(p.numel() for p in model.parameters())`;
* seed conv/linear FLOPs: the seed FLOPs of every convolution and linear op the forward
  executed (module calls, `nn.MultiheadAttention` projections and functional calls);
* the totals of the `thop`, `ptflops`, `fvcore` and `torch` conventions against what thop,
  ptflops (pytorch backend), fvcore (grad enabled) and `torch.utils.flop_counter` (meta device)
  reported for the same model.

A figure the reference leaves empty (the FLOPs of detection models, whose work depends on the
data) is not scored: such a model is scored on its params.

    python benchmarks/torchvision_suite.py            # prints the scoreboards, writes docs/benchmarks.md
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
MORE_REFERENCE = HERE / "torchvision_more_reference.tsv"
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


def model_files(root: Path, package: str = "torchvision.models") -> dict[str, Path]:
    """Model function name → the file of `package` (torchvision/models/ by default) that defines it."""
    files: dict[str, Path] = {}
    for path in sorted((root / package.replace(".", "/")).glob("*.py")):
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


@dataclass(frozen=True)
class Case:
    """One model to analyze: where its function is, the call that builds it, forward()'s input shapes."""

    name: str
    file: Path
    call: str
    inputs: tuple[tuple[int, ...], ...]
    expected: dict[str, str]


def cases(reference: Path, root: Path) -> list[Case]:
    """The rows of a reference table as cases. A row without a `constructor` column is a model function
    of torchvision/models/ called with no arguments (the classification table); otherwise the
    constructor's dotted prefix names the package whose files define the function."""
    found: list[Case] = []
    packages: dict[str, dict[str, Path]] = {}
    for row in csv.DictReader(reference.open(), delimiter="\t"):
        constructor = row.get("constructor") or f"torchvision.models.{row['name']}()"
        dotted, arguments = constructor.split("(", 1)
        package, function = dotted.rsplit(".", 1)
        if package not in packages:
            packages[package] = model_files(root, package)
        inputs = tuple(tuple(int(d) for d in shape.split("x")) for shape in row["input"].split(";"))
        found.append(Case(row["name"], packages[package][function], f"{function}({arguments}", inputs, row))
    return found


def _expected(row: dict[str, str], column: str) -> int | None:
    """A reference figure, None where the table leaves it empty (not measured)."""
    return int(row[column]) if row.get(column) else None


@dataclass
class Score:
    name: str
    params: int | None
    params_expected: int
    flops: int | None
    flops_expected: int | None
    seconds: float
    problem: str = ""
    tools: dict[Convention, tuple[int | None, int | None]] = field(default_factory=dict)
    """Convention → (our total, the tool's)."""

    @property
    def params_ok(self) -> bool:
        return self.params == self.params_expected

    @property
    def flops_ok(self) -> bool:
        """Exact, or nothing to compare with (a figure the reference did not measure is no shortfall)."""
        return self.flops_expected is None or self.flops == self.flops_expected

    def tool_ok(self, convention: Convention) -> bool:
        ours, theirs = self.tools.get(convention, (None, None))
        return theirs is None or ours == theirs

    @property
    def ok(self) -> bool:
        return self.params_ok and self.flops_ok and all(self.tool_ok(c) for c in TOOLS)


def run(case: Case, root: Path) -> Score:
    started = time.perf_counter()
    problem = ""
    params = flops = None
    expected = case.expected
    tools: dict[Convention, tuple[int | None, int | None]] = {
        c: (None, _expected(expected, col)) for c, col in TOOLS.items()
    }
    try:
        analysis = analyze([case.file], model=case.call, inputs=list(case.inputs), search_paths=[root])
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
                tools[convention] = (total, _expected(expected, column))
        if errors:
            problem = errors[0].format()
        elif analysis.models and not analysis.models[0].flops_complete:
            unknown = [d for d in analysis.models[0].diagnostics if d.code.code in ("SF305", "SF301", "SF302")]
            problem = unknown[0].format() if unknown else "incomplete"
        elif not analysis.models:
            problem = "; ".join(d.format() for d in analysis.diagnostics[-1:]) or "no model"
    except Exception as exc:  # the scoreboard records crashes as failures
        problem = f"crash: {type(exc).__name__}: {exc}"
    return Score(
        case.name,
        params,
        int(expected["params"]),
        flops,
        _expected(expected, "seed_conv_linear_flops_all"),
        time.perf_counter() - started,
        problem.replace(str(root) + "/", ""),
        tools,
    )


def _cell(ok: bool, ours: int | None, theirs: int | None) -> str:
    if theirs is None:
        return "—"
    return "exact" if ok else f"{ours} ≠ {theirs}"


def scoreboard(scores: list[Score]) -> str:
    lines = [
        f"| model | params | seed conv/linear FLOPs | {' | '.join(TOOLS)} | time (s) | first problem |",
        "|---|---|---|" + "---|" * len(TOOLS) + "---|---|",
    ]
    for s in scores:
        tools = " | ".join(_cell(s.tool_ok(c), *s.tools[c]) for c in TOOLS)
        problem = s.problem.replace("|", "\\|")[:160]
        lines.append(
            f"| {s.name} | {_cell(s.params_ok, s.params, s.params_expected)} | "
            f"{_cell(s.flops_ok, s.flops, s.flops_expected)} | {tools} | {s.seconds:.2f} | {problem} |"
        )
    lines.append("")
    lines.append(totals(scores))
    return "\n".join(lines)


def totals(scores: list[Score]) -> str:
    """The scoreboard line: each figure exact out of the models the reference measured it for."""

    def count(oks: list[bool | None]) -> str:
        scored = [ok for ok in oks if ok is not None]
        return f"{sum(scored)}/{len(scored)}"

    flops = count([s.flops_ok if s.flops_expected is not None else None for s in scores])
    tools = ", ".join(
        f"{count([s.tool_ok(c) if s.tools[c][1] is not None else None for s in scores])} {c} totals" for c in TOOLS
    )
    return (
        f"**{count([s.params_ok for s in scores])} params exact, {flops} seed conv/linear FLOPs exact, "
        f"{tools} exact; {sum(s.seconds for s in scores):.1f} s in all.**"
    )


def cause(problem: str) -> str:
    """timm_suite's grouping of a problem (the diagnostic without positions, names and numbers), keeping
    its code (`SF301`, not `SFN`)."""
    from timm_suite import cause as grouping

    code = re.search(r"\bSF\d{3}\b", problem)
    text = grouping(problem)
    return text.replace("SFN", code.group(0), 1) if code else text


def shortfalls(scores: list[Score]) -> str:
    """Every model short of exact on some figure, grouped by the cause its first problem names."""
    groups: dict[str, list[Score]] = {}
    for s in scores:
        if not s.ok:
            groups.setdefault(cause(s.problem), []).append(s)
    if not groups:
        return "No shortfalls: every figure measured is exact."
    lines = ["| cause | models | figures short |", "|---|---|---|"]
    for text, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        names = ", ".join(f"{s.name} ({', '.join(short(s))})" for s in members)
        lines.append(f"| {text.replace('|', '/')} | {len(members)} | {names} |")
    return "\n".join(lines)


def unscored(scores: list[Score]) -> str:
    """The models with figures the reference did not measure, grouped by what the analysis says about
    their forward instead (for detection models: where its work starts to depend on the data)."""
    groups: dict[str, list[str]] = {}
    for s in scores:
        if s.flops_expected is None:
            where = re.match(r"([^ ]*:\d+):\d+: ", s.problem)
            name = f"{s.name} ({where.group(1)})" if where else s.name
            groups.setdefault(cause(s.problem) if s.problem else "complete, nothing to say", []).append(name)
    lines = ["| what the analysis reports | models (where) |", "|---|---|"]
    for text, names in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        lines.append(f"| {text.replace('|', '/')} | {', '.join(names)} |")
    return "\n".join(lines)


def short(score: Score) -> list[str]:
    """The figures of one model that are not exact."""
    figures = [] if score.params_ok else ["params"]
    figures += [] if score.flops_ok else ["seed"]
    return figures + [str(c) for c in TOOLS if not score.tool_ok(c)]


def main(argv: list[str]) -> int:
    root = fetch_sources()
    wanted = set(argv)
    suites: list[list[Score]] = []
    for reference in (REFERENCE, MORE_REFERENCE):
        scores = []
        for case in cases(reference, root):
            if wanted and case.name not in wanted:
                continue
            score = run(case, root)
            marks = [score.params_ok, score.flops_ok, all(score.tool_ok(c) for c in TOOLS)]
            params, flops, tools = ("ok " if ok else "BAD" for ok in marks)
            if score.flops_expected is None:
                flops = tools = "-- "
            print(
                f"{score.name:34} params {params} flops {flops} tools {tools} {score.seconds:6.2f}s "
                f"{score.problem[:140]}",
                flush=True,
            )
            scores.append(score)
        suites.append(scores)
        if scores:
            print(totals(scores))
    classification, more = suites
    if not wanted:
        DOCS.write_text(
            "<!-- GENERATED by benchmarks/torchvision_suite.py - DO NOT EDIT -->\n"
            "# torchvision classification suite\n\n"
            "Every classification model of torchvision 0.29.1, analyzed statically from the wheel's sources "
            "(`python benchmarks/torchvision_suite.py`), against figures measured with PyTorch 2.14.1 "
            "(`benchmarks/torchvision_reference.tsv`). Seed conv/linear FLOPs count every convolution and "
            "linear op the forward executes, `nn.MultiheadAttention` projections included.\n\n"
            + scoreboard(classification)
            + "\n\n# The rest of the torchvision zoo\n\n"
            "Every other model of torchvision 0.29.1, built as the reference built it (the `constructor` column of "
            "`benchmarks/torchvision_more_reference.tsv`, measured with PyTorch 2.14.1): quantizable models with "
            "`quantize=False` (plain float models), segmentation, video, optical flow and detection. Detection, "
            "keypoint and instance-segmentation models are scored on their params only: their work depends on "
            "the data, so the reference has no FLOPs for them (—).\n\n"
            + scoreboard(more)
            + "\n\n## Shortfalls by cause\n\n"
            + shortfalls(classification + more)
            + "\n\n## FLOPs not scored\n\n"
            "The reference has no FLOPs for these models (their work depends on the data); their params are "
            "scored above. What the analysis reports about their forward instead, by cause:\n\n" + unscored(more) + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
