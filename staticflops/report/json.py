"""The JSON contract (`--format json`), version 1; its schema is `docs/schema.json`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring_ascii  # C: what json.dumps uses for strings
from typing import Any

from staticflops.results import Analysis, LayerResult, ModelResult, Symbolic

SCHEMA_VERSION = 1


def layer_json(layer: LayerResult) -> dict[str, Any]:
    return {
        "path": layer.path,
        "type": layer.type,
        "file": layer.file,
        "line": layer.line,
        "call_line": layer.call_line,
        "inputs": [None if s is None else list(s) for s in layer.inputs],
        "output": None if layer.output is None else list(layer.output),
        "params": layer.params,
        "flops": layer.flops,
        "macs": layer.macs,
    }


def model_json(model: ModelResult, layers: bool = True) -> dict[str, Any]:
    """The model's part of the document; `layers=False` leaves its layer list empty (`chunks` fills it)."""
    return {
        "name": model.name,
        "file": model.file,
        "line": model.line,
        "inputs": [list(s) for s in model.inputs],
        "input_source": model.input_source,
        "params": model.params,
        "flops": model.flops,
        "macs": model.macs,
        "complete": model.params_complete and model.flops_complete and not model.assumptions,
        "assumptions": list(model.assumptions),
        "layers": [layer_json(layer) for layer in model.layers] if layers else [],
        "diagnostics": [d.to_json() for d in model.diagnostics],
        **({} if model.symbolic is None else {"symbolic": symbolic_json(model.symbolic)}),
    }


def symbolic_json(symbolic: Symbolic) -> dict[str, Any]:
    """`model.symbolic` (docs/schema.json `$defs/symbolic`)."""
    return {
        "dims": dict(symbolic.dims),
        "pinned": dict(symbolic.pinned),
        "inputs": list(symbolic.inputs),
        **{
            name: {"expr": quantity.expr, "value": quantity.value, "orders": dict(quantity.orders)}
            for name, quantity in symbolic.quantities.items()
        },
        "layers": [{"path": path, "flops": expr, "value": value} for path, expr, value in symbolic.layers],
        "conditions": [{"condition": text, "at": at} for text, at in symbolic.conditions],
        "exact": symbolic.exact,
        "checked": [dict(env) for env in symbolic.checked],
    }


def to_json(analysis: Analysis) -> dict[str, Any]:
    rest = to_json_without_models(analysis)
    return {
        "version": rest["version"],
        "convention": rest["convention"],
        "models": [model_json(model) for model in analysis.models],
        "skipped": rest["skipped"],
        "diagnostics": rest["diagnostics"],
    }


def render(analysis: Analysis) -> str:
    """`json.dumps(to_json(analysis), indent=2)`, the same text (`chunks` joined)."""
    return "".join(chunks(analysis))


def chunks(analysis: Analysis) -> Iterator[str]:
    """The text of `render`, a model's head and then one layer at a time, for a caller that writes it out
    as it comes: the whole document is never held.

    Python's encoder with an indent builds a list of every piece of the document before joining them,
    some fifty bytes of overhead for each few bytes of text, next to the whole tree of dicts: over
    timm's `timm/models/*.py` (about 1,400 models, 400 MB of JSON) that ran out of memory after the
    analysis, and the dicts and pieces of an 80-block LLaMA's 2,600 layers were most of its peak memory.
    Each layer is encoded on its own and indented into place (JSON strings hold no raw newline, so
    indenting after each newline is exact).
    """
    head = {**to_json_without_models(analysis), "models": []}
    ordered = {key: head[key] for key in ("version", "convention", "models", "skipped", "diagnostics")}
    text = json.dumps(ordered, indent=2)
    if not analysis.models:
        yield text
        return
    before, after = text.split(_EMPTY_MODELS, 1)
    yield before + '"models": ['
    for index, model in enumerate(analysis.models):
        yield ",\n    " if index else "\n    "
        yield from _model_chunks(model, "    ")
    yield "\n  ]" + after


def _model_chunks(model: ModelResult, indent: str) -> Iterator[str]:
    """`json.dumps(model_json(model), indent=2)` indented by `indent`, its layers one at a time."""
    text = json.dumps(model_json(model, layers=False), indent=2).replace("\n", "\n" + indent)
    if not model.layers:
        yield text
        return
    # the first occurrence is the key: the strings before it are encoded, so hold no bare quote
    before, after = text.split(_EMPTY_LAYERS, 1)
    yield before + '"layers": ['
    inner = indent + "    "
    for index, layer in enumerate(model.layers):
        yield (",\n" if index else "\n") + inner + _indented(layer_json(layer), inner)
    yield "\n" + indent + "  ]" + after


def _indented(value: Any, indent: str) -> str:
    """`json.dumps(value, indent=2)` with each line after the first indented by `indent`. With an indent,
    json encodes in Python through closures that refer to one another: a few hundred bytes of garbage
    per call that only the cycle collector frees, which thousands of layers turned into megabytes."""
    if isinstance(value, dict) and value:
        inner = indent + "  "
        items = (f"{inner}{_scalar(key)}: {_indented(item, inner)}" for key, item in value.items())
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, (list, tuple)) and value:
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _indented(item, inner) for item in value) + "\n" + indent + "]"
    return _scalar(value)


def _scalar(value: Any) -> str:
    """`json.dumps(value)`, without its cost for the common leaves: for each value that is not a string,
    `json.dumps` makes a new C encoder, a few microseconds that a corpus's million numbers add up."""
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    return json.dumps(value)  # floats (`NaN`, `Infinity`) and the rest, as json writes them


_EMPTY_MODELS = '"models": []'
_EMPTY_LAYERS = '"layers": []'


def to_json_without_models(analysis: Analysis) -> dict[str, Any]:
    """The document's parts besides its models."""
    return {
        "version": SCHEMA_VERSION,
        "convention": str(analysis.convention),
        "skipped": [
            {"file": file.path, "name": name, "reason": reason}
            for file in analysis.files
            for name, reason in file.skipped
        ],
        "diagnostics": [d.to_json() for d in analysis.diagnostics],
    }
