"""OpInfo coverage: every op of torch's OpInfo database, called in staticflops' static world and in torch.

    PYTHONPATH=. /work/tvenv/bin/python benchmarks/opinfo_coverage.py            # prints the summary
    PYTHONPATH=. /work/tvenv/bin/python benchmarks/opinfo_coverage.py --write    # also records the result
    PYTHONPATH=. /work/tvenv/bin/python benchmarks/opinfo_coverage.py --op cumsum --verbose

For each entry of `torch.testing._internal.common_methods_invocations.op_db` and each of its first
`SAMPLES` sample inputs (float32, CPU), a tiny model is written whose `forward` takes the sample's tensors
and makes the call as code spells it: `torch.<name>(...)` or `F.<name>(...)`, the method `x.<name>(...)`
when OpInfo has a method variant, the operator for `__radd__` and friends. Its other arguments are Python
literals. The same source is analyzed statically (its inputs given by a usage block: torch is never
imported by the analysis) and run in torch on the sample's own tensors. They agree when the output shapes
are the same (and the output's dtype, where the catalog entry models it), and staticflops' FLOPs under the
`torch` convention equal `FlopCounterMode`'s total on the meta device.

An op is *covered* when every sample agrees (a data-dependent output that staticflops flags as such,
SF301, agrees), *missing* when staticflops does not know a call (SF305), *wrong* otherwise, and *excluded*
with its reason when it is no dense floating-point op a forward() calls on tensors (sparse, complex,
private, no float32 kernel on the CPU, no tensor output...). `--write` records the result in
docs/opinfo-coverage.json, from which scripts/generate_docs.py writes the coverage section of
docs/supported.md (regenerated here too); tests/test_opinfo_coverage.py holds staticflops to it.
"""

from __future__ import annotations

import argparse
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

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "docs" / "opinfo-coverage.json"
SAMPLES = 3
"""Sample inputs tried per op: OpInfo's first ones (its simplest)."""

OPERATORS = {
    "__radd__": "{1} + {0}",
    "__rsub__": "{1} - {0}",
    "__rmul__": "{1} * {0}",
    "__rdiv__": "{1} / {0}",
    "__rpow__": "{1} ** {0}",
    "__rmod__": "{1} % {0}",
    "__rmatmul__": "{1} @ {0}",
    "__rand__": "{1} & {0}",
    "__ror__": "{1} | {0}",
    "__rxor__": "{1} ^ {0}",
    "__getitem__": "{0}[{1}]",
}
"""OpInfo's operator entries, as code writes them: `__radd__(x, 2)` is `2 + x`."""

CASTS = {
    "int64": "long",
    "int32": "int",
    "int16": "short",
    "bool": "bool",
    "float64": "double",
    "float16": "half",
}
"""How forward() turns a float32 input into the dtype of a sample's tensor (others keep float32)."""

REORDERED = {
    "einsum": lambda first, rest: [rest[0], first.strip("[]")],
    "polygamma": lambda first, rest: [rest[0], first, *rest[1:]],
    "special.polygamma": lambda first, rest: [rest[0], first, *rest[1:]],
    "nn.functional.embedding": lambda first, rest: [rest[0], first, *rest[1:]],
    "nn.functional.embedding_bag": lambda first, rest: [rest[0], first, *rest[1:]],
}
"""Ops whose OpInfo lambda puts the arguments in another order than the function: `(first, rest)` (their
source) → the function's arguments. `einsum`'s sample is `(operands, equation)`, `polygamma`'s `(x, n)`,
`embedding`'s and `embedding_bag`'s `(weight, indices)`."""

PROPERTIES = frozenset({"T", "H", "mT", "mH", "real", "imag"})


