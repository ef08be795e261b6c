"""Calling catalog ops on tensors: functions, tensor methods, operators, indexing."""

from __future__ import annotations

import itertools
import math
from typing import Any

from staticflops.catalog import CATALOG, DataDependent, OpSpec, Output, RaisedError, ShapeError, primary
from staticflops.diagnostics import SF301, SF305
from staticflops.interpreter.calls import BindError, bind_arguments
from staticflops.interpreter.values import REQUIRED, NativeFunction, NativeValue, Unknown
from staticflops.source import Location
from staticflops.torchmodel import constants
from staticflops.torchmodel.dtypes import CANONICAL, TYPE_NAMES, Device, DType
from staticflops.torchmodel.spellings import Spelling, spelling
from staticflops.torchmodel.state import torch_state
from staticflops.torchmodel.tensor import (
    SAME_TENSOR_METHODS,
    NamedResult,
    Tensor,
    ValuesIndices,
    read_sizes,
    size_method,
    tensors_for,
)

OPERATOR_NAMES = {
    "eq": "__eq__",
    "ne": "__ne__",
    "lt": "__lt__",
    "le": "__le__",
    "gt": "__gt__",
    "ge": "__ge__",
    "add": "__add__",
    "radd": "__radd__",
    "iadd": "__iadd__",
    "sub": "__sub__",
    "rsub": "__rsub__",
    "isub": "__isub__",
    "mul": "__mul__",
    "rmul": "__rmul__",
    "imul": "__imul__",
    "truediv": "__truediv__",
    "rtruediv": "__rtruediv__",
    "itruediv": "__itruediv__",
    "pow": "__pow__",
    "rpow": "__rpow__",
}
"""Operator → the `torch.Tensor` dunder whose catalog entry prices it."""


def display_name(qualname: str) -> str:
    """How reports name an op: `F.relu`, `torch.flatten`, `Tensor.view`, `add`."""
    if qualname.startswith("torch.nn.functional."):
        return "F." + qualname.rsplit(".", 1)[1]
    if qualname.startswith("torch.Tensor.__"):
        return _dunder(qualname)
    if qualname.startswith("torch.Tensor."):
        return "Tensor." + qualname.rsplit(".", 1)[1]
    return qualname


def _dunder(qualname: str) -> str:
    name = qualname.rsplit(".", 1)[1].strip("_")
    if name.startswith(("i", "r")) and name[1:] in ("add", "sub", "mul", "truediv"):
        name = name[1:]
    return name


def short_name(qualname: str) -> str:
    """The name an op call gets under its parent module, as torch.fx names nodes."""
    name = qualname.rsplit(".", 1)[1]
    return _dunder(qualname) if name.startswith("__") else name.rstrip("_")


HARMLESS_KEYWORDS = frozenset(
    ("out", "dtype", "memory_format", "layout", "device", "requires_grad", "pin_memory", "non_blocking")
)
"""Keywords every torch op accepts (or that change where and how the result is stored, never its shape): an
entry that does not name one ignores it; `out=` receives the result, `dtype=` sets its dtype."""


def invoke_op(
    interp: Any, spec: OpSpec, args: list[Any], kwargs: dict[str, Any], site: Location, spelling: str = ""
) -> Any:
    """Apply an op: bind, check shapes, record the call when tracing, return the output tensor. `spelling`:
    the name it was called through, when not the entry's (`torch.conv2d`)."""
    taken = {p.name for p in spec.params}
    extra = {k: kwargs[k] for k in HARMLESS_KEYWORDS & kwargs.keys() - taken}
    if extra:
        kwargs = {k: v for k, v in kwargs.items() if k not in extra}
    result = _invoke(interp, spec, args, kwargs, site, spelling)
    resized = args[0] if args else None
    if spec.name in RESHAPING_IN_PLACE and isinstance(resized, Tensor) and isinstance(result, Tensor):
        # `x.resize_as_(y)`, `torch.resize_as_(x, y)`: x itself takes the new shape, and is returned
        resized.shape, resized.source, resized.values = result.shape, result.source, None
        return resized
    if isinstance(extra.get("dtype"), str) and isinstance(result, Tensor):
        result.dtype = str(extra["dtype"])
    out = extra.get("out")
    if isinstance(out, Tensor) and isinstance(result, Tensor):
        # torch resizes `out` to the result and returns it
        out.shape, out.source, out.values, out.dtype = result.shape, result.source, result.values, result.dtype
        return out
    if _receives(out, result):
        # `torch.linalg.qr(A, out=(Q, R))`: each tensor of `out` receives its item; the result is made of them
        for target, item in zip(out, result, strict=True):
            target.shape, target.source, target.values, target.dtype = item.shape, item.source, item.values, item.dtype
        return _named(spec, tuple(out))
    return result


