"""Markdown tables, one per model: for READMEs, notebooks and review comments."""

from __future__ import annotations

from staticflops.report.units import human, shape
from staticflops.results import Analysis, ModelResult


def escape(text: str) -> str:
    return text.replace("|", "\\|")


def model_section(model: ModelResult, unit: str) -> list[str]:
    lower = "" if model.flops_complete else "≥ "
    inputs = ", ".join(shape(s) for s in model.inputs) or "?"
    lines = [
        f"### {escape(model.name)}",
        "",
        f"`{model.file}:{model.line}`, input {inputs} ({model.input_source}): **{human(model.params)} parameters**, "
        f"**{lower}{human(model.flops, unit)}** ({model.flops:,} {unit}, {model.macs:,} MACs)",
        "",
        f"| layer | type | line | output | params | {unit} | share |",
        "|---|---|---:|---|---:|---:|---:|",
    ]
    total = model.flops or 1
    for layer in model.layers:
        share = "" if layer.flops is None else f"{100 * layer.flops / total:.1f}%"
        params = human(layer.params) if layer.params else ""
        lines.append(
            f"| `{escape(layer.path)}` | {escape(layer.type)} | {layer.line} | {shape(layer.output)} | {params} | "
            f"{human(layer.flops, unit)} | {share} |"
        )
    return lines


def render(analysis: Analysis) -> str:
    unit = "MACs" if analysis.convention == "macs" else "FLOPs"
    lines: list[str] = []
    for model in analysis.models:
        lines.extend(model_section(model, unit))
        lines.append("")
    if analysis.diagnostics:
        lines.append("<details><summary>Diagnostics</summary>\n")
        lines.extend(f"- `{escape(d.format())}`" for d in analysis.diagnostics)
        lines.append("\n</details>")
    return "\n".join(lines).rstrip() + "\n"
