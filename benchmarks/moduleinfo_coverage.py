"""ModuleInfo coverage: every `torch.nn` module of torch's ModuleInfo database, built and called in
staticflops' static world and in torch.

    PYTHONPATH=. /work/tvenv/bin/python benchmarks/moduleinfo_coverage.py            # prints the summary
    PYTHONPATH=. /work/tvenv/bin/python benchmarks/moduleinfo_coverage.py --write    # also records the result
    PYTHONPATH=. /work/tvenv/bin/python benchmarks/moduleinfo_coverage.py --module nn.LSTM --verbose

For each entry of `torch.testing._internal.common_modules.module_db` and up to `SAMPLES` of its
`module_inputs_func` samples (float32, CPU, `training=False`; spread evenly over the list when it is longer),
a tiny model is written whose `__init__` builds the module as code spells it (`nn.Conv2d(4, 5, 3,
padding='same')`) and whose `forward` calls it with the sample's forward inputs: its tensors are forward()'s
parameters (cast to the sample's dtype), everything else a Python literal. An output that nests tuples
(`LSTM`'s `(output, (h, c))`) is returned flattened, so that the static reveal and torch's describe it alike.
The same source is analyzed statically (its inputs given by a usage block: torch is never imported by the
analysis) and run in torch, in eval mode, on the sample's own tensors. They agree when the parameter counts
are the same (`sum(p.numel() for p in m.parameters())`, after the first call for lazy modules), the output
shapes are, and staticflops' FLOPs under the `torch` convention equal `FlopCounterMode`'s total on the meta
device (the CPU's where the meta device cannot run the module).

A module is *covered* when every sample agrees, *missing* when staticflops does not know the module or a call
it makes (SF301 naming it, SF305), *wrong* otherwise, and *excluded* with its reason when no sample can be
written as a model (`Unsupported`). `--write` records the result in docs/moduleinfo-coverage.json, from which
scripts/generate_docs.py writes the ModuleInfo section of docs/supported.md (regenerated here too);
tests/test_moduleinfo_coverage.py holds staticflops to it.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from module_extras import NOT_MODULES, ExtraInfo, extra_infos  # a sibling script, not a package

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "docs" / "moduleinfo-coverage.json"
SAMPLES = 16
"""Samples tried per module: all of them up to this many, else this many spread evenly over those ModuleInfo
lists that can be written as a model (`nn.CrossEntropyLoss` has 105, `nn.LinearCrossEntropyLoss` 865). With
`--samples 1000`, every one of the 1,813 samples of torch 2.14.1 is tried (5 minutes on 2 cores, against half a
minute): all agreed when this was written."""

CASTS = {
    "int64": "long",
    "int32": "int",
    "int16": "short",
    "bool": "bool",
    "float64": "double",
    "float16": "half",
    "bfloat16": "bfloat16",
}
"""How forward() turns a float32 input into the dtype of a sample's tensor (others keep float32)."""

EXCLUDED: dict[str, str] = {}
"""Modules left out whatever their samples, with the reason (none so far: every reason is found per sample)."""


class Unsupported(Exception):
    """A sample that cannot be written as a model: the reason is recorded."""


@dataclass
class Case:
    """One sample of one module, as a model source: class `M{index}`."""

    index: int
    desc: str
    ctor: str
    """The module's construction as code spells it: `nn.Conv2d(4, 5, 3)`."""
    call: str
    """The call in forward(): `self.m(a0, a1)`."""
    tensors: list[Any]
    """The sample's forward tensors, forward()'s parameters `a0, a1, ...`."""
    paths: list[tuple[int, ...]] | None = None
    """Where each tensor of a nested output is (`[(0,), (1, 0), (1, 1)]`), None for a single tensor."""
    expected: str | None = None
    """The output as staticflops' reveal prints it (`Tensor[2, 3]`, `(Tensor[2], Tensor[3])`), from torch."""
    params: int = 0
    flops: int = 0


