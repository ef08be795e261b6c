"""The JSON contract (`--format json`), version 1; its schema is `docs/schema.json`."""

from __future__ import annotations

import json
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


def model_json(model: ModelResult) -> dict[str, Any]:
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
        "layers": [layer_json(layer) for layer in model.layers],
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
    """`json.dumps(to_json(analysis), indent=2)`, the same text, made one model at a time.

    Python's encoder with an indent builds a list of every piece of the document before joining them,
    some fifty bytes of overhead for each few bytes of text, next to the whole tree of dicts: over
    timm's `timm/models/*.py` (about 1,400 models, 400 MB of JSON) that ran out of memory after the
    analysis. Each model is encoded on its own and indented into place (JSON strings hold no raw
    newline, so indenting after each newline is exact); the document is joined once.
    """
    head = {**to_json_without_models(analysis), "models": []}
    ordered = {key: head[key] for key in ("version", "convention", "models", "skipped", "diagnostics")}
    text = json.dumps(ordered, indent=2)
    if not analysis.models:
        return text
    before, after = text.split(_EMPTY_MODELS, 1)
    parts = [before, '"models": [']
    for index, model in enumerate(analysis.models):
        parts.append(",\n    " if index else "\n    ")
        parts.append(json.dumps(model_json(model), indent=2).replace("\n", "\n    "))
    parts.append("\n  ]")
    parts.append(after)
    return "".join(parts)


_EMPTY_MODELS = '"models": []'


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
