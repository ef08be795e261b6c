"""From a parsed file to analyzed models: find the models, build each one, trace its
`forward()` on shape-only inputs, and turn the trace into results.

A model's failure (a shape error, a `raise` reached, a budget exhausted) ends that
model's analysis with a diagnostic; the file's other models go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import libcst as cst

from staticflops.catalog import LayerSpec, Shape, ShapeError, WorkKind, as_works
from staticflops.conventions import Caller, Convention, multiply_accumulates, price
from staticflops.diagnostics import SF004, SF303, SF304, SF306, Diagnostic, Severity
from staticflops.errors import StaticFlopsError
from staticflops.interpreter.budget import Budget, BudgetExhausted, Limits
from staticflops.interpreter.builtins import make_builtins
from staticflops.interpreter.errors import AnalyzedException, Break, Continue, Return
from staticflops.interpreter.evaluator import Interpreter, NativeModules
from staticflops.interpreter.scope import Scope
from staticflops.interpreter.stdlib import install_stdlib
from staticflops.interpreter.values import REQUIRED, ClassObject, Function, Instance, Namespace, ParamKind
from staticflops.results import FileResult, LayerResult, ModelResult
from staticflops.shapes import DEFAULT_SEQUENCE, SEQUENCE_ATTRIBUTES, FirstLayer, InputSource, shape_for, solve_spatial
from staticflops.source import Location, Project, SourceFile
from staticflops.torchmodel.module import is_module, layer_hyper, named_modules, named_parameters
from staticflops.torchmodel.namespace import install_torch
from staticflops.torchmodel.reveal import Revealer
from staticflops.torchmodel.state import torch_state
from staticflops.torchmodel.tensor import Tensor
from staticflops.torchmodel.trace import Call, Trace, TraceStopped


@dataclass
class Candidate:
    name: str
    location: Location
    build: Any
    """A callable of no arguments returning the model (an `Instance`)."""
    kind: str = "expression"
    """`instance` (a module-level variable), `class`, `function` or `expression` (--model)."""


def new_interpreter(project: Project, limits: Limits) -> Interpreter:
    natives = NativeModules()
    interp = Interpreter(project, natives, make_builtins(), limits)
    install_stdlib(interp, natives)
    install_torch(interp, natives)
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
) -> FileResult:
    """Analyze one file. Files of one run share `interp`, so a module they all import runs once."""
    result = FileResult(source.path)
    interp = interp or new_interpreter(project, limits)
    interp.budget = Budget(limits)
    interp.diagnostics = []
    try:
        namespace = interp.run_module(source)
    except (BudgetExhausted, RecursionError) as exhausted:
        where = getattr(exhausted, "location", None) or interp.current
        interp.report(SF303, f"{exhausted} while running module-level code", where)
        result.diagnostics.extend(interp.diagnostics)
        return result
    result.diagnostics.extend(interp.diagnostics)
    interp.diagnostics = []
    module_class = torch_state(interp).module_class
    if model is not None:
        candidates = [_named_candidate(interp, source, namespace, model)]
    else:
        candidates = _discover(interp, source, namespace, module_class, result)
    built: list[tuple[Candidate, Instance, list[Diagnostic]]] = []
    for candidate in candidates:
        interp.budget = Budget(limits)
        root, diagnostics = _build(interp, candidate, explicit=model is not None)
        if root is None:
            if model is not None:
                result.diagnostics.extend(diagnostics)
            else:
                reason = diagnostics[0].message if diagnostics else "it did not build"
                result.skipped.append((candidate.name, reason))
            continue
        built.append((candidate, root, diagnostics))
    if model is None:
        built = _drop_submodels(built)
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
                result.skipped.append((name, "its constructor needs arguments"))
                continue
            build = lambda value=value: interp.call(value, [], {}, value.location)  # noqa: E731
            candidates.append(Candidate(name, value.location, build, "class"))
        elif (
            isinstance(value, Function)
            and not name.startswith("_")
            and isinstance(_unwrapped(value).node, cst.FunctionDef)
            and _unwrapped(value).source is source
            and not _needs_arguments(_unwrapped(value), skip_self=False)
        ):
            location = Location(source, _unwrapped(value).node)
            build = lambda v=value, loc=location: interp.call(v, [], {}, loc)  # noqa: E731
            candidates.append(Candidate(name, location, build, "function"))
    return candidates


def _unwrapped(function: Function) -> Function:
    """The function a decorator wrapped with `functools.wraps` (torchvision's `@handle_legacy_interface`)."""
    seen = 0
    while isinstance(function.attrs.get("__wrapped__"), Function) and seen < 20:
        function = function.attrs["__wrapped__"]
        seen += 1
    return function


def _defined_here(cls: ClassObject, source: SourceFile) -> bool:
    return cls.location is not None and cls.location.source is source


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
        expression = cst.parse_expression(model)
    except cst.ParserSyntaxError:
        raise StaticFlopsError(
            Diagnostic(SF004, f"--model '{model}' is neither a name nor a call expression", source.path)
        ) from None
    scope = Scope(source, namespace.attrs, vars=namespace.attrs)
    if isinstance(expression, cst.Name) and expression.value not in namespace.attrs:
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
    value_node = namespace.attrs.get(model) if isinstance(expression, cst.Name) else None
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
    try:
        root = candidate.build()
    except AnalyzedException as exc:
        interp.report(SF306, f"building '{candidate.name}' raised {exc.type_name}: {exc.message}", exc.location)
        root = None
    except ShapeError as error:
        interp.report(error.code, error.message, error.site or interp.current)
        root = None
    except (BudgetExhausted, RecursionError) as exhausted:
        where = getattr(exhausted, "location", None) or interp.current
        interp.report(SF303, f"{exhausted} while building '{candidate.name}'", where)
        root = None
    except (Return, Break, Continue):
        root = None
    diagnostics, interp.diagnostics = interp.diagnostics, []
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


# ----------------------------------------------------------------- tracing
def _run_forward(
    interp: Interpreter,
    root: Instance,
    shapes: list[Shape | None],
    named: dict[str, Shape] | None = None,
    dtype: str = "float32",
    until: Callable[[Call], bool] | None = None,
) -> Trace:
    state = torch_state(interp)
    state.trace = Trace(active=True, until=until, skipped_loops_before=len(interp.skipped_loops))
    args = [Tensor(shape, dtype=dtype) for shape in shapes]
    kwargs = {name: Tensor(shape, dtype=dtype) for name, shape in (named or {}).items()}
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

    def reads_the_input(call: Call) -> bool:
        if not all(source in reshaped for source in call.sources):
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
    except (AnalyzedException, ShapeError, BudgetExhausted, RecursionError, TraceStopped):
        pass
    finally:
        interp.diagnostics = saved
        interp._reported.clear()
    if not found:
        return None
    call = found[0]
    return FirstLayer(call.spec, dict(call.module.attrs), paths.get(id(call.module), call.type_name))  # type: ignore[arg-type, union-attr]


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
) -> ModelResult:
    paths = {id(module): name for name, module in named_modules(root)}
    note = ""
    dtype = "float32"
    if input_shapes or named_shapes:
        shapes, source = list(input_shapes or []), InputSource.GIVEN
    elif config_shapes:
        shapes, source = list(config_shapes), InputSource.CONFIG
    else:
        first = _first_layer(interp, root, paths)
        inferred = shape_for(first) if first is not None else None
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
                try:
                    _run_forward(interp, root, [trial], dtype=dtype)
                except (AnalyzedException, BudgetExhausted, RecursionError) as failure:
                    # not a size problem: the search stops here, and the real trace reports it
                    raise ShapeError(SF306, str(failure)) from None

            solved, solved_note = solve_spatial(shape, attempt)
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
    trace = Trace()
    revealer = Revealer() if reveal else None
    if revealer is not None:
        interp.hooks["reveal"] = revealer
    if shapes or named_shapes:
        interp.budget = Budget(interp.limits)
        try:
            trace = _run_forward(interp, root, shapes, named_shapes, dtype)  # type: ignore[arg-type]
        except ShapeError as error:
            trace = torch_state(interp).trace
            layer = paths.get(id(error.module)) if error.module is not None else None
            where = f"layer '{layer}' ({error.module.cls.name}): " if layer else ""
            interp.report(error.code, f"{where}{error.message} (in '{candidate.name}')", error.site or interp.current)
        except AnalyzedException as exc:
            trace = torch_state(interp).trace
            interp.report(SF306, f"forward() of '{candidate.name}' raised {exc.type_name}: {exc.message}", exc.location)
        except (BudgetExhausted, RecursionError) as exhausted:
            trace = torch_state(interp).trace
            where = getattr(exhausted, "location", None) or interp.current
            interp.report(SF303, f"{exhausted} while tracing '{candidate.name}'", where)
    diagnostics.extend(interp.diagnostics)
    interp.diagnostics = []
    interp.hooks.pop("reveal", None)
    all_shapes = [*shapes, *(named_shapes or {}).values()]
    result = _model_result(candidate, root, paths, trace.calls, all_shapes, source, note, diagnostics, convention)
    result.revealed = revealer.lines() if revealer is not None else []
    return result


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
) -> ModelResult:
    params_complete = all(t.shape is not None for _, t in named_parameters(root)) and not any(
        "__sf_unknown__" in module.attrs or "__sf_unknown_parts__" in module.attrs for _, module in named_modules(root)
    )
    params = sum(t.numel() or 0 for _, t in named_parameters(root))
    for call in calls:  # one positions pass per file for every line the report shows
        call.called_at.source.want(call.called_at.node)
        if call.module is not None and call.module.origin is not None:
            call.module.origin.source.want(call.module.origin.node)
    # ptflops' batch: the first dimension of a single input (several inputs reach it as keywords)
    batch = shapes[0][0] if len(shapes) == 1 and shapes[0] else 1
    layers = [_layer_result(call, paths, convention, batch) for call in calls]
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
        calls=calls,
    )


