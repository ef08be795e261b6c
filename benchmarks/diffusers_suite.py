"""Run staticflops over diffusers' models, a library it was not built against, and score it.

diffusers 0.35.2's wheel is fetched with `pip download diffusers==0.35.2 --no-deps` (no torch, no
huggingface_hub) and its Python sources unpacked into benchmarks/.cache/. Each case is one of our own
user-style files in benchmarks/diffusers_models/: it builds a small diffusers model at module level the
way diffusers' documentation does (`UNet2DModel(sample_size=32, block_out_channels=(32, 64), ...)`) and
calls it under `if __name__ == "__main__":` with its inputs (a noisy sample, a timestep, text
embeddings). staticflops is run on the file as a user would run it, with no options but the library's
path: the model, its inputs and their shapes are read from the file.

The reference, benchmarks/diffusers_reference.json, is made with real PyTorch by
benchmarks/diffusers_truth.py (how: its docstring). A case is exact when the analysis is complete and
its parameters, its seed FLOPs of convolutions and linear layers, and its `torch`-convention total all
equal the reference.

    python benchmarks/diffusers_suite.py          # scores every case, exits 1 on a mismatch
    python benchmarks/diffusers_truth.py          # re-measures the reference (torch + diffusers)
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
VERSION = "0.35.2"
SOURCES = CACHE / f"diffusers-{VERSION}"
MODELS = HERE / "diffusers_models"
REFERENCE = HERE / "diffusers_reference.json"


@dataclass(frozen=True)
class Case:
    """One user file, the module-level model it builds, and its `forward` inputs as its usage block
    gives them, by name (only the truth script reads them: staticflops reads the file):

    * `("randn", shape)`, `("zeros", shape)`, `("ones", shape)`: a float tensor;
    * `("randint", [high, shape])`: token ids;
    * `("tensor", values)`: a small tensor of those values (timesteps, class labels; a number the file
      passes as is is a 0-d tensor here, as the model turns it into one);
    * `("dict", {...})`: a dict of inputs; `("none", None)`: None; `("constant", value)`: any other value.
    """

    name: str
    file: str
    variable: str
    inputs: dict[str, Any] = field(default_factory=dict)


CASES = [
    Case("unet2d", "unet2d.py", "model", {"sample": ("randn", [1, 3, 32, 32]), "timestep": ("tensor", [10])}),
    Case("unet2d_condition", "unet2d_condition.py", "unet",
         {"sample": ("randn", [1, 4, 16, 16]), "timestep": ("tensor", [999]),
          "encoder_hidden_states": ("randn", [1, 77, 32])}),
    Case("autoencoder_kl", "autoencoder_kl.py", "vae", {"sample": ("randn", [1, 3, 32, 32])}),
    Case("dit", "dit.py", "dit", {"hidden_states": ("randn", [1, 4, 8, 8]), "timestep": ("tensor", [5]),
                                  "class_labels": ("tensor", [3])}),
    Case("transformer2d", "transformer2d.py", "transformer",
         {"hidden_states": ("randn", [1, 32, 8, 8]), "encoder_hidden_states": ("randn", [1, 10, 24])}),
    Case("vq", "vq.py", "vq", {"sample": ("randn", [1, 3, 32, 32])}),
    Case("unet1d", "unet1d.py", "unet", {"sample": ("randn", [1, 2, 256]), "timestep": ("tensor", [10])}),
    Case("sd3", "sd3.py", "mmdit",
         {"hidden_states": ("randn", [1, 4, 16, 16]), "encoder_hidden_states": ("randn", [1, 12, 32]),
          "pooled_projections": ("randn", [1, 64]), "timestep": ("tensor", [500])}),
    Case("flux", "flux.py", "flux",
         {"hidden_states": ("randn", [1, 64, 16]), "encoder_hidden_states": ("randn", [1, 8, 32]),
          "pooled_projections": ("randn", [1, 32]), "timestep": ("tensor", [1.0]), "img_ids": ("zeros", [64, 3]),
          "txt_ids": ("zeros", [8, 3])}),
    Case("pixart", "pixart.py", "pixart",
         {"hidden_states": ("randn", [1, 4, 8, 8]), "encoder_hidden_states": ("randn", [1, 6, 24]),
          "timestep": ("tensor", [10]),
          "added_cond_kwargs": ("dict", {"resolution": ("none", None), "aspect_ratio": ("none", None)})}),
    Case("controlnet", "controlnet.py", "controlnet",
         {"sample": ("randn", [1, 4, 16, 16]), "timestep": ("tensor", [10]),
          "encoder_hidden_states": ("randn", [1, 77, 32]), "controlnet_cond": ("randn", [1, 3, 32, 32])}),
    Case("unet3d", "unet3d.py", "unet",
         {"sample": ("randn", [1, 4, 4, 16, 16]), "timestep": ("tensor", [10]),
          "encoder_hidden_states": ("randn", [1, 10, 32])}),
    Case("autoencoder_tiny", "autoencoder_tiny.py", "taesd", {"sample": ("randn", [1, 3, 64, 64])}),
    Case("unet2d_sdxl", "unet2d_sdxl.py", "unet",
         {"sample": ("randn", [1, 4, 16, 16]), "timestep": ("tensor", [10]),
          "encoder_hidden_states": ("randn", [1, 77, 32]),
          "added_cond_kwargs": ("dict", {"text_embeds": ("randn", [1, 32]), "time_ids": ("randn", [1, 6])})}),
    Case("prior", "prior.py", "prior",
         {"hidden_states": ("randn", [1, 16]), "timestep": ("tensor", [10]), "proj_embedding": ("randn", [1, 16]),
          "encoder_hidden_states": ("randn", [1, 7, 16])}),
    Case("svd", "svd.py", "unet",
         {"sample": ("randn", [1, 3, 8, 8, 8]), "timestep": ("tensor", 20),
          "encoder_hidden_states": ("randn", [1, 1, 32]), "added_time_ids": ("randn", [1, 3]),
          "return_dict": ("constant", False)}),
    Case("cogvideox", "cogvideox.py", "transformer",
         {"hidden_states": ("randn", [1, 3, 4, 8, 8]), "encoder_hidden_states": ("randn", [1, 6, 16]),
          "timestep": ("tensor", [10]), "return_dict": ("constant", False)}),
    Case("auraflow", "auraflow.py", "model",
         {"hidden_states": ("randn", [1, 4, 8, 8]), "encoder_hidden_states": ("randn", [1, 5, 16]),
          "timestep": ("tensor", [30])}),
    Case("sana", "sana.py", "sana",
         {"hidden_states": ("randn", [1, 4, 8, 8]), "encoder_hidden_states": ("randn", [1, 5, 12]),
          "timestep": ("tensor", [10])}),
    Case("unet2d_ncsnpp", "unet2d_ncsnpp.py", "model",
         {"sample": ("randn", [1, 3, 16, 16]), "timestep": ("tensor", [0.5])}),
    Case("asymmetric_vae", "asymmetric_vae.py", "vae",
         {"sample": ("randn", [1, 3, 32, 32]), "mask": ("ones", [1, 1, 32, 32])}),
    Case("wan", "wan.py", "wan",
         {"hidden_states": ("randn", [1, 4, 2, 8, 8]), "timestep": ("tensor", [10]),
          "encoder_hidden_states": ("randn", [1, 6, 16])}),
    Case("ltx", "ltx.py", "ltx",
         {"hidden_states": ("randn", [1, 32, 8]), "encoder_hidden_states": ("randn", [1, 6, 12]),
          "timestep": ("tensor", [10]), "encoder_attention_mask": ("ones", [1, 6]), "num_frames": ("constant", 2),
          "height": ("constant", 4), "width": ("constant", 4)}),
    Case("temporal_vae", "temporal_vae.py", "vae",
         {"sample": ("randn", [2, 3, 32, 32]), "num_frames": ("constant", 2)}),
    Case("oobleck", "oobleck.py", "vae", {"sample": ("randn", [1, 2, 256])}),
    Case("autoencoder_dc", "autoencoder_dc.py", "dc_ae", {"sample": ("randn", [1, 3, 32, 32])}),
    Case("t2i_adapter", "t2i_adapter.py", "adapter", {"x": ("randn", [1, 3, 64, 64])}),
    Case("uvit", "uvit.py", "uvit",
         {"input_ids": ("randint", [32, [1, 8, 8]]), "encoder_hidden_states": ("randn", [1, 5, 16]),
          "pooled_text_emb": ("randn", [1, 16]), "micro_conds": ("randn", [1, 5])}),
    Case("animatediff", "animatediff.py", "unet",
         {"sample": ("randn", [1, 4, 4, 8, 8]), "timestep": ("tensor", 10),
          "encoder_hidden_states": ("randn", [4, 6, 32])}),
    Case("hunyuan_video", "hunyuan_video.py", "model",
         {"hidden_states": ("randn", [1, 4, 2, 8, 8]), "timestep": ("tensor", [10]),
          "encoder_hidden_states": ("randn", [1, 6, 16]), "encoder_attention_mask": ("ones", [1, 6]),
          "pooled_projections": ("randn", [1, 8]), "guidance": ("tensor", [3500.0])}),
    Case("cogview4", "cogview4.py", "model",
         {"hidden_states": ("randn", [1, 4, 8, 8]), "encoder_hidden_states": ("randn", [1, 6, 12]),
          "timestep": ("tensor", [10]), "original_size": ("tensor", [[64.0, 64.0]]),
          "target_size": ("tensor", [[64.0, 64.0]]), "crop_coords": ("tensor", [[0.0, 0.0]])}),
    Case("qwen_image", "qwen_image.py", "model",
         {"hidden_states": ("randn", [1, 16, 16]), "encoder_hidden_states": ("randn", [1, 6, 12]),
          "encoder_hidden_states_mask": ("ones", [1, 6]), "timestep": ("tensor", [0.5]),
          "img_shapes": ("constant", [(1, 4, 4)]), "txt_seq_lens": ("constant", [6])}),
]  # fmt: skip


def fetch_sources() -> Path:
    """diffusers' Python sources, downloaded once (no torch, nothing imported)."""
    if (SOURCES / "diffusers" / "models" / "unets" / "unet_2d.py").is_file():
        return SOURCES
    CACHE.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", f"diffusers=={VERSION}",
               "-d", str(CACHE)]  # fmt: skip
    subprocess.run(command, check=True)
    wheel = next(CACHE.glob(f"diffusers-{VERSION}-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith("diffusers/") and name.endswith(".py"):
                archive.extract(name, SOURCES)
    return SOURCES


def reference() -> dict[str, dict[str, Any]]:
    return json.loads(REFERENCE.read_text())["cases"]


@dataclass
class Score:
    params: int = 0
    seed_conv_linear_flops: int = 0
    torch_flops: int = 0
    complete: bool = False
    problems: list[str] = field(default_factory=list)


def measure(case: Case, root: Path) -> Score:
    """The case's file analyzed as a user runs it: no --model, no --input-shape."""
    from staticflops import analyze
    from staticflops.catalog import WorkKind
    from staticflops.conventions import Convention, price
    from staticflops.diagnostics import Severity

    products = {WorkKind.CONV, WorkKind.CONV_TRANSPOSE, WorkKind.LINEAR}
    score = Score()
    try:
        analysis = analyze([str(MODELS / case.file)], search_paths=[str(root)], site_packages=False)
    except Exception as exc:  # the scoreboard records a crash as a failure
        score.problems = [f"crash: {type(exc).__name__}: {exc}"]
        return score
    score.problems = [d.format() for d in analysis.diagnostics if d.severity is not Severity.INFO]
    if not analysis.models:
        return score
    model = analysis.models[0]
    score.params = model.params
    score.complete = model.flops_complete
    score.seed_conv_linear_flops = sum(
        price(work, Convention.SEED) for layer in model.layers for work in layer.works if work.kind in products
    )
    score.torch_flops = sum(price(layer.works, Convention.TORCH, layer.caller) for layer in model.layers)
    return score


def main() -> int:
    sys.setrecursionlimit(20_000)
    root = fetch_sources()
    truth = reference()
    exact = 0
    for case in CASES:
        score = measure(case, root)
        want = truth[case.name]
        got = (score.params, score.seed_conv_linear_flops, score.torch_flops)
        expected = (want["params"], want["seed_conv_linear_flops"], want["torch_flops"])
        ok = score.complete and got == expected
        exact += ok
        print(f"{'exact' if ok else 'WRONG'}  {case.name:17} params {got[0]:>10,} ({expected[0]:>10,})  "
              f"conv+linear {got[1]:>13,} ({expected[1]:>13,})  torch {got[2]:>13,} ({expected[2]:>13,})"
              + ("" if ok else f"\n       {score.problems[:2]}"))  # fmt: skip
    print(f"{exact} / {len(CASES)} exact")
    return 0 if exact == len(CASES) else 1


if __name__ == "__main__":
    sys.exit(main())
