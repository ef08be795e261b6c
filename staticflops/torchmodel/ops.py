"""Calling catalog ops on tensors: functions, tensor methods, operators, indexing."""

from __future__ import annotations

import itertools
import math
from typing import Any

from staticflops.catalog import CATALOG, OpSpec, Output, RaisedError, ShapeError, primary
from staticflops.catalog.elementwise import broadcast
from staticflops.diagnostics import SF301, SF305
from staticflops.interpreter.calls import BindError, bind_arguments
from staticflops.interpreter.values import REQUIRED, NativeFunction, NativeValue, Unknown
from staticflops.source import Location
from staticflops.torchmodel import constants
from staticflops.torchmodel.dtypes import Device, DType
from staticflops.torchmodel.state import torch_state
from staticflops.torchmodel.tensor import SAME_TENSOR_METHODS, Tensor, ValuesIndices, size_method, tensors_for

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


def invoke_op(interp: Any, spec: OpSpec, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
    """Apply an op: bind, check shapes, record the call when tracing, return the output tensor."""
    try:
        bound = bind_arguments(spec.name, spec.params, args, kwargs)
    except BindError as exc:
        interp.raise_error("TypeError", str(exc), site)
    tensors: list[Tensor] = []
    shaped = dict(bound)
    unknown = False
    for name in spec.tensors:
        value = bound.get(name)
        if isinstance(value, tuple) and len(value) == 1 and isinstance(value[0], (list, tuple)):
            value = bound[name] = value[0]  # `*tensors` given as one list: torch.meshgrid([a, b])
        if isinstance(value, Tensor):
            tensors.append(value)
            unknown = unknown or value.shape is None
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
            unknown = unknown or any(v.shape is None for v in value)
            shaped[name] = [v.shape for v in value]
        elif isinstance(value, (Unknown, list, tuple)):
            unknown = True
    for name, value in bound.items():
        if name not in spec.tensors and not isinstance(value, Tensor) and _contains_unknown(value):
            interp.report_unknown(_first_unknown(value), f"argument '{name}' of {display_name(spec.qualname)}", site)
            unknown = True
    output: Output | None = None
    work = None
    if not unknown:
        try:
            output = spec.output(shaped)
            if output is None:  # a shape that depends on the data, not on shapes
                interp.report(SF301, f"{display_name(spec.qualname)}: its output's shape depends on the data", site)
            else:
                work = spec.work(shaped, output)
        except ShapeError as error:
            error.site = error.site or site
            raise
        except RaisedError as error:
            interp.raise_error(error.type_name, error.message, site)
    state = torch_state(interp)
    source = state.trace.record(
        type_name=display_name(spec.qualname),
        spec=spec,
        module=None,
        tensors=tensors,
        output=None if output is None else primary(output),
        work=work,
        site=site,
        op=short_name(spec.qualname),
        arguments=shaped,
    )
    dtype = spec.dtype or (tensors[0].dtype if tensors else "float32")
    result = tensors_for(output, dtype, source)
    if spec.values_indices and isinstance(result, tuple):
        result = ValuesIndices(*result)
    if output is not None and not state.trace.active:
        if isinstance(result, Tensor):
            _attach_values(spec, bound, result)
        elif isinstance(result, tuple):
            _attach_pieces(spec, bound, result)
    return result


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
    first = bound.get(spec.tensors[0])
    second = bound.get(spec.tensors[1]) if len(spec.tensors) > 1 else None
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

    def __repr__(self) -> str:
        return f"<uncatalogued {self.qualname}>"

    def sf_call(self, interp: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
        return unknown_op(interp, self.qualname, args, kwargs, site)

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        """`torch.special.erf`, `torch.linalg.vector_norm`: a catalog entry if there is one."""
        qualname = f"{self.qualname}.{name}"
        return (
            op_function(qualname) if isinstance(CATALOG.entries.get(qualname), OpSpec) else UncataloguedName(qualname)
        )


def op_function(qualname: str) -> Any:
    """A `torch.*` / `F.*` function: the catalog entry if there is one, else an uncatalogued name."""
    spec = CATALOG.entries.get(qualname)
    if isinstance(spec, OpSpec):
        return NativeFunction(display_name(qualname), lambda interp, a, k, s: invoke_op(interp, spec, a, k, s))
    folded = constants.FOLDED.get(qualname.rsplit(".", 1)[1])
    if folded is not None:
        return NativeFunction(display_name(qualname), lambda i, a, k, s: _fold(i, qualname, folded, a, k, s))
    return UncataloguedName(qualname)


def _fold(interp: Any, qualname: str, folded: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
    """A data-dependent op on a constant tensor: its values are computed; on anything else it is unknown."""
    source = args[0] if args else None
    if isinstance(source, Tensor) and source.values is not None:
        return folded(source.values, source.dtype, kwargs)
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
    qualname = f"torch.Tensor.{name}"
    spec = CATALOG.entries.get(qualname)
    if isinstance(spec, OpSpec):
        return NativeFunction(display_name(qualname), lambda i, a, k, s: invoke_op(i, spec, [tensor, *a], k, s))
    if name.startswith("_"):
        return REQUIRED
    if name in constants.FOLDED:
        folded = constants.FOLDED[name]
        return NativeFunction(qualname, lambda i, a, k, s: _fold(i, qualname, folded, [tensor, *a], k, s))
    if name.endswith("_"):
        # an in-place op returns its own tensor: whatever it computes, the shape is kept
        return NativeFunction(
            display_name(qualname), lambda i, a, k, s: _unknown_in_place(i, qualname, tensor, a, k, s)
        )
    return NativeFunction(display_name(qualname), lambda i, a, k, s: unknown_op(i, qualname, [tensor, *a], k, s))


def _unknown_in_place(
    interp: Any, qualname: str, tensor: Tensor, args: list[Any], kwargs: dict[str, Any], site: Location
) -> Tensor:
    if torch_state(interp).trace.active:
        unknown_op(interp, qualname, [tensor, *args], kwargs, site)
    return tensor


CASTS = {"float": "float32", "double": "float64", "half": "float16", "long": "int64", "int": "int32",
         "short": "int16", "bool": "bool"}  # fmt: skip


def _new_tensor(tensor: Tensor, name: str, args: list[Any], kwargs: dict[str, Any]) -> Tensor:
    """`x.new_zeros(size)` and friends: a fresh tensor of the given size and x's dtype."""
    size = args[0] if args else kwargs.get("size", ())
    if name == "new_tensor":
        flat = constants.flatten(size)
        return Tensor(None if flat is None else flat[0], dtype=tensor.dtype)
    if isinstance(size, int):
        size = tuple(a for a in args if isinstance(a, int)) if name != "new_full" else (size,)
    known = isinstance(size, (tuple, list)) and all(isinstance(d, int) for d in size)
    return Tensor(tuple(size) if known else None, dtype=tensor.dtype)


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


def tensor_index(interp: Any, tensor: Tensor, index: Any, site: Location) -> Tensor:
    """Basic indexing (ints, slices, None, Ellipsis): a view, no arithmetic."""
    if tensor.shape is None:
        return Tensor(None, source=tensor.source)
    items = list(index) if isinstance(index, tuple) else [index]
    if len(items) == 1 and isinstance(items[0], Tensor) and items[0].dtype != "bool":
        # a gather by an integer tensor (`table[index]`): the index's shape, then the rest
        gathered = None if items[0].shape is None else (*items[0].shape, *tensor.shape[1:])
        return Tensor(gathered, dtype=tensor.dtype, source=tensor.source)
    if any(_is_advanced(item) for item in items):
        return _advanced_index(tensor, items)
    if any(isinstance(item, Tensor) and item.dtype == "bool" for item in items):
        # `score[score > threshold]`: as many elements as the mask has true ones
        interp.report(SF301, "indexing by a boolean mask: the result's size depends on the data", site)
        return Tensor(None, source=tensor.source)
    if any(isinstance(item, (Unknown, Tensor, list)) for item in items):
        return Tensor(None, source=tensor.source)
    consumed = sum(1 for item in items if item is not None and item is not ...)
    if ... in items:
        at = items.index(...)
        items[at : at + 1] = [slice(None)] * (len(tensor.shape) - consumed)
    shape: list[int] = []
    dims = iter(tensor.shape)
    try:
        for item in items:
            if item is None:
                shape.append(1)
            elif isinstance(item, slice):
                shape.append(len(range(*item.indices(next(dims)))))
            elif isinstance(item, int):
                size = next(dims)
                if not -size <= item < size:
                    interp.raise_error(
                        "IndexError", f"index {item} is out of range for a dimension of size {size}", site
                    )
    except StopIteration:
        interp.raise_error("IndexError", f"too many indices for a tensor of shape {list(tensor.shape)}", site)
    except TypeError:
        return Tensor(None, source=tensor.source)
    shape.extend(dims)
    result = Tensor(tuple(shape), dtype=tensor.dtype, source=tensor.source)
    if tensor.values is not None and all(isinstance(item, (int, slice)) for item in items):
        picked = _index_values(constants.nested(tensor.values, tensor.shape), items)
        flat = constants.flatten(picked)
        if flat is not None and flat[0] == result.shape:
            result.values = tuple(flat[1])
    return result


def _is_advanced(item: Any) -> bool:
    """An integer tensor or a list of ints used as an index (numpy's advanced indexing)."""
    if isinstance(item, Tensor):
        return item.dtype != "bool" and item.shape is not None
    return isinstance(item, list) and bool(item) and all(isinstance(v, int) and not isinstance(v, bool) for v in item)


def _advanced_index(tensor: Tensor, items: list[Any]) -> Tensor:
    """`table[:, idx]` with integer index tensors among slices: the broadcast index shape replaces the
    indexed dimensions, in place when the advanced indices are adjacent, first otherwise (numpy's rule)."""
    assert tensor.shape is not None

    def unsupported(item: Any) -> bool:
        return item is ... or item is None or (isinstance(item, (Unknown, Tensor)) and not _is_advanced(item))

    if any(unsupported(item) for item in items):
        return Tensor(None, source=tensor.source)
    if len(items) > len(tensor.shape):
        return Tensor(None, source=tensor.source)
    items = items + [slice(None)] * (len(tensor.shape) - len(items))
    positions = [i for i, item in enumerate(items) if _is_advanced(item)]
    shapes = [item.shape if isinstance(item, Tensor) else (len(item),) for item in (items[i] for i in positions)]
    index_shape: tuple[int, ...] = ()
    try:
        for shape in shapes:
            index_shape = broadcast(index_shape, tuple(shape))
    except ShapeError:
        return Tensor(None, source=tensor.source)
    kept: list[list[int]] = []
    for size, item in zip(tensor.shape, items, strict=True):
        if isinstance(item, slice):
            kept.append([len(range(*item.indices(size)))])
        elif isinstance(item, int):
            kept.append([])
        else:
            kept.append([-1])  # an advanced dimension
    adjacent = positions == list(range(positions[0], positions[-1] + 1))
    plain = [d for dims in kept for d in dims if d != -1]
    if adjacent:
        before = [d for dims in kept[: positions[0]] for d in dims]
        after = [d for dims in kept[positions[-1] + 1 :] for d in dims]
        shape = (*before, *index_shape, *after)
    else:
        shape = (*index_shape, *plain)
    return Tensor(tuple(shape), dtype=tensor.dtype, source=tensor.source)


def _flip(data: Any, dims: list[int], depth: int) -> Any:
    """Nested lists reversed along `dims` (`torch.flip` of a constant)."""
    if not isinstance(data, list):
        return data
    rows = [_flip(row, dims, depth + 1) for row in data]
    return rows[::-1] if depth in dims else rows


def _index_values(data: Any, items: list[Any]) -> Any:
    """Basic indexing (ints and slices) of nested lists, as numpy indexes a constant."""
    if not items:
        return data
    first, rest = items[0], items[1:]
    if isinstance(first, int):
        return _index_values(data[first], rest)
    return [_index_values(row, rest) for row in data[first]]


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