def _layer_result(call: Call, paths: dict[int, str], convention: Convention, batch: int) -> LayerResult:
    parent = paths.get(id(call.parent), "") if call.parent is not None else ""
    if call.module is not None:
        path = paths.get(id(call.module)) or ".".join(p for p in (parent, call.type_name) if p)
        built_at = call.module.origin or call.called_at
        params = sum(t.numel() or 0 for t in call.module.attrs.get("_parameters", {}).values() if isinstance(t, Tensor))
    else:
        path = ".".join(p for p in (parent, call.op_name) if p)
        built_at = call.called_at
        params = 0
    works = () if call.work is None else as_works(call.work)
    qualname = call.spec.qualname if call.spec is not None else call.type_name
    exact = call.module is not None and call.spec is not None and call.module.cls.metadata.get("spec") is call.spec
    caller = Caller(
        qualname,
        exact_module=exact,
        inputs=call.inputs,
        output=call.output,
        aliases=call.aliases,
        attributes=layer_hyper(call.module) if call.module is not None else {},
        arguments=call.arguments,
        batch=batch,
    )
    return LayerResult(
        path=path,
        type=call.type_name,
        file=built_at.file,
        line=built_at.line,
        column=built_at.column,
        call_line=call.called_at.line,
        inputs=list(call.inputs),
        output=call.output,
        params=params,
        flops=None if call.work is None else price(call.work, convention, caller),
        macs=None if call.work is None else multiply_accumulates(call.work),
        kind=works[0].kind if len(works) == 1 else None,
        index=call.index,
        caller=caller,
        works=works,
        sources=call.sources,
    )