def _receives(out: Any, result: Any) -> bool:
    """`out=` is a sequence of tensors, one per tensor of a tuple result."""
    return (
        isinstance(out, (tuple, list))
        and isinstance(result, tuple)
        and len(out) == len(result)
        and all(isinstance(value, Tensor) for value in (*out, *result))
    )


NUMPY_NAMES = {"axis": "dim", "keepdims": "keepdim", "x": "input", "a": "input", "x1": "input", "x2": "other"}
"""The numpy spellings torch's argument parser takes for its own names (`numpy_compatibility_arg_names` in
torch/csrc/utils/python_arg_parser.cpp): `x.mean(axis=-1)`, `torch.cat(xs, axis=1)`."""


def numpy_names(params: tuple[Any, ...] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
    """`kwargs` with a numpy spelling renamed to torch's, where the signature has torch's name and not numpy's."""
    if not kwargs or params is None or not any(key in NUMPY_NAMES for key in kwargs):
        return kwargs
    names = {param.name for param in params}
    return {
        NUMPY_NAMES[key] if key in NUMPY_NAMES and key not in names and NUMPY_NAMES[key] in names else key: value
        for key, value in kwargs.items()
    }


def _invoke(interp: Any, spec: OpSpec, args: list[Any], kwargs: dict[str, Any], site: Location, spelling: str) -> Any:
    kwargs = numpy_names(spec.params, kwargs)
    try:
        bound = bind_arguments(spec.name, spec.params, args, kwargs)
    except BindError as exc:
        interp.raise_error("TypeError", str(exc), site)
    tensors: list[Tensor] = []
    shaped = dict(bound)
    unknown = False
    shape_unknown = False  # only a tensor's shape, which some ops do not need (`output_when_unknown`)
    for name in spec.tensors:
        value = bound.get(name)
        if isinstance(value, tuple) and len(value) == 1 and isinstance(value[0], (list, tuple)):
            value = bound[name] = value[0]  # `*tensors` given as one list: torch.meshgrid([a, b])
        if isinstance(value, Tensor):
            tensors.append(value)
            shape_unknown = shape_unknown or value.shape is None
            shaped[name] = value.shape
        elif not value and isinstance(value, (list, tuple)) and _skipped_loop(interp) is not None:
            # `torch.cat(pieces)` after a loop over a tensor of unknown shape, which would have filled it
            line = _skipped_loop(interp).line  # type: ignore[union-attr]
            interp.report(
                SF301, f"argument '{name}' of {display_name(spec.qualname)}: an empty sequence, which the loop "
                f"skipped at line {line} may have filled", site
            )  # fmt: skip
            unknown = True
        elif isinstance(value, (list, tuple)) and all(isinstance(v, Tensor) for v in value):
            tensors.extend(value)  # cat, stack: a sequence of tensors
            shape_unknown = shape_unknown or any(v.shape is None for v in value)
            shaped[name] = [v.shape for v in value]
        elif isinstance(value, (Unknown, list, tuple)):
            unknown = True
    for name, value in bound.items():
        if name not in spec.tensors and isinstance(value, (tuple, list)) and any(isinstance(v, Tensor) for v in value):
            value = shaped[name] = read_sizes(value)  # `x.view(n, torch.div(s, w, rounding_mode="floor"))`
        if name not in spec.tensors and not isinstance(value, Tensor) and _contains_unknown(value):
            interp.report_unknown(_first_unknown(value), f"argument '{name}' of {display_name(spec.qualname)}", site)
            unknown = True
    output: Output | None = None
    work = None
    if shape_unknown and not unknown and spec.output_when_unknown is not None:
        output = spec.output_when_unknown(shaped)  # `x.view(n, n)` of an `x` of unknown shape
        work = None if output is None else spec.work(shaped, output)
    elif not unknown and not shape_unknown:
        try:
            output = spec.output(shaped)  # type: ignore[assignment]
            if isinstance(output, DataDependent):
                from staticflops.torchmodel.indexing import fmt

                form = "of unknown rank" if output.shape is None else fmt(output.shape)
                limits = [f"at least {output.least}"] if output.least else []
                limits += [] if output.bound is None else [f"at most {output.bound}"]
                interp.report(
                    SF301, f"{display_name(spec.qualname)}: its output's shape depends on the data (shape {form}, "
                    f"a data-dependent size{' ' + ' and '.join(limits) if limits else ''})", site
                )  # fmt: skip
                output = None
            elif output is None:  # a shape that depends on the data, not on shapes
                interp.report(SF301, f"{display_name(spec.qualname)}: its output's shape depends on the data", site)
            else:
                _report_data_dependent_items(interp, spec, output, site)
                work = spec.work(shaped, output)
        except ShapeError as error:
            error.site = error.site or site
            raise
        except RaisedError as error:
            interp.raise_error(error.type_name, error.message, site)
    state = torch_state(interp)
    source = state.trace.record(
        type_name=display_name(spelling or spec.qualname),
        spec=spec,
        module=None,
        tensors=tensors,
        output=None if output is None else primary(output),
        work=work,
        site=site,
        op=short_name(spelling or spec.qualname),
        arguments=shaped,
        spelling=spelling,
    )
    dtype = spec.dtype or (tensors[0].dtype if tensors else "float32")
    if spec.result_dtype is not None:
        dtype = spec.result_dtype(dtype)
    elif spec.qualname.rsplit(".", 1)[1].rstrip("_") in BOOLEAN_RESULTS:
        dtype = "bool"  # a mask: `x[torch.isnan(x)]` indexes by it, not by integers
    if spec.call_dtype is not None:
        dtype = spec.call_dtype(bound, dtype)
    result = tensors_for(output, dtype, source)
    if isinstance(result, tuple):
        result = _named(spec, result)
    if output is not None:
        if isinstance(result, Tensor):
            _attach_values(spec, bound, result)
        elif isinstance(result, tuple):
            _attach_pieces(spec, bound, result)
    return result


def _report_data_dependent_items(interp: Any, spec: OpSpec, output: Output, site: Location) -> None:
    """SF301 for each item of a tuple result whose size depends on the data (`linalg.lstsq`'s residuals, which
    LAPACK computes only when every matrix has full rank): that item's shape is unknown, the others are known."""
    if not isinstance(output, list):
        return
    for number, item in enumerate(output):
        if isinstance(item, DataDependent):
            from staticflops.torchmodel.indexing import fmt

            name = spec.fields[number] if number < len(spec.fields) else f"item {number}"
            form = "of unknown rank" if item.shape is None else fmt(item.shape)
            interp.report(
                SF301, f"{display_name(spec.qualname)}: the size of its '{name}' depends on the data (shape {form}, "
                f"a data-dependent size at most {item.bound})", site
            )  # fmt: skip


def _named(spec: OpSpec, items: tuple[Any, ...]) -> tuple[Any, ...]:
    """A tuple result as torch returns it: its items' own dtypes (`int32` pivots), and its names when it is one of
    torch's named tuples."""
    for item, dtype in zip(items, spec.item_dtypes, strict=False):
        if dtype is not None and isinstance(item, Tensor):
            item.dtype = dtype
    if spec.values_indices:
        return ValuesIndices(*items)
    return NamedResult(items, spec.fields) if spec.fields else items


BOOLEAN_RESULTS = frozenset((
    "isnan", "isinf", "isfinite", "isneginf", "isposinf", "isreal", "signbit", "isclose", "isin", "logical_and",
    "logical_or", "logical_xor", "logical_not", "eq", "ne", "lt", "le", "gt", "ge", "greater", "less", "greater_equal",
    "less_equal", "not_equal",
))  # fmt: skip
"""Ops whose result is a boolean tensor, whatever their inputs' dtype."""


def _skipped_loop(interp: Any) -> Location | None:
    """The last loop over a value not known statically that the forward being traced skipped, if any."""
    trace = torch_state(interp).trace
    skipped = interp.skipped_loops
    return skipped[-1] if trace.active and len(skipped) > trace.skipped_loops_before else None


VIEWS = frozenset(("reshape", "view", "flatten", "squeeze", "unsqueeze", "contiguous", "ravel", "clone", "detach"))
"""Ops whose result holds the input's values in the same (row-major) order."""
PIECES = frozenset(("split", "chunk", "unbind", "tensor_split"))


def _attach_pieces(spec: OpSpec, bound: dict[str, Any], pieces: tuple[Any, ...]) -> None:
    """`torch.linspace(0, p, sum(depths)).split(depths)`: each piece of a constant along dim 0 keeps its values."""
    name = spec.qualname.rsplit(".", 1)[1]
    source = bound.get(spec.tensors[0]) if spec.tensors else None
    if name not in PIECES or not isinstance(source, Tensor) or source.values is None or not source.shape:
        return
    if bound.get("dim", 0) not in (0, -len(source.shape)):
        return
    row = math.prod(source.shape[1:])
    start = 0
    for piece in pieces:
        if not isinstance(piece, Tensor) or piece.shape is None:
            return
        count = piece.shape[0] if name != "unbind" else 1
        piece.values = source.values[start * row : (start + count) * row]
        piece.dtype = source.dtype
        start += count


def _attach_values(spec: OpSpec, bound: dict[str, Any], result: Tensor) -> None:
    """Constant folding for the small tensors configuration code computes with."""
    name = spec.qualname.rsplit(".", 1)[1]
    source = bound.get(spec.tensors[0]) if spec.tensors else None
    if name in VIEWS and isinstance(source, Tensor) and source.values is not None:
        if result.numel() == len(source.values):
            result.values, result.dtype = source.values, source.dtype
        return
    if name in ("flip", "fliplr", "flipud") and isinstance(source, Tensor) and source.values is not None:
        dims = {"fliplr": (1,), "flipud": (0,)}.get(name) or bound.get("dims") or bound.get("dims_given") or ()
        dims = (dims,) if isinstance(dims, int) else tuple(dims)
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):  # x.flip((0, 1))
            dims = tuple(dims[0])
        flipped = _flip(constants.nested(source.values, source.shape), [d % len(source.shape) for d in dims], 0)
        flat = constants.flatten(flipped)
        if flat is not None:
            result.values, result.dtype = tuple(flat[1]), source.dtype
        return
    if name == "diff":
        values, _ = constants.operand(bound["input"])
        if values is not None and result.shape is not None and len(result.shape) == 1:
            result.values = tuple(b - a for a, b in itertools.pairwise(values))
            result.dtype = bound["input"].dtype
        return
    if not spec.tensors:
        return
    first = bound.get(spec.tensors[0])
    if name in constants.REDUCTIONS:
        whole = bound.get("dim") is None and bound.get("axis") is None and result.shape == ()
        reduced = constants.reduce(name, first) if whole else None
        if reduced is not None:
            result.values, result.dtype = reduced
        return
    second = bound.get(spec.tensors[1]) if len(spec.tensors) > 1 else None
    if name in ("div", "divide") and bound.get("rounding_mode") in constants.ROUNDED:
        name = constants.ROUNDED[bound["rounding_mode"]]  # `torch.div(n, w, rounding_mode="trunc")`: an integer
    computed = constants.compute(name, first, second, result.shape or ())
    if computed is not None:
        result.values, result.dtype = computed


