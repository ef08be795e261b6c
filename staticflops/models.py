"""From a parsed file to analyzed models: find the models, build each one, trace its
`forward()` on shape-only inputs, and turn the trace into results.

A model's failure (a shape error, a `raise` reached, a budget exhausted) ends that
model's analysis with a diagnostic; the file's other models go on.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from staticflops.catalog import LayerSpec, Shape, ShapeError, WorkKind, as_works
from staticflops.conventions import Caller, Convention, multiply_accumulates, price
from staticflops.diagnostics import SF004, SF303, SF304, SF305, SF306, Diagnostic, Severity
from staticflops.errors import StaticFlopsError
from staticflops.interning import Interned
from staticflops.interpreter.budget import EXHAUSTED, Budget, Limits, exhaustion_message
from staticflops.interpreter.builtins import make_builtins
from staticflops.interpreter.errors import AnalyzedException, Break, Continue, Return
from staticflops.interpreter.evaluator import Interpreter, NativeModules
from staticflops.interpreter.scope import Scope
from staticflops.interpreter.stdlib import install_stdlib
from staticflops.interpreter.syntax import FUNCTION_DEFINITIONS
from staticflops.interpreter.values import REQUIRED, ClassObject, Function, Instance, Namespace, ParamKind
from staticflops.results import FileResult, LayerResult, ModelResult
from staticflops.shapes import (
    DEFAULT_SEQUENCE,
    SEQUENCE_ATTRIBUTES,
    FirstLayer,
    InputSource,
    shape_for,
    shape_through,
    solve_spatial,
)
from staticflops.source import Location, Project, SourceFile
from staticflops.symbolic.options import SymbolicOptions
from staticflops.torchmodel.einops_namespace import install_einops
from staticflops.torchmodel.huggingface_hub_namespace import install_huggingface_hub
from staticflops.torchmodel.module import is_module, layer_hyper, named_modules, named_parameters
from staticflops.torchmodel.namespace import install_torch
from staticflops.torchmodel.state import torch_state
from staticflops.torchmodel.tensor import Tensor
from staticflops.torchmodel.trace import Call, Trace, TraceStopped
from staticflops.usage import USAGE_FUNCTION, VARIADIC, Usage, find_usages, fresh_inputs, synthesized_configs


@dataclass
class Candidate:
    name: str
    location: Location
    build: Any
    """A callable of no arguments returning the model (an `Instance`)."""
    kind: str = "expression"
    """`instance` (a module-level variable), `class`, `function` or `expression` (--model)."""
    assumed: list[Location] = field(default_factory=list)
    """Unknown conditions its construction chose a branch for: which layers exist may depend on them."""
    usage: Usage | None = None
    """How the file's own usage code built and fed it (`staticflops.usage`)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """What was reported while it was built before `_build` (by usage code)."""
    input_dtype: str | None = None
    """The dtype of its inputs when a front end knows it (token ids are int64)."""
    forward_kwargs: dict[str, Any] = field(default_factory=dict)
    """Constant keyword arguments every trace of `forward()` passes (`use_cache=False`)."""


def new_interpreter(project: Project, limits: Limits) -> Interpreter:
    natives = NativeModules()
    interp = Interpreter(project, natives, make_builtins(), limits)
    install_stdlib(interp, natives)
    install_torch(interp, natives)
    install_einops(interp, natives)
    install_huggingface_hub(interp, natives)
    return interp


def analyze_source(
    project: Project,
    source: SourceFile,
    *,
    model: str | None,
    input_shapes: list[Shape] | None,
    convention: Convention,
    limits: Limits,
    named_shapes: dict[str, Shape] | None = None,
    reveal: bool = False,
    interp: Interpreter | None = None,
    config_shapes: list[Shape] | None = None,
    batch: int | None = None,
    all_models: bool = False,
    symbolic: SymbolicOptions | None = None,
) -> FileResult:
    """Analyze one file. Files of one run share `interp`, so a module they all import runs once."""
    result = FileResult(source.path)
    interp = interp or new_interpreter(project, limits)
    interp.budget = Budget(limits)
    interp.diagnostics = []
    try:
        namespace = interp.run_module(source)
    except EXHAUSTED as exhausted:
        where = getattr(exhausted, "location", None) or interp.current
        interp.report(SF303, f"{exhaustion_message(exhausted)} while running module-level code", where)
        result.diagnostics.extend([*interp.take_module_diagnostics(), *interp.diagnostics])
        return result
    result.diagnostics.extend([*interp.take_module_diagnostics(), *interp.diagnostics])
    interp.diagnostics = []
    module_class = torch_state(interp).module_class
    if model is not None:
        candidates = [_named_candidate(interp, source, namespace, model)]
    else:
        candidates = _discover(interp, source, namespace, module_class, result)
        candidates = _with_usages(interp, source, namespace, module_class, candidates, result, limits)
    built: list[tuple[Candidate, Instance, list[Diagnostic]]] = []
    for candidate in candidates:
        interp.budget = Budget(limits)
        root, diagnostics = _build(interp, candidate, explicit=model is not None)
        if root is None:
            if model is not None:
                result.diagnostics.extend(diagnostics)
            else:
                reason = _why_not_built(diagnostics)
                result.skipped.append((candidate.name, reason))
            continue
        built.append((candidate, root, diagnostics))
    if model is None and not all_models:
        built = _drop_helpers(_drop_submodels(built), result)
    for candidate, root, diagnostics in built:
        interp.budget = Budget(limits)
        result.models.append(
            _trace_model(
                interp,
                candidate,
                root,
                diagnostics,
                input_shapes,
                convention,
                named_shapes,
                reveal,
                config_shapes,
                batch,
                symbolic,
            )
        )
    if model is None and not built and not result.diagnostics:
        skipped = "; ".join(f"{name}: {reason}" for name, reason in result.skipped)
        hint = f" (skipped {skipped})" if skipped else ""
        message = (
            f"no model in this file could be built without arguments{hint}. "
            "Pass --model with a name or a call, e.g. --model 'ResNet(Block, [2, 2, 2, 2])'"
        )
        result.diagnostics.append(Diagnostic(SF004, message, source.path))
    result.diagnostics.extend(interp.take_module_diagnostics())  # modules first imported while building or tracing
    return result


