"""`staticflops config.json`: a Hugging Face model priced from its configuration, with no weights
and no torch.

The file is read the way `from_pretrained` reads it, and the model is built the way
`AutoModel....from_config` builds it, but by the interpreter, from the installed `transformers`'
own source (never imported):

1. `model_type` names the package `transformers/models/<model_type>/` (`-` read as `_`);
   `architectures[0]` (or `--model`) is the class of its `modeling_<model_type>.py`;
2. the configuration class is that architecture's `config_class`, called with the file's values as
   keywords: its dataclass defaults, then the file's values, as `PreTrainedConfig.from_dict` does;
3. the architecture is called with that configuration, and its `forward` traced on its main input
   (`input_ids` of 1×128 unless `--input-shape` says otherwise) with `use_cache=False`.

The driver is data handed to the interpreter (names, a dict of values, shapes), never generated
Python text. What the file does not let us know is a diagnostic with the file's path (SF008).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from staticflops.catalog import Shape, ShapeError
from staticflops.diagnostics import SF004, SF008, SF303, SF304, Diagnostic
from staticflops.interpreter.budget import EXHAUSTED, Budget, Limits, exhaustion_message
from staticflops.interpreter.errors import AnalyzedException
from staticflops.interpreter.evaluator import Interpreter
from staticflops.interpreter.values import (
    REQUIRED,
    ClassObject,
    Function,
    Instance,
    Namespace,
    ParamKind,
)
from staticflops.results import FileResult
from staticflops.shapes import InputSource
from staticflops.source import Location, Project
from staticflops.symbolic.options import SymbolicOptions
from staticflops.torchmodel.tensor import Tensor

DEFAULT_LENGTH = 128
"""Tokens per sequence when `--input-shape` does not say: long enough that attention's quadratic
term shows, short enough to be any model's valid context."""

DEFAULT_ATTENTION = "sdpa"
"""The attention implementation said when the configuration does not tell: transformers' own dispatch
(`_check_and_adjust_attn_implementation`, read from source) picks `sdpa` where the architecture supports
it, else `eager`; both compute the same products (docs/transformers.md)."""

CACHE_ARGUMENTS = ("cache", "past_key_values")
"""How a forward names its key/value cache: `cache` from transformers 5.x (`past_key_values` deprecated)."""

EXPERTS = "batched_mm"
"""How mixture-of-experts layers are priced: transformers' `batched_mm` experts compute each token with
its `num_experts_per_tok` routed experts, with no data-dependent grouping, which is the work of the
experts as configured (the default `grouped_mm` does the same products in groups whose sizes the
routing decides)."""

DECODER_INPUT = "decoder_input_ids"
"""An encoder-decoder's target tokens (T5, BART, Marian...): by default as many as the source's."""

MAIN_INPUTS = ("input_ids", "pixel_values", "input_features", "input_values")
"""A forward's main input, in the order transformers' models name them."""


class ConfigError(Exception):
    """The file cannot be read as a model configuration; the message says why."""


@dataclass
class HFConfig:
    """What the file says: the values `from_pretrained` would pass, and where to find the code."""

    path: Path
    values: dict[str, Any]
    model_type: str
    architecture: str | None
    torch_dtype: str = "float32"
    extra: dict[str, Any] = field(default_factory=dict)


