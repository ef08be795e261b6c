"""`numpy` as model code uses it on constants: drop-path schedules (`np.linspace(0, p, n)`),
sinusoidal position tables (`np.arange`, `np.exp`, `np.sin`, `np.newaxis`) registered as buffers,
scalar initializers (`np.log(1 / 0.07)`), stage sizes (`np.prod`, `np.atleast_1d`).

Arrays are the same shape-only tensors torch ops use, with dtype float64 or int64; a small
constant keeps its values (torchmodel.constants), so `.tolist()`, `int(...)` and comparisons on
it are known. A function on plain numbers is Python's own (`math`); on arrays it is the
equivalent torch op, whose shape rule and constant folding it shares. Anything else numpy
offers is `Unknown`.
"""

from __future__ import annotations

import math
from typing import Any

from staticflops.interpreter.evaluator import Interpreter
from staticflops.interpreter.values import ClassObject, Namespace, NativeFunction, Unknown
from staticflops.source import Location
from staticflops.torchmodel import constants
from staticflops.torchmodel.dtypes import dtype as make_dtype
from staticflops.torchmodel.ops import op_function
from staticflops.torchmodel.tensor import Tensor

Args = list[Any]
Kwargs = dict[str, Any]

ELEMENTWISE = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "exp": math.exp, "log": math.log, "log2": math.log2,
    "log10": math.log10, "sqrt": math.sqrt, "abs": abs, "floor": math.floor, "ceil": math.ceil,
    "tanh": math.tanh, "round": round, "sign": lambda v: (v > 0) - (v < 0),
}  # fmt: skip
"""numpy functions of one operand: on a number, Python's; on an array, the torch op of the same name."""
BINARY = {"power": ("pow", pow), "maximum": ("maximum", max), "minimum": ("minimum", min)}
REDUCTIONS = {"sum": sum, "prod": math.prod, "max": max, "min": min, "all": all, "any": any,
              "mean": lambda v: sum(v) / len(v) if v else math.nan}  # fmt: skip
DTYPES = ("float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool")


def _array(values: list[Any], dtype: str | None = None, shape: tuple[int, ...] | None = None) -> Tensor:
    kind = dtype or ("float64" if any(isinstance(v, float) for v in values) else "int64")
    return Tensor(shape or (len(values),), dtype=kind, values=constants.normalize(values, kind))


def _as_array(value: Any) -> Tensor | None:
    """An array for a tensor, a number or nested lists of numbers; None for anything else."""
    if isinstance(value, Tensor):
        return value
    flat = constants.flatten(value)
    if flat is None:
        return None
    shape, values = flat
    return _array(values, shape=shape) if shape else _array(values, shape=())


def _dtype_name(value: Any) -> str | None:
    return None if value is None else str(value)