# ----------------------------------------------------------------- finding models
def _discover(
    interp: Interpreter, source: SourceFile, namespace: Namespace, module_class: ClassObject, result: FileResult
) -> list[Candidate]:
    """Module-level nn.Module instances, nn.Module classes defined here that build without
    arguments, and public functions defined here that take none."""
    candidates: list[Candidate] = []
    for name, value in namespace.attrs.items():
        if is_module(value, module_class):
            location = value.origin or Location(source, source.module)
            candidates.append(Candidate(name, location, lambda value=value: value, "instance"))
        elif isinstance(value, ClassObject) and value.is_subclass(module_class) and _defined_here(value, source):
            if _needs_arguments(value.lookup("__init__"), skip_self=True):
                configs = synthesized_configs(value, namespace)
                if configs is None:
                    result.skipped.append((name, _needs_message(value)))
                    continue
                candidates.append(_configured_candidate(interp, name, value, configs))
                continue
            build = lambda value=value: interp.call(value, [], {}, value.location)  # noqa: E731
            candidates.append(Candidate(name, value.location, build, "class"))
        elif (
            isinstance(value, Function)
            and not name.startswith("_")
            and not USAGE_FUNCTION.match(name)
            and isinstance(_unwrapped(value).node, FUNCTION_DEFINITIONS)
            and _unwrapped(value).source is source
            and not _needs_arguments(_unwrapped(value), skip_self=False)
        ):
            location = Location(source, _unwrapped(value).node)
            build = lambda v=value, loc=location: interp.call(v, [], {}, loc)  # noqa: E731
            candidates.append(Candidate(name, location, build, "function"))
    return candidates


def _configured_candidate(
    interp: Interpreter, name: str, cls: ClassObject, configs: dict[str, ClassObject]
) -> Candidate:
    """A model class built with its configuration classes' defaults, and a note saying how to choose others."""
    site = cls.location

    def build() -> Any:
        arguments = {param: interp.call(config, [], {}, site) for param, config in configs.items()}
        return interp.call(cls, [], arguments, site)  # type: ignore[arg-type]

    built_with = ", ".join(f"{param}={config.name}()" for param, config in configs.items())
    example = ", ".join(f"{config.name}(...)" for config in configs.values())
    note = Diagnostic(
        SF304,
        f"'{name}' built with {built_with}: the defaults of its configuration; "
        f"choose others with --model '{name}({example})'",
        site.file if site else None,
        site.line if site else None,
        site.column if site else None,
    )
    return Candidate(name, site, build, "class", diagnostics=[note])  # type: ignore[arg-type]


def _with_usages(
    interp: Interpreter,
    source: SourceFile,
    namespace: Namespace,
    module_class: ClassObject,
    candidates: list[Candidate],
    result: FileResult,
    limits: Limits,
) -> list[Candidate]:
    """The models the file's usage code builds and feeds take the place of the same classes built
    without arguments: the file says how it means them to be used."""
    interp.budget = Budget(limits)
    start = len(interp.assumed)
    usages, returned = find_usages(interp, source, namespace)
    reported, interp.diagnostics = interp.diagnostics, []
    assumed = interp.assumed[start:]
    candidates = [*candidates, *_factories_named_as_usage(returned, module_class, assumed)]
    candidates = _instances_with_usages(candidates, usages)
    by_class: dict[int, Usage] = {}
    for usage in usages:
        cls = usage.instance.cls
        if _defined_here(cls, source) and is_module(usage.instance, module_class):
            by_class.setdefault(id(cls), usage)
    if not by_class:
        result.diagnostics.extend(reported)
        return candidates
    kept = [c for c in candidates if c.kind != "class" or id(namespace.attrs.get(c.name)) not in by_class]
    used = []
    for usage in by_class.values():
        cls = usage.instance.cls
        location = cls.location or usage.site
        used.append(
            Candidate(cls.name, location, lambda u=usage: u.instance, "class", list(assumed), usage, list(reported))
        )
        reported = []  # reported once, with the first model the usage code built
        result.skipped = [(name, why) for name, why in result.skipped if name != cls.name]
    return [*used, *kept]


