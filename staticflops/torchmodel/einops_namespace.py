"""`einops` as model code uses it, with no einops installed: `rearrange`, `repeat`, `reduce`, `einsum`,
`pack`, `unpack`, `parse_shape`, `asnumpy`, `EinopsError`, and the layers of `einops.layers.torch`
(`Rearrange`, `Reduce`, `EinMix`), under the module names einops defines them in.

The calls and layers are catalog entries (staticflops/catalog/einops.py): their shapes come from the
pattern strings, which the interpreter knows when they are constants. What a call does that the
catalog's pure functions cannot (einops' argument order, what `pack` returns beside its tensor, a
reduction given as a callable) is done here. Like torch, the package owns its whole dotted tree: an
installed einops is never read. The pattern language (`staticflops.catalog.einops`) is imported by
the functions that use it: a run whose code never imports einops never loads it.
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog import CATALOG, OpSpec, RaisedError
from staticflops.diagnostics import SF305
from staticflops.interpreter.calls import BindError, bind_arguments
from staticflops.interpreter.evaluator import Interpreter, NativeModules
from staticflops.interpreter.values import REQUIRED, ClassObject, Namespace, NativeFunction, Unknown
from staticflops.source import Location
from staticflops.torchmodel.ops import invoke_op
from staticflops.torchmodel.state import torch_state
from staticflops.torchmodel.tensor import Tensor

Args = list[Any]
Kwargs = dict[str, Any]

EINOPS_VERSION = "0.8.2"
"""The einops whose semantics are modelled (`einops.__version__`)."""
FLOATS = frozenset(("float16", "float32", "float64", "bfloat16"))


def _spec(qualname: str) -> OpSpec:
    spec = CATALOG.entries[qualname]
    assert isinstance(spec, OpSpec)
    return spec


def _bind(interp: Any, spec: OpSpec, args: Args, kwargs: Kwargs, site: Location) -> dict[str, Any]:
    try:
        return bind_arguments(spec.name, spec.params, args, kwargs)
    except BindError as exc:
        interp.raise_error("TypeError", str(exc), site)
        raise  # unreachable: raise_error raises


def _check(interp: Any, site: Location, check: Any, *arguments: Any) -> None:
    """Run one of the catalog's pattern checks; what einops raises, the program raises here."""
    try:
        check(*arguments)
    except RaisedError as error:
        interp.raise_error(error.type_name, error.message, site)


def _lengths_known(lengths: dict[str, Any]) -> bool:
    return not any(isinstance(v, Unknown) for v in lengths.values())


def _stackable(interp: Any, tensor: Any, site: Location) -> None:
    if isinstance(tensor, (list, tuple)) and not tensor:
        interp.raise_error("TypeError", "Rearrange/Reduce/Repeat can't be applied to an empty list", site)


def _transform(operation: str) -> NativeFunction:
    """`einops.rearrange(x, pattern, **axes_lengths)`, `einops.repeat`: the pattern checked first, as einops does."""
    from staticflops.catalog import einops as patterns

    spec = _spec(f"einops.{operation}")

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        bound = _bind(interp, spec, args, kwargs, site)
        _stackable(interp, bound["tensor"], site)
        lengths = bound["axes_lengths"]
        if isinstance(bound["pattern"], str) and _lengths_known(lengths):
            _check(interp, site, patterns.prepare, bound["pattern"], operation, tuple(lengths))
        return invoke_op(interp, spec, args, kwargs, site)

    return NativeFunction(f"einops.{operation}", impl)