def read_config(path: Path) -> HFConfig:
    """Parse and check `config.json`; `ConfigError` when it is not a model configuration."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the file: {error}") from None
    try:
        values = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    if not isinstance(values, dict):
        raise ConfigError(f"a model configuration is a JSON object, not {type(values).__name__}")
    model_type = values.get("model_type")
    if not isinstance(model_type, str) or not model_type:
        raise ConfigError(
            'no \'model_type\': a Hugging Face config.json names its model family ("model_type": "llama")'
        )
    architectures = values.get("architectures")
    architecture = architectures[0] if isinstance(architectures, list) and architectures else None
    dtype = values.get("torch_dtype", values.get("dtype"))
    return HFConfig(path, values, model_type, architecture if isinstance(architecture, str) else None,
                    dtype if isinstance(dtype, str) else "float32")  # fmt: skip


def modeling_module(
    project: Project, model_type: str, interp: Interpreter | None = None, architecture: str | None = None
) -> str:
    """The dotted name of the modeling module for `model_type`; `ConfigError` when there is none. A
    model type whose package is named otherwise (`openai-gpt` is `openai`) is looked up as transformers
    looks it up, by `model_type_to_module_name` of its auto module, read from source. A package without
    `modeling_<package>.py` (data2vec's `modeling_data2vec_text.py`, gpt-sw3's GPT-2 classes) is the
    module that defines the architecture's class, as transformers' lazy import structure finds it."""
    if project.find_module("transformers") is None:
        where = project.libraries or "the installed packages (not read: --no-site-packages)"
        raise ConfigError(
            f"'transformers' is not installed in {where}: install it (`pip install --no-deps transformers`; "
            "torch is not needed) or pass --python for the environment that has it"
        )
    package = model_type.replace("-", "_")
    dotted = f"transformers.models.{package}.modeling_{package}"
    if project.find_module(dotted) is None and interp is not None:
        package = _auto_module_name(project, interp, model_type) or package
        dotted = f"transformers.models.{package}.modeling_{package.rsplit('.', 1)[-1]}"
    if project.find_module(dotted) is None and architecture is not None:
        dotted = _defining_module(project, package, architecture) or dotted
    if project.find_module(dotted) is None:
        raise ConfigError(
            f"unknown model_type '{model_type}': the installed transformers has no module {dotted} "
            "(a newer transformers may have it; remote-code models are not read)"
        )
    return dotted


def _defining_module(project: Project, package: str, architecture: str, prefix: str = "modeling_") -> str | None:
    """The `<prefix>*.py` module whose source has a `class <architecture>` statement: those of the model's own
    package first, then every model's. The files are searched as text, never imported."""
    models = project.find_module("transformers.models")
    if models is None or not architecture.isidentifier():
        return None
    statement = re.compile(rf"^class {architecture}\b", re.MULTILINE)
    own = sorted((models.parent / package).glob(f"{prefix}*.py"))
    for path in [*own, *sorted(models.parent.glob(f"*/{prefix}*.py"))]:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if statement.search(text):
            return f"transformers.models.{path.parent.name}.{path.stem}"
    return None


def _auto_module_name(project: Project, interp: Interpreter, model_type: str) -> str | None:
    auto = "transformers.models.auto.configuration_auto"
    source = project.load_module(auto)
    if source is None:
        return None
    site = Location(source, source.module)
    try:
        module = interp.import_module(auto, site)
        function = interp.get_attribute(module, "model_type_to_module_name", site, missing_ok=True)
        name = interp.call(function, [model_type], {}, site) if function is not REQUIRED else None
    except (AnalyzedException, *EXHAUSTED):
        return None
    finally:
        interp.take_module_diagnostics()  # the auto module's own top level is not the model's
    return name if isinstance(name, str) else None


