"""`nn.Module` semantics: registration of children, parameters and buffers; calling
`forward`; the containers; and the classes built from catalog layer entries.

Models are analyzed in eval mode (`training` is False), as the reference figures were
measured: dropout is the identity and batch norm uses its running statistics.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from staticflops.catalog import LayerSpec, Output, RaisedError, ShapeError, primary
from staticflops.catalog.spec import FORWARD
from staticflops.diagnostics import SF301, SF305
from staticflops.interpreter.calls import BindError, bind_arguments
from staticflops.interpreter.values import (
    REQUIRED,
    ClassObject,
    Instance,
    NativeFunction,
    Unknown,
)
from staticflops.source import Location
from staticflops.torchmodel.state import torch_state
from staticflops.torchmodel.tensor import Buffer, Tensor, tensors_for

Args = list[Any]
Kwargs = dict[str, Any]
STORES = ("_parameters", "_buffers", "_modules")


def is_module(value: Any, module_class: ClassObject) -> bool:
    return isinstance(value, Instance) and value.cls.is_subclass(module_class)


def ensure_stores(obj: Instance) -> None:
    for store in STORES:
        obj.attrs.setdefault(store, {})
    obj.attrs.setdefault("training", False)


def named_modules(root: Instance, prefix: str = "") -> Iterator[tuple[str, Instance]]:
    """torch's `named_modules()`: pre-order, each module once, under its first name."""
    seen: set[int] = set()
    stack: list[tuple[str, Instance]] = [(prefix, root)]
    while stack:
        name, module = stack.pop()
        if id(module) in seen:
            continue
        seen.add(id(module))
        yield name, module
        children = [
            (f"{name}.{child_name}" if name else child_name, child)
            for child_name, child in module.attrs.get("_modules", {}).items()
            if isinstance(child, Instance)
        ]
        stack.extend(reversed(children))


def named_parameters(root: Instance) -> Iterator[tuple[str, Tensor]]:
    """torch's `named_parameters()`: shared parameters (tied weights) once."""
    seen: set[int] = set()
    for module_name, module in named_modules(root):
        for name, value in module.attrs.get("_parameters", {}).items():
            if isinstance(value, Tensor) and id(value) not in seen:
                seen.add(id(value))
                yield (f"{module_name}.{name}" if module_name else name), value


