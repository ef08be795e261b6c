"""The `torch`, `torch.nn`, `torch.nn.functional` and `torch.nn.init` modules as analyzed
code sees them: catalog layers and ops, tensor factories, and the no-ops models call.

Names the catalog lacks resolve to stand-ins that say so where they are used.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from staticflops.catalog import CATALOG, ShapeError
from staticflops.catalog.elementwise import broadcast
from staticflops.diagnostics import SF301
from staticflops.interpreter.evaluator import Interpreter, NativeModules
from staticflops.interpreter.values import (
    REQUIRED,
    BoundMethod,
    ClassObject,
    Instance,
    Namespace,
    NativeFunction,
    Unknown,
)
from staticflops.source import Location, load_source
from staticflops.torchmodel import constants
from staticflops.torchmodel.dtypes import CANONICAL, Device, device, dtype, type_info
from staticflops.torchmodel.elision import Elision
from staticflops.torchmodel.module import assumed_module_base, make_containers, make_module_class
from staticflops.torchmodel.numpy_namespace import numpy_namespace
from staticflops.torchmodel.ops import UncataloguedName, call_unknown, op_function
from staticflops.torchmodel.state import TorchState, torch_state
from staticflops.torchmodel.tensor import Buffer, Tensor, read_sizes

Args = list[Any]
Kwargs = dict[str, Any]

TORCH_VERSION = "2.13.0"
"""The torch whose semantics are modelled (`torch.__version__`, `torch.version.__version__`)."""

DTYPES = (
    "float32",
    "float",
    "float16",
    "half",
    "bfloat16",
    "float64",
    "double",
    "int64",
    "long",
    "int32",
    "int",
    "int16",
    "int8",
    "uint8",
    "bool",
    "short",
    "complex64",
    "cfloat",
    "complex128",
    "cdouble",
)


def _shape_from_args(args: Args, kwargs: Kwargs) -> tuple[Any, ...]:
    sizes = kwargs.get("size", args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else tuple(args))
    return tuple(read_sizes(sizes)) if isinstance(sizes, (tuple, list)) else tuple(sizes)


def _factory(name: str) -> NativeFunction:
    """`torch.zeros(1, 3, 224, 224)`, `torch.randn((2, 3))`, `torch.empty(size=...)`."""

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        default = "int64" if name == "randint" else "float32"
        if name == "full":  # the fill value's kind decides the dtype: torch.full((2,), 3) is int64
            fill = args[1] if len(args) > 1 else kwargs.get("fill_value")
            default = "bool" if isinstance(fill, bool) else "int64" if isinstance(fill, int) else default
            args = [args[0]] if args else [kwargs.get("size", ())]
        if name in ("empty_strided", "empty_permuted"):  # (size, stride), (size, physical_layout)
            args = [args[0]] if args else [kwargs.get("size", ())]
        if name == "randint":  # randint(high, size) or randint(low, high, size): integers
            sizes = [a for a in args if isinstance(a, (tuple, list))]
            args = [sizes[0]] if sizes else []
        shape = _shape_from_args(args, kwargs)
        if not all(isinstance(d, int) for d in shape):
            return Tensor(None, dtype=default)
        return Tensor(shape, dtype=_dtype_name(kwargs.get("dtype"), default))

    return NativeFunction(f"torch.{name}", impl)


def _dtype_name(value: Any, default: str) -> str:
    """`dtype=torch.half` → 'float16'; None → the default."""
    return default if value is None else CANONICAL.get(str(value), str(value))


def _like(name: str) -> NativeFunction:
    """`torch.zeros_like(x)`: x's shape and dtype (or the dtype asked for)."""

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        source = args[0] if args else kwargs.get("input")
        if not isinstance(source, Tensor):
            return Tensor(None)
        default = "int64" if name == "randint_like" else source.dtype
        return Tensor(source.shape, dtype=_dtype_name(kwargs.get("dtype"), default))

    return NativeFunction(f"torch.{name}", impl)