FAMILIES = (
    ("loss", r"loss|nll|kl_div|cross_entropy"),
    ("linalg", r"^linalg\.|^(cholesky\w*|lu\w*|svd|geqrf|ormqr|triangular_solve|pinverse|logdet|matrix_exp|det)$"),
    ("fft", r"^fft\.|^(stft|istft)$"),
    ("masked", r"^masked\."),
    ("special", r"^special\."),
    ("signal", r"^signal\."),
    ("attention", r"attention"),
    ("embedding", r"embedding|one_hot"),
    (
        "products",
        r"^(add(mm|mv|bmm|r)[\w.]*|baddbmm|mm|mv|bmm|dot|vdot|outer|inner|kron|tensordot|matmul|einsum|cdist|"
        r"nn\.functional\.(linear|bilinear|conv\w*|pdist|pairwise_distance|cosine_similarity|"
        r"multi_head_attention_forward)|__rmatmul__|chain_matmul|block_diag|cartesian_prod|combinations|"
        r"cov|corrcoef|cross|trapz|trapezoid|cumulative_trapezoid|gradient)$",
    ),
    (
        "indexing",
        r"gather|scatter|index|take|put|masked_|nonzero|argwhere|sort|unique|topk|searchsorted|bucketize|"
        r"^select|^narrow|as_strided|__getitem__|isin|histc|histogram|bincount|kthvalue",
    ),
    (
        "factories and conversions",
        r"^(empty\w*|new_\w+|zeros\w*|ones\w*|full\w*|rand\w*|normal[\w.]*|bernoulli|"
        r"multinomial|scalar_tensor|arange|linspace[\w.]*|logspace[\w.]*|eye|bfloat16|bool|byte|"
        r"char|double|float|half|int|long|short|cdouble|cfloat|chalf|fill|zero_|clone|to|"
        r"resize_as_|alias_copy|hash_tensor)$",
    ),
    (
        "reshape",
        r"view|reshape|flatten|ravel|unflatten|squeeze|unsqueeze|split|chunk|stack|cat|atleast|broadcast|"
        r"expand|permute|transpose|movedim|^t$|t_copy|flip|rot90|roll|tile|repeat|diag|tril|triu|"
        r"constant_pad_nd|nn\.functional\.pad|sum_to_size|unfold|unbind|column_stack|real|frexp",
    ),
    ("pooling, norm and resampling", r"pool|unpool|norm|grid_sample|interpolate|upsample|dropout|shuffle"),
)
"""Which part of staticflops an op belongs to (roughly: the catalog family, or the branch that adds it), for the
list of what is left."""


def family(name: str) -> str:
    return next((label for label, pattern in FAMILIES if re.search(pattern, name)), "elementwise and reductions")


class Unsupported(Exception):
    """A sample that cannot be written as a model: the reason is recorded."""


@dataclass
class Case:
    """One call of one sample, as a model source: class `M{index}`."""

    index: int
    variant: str
    """`function`, `method` or `operator`."""
    source: str
    tensors: list[Any]
    expected: str | None = None
    """The output as staticflops' reveal prints it (`Tensor[2, 3]`), from torch."""
    flops: int = 0
    dtype: str | None = None
    """When the catalog entry models its output's dtype (`bool` for `isnan`): the catalog's name for it, and
    forward() reveals `kind = (is_floating_point, element_size)` of its output, torch's `expected_kind`."""
    expected_kind: str | None = None


@dataclass
class OpResult:
    name: str
    status: str
    """covered, wrong, missing, excluded."""
    reason: str = ""
    samples: int = 0
    details: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- writing a sample as code
def literal(value: Any, tensors: list[Any]) -> str:
    """Python source for a sample argument; tensors become forward()'s parameters `a0, a1, ...`."""
    import torch

    if isinstance(value, torch.Tensor):
        if value.is_sparse or value.layout != torch.strided:
            raise Unsupported("sparse")
        if value.is_complex():
            raise Unsupported("complex")
        if value.is_quantized:
            raise Unsupported("quantized")
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
    if isinstance(value, torch.memory_format):
        return str(value)
    if isinstance(value, torch.device):
        return repr(str(value))
    if isinstance(value, tuple):
        items = [literal(v, tensors) for v in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, list):
        return f"[{', '.join(literal(v, tensors) for v in value)}]"
    if isinstance(value, slice):
        return f"slice({literal(value.start, tensors)}, {literal(value.stop, tensors)}, {literal(value.step, tensors)})"
    if value is Ellipsis:
        return "..."
    raise Unsupported(f"an argument of type {type(value).__name__}")


def _resolve(path: str) -> Any:
    import torch

    target: Any = torch
    for part in path.split("."):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def spellings(op: Any) -> list[tuple[str, str]]:
    """(variant, template) for each way code calls the op; `{0}` is the input, `{args}` the rest."""
    import torch

    name = op.name
    if name in OPERATORS:
        return [("operator", OPERATORS[name])]
    found = []
    function = _resolve(name)
    if callable(function) and not isinstance(function, type):
        prefix = "F." + name.removeprefix("nn.functional.") if name.startswith("nn.functional.") else f"torch.{name}"
        found.append(("function", prefix + "({0}{args})"))
    method = getattr(torch.Tensor, name, None) if "." not in name else None
    if name in PROPERTIES and method is not None:
        found.append(("method", "{0}." + name))
    elif op.method_variant is not None and callable(method):
        found.append(("method", "{0}." + name + "({rest})"))
    return found