# ---------------------------------------------------------------- nn.Module's methods
def _init(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    ensure_stores(args[0])


def _setattr(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    obj, name, value = args
    ensure_stores(obj)
    state = torch_state(interp)
    params, buffers, modules = (obj.attrs[store] for store in STORES)
    if isinstance(value, Tensor) and value.is_parameter:
        _discard(obj, name)
        params[name] = value
    elif isinstance(value, Buffer):
        _discard(obj, name)
        buffers[name] = Tensor(value.shape, dtype=value.dtype, values=value.values)
    elif is_module(value, state.module_class):
        _discard(obj, name)
        modules[name] = value
    elif name in params and value is None:
        params[name] = None
    elif name in modules and value is None:
        modules[name] = None
    elif name in buffers and (value is None or isinstance(value, Tensor)):
        buffers[name] = value
    else:
        for store in (params, modules):
            store.pop(name, None)
        if isinstance(value, Unknown) and state.trace.stack == [] and not state.trace.active:
            # an attribute built by code we cannot see (a third-party layer): its parameters are missing
            interp.report_unknown(value, f"'{name}' is unknown; its parameters are not counted", site)
            obj.attrs.setdefault("__sf_unknown_parts__", []).append(name)
        obj.attrs[name] = value


def _discard(obj: Instance, name: str) -> None:
    obj.attrs.pop(name, None)
    for store in STORES:
        obj.attrs[store].pop(name, None)


def _getattr(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, name = args
    for store in STORES:
        values = obj.attrs.get(store)
        if values is not None and name in values:
            return values[name]
    return REQUIRED


def _call(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, *inputs = args
    state = torch_state(interp)
    usage = interp.hooks.get("usage")
    if usage is not None and not state.trace.active and not state.trace.stack:
        recorded = usage(obj, inputs, kwargs, site)  # a model called by the file's usage code (staticflops.usage)
        if recorded is not NotImplemented:
            return recorded
    forward = interp.get_attribute(obj, "forward", site)
    state.trace.stack.append(obj)
    try:
        return interp.call(forward, inputs, kwargs, site)
    finally:
        state.trace.stack.pop()


def _forward_missing(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    interp.raise_error(
        "NotImplementedError", f'Module [{args[0].cls.name}] is missing the required "forward" function', site
    )


def _add_module(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    obj, name, module = [*args, kwargs.get("module")][:3]
    ensure_stores(obj)
    if isinstance(name, str):
        _discard(obj, name)
        obj.attrs["_modules"][name] = module


def _register_parameter(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    obj, name, param = args
    ensure_stores(obj)
    if isinstance(name, str):
        _discard(obj, name)
        obj.attrs["_parameters"][name] = param


def _register_buffer(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    obj, name, tensor = args[:3]
    ensure_stores(obj)
    if isinstance(name, str):
        _discard(obj, name)
        obj.attrs["_buffers"][name] = tensor
        if isinstance(tensor, Unknown) or (isinstance(tensor, Tensor) and tensor.shape is None):
            why = tensor.reason if isinstance(tensor, Unknown) else "its shape is not known statically"
            interp.report(SF301, f"buffer '{name}' of unknown shape ({why}); what reads it has no shape", site)


def _returns_self(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    return args[0]


def _modules_list(named: bool, children_only: bool) -> Any:
    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        obj = args[0]
        if children_only:
            pairs = [(n, m) for n, m in obj.attrs.get("_modules", {}).items() if isinstance(m, Instance)]
        else:
            pairs = list(named_modules(obj, kwargs.get("prefix", "")))
        # generators in torch: `next(m.parameters(), None)` must work, `len(m.modules())` must not
        return iter(pairs if named else [m for _, m in pairs])

    return impl


def _parameters_list(named: bool, store: str) -> Any:
    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        obj = args[0]
        recurse = kwargs.get("recurse", args[1] if len(args) > 1 and not isinstance(args[1], str) else True)
        modules = list(named_modules(obj)) if recurse else [("", obj)]
        seen: set[int] = set()
        pairs = []
        for module_name, module in modules:
            for name, value in module.attrs.get(store, {}).items():
                if isinstance(value, Tensor) and id(value) not in seen:
                    seen.add(id(value))
                    pairs.append((f"{module_name}.{name}" if module_name else name, value))
        return iter(pairs if named else [value for _, value in pairs])

    return impl


def _apply(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, function = args
    for _, module in reversed(list(named_modules(obj))):
        interp.call(function, [module], {}, site)
    return obj


def _get_submodule(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, target = args
    for part in target.split(".") if isinstance(target, str) and target else []:
        obj = obj.attrs.get("_modules", {}).get(part, REQUIRED)
        if obj is REQUIRED:
            interp.raise_error("AttributeError", f"no submodule '{target}'", site)
    return obj


def _get_tensor(store: str, what: str) -> Any:
    """`get_parameter("lm_head.weight")`, `get_buffer(...)`: the submodule's, as torch looks it up."""

    def impl(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        obj, target = args
        if not isinstance(target, str):
            return Unknown(f"{what} of a name that is not known", site)
        module_path, _, name = target.rpartition(".")
        module = _get_submodule(interp, [obj, module_path], {}, site)
        found = module.attrs.get(store, {}).get(name, REQUIRED) if isinstance(module, Instance) else REQUIRED
        if found is REQUIRED:
            interp.raise_error("AttributeError", f"`{name}` is not a {what.split('_')[1]}", site)
        return found

    return impl


def assumed_module_base(
    interp: Any, node: ast.ClassDef, bases: list[ClassObject], body: dict[str, Any], site: Location
) -> ClassObject | None:
    """A class with a base the analysis cannot see (`class Block(somelib.BaseBlock)`, the library not
    installed) and a `forward()` of its own is taken for an `nn.Module` subclass, so that the layers
    and `nn.Parameter`s its own code builds are counted and its `forward()` traced. What the unseen
    base registers itself is unknown: the model's parameter count is then a lower bound."""
    module_class = torch_state(interp).module_class
    if any(base.is_subclass(module_class) for base in bases):
        return None
    if "forward" not in body and not any("forward" in klass.namespace for base in bases for klass in base.mro):
        return None
    names = ", ".join(site.source.code_for_node(base) for base in node.bases)
    interp.assume(
        f"base class {names} of '{node.name}' is unknown; assumed to be an nn.Module: the layers its "
        "own code builds are counted, any the base registers are not",
        site,
    )
    return ClassObject(
        names,
        (module_class,),
        {"__init__": NativeFunction(f"{names}.__init__", _init)},
        qualname=names,
        metadata={"unknown_bases": [names], "assumed_module_base": True},
    )


def make_module_class() -> ClassObject:
    namespace: dict[str, Any] = {
        "__init__": NativeFunction("Module.__init__", _init),
        "__setattr__": NativeFunction("Module.__setattr__", _setattr),
        "__getattr__": NativeFunction("Module.__getattr__", _getattr),
        "__call__": NativeFunction("Module.__call__", _call),
        "forward": NativeFunction("Module.forward", _forward_missing),
        "add_module": NativeFunction("Module.add_module", _add_module),
        "register_module": NativeFunction("Module.register_module", _add_module),
        "register_parameter": NativeFunction("Module.register_parameter", _register_parameter),
        "register_buffer": NativeFunction("Module.register_buffer", _register_buffer),
        "modules": NativeFunction("Module.modules", _modules_list(named=False, children_only=False)),
        "named_modules": NativeFunction("Module.named_modules", _modules_list(named=True, children_only=False)),
        "children": NativeFunction("Module.children", _modules_list(named=False, children_only=True)),
        "named_children": NativeFunction("Module.named_children", _modules_list(named=True, children_only=True)),
        "parameters": NativeFunction("Module.parameters", _parameters_list(named=False, store="_parameters")),
        "named_parameters": NativeFunction(
            "Module.named_parameters", _parameters_list(named=True, store="_parameters")
        ),
        "buffers": NativeFunction("Module.buffers", _parameters_list(named=False, store="_buffers")),
        "named_buffers": NativeFunction("Module.named_buffers", _parameters_list(named=True, store="_buffers")),
        "apply": NativeFunction("Module.apply", _apply),
        "get_submodule": NativeFunction("Module.get_submodule", _get_submodule),
        "get_parameter": NativeFunction("Module.get_parameter", _get_tensor("_parameters", "get_parameter")),
        "get_buffer": NativeFunction("Module.get_buffer", _get_tensor("_buffers", "get_buffer")),
        "extra_repr": NativeFunction("Module.extra_repr", lambda i, a, k, s: ""),
    }
    for name in (
        "to",
        "cuda",
        "cpu",
        "eval",
        "train",
        "float",
        "half",
        "double",
        "bfloat16",
        "requires_grad_",
        "zero_grad",
        "share_memory",
        "type",
        "to_empty",
    ):
        namespace[name] = NativeFunction(f"Module.{name}", _returns_self)
    for name in STATE_DICT_HOOKS:
        namespace[name] = NativeFunction(f"Module.{name}", lambda i, a, k, s: None)
    return ClassObject("Module", (), namespace, qualname="torch.nn.Module")


STATE_DICT_HOOKS = (
    "_register_load_state_dict_pre_hook",
    "register_load_state_dict_pre_hook",
    "register_load_state_dict_post_hook",
    "_register_state_dict_hook",
    "register_state_dict_pre_hook",
    "register_state_dict_post_hook",
)
"""Hooks on saving and loading weights (Mamba renames old checkpoints' keys): they never run in a forward,
so registering one changes nothing priced. Forward hooks do change a forward and are not modelled."""


# ---------------------------------------------------------------- catalog layers
def _has_unknown(value: Any) -> Unknown | None:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, (tuple, list, dict)):  # a dict: `**axes_lengths`
        for item in value.values() if isinstance(value, dict) else value:
            found = _has_unknown(item)
            if found is not None:
                return found
    return None


PLACEMENT = frozenset(("device", "dtype"))
"""Layer arguments that say where parameters live, never how many there are."""


def layer_class(spec: LayerSpec, module_class: ClassObject) -> ClassObject:
    """A native class for a catalog layer: subclassable, isinstance-able, called like torch's."""

    def init(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
        obj, *rest = args
        ensure_stores(obj)
        try:
            bound = bind_arguments(spec.name, spec.init, rest, kwargs)
        except BindError as exc:
            interp.raise_error("TypeError", str(exc), site)
        for name, value in bound.items():
            unknown = _has_unknown(value)
            if unknown is not None and name in PLACEMENT:
                bound[name] = None  # where and in what precision the weights live changes no count
                continue
            if unknown is not None:
                interp.report_unknown(unknown, f"{spec.name} argument '{name}'", site)
                obj.attrs.update(bound)
                obj.attrs["__sf_unknown__"] = f"{spec.name} built with an unknown '{name}'"
                return
        if spec.infer is not None:  # a lazy layer: built by its first call, from the input's shape
            obj.attrs.update({name: value for name, value in bound.items() if name != "bias"})
            obj.attrs["__sf_lazy__"] = bound
            return
        _materialize(interp, obj, spec, bound, site)

    def forward(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        obj, *rest = args
        try:
            bound = bind_arguments("forward", spec.forward, rest, kwargs)
        except BindError as exc:
            interp.raise_error("TypeError", str(exc), site)
        tensors = [bound[name] for name in bound if isinstance(bound[name], Tensor)]
        shapes = [t.shape for t in tensors]
        known = (
            "__sf_unknown__" not in obj.attrs
            and bool(tensors)
            and None not in shapes
            and not any(isinstance(value, Unknown) for value in bound.values())
        )
        if known and "__sf_lazy__" in obj.attrs and spec.infer is not None:
            arguments = {**obj.attrs.pop("__sf_lazy__"), **spec.infer(shapes)}  # type: ignore[arg-type]
            _materialize(interp, obj, spec, arguments, site)
        return _forward(interp, obj, spec, tensors, shapes, known, site, bound)

    return ClassObject(
        spec.name,
        (module_class,),
        {
            "__init__": NativeFunction(f"{spec.name}.__init__", init, spec.init),
            "forward": NativeFunction(f"{spec.name}.forward", forward, spec.forward),
            # torch's layers (re)initialize their weights; nothing here depends on the values
            "reset_parameters": NativeFunction(f"{spec.name}.reset_parameters", lambda i, a, k, s: None),
            "_reset_parameters": NativeFunction(f"{spec.name}._reset_parameters", lambda i, a, k, s: None),
            "reset_running_stats": NativeFunction(f"{spec.name}.reset_running_stats", lambda i, a, k, s: None),
        },
        qualname=spec.qualname,
        metadata={"spec": spec},
    )


def _materialize(interp: Any, obj: Instance, spec: LayerSpec, bound: dict[str, Any], site: Location) -> None:
    """Set a layer's attributes and create its parameters, buffers and children from its arguments."""
    try:
        attributes = spec.attributes(bound)
        parameters = spec.parameters(attributes)
        buffers = spec.buffers(attributes)
        children = spec.children(attributes)
    except ShapeError as error:
        error.site = error.site or site
        raise
    except RaisedError as error:  # what the layer's constructor raises in the program (a malformed pattern)
        interp.raise_error(error.type_name, error.message, site)
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        interp.raise_error("TypeError", f"{spec.name}(...): {exc}", site)
    for name, shape in [*parameters.items(), *buffers.items()]:
        if shape is not None and not all(isinstance(size, int) for size in shape):
            # as torch.empty: `nn.Linear(64, (16, 4))` raises rather than building a malformed weight
            sizes = ", ".join(type(size).__name__ for size in shape)
            interp.raise_error("TypeError", f"{spec.name}(...): '{name}' needs integer sizes, got ({sizes})", site)
    for name in (*parameters, *buffers):  # torch keeps them in _parameters and _buffers only
        attributes.pop(name, None)
    obj.attrs.update(attributes)
    obj.attrs["_parameters"].update(
        {name: None if shape is None else Tensor(shape, is_parameter=True) for name, shape in parameters.items()}
    )
    obj.attrs["_buffers"].update({name: Tensor(shape) for name, shape in buffers.items()})
    for name, (qualname, arguments) in children.items():
        child_class = torch_state(interp).layer(qualname)
        obj.attrs["_modules"][name] = interp.instantiate(child_class, [], arguments, site)


def layer_hyper(obj: Instance) -> dict[str, Any]:
    """What a catalog rule reads of a layer: its attributes, and its parameters' shapes by name."""
    hyper = dict(obj.attrs)
    for name, value in obj.attrs["_parameters"].items():
        hyper[name] = value.shape if isinstance(value, Tensor) else None
    return hyper


def _forward(
    interp: Any,
    obj: Instance,
    spec: LayerSpec,
    tensors: list[Tensor],
    shapes: list[Any],
    known: bool,
    site: Location,
    arguments: dict[str, Any],
) -> Any:
    """Apply the catalog's shape rule and work to one call, and record it."""
    output: Output | None = None
    work = None
    if known:
        hyper = {**layer_hyper(obj), FORWARD: {k: v for k, v in arguments.items() if not isinstance(v, Tensor)}}
        try:
            output = spec.output(hyper, shapes)
            work = spec.work(hyper, shapes, output)
        except ShapeError as error:
            error.site = error.site or site
            error.module = error.module or obj
            raise
        except RaisedError as error:
            interp.raise_error(error.type_name, error.message, site)
    return _record_layer(interp, obj, spec, tensors, output, work, site, arguments)


def _record_layer(
    interp: Any,
    obj: Instance,
    spec: LayerSpec | None,
    tensors: list[Tensor],
    output: Output | None,
    work: Any,
    site: Location,
    arguments: dict[str, Any] | None = None,
) -> Any:
    state = torch_state(interp)
    source = state.trace.record(
        type_name=obj.cls.name,
        spec=spec,
        module=obj,
        tensors=tensors,
        output=None if output is None else primary(output),
        work=work,
        site=site,
        arguments=arguments,
    )
    return tensors_for(output, _output_dtype(obj, tensors), source)


def _output_dtype(obj: Instance, tensors: list[Tensor]) -> str:
    """A layer's result has its first input's dtype, except where that input holds indices (integers or
    booleans) into the layer's own weights (an `nn.Embedding` fed `int32` ids): then the weights' dtype."""
    dtype = tensors[0].dtype if tensors else "float32"
    if dtype is None or not dtype.startswith(("int", "uint", "bool")):
        return dtype
    weights = [value for value in obj.attrs.get("_parameters", {}).values() if isinstance(value, Tensor)]
    return next((w.dtype for w in weights if w.dtype and w.dtype.startswith(("float", "bfloat"))), dtype)


def unknown_layer_class(qualname: str, module_class: ClassObject) -> ClassObject:
    """Stands for a torch layer the catalog lacks: builds, counts no parameters, and says so when called."""
    name = qualname.rsplit(".", 1)[1]

    def init(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
        obj = args[0]
        ensure_stores(obj)
        obj.attrs["__sf_unknown__"] = f"'{qualname}' is not in the catalog"
        interp.report(SF301, f"'{qualname}' is not in the catalog; its parameters are not counted", site)

    def forward(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        interp.report(SF305, f"'{qualname}' is not in the catalog; its cost is not counted", site)
        tensors = [v for v in [*args[1:], *kwargs.values()] if isinstance(v, Tensor)]
        return _record_layer(interp, args[0], None, tensors, None, None, site)

    return ClassObject(
        name,
        (module_class,),
        {"__init__": NativeFunction(f"{name}.__init__", init), "forward": NativeFunction(f"{name}.forward", forward)},
        qualname=qualname,
        metadata={"unknown_layer": True},
    )


# ---------------------------------------------------------------- containers
def _children(obj: Instance) -> list[Any]:
    return [m for m in obj.attrs.get("_modules", {}).values() if m is not None]


def _sequential_init(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    obj, *modules = args
    ensure_stores(obj)
    if len(modules) == 1 and isinstance(modules[0], dict):
        for name, module in modules[0].items():
            obj.attrs["_modules"][str(name)] = module
        return
    for index, module in enumerate(modules):
        obj.attrs["_modules"][str(index)] = module


def _sequential_forward(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, value = args[0], args[1] if len(args) > 1 else kwargs.get("input")
    for module in _children(obj):
        value = interp.call(module, [value], {}, site)
    return value


def _container_getitem(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, index = args
    modules = obj.attrs["_modules"]
    if isinstance(index, str):
        if index not in modules:
            interp.raise_error("KeyError", repr(index), site)
        return modules[index]
    values = list(modules.values())
    if isinstance(index, slice):
        result = Instance(obj.cls)
        ensure_stores(result)
        keys = list(modules)[index]
        if obj.cls.lookup("forward") is not REQUIRED and obj.cls.name == "Sequential":
            result.attrs["_modules"].update({key: modules[key] for key in keys})
        else:
            result.attrs["_modules"].update({str(i): modules[key] for i, key in enumerate(keys)})
        return result
    if isinstance(index, Unknown):
        return index
    try:
        return values[index]
    except (IndexError, TypeError):
        interp.raise_error("IndexError", f"index {index} is out of range", site)


def _container_setitem(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    obj, index, module = args
    modules = obj.attrs["_modules"]
    if isinstance(index, int):
        keys = list(modules)
        index = keys[index]
    modules[str(index)] = module


def _container_len(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> int:
    return len(args[0].attrs["_modules"])


def _container_iter(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj = args[0]
    if obj.cls.metadata.get("mapping"):
        return list(obj.attrs["_modules"])
    return _children(obj)


def _container_append(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, module = args
    modules = obj.attrs["_modules"]
    modules[str(len(modules))] = module
    return obj


def _container_extend(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    obj, modules = args
    for module in interp.iterate(modules, site):
        _container_append(interp, [obj, module], {}, site)
    return obj


def _container_insert(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    obj, index, module = args
    values = list(obj.attrs["_modules"].values())
    values.insert(index, module)
    obj.attrs["_modules"] = {str(i): m for i, m in enumerate(values)}


def _list_init(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    obj = args[0]
    ensure_stores(obj)
    modules = args[1] if len(args) > 1 else kwargs.get("modules")
    if modules is not None:
        _container_extend(interp, [obj, modules], {}, site)


def _dict_init(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    obj = args[0]
    ensure_stores(obj)
    modules = args[1] if len(args) > 1 else kwargs.get("modules")
    if modules is not None:
        _dict_update(interp, [obj, modules], {}, site)


def _dict_update(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> None:
    obj, modules = args
    pairs = modules.items() if isinstance(modules, dict) else interp.iterate(modules, site)
    for key, module in pairs:
        obj.attrs["_modules"][str(key)] = module


def make_containers(module_class: ClassObject) -> dict[str, ClassObject]:
    def native(name: str, impl: Any) -> NativeFunction:
        return NativeFunction(name, impl)

    common = {
        "__getitem__": native("__getitem__", _container_getitem),
        "__setitem__": native("__setitem__", _container_setitem),
        "__len__": native("__len__", _container_len),
        "__iter__": native("__iter__", _container_iter),
    }
    sequential = ClassObject(
        "Sequential",
        (module_class,),
        {
            **common,
            "__init__": native("Sequential.__init__", _sequential_init),
            "forward": native("Sequential.forward", _sequential_forward),
            "append": native("Sequential.append", _container_append),
            "extend": native("Sequential.extend", _container_extend),
            "__iadd__": native("Sequential.__iadd__", _container_extend),
            "insert": native("Sequential.insert", _container_insert),
        },
        qualname="torch.nn.Sequential",
    )
    module_list = ClassObject(
        "ModuleList",
        (module_class,),
        {
            **common,
            "__init__": native("ModuleList.__init__", _list_init),
            "append": native("ModuleList.append", _container_append),
            "extend": native("ModuleList.extend", _container_extend),
            "__iadd__": native("ModuleList.__iadd__", _container_extend),
            "insert": native("ModuleList.insert", _container_insert),
        },
        qualname="torch.nn.ModuleList",
    )
    module_dict = ClassObject(
        "ModuleDict",
        (module_class,),
        {
            **common,
            "__init__": native("ModuleDict.__init__", _dict_init),
            "update": native("ModuleDict.update", _dict_update),
            "keys": native("ModuleDict.keys", lambda i, a, k, s: list(a[0].attrs["_modules"])),
            "values": native("ModuleDict.values", lambda i, a, k, s: list(a[0].attrs["_modules"].values())),
            "items": native("ModuleDict.items", lambda i, a, k, s: list(a[0].attrs["_modules"].items())),
            "__contains__": native("ModuleDict.__contains__", lambda i, a, k, s: a[1] in a[0].attrs["_modules"]),
        },
        qualname="torch.nn.ModuleDict",
        metadata={"mapping": True},
    )
    return {"Sequential": sequential, "ModuleList": module_list, "ModuleDict": module_dict}