@dataclass
class ModuleResult:
    name: str
    status: str
    """covered, wrong, missing, excluded."""
    reason: str = ""
    samples: int = 0
    details: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- writing a sample as code
def literal(value: Any, tensors: list[Any] | None) -> str:
    """Python source for a sample argument. Forward tensors (`tensors` is a list) become forward()'s parameters
    `a0, a1, ...`; constructor tensors (`tensors` is None: a class weight, FractionalMaxPool's random samples)
    are built in place with their shape and dtype, since their values change neither shapes nor counts."""
    import torch
    import torch.nn.functional as F

    if isinstance(value, torch.Tensor):
        if value.is_sparse or value.layout != torch.strided:
            raise Unsupported("sparse")
        if value.is_complex():
            raise Unsupported("complex")
        if value.is_quantized:
            raise Unsupported("quantized")
        if tensors is None:
            dtype = "" if value.dtype == torch.float32 else f", dtype={value.dtype}"
            return f"torch.rand({tuple(value.shape)!r}{dtype})"
        tensors.append(value)
        return f"a{len(tensors) - 1}"
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"float('{value}')"
    if isinstance(value, complex):
        raise Unsupported("complex")
    if isinstance(value, torch.dtype):
        if value.is_complex:
            raise Unsupported("complex")
        return str(value)
    if isinstance(value, torch.Size):
        return repr(tuple(value))
    if isinstance(value, torch.device):
        return repr(str(value))
    if isinstance(value, tuple):
        items = [literal(v, tensors) for v in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, list):
        return f"[{', '.join(literal(v, tensors) for v in value)}]"
    if callable(value) and getattr(F, getattr(value, "__name__", ""), None) is value:
        return f"F.{value.__name__}"
    if callable(value) and getattr(torch, getattr(value, "__name__", ""), None) is value:
        return f"torch.{value.__name__}"
    if isinstance(value, torch.nn.Module):
        return module_literal(value)
    raise Unsupported(f"a constructor or forward argument of type {type(value).__name__}")


def module_literal(module: Any) -> str:
    """A module passed to a constructor (`TransformerEncoder(encoder_layer, ...)`), rebuilt from its attributes.
    Only the modules ModuleInfo passes are known: torch keeps no record of a module's constructor arguments."""
    import torch.nn as nn

    if isinstance(module, (nn.TransformerEncoderLayer, nn.TransformerDecoderLayer)):
        attention = module.self_attn
        activation = module.activation
        spelled = literal(activation, None) if not isinstance(activation, nn.Module) else (
            f"nn.{type(activation).__name__}()")  # fmt: skip
        return (
            f"nn.{type(module).__name__}({attention.embed_dim}, {attention.num_heads}, "
            f"dim_feedforward={module.linear1.out_features}, dropout={module.dropout.p!r}, activation={spelled}, "
            f"layer_norm_eps={module.norm1.eps!r}, batch_first={attention.batch_first!r}, "
            f"norm_first={module.norm_first!r}, bias={module.linear1.bias is not None!r})"
        )
    raise Unsupported(f"a module argument ({type(module).__name__}) whose constructor arguments torch does not keep")


def spread(items: list[Any], count: int) -> list[Any]:
    """`count` items evenly spaced over `items`, first and last included; all of them when there are fewer."""
    if len(items) <= count:
        return items
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def case_for(index: int, name: str, sample: Any) -> Case:
    ctor_args = [literal(a, None) for a in sample.constructor_input.args]
    ctor_args += [f"{k}={literal(v, None)}" for k, v in sample.constructor_input.kwargs.items()]
    tensors: list[Any] = []
    call_args = [literal(a, tensors) for a in sample.forward_input.args]
    call_args += [f"{k}={literal(v, tensors)}" for k, v in sample.forward_input.kwargs.items()]
    ctor = f"{name}({', '.join(ctor_args)})"
    return Case(index, sample.desc, ctor, f"self.m({', '.join(call_args)})", tensors)


