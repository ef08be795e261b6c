"""The generality sweep: every text or image `model_type` of the installed transformers, priced by
staticflops and measured by PyTorch, each from a tiny config made from its config class's defaults.

Two steps, each in the Python that has what it needs:

    /work/tvenv/bin/python benchmarks/transformers_sweep.py make DIR     # torch: configs and truth
    python benchmarks/transformers_sweep.py score DIR [TYPE...]         # staticflops: the scoreboard

`make` reads transformers' auto mappings (causal LM, masked LM, image classification, sequence to
sequence: the text decoders, encoders, encoder-decoders and image classifiers), and for each model type
whose configuration is not composite (no `sub_configs`: a multimodal wrapper is not a text or image
model of its own) picks an architecture (the causal LM, else the base model `AutoModel` builds, else the
masked LM or the image classifier). Its tiny config is the config class's defaults with the sizes
shrunk (`SHRINK`: hidden 64, 2 layers, 4 heads, vocabulary 1000, ...; per-layer lists cut to 2 layers;
token ids past the vocabulary moved into it); where torch cannot build or run it, a milder variant is
tried (`VARIANTS`), down to the plain defaults. The truth is `benchmarks/transformers_truth.py`'s
measurement at 128 tokens only (params, `FlopCounterMode` totals for eager and sdpa, seed FLOPs of the
linear calls): DIR/<type>.json and DIR/reference.json, and DIR/make.json with why a type was left out.

`score` analyses each config as `staticflops CONFIG -c torch` does and classes it: `exact` (params,
torch total and seed linear FLOPs all equal, nothing flagged), `wrong` (a figure differs and nothing is
flagged: the case the project must never have), `incomplete` (a figure is flagged as a lower bound, or
differs while something is flagged), `crash` (no model: the first diagnostic says why) or `error` (an
exception in staticflops itself). DIR/scores.json keeps each row with its first diagnostic.
"""

from __future__ import annotations

import json
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

MAPPINGS = (
    "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES",
    "MODEL_FOR_MASKED_LM_MAPPING_NAMES",
    "MODEL_FOR_IMAGE_CLASSIFICATION_MAPPING_NAMES",
    "MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES",
)
HIDDEN = ("hidden_size", "n_embd", "d_model", "embed_dim", "embedding_size", "word_embed_proj_dim", "n_embed")
FFN = ("intermediate_size", "ffn_dim", "n_inner", "d_ff", "encoder_ffn_dim", "decoder_ffn_dim", "ffn_hidden_size")
LAYERS = ("num_hidden_layers", "n_layer", "num_layers", "encoder_layers", "decoder_layers", "n_layers",
          "num_decoder_layers", "num_encoder_layers")  # fmt: skip
HEADS = ("num_attention_heads", "n_head", "num_heads", "encoder_attention_heads", "decoder_attention_heads",
         "n_heads")  # fmt: skip
SHRINK: dict[tuple[str, ...], int] = {
    HIDDEN: 64,
    FFN: 128,
    LAYERS: 2,
    HEADS: 4,
    ("num_key_value_heads", "multi_query_group_num", "n_kv_heads", "num_kv_heads"): 2,
    ("head_dim", "d_kv", "kv_channels", "attention_head_dim", "qk_head_dim"): 16,
    ("vocab_size",): 1000,
    ("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts"): 4,
    ("num_experts_per_tok", "moe_topk", "top_k", "moe_k"): 2,
    ("n_group", "topk_group"): 1,
    ("n_shared_experts", "num_shared_experts"): 1,
    ("moe_intermediate_size", "shared_expert_intermediate_size", "expert_intermediate_size"): 32,
    ("kv_lora_rank", "q_lora_rank"): 32,
    ("qk_rope_head_dim",): 8,
    ("qk_nope_head_dim", "v_head_dim"): 16,
    ("image_size",): 64,
}
"""Each name's value, where the default is an int larger than it."""
TOKEN_IDS = ("pad_token_id", "bos_token_id", "eos_token_id", "decoder_start_token_id", "sep_token_id",
             "cls_token_id", "mask_token_id", "unk_token_id")  # fmt: skip
