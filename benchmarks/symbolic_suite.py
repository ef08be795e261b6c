"""The issue-#18 check over model libraries: each model's formulas against concrete traces at many sizes.

For each model, one symbolic run (`--symbolic`: every input size named, those the model pins put back as
numbers) with `checks` concrete traces of the same built model at random sizes that meet every condition
the trace recorded; the printed formulas (Python text) are evaluated at each of those sizes and compared
with what the concrete trace gave there. A model is `exact` when every formula agreed at every size;
otherwise it must have said so (SF308, formula withheld): a formula shown and wrong is a failure.

    python benchmarks/symbolic_suite.py                    # torchvision classification zoo and the timm sample
    python benchmarks/symbolic_suite.py torchvision resnet50 swin_t
    python benchmarks/symbolic_suite.py timm --checks 5

tests/test_symbolic.py runs the same over the same lists (slow marker).
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from staticflops import analyze  # noqa: E402
from staticflops.results import ModelResult  # noqa: E402
from staticflops.symbolic.options import SymbolicOptions  # noqa: E402

QUANTITIES = ("params", "flops", "macs", "activations")
CHECKS = 20

TIMM_SAMPLE = [
    "resnet18",
    "resnet50d",
    "resnext26ts",
    "seresnext26d_32x4d",
    "efficientnet_b0",
    "mobilenetv3_small_100",
    "mobilenetv4_conv_small",
    "ghostnet_100",
    "mixnet_s",
    "regnety_002",
    "rexnet_100",
    "densenet121",
    "dla34",
    "dpn68",
    "hrnet_w18_small",
    "cspresnet50",
    "darknet17",
    "vovnet39a",
    "convnext_atto",
    "convmixer_768_32",
    "poolformer_s12",
    "vit_tiny_patch16_224",
    "deit_tiny_patch16_224",
    "swin_tiny_patch4_window7_224",
    "levit_128s",
    "mobilevit_xxs",
    "efficientformer_l1",
    "coat_lite_tiny",
    "pit_ti_224",
    "tnt_s_patch16_224",
]
"""A spread over timm's families: residual, squeeze-excite, efficient/mobile, dense, dual-path, HRNet, CSP,
VoVNet, ConvNeXt, mixers, pooling-formers, ViTs, windowed and pyramid transformers, hybrids."""


class Case(NamedTuple):
    """One model: its file, the call that builds it, forward()'s input shapes, the library's sources."""

    name: str
    file: Path
    call: str
    inputs: list[tuple[int, ...]]
    root: Path


@dataclass
class Checked:
    """One model's symbolic run and what its formulas gave at the checked sizes."""

    name: str
    exact: bool
    flagged: bool
    """SF308 said which formula failed (or why none is given): the honest outcome of an inexact model."""
    sizes: int
    wrong: list[str] = field(default_factory=list)
    """Formulas shown although they disagree with a concrete trace: never acceptable."""
    seconds: float = 0.0
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.wrong and (self.exact or self.flagged)


def check_model(model: ModelResult, name: str, seconds: float = 0.0) -> Checked:
    """Evaluate each shown formula (its text, by Python) at every checked size against the concrete trace."""
    symbolic = model.symbolic
    flagged = any(d.code.code == "SF308" for d in model.diagnostics)
    if symbolic is None:
        return Checked(name, False, flagged, 0, note="no symbolic result", seconds=seconds)
    wrong = []
    for env, measured in zip(symbolic.checked, symbolic.measured, strict=True):
        for quantity in QUANTITIES:
            text = symbolic.quantities[quantity].expr
            if text is not None and eval(text, dict(env)) != measured[quantity]:  # the printed formula itself
                wrong.append(f"{quantity} at {env}: {eval(text, dict(env))} != {measured[quantity]}")
    note = "" if symbolic.exact else next((d.message for d in model.diagnostics if d.code.code == "SF308"), "")
    dims = ",".join(symbolic.inputs)
    return Checked(name, symbolic.exact, flagged, len(symbolic.checked), wrong, seconds, note or dims)


@functools.cache
def torchvision_cases() -> list[Case]:
    """(name, file, call, inputs, sources) of every classification model of benchmarks/torchvision_reference.tsv."""
    import torchvision_suite

    root = torchvision_suite.fetch_sources()
    reference = torchvision_suite.REFERENCE
    return [Case(c.name, c.file, c.call, list(c.inputs), root) for c in torchvision_suite.cases(reference, root)]


def timm_cases(names: list[str] | None = None) -> list[Case]:
    """The timm sample, each at the input of benchmarks/timm_reference.tsv."""
    root, files, inputs = _timm_tables()
    found = []
    for name in names or TIMM_SAMPLE:
        shape = tuple(int(d) for d in inputs[name].split("x"))
        found.append(Case(name, files[name], f"{name}()", [shape], root))
    return found


@functools.cache
def _timm_tables() -> tuple[Path, dict[str, Path], dict[str, str]]:
    """timm's sources, each architecture's file, and its reference input (read once: a test per model)."""
    import csv

    import timm_suite

    root = timm_suite.fetch_sources()
    inputs = {r["name"]: r["input"] for r in csv.DictReader(timm_suite.REFERENCE.open(), delimiter="\t")}
    return root, timm_suite.model_files(root), inputs


def run(case: Case, checks: int = CHECKS) -> tuple[Checked, ModelResult | None]:
    name, file, call, inputs, root = case
    started = time.process_time()
    options = SymbolicOptions(checks=checks)
    analysis = analyze([file], model=call, inputs=inputs, search_paths=[root], site_packages=False, symbolic=options)
    seconds = time.process_time() - started
    if not analysis.models:
        return Checked(name, False, False, 0, note="no model", seconds=seconds), None
    model = analysis.models[0]
    return check_model(model, name, seconds), model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("suite", nargs="?", choices=["torchvision", "timm", "all"], default="all")
    parser.add_argument("names", nargs="*")
    parser.add_argument("--checks", type=int, default=CHECKS)
    args = parser.parse_args()
    cases = []
    if args.suite in ("torchvision", "all"):
        cases += torchvision_cases()
    if args.suite in ("timm", "all"):
        cases += timm_cases([n for n in args.names] if args.suite == "timm" and args.names else None)
    cases = [c for c in cases if not args.names or c.name in args.names]
    total = 0.0
    for case in cases:
        checked, _ = run(case, args.checks)
        total += checked.seconds
        state = "exact" if checked.exact else ("flagged" if checked.flagged else "FAIL")
        if checked.wrong:
            state = "WRONG"
        shown = f"{checked.name:32} {state:8} {checked.sizes:3} sizes {checked.seconds:7.2f}s"
        print(f"{shown}  {checked.note[:150]}", flush=True)
        for line in checked.wrong[:3]:
            print(f"    {line}")
    print(f"total {total:.1f}s CPU over {len(cases)} models")


if __name__ == "__main__":
    main()