def model_source(cases: list[Case]) -> str:
    lines = ["import torch", "import torch.nn as nn", "import torch.nn.functional as F", ""]
    for case in cases:
        params = [f"a{i}" for i in range(len(case.tensors))]
        lines += [f"class M{case.index}(nn.Module):", "    def __init__(self):", "        super().__init__()",
                  f"        self.m = {case.ctor}", "", f"    def forward(self, {', '.join(params)}):"]  # fmt: skip
        for i, tensor in enumerate(case.tensors):
            cast = CASTS.get(str(tensor.dtype).removeprefix("torch."))
            if cast is not None:
                lines.append(f"        a{i} = a{i}.{cast}()")
        lines.append(f"        out = {case.call}")
        if case.paths is None:
            lines += ["        return out", ""]
        else:
            picks = ["out" + "".join(f"[{i}]" for i in path) for path in case.paths]
            lines += [f"        return ({', '.join(picks)}{',' if len(picks) == 1 else ''})", ""]
    lines.append('if __name__ == "__main__":')
    for case in cases:
        shapes = [f"torch.zeros({tuple(t.shape)!r})" for t in case.tensors]
        lines.append(f"    M{case.index}()({', '.join(shapes)})")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the truth, from torch
def tensor_paths(value: Any, prefix: tuple[int, ...] = ()) -> list[tuple[int, ...]] | None:
    """The places of the tensors (and Nones) of a nested tuple output; None for a single tensor."""
    import torch

    if isinstance(value, torch.Tensor):
        return None if not prefix else [prefix]
    if isinstance(value, (tuple, list)) and value:
        found: list[tuple[int, ...]] = []
        for i, item in enumerate(value):
            if item is None:
                found.append((*prefix, i))
                continue
            inner = tensor_paths(item, (*prefix, i))
            if inner is None:
                raise Unsupported("an output that is no tensor nor a tuple of tensors")
            found += inner
        return found
    raise Unsupported("an output that is no tensor nor a tuple of tensors")


def describe(value: Any) -> str:
    """A torch value as staticflops' reveal prints the static one (torchmodel/reveal.py)."""
    import torch

    if isinstance(value, torch.Tensor):
        if value.is_complex() or value.layout != torch.strided:
            raise Unsupported("complex" if value.is_complex() else "sparse")
        return f"Tensor[{', '.join(str(d) for d in value.shape)}]"
    if isinstance(value, (tuple, list)) and all(isinstance(v, torch.Tensor) or v is None for v in value):
        return f"({', '.join('None' if v is None else describe(v) for v in value)})"
    raise Unsupported("an output that is no tensor nor a tuple of tensors")


def _inputs(case: Case) -> list[Any]:
    return [t.detach().clone() for t in case.tensors]


def _torch_flops(model: Any, inputs: list[Any]) -> int:
    """FlopCounterMode's total on the meta device, which the `torch` convention reproduces. Where the meta device
    cannot run the module (a mask checked with `.item()`), on the CPU, with grad enabled and attention's math
    backend: in eval mode under `no_grad` the CPU takes fused fast paths (`_transformer_encoder_layer_fwd`, fused
    attention) that FlopCounterMode has no formula for, and that the meta device never takes."""
    import torch
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from torch.utils.flop_counter import FlopCounterMode

    try:
        meta = copy.deepcopy(model).to("meta")
        with torch.no_grad(), warnings.catch_warnings(), FlopCounterMode(display=False) as counter:
            warnings.simplefilter("ignore")
            meta(*(t.to("meta") for t in inputs))
        return counter.get_total_flops()
    except Exception:
        pass
    with sdpa_kernel(SDPBackend.MATH), warnings.catch_warnings(), FlopCounterMode(display=False) as counter:
        warnings.simplefilter("ignore")
        model(*inputs)
    return counter.get_total_flops()