def _tensor(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`torch.tensor(data)`, `torch.as_tensor(data)`: the shape of nested lists, and their values when all are
    numbers; of a tensor, its shape (and values), in the dtype asked for."""
    data = args[0] if args else kwargs.get("data")
    if isinstance(data, Tensor):  # a copy (`torch.tensor`), or the tensor itself (`torch.as_tensor`)
        dtype = kwargs.get("dtype")
        if dtype is None or str(dtype) == data.dtype:
            return data.sf_copy()
        return Tensor(
            data.shape, dtype=str(dtype), values=constants.normalize(data.values, str(dtype)) if data.values else None
        )
    flat = constants.flatten(data)
    if flat is None:
        return Tensor(None)
    shape, values = flat
    inferred = "bool" if values and all(isinstance(v, bool) for v in values) else "int64"
    dtype = kwargs.get("dtype") or ("float32" if any(isinstance(v, float) for v in values) else inferred)
    return Tensor(shape, dtype=str(dtype), values=constants.normalize(values, str(dtype)))


def _scalar_tensor(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`torch.scalar_tensor(s)`: a 0-d tensor of the number s, float32 unless a dtype is asked for."""
    value = args[0] if args else kwargs.get("s")
    dtype_name = _dtype_name(kwargs.get("dtype"), "float32")
    known = isinstance(value, (int, float))
    return Tensor((), dtype=dtype_name, values=constants.normalize([value], dtype_name) if known else None)


def _broadcast_shapes(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`torch.broadcast_shapes((5, 1), (3,))`: a `torch.Size` (a tuple), from sizes alone; an int is a 1-D shape."""
    shapes = [(a,) if isinstance(a, int) else a for a in args]
    if not all(isinstance(s, (tuple, list)) and all(isinstance(d, int) for d in s) for s in shapes):
        return Unknown("torch.broadcast_shapes of sizes not known statically", site)
    result: tuple[int, ...] = ()
    for shape in shapes:
        try:
            result = broadcast(result, tuple(shape))
        except ShapeError as error:
            interp.raise_error("RuntimeError", error.message, site)
    return result


def _eye(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`torch.eye(n[, m])`: an n×m identity, its values known when small."""
    n = args[0] if args else kwargs.get("n")
    m = args[1] if len(args) > 1 and isinstance(args[1], int) else kwargs.get("m", n)
    if not isinstance(n, int) or not isinstance(m, int):
        return Tensor(None)
    dtype_name = str(kwargs.get("dtype") or "float32")
    values = None
    if n * m <= constants.MAX_VALUES:
        values = constants.normalize([1 if i == j else 0 for i in range(n) for j in range(m)], dtype_name)
    return Tensor((n, m), dtype=dtype_name, values=values)


def _randperm(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    n = args[0] if args else kwargs.get("n")
    return Tensor((n,) if isinstance(n, int) else None, dtype="int64")


def _triangle_indices(upper: bool) -> NativeFunction:
    """`torch.tril_indices(row, col, offset)`: a (2, count) tensor of the indices, counted exactly."""

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        row, col, offset = [*args, kwargs.get("offset", 0)][:3] if len(args) >= 2 else (None, None, 0)
        if not all(isinstance(v, int) for v in (row, col, offset)):
            return Tensor(None, dtype="int64")
        keep = (lambda i, j: j - i >= offset) if upper else (lambda i, j: j - i <= offset)
        count = sum(1 for i in range(row) for j in range(col) if keep(i, j)) if row * col <= 10**6 else None
        return Tensor(None if count is None else (2, count), dtype="int64")

    return NativeFunction("torch.triu_indices" if upper else "torch.tril_indices", impl)


def _from_array(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`torch.from_numpy(a)`: the array's shape, dtype and values."""
    array = args[0] if args else None
    if isinstance(array, Tensor):
        return Tensor(array.shape, dtype=array.dtype, values=array.values)
    return Tensor(None)


def _typed_tensor(dtype_name: str) -> NativeFunction:
    """The legacy constructors: `torch.FloatTensor(data)` copies data; `torch.FloatTensor(2, 3)` is a size."""

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        if args and all(isinstance(a, int) and not isinstance(a, bool) for a in args):
            return Tensor(tuple(args), dtype=dtype_name)
        data = args[0] if args else []
        if isinstance(data, Tensor):
            values = data.values
            if values is not None:
                values = constants.normalize(list(values), dtype_name)
            return Tensor(data.shape, dtype=dtype_name, values=values)
        flat = constants.flatten(data)
        if flat is None:
            return Tensor(None, dtype=dtype_name)
        return Tensor(flat[0], dtype=dtype_name, values=constants.normalize(flat[1], dtype_name))

    return NativeFunction(f"torch.{dtype_name}", impl)


LEGACY_TENSORS = {"FloatTensor": "float32", "DoubleTensor": "float64", "HalfTensor": "float16",
                  "LongTensor": "int64", "IntTensor": "int32", "BoolTensor": "bool", "ByteTensor": "uint8",
                  "BFloat16Tensor": "bfloat16", "ShortTensor": "int16", "CharTensor": "int8"}  # fmt: skip


def _arange(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`torch.arange(end)`, `(start, end[, step])`: int64 unless a bound is a float."""
    if "end" in kwargs:  # torch.arange(start=0, end=n, step=2)
        args = [*args, *(kwargs[k] for k in ("start", "end", "step") if k in kwargs)]
        if "start" not in kwargs and len(args) == 1 + ("step" in kwargs):
            args = [0, *args]
    if not args or not all(isinstance(a, (int, float)) for a in args):
        return Tensor(None)
    start, end, step = (0, args[0], 1) if len(args) == 1 else (*args, 1)[:3]
    count = max(0, math.ceil((end - start) / step))
    dtype = str(kwargs.get("dtype") or ("float32" if any(isinstance(a, float) for a in args) else "int64"))
    values = [start + i * step for i in range(count)] if count <= constants.MAX_VALUES else None
    return Tensor((count,), dtype=dtype, values=None if values is None else constants.normalize(values, dtype))


def _number(value: Any) -> int | float | None:
    """A bound of `linspace`: a number, or a 0-d tensor whose value is known (None: not known statically)."""
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Tensor) and value.shape == () and value.values:
        return value.values[0]
    return None


def _spaced(args: Args, kwargs: Kwargs, log: bool) -> Any:
    """`steps` points from `start` to `end` (the bounds may be 0-d tensors): the shape is `(steps,)` whatever the
    bounds; the values are known when the bounds are."""
    keys = ("start", "end", "steps", "base") if log else ("start", "end", "steps")
    named = {**({"base": 10.0} if log else {}), **{k: kwargs[k] for k in keys if k in kwargs}}
    named.update(zip(keys, args, strict=False))
    steps = named.get("steps")
    if not isinstance(steps, int) or isinstance(steps, bool):
        return Tensor(None)
    dtype = _dtype_name(kwargs.get("dtype"), "float32")
    start, end, base = _number(named.get("start")), _number(named.get("end")), _number(named.get("base", 1))
    if start is None or end is None or base is None:
        return Tensor((steps,), dtype=dtype)
    points = [start + (end - start) * i / (steps - 1) if steps > 1 else start for i in range(steps)]
    values = [base**p for p in points] if log else points
    return Tensor((steps,), dtype=dtype, values=constants.normalize(values, dtype))


def _linspace(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    return _spaced(args, kwargs, log=False)


def _logspace(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`torch.logspace(start, end, steps, base=10)`: base to the powers `linspace` gives."""
    return _spaced(args, kwargs, log=True)


def _parameter(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    data = args[0] if args else kwargs.get("data")
    shape = data.shape if isinstance(data, Tensor) else None
    if data is None:
        shape = (0,)
    if shape is None:  # never a silent zero: the count is a lower bound, and this line says why
        why = data.reason if isinstance(data, Unknown) else "its data's shape is not known statically"
        interp.report(SF301, f"nn.Parameter of unknown shape ({why}); the parameter count is a lower bound", site)
    return Tensor(shape, is_parameter=True)


def _buffer(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    data = args[0] if args else kwargs.get("data")
    if not isinstance(data, Tensor):
        return Unknown("nn.Buffer of a value that is not a tensor", site)
    persistent = kwargs.get("persistent", args[1] if len(args) > 1 else True)
    return Buffer(data, persistent=persistent is not False)


def _identity_decorator(name: str) -> NativeFunction:
    """`@torch.no_grad()`, `@torch.jit.unused`: the decorated function is kept as written."""

    def decorate(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        if len(args) == 1 and not kwargs and not isinstance(args[0], (str, int, float)):
            return args[0]
        return NativeFunction(name, lambda i, a, k, s: a[0] if a else None)

    return NativeFunction(name, decorate)


def _compile(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`torch.compile(fn, **options)` is `fn` as far as its cost goes; `torch.compile(**options)` decorates."""
    if args:
        return args[0]
    return NativeFunction("torch.compile.<decorator>", lambda i, a, k, s: a[0] if a else None)


def _returns(value: Any, name: str) -> NativeFunction:
    return NativeFunction(name, lambda interp, args, kwargs, site: value)


def _first_argument(name: str) -> NativeFunction:
    return NativeFunction(name, lambda interp, args, kwargs, site: args[0] if args else None)


def _tensor_class() -> ClassObject:
    """`torch.Tensor`, for `isinstance` and annotations; called, it is the legacy constructor
    `torch.FloatTensor` is (`torch.Tensor([alpha])` holds one float, `torch.Tensor(2, 3)` is a size)."""
    legacy = _typed_tensor("float32")

    def construct(interp: Any, cls: ClassObject, args: Args, kwargs: Kwargs, site: Location) -> Any:
        if cls.qualname == "torch.Tensor":
            return legacy.impl(interp, args, kwargs, site)
        instance = Instance(cls, origin=site)  # a subclass of torch.Tensor: built as any class is
        init = cls.lookup("__init__")
        if init is not REQUIRED:
            interp.call(BoundMethod(init, instance), args, kwargs, site)
        return instance

    return ClassObject(
        "Tensor",
        (),
        {"__sf_construct__": NativeFunction("torch.Tensor", construct)},
        qualname="torch.Tensor",
        metadata={"instancecheck": lambda value: isinstance(value, Tensor)},
    )


def _compiler(interp: Interpreter) -> Namespace:
    """`torch.compiler`: `@torch.compiler.disable` and friends change how code runs, never what it costs."""

    def resolve(name: str) -> Any:
        if name.startswith("is_"):
            return _returns(False, f"torch.compiler.{name}")
        return _identity_decorator(f"torch.compiler.{name}")

    return Namespace("torch.compiler", {}, resolve=resolve)


def _layer(interp: Interpreter, qualname: str) -> Any:
    cls = torch_state(interp).layer(qualname)
    return REQUIRED if cls is None else cls


def _torch(interp: Interpreter) -> Namespace:
    state = torch_state(interp)
    attrs: dict[str, Any] = {
        "Tensor": state.tensor_class,
        "Size": interp.builtins["tuple"],
        "no_grad": _identity_decorator("torch.no_grad"),
        "enable_grad": _identity_decorator("torch.enable_grad"),
        "inference_mode": _identity_decorator("torch.inference_mode"),
        "autocast": _identity_decorator("torch.autocast"),
        "tensor": NativeFunction("torch.tensor", _tensor),
        "from_numpy": NativeFunction("torch.from_numpy", _from_array),
        "eye": NativeFunction("torch.eye", _eye),
        "broadcast_shapes": NativeFunction("torch.broadcast_shapes", _broadcast_shapes),
        "scalar_tensor": NativeFunction("torch.scalar_tensor", _scalar_tensor),
        "randperm": NativeFunction("torch.randperm", _randperm),
        "tril_indices": _triangle_indices(upper=False),
        "triu_indices": _triangle_indices(upper=True),
        **{name: _typed_tensor(kind) for name, kind in LEGACY_TENSORS.items()},
        "as_tensor": NativeFunction("torch.as_tensor", _tensor),
        "arange": NativeFunction("torch.arange", _arange),
        "linspace": NativeFunction("torch.linspace", _linspace),
        "logspace": NativeFunction("torch.logspace", _logspace),
        "is_tensor": NativeFunction("torch.is_tensor", lambda i, a, k, s: isinstance(a[0], Tensor)),
        "_assert": _returns(None, "torch._assert"),
        "device": NativeFunction("torch.device", device),
        "manual_seed": _returns(None, "torch.manual_seed"),
        "compile": NativeFunction("torch.compile", _compile),
        "are_deterministic_algorithms_enabled": _returns(False, "torch.are_deterministic_algorithms_enabled"),
        # nothing enables autocast around the analyzed forward (an autocast region in it is kept as written)
        "is_autocast_enabled": _returns(False, "torch.is_autocast_enabled"),
        # forward() is analyzed as inference, as under `torch.no_grad()`: no gradient-checkpointing branch
        "is_grad_enabled": _returns(False, "torch.is_grad_enabled"),
        "is_inference_mode_enabled": _returns(False, "torch.is_inference_mode_enabled"),
        "__version__": TORCH_VERSION,
        "pi": math.pi,
        "e": math.e,
        "inf": math.inf,
        "nan": math.nan,
    }
    for name in ("zeros", "ones", "empty", "randn", "rand", "full", "randint", "empty_strided", "empty_permuted"):
        attrs[name] = _factory(name)
    for name in ("zeros_like", "ones_like", "empty_like", "randn_like", "rand_like", "full_like", "randint_like"):
        attrs[name] = _like(name)
    for name in DTYPES:
        attrs[name] = dtype(name)
    attrs["get_default_dtype"] = _returns(dtype("float32"), "torch.get_default_dtype")
    attrs["set_default_dtype"] = _returns(None, "torch.set_default_dtype")
    # analyzed models run on the CPU (tensor.device is "cpu" too)
    attrs["get_default_device"] = _returns(Device("cpu"), "torch.get_default_device")
    attrs["set_default_device"] = _returns(None, "torch.set_default_device")
    attrs["finfo"] = NativeFunction("torch.finfo", lambda i, a, k, s: type_info(i, a[0] if a else None, True))
    attrs["iinfo"] = NativeFunction("torch.iinfo", lambda i, a, k, s: type_info(i, a[0] if a else None, False))
    attrs["is_floating_point"] = NativeFunction(
        "torch.is_floating_point", lambda i, a, k, s: dtype(a[0].dtype).is_floating_point
    )

    def resolve(name: str) -> Any:
        if name == "compiler":
            return _compiler(interp)
        if name in ("nn", "jit", "fx", "cuda", "backends", "utils", "overrides", "distributed", "autograd", "onnx",
                    "ao", "quantization", "_C", "hub", "version", "library", "linalg", *ACCELERATORS):  # fmt: skip
            return interp.import_module(f"torch.{name}", interp.current)  # type: ignore[arg-type]
        if name in ("ops", "_VariableFunctions"):  # `torch.ops.aten.addmm`: other names of entries (spellings.py)
            return UncataloguedName(f"torch.{name}")
        if name.startswith("_") or name[:1].isupper():
            return Unknown(f"'torch.{name}' is not modelled")
        return op_function(f"torch.{name}")

    return Namespace("torch", attrs, resolve=resolve, is_package=True)


STUBS = {
    **{name: "transformer"
       for name in ("Transformer", "TransformerEncoder", "TransformerDecoder", "TransformerEncoderLayer",
                    "TransformerDecoderLayer")},
    "TripletMarginWithDistanceLoss": "losses",
    "AdaptiveLogSoftmaxWithLoss": "losses",
}  # fmt: skip
"""torch.nn names modelled by interpreting staticflops' own Python (torchmodel/stubs/)."""

QUANTIZATION_STUBS = {
    "torch.ao.quantization": ("QuantStub", "DeQuantStub"),
    "torch.ao.nn.quantized": ("FloatFunctional",),
}
"""Eager-mode quantization's float-mode modules (torchmodel/stubs/quantization.py), by the namespace that
defines them; `torch.quantization` and `torch.nn.quantized` are their older names."""


UTILS = {
    "torch.nn.utils": {
        "weight_norm": "weight_norm",
        "remove_weight_norm": "remove_weight_norm",
        "spectral_norm": "spectral_norm",
        "remove_spectral_norm": "remove_spectral_norm",
    },
    "torch.nn.utils.parametrizations": {
        "weight_norm": "parametrized_weight_norm",
        "spectral_norm": "parametrized_spectral_norm",
        "orthogonal": "orthogonal",
    },
    "torch.nn.utils.parametrize": {
        "register_parametrization": "register_parametrization",
        "is_parametrized": "is_parametrized",
        "ParametrizationList": "ParametrizationList",
    },
}
"""The weight reparametrizations of `torch.nn.utils` and its submodules: name → the function or class of
torchmodel/stubs/parametrizations.py that models it."""


def _utils(name: str) -> Any:
    """`torch.nn.utils` or one of its reparametrization submodules; the rest of it (gradient clipping,
    `rnn` packing, ...) is not modelled."""

    def factory(interp: Interpreter) -> Namespace:
        def resolve(attr: str) -> Any:
            if attr in UTILS[name]:
                return _stub(interp, UTILS[name][attr], "parametrizations")
            if f"{name}.{attr}" in UTILS:
                return interp.import_module(f"{name}.{attr}", interp.current)  # type: ignore[arg-type]
            return Unknown(f"'{name}.{attr}' is not modelled")

        return Namespace(name, {}, resolve=resolve, is_package=name == "torch.nn.utils")

    return factory


def _stub(interp: Interpreter, name: str, file: str | None = None) -> Any:
    """A class from torchmodel/stubs/ (`file`, by default the one STUBS names), read and run by the
    interpreter like project code (once per run)."""
    file = file or STUBS[name]
    module_name = f"staticflops.torchmodel.stubs.{file}"
    namespace = interp.modules.get(module_name)
    if namespace is None:
        path = Path(__file__).parent / "stubs" / f"{file}.py"
        namespace = interp.run_module(load_source(path, module_name=module_name))
    return namespace.attrs[name]


def _quantization(name: str, classes: tuple[str, ...], children: tuple[str, ...] = ()) -> Any:
    """A namespace of eager-mode quantization (`torch.ao.quantization`, `torch.nn.quantized`, ...): the
    float-mode modules of torchmodel/stubs/quantization.py, the subpackages `children`; anything else
    (observers, `prepare`, `convert`, quantized kernels) is not modelled. `modules` and
    `functional_modules` name the namespace itself, where torch defines the same classes."""

    def factory(interp: Interpreter) -> Namespace:
        namespace = Namespace(name, {}, is_package=True)

        def resolve(attr: str) -> Any:
            if attr in classes:
                return _stub(interp, attr, "quantization")
            if attr in children:
                return interp.import_module(f"{name}.{attr}", interp.current)  # type: ignore[arg-type]
            if attr in ("modules", "functional_modules"):
                return namespace
            return Unknown(f"'{name}.{attr}' is not modelled")

        namespace.resolve = resolve
        return namespace

    return factory


def _torch_nn(interp: Interpreter) -> Namespace:
    state = torch_state(interp)
    attrs: dict[str, Any] = {
        "Module": state.module_class,
        "Parameter": NativeFunction("nn.Parameter", _parameter),
        "Buffer": NativeFunction("nn.Buffer", _buffer),
        **make_containers(state.module_class),
    }

    def resolve(name: str) -> Any:
        if name in ("functional", "init", "modules", "utils", "parameter", "quantized"):
            return interp.import_module(f"torch.nn.{name}", interp.current)  # type: ignore[arg-type]
        if name in STUBS:
            return _stub(interp, name)
        return _layer(interp, f"torch.nn.{name}")

    return Namespace("torch.nn", attrs, resolve=resolve, is_package=True)


def _functional(interp: Interpreter) -> Namespace:
    def resolve(name: str) -> Any:
        return op_function(f"torch.nn.functional.{name}") if not name.startswith("_") else REQUIRED

    return Namespace("torch.nn.functional", {}, resolve=resolve)


def _linalg(interp: Interpreter) -> Namespace:
    """`torch.linalg`, whether imported (`import torch.linalg as LA`, `from torch.linalg import solve`) or read off
    `torch`: its functions are catalog entries under `torch.linalg.`; `torch.linalg.matmul` is another name of
    `torch.matmul` (spellings.py)."""

    def resolve(name: str) -> Any:
        return op_function(f"torch.linalg.{name}") if not name.startswith("_") else REQUIRED

    return Namespace("torch.linalg", {}, resolve=resolve)


def _fans(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`nn.init._calculate_fan_in_and_fan_out(w)`: from the weight's shape, as torch computes them."""
    tensor = args[0] if args else kwargs.get("tensor")
    if not isinstance(tensor, Tensor) or tensor.shape is None:
        return (Unknown("the fans of a tensor of unknown shape", site),) * 2
    if len(tensor.shape) < 2:
        interp.raise_error("ValueError", "fan in and fan out need a tensor of 2 or more dimensions", site)
    receptive = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


GAINS = {"linear": 1.0, "conv1d": 1.0, "conv2d": 1.0, "conv3d": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3,
         "relu": math.sqrt(2.0), "selu": 3.0 / 4}  # fmt: skip


def _gain(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    name = args[0] if args else kwargs.get("nonlinearity")
    if name == "leaky_relu":
        slope = args[1] if len(args) > 1 and args[1] is not None else kwargs.get("param") or 0.01
        return math.sqrt(2.0 / (1 + slope**2))
    return GAINS.get(name, Unknown(f"calculate_gain({name!r})", site))


def _init(interp: Interpreter) -> Namespace:
    """`nn.init.*` fills tensors in place: nothing to count, the tensor is returned."""

    def resolve(name: str) -> Any:
        if name == "_calculate_fan_in_and_fan_out":
            return NativeFunction("nn.init._calculate_fan_in_and_fan_out", _fans)
        if name == "calculate_gain":
            return NativeFunction("nn.init.calculate_gain", _gain)
        return _first_argument(f"nn.init.{name}")

    return Namespace("torch.nn.init", {}, resolve=resolve)


def _nn_modules(interp: Interpreter) -> Namespace:
    """`torch.nn.modules.*` re-exports the layers (`from torch.nn.modules.conv import Conv2d`)."""

    namespace = Namespace("torch.nn.modules", {})

    def resolve(name: str) -> Any:
        if name[:1].islower():
            return namespace
        # a few layers live only here (`torch.nn.modules.linear.NonDynamicallyQuantizableLinear`)
        internal = [q for q in CATALOG.entries if q.startswith("torch.nn.modules.") and q.endswith(f".{name}")]
        return _layer(interp, internal[0] if internal else f"torch.nn.{name}")

    namespace.resolve = resolve
    return namespace


def _jit(interp: Interpreter) -> Namespace:
    attrs = {
        name: _identity_decorator(f"torch.jit.{name}")
        for name in ("script", "unused", "ignore", "export", "script_method", "trace", "interface")
    }
    attrs.update(
        {
            "is_scripting": _returns(False, "torch.jit.is_scripting"),
            "is_tracing": _returns(False, "torch.jit.is_tracing"),
            "annotate": NativeFunction("torch.jit.annotate", lambda i, a, k, s: a[1] if len(a) > 1 else None),
            "Final": Unknown("typing only"),
        }
    )
    return Namespace("torch.jit", attrs, resolve=lambda name: _identity_decorator(f"torch.jit.{name}"))


def _torch_c(interp: Interpreter) -> Namespace:
    """`torch._C`, torch's compiled core, as far as Python code asks it how it runs: not traced
    (`torchvision._is_tracing()` is `torch._C._get_tracing_state()`, None outside `torch.jit.trace`),
    and API-usage logging does nothing."""
    attrs = {
        "_get_tracing_state": _returns(None, "torch._C._get_tracing_state"),
        "_log_api_usage_once": _returns(None, "torch._C._log_api_usage_once"),
    }

    def resolve(name: str) -> Any:
        if name in ("_nn", "_VariableFunctions"):  # where torch's functions are implemented (spellings.py)
            return UncataloguedName(f"torch._C.{name}")
        return Unknown(f"'torch._C.{name}' is not modelled")

    return Namespace("torch._C", attrs, resolve=resolve)


def _fx(interp: Interpreter) -> Namespace:
    return Namespace("torch.fx", {"wrap": _identity_decorator("torch.fx.wrap")})


AUTOGRAD = ("Function", "FunctionCtx", "InplaceFunction", "once_differentiable")
"""What `torch.autograd` and `torch.autograd.function` offer a model's forward (torchmodel/stubs/autograd.py)."""


def _autograd(name: str) -> Any:
    """`torch.autograd`: custom `Function`s run their `forward`; `grad`, `backward`, anomaly detection and
    the rest of autograd are not modelled (a model's forward does not call them)."""

    def factory(interp: Interpreter) -> Namespace:
        def resolve(attr: str) -> Any:
            if attr in AUTOGRAD:
                return _stub(interp, attr, "autograd")
            if attr == "function" and name == "torch.autograd":
                return interp.import_module("torch.autograd.function", interp.current)  # type: ignore[arg-type]
            return Unknown(f"'{name}.{attr}' is not modelled")

        return Namespace(name, {}, resolve=resolve, is_package=name == "torch.autograd")

    return factory


ACCELERATORS = ("xpu", "mps", "npu", "hpu", "mtia")
"""Device backends other than CUDA: namespaces as unmodelled as `torch.cuda` (what a device would answer is not
known), never ops (`torch.xpu.is_current_stream_capturing()` is a question, not a computation)."""


def _unmodelled(name: str) -> Any:
    def factory(interp: Interpreter) -> Namespace:
        return Namespace(name, {}, resolve=lambda attr: Unknown(f"'{name}.{attr}' is not modelled"), is_package=True)

    return factory


def _trace_mark(interp: Interpreter) -> Any:
    """Where the trace is now, and how to go back there: the interpreter evaluates a condition's other
    side that Python may not run (`unknown and x`), and must not keep the calls it recorded."""
    trace = torch_state(interp).trace
    length, counts = len(trace.calls), dict(trace._op_counts)

    def undo() -> bool:
        if len(trace.calls) == length:
            return False
        del trace.calls[length:]
        trace._op_counts = counts
        return True

    return undo


def install_torch(interp: Interpreter, natives: NativeModules) -> None:
    """Make `import torch` and its submodules available to `interp`."""
    interp.hooks["torch"] = TorchState(module_class=make_module_class(), tensor_class=_tensor_class())
    interp.hooks["call_unknown"] = call_unknown
    interp.hooks["elide"] = Elision(interp).result
    interp.hooks["may_cut_loops"] = lambda: not torch_state(interp).trace.active  # in forward, operators cost
    interp.hooks["unknown_base"] = assumed_module_base
    interp.hooks["effects"] = lambda: _trace_mark(interp)
    natives.factories["numpy"] = numpy_namespace
    natives.factories["torch.nn.parameter"] = lambda interp: Namespace(
        "torch.nn.parameter", {"Parameter": NativeFunction("nn.Parameter", _parameter)}
    )
    natives.factories.update(
        {
            "torch": _torch,
            "torch.nn": _torch_nn,
            "torch.nn.functional": _functional,
            "torch.linalg": _linalg,
            "torch.nn.init": _init,
            "torch.nn.modules": _nn_modules,
            "torch.jit": _jit,
            "torch.fx": _fx,
            "torch._C": _torch_c,
            "torch.version": lambda interp: Namespace(
                # a CPU build: no CUDA or ROCm version (`torch.version.cuda is None`)
                "torch.version",
                {"__version__": TORCH_VERSION, "cuda": None, "hip": None, "debug": False},
                resolve=lambda name: Unknown(f"'torch.version.{name}' is not modelled"),
            ),
            "torch.ao": _quantization("torch.ao", (), ("nn", "quantization")),
            "torch.ao.nn": _quantization("torch.ao.nn", (), ("quantized",)),
        }
    )
    for name, alias in (
        ("torch.ao.quantization", "torch.quantization"),
        ("torch.ao.nn.quantized", "torch.nn.quantized"),
    ):
        natives.factories[name] = _quantization(name, QUANTIZATION_STUBS[name])
        natives.factories[alias] = _quantization(alias, QUANTIZATION_STUBS[name])
    for name in UTILS:
        natives.factories[name] = _utils(name)
    natives.factories["torch.autograd"] = _autograd("torch.autograd")
    natives.factories["torch.autograd.function"] = _autograd("torch.autograd.function")
    for name in (
        "torch.cuda",
        *(f"torch.{accelerator}" for accelerator in ACCELERATORS),
        "torch.backends",
        "torch.utils",
        "torch.overrides",
        "torch.distributed",
        "torch.onnx",
        "torch.hub",
        "torch.library",
    ):
        natives.factories[name] = _unmodelled(name)