def unknown_op(interp: Any, qualname: str, args: list[Any], kwargs: dict[str, Any], site: Location) -> Tensor:
    """An op the catalog does not know: reported once per call site, its output shape unknown."""
    interp.report(SF305, f"'{display_name(qualname)}' is not in the catalog; its cost is not counted", site)
    tensors = [v for v in [*args, *kwargs.values()] if isinstance(v, Tensor)]
    return _uncounted(interp, display_name(qualname), qualname.rsplit(".", 1)[1], tensors, site)


def _uncounted(interp: Any, type_name: str, op: str, tensors: list[Tensor], site: Location) -> Tensor:
    """Record a call whose work is unknown (so totals are lower bounds); its output's shape is unknown."""
    state = torch_state(interp)
    source = state.trace.record(
        type_name=type_name,
        spec=None,
        module=None,
        tensors=tensors,
        output=None,
        work=None,
        site=site,
        op=op,
    )
    return Tensor(None, source=source)


class UncataloguedName(NativeValue):
    """A torch name the catalog lacks (`torch.special.erf`, `torch.special`): calling it is an
    unknown op, and its attributes are further unknown names."""

    def __init__(self, qualname: str) -> None:
        self.qualname = qualname

    def sf_known(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<uncatalogued {self.qualname}>"

    def sf_call(self, interp: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
        return unknown_op(interp, self.qualname, args, kwargs, site)

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        # `torch.linalg.multi_dot`, `torch._C._nn.gelu`, `torch.ops.aten.addmm`: entries under namespaces
        return op_function(f"{self.qualname}.{name}")


class AtenOp(NativeValue):
    """`torch.ops.aten.addmm`, callable itself and through any overload (`.default`, `.Tensor`)."""

    def __init__(self, function: NativeFunction) -> None:
        self.function = function

    def sf_call(self, interp: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
        if "self" in kwargs:  # aten's schemas name the first tensor `self`
            kwargs = dict(kwargs)
            args = [kwargs.pop("self"), *args]
        return self.function.impl(interp, args, kwargs, site)

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        return self


def _entry_op(qualname: str) -> bool:
    return isinstance(CATALOG.entries.get(qualname), OpSpec)


def _spelled(
    interp: Any, qualname: str, spelled: Spelling, args: list[Any], kwargs: dict[str, Any], site: Location
) -> Any:
    """A call through another name of an entry (spellings.py)."""
    entry = spelled.entry
    if spelled.choose is not None:
        chosen = spelled.choose(dict(zip((p.name for p in spelled.params or ()), args, strict=False)) | kwargs)
        if chosen is None:
            return unknown_op(interp, qualname, args, kwargs, site)
        entry = chosen
    spec = CATALOG.entries[entry]
    assert isinstance(spec, OpSpec)
    if spelled.params is None:
        return invoke_op(interp, spec, args, kwargs, site, spelling=qualname)
    kwargs = numpy_names(spelled.params, kwargs)
    taken = {p.name for p in spelled.params}
    extra = {k: v for k, v in kwargs.items() if k in HARMLESS_KEYWORDS and k not in taken}
    try:
        bound = bind_arguments(
            qualname.rsplit(".", 1)[1], spelled.params, args, {k: v for k, v in kwargs.items() if k not in extra}
        )
    except BindError as exc:
        interp.raise_error("TypeError", str(exc), site)
    arguments = {spelled.rename.get(k, k): v for k, v in bound.items() if k not in spelled.drop}
    if spelled.adapt is not None:
        arguments = spelled.adapt(arguments)
    return invoke_op(interp, spec, [], {**arguments, **extra}, site, spelling=qualname)


def op_function(qualname: str) -> Any:
    """A `torch.*` / `F.*` function: the catalog entry if there is one, another name of one (spellings.py),
    else an uncatalogued name."""
    spec = CATALOG.entries.get(qualname)
    folded = constants.FOLDED.get(qualname.rsplit(".", 1)[1])
    if folded is not None:
        return NativeFunction(display_name(qualname), lambda i, a, k, s: _fold(i, qualname, folded, a, k, s))
    if isinstance(spec, OpSpec):
        return NativeFunction(
            display_name(qualname), lambda interp, a, k, s: invoke_op(interp, spec, a, k, s), spec.params
        )
    spelled = spelling(qualname, _entry_op)
    if spelled is not None:
        function = NativeFunction(display_name(qualname), lambda i, a, k, s: _spelled(i, qualname, spelled, a, k, s))
        return AtenOp(function) if qualname.startswith("torch.ops.") else function
    return UncataloguedName(qualname)


def _fold(interp: Any, qualname: str, folded: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
    """A data-dependent op on a constant tensor: its values are computed; on anything else it is the catalog's
    entry (which says its shape depends on the data), or unknown."""
    source = args[0] if args else None
    if isinstance(source, Tensor) and source.values is not None:
        computed = folded(source.values, source.dtype, kwargs)
        if computed is not None:  # None: these arguments are not folded (`bincount` with weights)
            return computed
    spec = CATALOG.entries.get(qualname)
    if isinstance(spec, OpSpec):
        return invoke_op(interp, spec, args, kwargs, site)
    return unknown_op(interp, qualname, args, kwargs, site)


def call_unknown(interp: Any, callee: Unknown, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
    """Calling something unknown on tensors while tracing (a third-party layer): say so, keep going."""
    tensors = [v for v in [*args, *kwargs.values()] if isinstance(v, Tensor)]
    state = torch_state(interp)
    if not tensors or not state.trace.active:
        return Unknown(callee.reason, callee.location or site)
    interp.report(SF305, f"call of an unknown value ({callee.reason}); its cost is not counted", site)
    return _uncounted(interp, "?", "unknown", tensors, site)


def tensor_attribute(interp: Any, tensor: Tensor, name: str, site: Location) -> Any:
    """`tensor.name`: shape queries, no-op methods, constant values, and catalog ops as methods."""
    if name == "shape":
        return Unknown("the shape of a tensor of unknown shape", site) if tensor.shape is None else tuple(tensor.shape)
    if name == "size":
        return size_method(tensor)
    if name in ("ndim", "__len__", "dim", "ndimension"):
        if tensor.shape is None:
            value: Any = Unknown("the rank of a tensor of unknown shape", site)
        else:
            value = len(tensor.shape) if name != "__len__" else tensor.shape[0]
        return value if name in ("ndim", "__len__") else NativeFunction(name, lambda i, a, k, s: value)
    if name in ("numel", "nelement"):
        count = tensor.numel()
        return NativeFunction(name, lambda i, a, k, s: Unknown("numel of an unknown shape") if count is None else count)
    if name == "dtype":
        return DType(tensor.dtype)
    if name in ("is_floating_point", "is_complex", "element_size"):
        # questions about the dtype, which a shape-only tensor knows (`image.is_floating_point()`)
        answer = getattr(DType(tensor.dtype), "itemsize" if name == "element_size" else name)
        return NativeFunction(f"Tensor.{name}", lambda i, a, k, s: answer)
    if name == "device":
        return Device("cpu")
    if name in ("is_cuda", "is_mps", "is_xpu", "requires_grad", "is_quantized", "is_sparse", "is_meta", "is_nested"):
        # a float tensor on the CPU, as analyzed models run; only parameters require grad
        return name == "requires_grad" and tensor.is_parameter
    if name == "__class__":
        return torch_state(interp).tensor_class if interp is not None else REQUIRED
    if name == "data":
        return tensor
    if name in CONVERSIONS:
        return NativeFunction(f"Tensor.{name}", lambda i, a, k, s: CONVERSIONS[name](tensor, a, k))
    if name == "is_contiguous":  # a tensor analyzed code makes is laid out as torch lays out a new one
        return NativeFunction("Tensor.is_contiguous", lambda i, a, k, s: True)
    if name == "stride" and tensor.shape is not None:  # laid out so too: row-major strides of its shape
        return NativeFunction("Tensor.stride", lambda i, a, k, s: _strides(tensor.shape, a[0] if a else k.get("dim")))
    if name in SAME_TENSOR_METHODS:
        return NativeFunction(f"Tensor.{name}", lambda i, a, k, s: _same(tensor))
    if name == "astype":  # a numpy array's cast
        return NativeFunction("ndarray.astype", lambda i, a, k, s: _cast(tensor, str(a[0] if a else k.get("dtype"))))
    if name in ("T", "mT", "H", "mH"):  # properties, not methods: a tensor even when the shape is unknown
        if tensor.shape is None:
            return Tensor(None, dtype=tensor.dtype, source=tensor.source)
        dims = tensor.shape[::-1] if name in ("T", "H") else (*tensor.shape[:-2], *tensor.shape[-2:][::-1])
        return Tensor(tuple(dims), dtype=tensor.dtype, source=tensor.source)
    if name in ("real", "imag"):
        return Tensor(tensor.shape, dtype=tensor.dtype, source=tensor.source)
    if name in CASTS:
        return NativeFunction(f"Tensor.{name}", lambda i, a, k, s: _cast(tensor, CASTS[name]))
    if name in ("new_zeros", "new_ones", "new_empty", "new_full", "new_tensor"):
        return NativeFunction(f"Tensor.{name}", lambda i, a, k, s: _new_tensor(tensor, name, a, k))
    if name in ("tolist", "item"):
        return NativeFunction(f"Tensor.{name}", lambda i, a, k, s: _known_values(tensor, name, s))
    name = DUNDER_METHODS.get(name, name)  # `abs(x)` calls `x.__abs__()`, which is `x.abs()`
    qualname = f"torch.Tensor.{name}"
    spec = CATALOG.entries.get(qualname)
    if isinstance(spec, OpSpec) and name not in constants.FOLDED:
        return NativeFunction(display_name(qualname), lambda i, a, k, s: invoke_op(i, spec, [tensor, *a], k, s))
    if name.startswith("_"):
        return REQUIRED
    spelled = spelling(qualname, _entry_op)
    if spelled is not None:  # `x.ger(y)` is `x.outer(y)`
        return NativeFunction(
            display_name(qualname), lambda i, a, k, s: _spelled(i, qualname, spelled, [tensor, *a], k, s)
        )
    if name.endswith("_") and (_entry_op(qualname[:-1]) or spelling(qualname[:-1], _entry_op) is not None):
        return NativeFunction(display_name(qualname), lambda i, a, k, s: _in_place(i, qualname, tensor, a, k, s))
    if name in constants.FOLDED:
        folded = constants.FOLDED[name]
        return NativeFunction(qualname, lambda i, a, k, s: _fold(i, qualname, folded, [tensor, *a], k, s))
    if name.endswith("_"):
        # an in-place op returns its own tensor: whatever it computes, the shape is kept
        return NativeFunction(
            display_name(qualname), lambda i, a, k, s: _unknown_in_place(i, qualname, tensor, a, k, s), guessed=True
        )
    return NativeFunction(
        display_name(qualname), lambda i, a, k, s: unknown_op(i, qualname, [tensor, *a], k, s), guessed=True
    )


DUNDER_METHODS = {"__abs__": "abs"}
"""Special methods a builtin calls (`abs(q - k)`: `__abs__`) that are another method of Tensor."""

RESHAPING_IN_PLACE = frozenset(("t_", "transpose_", "squeeze_", "unsqueeze_", "swapaxes_", "swapdims_", "resize_as_"))
"""In-place forms that change the tensor's own shape (`x.unsqueeze_(0)`)."""


def _in_place(
    interp: Any, qualname: str, tensor: Tensor, args: list[Any], kwargs: dict[str, Any], site: Location
) -> Any:
    """`x.sub_(y)`, `x.addmm_(a, b)`: the out-of-place op, its result written into x, which it returns; the
    result must have x's shape (torch does not resize x)."""
    out_of_place = qualname[:-1]
    spec = CATALOG.entries.get(out_of_place)
    if isinstance(spec, OpSpec):
        result = invoke_op(interp, spec, [tensor, *args], kwargs, site, spelling=qualname)
    else:
        spelled = spelling(out_of_place, _entry_op)
        assert spelled is not None
        result = _spelled(interp, qualname, spelled, [tensor, *args], kwargs, site)
    if not isinstance(result, Tensor):
        return result
    if qualname.rsplit(".", 1)[1] in RESHAPING_IN_PLACE:
        tensor.shape = result.shape
    elif result.shape is not None and tensor.shape is not None and result.shape != tensor.shape:
        interp.raise_error(
            "RuntimeError",
            f"output with shape {list(tensor.shape)} doesn't match the broadcast shape {list(result.shape)}",
            site,
        )
    tensor.source, tensor.values = result.source, None
    if tensor.shape is None:
        tensor.shape = result.shape
    return tensor


def _unknown_in_place(
    interp: Any, qualname: str, tensor: Tensor, args: list[Any], kwargs: dict[str, Any], site: Location
) -> Tensor:
    if torch_state(interp).trace.active:
        unknown_op(interp, qualname, [tensor, *args], kwargs, site)
    return tensor


CASTS = {"float": "float32", "double": "float64", "half": "float16", "bfloat16": "bfloat16", "long": "int64",
         "int": "int32", "short": "int16", "char": "int8", "byte": "uint8", "bool": "bool",
         "cfloat": "complex64"}  # fmt: skip


def _dtype_of(value: Any) -> str | None:
    """The dtype a conversion names: `torch.float16`, `'torch.HalfTensor'`, `torch.HalfTensor`; None for a device."""
    if isinstance(value, DType):
        return CANONICAL.get(str(value), str(value))
    name = value.name if isinstance(value, NativeFunction) else value
    if isinstance(name, str) and name.startswith("torch."):
        legacy = {v: k for k, v in TYPE_NAMES.items()}.get(name)
        return legacy or (name[len("torch.") :] if name[len("torch.") :] in TYPE_NAMES else None)
    return None


def _to(tensor: Tensor, args: list[Any], kwargs: dict[str, Any]) -> Tensor:
    """`x.to(torch.float16)`, `x.to(device)`, `x.to(other)`, `x.to(device, dtype)`, `x.to(dtype=...)`: the dtype
    asked for, or `other`'s; devices change nothing here."""
    dtype = _dtype_of(kwargs.get("dtype"))
    for value in args:
        if isinstance(value, Tensor):
            dtype = value.dtype
        elif _dtype_of(value) is not None:
            dtype = _dtype_of(value)
    return _same(tensor) if dtype is None else _cast(tensor, dtype)


def _type(tensor: Tensor, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """`x.type()` is the legacy type's name (`'torch.FloatTensor'`); `x.type(dtype)` converts."""
    target = args[0] if args else kwargs.get("dtype")
    if target is None:
        return TYPE_NAMES.get(CANONICAL.get(tensor.dtype, tensor.dtype), "torch.FloatTensor")
    dtype = _dtype_of(target)
    return _same(tensor) if dtype is None else _cast(tensor, dtype)


CONVERSIONS = {
    "to": _to,
    "type": _type,
    "type_as": lambda tensor, args, kwargs: _cast(tensor, args[0].dtype) if args and isinstance(args[0], Tensor)
    else _same(tensor),
}  # fmt: skip
"""Methods that return the tensor in another dtype (or as it is)."""


def _new_tensor(tensor: Tensor, name: str, args: list[Any], kwargs: dict[str, Any]) -> Tensor:
    """`x.new_zeros(size)` and friends: a fresh tensor of the given size and x's dtype."""
    size = args[0] if args else kwargs.get("size", kwargs.get("data", ()))
    dtype = _dtype_of(kwargs.get("dtype")) or tensor.dtype
    if name == "new_tensor":
        flat = constants.flatten(size)
        return Tensor(None if flat is None else flat[0], dtype=dtype)
    size = read_sizes(size) if isinstance(size, (tuple, list)) else size
    if isinstance(size, int):
        size = tuple(a for a in args if isinstance(a, int)) if name != "new_full" else (size,)
    known = isinstance(size, (tuple, list)) and all(isinstance(d, int) for d in size)
    return Tensor(tuple(size) if known else None, dtype=dtype)


def _strides(shape: tuple[int, ...], dim: Any) -> Any:
    """`x.stride()` of a tensor laid out as torch lays out a new one (as `is_contiguous()` says): what
    `as_strided` views are built from (Longformer's overlapping chunks). The layout moves no data a cost
    depends on: `as_strided`'s shape is its `size` argument."""
    strides = [1] * len(shape)
    for index in range(len(shape) - 2, -1, -1):
        strides[index] = strides[index + 1] * max(shape[index + 1], 1)
    if dim is None:
        return tuple(strides)
    return strides[dim] if isinstance(dim, int) and -len(shape) <= dim < len(shape) else Unknown(f"stride({dim!r})")


def _same(tensor: Tensor) -> Tensor:
    return Tensor(tensor.shape, dtype=tensor.dtype, source=tensor.source, values=tensor.values)


def _cast(tensor: Tensor, dtype: str) -> Tensor:
    values = None if tensor.values is None else constants.normalize(list(tensor.values), dtype)
    return Tensor(tensor.shape, dtype=dtype, source=tensor.source, values=values)


def _known_values(tensor: Tensor, name: str, site: Location) -> Any:
    if tensor.values is None or tensor.shape is None:
        return Unknown(f"the values of {tensor!r} are not known statically", site)
    return constants.nested(tensor.values, tensor.shape if name == "tolist" else ())


def tensor_operator(interp: Any, tensor: Tensor, op: str, other: Any, reflected: bool, site: Location) -> Any:
    dunder = OPERATOR_NAMES.get(op if not reflected else "r" + op.removeprefix("i"))
    qualname = f"torch.Tensor.{dunder or '__' + op + '__'}"
    spec = CATALOG.entries.get(qualname)
    if isinstance(other, Unknown):
        return Tensor(None, source=tensor.source)
    if isinstance(spec, OpSpec):
        return invoke_op(interp, spec, [tensor, other], {}, site)
    return unknown_op(interp, qualname, [tensor, other], {}, site)


def _flip(data: Any, dims: list[int], depth: int) -> Any:
    """Nested lists reversed along `dims` (`torch.flip` of a constant)."""
    if not isinstance(data, list):
        return data
    rows = [_flip(row, dims, depth + 1) for row in data]
    return rows[::-1] if depth in dims else rows


def _contains_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, (tuple, list)):
        return any(_contains_unknown(v) for v in value)
    if isinstance(value, dict):  # `**axes_lengths`
        return any(_contains_unknown(v) for v in value.values())
    return False


def _first_unknown(value: Any) -> Unknown:
    if isinstance(value, Unknown):
        return value
    values = value.values() if isinstance(value, dict) else value
    return next(_first_unknown(v) for v in values if _contains_unknown(v))