def _instances_with_usages(candidates: list[Candidate], usages: list[Usage]) -> list[Candidate]:
    """A module-level model the usage code calls is fed as it feeds it, whatever library its class comes
    from: `model = UNet2DModel(...)` at the top and `model(sample, timestep)` under `__main__` give the
    model its two inputs."""
    fed = {id(usage.instance): usage for usage in reversed(usages) if usage.inputs or usage.named}
    return [
        replace(c, usage=fed[id(c.build())]) if c.kind == "instance" and id(c.build()) in fed else c for c in candidates
    ]


def _factories_named_as_usage(
    returned: list[tuple[Function, Instance]], module_class: ClassObject, assumed: list[Location]
) -> list[Candidate]:
    """A usage-named function that returns a model without calling one is a factory (timm's registered
    `test_byobnet()`): its model, built by that run, is a candidate like any factory function's."""
    return [
        Candidate(function.name, Location(function.source, function.node), lambda m=model: m, "function", list(assumed))
        for function, model in returned
        if is_module(model, module_class)
    ]


def _unwrapped(function: Function) -> Function:
    """The function a decorator wrapped with `functools.wraps` (torchvision's `@handle_legacy_interface`)."""
    seen = 0
    while isinstance(function.attrs.get("__wrapped__"), Function) and seen < 20:
        function = function.attrs["__wrapped__"]
        seen += 1
    return function


def _defined_here(cls: ClassObject, source: SourceFile) -> bool:
    return cls.location is not None and cls.location.source is source


def _needs_message(cls: ClassObject) -> str:
    """Which arguments a class's constructor needs: what `--model` has to give."""
    init = cls.lookup("__init__")
    names = [p.name for p in init.params[1:] if p.default is REQUIRED and p.kind not in VARIADIC]
    return f"its constructor needs arguments ({', '.join(names)})"


def _needs_arguments(function: Any, skip_self: bool) -> bool:
    if not isinstance(function, Function):
        return False
    params = function.params[1:] if skip_self else function.params
    return any(
        p.default is REQUIRED and p.kind not in (ParamKind.VAR_POSITIONAL, ParamKind.VAR_KEYWORD) for p in params
    )