def _reduce(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`einops.reduce(x, pattern, reduction, **axes_lengths)`. A callable reduction gets the rearranged
    tensor and the reduced axes: the output's shape is still the pattern's, its cost is not counted."""
    from staticflops.catalog import einops as patterns

    spec = _spec("einops.reduce")
    bound = _bind(interp, spec, args, kwargs, site)
    _stackable(interp, bound["tensor"], site)
    reduction, tensor, lengths = bound["reduction"], bound["tensor"], bound["axes_lengths"]
    if isinstance(reduction, Unknown):
        return invoke_op(interp, spec, args, kwargs, site)
    if isinstance(bound["pattern"], str) and _lengths_known(lengths):
        operation = patterns.reduction_name(reduction)
        _check(interp, site, patterns.prepare, bound["pattern"], operation, tuple(lengths))
    if reduction == "mean":
        dtypes = [t.dtype for t in (tensor if isinstance(tensor, (list, tuple)) else [tensor]) if isinstance(t, Tensor)]
        if dtypes and dtypes[0] not in FLOATS:
            interp.raise_error("NotImplementedError", "reduce_mean is not available for non-floating tensors", site)
    result = invoke_op(interp, spec, args, kwargs, site)
    if not isinstance(reduction, str) and isinstance(result, Tensor) and result.source is not None:
        call = torch_state(interp).trace.calls[result.source]
        if call.work is None and call.output is not None:
            name = getattr(reduction, "name", None) or getattr(reduction, "qualname", None) or "a callable"
            interp.report(
                SF305, f"einops.reduce with the reduction {name}: its cost is not counted (only the reductions "
                "einops names, 'sum', 'mean', 'max', 'min', 'prod', are priced)", site
            )  # fmt: skip
    if reduction in ("any", "all") and isinstance(result, Tensor):
        result.dtype = "bool"
    return result


def _einsum(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`einops.einsum(x, y, "b i j, b j k -> b i k")`: the tensors first, the pattern last."""
    from staticflops.catalog import einops as patterns

    if kwargs:
        interp.raise_error("TypeError", f"einsum() got an unexpected keyword argument '{next(iter(kwargs))}'", site)
    if len(args) <= 1:
        interp.raise_error(
            "ValueError",
            "`einops.einsum` takes at minimum two arguments: the tensors (at least one), followed by the pattern.",
            site,
        )
    pattern = args[-1]
    if not isinstance(pattern, Unknown):
        _check(interp, site, patterns.einsum_terms, pattern)
    return invoke_op(interp, _spec("einops.einsum"), [pattern, *args[:-1]], {}, site)


def _pack(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`einops.pack(tensors, pattern)`: the packed tensor, and each input's shape under `*` (for `unpack`)."""
    from staticflops.catalog import einops as patterns

    spec = _spec("einops.pack")
    bound = _bind(interp, spec, args, kwargs, site)
    tensors, pattern = bound["tensors"], bound["pattern"]
    if isinstance(pattern, str):
        _check(interp, site, patterns.pack_axes, pattern, "pack")
    packed = invoke_op(interp, spec, args, kwargs, site)
    items = list(tensors) if isinstance(tensors, (list, tuple)) else None
    if items and all(isinstance(t, Tensor) and t.shape is not None for t in items) and isinstance(pattern, str):
        return packed, patterns.packed_shapes([t.shape for t in items], pattern)
    return packed, Unknown("the packed shapes of tensors of unknown shape", site)


def _unpack(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`einops.unpack(tensor, packed_shapes, pattern)`: a list of tensors, one per packed shape."""
    from staticflops.catalog import einops as patterns

    spec = _spec("einops.unpack")
    bound = _bind(interp, spec, args, kwargs, site)
    if isinstance(bound["pattern"], str):
        _check(interp, site, patterns.pack_axes, bound["pattern"], "unpack")
    result = invoke_op(interp, spec, args, kwargs, site)
    if isinstance(result, tuple):
        return list(result)
    shapes = bound["packed_shapes"]
    if isinstance(shapes, (list, tuple)) and isinstance(result, Tensor):
        return [Tensor(None, dtype=result.dtype, source=result.source) for _ in shapes]
    return Unknown("unpack() of packed shapes not known statically", site)


def _parse_shape(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`einops.parse_shape(x, 'b _ h w')`: the named axes' lengths, as a dict."""
    from staticflops.catalog import einops as patterns

    x = args[0] if args else kwargs.get("x")
    pattern = args[1] if len(args) > 1 else kwargs.get("pattern")
    if not isinstance(pattern, str):
        return Unknown("parse_shape() of a pattern not known statically", site)
    parsed: list[Any] = []
    _check(interp, site, _parsed, pattern, parsed)
    expression = parsed[0]
    if not isinstance(x, Tensor) or x.shape is None:
        return Unknown("parse_shape() of a tensor of unknown shape", site)
    shape = list(x.shape)
    composition = expression.composition
    if any(group != patterns.ELLIPSIS and len(group) > 1 for group in composition):
        interp.raise_error("RuntimeError", f"Can't parse shape with composite axes: {pattern} {shape}", site)
    if len(shape) != len(composition):
        if not expression.has_ellipsis:
            interp.raise_error(
                "RuntimeError", f"Can't parse shape with different number of dimensions: {pattern} {shape}", site
            )
        if len(shape) < len(composition) - 1:
            interp.raise_error(
                "RuntimeError", f"Can't parse shape with this number of dimensions: {pattern} {shape}", site
            )
    if expression.has_ellipsis:
        at = composition.index(patterns.ELLIPSIS)
        composition = [*composition[:at], *[["_"]] * (len(shape) - len(composition) + 1), *composition[at + 1 :]]
    result: dict[str, int] = {}
    for axes, length in zip(composition, shape, strict=True):
        if not axes:
            if length != 1:
                interp.raise_error("RuntimeError", f"Length of axis is not 1: {pattern} {shape}", site)
            continue
        (axis,) = axes
        if isinstance(axis, str):
            if axis != "_":
                result[axis] = length
        elif axis.value != length:
            interp.raise_error("RuntimeError", f"Length of anonymous axis does not match: {pattern} {shape}", site)
    return result


def _parsed(pattern: str, box: list[Any]) -> None:
    from staticflops.catalog import einops as patterns

    box.append(patterns.parse_expression(pattern, allow_underscore=True))


def _asnumpy(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`einops.asnumpy(x)`: the same values as an array; arrays and tensors are the same shape-only values here."""
    return args[0] if args else kwargs.get("tensor")


def _error_class(interp: Interpreter) -> ClassObject:
    cls = interp.hooks.get("einops.EinopsError")
    if cls is None:
        cls = interp.hooks["einops.EinopsError"] = ClassObject(
            "EinopsError", (interp.builtins["RuntimeError"],), {}, qualname="einops.EinopsError"
        )
    return cls


def _functions() -> dict[str, Any]:
    return {
        "rearrange": _transform("rearrange"),
        "repeat": _transform("repeat"),
        "reduce": NativeFunction("einops.reduce", _reduce),
        "einsum": NativeFunction("einops.einsum", _einsum),
        "parse_shape": NativeFunction("einops.parse_shape", _parse_shape),
        "asnumpy": NativeFunction("einops.asnumpy", _asnumpy),
    }


def _packing() -> dict[str, Any]:
    return {"pack": NativeFunction("einops.pack", _pack), "unpack": NativeFunction("einops.unpack", _unpack)}


def _unmodelled(module: str, submodules: tuple[str, ...] = ()) -> Any:
    """Names einops has that are not modelled; the submodules listed resolve as modules."""

    def resolve(name: str) -> Any:
        if name in submodules:
            return REQUIRED  # the package's submodule, imported through its factory
        return Unknown(f"'{module}.{name}' is not modelled")

    return resolve


def _einops(interp: Interpreter) -> Namespace:
    attrs = {
        **_functions(),
        **_packing(),
        "EinopsError": _error_class(interp),
        "__version__": EINOPS_VERSION,
        "__author__": "Alex Rogozhnikov",
    }
    submodules = ("einops", "packing", "layers", "_torch_specific")
    return Namespace("einops", attrs, resolve=_unmodelled("einops", submodules), is_package=True)


def _einops_einops(interp: Interpreter) -> Namespace:
    return Namespace("einops.einops", _functions(), resolve=_unmodelled("einops.einops"))


def _einops_packing(interp: Interpreter) -> Namespace:
    return Namespace("einops.packing", _packing(), resolve=_unmodelled("einops.packing"))


def _torch_specific(interp: Interpreter) -> Namespace:
    """`allow_ops_in_compiled_graph()` registers einops with torch.compile: nothing to count."""
    attrs = {"allow_ops_in_compiled_graph": NativeFunction("allow_ops_in_compiled_graph", lambda i, a, k, s: None)}
    return Namespace("einops._torch_specific", attrs, resolve=_unmodelled("einops._torch_specific"))


def _layers(interp: Interpreter) -> Namespace:
    return Namespace("einops.layers", {}, resolve=_unmodelled("einops.layers", ("torch",)), is_package=True)


def _layers_torch(interp: Interpreter) -> Namespace:
    from staticflops.catalog import einops as patterns

    state = torch_state(interp)

    def resolve(name: str) -> Any:
        cls = state.layer(f"{patterns.LAYERS}.{name}") if name in ("Rearrange", "Reduce", "EinMix") else None
        return cls if cls is not None else Unknown(f"'einops.layers.torch.{name}' is not modelled")

    return Namespace("einops.layers.torch", {}, resolve=resolve)


def install_einops(interp: Interpreter, natives: NativeModules) -> None:
    """Make `import einops`, `from einops.layers.torch import Rearrange` and the rest available to `interp`
    (after `install_torch`, whose tensors and layers these are)."""
    natives.factories.update(
        {
            "einops": _einops,
            "einops.einops": _einops_einops,
            "einops.packing": _einops_packing,
            "einops._torch_specific": _torch_specific,
            "einops.layers": _layers,
            "einops.layers.torch": _layers_torch,
        }
    )
