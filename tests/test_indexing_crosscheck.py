"""Indexing and the index/select/sort ops against real PyTorch, on generated corpora.

`x[index]` and `x[index] = value` for random shapes and random indices of every form (ints in and out of
range, slices with steps and negative bounds, None, `...`, lists, nested lists, constant and input integer
tensors, boolean lists, masks, Python bools), and random calls of the index/select/sort ops, each analyzed
as a model's forward and run in torch. Both must give the same shape, or both raise; a data-dependent
result (SF301) has the static shape with its data-dependent size no larger than the bound the message gives.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field

import pytest

from staticflops import analyze
from staticflops.torchmodel.indexing import IndexTensor, _list_tensor, index_values

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

SEED = 20261203
CASES = 600
OP_CASES = 300


@dataclass
class Case:
    shape: tuple[int, ...]
    index: str
    inputs: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)
    """Extra forward inputs: name → (kind: 'int' or 'mask', shape)."""
    assign: str = ""
    """An assignment `x[index] = torch.zeros(value)`, the value's shape made from the indexed one: `same`, `suffix`
    (its last dimensions), `lead` (a leading 1 added), `wrong` (a dimension one larger)."""
    value: tuple[int, ...] | None = None


def _int_list(rng: random.Random, size: int, shape: tuple[int, ...]) -> str:
    def build(dims: tuple[int, ...]) -> str:
        if not dims:
            return str(rng.randint(-size - (rng.random() < 0.02), max(size - 1 + (rng.random() < 0.02), -size)))
        return "[" + ", ".join(build(dims[1:]) for _ in range(dims[0])) + "]"

    return build(shape)


def _item(rng: random.Random, case: Case, shape: tuple[int, ...], dim: int, state: dict) -> tuple[str, int]:
    """One index item for dimension `dim`, and how many dimensions it consumes."""
    size = shape[dim] if dim < len(shape) else rng.randint(1, 3)
    kinds = ["int", "slice", "slice", "none", "list", "nested", "tensor", "input", "bools", "mask", "mask", "pybool"]
    if not state["ellipsis"]:
        kinds.append("ellipsis")
    kind = rng.choice(kinds)
    if kind == "int":
        return str(rng.randint(-size - 1, size) if rng.random() < 0.2 else rng.randint(-size, max(size - 1, -size))), 1
    if kind == "slice":
        parts = [rng.choice(["", str(rng.randint(-size - 2, size + 2))]) for _ in range(2)]
        step = rng.choice(["", "", "1", "2", "3", str(rng.randint(-1, 0))]) if rng.random() < 0.95 else "-1"
        return ":".join(parts) + (":" + step if step else ""), 1
    if kind == "none":
        return "None", 0
    if kind == "ellipsis":
        state["ellipsis"] = True
        return "...", max(len(shape) - dim - state["after"], 0)
    if kind == "pybool":
        return rng.choice(["True", "True", "False"]), 0
    if kind in ("list", "nested", "tensor", "input"):
        ishape = (
            (rng.randint(0 if rng.random() < 0.1 else 1, 3),)
            if kind == "list"
            else tuple(rng.randint(1, 3) for _ in range(rng.randint(0 if kind != "nested" else 1, 2)))
        )
        state["advanced"].append(ishape)
        if kind == "input" and size > 0:
            name = f"i{len(case.inputs)}"
            case.inputs[name] = ("int", ishape)
            return name, 1
        text = _int_list(rng, size, ishape) if ishape else str(rng.randint(-size, max(size - 1, -size)))
        return (text if kind == "list" or kind == "nested" else f"torch.tensor({text})"), 1
    span = rng.randint(1, max(1, min(2, len(shape) - dim)))
    mshape = tuple(shape[dim : dim + span]) or (size,)
    if rng.random() < 0.05:
        mshape = (*mshape[:-1], mshape[-1] + 1)  # a mask of the wrong shape
    if kind == "bools":
        flat = [rng.random() < 0.5 for _ in range(mshape[0])]
        return "[" + ", ".join(str(b) for b in flat) + "]", 1
    if kind == "mask" and rng.random() < 0.5:  # a constant mask: its true elements are known
        nested = _bool_list(rng, mshape)
        return f"torch.tensor({nested})", len(mshape)
    name = f"m{len(case.inputs)}"
    case.inputs[name] = ("mask", mshape)
    return f"{name} > 0", len(mshape)


def _bool_list(rng: random.Random, dims: tuple[int, ...]) -> str:
    if not dims:
        return str(rng.random() < 0.5)
    return "[" + ", ".join(_bool_list(rng, dims[1:]) for _ in range(dims[0])) + "]"


def generate(rng: random.Random) -> Case:
    rank = rng.choice([0, 1, 2, 2, 3, 3, 4])
    shape = tuple(rng.choice([0, 1, 2, 3, 4, 5]) if rng.random() < 0.1 else rng.randint(1, 5) for _ in range(rank))
    case = Case(shape, "")
    count = rng.randint(1, rank + 1)
    state: dict = {"ellipsis": False, "after": 0, "advanced": []}
    items: list[str] = []
    dim = 0
    for number in range(count):
        state["after"] = count - number - 1
        text, consumed = _item(rng, case, shape, dim, state)
        items.append(text)
        dim += consumed
    case.index = ", ".join(items) + ("," if len(items) == 1 and rng.random() < 0.2 else "")
    if rng.random() < 0.25:
        case.assign = rng.choice(["same", "suffix", "lead", "wrong"])
    return case


def value_shape(mode: str, indexed: tuple[int, ...], rng: random.Random) -> tuple[int, ...]:
    if mode == "same":
        return indexed
    if mode == "suffix":
        return indexed[rng.randint(0, len(indexed)) :]
    if mode == "lead":
        return (1, *indexed)
    if not indexed:
        return (2,)
    at = rng.randrange(len(indexed))
    return (*indexed[:at], indexed[at] + 1 if indexed[at] != 1 else 3, *indexed[at + 1 :])


def torch_result(case: Case, values: dict) -> tuple[int, ...] | str:
    x = torch.zeros(case.shape)
    namespace = {"torch": torch, "x": x, **values}
    try:
        result = eval(f"x[{case.index}]", namespace)  # our own generated text
        if case.assign:
            case.value = value_shape(case.assign, tuple(result.shape), random.Random(case.index))
            value = torch.zeros(case.value)
            exec(f"x[{case.index}] = value", {**namespace, "value": value})
            return tuple(x.shape)
    except (IndexError, ValueError, RuntimeError, TypeError) as error:
        return f"raises {type(error).__name__}: {error}"
    return tuple(result.shape)


def torch_inputs(case: Case, rng: random.Random) -> dict:
    values = {}
    for name, (kind, shape) in case.inputs.items():
        if kind == "mask":
            values[name] = torch.randn(shape)
        else:
            dim_size = max(1, min(s for s in case.shape) if case.shape else 1)
            values[name] = torch.randint(0, dim_size, shape)
    return values


def static_result(case: Case, tmp_path) -> tuple[str, object]:
    arguments = ", ".join(["x", *case.inputs])
    body = (
        [f"x[{case.index}] = torch.zeros({case.value or ()})", "return x * 1"]
        if case.assign
        else [f"return x[{case.index}] * 1"]
    )
    lines = ["import torch", "import torch.nn as nn", "", "class M(nn.Module):", f"    def forward(self, {arguments}):"]
    source = "\n".join([*lines, *(f"        {line}" for line in body)]) + "\n"
    path = tmp_path / "indexed.py"
    path.write_text(source)
    shapes = [case.shape, *(shape for _, shape in case.inputs.values())]
    analysis = analyze([path], model="M", inputs=shapes)
    (model,) = analysis.models
    errors = [d for d in model.diagnostics if d.severity == "error"]
    if errors:
        return "raises", errors[0].code.code + " " + errors[0].message
    masked = [d for d in model.diagnostics if d.code.code == "SF301" and "boolean mask" in d.message]
    if masked and "assigning" in masked[0].message:
        return "data", ("of unknown rank", 0)
    if masked:
        found = re.search(r"\(shape (\[[^\]]*\]|of unknown rank), .* at most (\d+)\)", masked[0].message)
        assert found, masked[0].message
        return "data", (found.group(1), int(found.group(2)))
    others = [d for d in model.diagnostics]
    assert not others, [d.format() for d in others]
    (call,) = [layer for layer in model.layers if layer.type == "mul"]
    return "shape", call.output


def _agrees(case: Case, theirs, ours) -> bool:
    kind, detail = ours
    if kind == "raises":
        return isinstance(theirs, str) and detail.startswith("SF205")
    if kind == "data":
        if isinstance(theirs, str):  # the data decided (a mask's true elements did not broadcast)
            return True
        template, bound = detail
        if template == "of unknown rank":
            return True
        sizes = [None if s.strip() == "?" else int(s) for s in template.strip("[]").split(",") if s.strip()]
        return len(sizes) == len(theirs) and all(
            (s is None and t <= bound) or s == t for s, t in zip(sizes, theirs, strict=True)
        )
    return not isinstance(theirs, str) and tuple(detail) == theirs


def corpus() -> list[Case]:
    rng = random.Random(SEED)
    return [generate(rng) for _ in range(CASES)]


def test_generated_indexing_corpus_matches_torch(tmp_path) -> None:
    torch.manual_seed(SEED)
    rng = random.Random(SEED + 1)
    failures = []
    raised = data = 0
    for number, case in enumerate(corpus()):
        theirs = torch_result(case, torch_inputs(case, rng))
        ours = static_result(case, tmp_path)
        raised += ours[0] == "raises"
        data += ours[0] == "data"
        if not _agrees(case, theirs, ours):
            failures.append(f"#{number} x{list(case.shape)}[{case.index}] {case.value=}: torch {theirs}, static {ours}")
    assert failures == [], "\n".join(failures)
    # the corpus exercises errors, masks and plain results alike
    assert raised > CASES // 10 and data > CASES // 20 and CASES - raised - data > CASES // 2, (raised, data)


# ---------------------------------------------------------------- the index, select and sort ops


def _op_case(rng: random.Random) -> tuple[str, dict[str, tuple[int, ...]]]:
    """A random call of an index/select/sort op on x (and i, an index tensor, and s, a source), often valid."""
    rank = rng.randint(1, 3)
    x = tuple(rng.randint(1, 4) for _ in range(rank))
    dim = rng.randint(-rank, rank - 1) if rng.random() < 0.95 else rank
    at = dim % rank if -rank <= dim < rank else 0

    def near(size: int) -> int:
        return size if rng.random() < 0.5 else max(1, size + rng.choice([-1, 0, 1]))

    same_rank = tuple(near(s) if d != at else rng.randint(1, 4) for d, s in enumerate(x))
    op = rng.choice(["gather", "index_select", "take_along_dim", "take", "narrow", "select", "kthvalue", "rot90",
                     "scatter_add", "index_add", "index_copy", "searchsorted", "sort", "argsort", "nonzero",
                     "masked_select", "unique", "msort", "index_fill"])  # fmt: skip
    if op == "gather":
        return f"torch.gather(x, {dim}, i)", {"x": x, "i": same_rank}
    if op == "index_select":
        return f"x.index_select({dim}, i)", {
            "x": x,
            "i": tuple(rng.randint(1, 4) for _ in range(rng.choice([1, 1, 2]))),
        }
    if op == "take_along_dim":
        indices = tuple(rng.choice([1, s]) if d != at else rng.randint(1, 4) for d, s in enumerate(x))
        if rng.random() < 0.1:
            indices = indices[1:] or (2,)
        return f"torch.take_along_dim(x, i, dim={dim})", {"x": x, "i": indices}
    if op == "take":
        return "x.take(i)", {"x": x, "i": tuple(rng.randint(1, 3) for _ in range(rng.randint(0, 2)))}
    if op == "narrow":
        start, length = rng.randint(-x[at], x[at]), rng.randint(0, x[at])
        return f"x.narrow({dim}, {start}, {length})", {"x": x}
    if op == "select":
        return f"torch.select(x, {dim}, {rng.randint(-x[at] - 1, x[at])})", {"x": x}
    if op == "kthvalue":
        return f"x.kthvalue({rng.randint(0, x[at] + 1)}, {dim}, {rng.random() < 0.5})[0]", {"x": x}
    if op == "rot90":
        dims = (rng.randint(-rank, rank - 1), rng.randint(-rank, rank - 1))
        return f"torch.rot90(x, {rng.randint(-2, 3)}, {dims})", {"x": x}
    if op in ("scatter_add", "index_add", "index_copy"):
        if op == "scatter_add":
            source = tuple(s if rng.random() < 0.8 else s + 1 for s in same_rank)
            return f"x.scatter_add({dim}, i, s)", {"x": x, "i": same_rank, "s": source}
        count = rng.randint(1, 3)
        source = tuple(count if d == at else near(s) for d, s in enumerate(x))
        return f"torch.{op}(x, {dim}, i, s)", {"x": x, "i": (count,), "s": source}
    if op == "index_fill":
        return f"x.index_fill({dim}, i, 0.5)", {"x": x, "i": (rng.randint(1, 3),)}
    if op == "searchsorted":
        values = (*x[:-1], rng.randint(1, 4)) if rng.random() < 0.7 else tuple(rng.randint(1, 3) for _ in range(2))
        return "torch.searchsorted(x, s)", {"x": x if rng.random() < 0.7 else x[-1:], "s": values}
    if op in ("sort", "argsort"):
        return f"torch.{op}(x, {dim})" + ("[0]" if op == "sort" else ""), {"x": x}
    if op == "msort":
        return "torch.msort(x)", {"x": x}
    if op == "nonzero":
        return "torch.nonzero(x > 0)", {"x": x}
    if op == "masked_select":
        return "x.masked_select(s > 0)", {"x": x, "s": x[rng.randint(0, rank - 1) :]}
    return f"torch.unique(x, dim={at})", {"x": x}


def test_generated_index_op_calls_match_torch(tmp_path) -> None:
    torch.manual_seed(SEED)
    rng = random.Random(SEED + 2)
    failures = []
    counts = {"raises": 0, "data": 0, "shape": 0}
    for number in range(OP_CASES):
        call, shapes = _op_case(rng)
        operands = {
            name: torch.zeros(shape, dtype=torch.long) if name == "i" else torch.randn(shape)
            for name, shape in shapes.items()
        }
        if "searchsorted" in call:
            operands["x"] = operands["x"].sort(dim=-1).values
        try:
            theirs: object = tuple(eval(call, {"torch": torch, **operands}).shape)  # our own generated text
        except (IndexError, ValueError, RuntimeError, TypeError) as error:
            theirs = f"raises {type(error).__name__}: {error}"
        lines = ["import torch", "import torch.nn as nn", "", "class M(nn.Module):",
                 f"    def forward(self, {', '.join(shapes)}):", f"        return {call} * 1"]  # fmt: skip
        path = tmp_path / "op.py"
        path.write_text("\n".join(lines) + "\n")
        (model,) = analyze([path], model="M", inputs=list(shapes.values())).models
        errors = [d for d in model.diagnostics if d.severity == "error"]
        data = [d for d in model.diagnostics if d.code.code == "SF301" and "depends on the data" in d.message]
        if errors:
            ours, agrees = "raises", isinstance(theirs, str)
        elif data:
            found = re.search(r"\(shape (\[[^\]]*\]|of unknown rank), .* at most (\d+)\)", data[0].message)
            ours, agrees = "data", bool(found) and _agrees(Case((), ""), theirs, ("data", (found[1], int(found[2]))))
        else:
            assert model.diagnostics == [], [d.format() for d in model.diagnostics]
            (product,) = [layer for layer in model.layers if layer.type == "mul"]
            ours, agrees = "shape", product.output == theirs
        counts[ours] += 1
        if not agrees:
            failures.append(f"#{number} {call} on {shapes}: torch {theirs}, static {ours} {model.diagnostics}")
    assert failures == [], "\n".join(failures)
    assert min(counts.values()) > OP_CASES // 20, counts


class _Index:
    """`_Index()[...]` is the index as Python builds it; `tensor(data)` a constant index tensor."""

    def __getitem__(self, index: object) -> object:
        return index

    @staticmethod
    def tensor(data: object) -> IndexTensor:
        if isinstance(data, (list, tuple)):
            return _list_tensor(data)
        return IndexTensor((), isinstance(data, bool), (data,))


def test_the_values_a_constant_index_picks_are_torchs() -> None:
    """Constant folding: `index_values` picks what torch picks from `arange(n).reshape(shape)`."""
    checked = 0
    for case in corpus():
        if case.inputs or case.assign:
            continue
        index = eval(f"_[{case.index}]", {"_": _Index(), "torch": _Index})  # our own generated text
        source = torch.arange(math.prod(case.shape)).reshape(case.shape)
        try:
            theirs = eval(f"source[{case.index}]", {"torch": torch, "source": source}).flatten().tolist()
        except (IndexError, ValueError, RuntimeError, TypeError):
            continue
        ours = index_values(case.shape, tuple(range(math.prod(case.shape))), index)
        assert ours is not None and list(ours) == theirs, (case, ours, theirs)
        checked += 1
    assert checked > CASES // 4, checked
