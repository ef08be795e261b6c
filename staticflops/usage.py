"""How a file uses its own models, read by interpreting its usage code (never by running it).

Model files often show how their model is built and fed: an `if __name__ == "__main__":` block
or a `test()`/`main()`/`demo()` function doing `net = VGG("VGG11")` and
`net(torch.randn(2, 3, 32, 32))`. The interpreter runs those blocks abstractly, like any other
code; a model called there (outside any other model's forward) is recorded with the shapes of
what it was given, and the call returns an unknown value instead of being traced, so the block
goes on to show its other models. That construction and input become the model's, reported as
"input from usage at file:line".
"""

from __future__ import annotations

import ast
import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

from staticflops.catalog import Shape
from staticflops.interpreter.budget import EXHAUSTED
from staticflops.interpreter.errors import AnalyzedException, Break, Continue, Return
from staticflops.interpreter.evaluator import Interpreter
from staticflops.interpreter.scope import Scope
from staticflops.interpreter.syntax import FUNCTION_DEFINITIONS
from staticflops.interpreter.values import REQUIRED, ClassObject, Function, Instance, Namespace, ParamKind, Unknown
from staticflops.source import Location, SourceFile
from staticflops.torchmodel.tensor import Tensor

USAGE_FUNCTION = re.compile(r"^(test|main|demo|example|run|check|sanity|debug|try)(_\w*)?$|^\w+_(test|demo|main)$")
"""Names of functions that show how a file's models are used (pytest's `test_*` included)."""
VARIADIC = (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD)


@dataclass
class Usage:
    """One model called by usage code: the instance it built and what it was given."""

    instance: Instance
    site: Location
    inputs: list[Shape] = field(default_factory=list)
    named: dict[str, Shape] = field(default_factory=dict)
    dtype: str = "float32"
    extra: dict[str, Any] = field(default_factory=dict)
    """Keyword arguments that are not a tensor: constants (`return_dict=False`) and containers of tensors
    and constants (`added_cond_kwargs={"text_embeds": ..., "time_ids": ...}`), as the usage code passed
    them; each trace gets fresh tensors of the same shapes (`fresh_inputs`)."""


CONSTANTS = (type(None), bool, int, float, str)