def run_in_torch(info: Any, samples: list[Any], skipped: Counter[str]) -> list[Case]:
    """Each sample as a case with torch's output, parameter count and FLOPs; samples that cannot be written or
    that torch refuses are dropped with the reason counted in `skipped`."""
    import torch

    cases = []
    for sample in samples:
        try:
            case = case_for(len(cases), f"nn.{info.module_cls.__name__}", sample)
            with torch.no_grad(), warnings.catch_warnings():  # the output's structure, from the module itself
                warnings.simplefilter("ignore")
                module = info.module_cls(*sample.constructor_input.args, **sample.constructor_input.kwargs).eval()
                case.paths = tensor_paths(module(*sample.forward_input.args, **sample.forward_input.kwargs))
        except Unsupported as why:
            skipped[str(why)] += 1
            continue
        except Exception as error:
            skipped[f"torch refuses the sample in eval mode ({type(error).__name__}: {error})"[:160]] += 1
            continue
        namespace: dict[str, Any] = {"__name__": "moduleinfo_model"}
        exec(compile(model_source([case]), "<moduleinfo model>", "exec"), namespace)  # our own generated source
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = namespace[f"M{case.index}"]().eval()
                with torch.no_grad():
                    output = model(*_inputs(case))
            case.expected = describe(output)
            case.flops = _torch_flops(model, _inputs(case))
        except Unsupported as why:
            skipped[str(why)] += 1
            continue
        except Exception as error:
            skipped[f"torch refuses the sample as written ({type(error).__name__}: {error})"[:160]] += 1
            continue
        case.params = sum(p.numel() for p in model.parameters())
        cases.append(case)
    return cases


# --------------------------------------------------------------------------- the static world
def analyze_static(path: Path) -> dict[str, Any]:
    """Each model's revealed return value, parameters, FLOPs and diagnostics, by class name."""
    import staticflops

    analysis = staticflops.analyze([path], reveal=True, convention="torch", site_packages=False)
    found: dict[str, Any] = {}
    for model in analysis.models:
        # forward()'s own return, not one of the interpreted stubs' (staticflops/torchmodel/stubs/transformer.py)
        returned = [line.rsplit(": ", 1)[1] for line in model.revealed
                    if line.startswith(f"{path}:") and ": return: " in line]  # fmt: skip
        diagnostics = [d for d in model.diagnostics if d.code.code != "SF304"]
        found[model.name] = {
            "output": returned[0] if returned else None,
            "params": model.params,
            "flops": model.flops,
            "codes": [d.code.code for d in diagnostics],
            "messages": [d.message for d in diagnostics],
        }
    for file in analysis.files:
        for name, why in file.skipped:
            found.setdefault(name, {"output": None, "params": 0, "flops": 0, "codes": ["skipped"],
                                    "messages": [why]})  # fmt: skip
    return found


MISSING = re.compile(r"not in the catalog|no catalog entry|is not modelled|not supported")
"""A diagnostic that says staticflops does not know a module or a call (rather than that it computed otherwise)."""

DATA_DEPENDENT = re.compile(r"depends on the data|the total is a lower bound")
"""SF301's words for a size the data decides (`nonzero`), and SF305's for the work downstream of it, not counted
(SF301 is said once per place: a second model reaching the same place has only SF305)."""


def judge(case: Case, static: dict[str, Any] | None) -> tuple[str, str]:
    """(verdict, detail) of one case: agree, flagged (FLOPs that depend on the data, counted as a lower bound and
    said so: SF301), missing, wrong."""
    if static is None:
        return "wrong", "no model analyzed"
    if "error" in static:
        return "wrong", static["error"]
    why = "; ".join(static["messages"][:2])
    unknown = [m for m in static["messages"] if MISSING.search(m)]
    if unknown:
        return "missing", unknown[0]
    if static["output"] != case.expected:
        return "wrong", f"shape {static['output']} != torch {case.expected}" + (f" ({why})" if why else "")
    if static["params"] != case.params:
        return "wrong", f"parameters {static['params']} != torch {case.params}" + (f" ({why})" if why else "")
    if static["flops"] != case.flops:
        flagged = any(DATA_DEPENDENT.search(m) for m in static["messages"])
        if flagged and static["flops"] < case.flops:
            return "flagged", f"flops {static['flops']} (a lower bound, flagged SF301) < torch {case.flops}"
        return "wrong", f"flops {static['flops']} != torch {case.flops}" + (f" ({why})" if why else "")
    return "agree", ""