def analyze_config(
    project: Project,
    interp: Interpreter,
    path: Path,
    *,
    model: str | None,
    input_shapes: list[Shape] | None,
    named_shapes: dict[str, Shape] | None,
    convention: Any,
    limits: Limits,
    batch: int | None = None,
    decode: int | None = None,
    symbolic: SymbolicOptions | None = None,
) -> FileResult:
    """Analyze one config.json: a `FileResult` holding the architecture's model, or the diagnostic
    that says why the file could not be priced."""
    from staticflops.models import Candidate, _trace_model

    result = FileResult(str(path))
    project.note_read(path)
    try:
        config = read_config(path)
        dotted = modeling_module(project, config.model_type, interp, model or config.architecture)
    except ConfigError as error:
        result.diagnostics.append(Diagnostic(SF008, str(error), str(path)))
        return result
    interp.budget = Budget(limits)
    interp.diagnostics = []
    source = project.load_module(dotted)
    assert source is not None  # modeling_module found it
    site = Location(source, source.module)
    built = _build(interp, config, dotted, model, site, str(path))
    result.diagnostics.extend([*interp.take_module_diagnostics(), *interp.diagnostics])
    interp.diagnostics = []
    if isinstance(built, Diagnostic):
        result.diagnostics.append(built)
        return result
    root, architecture, notes = built
    main = _main_input(interp, root)
    candidate = Candidate(
        architecture.name,
        architecture.location or site,
        lambda: root,
        input_dtype="int64" if main == "input_ids" else None,
        forward_kwargs=_forward_kwargs(interp, root),
    )
    assumed_input = not input_shapes and not named_shapes
    cache_argument = next((name for name in CACHE_ARGUMENTS if _takes(interp, root, name)), None)
    if decode is not None and cache_argument is None:
        message = f"--decode: {architecture.name}.forward takes no key/value cache (past_key_values)"
        result.diagnostics.append(Diagnostic(SF008, message, str(path)))
        return result
    if decode is not None:
        interp.budget = Budget(limits)
        prefilled = _prefill(interp, root, main, decode, batch or 1, config, site, str(path), cache_argument)
        if isinstance(prefilled, Diagnostic):
            result.diagnostics.append(prefilled)
            return result
        cache, note = prefilled
        candidate.forward_kwargs = {cache_argument: cache, "use_cache": True}
        notes.append(note)
        if not input_shapes and not named_shapes:
            named_shapes = {main: (1, 1)}  # a decoding step reads one new token per sequence
    if not input_shapes and not named_shapes:
        shape = _default_shape(main, config.values)
        if shape is None:
            message = f"no default shape for '{architecture.name}''s main input '{main}'; pass --input-shape {main}=..."
            result.diagnostics.append(Diagnostic(SF004, message, str(path)))
            return result
        named_shapes = {main: shape}
        notes.append(f"input {main} {list(shape)} assumed (batch 1, default length {DEFAULT_LENGTH}); "
                     f"pass --input-shape {main}=1,L to choose another")  # fmt: skip
    if _needs_decoder_input(interp, root, main, named_shapes, decode):
        assert named_shapes is not None
        shape = named_shapes[main]
        named_shapes = {**named_shapes, DECODER_INPUT: shape}
        notes.append(f"encoder-decoder: {DECODER_INPUT} {list(shape)} assumed, as many target tokens as "
                     f"source tokens (BART derives them so from input_ids); pass --input-shape "
                     f"{DECODER_INPUT}=1,L to choose another")  # fmt: skip
    interp.budget = Budget(limits)
    traced = _trace_model(
        interp, candidate, root, [], input_shapes, convention, named_shapes, batch=batch, symbolic=symbolic
    )
    traced.diagnostics[:0] = [Diagnostic(SF304, note, str(path)) for note in notes]
    if assumed_input:
        step = "one new token" if decode is not None else f"default length {DEFAULT_LENGTH}"
        traced.input_source, traced.input_note = InputSource.DEFAULT, f"batch 1, {step}"
    result.models.append(traced)
    result.diagnostics.extend(interp.take_module_diagnostics())
    return result


DTYPE_BYTES = {"float32": 4, "float": 4, "float16": 2, "half": 2, "bfloat16": 2, "float64": 8, "double": 8,
               "int8": 1, "uint8": 1, "float8_e4m3fn": 1, "float8_e5m2": 1}  # fmt: skip
"""Bytes per element of the dtypes a config's `torch_dtype` names."""


def _prefill(
    interp: Interpreter,
    root: Instance,
    main: str,
    length: int,
    batch: int,
    config: HFConfig,
    site: Location,
    path: str,
    argument: str,
) -> tuple[Instance, str] | Diagnostic:
    """A `DynamicCache` filled as generation fills it: a forward of `length` tokens with `use_cache=True`,
    whose cost is not counted. Returns the cache and the note giving its size."""
    from staticflops.models import _run_forward

    try:
        module = interp.import_module("transformers.cache_utils", site)
        cache_class = interp.get_attribute(module, "DynamicCache", site)
        cache = interp.call(cache_class, [], {"config": root.attrs.get("config")}, site)
        extra = {argument: cache, "use_cache": True}
        _run_forward(interp, root, [], {main: (batch, length)}, "int64", extra=extra)
    except (AnalyzedException, ShapeError) as exc:
        return Diagnostic(SF008, f"filling a key/value cache of {length} tokens failed: {exc}", path)
    except EXHAUSTED as exhausted:
        return Diagnostic(SF303, f"{exhaustion_message(exhausted)} while filling a key/value cache", path)
    elements = sum(tensor.numel() or 0 for tensor in _cached_tensors(cache))
    size = DTYPE_BYTES.get(config.torch_dtype)
    held = f"{elements * size:,} bytes in {config.torch_dtype}" if size else f"{elements:,} elements"
    note = (
        f"one decoding step: 1 new token per sequence after a key/value cache of {length} tokens "
        f"(batch {batch}); the cache holds {held} ({elements:,} elements)"
    )
    return cache, note