def _linspace(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    start, stop, num = [*args, kwargs.get("num", 50)][:3]
    if not all(isinstance(v, (int, float)) for v in (start, stop, num)):
        return Unknown("np.linspace of unknown bounds", site)
    step = (stop - start) / (num - 1) if num > 1 else 0.0
    return _array([start + i * step for i in range(num)], "float64")


def _arange(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    if not args or not all(isinstance(a, (int, float)) for a in args):
        return Unknown("np.arange of unknown bounds", site)
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (*args, 1)[:3]
    count = max(0, math.ceil((stop - start) / step))
    interp.budget.check_size(count)
    return _array([start + i * step for i in range(count)], _dtype_name(kwargs.get("dtype")))


def _from_data(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    data = args[0] if args else kwargs.get("object")
    if isinstance(data, Tensor):
        return data
    flat = constants.flatten(data)
    if flat is None:
        return Unknown("np.array of non-constant data", site)
    shape, values = flat
    kind = _dtype_name(kwargs.get("dtype")) or ("float64" if any(isinstance(v, float) for v in values) else "int64")
    return Tensor(shape, dtype=kind, values=constants.normalize(values, kind))


def _filled(fill: Any) -> Any:
    """`np.zeros(shape)`, `np.ones((2, 3))`, `np.full(shape, v)`, `np.empty(n)`."""

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        shape = args[0] if args else kwargs.get("shape")
        shape = (shape,) if isinstance(shape, int) else shape
        if not isinstance(shape, (tuple, list)) or not all(isinstance(d, int) for d in shape):
            return Unknown("an array of unknown shape", site)
        value = args[1] if fill == "full" and len(args) > 1 else kwargs.get("fill_value", fill)
        integer = fill == "full" and isinstance(value, int)
        kind = _dtype_name(kwargs.get("dtype")) or ("int64" if integer else "float64")
        count = math.prod(shape)
        interp.budget.check_size(count)
        known = count <= constants.MAX_VALUES and value is not None
        values = constants.normalize([value] * count, kind) if known else None
        return Tensor(tuple(shape), dtype=kind, values=values)

    return impl


def _elementwise(name: str) -> NativeFunction:
    scalar = ELEMENTWISE[name]

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        value = args[0] if args else kwargs.get("x")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return float(scalar(value)) if name not in ("floor", "ceil", "round", "sign", "abs") else scalar(value)
            except (ValueError, OverflowError):
                return math.nan
        array = _as_array(value)
        if array is None:
            return Unknown(f"np.{name} of a value that is not constant", site)
        return interp.call(op_function(f"torch.{name}"), [array], {}, site)

    return NativeFunction(f"np.{name}", impl)


def _binary(name: str) -> NativeFunction:
    torch_name, scalar = BINARY[name]

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        a, b = args[:2]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b)):
            return scalar(a, b)
        left, right = (v if isinstance(v, (int, float)) else _as_array(v) for v in (a, b))
        if left is None or right is None:
            return Unknown(f"np.{name} of a value that is not constant", site)
        return interp.call(op_function(f"torch.{torch_name}"), [left, right], {}, site)

    return NativeFunction(f"np.{name}", impl)


def _reduction(name: str) -> NativeFunction:
    """`np.prod(sizes)`: a number when the data is known and no axis is given; else the torch reduction."""
    function = REDUCTIONS[name]

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        data = args[0] if args else kwargs.get("a")
        axis = args[1] if len(args) > 1 else kwargs.get("axis")
        if isinstance(data, Unknown):
            return Unknown(f"np.{name} of unknown data ({data.reason})", site)
        array = _as_array(data)
        if array is None:
            return Unknown(f"np.{name} of data that is not constant", site)
        if axis is None:
            if array.values is None:
                return Unknown(f"np.{name} of an array whose values are not known", site)
            if not array.values and name in ("max", "min"):
                interp.raise_error("ValueError", f"np.{name} of an empty array", site)
            return function(list(array.values))
        torch_name = {"prod": "prod", "sum": "sum", "mean": "mean", "max": "amax", "min": "amin", "all": "all",
                      "any": "any"}[name]  # fmt: skip
        return interp.call(op_function(f"torch.{torch_name}"), [array, axis], {}, site)

    return NativeFunction(f"np.{name}", impl)


def _torch_like(torch_name: str, rename: dict[str, str] | None = None) -> NativeFunction:
    """A numpy function that is a torch op once its keywords are renamed (`axis` → `dim`)."""
    rename = rename or {"axis": "dim"}

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        arrays: list[Any] = []
        for value in args:
            if isinstance(value, (list, tuple)) and value and all(isinstance(v, (Tensor, list)) for v in value):
                arrays.append([_as_array(v) for v in value])  # concatenate([a, b])
            else:
                arrays.append(_as_array(value) if isinstance(value, (list, Tensor)) else value)
        renamed = {rename.get(k, k): v for k, v in kwargs.items()}
        return interp.call(op_function(f"torch.{torch_name}"), arrays, renamed, site)

    return NativeFunction(f"np.{torch_name}", impl)


def _atleast_1d(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    array = _as_array(args[0]) if args else None
    if array is None:
        return Unknown("np.atleast_1d of a value that is not constant", site)
    if array.shape == ():
        return Tensor((1,), dtype=array.dtype, values=array.values)
    return array


def numpy_namespace(interp: Interpreter) -> Namespace:
    attrs: dict[str, Any] = {
        "linspace": NativeFunction("np.linspace", _linspace),
        "arange": NativeFunction("np.arange", _arange),
        "array": NativeFunction("np.array", _from_data),
        "asarray": NativeFunction("np.asarray", _from_data),
        "zeros": NativeFunction("np.zeros", _filled(0.0)),
        "ones": NativeFunction("np.ones", _filled(1.0)),
        "empty": NativeFunction("np.empty", _filled(None)),
        "full": NativeFunction("np.full", _filled("full")),
        "atleast_1d": NativeFunction("np.atleast_1d", _atleast_1d),
        "concatenate": _torch_like("cat"),
        "stack": _torch_like("stack"),
        "expand_dims": _torch_like("unsqueeze"),
        "reshape": _torch_like("reshape", {"newshape": "shape"}),
        "cumsum": _torch_like("cumsum"),
        "newaxis": None,
        "pi": math.pi,
        "e": math.e,
        "inf": math.inf,
        "nan": math.nan,
        # arrays are the shape-only tensors torch code uses: `isinstance(x, np.ndarray)` tells them from
        # ints, lists and tuples (monai's `ensure_tuple_rep`), though it cannot tell them from torch tensors
        "ndarray": ClassObject(
            "ndarray",
            (),
            {},
            qualname="numpy.ndarray",
            metadata={"instancecheck": lambda value: isinstance(value, Tensor)},
        ),
        "float_": make_dtype("float64"),
        "int_": make_dtype("int64"),
    }
    attrs.update({name: _elementwise(name) for name in ELEMENTWISE})
    attrs.update({name: _binary(name) for name in BINARY})
    attrs.update({name: _reduction(name) for name in REDUCTIONS})
    attrs.update({name: make_dtype(name) for name in DTYPES})
    return Namespace("numpy", attrs, resolve=lambda name: Unknown(f"'numpy.{name}' is not modelled"))