def draw(info: Any, samples: int, dtype: Any, skipped: Counter[str]) -> list[Any]:
    """Up to `samples` of ModuleInfo's samples, spread over those that can be written as a model; the others are
    counted in `skipped` with the reason. Our own samples (benchmarks/module_extras.py) are float32 only."""
    import torch

    if isinstance(info, ExtraInfo):
        if dtype != torch.float32:
            return []
        drawn = info.samples
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            drawn = info.module_inputs_func(info, device="cpu", dtype=dtype, requires_grad=False, training=False)
    writable = []
    for sample in drawn:
        try:
            case_for(0, f"nn.{info.module_cls.__name__}", sample)
        except Unsupported as why:
            skipped[str(why)] += 1
            continue
        writable.append(sample)
    return spread(writable, samples)


def check_module(info: Any, workdir: Path, samples: int = SAMPLES) -> ModuleResult:
    name = info.name
    if name in EXCLUDED:
        return ModuleResult(name, "excluded", EXCLUDED[name])
    import torch

    skipped: Counter[str] = Counter()
    cases: list[Case] = []
    note = ""
    for dtype in (torch.float32, torch.float64):  # float64 where torch refuses every float32 sample
        try:
            drawn = draw(info, samples, dtype, skipped)
        except Exception as error:
            return ModuleResult(name, "excluded", f"ModuleInfo's samples fail on the CPU ({type(error).__name__})")
        cases = run_in_torch(info, drawn, skipped)
        if cases:
            break
        if dtype == torch.float32 and skipped:
            note = f"float64 samples: torch refuses ModuleInfo's float32 ones ({skipped.most_common(1)[0][0]})"
            skipped = Counter()
    if not cases:
        reason = skipped.most_common(1)[0][0] if skipped else "ModuleInfo has no sample for the CPU"
        return ModuleResult(name, "excluded", reason)
    path = workdir / f"{re.sub(r'[^A-Za-z0-9_]', '_', name)}.py"
    path.write_text(model_source(cases))
    try:
        static = analyze_static(path)
    except Exception:  # an internal error is a bug to report, not a reason to stop: find the cases that have it
        static = {}
        for case in cases:
            path.write_text(model_source([case]))
            try:
                static.update(analyze_static(path))
            except Exception as error:
                static[f"M{case.index}"] = {"error": f"internal error: {type(error).__name__}: {error}"}
    verdicts = []
    details = []
    for case in cases:
        verdict, detail = judge(case, static.get(f"M{case.index}"))
        verdicts.append(verdict)
        if detail:
            details.append(f"`{case.ctor}` on {describe_inputs(case)}: {detail}")
    status = "wrong" if "wrong" in verdicts else "missing" if "missing" in verdicts else "covered"
    if status == "covered" and "flagged" in verdicts:
        flagged = f"{verdicts.count('flagged')} sample(s) with FLOPs that depend on the data, flagged (SF301)"
        note = "; ".join([note] * bool(note) + [flagged + " and counted as a lower bound"])
    reason = "; ".join([note] * bool(note) + [f"{count} sample(s) left out: {why}" for why, count in skipped.items()])
    return ModuleResult(name, status, reason, len(cases), details)


def describe_inputs(case: Case) -> str:
    return "(" + ", ".join(f"{list(t.shape)}" + ("" if str(t.dtype) == "torch.float32" else f" {t.dtype}")
                           for t in case.tensors) + ")"  # fmt: skip


