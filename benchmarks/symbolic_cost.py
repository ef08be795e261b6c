"""What a symbolic run costs against the concrete run of the same model, in-process (docs/symbolic.md, "Cost").

Python function calls of one `analyze()` under cProfile (repeatable on a shared machine), and the median
CPU time (`time.process_time`) of several runs, the variants in turn, after one warm-up run of each:

* concrete: `analyze([file])` (the input inferred; the shape search's trace is the model's trace);
* symbolic: `analyze([file], symbolic=...)` with the input named (`-i B,3,H,W`), without checks and with
  the default two.

    python benchmarks/symbolic_cost.py                               # resnet50, gpt, vit
    python benchmarks/symbolic_cost.py fixtures/resnet50.py B,3,H,W --runs 15
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from staticflops import analyze
from staticflops.symbolic.options import SymbolicOptions, parse_pattern

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [("fixtures/resnet50.py", "B,3,H,W"), ("fixtures/gpt.py", "B,L"), ("fixtures/vit.py", "B,3,H,W")]


def calls(run: Callable[[], object]) -> int:
    profile = cProfile.Profile()
    profile.enable()
    run()
    profile.disable()
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined, no-any-return]


def cpu(variants: list[Callable[[], object]], runs: int) -> list[float]:
    """Median CPU time of each variant, the variants run in turn (so that a shared machine's load, which
    drifts, weighs on each alike)."""
    times: list[list[float]] = [[] for _ in variants]
    for _ in range(runs):
        for index, run in enumerate(variants):
            started = time.process_time()
            run()
            times[index].append(time.process_time() - started)
    return [statistics.median(t) for t in times]


def measure(file: Path, pattern: str, runs: int) -> list[tuple[str, int, float]]:
    _, named = parse_pattern(pattern)
    variants: list[tuple[str, Callable[[], object]]] = [
        ("concrete", lambda: analyze([file])),
        ("symbolic, no check", lambda: analyze([file], symbolic=SymbolicOptions(inputs=(named,), checks=0))),
        ("symbolic, 2 checks", lambda: analyze([file], symbolic=SymbolicOptions(inputs=(named,)))),
    ]
    for _, run in variants:
        run()  # warm-up: imports, the catalog
    seconds = cpu([run for _, run in variants], runs)
    return [(name, calls(run), t) for (name, run), t in zip(variants, seconds, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?")
    parser.add_argument("pattern", nargs="?", default="B,3,H,W")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    cases = [(args.file, args.pattern)] if args.file else DEFAULT
    for file, pattern in cases:
        rows = measure(ROOT / file if not Path(file).is_absolute() else Path(file), pattern, args.runs)
        base_calls, base_cpu = rows[0][1], rows[0][2]
        print(f"{file} (-i {pattern})")
        for name, count, seconds in rows:
            ratio = f"{count / base_calls:.2f}x calls, {seconds / base_cpu:.2f}x CPU"
            print(f"  {name:20} {count:9,} calls  {seconds:.4f} s  ({ratio})")


if __name__ == "__main__":
    main()
