"""Reference ("truth") figures for Hugging Face configs, measured with real PyTorch and `transformers`.

A measurement tool for the project's tests and benchmark; it needs torch and transformers (written
for torch 2.14.1 and transformers 5.24.0) and is never imported by `staticflops` or its tests.

    python benchmarks/transformers_truth.py            # writes benchmarks/transformers_reference.json
    python benchmarks/transformers_truth.py --configs DIR OUT.json [NAME...]   # another directory

For each small config of `CONFIGS` (the config.json files in `fixtures/hf_configs/`) and each
attention implementation (`eager`, `sdpa`):

* `model = AutoModelFor...from_config(config, attn_implementation=..., experts_implementation="batched_mm")` built under
  `torch.device("meta")` (no download, no weights), `model.eval()`;
* `params`: `sum(p.numel() for p in model.parameters())` (a tied embedding counted once, as torch does);
* at each sequence length (128 and 512), batch 1, `input_ids = torch.zeros(1, L, dtype=torch.long)`
  on the meta device, `model(input_ids, use_cache=False)` under `torch.no_grad()` (an encoder-decoder
  also gets `decoder_input_ids` of the same shape; an image model:
  `pixel_values` of 1×num_channels×image_size×image_size, once, as `torch_{impl}_0`):
  - `torch`: `FlopCounterMode(display=False).get_total_flops()` of that pass;
  - `seed_linear`: the seed FLOPs of every `F.linear` call (module or functional), seen by a
    `TorchFunctionMode`: `out_numel * (2*in_features - 1 + bias)`, and of every `torch.addmm` (GPT-2's
    `Conv1D`, a linear layer with a bias): `out_numel * 2*inner`;
  - `linear_macs`: `out_numel * in_features` of the same calls.

Decoders (a forward taking `cache`, or `past_key_values`, its older name) also get `decode_128_*`: a
`DynamicCache(config=...)` filled by a forward of 128 tokens with `use_cache=True`, then the
`FlopCounterMode` total of one step of one new token with that cache (sdpa, or eager where the
architecture has no SDPA support), and the cache's elements and bytes (`config.dtype`'s element size)
before that step.

`transformers.masking_utils.find_packed_sequence_indices` is replaced by its answer for one unpacked
sequence (None): it inspects position ids' values with `.all()`, which the meta device cannot do; and
`fast_all` (is a padding mask all True?) by its answer for one sequence without padding (True).
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode
from torch.utils.flop_counter import FlopCounterMode

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "fixtures" / "hf_configs"
OUT = ROOT / "benchmarks" / "transformers_reference.json"
LENGTHS = (128, 512)
IMPLEMENTATIONS = ("eager", "sdpa")
DECODE = 128
DEVICE = "meta"
"""Where models are built and run: the meta device (shapes only). A model whose forward reads a tensor's
value (`.item()` of a mask's sum, a data-dependent `nonzero`) cannot run there; the sweep
(benchmarks/transformers_sweep.py) then builds its tiny config on "cpu", with real (zero) inputs."""
EXPERTS = "batched_mm"
"""Mixture-of-experts layers compute every token with its top-k experts, as staticflops prices them."""


class LinearCounter(TorchFunctionMode):
    """Seed FLOPs and MACs of every F.linear and torch.addmm call."""

    def __init__(self) -> None:
        super().__init__()
        self.seed = 0
        self.macs = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if func is F.linear:
            weight = args[1] if len(args) > 1 else kwargs["weight"]
            bias = args[2] if len(args) > 2 else kwargs.get("bias")
            inner = weight.shape[-1]
            self.seed += out.numel() * (2 * inner - 1 + (1 if bias is not None else 0))
            self.macs += out.numel() * inner
        elif func is torch.addmm:  # GPT-2's Conv1D: bias + x @ W, a linear layer with a bias
            inner = args[1].shape[-1]
            self.seed += out.numel() * 2 * inner
            self.macs += out.numel() * inner
        return out


def _no_docstring(obj=None, **kwargs):
    """`@auto_docstring` and `@auto_docstring(...)` without the docstring."""
    return obj if obj is not None else (lambda target: target)


def build(path: Path, implementation: str) -> torch.nn.Module:
    import transformers
    import transformers.masking_utils

    # Without an attention mask, the causal-mask helper looks for packed sequences in position_ids with
    # `.all()`, which needs data the meta device does not have; one unpacked sequence has none (None).
    transformers.masking_utils.find_packed_sequence_indices = lambda position_ids: None
    # Likewise `fast_all` asks whether a padding mask (BART's and DeBERTa's all-ones mask) is all True, with
    # `.sum()`'s value; for one sequence without padding it is.
    transformers.masking_utils.fast_all = lambda tensor: True
    # `@auto_docstring` only writes docstrings; without `tokenizers` it fails on a vision model's placeholders
    transformers.utils.auto_docstring = _no_docstring
    # A warning's test of the last and first token ids against the padding id (DeBERTa): data, and only a warning
    transformers.PreTrainedModel.warn_if_padding_and_no_attention_mask = lambda self, input_ids, attention_mask: None

    config = transformers.AutoConfig.from_pretrained(str(path))
    # The class from its own modeling module: `transformers.<Name>` of a vision model drags in the processors
    try:
        modeling = importlib.import_module(type(config).__module__.replace(".configuration_", ".modeling_"))
    except ModuleNotFoundError:  # a model type built from another family's classes (exaone: Llama's)
        modeling = transformers
    architecture = getattr(modeling, config.architectures[0])
    with torch.device(DEVICE):
        model = architecture._from_config(config, attn_implementation=implementation, experts_implementation=EXPERTS)
    return model.eval()


def measure(path: Path) -> dict[str, object]:
    row: dict[str, object] = {}
    for implementation in IMPLEMENTATIONS:
        try:
            model = build(path, implementation)
        except ValueError as error:  # an architecture without SDPA support (openai-gpt) has eager only
            row[f"unsupported_{implementation}"] = str(error).split(".")[0]
            continue
        row["architecture"] = type(model).__name__
        row["params"] = sum(p.numel() for p in model.parameters())
        for length in LENGTHS if _main_input(model) == "input_ids" else (0,):
            inputs = _inputs(model, length)
            counter = LinearCounter()
            with torch.no_grad(), counter:
                model(**inputs)
            flops = FlopCounterMode(display=False)
            with torch.no_grad(), flops:
                model(**inputs)
            row[f"torch_{implementation}_{length}"] = flops.get_total_flops()
            row[f"seed_linear_{length}"] = counter.seed
            row[f"linear_macs_{length}"] = counter.macs
    parameters = inspect.signature(model.forward).parameters
    argument = next((name for name in ("cache", "past_key_values") if name in parameters), None)
    if argument is not None:  # a decoder with a key/value cache
        try:
            row.update(measure_decode(path, DECODE, argument))
        except Exception as error:  # an encoder-decoder's step needs encoder outputs too
            row["decode_failed"] = f"{type(error).__name__}: {error}"[:200]
    return row


def measure_anywhere(path: Path) -> dict[str, object]:
    """`measure` on the meta device, or on the CPU (`"device": "cpu"` in the row) for a model whose forward
    reads a tensor's value (`.item()`), which the meta device cannot give."""
    global DEVICE
    DEVICE = "meta"
    try:
        return measure(path)
    except (RuntimeError, NotImplementedError) as error:
        if "meta" not in str(error):
            raise
        DEVICE = "cpu"
        try:
            return {**measure(path), "device": "cpu"}
        finally:
            DEVICE = "meta"


def measure_decode(path: Path, length: int, argument: str) -> dict[str, int]:
    """One generation step after a cache of `length` tokens: its FlopCounterMode total, and the cache's size."""
    from transformers import DynamicCache

    try:
        model = build(path, "sdpa")
    except ValueError:
        model = build(path, "eager")
    with torch.no_grad():
        cache = DynamicCache(config=model.config)
        model(torch.zeros(1, length, dtype=torch.long, device=DEVICE), **{argument: cache}, use_cache=True)
        elements = sum(layer.keys.numel() + layer.values.numel() for layer in cache.layers)
        dtype = getattr(torch, str(model.config.dtype).replace("torch.", "")) if model.config.dtype else torch.float32
        flops = FlopCounterMode(display=False)
        with flops:
            model(torch.zeros(1, 1, dtype=torch.long, device=DEVICE), **{argument: cache}, use_cache=True)
    return {
        f"decode_{length}_torch": flops.get_total_flops(),
        f"decode_{length}_cache_elements": elements,
        f"decode_{length}_cache_bytes": elements * torch.empty((), dtype=dtype).element_size(),
    }


def _main_input(model: torch.nn.Module) -> str:
    names = inspect.signature(model.forward).parameters
    return next((name for name in names if name in ("input_ids", "pixel_values")), "input_ids")


def _inputs(model: torch.nn.Module, length: int) -> dict[str, object]:
    """`input_ids` of 1×length, or `pixel_values` of 1×C×S×S from the config; `use_cache=False` where taken."""
    config = model.config
    if _main_input(model) == "pixel_values":
        size = config.image_size
        inputs: dict[str, object] = {"pixel_values": torch.zeros(1, config.num_channels, size, size, device=DEVICE)}
    else:
        inputs = {"input_ids": torch.zeros(1, length, dtype=torch.long, device=DEVICE)}
        if "decoder_input_ids" in inspect.signature(model.forward).parameters:  # an encoder-decoder: as many
            inputs["decoder_input_ids"] = inputs["input_ids"]  # target tokens as source tokens, as staticflops
    if "use_cache" in inspect.signature(model.forward).parameters:
        inputs["use_cache"] = False
    return inputs


def main(names: list[str]) -> None:
    import transformers

    global OUT
    configs = CONFIGS
    if names[:1] == ["--configs"]:  # another directory of configs, and where to write its figures
        configs, OUT, names = Path(names[1]), Path(names[2]), names[3:]
    paths = sorted(configs.glob("*.json"))
    rows = {"torch": torch.__version__, "transformers": transformers.__version__, "configs": {}}
    if names and OUT.exists():  # only the named configs are measured again; the others' figures are kept
        rows["configs"] = json.loads(OUT.read_text())["configs"]
    for path in paths:
        if names and path.stem not in names:
            continue
        rows["configs"][path.stem] = measure_anywhere(path)
        print(path.stem, rows["configs"][path.stem], flush=True)
    OUT.write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