def _cached_tensors(cache: Instance) -> list[Tensor]:
    """The keys and values a transformers cache holds: each of its `layers`' `keys` and `values` (not a
    sliding layer's window size, a 0-d tensor); any other cache object, every tensor it holds."""
    layers = cache.attrs.get("layers")
    if isinstance(layers, list) and layers and all(isinstance(layer, Instance) for layer in layers):
        held = [layer.attrs.get(name) for layer in layers for name in ("keys", "values")]
        if all(isinstance(tensor, Tensor) for tensor in held):
            return held  # type: ignore[return-value]
    return _tensors_of(cache)  # a layer without its keys and values: every tensor held, none left out


def _tensors_of(value: Any, seen: set[int] | None = None) -> list[Tensor]:
    """The tensors an object holds (a cache's layers' keys and values), each once."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, Instance):
        return [t for item in value.attrs.values() for t in _tensors_of(item, seen)]
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _tensors_of(item, seen)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in _tensors_of(item, seen)]
    return []


def _build(
    interp: Interpreter, config: HFConfig, dotted: str, model: str | None, site: Location, path: str
) -> tuple[Instance, ClassObject, list[str]] | Diagnostic:
    """The configuration object, then the architecture built from it, as `from_config` does."""
    name = model or config.architecture
    if name is None:
        return Diagnostic(SF004, "no 'architectures' in the file: pass --model with the class to build", path)
    try:
        module = interp.import_module(dotted, site)
        interp.budget = Budget(interp.limits)  # reading the library is not the model's work: a budget of its own
        architecture = (
            interp.get_attribute(module, name, site, missing_ok=True) if isinstance(module, Namespace) else REQUIRED
        )
        if not isinstance(architecture, ClassObject):
            return Diagnostic(SF004, f"{dotted} defines no class '{name}'", path)
        config_class = interp.get_attribute(architecture, "config_class", site, missing_ok=True)
        own_type = None
        if isinstance(config_class, ClassObject):
            own_type = interp.get_attribute(config_class, "model_type", site, missing_ok=True)
        if own_type != config.model_type:  # built from another family's classes (exaone: Llama's)
            config_class = _auto_config_class(interp, config.model_type, site) or config_class
        if not isinstance(config_class, ClassObject):
            return Diagnostic(SF004, f"'{name}' names no config_class", path)
        values = {"experts_implementation": EXPERTS, **config.values}
        configuration = interp.call(config_class, [], values, site)
        root = interp.call(architecture, [configuration], {}, site)
    except AnalyzedException as exc:
        # Reported at the config file, the one the user named (a library file's diagnostics are hidden by
        # default), with the library line that raised in the message.
        where = exc.location
        at = f" at {where.file}:{where.line}" if where is not None else ""
        return Diagnostic(SF008, f"building '{name}' raised {exc.type_name}{at}: {exc.message}", path)
    except ShapeError as exc:  # a layer the file's values make invalid (a padding_idx past the vocabulary)
        return Diagnostic(SF008, f"building '{name}' failed: {exc}", path)
    except EXHAUSTED as exhausted:
        return Diagnostic(SF303, f"{exhaustion_message(exhausted)} while building '{name}' from {path}", path)
    if not isinstance(root, Instance):
        return Diagnostic(SF008, f"'{name}' did not build a model (got {root!r})", path)
    notes = [f"built as {name}({config_class.name}) from {config.model_type}'s source in {dotted}"]
    attention = _attention_implementation(interp, root, site)
    notes.append(f"attention implementation '{attention}' assumed (eager and sdpa price the same work)")
    experts = _experts_note(interp, configuration, site)
    if experts:
        notes.append(experts)
    return root, architecture, notes


def _auto_config_class(interp: Interpreter, model_type: str, site: Location) -> ClassObject | None:
    """The configuration class `AutoConfig` gives `model_type`: the class `CONFIG_MAPPING_NAMES` of transformers'
    auto module names for it (read from source), from the configuration module that states it. A model type
    built from another family's classes (exaone: Llama's) has a configuration of its own, whose defaults and
    attribute names are the ones `from_config` reads; None where the mapping cannot say (the architecture's own
    `config_class` is then the one). Asked only when the architecture's `config_class` is of another model type:
    the mapping's module is 80 KB of literals, a quarter of a 70B config's memory."""
    try:
        module = interp.import_module("transformers.models.auto.configuration_auto", site)
        names = interp.get_attribute(module, "CONFIG_MAPPING_NAMES", site, missing_ok=True)
        getitem = interp.get_attribute(names, "get", site, missing_ok=True) if names is not REQUIRED else REQUIRED
        name = interp.call(getitem, [model_type], {}, site) if getitem is not REQUIRED else None
        if not isinstance(name, str):
            return None
        package = _auto_module_name(interp.project, interp, model_type) or model_type.replace("-", "_")
        dotted = _defining_module(interp.project, package, name, prefix="configuration_")
        if dotted is None:
            return None
        found = interp.get_attribute(interp.import_module(dotted, site), name, site, missing_ok=True)
    except (AnalyzedException, *EXHAUSTED):
        return None
    finally:
        interp.take_module_diagnostics()  # the auto module's own top level is not the model's
    return found if isinstance(found, ClassObject) else None


def _experts_note(interp: Interpreter, configuration: Any, site: Location) -> str | None:
    """What is assumed of a mixture-of-experts configuration's routing."""

    def read(name: str) -> Any:
        try:  # a configuration's own __getattribute__ raises for a missing name
            value = interp.get_attribute(configuration, name, site, missing_ok=True)
        except AnalyzedException:
            return None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    per_token = read("num_experts_per_tok")
    total = next((v for v in map(read, ("num_local_experts", "num_experts", "n_routed_experts")) if v), None)
    if per_token is None or total is None:
        return None
    return (
        f"mixture of experts: each token's num_experts_per_tok={per_token} of {total} experts are priced, as "
        f"transformers' '{EXPERTS}' experts compute them; which experts the router picks depends on the data "
        "and is not modelled"
    )