def cases_for(op: Any, samples: list[Any]) -> tuple[list[Case], Counter[str]]:
    """The models to try, and why samples were left out."""
    skipped: Counter[str] = Counter()
    cases: list[Case] = []
    for sample in samples:
        if "out" in sample.kwargs:
            skipped["out="] += 1
            continue
        for variant, template in spellings(op):
            tensors: list[Any] = []
            try:
                first = literal(sample.input, tensors)
                rest = [literal(a, tensors) for a in sample.args]
                rest += [f"{k}={literal(v, tensors)}" for k, v in sample.kwargs.items()]
            except Unsupported as why:
                skipped[str(why)] += 1
                break
            if variant == "method" and not first.startswith("a"):
                continue  # a method needs a tensor to be called on
            if op.name in REORDERED:
                if variant != "function":
                    continue
                first, *rest = REORDERED[op.name](first, rest)
            if variant == "operator":
                call = template.format(first, *rest)
            else:
                args = "".join(", " + r for r in rest)
                call = template.format(first, args=args, rest=", ".join(rest))
            cases.append(Case(len(cases), variant, call, tensors, dtype=modelled_dtype(op.name, variant)))
    return cases, skipped


def modelled_dtype(name: str, variant: str) -> str | None:
    """The output dtype the catalog entry that a spelling reaches declares (OpSpec.dtype), if any."""
    from staticflops.catalog import CATALOG, OpSpec

    if variant == "operator":
        return None
    prefix = "torch.Tensor." if variant == "method" else "torch."
    spec = CATALOG.entries.get(prefix + name)
    return getattr(spec, "dtype", None) if isinstance(spec, OpSpec) else None  # a catalog before OpSpec.dtype: none


def model_source(cases: list[Case]) -> str:
    lines = ["import torch", "import torch.nn as nn", "import torch.nn.functional as F", ""]
    for case in cases:
        params = [f"a{i}" for i in range(len(case.tensors))] or ["unused"]
        lines += [f"class M{case.index}(nn.Module):", f"    def forward(self, {', '.join(params)}):"]
        for i, tensor in enumerate(case.tensors):
            cast = CASTS.get(str(tensor.dtype).removeprefix("torch."))
            if cast is not None:
                lines.append(f"        a{i} = a{i}.{cast}()")
            elif tensor.dtype != _float32():
                lines.append(f"        a{i} = a{i}.to({tensor.dtype})")
        if case.dtype is None:
            lines += [f"        return {case.source}", ""]
        else:
            kind = "        kind = (int(out.is_floating_point()), out.element_size())"
            lines += [f"        out = {case.source}", kind, "        return out", ""]
    lines.append('if __name__ == "__main__":')
    for case in cases:
        shapes = [f"torch.zeros({tuple(t.shape)!r})" for t in case.tensors] or ["torch.zeros(1)"]
        lines.append(f"    M{case.index}()({', '.join(shapes)})")
    return "\n".join(lines) + "\n"


def _float32() -> Any:
    import torch

    return torch.float32


# --------------------------------------------------------------------------- the truth, from torch
def describe(value: Any) -> str | None:
    """A torch value as staticflops' reveal prints the static one (torchmodel/reveal.py)."""
    import torch

    if isinstance(value, torch.Size):
        value = tuple(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, tuple) and value and all(type(v) is int for v in value)):
        return repr(value)
    if isinstance(value, torch.Tensor):
        if value.is_complex() or value.layout != torch.strided:
            raise Unsupported("complex" if value.is_complex() else "sparse")
        return f"Tensor[{', '.join(str(d) for d in value.shape)}]"
    if isinstance(value, (tuple, list)) and value and all(isinstance(v, torch.Tensor) or v is None for v in value):
        return f"({', '.join(describe(v) or 'None' for v in value)})"
    return None


