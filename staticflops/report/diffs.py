"""How `staticflops diff` is shown: JSON for bots, the Markdown comment for reviewers, and GitHub
annotations on the changed layers."""

from __future__ import annotations

import json
from typing import Any

from staticflops.gitdiff import Cost, Diff, LayerChange, ModelChange, relative_change
from staticflops.report.github import annotation
from staticflops.report.markdown import escape
from staticflops.report.units import human

DIFF_SCHEMA_VERSION = 1


def cost_json(cost: Cost | None) -> dict[str, int] | None:
    return None if cost is None else {"params": cost.params, "flops": cost.flops}


def to_json(diff: Diff) -> dict[str, Any]:
    return {
        "version": DIFF_SCHEMA_VERSION,
        "base": diff.base,
        "head": diff.head,
        "convention": str(diff.convention),
        "models": [
            {
                "file": model.file,
                "name": model.name,
                "status": model.status,
                "base": cost_json(model.base),
                "head": cost_json(model.head),
                "delta": cost_json(model.delta()),
                "complete": not model.incomplete,
                "layers": [
                    {
                        "path": layer.path,
                        "type": layer.type,
                        "status": layer.status,
                        "line": layer.line,
                        "base": cost_json(layer.base),
                        "head": cost_json(layer.head),
                    }
                    for layer in model.layers
                    if layer.status != "unchanged"
                ],
            }
            for model in diff.models
        ],
        "diagnostics": [d.to_json() for d in diff.diagnostics],
    }


def render_json(diff: Diff) -> str:
    return json.dumps(to_json(diff), indent=2)


def signed(value: int, unit: str = "") -> str:
    if value == 0:
        return "0"
    return ("+" if value > 0 else "−") + human(abs(value), unit)


def change_text(before: int | None, after: int | None, unit: str = "") -> str:
    """`1.2 M → 1.5 M (+312 K, +25.4%)`."""
    if before is None:
        return f"new: {human(after, unit)}"
    if after is None:
        return f"removed: {human(before, unit)}"
    if before == after:
        return human(after, unit)
    ratio = relative_change(before, after)
    percent = "" if ratio is None else f", {ratio:+.1%}"
    return f"{human(before, unit)} → {human(after, unit)} ({signed(after - before, unit)}{percent})"


def _link(model: ModelChange, line: int, link_base: str | None, text: str) -> str:
    if not link_base:
        return f"`{text}`"
    return f"[`{text}`]({link_base.rstrip('/')}/{model.file}#L{line})"


def _layer_row(model: ModelChange, layer: LayerChange, unit: str, link_base: str | None) -> str:
    params = change_text(layer.base and layer.base.params, layer.head and layer.head.params)
    flops = change_text(layer.base and layer.base.flops, layer.head and layer.head.flops, unit)
    # a removed layer has no line at head to link to
    name = f"`{layer.path}`" if layer.status == "removed" else _link(model, layer.line, link_base, layer.path)
    return f"| {name} | {escape(layer.type)} | {layer.status} | {params} | {flops} |"


def render_markdown(diff: Diff, link_base: str | None = None) -> str:
    unit = "MACs" if diff.convention == "macs" else "FLOPs"
    changed = [m for m in diff.models if m.status != "unchanged"]
    lines = [
        "## staticflops: cost of this change",
        "",
        f"`{diff.base}` → `{diff.head}`, {unit} by the `{diff.convention}` convention.",
        "",
    ]
    if not changed:
        lines.append("No model's parameters or FLOPs changed.")
    else:
        lines += [
            "| model | file | status | parameters | " + unit + " |",
            "|---|---|---|---|---|",
        ]
        for model in changed:
            params = change_text(model.base and model.base.params, model.head and model.head.params)
            flops = change_text(model.base and model.base.flops, model.head and model.head.flops, unit)
            mark = " ≥" if model.incomplete else ""
            renamed = f" (was `{model.base_file}`)" if model.base_file else ""
            lines.append(
                f"| **{escape(model.name)}** | {_link(model, model.line, link_base, model.file)}{renamed} | "
                f"{model.status} | {params} | {flops}{mark} |"
            )
        for model in changed:
            layers = [layer for layer in model.layers if layer.status != "unchanged"]
            if not layers:
                continue
            counts = ", ".join(
                f"{sum(1 for layer in layers if layer.status == s)} {s}"
                for s in ("changed", "added", "removed")
                if any(layer.status == s for layer in layers)
            )
            lines += [
                "",
                f"<details><summary><b>{escape(model.name)}</b>: {counts}</summary>",
                "",
                f"| layer | type | status | parameters | {unit} |",
                "|---|---|---|---|---|",
                *(_layer_row(model, layer, unit, link_base) for layer in layers),
                "",
                "</details>",
            ]
    if any(m.incomplete for m in changed) or diff.diagnostics:
        lines += ["", "**Analysis limits.** Figures marked ≥ are lower bounds: something could not be counted."]
        lines += [f"- `{escape(d.format())}`" for d in diff.diagnostics if d.severity != "info"][:20]
    return "\n".join(lines) + "\n"


def render_github(diff: Diff) -> str:
    """A warning annotation on each changed or added layer, and one per changed model."""
    unit = "MACs" if diff.convention == "macs" else "FLOPs"
    out = []
    for model in diff.models:
        if model.status == "unchanged":
            continue
        flops = change_text(model.base and model.base.flops, model.head and model.head.flops, unit)
        params = change_text(model.base and model.base.params, model.head and model.head.params)
        out.append(
            annotation(
                "notice",
                f"model '{model.name}' ({model.status}): {unit} {flops}; parameters {params}",
                model.file,
                model.line,
                None,
                "staticflops",
            )
        )
        for layer in model.layers:
            if layer.status in ("changed", "added"):
                text = (
                    f"layer '{layer.path}' ({layer.type}) {layer.status}: "
                    f"{unit} {change_text(layer.base and layer.base.flops, layer.head and layer.head.flops, unit)}; "
                    f"parameters {change_text(layer.base and layer.base.params, layer.head and layer.head.params)}"
                )
                out.append(annotation("warning", text, model.file, layer.line, None, "staticflops"))
    return "\n".join(out)
