"""Run staticflops over every config of fixtures/hf_configs/ and score it against PyTorch.

The reference figures are benchmarks/transformers_reference.json (benchmarks/transformers_truth.py,
torch 2.14.1 and transformers 5.24.0 on the meta device). Each config is analyzed as
`staticflops CONFIG --input-shape input_ids=1,L -c torch` would, at L = 128 and 512 (an image model
once, at its config's image size), and `--decode 128` for the decoders; the analyses share one
interpreter, so transformers' modules are read once. The scoreboard compares params, the torch
convention's total, the seed FLOPs of the linear layers, a decoding step's total and the key/value
cache's bytes, and says how long the first analysis of a config took.

Needs `transformers` installed where staticflops reads libraries (pip install --no-deps
transformers==5.24.0; torch is not needed):

    python benchmarks/transformers_suite.py            # every config
    python benchmarks/transformers_suite.py llama_tiny # only the named ones
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from staticflops.api import RECURSION_LIMIT  # noqa: E402
from staticflops.conventions import Convention, price  # noqa: E402
from staticflops.frontends.hf_config import analyze_config  # noqa: E402
from staticflops.interpreter.budget import Limits  # noqa: E402
from staticflops.models import new_interpreter  # noqa: E402
from staticflops.source import Project  # noqa: E402
from staticflops.source.libraries import find_libraries  # noqa: E402

CONFIGS = ROOT / "fixtures" / "hf_configs"
REFERENCE = ROOT / "benchmarks" / "transformers_reference.json"
LINEAR_TYPES = ("Linear", "F.linear", "torch.addmm")


def main(names: list[str]) -> int:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    reference = json.loads(REFERENCE.read_text())["configs"]
    libraries = find_libraries(True, None, None)
    project = Project(library_roots=[Path(root) for root in libraries.roots], libraries=libraries.origin)
    interp = new_interpreter(project, Limits())
    failures = 0
    print(f"{'config':<16}{'figure':<22}{'staticflops':>20}{'pytorch':>20}  ok   seconds")
    for name in sorted(reference):
        if names and name not in names:
            continue
        truth = reference[name]
        lengths = [int(key.rsplit("_", 1)[1]) for key in truth if key.startswith("torch_eager_")]
        for length in sorted(lengths):
            shapes = {"input_ids": (1, length)} if length else None
            started = time.perf_counter()
            result = analyze_config(project, interp, CONFIGS / f"{name}.json", model=None, input_shapes=None,
                                    named_shapes=shapes, convention=Convention.TORCH, limits=Limits())  # fmt: skip
            seconds = time.perf_counter() - started
            if not result.models:
                print(f"{name:<16}{'(no model)':<22}", *(d.format() for d in result.diagnostics))
                failures += 1
                continue
            model = result.models[0]
            seed = sum(price(layer.works, Convention.SEED) for layer in model.layers if layer.type in LINEAR_TYPES)
            rows = [
                ("params", model.params, truth["params"]),
                (f"torch@{length}", model.flops, truth.get(f"torch_sdpa_{length}", truth[f"torch_eager_{length}"])),
                (f"seed linear@{length}", seed, truth[f"seed_linear_{length}"]),
            ]
            failures += _print(name, rows, seconds)
        decode = [key for key in truth if key.startswith("decode_") and key.endswith("_torch")]
        for key in decode:
            length = int(key.split("_")[1])
            started = time.perf_counter()
            result = analyze_config(project, interp, CONFIGS / f"{name}.json", model=None, input_shapes=None,
                                    named_shapes=None, convention=Convention.TORCH, limits=Limits(),
                                    decode=length)  # fmt: skip
            seconds = time.perf_counter() - started
            model = result.models[0]
            note = next((d.message for d in model.diagnostics if "one decoding step" in d.message), "")
            found = re.search(r"holds ([\d,]+) bytes", note)
            held = int(found.group(1).replace(",", "")) if found else None
            rows = [(f"decode@{length}", model.flops, truth[key]),
                    (f"cache bytes@{length}", held, truth[f"decode_{length}_cache_bytes"])]  # fmt: skip
            failures += _print(name, rows, seconds)
    print(f"\n{failures} figure(s) differ" if failures else "\nevery figure equals PyTorch's")
    return 1 if failures else 0


def _print(name: str, rows: list[tuple[str, object, object]], seconds: float) -> int:
    failures = 0
    for index, (figure, ours, theirs) in enumerate(rows):
        ok = ours == theirs
        failures += not ok
        timing = f"{seconds:7.2f}" if index == 0 else ""
        print(f"{name:<16}{figure:<22}{ours!s:>20}{theirs!s:>20}  {'yes' if ok else 'NO ':<4} {timing}")
    return failures


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
