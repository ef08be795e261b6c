"""Runs over many models: each model is traced once at the input it is reported at (the numbers
themselves are checked by test_fixtures), and every model of a file that registers many is found."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from staticflops import analyze, models
from tests.conftest import FIXTURES


def _count_forwards(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    runs: list[tuple[Any, ...]] = []
    original = models._run_forward

    def counted(interp: Any, root: Any, shapes: list[Any], *args: Any, **kwargs: Any) -> Any:
        runs.append(tuple(shapes))
        return original(interp, root, shapes, *args, **kwargs)

    monkeypatch.setattr(models, "_run_forward", counted)
    return runs


def test_a_model_that_fits_the_default_input_is_traced_once_at_it(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _count_forwards(monkeypatch)
    (model,) = analyze([FIXTURES / "resnet50.py"]).models
    # one partial run with an input of unknown shape to find the first layer, then one at 224x224
    assert runs == [(None,), ((1, 3, 224, 224),)]
    assert model.inputs == [(1, 3, 224, 224)] and model.flops_complete


def test_the_size_the_search_settles_on_is_not_traced_again(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _count_forwards(monkeypatch)
    (model,) = analyze([FIXTURES / "lenet5.py"]).models
    assert model.inputs == [(1, 1, 32, 32)] and model.flops_complete
    assert runs.count(((1, 1, 32, 32),)) == 1  # found by the search, and reported from that same trace
    assert len(model.layers) > 0 and model.flops > 0


def test_a_model_traced_by_the_search_keeps_what_its_trace_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """Diagnostics and assumptions of the reused trace are the model's, as a second trace would report."""
    runs = _count_forwards(monkeypatch)
    analysis = analyze([FIXTURES / "lenet5.py"], inputs=[(1, 1, 32, 32)])
    given = analysis.models[0]
    searched = analyze([FIXTURES / "lenet5.py"]).models[0]
    assert [(d.code, d.message) for d in given.diagnostics if d.code.code != "SF304"] == [
        (d.code, d.message) for d in searched.diagnostics if d.code.code != "SF304"
    ]
    assert (given.params, given.flops, len(given.layers)) == (searched.params, searched.flops, len(searched.layers))
    assert runs[0] == ((1, 1, 32, 32),)


REGISTERED = """
import torch
import torch.nn as nn


class Tiny(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(8, width)

    def forward(self, x):
        return self.fc(x)


def register_model(fn):
    return fn


@register_model
def test_tiny(pretrained=False, **kwargs):
    return Tiny(4, **kwargs)


@register_model
def tiny_wide(pretrained=False, **kwargs):
    return Tiny(16, **kwargs)


def test_runs_a_model():
    Tiny(2)(torch.randn(1, 8))
"""


def test_a_usage_named_function_that_returns_a_model_is_a_factory(tmp_path: Path) -> None:
    """timm registers tiny test architectures as `test_*(pretrained=False, **kwargs)`: they return a
    model and call none, so they are models like every other registered function; a `test_*` that
    calls a model is still usage code, never a candidate."""
    path = tmp_path / "registered.py"
    path.write_text(textwrap.dedent(REGISTERED))
    found = {model.name: model for model in analyze([path]).models}
    assert sorted(found) == ["Tiny", "test_tiny", "tiny_wide"]  # Tiny: as test_runs_a_model builds and feeds it
    assert (found["Tiny"].params, found["Tiny"].flops) == (8 * 2 + 2, 2 * 8 * 2)
    assert (found["test_tiny"].params, found["test_tiny"].flops) == (8 * 4 + 4, 2 * 8 * 4)
    assert (found["tiny_wide"].params, found["tiny_wide"].flops) == (8 * 16 + 16, 2 * 8 * 16)


def test_the_json_report_is_the_document_encoded_whole(tmp_path: Path) -> None:
    """`--format json` encodes one model at a time (a timm run's document ran out of memory encoded
    whole); the text is exactly what encoding the whole document gives, with no models and with several."""
    import json as stdlib_json

    from staticflops.report import json as report

    empty = tmp_path / "no_model.py"
    empty.write_text("import torch.nn as nn\nWIDTH = 4\n")
    for paths in ([FIXTURES / "lenet5.py", FIXTURES / "mlp.py", FIXTURES / "vit.py"], [empty]):
        analysis = analyze(paths)
        assert report.render(analysis) == stdlib_json.dumps(report.to_json(analysis), indent=2)
    assert not analysis.models and analysis.diagnostics  # the last: a document without models