def _meta_flops(model: Any, inputs: list[Any], cpu_flops: int) -> int:
    """FlopCounterMode's total on the meta device, which the `torch` convention reproduces (on the CPU, fused
    attention runs a kernel it has no formula for); the CPU's where an op has no meta kernel."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    try:
        with torch.no_grad(), warnings.catch_warnings(), FlopCounterMode(display=False) as counter:
            warnings.simplefilter("ignore")
            model(*(t.to("meta") for t in inputs))
    except Exception:
        return cpu_flops
    return counter.get_total_flops()


def run_in_torch(source: str, cases: list[Case], skipped: Counter[str]) -> list[Case]:
    """Each case's output and FLOPs in torch; cases torch refuses, or whose output is no dense tensor, are
    dropped with the reason counted in `skipped`."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    namespace: dict[str, Any] = {"__name__": "opinfo_model"}
    exec(compile(source, "<opinfo model>", "exec"), namespace)  # our own generated source
    kept = []
    for case in cases:
        model = namespace[f"M{case.index}"]()
        inputs = [t.detach().clone() for t in case.tensors] or [torch.zeros(1)]
        try:
            with torch.no_grad(), warnings.catch_warnings(), FlopCounterMode(display=False) as counter:
                warnings.simplefilter("ignore")
                output = model(*inputs)
            case.expected = describe(output)
            if case.dtype is not None:
                case.expected_kind = repr((int(output.is_floating_point()), output.element_size()))
        except Unsupported as why:
            skipped[str(why)] += 1
            continue
        except Exception as error:
            skipped[f"torch refuses the call as OpInfo's arguments spell it ({type(error).__name__})"] += 1
            continue
        if case.expected is None:
            skipped["returns no tensor (a Python value)"] += 1
            continue
        case.flops = _meta_flops(model, inputs, counter.get_total_flops())
        kept.append(case)
    return kept


# --------------------------------------------------------------------------- the static world
def analyze_static(path: Path) -> dict[str, Any]:
    """Each model's revealed return value, FLOPs and diagnostic codes, by class name."""
    import staticflops

    analysis = staticflops.analyze([path], reveal=True, convention="torch", site_packages=False)
    found: dict[str, Any] = {}
    for model in analysis.models:
        returned = [line.rsplit(": ", 1)[1] for line in model.revealed if ": return: " in line]
        kinds = [line.rsplit(": ", 1)[1] for line in model.revealed if ": kind: " in line]
        codes = [d.code.code for d in model.diagnostics if d.code.code != "SF304"]
        messages = [d.message for d in model.diagnostics if d.code.code != "SF304"]
        found[model.name] = {
            "output": returned[0] if returned else None,
            "kind": kinds[0] if kinds else None,
            "flops": model.flops,
            "complete": model.flops_complete,
            "codes": codes,
            "messages": messages,
        }
    for file in analysis.files:
        for name, why in file.skipped:
            found.setdefault(name, {"output": None, "flops": 0, "complete": False, "codes": ["skipped"],
                                    "messages": [why]})  # fmt: skip
    return found


def judge(case: Case, static: dict[str, Any] | None) -> tuple[str, str]:
    """(verdict, detail) of one case: agree, flagged (SF301), missing (SF305), wrong."""
    if static is None:
        return "wrong", "no model analyzed"
    if "error" in static:
        return "wrong", static["error"]
    if "SF305" in static["codes"]:
        message = next(m for c, m in zip(static["codes"], static["messages"], strict=True) if c == "SF305")
        return "missing", message
    if static["output"] != case.expected:
        if "SF301" in static["codes"] and (static["output"] or "").count("?"):
            return "flagged", ""
        why = "; ".join(static["messages"][:2])
        return "wrong", f"shape {static['output']} != torch {case.expected}" + (f" ({why})" if why else "")
    if case.dtype is not None and static["kind"] != case.expected_kind:
        return "wrong", f"dtype (floating, element size) {static['kind']} != torch {case.expected_kind}"
    if static["flops"] != case.flops:
        return "wrong", f"flops {static['flops']} != torch {case.flops}"
    return "agree", ""


def op_key(op: Any) -> str:
    return op.name + (f".{op.variant_test_name}" if op.variant_test_name else "")


def exclusion(op: Any) -> str | None:

    name = op.name
    if name in OPERATORS:
        return None
    if name.startswith(("_", "torch.")) or "._" in name:
        return "private (an aten or underscore name, not a public spelling)"
    if "sparse" in name:
        return "sparse"
    if name.startswith("jiterator"):
        return "CUDA only (jiterator)"
    if all(dtype.is_complex for dtype in op.supported_dtypes("cpu")):
        return "complex"
    if sample_dtype(op) is None:
        return "no float32, int64 or bool kernel on the CPU"
    if not spellings(op):
        return "no public spelling (OpInfo calls it through a lambda)"
    return None


