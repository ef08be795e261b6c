"""`numpy` as model configuration code uses it: small constant arrays (`np.linspace(0, p, n).tolist()`).

Arrays are constant tensors (torchmodel.constants) with dtype float64 or int64; anything
numpy offers beyond the functions below is `Unknown`.
"""

from __future__ import annotations

import math
from typing import Any

from staticflops.interpreter.evaluator import Interpreter
from staticflops.interpreter.values import Namespace, NativeFunction, Unknown
from staticflops.source import Location
from staticflops.torchmodel import constants
from staticflops.torchmodel.tensor import Tensor

Args = list[Any]
Kwargs = dict[str, Any]


def _array(values: list[Any], dtype: str | None = None) -> Tensor:
    kind = dtype or ("float64" if any(isinstance(v, float) for v in values) else "int64")
    return Tensor((len(values),), dtype=kind, values=constants.normalize(values, kind))


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
    return _array([start + i * step for i in range(count)])


def _from_data(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    flat = constants.flatten(args[0] if args else None)
    if flat is None:
        return Unknown("np.array of non-constant data", site)
    shape, values = flat
    kind = "float64" if any(isinstance(v, float) for v in values) else "int64"
    return Tensor(shape, dtype=kind, values=constants.normalize(values, kind))


def _scalar(name: str, function: Any) -> NativeFunction:
    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        data = args[0]
        values = data.values if isinstance(data, Tensor) else constants.flatten(data)
        if isinstance(values, tuple) and values and isinstance(values[0], tuple):
            values = values[1]
        if values is None or isinstance(data, Unknown):
            return Unknown(f"np.{name} of unknown data", site)
        return function(list(values))

    return NativeFunction(f"np.{name}", impl)


def numpy_namespace(interp: Interpreter) -> Namespace:
    attrs: dict[str, Any] = {
        "linspace": NativeFunction("np.linspace", _linspace),
        "arange": NativeFunction("np.arange", _arange),
        "array": NativeFunction("np.array", _from_data),
        "asarray": NativeFunction("np.asarray", _from_data),
        "prod": _scalar("prod", math.prod),
        "sum": _scalar("sum", sum),
        "pi": math.pi,
        "e": math.e,
        "inf": math.inf,
    }
    return Namespace("numpy", attrs, resolve=lambda name: Unknown(f"'numpy.{name}' is not modelled"))
