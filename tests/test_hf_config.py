"""`staticflops config.json`: Hugging Face models priced from their configuration, read from the
installed `transformers`' source (never imported), against figures real PyTorch measured.

The figures are those of `benchmarks/transformers_reference.json`, recorded by
`benchmarks/transformers_truth.py` with torch 2.14.1 and transformers 5.24.0: `from_config` on the
meta device, `sum(p.numel() for p in model.parameters())`, `FlopCounterMode` totals of
`model(input_ids, use_cache=False)` (eager and sdpa alike), and the seed FLOPs of every `F.linear`
(and GPT-2's `torch.addmm`) call.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import pytest

from staticflops import analyze
from staticflops.source.libraries import find_libraries
from tests.conftest import FIXTURES, ROOT

CONFIGS = FIXTURES / "hf_configs"
REFERENCE = json.loads((ROOT / "benchmarks" / "transformers_reference.json").read_text())["configs"]


def _has_transformers() -> bool:
    libraries = find_libraries(True, None, None)
    return any((Path(root) / "transformers" / "models" / "llama" / "modeling_llama.py").is_file() for root in libraries.roots)


needs_transformers = pytest.mark.skipif(
    not _has_transformers(),
    reason="transformers is not installed in this environment (pip install --no-deps transformers==5.24.0)",
)


def _model(name: str, length: int, convention: str = "seed"):
    analysis = analyze([CONFIGS / f"{name}.json"], named_inputs={"input_ids": (1, length)}, convention=convention)
    assert len(analysis.models) == 1, analysis.diagnostics
    return analysis.models[0]


def _seed_linear(model) -> int:
    """Seed FLOPs of the calls that are linear layers: `Linear`/`F.linear` and GPT-2's `addmm`."""
    total = 0
    for layer in model.layers:
        if layer.type in ("Linear", "F.linear", "torch.addmm"):
            total += layer.flops
    return total


@needs_transformers
@pytest.mark.parametrize("name", ["llama_tiny"])
@pytest.mark.parametrize("length", [128, 512])
def test_params_and_torch_totals_equal_pytorchs(name: str, length: int) -> None:
    truth = REFERENCE[name]
    model = _model(name, length, "torch")
    assert model.name == truth["architecture"]
    assert model.params == truth["params"]
    assert model.flops == truth[f"torch_sdpa_{length}"] == truth[f"torch_eager_{length}"]


@needs_transformers
@pytest.mark.parametrize("name", ["llama_tiny"])
def test_seed_linear_flops_equal_pytorchs_linear_calls(name: str) -> None:
    truth = REFERENCE[name]
    model = _model(name, 128)
    assert _seed_linear(model) == truth["seed_linear_128"]


def _diagnostic(path: Path, **kwargs) -> str:
    analysis = analyze([path], **kwargs)
    assert analysis.models == []
    messages = [f"{d.code} {d.file} {d.message}" for d in analysis.diagnostics]
    assert len(messages) == 1, messages
    return messages[0]


def test_malformed_json_is_a_diagnostic_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"model_type": "llama", ')
    message = _diagnostic(path)
    assert message.startswith(f"SF008 {path} not valid JSON")


def test_a_config_without_model_type_is_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"hidden_size": 64}')
    assert _diagnostic(path).startswith(f"SF008 {path} no 'model_type'")


@needs_transformers
def test_an_unknown_model_type_is_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"model_type": "no_such_family", "architectures": ["NoSuchModel"]}')
    message = _diagnostic(path)
    assert message.startswith(f"SF008 {path} unknown model_type 'no_such_family'")


def test_without_transformers_installed_it_is_a_diagnostic(tmp_path: Path) -> None:
    message = _diagnostic(CONFIGS / "llama_tiny.json", site_packages=False)
    assert message.startswith(f"SF008 {CONFIGS / 'llama_tiny.json'} 'transformers' is not installed")


def test_a_directory_holding_config_json_is_that_config(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"hidden_size": 64}')
    assert _diagnostic(tmp_path).startswith(f"SF008 {tmp_path / 'config.json'} no 'model_type'")


@needs_transformers
def test_the_default_input_is_128_token_ids_and_said(tmp_path: Path) -> None:
    analysis = analyze([CONFIGS / "llama_tiny.json"])
    model = analysis.models[0]
    assert model.inputs == [(1, 128)]
    notes = [d.message for d in model.diagnostics]
    assert any("input input_ids [1, 128] assumed" in note for note in notes), notes
    assert any("attention implementation 'sdpa' assumed" in note for note in notes), notes


@needs_transformers
def test_a_70b_config_is_analyzed_fast_with_exact_params() -> None:
    """LLaMA-3-70B's published hyperparameters: 80 layers of 8192, GQA 64/8, vocabulary 128256."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    model = _model("llama3_70b", 128, "torch")
    elapsed = time.perf_counter() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    h, inter, layers, heads, kv, vocab = 8192, 28672, 80, 64, 8, 128256
    head_dim = h // heads
    per_layer = h * h * 2 + 2 * h * kv * head_dim + 3 * h * inter + 2 * h
    assert model.params == 2 * vocab * h + layers * per_layer + h == REFERENCE["llama3_70b"]["params"]
    assert model.flops == REFERENCE["llama3_70b"]["torch_sdpa_128"]
    assert elapsed < 10, elapsed  # the acceptance figure (< 2 s on a free core) is benchmarks/transformers_suite.py's
    assert grown_mb < 100, grown_mb
