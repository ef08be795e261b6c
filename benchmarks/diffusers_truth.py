"""Reference ("truth") parameters and FLOPs of the diffusers cases, measured with real PyTorch.

A measurement tool for the project's own scoring (never imported by `staticflops` or its tests). It
needs torch and diffusers (written for torch 2.14.1 and diffusers 0.35.2, installed with `pip install
diffusers==0.35.2`). The cases are `benchmarks/diffusers_suite.py`'s: each is one of our own
user-style files in `benchmarks/diffusers_models/`, the module-level model it builds, and the inputs
of one `forward` call.

    python benchmarks/diffusers_truth.py   # rewrites benchmarks/diffusers_reference.json

Per case:

* the file is run with `runpy.run_path` (not as `__main__`, so its usage block does not run) inside
  `with torch.device("meta")`, and the model is put in eval mode;
* the inputs are made on the meta device: `torch.randn(shape)` for a float input, `torch.tensor(values)`
  for integer ones (timesteps, class labels);
* `params` is `sum(p.numel() for p in model.parameters())`;
* `seed_conv_linear_flops` is the seed FLOPs of every `F.linear` / `F.conv*` / `F.conv_transpose*`
  call of one `forward` under `torch.no_grad()`, seen by `timm_truth`'s `TorchFunctionMode` (the same
  per-call rule as the timm reference);
* `torch_flops` is `FlopCounterMode(display=False).get_total_flops()` of a second `forward` under
  `torch.no_grad()`.

If the meta device fails, the case is measured the same way on the CPU (`torch.manual_seed(0)`, real
random inputs, `sdpa_kernel(SDPBackend.MATH)` so attention is counted as on the meta device), and
`device` says so.
"""

from __future__ import annotations

import contextlib
import json
import runpy
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from diffusers_suite import CASES, MODELS, REFERENCE  # noqa: E402
from timm_truth import _seed_capture_mode  # noqa: E402


def make_inputs(spec: dict[str, Any], device: str) -> dict[str, Any]:
    """The case's inputs, as its usage block makes them (`Case` says how they are written)."""
    import torch

    inputs: dict[str, Any] = {}
    for name, (kind, value) in spec.items():
        if kind == "randn":
            inputs[name] = torch.randn(tuple(value), device=device)
        elif kind == "zeros":
            inputs[name] = torch.zeros(tuple(value), device=device)
        elif kind == "ones":
            inputs[name] = torch.ones(tuple(value), device=device)
        elif kind == "randint":
            inputs[name] = torch.randint(0, value[0], tuple(value[1]), device=device)
        elif kind == "constant":
            inputs[name] = value
        elif kind == "dict":
            inputs[name] = make_inputs(value, device)
        elif kind == "none":
            inputs[name] = None
        else:
            inputs[name] = torch.tensor(value, device=device)
    return inputs


def measure(case: Any, device: str) -> dict[str, Any]:
    import torch
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from torch.utils.flop_counter import FlopCounterMode

    torch.manual_seed(0)
    with torch.device(device):
        model = runpy.run_path(str(MODELS / case.file), run_name="diffusers_truth")[case.variable]
    model.eval()
    params = sum(p.numel() for p in model.parameters())
    inputs = make_inputs(case.inputs, device)
    with contextlib.ExitStack() as stack:
        stack.enter_context(torch.no_grad())
        if device == "cpu":
            stack.enter_context(sdpa_kernel(SDPBackend.MATH))
        mode = _seed_capture_mode()
        with mode:
            model(**inputs)
        with FlopCounterMode(display=False) as counter:
            model(**inputs)
    return {
        "params": params,
        "seed_conv_linear_flops": mode.flops,
        "torch_flops": int(counter.get_total_flops()),
        "device": device,
    }


def main() -> int:
    import diffusers
    import torch

    found: dict[str, Any] = {"torch": torch.__version__.split("+")[0], "diffusers": diffusers.__version__, "cases": {}}
    for case in CASES:
        try:
            row = measure(case, "meta")
        except Exception as exc:  # a meta failure is retried on the CPU
            print(f"{case.name}: meta failed ({type(exc).__name__}: {exc}); on the CPU", file=sys.stderr)
            row = measure(case, "cpu")
        found["cases"][case.name] = row
        print(case.name, row)
    REFERENCE.write_text(json.dumps(found, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