def _named_candidate(interp: Interpreter, source: SourceFile, namespace: Namespace, model: str) -> Candidate:
    """`--model Name`, `--model factory` or `--model 'Call(args)'`, evaluated in the file's scope."""
    try:
        expression = ast.parse(model.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        raise StaticFlopsError(
            Diagnostic(SF004, f"--model '{model}' is neither a name nor a call expression", source.path)
        ) from None
    scope = Scope(source, namespace.attrs, vars=namespace.attrs)
    if isinstance(expression, ast.Name) and expression.id not in namespace.attrs:
        names = sorted(
            n
            for n, v in namespace.attrs.items()
            if not n.startswith("_")
            and (
                isinstance(v, Instance)
                or (isinstance(v, ClassObject) and _defined_here(v, source))
                or (isinstance(v, Function) and v.source is source)
            )
        )
        raise StaticFlopsError(
            Diagnostic(
                SF004, f"--model '{model}' is not defined in this file; defined here: {', '.join(names)}", source.path
            )
        )
    site = Location(source, expression)
    value_node = namespace.attrs.get(expression.id) if isinstance(expression, ast.Name) else None
    location = site
    if isinstance(value_node, ClassObject) and value_node.location is not None:
        location = value_node.location
    elif isinstance(value_node, Function):
        location = Location(value_node.source, value_node.node)

    def build() -> Any:
        value = interp.eval(expression, scope)
        if isinstance(value, (ClassObject, Function)):
            value = interp.call(value, [], {}, site)
        return value

    return Candidate(model, location, build)


def _build(interp: Interpreter, candidate: Candidate, explicit: bool) -> tuple[Instance | None, list[Diagnostic]]:
    module_class = torch_state(interp).module_class
    start = len(interp.assumed)
    try:
        root = candidate.build()
    except AnalyzedException as exc:
        interp.report(SF306, f"building '{candidate.name}' raised {exc.type_name}: {exc.message}", exc.location)
        root = None
    except ShapeError as error:
        interp.report(error.code, error.message, error.site or interp.current)
        root = None
    except EXHAUSTED as exhausted:
        where = getattr(exhausted, "location", None) or interp.current
        interp.report(SF303, f"{exhaustion_message(exhausted)} while building '{candidate.name}'", where)
        root = None
    except (Return, Break, Continue):
        root = None
    candidate.assumed = [*candidate.assumed, *interp.assumed[start:]]
    diagnostics, interp.diagnostics = [*candidate.diagnostics, *interp.diagnostics], []
    if root is not None and not is_module(root, module_class):
        if explicit:
            diagnostics.append(
                Diagnostic(
                    SF004,
                    f"--model '{candidate.name}' does not build an nn.Module (got {root!r})",
                    candidate.location.file,
                )
            )
        root = None
    return root, diagnostics


def _why_not_built(diagnostics: list[Diagnostic]) -> str:
    """The failure a skipped candidate is listed with: its first error or warning, not a note on an
    assumption made on the way there."""
    failures = [d for d in diagnostics if d.severity is not Severity.INFO]
    return (failures or diagnostics)[0].message if diagnostics else "it did not build"


def _drop_submodels(
    built: list[tuple[Candidate, Instance, list[Diagnostic]]],
) -> list[tuple[Candidate, Instance, list[Diagnostic]]]:
    """Without --model, a class that is only a part of another model is a block, not a model;
    and a class whose instance is bound at module level (`model = Net()`) is reported once."""
    parts = {id(module.cls) for _, root, _ in built for _, module in list(named_modules(root))[1:]}
    built_elsewhere = {id(root.cls) for candidate, root, _ in built if candidate.kind == "instance"}
    return [
        (candidate, root, diagnostics)
        for candidate, root, diagnostics in built
        # variables and factory functions are models by intent; only a class can be a mere block
        if candidate.kind != "class" or (id(root.cls) not in parts and id(root.cls) not in built_elsewhere)
    ]


def _drop_helpers(
    built: list[tuple[Candidate, Instance, list[Diagnostic]]], result: FileResult
) -> list[tuple[Candidate, Instance, list[Diagnostic]]]:
    """A class with no parameters and no layers (a GELU variant, a channel shuffle) is a helper, never
    "the model", when the file has a bigger one: one that was built, or one skipped for its arguments."""

    def is_helper(candidate: Candidate, root: Instance) -> bool:
        alone = len(list(named_modules(root))) == 1
        return candidate.kind == "class" and alone and next(named_parameters(root), None) is None

    helpers = [entry for entry in built if is_helper(entry[0], entry[1])]
    needs_arguments = any(why.startswith("its constructor needs arguments") for _, why in result.skipped)
    if not helpers or (len(helpers) == len(built) and not needs_arguments):
        return built
    for candidate, _, _ in helpers:
        result.skipped.append((candidate.name, "a helper without parameters or layers, not a model"))
    return [entry for entry in built if entry not in helpers]


# ----------------------------------------------------------------- tracing
def _run_forward(
    interp: Interpreter,
    root: Instance,
    shapes: list[Shape | None],
    named: dict[str, Shape] | None = None,
    dtype: str = "float32",
    until: Callable[[Call], bool] | None = None,
    extra: dict[str, Any] | None = None,
    symbolic: bool = True,
) -> Trace:
    """`symbolic`: whether the shapes may hold symbolic sizes (`staticflops.interning`)."""
    state = torch_state(interp)
    state.trace = Trace(
        active=True,
        until=until,
        skipped_loops_before=len(interp.skipped_loops),
        interned=Interned(symbolic=symbolic),
    )
    args = [Tensor(shape, dtype=dtype) for shape in shapes]
    kwargs = {name: Tensor(shape, dtype=dtype) for name, shape in (named or {}).items()}
    kwargs.update({name: fresh_inputs(value) for name, value in (extra or {}).items()})
    try:
        interp.call(root, args, kwargs, root.origin or interp.current)  # type: ignore[arg-type]
    finally:
        state.trace.active = False
        state.trace.stack.clear()
    return state.trace


def _first_layer(interp: Interpreter, root: Instance, paths: dict[int, str]) -> FirstLayer | None:
    """Trace on an input of unknown shape until the first catalog layer that reads it."""
    reshaped: set[int] = set()
    """Calls that only rearrange the input (`x.view(x.size(0), -1)` before the first layer)."""
    found: list[Call] = []
    patterns: dict[int, tuple[str, dict[str, Any], str]] = {}
    """einops rearranges of the input itself (a ViT's patch embedding): their pattern, lengths and name."""

    def reads_the_input(call: Call) -> bool:
        if not all(source in reshaped for source in call.sources):
            return False
        if not any(shape is None for shape in call.inputs):
            return False  # it reads only tensors of known shape: parameters, buffers (a Perceiver's latents)
        through = einops_rearrange(call, paths)
        if through is not None and not call.sources:
            patterns[call.index] = through
            reshaped.add(call.index)
            return False
        if call.module is not None and isinstance(call.spec, LayerSpec):
            found.append(call)
            return True
        if (call.module is None and call.work is None) or (call.work is not None and call.work.kind == WorkKind.FREE):
            reshaped.add(call.index)
        return False

    saved = interp.diagnostics
    interp.diagnostics = []
    try:
        _run_forward(interp, root, [None], until=reads_the_input)
    except (AnalyzedException, ShapeError, TraceStopped, *EXHAUSTED):
        pass
    finally:
        interp.diagnostics = saved
        interp._reported.clear()
    if not found:
        return None
    call = found[0]
    through = patterns.get(call.sources[0]) if len(call.sources) == 1 else None
    return FirstLayer(call.spec, dict(call.module.attrs), paths.get(id(call.module), call.type_name), through)  # type: ignore[arg-type, union-attr]


def einops_rearrange(call: Call, paths: dict[int, str]) -> tuple[str, dict[str, Any], str] | None:
    """An einops rearrange (the `Rearrange` layer or `einops.rearrange`) with its constant pattern and
    lengths, and how a message names it; None for any other call."""
    qualname = call.spec.qualname if call.spec is not None else ""
    if qualname == "einops.layers.torch.Rearrange" and call.module is not None:
        pattern, lengths = call.module.attrs.get("pattern"), call.module.attrs.get("axes_lengths")
        name = f"'{paths.get(id(call.module), call.type_name)}' (Rearrange)"
    elif qualname == "einops.rearrange":
        pattern, lengths = call.arguments.get("pattern"), call.arguments.get("axes_lengths")
        name = f"einops.rearrange at line {call.called_at.line}"
    else:
        return None
    if not isinstance(pattern, str) or not isinstance(lengths, dict):
        return None
    return pattern, lengths, name


def _trace_model(
    interp: Interpreter,
    candidate: Candidate,
    root: Instance,
    diagnostics: list[Diagnostic],
    input_shapes: list[Shape] | None,
    convention: Convention,
    named_shapes: dict[str, Shape] | None = None,
    reveal: bool = False,
    config_shapes: list[Shape] | None = None,
    batch: int | None = None,
    symbolic: SymbolicOptions | None = None,
) -> ModelResult:
    paths = {id(module): name for name, module in named_modules(root)}
    succeeded: dict[Shape, tuple[Trace, list[Diagnostic], list[Location]]] = {}
    """Inputs the shape search traced without an error: the trace, what it reported and assumed."""
    note = ""
    dtype = candidate.input_dtype or "float32"
    usage = candidate.usage
    forward_kwargs = candidate.forward_kwargs
    if input_shapes or named_shapes:
        shapes, source = list(input_shapes or []), InputSource.GIVEN
    elif config_shapes:
        shapes, source = list(config_shapes), InputSource.CONFIG
    elif usage is not None and (usage.inputs or usage.named):
        shapes, source, dtype = list(usage.inputs), InputSource.USAGE, usage.dtype
        named_shapes = dict(usage.named) or None
        forward_kwargs = {**forward_kwargs, **usage.extra}
        note = f"from usage at {usage.site.file}:{usage.site.line}"
        diagnostics.append(
            Diagnostic(
                SF304,
                f"input {', '.join(str(list(s)) for s in shapes)} for '{candidate.name}' {note}; "
                "pass --input-shape to choose another",
                usage.site.file,
                usage.site.line,
                usage.site.column,
            )
        )
    else:
        first = _first_layer(interp, root, paths)
        inferred = shape_for(first) if first is not None else None
        step = 1
        if first is not None and first.through is not None:
            through = shape_through(first, inferred)
            inferred, step = (None, 1) if through is None else (through[:2], through[2])
        if first is not None and first.spec.name == "Embedding":
            length, why = sequence_length(root)
            inferred, dtype = ((1, length), f"token ids for '{first.path}' (Embedding), {why}"), "int64"
        if inferred is None:
            shapes, source = [], InputSource.DEFAULT
            diagnostics.append(
                Diagnostic(
                    SF004,
                    f"cannot infer the input shape of '{candidate.name}'; pass --input-shape",
                    candidate.location.file,
                    candidate.location.line,
                    candidate.location.column,
                )
            )
        else:
            shape, note = inferred
            # token ids whose length a configuration gave are inferred; otherwise a default was used
            source = InputSource.INFERRED if "configured" in note else InputSource.DEFAULT

            def attempt(trial: Shape) -> None:
                # each attempt reports every place afresh, so the one that succeeds at the size finally
                # chosen is the model's trace, with all it reported: the model is not traced twice
                interp._reported.clear()
                reported, assumed_from = len(interp.diagnostics), len(interp.assumed)
                try:
                    trace = _run_forward(interp, root, [trial], dtype=dtype, symbolic=symbolic is not None)
                except (AnalyzedException, *EXHAUSTED) as failure:
                    # not a size problem: the search stops here, and the real trace reports it
                    raise ShapeError(SF306, str(failure)) from None
                succeeded[trial] = (trace, interp.diagnostics[reported:], interp.assumed[assumed_from:])

            declared = declared_image_size(root) if len(shape) == 4 else None
            solved, solved_note = shape, None
            if declared is not None:
                size, why = declared
                try:
                    attempt((*shape[:2], *size))
                    solved, solved_note = (*shape[:2], *size), why
                except ShapeError:
                    declared = None  # the declared size does not fit the layers: solve for one that does
            if declared is None:
                solved, solved_note = solve_spatial(shape, attempt, step)
            interp._reported.clear()
            if solved_note:
                shape, note, source = solved, f"{note}; {solved_note}", InputSource.INFERRED
            shapes = [shape]
            diagnostics.append(
                Diagnostic(
                    SF304,
                    f"input shape {list(shape)} assumed for '{candidate.name}' ({note}); "
                    f"pass --input-shape to choose another",
                    candidate.location.file,
                    candidate.location.line,
                    candidate.location.column,
                )
            )
    if batch is not None:  # the same model at another batch size: every input's first dimension
        shapes = [(batch, *shape[1:]) if shape else shape for shape in shapes]
        named_shapes = {name: (batch, *shape[1:]) for name, shape in (named_shapes or {}).items()} or None
    interp.diagnostics = []
    model_diagnostics = diagnostics

    def finish(
        shapes: list[Shape],
        named_shapes: dict[str, Shape] | None,
        fresh: bool = False,
        traced: Callable[[], None] | None = None,
        again: bool = False,
        measure: Callable[..., Any] | None = None,
    ) -> Any:
        """Trace at these inputs (unless the shape search already did) and make the result; `fresh` traces
        anew, with diagnostics of its own (the symbolic run's traces), `again` reporting places already
        reported (a check at another size); `traced` is told when the trace ends; `measure`, when given,
        is handed the trace instead of making the result (the symbolic run's checks need only totals)."""
        diagnostics = list(model_diagnostics) if fresh else model_diagnostics
        trace = Trace()
        revealer = None
        if reveal and not fresh:
            from staticflops.torchmodel.reveal import Revealer  # `staticflops shapes` only

            revealer = Revealer()
        if revealer is not None:
            interp.hooks["reveal"] = revealer
        traced_from = len(interp.assumed)
        reuse = not fresh and len(shapes) == 1 and not named_shapes and revealer is None
        probed = succeeded.get(shapes[0]) if reuse else None
        if probed is not None:  # the shape search already traced the model at this very input
            trace, probe_diagnostics, probe_assumed = probed
            interp.diagnostics.extend(probe_diagnostics)
            interp.assumed.extend(probe_assumed)
        elif shapes or named_shapes:
            interp.budget = Budget(interp.limits)
            if again:
                interp._reported.clear()
            try:
                trace = _run_forward(
                    interp,
                    root,
                    shapes,  # type: ignore[arg-type]
                    named_shapes,
                    dtype,
                    extra=forward_kwargs,
                    symbolic=symbolic is not None,
                )
            except ShapeError as error:
                trace = torch_state(interp).trace
                layer = paths.get(id(error.module)) if error.module is not None else None
                where = f"layer '{layer}' ({error.module.cls.name}): " if layer else ""
                message = f"{where}{error.message} (in '{candidate.name}')"
                interp.report(error.code, message, error.site or interp.current)
            except AnalyzedException as exc:
                trace = torch_state(interp).trace
                message = f"forward() of '{candidate.name}' raised {exc.type_name}: {exc.message}"
                interp.report(SF306, message, exc.location)
            except EXHAUSTED as exhausted:
                trace = torch_state(interp).trace
                where = getattr(exhausted, "location", None) or interp.current
                interp.report(SF303, f"{exhaustion_message(exhausted)} while tracing '{candidate.name}'", where)
        if traced is not None:
            traced()
        diagnostics.extend(interp.diagnostics)
        interp.diagnostics = []
        interp.hooks.pop("reveal", None)
        all_shapes = [*shapes, *(named_shapes or {}).values()]
        if measure is not None:
            return measure(trace.calls, root, all_shapes, diagnostics, convention)
        assumed = [*candidate.assumed, *interp.assumed[traced_from:]]
        diagnostics.extend(_assumptions_diagnostic(candidate, assumed))
        result = _model_result(
            candidate, root, paths, trace.calls, all_shapes, source, note, diagnostics, convention, symbolic is not None
        )
        result.assumptions = _places(assumed)
        result.revealed = revealer.lines() if revealer is not None else []
        return result

    if symbolic is not None:
        from staticflops.symbolic.trace import trace_symbolically

        return trace_symbolically(symbolic, shapes, named_shapes, finish, lambda: interp.current)
    return finish(shapes, named_shapes)


def _places(sites: list[Location]) -> list[str]:
    """`file:line` of each site, once each, in order."""
    return list(dict.fromkeys(f"{site.file}:{site.line}" for site in sites))


def _assumptions_diagnostic(candidate: Candidate, assumed: list[Location]) -> list[Diagnostic]:
    """The model's numbers hold only if the conditions decided by policy went the assumed way: say so
    at the model, since which layers exist, what they hold or which are called may depend on them."""
    places = _places(assumed)
    if not places:
        return []
    shown = ", ".join(places[:4]) + (", ..." if len(places) > 4 else "")
    count = f"{len(places)} unknown condition{'s' if len(places) > 1 else ''}"
    return [
        Diagnostic(
            SF304,
            f"the layers and numbers of '{candidate.name}' depend on {count} decided by assumption ({shown}); "
            "they hold only if those assumptions do",
            candidate.location.file,
            candidate.location.line,
            candidate.location.column,
        )
    ]


IMAGE_ATTRIBUTES = ("img_size", "image_size", "input_size", "resolution", "input_resolution", "crop_size")
"""Attributes in which models keep the image size they are built for (a ViT's `img_size=224`)."""


def declared_image_size(root: Instance) -> tuple[tuple[int, int], str] | None:
    """The image size the model (or its first parts: a patch embedding) declares, nearest the root first."""
    seen: set[int] = set()
    pending: list[tuple[Any, int]] = [(root, 0)]
    while pending:
        obj, depth = pending.pop(0)
        if not isinstance(obj, Instance) or id(obj) in seen or depth > 2:
            continue
        seen.add(id(obj))
        for name in IMAGE_ATTRIBUTES:
            value = obj.attrs.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                value = (value, value)
            if isinstance(value, (tuple, list)) and len(value) == 3 and all(isinstance(v, int) for v in value):
                value = tuple(value[1:])  # (C, H, W), as timm's input_size
            pair = isinstance(value, (tuple, list)) and len(value) == 2
            if pair and all(isinstance(v, int) and v > 0 for v in value):
                return (value[0], value[1]), f"image size {value[0]}×{value[1]} from the model's '{name}'"
        children = obj.attrs.get("_modules", {})
        pending.extend((m, depth + 1) for m in children.values() if isinstance(m, Instance))
    return None


def sequence_length(root: Instance) -> tuple[int, str]:
    """The length of a token-id input: a configured block size if the model keeps one, else the default."""
    seen: set[int] = set()
    pending: list[Any] = [root]
    while pending:
        obj = pending.pop(0)
        if not isinstance(obj, Instance) or id(obj) in seen:
            continue
        seen.add(id(obj))
        for name in SEQUENCE_ATTRIBUTES:
            value = obj.attrs.get(name)
            if isinstance(value, int) and value > 0:
                return value, f"sequence length {value} from the configured '{name}'"
        pending.extend(v for v in obj.attrs.values() if isinstance(v, Instance))
        pending.extend(m for m in obj.attrs.get("_modules", {}).values() if isinstance(m, Instance))
    return DEFAULT_SEQUENCE, f"the default sequence length {DEFAULT_SEQUENCE} (no configured block size found)"


def _model_result(
    candidate: Candidate,
    root: Instance,
    paths: dict[int, str],
    calls: list[Call],
    shapes: list[Shape],
    source: InputSource,
    note: str,
    diagnostics: list[Diagnostic],
    convention: Convention,
    symbolic: bool = True,
) -> ModelResult:
    params_complete = all(t.shape is not None for _, t in named_parameters(root)) and not any(
        "__sf_unknown__" in module.attrs
        or "__sf_unknown_parts__" in module.attrs
        or any(klass.metadata.get("assumed_module_base") for klass in module.cls.mro)
        for _, module in named_modules(root)
    )
    params = sum(t.numel() or 0 for _, t in named_parameters(root))
    # ptflops' batch: the first dimension of a single input (several inputs reach it as keywords)
    batch = shapes[0][0] if len(shapes) == 1 and shapes[0] else 1
    layers, unknown = _consume(calls, paths, convention, batch, symbolic)
    diagnostics = [*diagnostics, *_unknown_downstream(unknown, paths)]
    failed = any(d.severity is Severity.ERROR for d in diagnostics)
    flops_complete = all(layer.flops is not None for layer in layers) and bool(shapes) and not failed
    return ModelResult(
        name=candidate.name,
        file=candidate.location.file,
        line=candidate.location.line,
        inputs=shapes,
        input_source=str(source),
        input_note=note,
        params=params,
        flops=sum(layer.flops or 0 for layer in layers),
        macs=sum(layer.macs or 0 for layer in layers),
        layers=layers,
        diagnostics=diagnostics,
        params_complete=params_complete,
        flops_complete=flops_complete,
    )


def _consume(
    calls: list[Call], paths: dict[int, str], convention: Convention, batch: int, symbolic: bool
) -> tuple[list[LayerResult], list[Call]]:
    """Each call's layer record, and the calls whose cost is unknown (few: `_unknown_downstream` names
    them). The trace is emptied as it is read: a call holds its interpreter objects (the site's parse
    node, the arguments as bound), and freeing each once its record is made keeps a deep model's peak
    memory from holding both the whole trace and all the records."""
    interned = Interned(symbolic=symbolic)
    layers: list[LayerResult] = []
    unknown: list[Call] = []
    seen: set[int] = set()  # the parameter tensors earlier calls' modules hold (`first_params`)
    calls.reverse()
    while calls:
        call = calls.pop()
        layer = _layer_result(call, paths, convention, batch, interned)
        tensors = [] if call.module is None else _own_tensors(call.module)
        layer.first_params = sum(t.numel() or 0 for t in tensors if id(t) not in seen)
        seen.update(id(t) for t in tensors)
        if layer.flops is None:
            unknown.append(call)
        layers.append(layer)
    return layers, unknown


def _unknown_downstream(unknown: list[Call], paths: dict[int, str]) -> list[Diagnostic]:
    """For each call whose cost is unknown although its inputs were known (an op the catalog lacks),
    how many later calls are left unknown because their inputs flow from it: what the gap costs.
    `unknown`: the calls whose cost is unknown, in call order."""
    by_index = {call.index: call for call in unknown}
    origin_of: dict[int, set[int]] = {}
    found: list[Diagnostic] = []
    for call in unknown:
        origins = set().union(*(origin_of.get(s, set()) for s in call.sources if s in by_index))
        if not origins:
            origin_of[call.index] = {call.index}
        else:
            origin_of[call.index] = origins
    for origin in sorted({i for i, roots in origin_of.items() if roots == {i}}):
        downstream = [i for i, roots in origin_of.items() if origin in roots and i != origin]
        if not downstream:
            continue
        call = by_index[origin]
        names = [_layer_name(by_index[i], paths) for i in downstream]
        shown = ", ".join(f"'{n}'" for n in names[:5]) + (", ..." if len(names) > 5 else "")
        where = call.called_at
        what = "a call of an unknown value" if call.type_name == "?" else f"'{call.type_name}'"
        found.append(
            Diagnostic(
                SF305,
                f"the unknown output of {what} leaves {len(names)} later "
                f"{'layer' if len(names) == 1 else 'layers'} without a cost ({shown}); the total is a lower bound",
                where.file,
                where.line,
                where.column,
            )
        )
    return found


def _layer_name(call: Call, paths: dict[int, str]) -> str:
    if call.module is not None:
        return paths.get(id(call.module)) or call.type_name
    return call.type_name


PLAIN = (int, float, complex, str, bool, type(None))


def plain_data(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """What a convention reads of a call, as plain data: numbers, strings, tuples and dicts of them.
    Results cross process boundaries (`--jobs`) and go into the cache; interpreter objects (a layer's
    submodules, a function passed as an argument, an unknown) stay behind."""
    return {k: v for k, v in ((k, _plain(v)) for k, v in mapping.items()) if v is not _DROP}


def _plain(value: Any) -> Any:
    """`value` as plain data, or `_DROP`. (A function of the module, not a closure that calls itself:
    that would be a reference cycle, garbage until the cycle collector runs, at every call.)"""
    if isinstance(value, PLAIN):
        return value
    if isinstance(value, (tuple, list)):
        items = [_plain(item) for item in value]
        return _DROP if any(item is _DROP for item in items) else type(value)(items)
    if isinstance(value, dict):
        return {k: v for k, v in ((k, _plain(v)) for k, v in value.items()) if v is not _DROP}
    return _DROP


_DROP = object()


def _own_tensors(module: Instance) -> list[Tensor]:
    """A layer's own parameters, and the originals its weight reparametrizations hold
    (`parametrizations.weight.original0`): they are its weight, never called on their own."""
    own = [t for t in module.attrs.get("_parameters", {}).values() if isinstance(t, Tensor)]
    reparametrized = module.attrs.get("_modules", {}).get("parametrizations")
    if isinstance(reparametrized, Instance):
        own.extend(t for _, t in named_parameters(reparametrized))
    return own


def _own_parameters(module: Instance) -> int:
    return sum(t.numel() or 0 for t in _own_tensors(module))


def _layer_result(
    call: Call, paths: dict[int, str], convention: Convention, batch: int, interned: Interned
) -> LayerResult:
    parent = paths.get(id(call.parent), "") if call.parent is not None else ""
    if call.module is not None:
        path = paths.get(id(call.module)) or ".".join(p for p in (parent, call.type_name) if p)
        built_at = call.module.origin or call.called_at
        params = _own_parameters(call.module)
    else:
        path = ".".join(p for p in (parent, call.op_name) if p)
        built_at = call.called_at
        params = 0
    works = () if call.work is None else interned.value(tuple(interned.value(w) for w in as_works(call.work)))
    qualname = call.spec.qualname if call.spec is not None else call.type_name
    exact = call.module is not None and call.spec is not None and call.module.cls.metadata.get("spec") is call.spec
    # the shapes, aliases and arguments are plain data the trace shared as it recorded them
    inputs, output = call.inputs, call.output
    qualname, spelling = interned.text(qualname), interned.text(call.spelling or qualname)
    attributes = interned.mapping(plain_data(layer_hyper(call.module)) if call.module is not None else {})
    parts = [qualname, spelling, exact, inputs, output, call.aliases, attributes, call.arguments, batch]
    caller = interned.composite(parts, lambda: Caller(*parts))
    return LayerResult(
        path=path,
        type=interned.text(call.type_name),
        file=built_at.file,
        line=built_at.line,
        column=built_at.column,
        call_line=call.called_at.line,
        inputs=list(inputs),
        output=output,
        params=params,
        flops=None if call.work is None else interned.value(price(works, convention, caller)),
        macs=None if call.work is None else interned.value(multiply_accumulates(works)),
        kind=works[0].kind if len(works) == 1 else None,
        index=call.index,
        caller=caller,
        works=works,
        sources=call.sources,
    )
