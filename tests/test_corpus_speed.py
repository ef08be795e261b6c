"""What keeps a run over many models fast: each model is traced once at the input it is reported at,
and positions cost what is asked for. The numbers themselves are checked by test_fixtures."""

from __future__ import annotations

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