WRAPPED = ("text_config", "vision_config", "audio_config", "encoder", "decoder", "encoder_config",
           "decoder_config", "audio_encoder_config", "vq_config", "patcher_config")
"""Sub-configurations that make a config a wrapper of other models (multimodal, a generic encoder-decoder):
left out, as their text and vision parts are model types of their own. Others (MPT's `attn_config`) are
the model's own, shrunk as the top level is."""
VARIANTS = ("tiny", "tiny-keep-image", "layers-only", "defaults")
"""How far a config is shrunk, tried in this order until torch builds and runs it."""
TIMEOUT = 120


class Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Timeout


def _small(value: Any, target: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > target


def tiny_values(defaults: dict[str, Any], variant: str) -> dict[str, Any]:
    """The overrides of `variant` for a config whose `to_dict()` is `defaults`."""
    values: dict[str, Any] = {}
    if variant == "defaults":
        return values
    layers = {name: defaults[name] for name in LAYERS if _small(defaults.get(name), 2)}
    for names, target in SHRINK.items():
        if variant == "layers-only" and names is not LAYERS:
            continue
        if variant == "tiny-keep-image" and names == ("image_size",):
            continue
        for name in names:
            if _small(defaults.get(name), target):
                values[name] = target
    counts = set(layers.values())
    for name, value in defaults.items():  # per-layer lists (layer_types, ...) cut to the first 2 layers
        if isinstance(value, list) and len(value) in counts and len(value) > 2 and name not in values:
            values[name] = value[:2]
    if "depths" in defaults and isinstance(defaults["depths"], list) and variant != "layers-only":
        values["depths"] = [min(d, 2) if isinstance(d, int) else d for d in defaults["depths"]]
    for name, value in defaults.items():  # a sub-configuration of the model's own (MPT's attn_config)
        if isinstance(value, dict) and name not in values:
            inner = tiny_values(value, variant)
            if inner:
                values[name] = {**value, **inner}
    vocab = values.get("vocab_size", defaults.get("vocab_size"))
    if isinstance(vocab, int):
        for index, name in enumerate(TOKEN_IDS):
            value = defaults.get(name)
            if isinstance(value, int) and value >= vocab:
                values[name] = index + 1
            elif isinstance(value, list) and any(isinstance(v, int) and v >= vocab for v in value):
                values[name] = [index + 1]
    return values


def _architecture(model_type: str) -> tuple[str, str] | None:
    """(class name, kind) of the architecture swept for `model_type`."""
    from transformers.models.auto import modeling_auto

    causal = modeling_auto.MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
    base = modeling_auto.MODEL_MAPPING_NAMES
    if model_type in causal:
        return causal[model_type], "causal"
    if model_type in base and isinstance(base[model_type], str):
        return base[model_type], "base"
    for mapping in MAPPINGS[1:]:
        names = getattr(modeling_auto, mapping)
        if model_type in names and isinstance(names[model_type], str):
            return names[model_type], mapping.split("_FOR_")[1].split("_MAPPING")[0].lower()
    return None


def make(out: Path, only: list[str]) -> None:
    """Configs and truth for every model type (or the named ones)."""
    import importlib

    import torch
    import transformers
    import transformers_truth as truth
    from transformers.models.auto import configuration_auto, modeling_auto

    truth.LENGTHS = (128,)
    out.mkdir(parents=True, exist_ok=True)
    types = sorted({t for mapping in MAPPINGS for t in getattr(modeling_auto, mapping)})
    reference_path, made_path = out / "reference.json", out / "make.json"
    reference = json.loads(reference_path.read_text()) if reference_path.exists() else {
        "torch": torch.__version__, "transformers": transformers.__version__, "configs": {}}  # fmt: skip
    made = json.loads(made_path.read_text()) if made_path.exists() else {}
    signal.signal(signal.SIGALRM, _alarm)
    for model_type in types:
        if only and model_type not in only:
            continue
        name = model_type.replace("-", "_")
        started = time.time()
        try:
            config_class = configuration_auto.CONFIG_MAPPING[model_type]
            parts = [part for part in getattr(config_class, "sub_configs", None) or {} if part.endswith(WRAPPED)]
            if parts:
                made[name] = {"left_out": f"a wrapper of other models' configs ({', '.join(parts)})"}
                continue
            found = _architecture(model_type)
            if found is None:
                made[name] = {"left_out": "no single architecture in the mappings"}
                continue
            architecture, kind = found
            try:
                module = importlib.import_module(config_class.__module__.replace(".configuration_", ".modeling_"))
            except ModuleNotFoundError:  # a model type built from another family's classes (exaone: Llama's)
                module = transformers
            if not hasattr(module, architecture):
                made[name] = {"left_out": f"{architecture} not in {module.__name__}"}
                continue
            defaults = config_class().to_dict()
        except Exception as error:
            made[name] = {"left_out": f"config: {type(error).__name__}: {error}"[:300]}
            continue
        errors = []
        for variant, device in [(variant, "meta") for variant in VARIANTS] + [(v, "cpu") for v in VARIANTS[:3]]:
            truth.DEVICE = device
            values = {"architectures": [architecture], "model_type": model_type, **tiny_values(defaults, variant)}
            if kind == "image_classification" or "image_size" in defaults or "num_channels" in defaults:
                values.setdefault("image_size", defaults.get("image_size") or (224 if variant == "defaults" else 64))
                values.setdefault("num_channels", defaults.get("num_channels") or 3)
            path = out / f"{name}.json"
            path.write_text(json.dumps(values) + "\n")
            signal.alarm(TIMEOUT)
            try:
                row = _measure(truth, path)
                signal.alarm(0)
                if not any(key.startswith("torch_") for key in row):
                    raise RuntimeError(str(row))
            except BaseException as error:
                signal.alarm(0)
                if isinstance(error, KeyboardInterrupt):
                    raise
                errors.append(f"{variant} on {device}: {type(error).__name__}: {str(error)[:200]}")
                path.unlink(missing_ok=True)
                continue
            reference["configs"][name] = row
            made[name] = {"variant": variant, "device": device, "architecture": architecture, "kind": kind,
                          "errors": errors, "seconds": round(time.time() - started, 1)}  # fmt: skip
            break
        else:
            made[name] = {"left_out": "torch could not build or run any variant", "errors": errors}
        print(name, made[name], flush=True)
        reference_path.write_text(json.dumps(reference, indent=1, sort_keys=True) + "\n")
        made_path.write_text(json.dumps(made, indent=1, sort_keys=True) + "\n")
    reference_path.write_text(json.dumps(reference, indent=1, sort_keys=True) + "\n")
    made_path.write_text(json.dumps(made, indent=1, sort_keys=True) + "\n")


def _measure(truth: Any, path: Path) -> dict[str, object]:
    """transformers_truth's measurement at 128 tokens, without the decoding step."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    row: dict[str, object] = {}
    for implementation in truth.IMPLEMENTATIONS:
        try:
            model = truth.build(path, implementation)
        except ValueError as error:
            if "attention implementation" not in str(error) and "support" not in str(error):
                raise
            row[f"unsupported_{implementation}"] = str(error).split(".")[0]
            continue
        row["architecture"] = type(model).__name__
        row["params"] = sum(p.numel() for p in model.parameters())
        for length in truth.LENGTHS if truth._main_input(model) == "input_ids" else (0,):
            inputs = truth._inputs(model, length)
            counter = truth.LinearCounter()
            with torch.no_grad(), counter:
                model(**inputs)
            flops = FlopCounterMode(display=False)
            with torch.no_grad(), flops:
                model(**inputs)
            row[f"torch_{implementation}_{length}"] = flops.get_total_flops()
            row[f"seed_linear_{length}"] = counter.seed
    return row


def score(directory: Path, only: list[str]) -> None:
    """Analyze every config of `directory` that has truth; DIR/scores.json and a summary."""
    from staticflops.api import RECURSION_LIMIT
    from staticflops.catalog.spec import WorkKind
    from staticflops.conventions import Convention, as_works, price
    from staticflops.frontends.hf_config import analyze_config
    from staticflops.interpreter.budget import Limits
    from staticflops.models import new_interpreter
    from staticflops.source import Project
    from staticflops.source.libraries import find_libraries

    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    reference = json.loads((directory / "reference.json").read_text())["configs"]
    scores_path = directory / "scores.json"
    scores = json.loads(scores_path.read_text()) if scores_path.exists() and only else {}
    libraries = find_libraries(True, None, None)

    def fresh() -> tuple[Any, Any]:
        project = Project(library_roots=[Path(root) for root in libraries.roots], libraries=libraries.origin)
        return project, new_interpreter(project, Limits())

    project, interp = fresh()
    signal.signal(signal.SIGALRM, _alarm)
    for name in sorted(reference):
        if only and name not in only:
            continue
        truth = reference[name]
        length = 128 if "torch_eager_128" in truth or "torch_sdpa_128" in truth else 0
        started = time.time()
        signal.alarm(TIMEOUT * 2)
        try:
            result = analyze_config(project, interp, directory / f"{name}.json", model=None, input_shapes=None,
                                    named_shapes={"input_ids": (1, length)} if length else None,
                                    convention=Convention.TORCH, limits=Limits())  # fmt: skip
            signal.alarm(0)
        except BaseException as error:
            signal.alarm(0)
            if isinstance(error, KeyboardInterrupt):
                raise
            last = traceback.extract_tb(error.__traceback__)[-1]
            scores[name] = {"status": "error", "first": f"{type(error).__name__}: {str(error)[:200]} "
                            f"({Path(last.filename).name}:{last.lineno})"}  # fmt: skip
            project, interp = fresh()
            print(name, scores[name], flush=True)
            continue
        seconds = round(time.time() - started, 1)
        if not result.models:
            first = next((d for d in result.diagnostics if d.code.code in ("SF008", "SF004", "SF303")),
                         result.diagnostics[0] if result.diagnostics else None)  # fmt: skip
            scores[name] = {"status": "crash", "first": first.format() if first else "", "seconds": seconds}
            print(name, scores[name], flush=True)
            continue
        model = result.models[0]
        types = ("Linear", "F.linear", "torch.addmm", "Conv1D")
        seed = sum(  # the linear calls: those layers, and the F.linear inside a module of the model's own
            price(layer.works, Convention.SEED) if layer.type in types
            else price(tuple(w for w in as_works(layer.works) if w.kind is WorkKind.LINEAR), Convention.SEED)
            for layer in model.layers
        )  # fmt: skip
        torch_total = truth.get(f"torch_sdpa_{length}", truth.get(f"torch_eager_{length}"))
        figures = {"params": (model.params, truth["params"]), "torch": (model.flops, torch_total),
                   "seed_linear": (seed, truth[f"seed_linear_{length}"])}  # fmt: skip
        equal = all(ours == theirs for ours, theirs in figures.values())
        flagged = not (model.params_complete and model.flops_complete)
        warnings = [d for d in model.diagnostics if d.code.code not in ("SF304",)]
        status = "exact" if equal and not flagged else ("incomplete" if flagged else "wrong")
        first = warnings[0].format() if warnings else ""
        scores[name] = {"status": status, "figures": figures, "first": first, "seconds": seconds}
        print(name, status, figures, first[:200], flush=True)
        scores_path.write_text(json.dumps(scores, indent=1, sort_keys=True) + "\n")
    scores_path.write_text(json.dumps(scores, indent=1, sort_keys=True) + "\n")
    counts: dict[str, int] = {}
    for row in scores.values():
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    print(counts)


if __name__ == "__main__":
    command, directory, *rest = sys.argv[1:]
    (make if command == "make" else score)(Path(directory), rest)
