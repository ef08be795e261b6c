"""The JSON contract (`--format json`), version 1; its schema is `docs/schema.json`."""

from __future__ import annotations

import json
from typing import Any

from staticflops.results import Analysis, LayerResult, ModelResult

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
    }


def to_json(analysis: Analysis) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "convention": str(analysis.convention),
        "models": [model_json(model) for model in analysis.models],
        "skipped": [
            {"file": file.path, "name": name, "reason": reason}
            for file in analysis.files
            for name, reason in file.skipped
        ],
        "diagnostics": [d.to_json() for d in analysis.diagnostics],
    }


def render(analysis: Analysis) -> str:
    return json.dumps(to_json(analysis), indent=2)