def is_input_value(value: Any) -> bool:
    """A value usage code can hand to forward() that a trace can hand again: a tensor of known shape, a
    constant, or a list, tuple or dict of those."""
    if isinstance(value, Tensor):
        return value.shape is not None
    if isinstance(value, (list, tuple)):
        return all(is_input_value(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and is_input_value(item) for key, item in value.items())
    return isinstance(value, CONSTANTS)


def fresh_inputs(value: Any) -> Any:
    """`value` with every tensor in it replaced by a new one of its shape and dtype: each trace's inputs
    are its own."""
    if isinstance(value, Tensor):
        return Tensor(value.shape, dtype=value.dtype)
    if isinstance(value, (list, tuple)):
        return type(value)(fresh_inputs(item) for item in value)
    if isinstance(value, dict):
        return {key: fresh_inputs(item) for key, item in value.items()}
    return value


def _positional_names(instance: Instance) -> list[str] | None:
    """The names forward() gives its positional parameters (after `self`), or None when it takes `*args`."""
    forward = instance.cls.lookup("forward")
    if not isinstance(forward, Function):
        return None
    params = forward.params[1:]
    if any(p.kind is ParamKind.VAR_POSITIONAL for p in params):
        return None
    return [p.name for p in params if p.kind in (ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD)]


def _as_keywords(
    instance: Instance, args: list[Any], kwargs: dict[str, Any]
) -> tuple[list[Any], dict[str, Any]] | None:
    """The leading tensors stay positional; what follows the first other value (`model(x, 10)`, a
    timestep given as a number) is passed by forward()'s parameter names, so a trace can give it again.
    None when forward() does not say which names those are."""
    lead = 0
    while lead < len(args) and isinstance(args[lead], Tensor):
        lead += 1
    if lead == len(args):
        return args, kwargs
    names = _positional_names(instance)
    if names is None or len(args) > len(names) or any(name in kwargs for name in names[lead : len(args)]):
        return None
    return args[:lead], {**dict(zip(names[lead:], args[lead:], strict=False)), **kwargs}


def _main_blocks(source: SourceFile) -> list[ast.If]:
    """`if __name__ == "__main__":` at the top level."""
    found = []
    for statement in source.module.body:
        if isinstance(statement, ast.If) and isinstance(statement.test, ast.Compare):
            test = statement.test
            names = [test.left, *test.comparators]
            if any(isinstance(n, ast.Name) and n.id == "__name__" for n in names) and any(
                isinstance(n, ast.Constant) and n.value == "__main__" for n in names
            ):
                found.append(statement)
    return found


def _usage_functions(source: SourceFile, namespace: Namespace) -> list[Function]:
    """Functions defined here whose name says they exercise the models, and that take no arguments."""
    return [
        value
        for name, value in namespace.attrs.items()
        if isinstance(value, Function)
        and value.source is source
        and USAGE_FUNCTION.match(name)
        and not any(p.default is REQUIRED and p.kind not in VARIADIC for p in value.params)
    ]


def find_usages(
    interp: Interpreter, source: SourceFile, namespace: Namespace
) -> tuple[list[Usage], list[tuple[Function, Instance]]]:
    """Every top-level model call the file's usage code makes, in order; and the usage-named functions
    that call no model but return an instance: factories by what they do, whatever their name says
    (timm registers `test_resnet(pretrained=False, **kwargs)`, a tiny architecture, like any other)."""
    found: list[Usage] = []
    returned: list[tuple[Function, Instance]] = []
    depth = [0]
    """How many function frames are open when the usage code itself runs: calls made deeper (a
    constructor probing its own layers with a dummy input) are not usage, and run as usual."""

    def record(instance: Instance, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
        if len(interp.frames) != depth[0]:
            return NotImplemented
        usage = Usage(instance, site)
        split = _as_keywords(instance, list(args), kwargs)
        if split is not None and all(is_input_value(a) for a in split[0]):
            tensors, keywords = split
            usage.inputs = [tuple(t.shape) for t in tensors]
            usage.named = {k: tuple(v.shape) for k, v in keywords.items() if isinstance(v, Tensor) and v.shape}
            usage.extra = {  # a 0-d tensor (`timestep=torch.tensor(10)`) too: a shape list cannot say ()
                k: v for k, v in keywords.items() if not (isinstance(v, Tensor) and v.shape) and is_input_value(v)
            }
            first = tensors[0] if tensors else next(iter(v for v in keywords.values() if isinstance(v, Tensor)), None)
            usage.dtype = first.dtype if first is not None else "float32"
        found.append(usage)
        return Unknown("the output of a model called by usage code (not traced there)", site)

    interp.hooks["usage"] = record
    try:
        for block in _main_blocks(source):
            scope = Scope(source, namespace.attrs, vars={}, qualname="__main__")
            depth[0] = len(interp.frames)
            _quietly(lambda block=block, scope=scope: interp.exec_block(block.body, scope))
        for function in _usage_functions(source, namespace):
            site = Location(function.source, function.node)
            depth[0] = len(interp.frames) + 1
            before = len(found)
            result: list[Any] = []
            _quietly(lambda f=function, s=site, out=result: out.append(interp.call(f, [], {}, s)))
            if len(found) == before and result and isinstance(result[0], Instance):
                returned.append((function, result[0]))
    finally:
        interp.hooks.pop("usage", None)
    return found, returned


def _quietly(run: Any) -> None:
    """Usage code that fails (a data loader, a training loop) tells what it told before failing."""
    with contextlib.suppress(AnalyzedException, Return, Break, Continue, *EXHAUSTED):
        run()


def _attribute_reads(body: list[ast.stmt], name: str) -> set[str]:
    """`name.attr` reads of one name in a function body."""
    return {
        node.attr
        for statement in body
        for node in ast.walk(statement)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == name
    }


def _builds_without_arguments(cls: Any) -> bool:
    init = cls.lookup("__init__")
    if not isinstance(init, Function):
        return True  # a dataclass's generated __init__, NamedTuple, or object's
    return not any(p.default is REQUIRED and p.kind not in VARIADIC for p in init.params[1:])


def _has_field(cls: Any, name: str) -> bool:
    fields = cls.lookup("__sf_fields__")
    return (fields is not REQUIRED and name in fields) or cls.lookup(name) is not REQUIRED


def synthesized_configs(cls: Any, namespace: Namespace) -> dict[str, Any] | None:
    """Configuration objects for a model class whose constructor requires them (`GPT(config)`):
    each required parameter gets the class its annotation names, or the one class in the file's scope
    that has every attribute the constructor reads of it (`config.n_embd`, `params.dim`), provided
    that class builds without arguments. None when a required parameter has no such class."""
    init = cls.lookup("__init__")
    if not isinstance(init, Function) or not isinstance(init.node, FUNCTION_DEFINITIONS):
        return None
    required = [p.name for p in init.params[1:] if p.default is REQUIRED and p.kind not in VARIADIC]
    arguments = init.node.args
    annotations = {p.arg: p.annotation for p in [*arguments.posonlyargs, *arguments.args] if p.annotation is not None}
    classes = [
        v for v in namespace.attrs.values()
        if isinstance(v, ClassObject) and v.lookup("forward") is REQUIRED and _builds_without_arguments(v)
    ]  # fmt: skip
    chosen: dict[str, Any] = {}
    for name in required:
        annotation = annotations.get(name)
        named = annotation.id if isinstance(annotation, ast.Name) else None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            named = annotation.value
        config = namespace.attrs.get(named) if named else None
        if isinstance(config, ClassObject) and config in classes:
            chosen[name] = config
            continue
        reads = _attribute_reads(init.source.body(init.node), name)
        if not reads:
            return None
        fitting = [c for c in classes if all(_has_field(c, attribute) for attribute in reads)]
        if len(fitting) != 1:
            return None
        chosen[name] = fitting[0]
    return chosen