def sample_dtype(op: Any) -> Any:
    """float32; for integer-only ops (`bitwise_and`, `one_hot`, `bincount`), int64, else bool."""
    import torch

    supported = op.supported_dtypes("cpu")
    return next((dtype for dtype in (torch.float32, torch.int64, torch.bool) if dtype in supported), None)


def check_op(op: Any, workdir: Path, samples: int = SAMPLES) -> OpResult:

    key = op_key(op)
    why = exclusion(op)
    if why is not None:
        return OpResult(key, "excluded", why)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            drawn = []
            for sample in op.sample_inputs("cpu", sample_dtype(op), requires_grad=False):
                drawn.append(sample)
                if len(drawn) >= samples:
                    break
    except Exception as error:
        return OpResult(key, "excluded", f"OpInfo's sample inputs fail on the CPU ({type(error).__name__})")
    cases, skipped = cases_for(op, drawn)
    if cases:
        source = model_source(cases)
        cases = run_in_torch(source, cases, skipped)
    if not cases:
        reason = skipped.most_common(1)[0][0] if skipped else "no sample gives a tensor output"
        return OpResult(key, "excluded", _reason(reason))
    source = model_source(cases)
    path = workdir / f"{re.sub(r'[^A-Za-z0-9_]', '_', key)}.py"
    path.write_text(source)
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
            details.append(f"{case.variant} `{case.source}`: {detail}")
    status = "wrong" if "wrong" in verdicts else "missing" if "missing" in verdicts else "covered"
    return OpResult(key, status, "", len(cases), details)


def _reason(why: str) -> str:
    return {"out=": "out= variants only", "complex": "complex", "sparse": "sparse", "quantized": "quantized"}.get(
        why, why
    )


# --------------------------------------------------------------------------- reporting
def run(names: set[str] | None = None, samples: int = SAMPLES) -> list[OpResult]:
    os.environ.setdefault("STATICFLOPS_NO_CACHE", "1")
    from torch.testing._internal.common_methods_invocations import op_db

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for op in op_db:
            if names is not None and op_key(op) not in names and op.name not in names:
                continue
            results.append(check_op(op, Path(tmp), samples))
    return results


def summary(results: list[OpResult]) -> dict[str, Any]:
    counted = [r for r in results if r.status != "excluded"]
    covered = [r for r in counted if r.status == "covered"]
    return {"covered": len(covered), "total": len(counted), "excluded": len(results) - len(counted)}


def record(results: list[OpResult]) -> dict[str, Any]:
    import torch

    return {
        "torch": torch.__version__.split("+")[0],
        "samples": SAMPLES,
        **summary(results),
        "ops": {r.name: {"status": r.status, "family": family(r.name), **({"reason": r.reason} if r.reason else {}),
                         **({"detail": r.details[0]} if r.details else {})} for r in results},
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="record the result and regenerate docs/supported.md")
    parser.add_argument("--op", action="append", help="only this OpInfo name (repeatable)")
    parser.add_argument("--verbose", "-v", action="store_true", help="every disagreement, not only the first")
    parser.add_argument("--samples", type=int, default=SAMPLES)
    options = parser.parse_args()
    results = run(set(options.op) if options.op else None, options.samples)
    for result in results:
        if result.status in ("wrong", "missing"):
            print(f"{result.status:8} {result.name}")
            for detail in result.details if options.verbose else result.details[:1]:
                print(f"         {detail}")
    figures = summary(results)
    share = figures["covered"] / max(figures["total"], 1)
    counts = Counter(r.status for r in results)
    print(f"covered {figures['covered']} / {figures['total']} ({share:.1%}); " + ", ".join(
        f"{status} {counts[status]}" for status in ("wrong", "missing", "excluded")))  # fmt: skip
    left = Counter(family(r.name) for r in results if r.status in ("wrong", "missing"))
    print("left, by family: " + ", ".join(f"{name} {count}" for name, count in left.most_common()))
    if options.write:
        if options.op:
            parser.error("--write records the whole database: leave out --op")
        RECORD.write_text(json.dumps(record(results), indent=1, sort_keys=True) + "\n")
        subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_docs.py")], cwd=ROOT, check=True)
        print(f"wrote {RECORD.relative_to(ROOT)} and docs/supported.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