# --------------------------------------------------------------------------- reporting
def run(names: set[str] | None = None, samples: int = SAMPLES, extras: bool = False) -> list[ModuleResult]:
    """ModuleInfo's modules; with `extras`, our own samples of the others (benchmarks/module_extras.py) instead,
    and every other `torch.nn` module class, excluded with its reason."""
    os.environ.setdefault("STATICFLOPS_NO_CACHE", "1")
    from torch.testing._internal.common_modules import module_db

    infos = extra_infos() if extras else list(module_db)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for info in infos:
            if names is not None and info.name not in names:
                continue
            results.append(check_module(info, Path(tmp), samples))
    if extras and names is None:
        results += unsampled(module_db)
    return results


def unsampled(module_db: list[Any]) -> list[ModuleResult]:
    """The `torch.nn` module classes neither ModuleInfo nor our samples cover: excluded, with the reason."""
    import torch.nn as nn

    known = {info.module_cls for info in module_db} | {info.module_cls for info in extra_infos()}
    found = []
    for name in sorted(dir(nn)):
        cls = getattr(nn, name)
        if isinstance(cls, type) and issubclass(cls, nn.Module) and cls not in known:
            found.append(ModuleResult(f"nn.{name}", "excluded", NOT_MODULES.get(name, "no sample yet")))
    return found


def summary(results: list[ModuleResult]) -> dict[str, Any]:
    counted = [r for r in results if r.status != "excluded"]
    covered = [r for r in counted if r.status == "covered"]
    return {"covered": len(covered), "total": len(counted), "excluded": len(results) - len(counted)}


def record(results: list[ModuleResult], extras: list[ModuleResult]) -> dict[str, Any]:
    import torch

    def entries(found: list[ModuleResult]) -> dict[str, Any]:
        return {r.name: {"status": r.status, "samples": r.samples, **({"reason": r.reason} if r.reason else {}),
                         **({"detail": r.details[0]} if r.details else {})} for r in found}  # fmt: skip

    return {
        "torch": torch.__version__.split("+")[0],
        "samples": SAMPLES,
        **summary(results),
        "modules": entries(results),
        "extras": {**summary(extras), "modules": entries(extras)},
    }


def report(results: list[ModuleResult], verbose: bool, title: str) -> None:
    for result in results:
        if result.status in ("wrong", "missing") or (verbose and result.reason):
            note = f"  [{result.reason}]" if verbose and result.reason else ""
            print(f"{result.status:8} {result.name}{note}")
            for detail in result.details if verbose else result.details[:1]:
                print(f"         {detail}")
    figures = summary(results)
    share = figures["covered"] / max(figures["total"], 1)
    counts = Counter(r.status for r in results)
    print(f"{title}: covered {figures['covered']} / {figures['total']} ({share:.1%}); " + ", ".join(
        f"{status} {counts[status]}" for status in ("wrong", "missing", "excluded")))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="record the result and regenerate docs/supported.md")
    parser.add_argument("--module", action="append", help="only this ModuleInfo name, e.g. nn.LSTM (repeatable)")
    parser.add_argument("--extras", action="store_true", help="our own samples of what ModuleInfo lacks, too")
    parser.add_argument("--verbose", "-v", action="store_true", help="every disagreement, not only the first")
    parser.add_argument("--samples", type=int, default=SAMPLES)
    options = parser.parse_args()
    names = set(options.module) if options.module else None
    results = run(names, options.samples)
    report(results, options.verbose, "ModuleInfo")
    extras = run(names, options.samples, extras=True) if options.extras or options.write else []
    if extras:
        report(extras, options.verbose, "beyond ModuleInfo")
    if options.write:
        if options.module or options.samples != SAMPLES:
            parser.error("--write records the whole database at the default samples: leave out --module, --samples")
        RECORD.write_text(json.dumps(record(results, extras), indent=1, sort_keys=True) + "\n")
        subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_docs.py")], cwd=ROOT, check=True)
        print(f"wrote {RECORD.relative_to(ROOT)} and docs/supported.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