def _attention_implementation(interp: Interpreter, root: Instance, site: Location) -> str:
    configuration = root.attrs.get("config")
    if configuration is None:
        return DEFAULT_ATTENTION
    value = interp.get_attribute(configuration, "_attn_implementation", site, missing_ok=True)
    return value if isinstance(value, str) else DEFAULT_ATTENTION


def _forward(interp: Interpreter, root: Instance) -> Function | None:
    forward = root.cls.lookup("forward")
    while isinstance(forward, Function) and "__wrapped__" in forward.attrs:
        forward = forward.attrs["__wrapped__"]
    return forward if isinstance(forward, Function) else None


def _takes(interp: Interpreter, root: Instance, name: str) -> bool:
    forward = _forward(interp, root)
    return forward is not None and any(param.name == name for param in forward.params)


def _needs_decoder_input(
    interp: Interpreter, root: Instance, main: str, named_shapes: dict[str, Shape] | None, decode: int | None
) -> bool:
    """An encoder-decoder's forward (T5Model) takes target tokens the shapes do not give: the plain forward
    gets as many as its source tokens."""
    if decode is not None or not named_shapes or main != "input_ids" or main not in named_shapes:
        return False
    return DECODER_INPUT not in named_shapes and _takes(interp, root, DECODER_INPUT)


def _main_input(interp: Interpreter, root: Instance) -> str:
    forward = _forward(interp, root)
    names = [param.name for param in forward.params] if forward is not None else []
    return next((name for name in names if name in MAIN_INPUTS), "input_ids")


def _forward_kwargs(interp: Interpreter, root: Instance) -> dict[str, Any]:
    """`use_cache=False` for the plain forward, when the forward takes it (directly or as **kwargs)."""
    forward = _forward(interp, root)
    if forward is None:
        return {}
    takes = any(param.name == "use_cache" or param.kind is ParamKind.VAR_KEYWORD for param in forward.params)
    return {"use_cache": False} if takes else {}


def _default_shape(main: str, values: dict[str, Any]) -> Shape | None:
    if main == "input_ids":
        return (1, DEFAULT_LENGTH)
    if main == "pixel_values":
        size = values.get("image_size", 224)
        size = size if isinstance(size, int) else 224
        return (1, int(values.get("num_channels", 3)), size, size)
    return None
