"""Run staticflops over MONAI's networks, a library it was not built against, and score it.

MONAI 1.6.1's wheel is fetched with `pip download monai==1.6.1 --no-deps` (no torch needed) and its
Python sources unpacked into benchmarks/.cache/. Each case builds one network of
`monai/networks/nets/` by a constructor call (MONAI's networks need arguments: spatial dims,
channels) and analyzes it at the input shape of its row, under the `torch` convention.

The reference, benchmarks/monai_reference.tsv, was measured with real PyTorch (2.14.1, CPU) and
MONAI 1.6.1 by `--truth PYTHON`: the same constructor call evaluated in the module's namespace,
`sum(p.numel() for p in model.parameters())` and `FlopCounterMode`'s total of one `forward` under
`torch.no_grad()` in eval mode on a random input of that shape.

    python benchmarks/monai_suite.py                      # scores every case, exits 1 on a mismatch
    python benchmarks/monai_suite.py --truth /path/python # re-measures the reference with torch + monai
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
VERSION = "1.6.1"
SOURCES = CACHE / f"monai-{VERSION}"
REFERENCE = HERE / "monai_reference.tsv"

CASES: list[tuple[str, str, tuple[int, ...]]] = [
    ("unet", "UNet(spatial_dims=2, in_channels=1, out_channels=2, channels=(16, 32, 64, 128), strides=(2, 2, 2), "
             "num_res_units=2)", (1, 1, 64, 64)),
    ("basic_unet", "BasicUNet(spatial_dims=2, in_channels=1, out_channels=2)", (1, 1, 64, 64)),
    ("densenet", "DenseNet121(spatial_dims=2, in_channels=3, out_channels=10)", (1, 3, 64, 64)),
    ("resnet", "ResNet(block='basic', layers=[2, 2, 2, 2], block_inplanes=[64, 128, 256, 512], spatial_dims=2, "
               "n_input_channels=3, num_classes=10)", (1, 3, 64, 64)),
    ("vit", "ViT(in_channels=1, img_size=(32, 32), patch_size=(8, 8), spatial_dims=2, hidden_size=96, mlp_dim=192, "
            "num_layers=2, num_heads=4)", (1, 1, 32, 32)),
    ("unetr", "UNETR(in_channels=1, out_channels=2, img_size=(32, 32), spatial_dims=2, feature_size=8, hidden_size=96, "
              "mlp_dim=192, num_heads=4)", (1, 1, 32, 32)),
    ("swin_unetr", "SwinUNETR(in_channels=1, out_channels=2, spatial_dims=2, feature_size=12)", (1, 1, 64, 64)),
    ("attentionunet", "AttentionUnet(spatial_dims=2, in_channels=1, out_channels=2, channels=(8, 16, 32), "
                      "strides=(2, 2))", (1, 1, 32, 32)),
    ("dynunet", "DynUNet(spatial_dims=2, in_channels=1, out_channels=2, kernel_size=[3, 3, 3], strides=[1, 2, 2], "
                "upsample_kernel_size=[2, 2])", (1, 1, 32, 32)),
    ("efficientnet", "EfficientNetBN('efficientnet-b0', pretrained=False, spatial_dims=2, in_channels=3, "
                     "num_classes=10)", (1, 3, 64, 64)),
    ("senet", "SEResNet50(spatial_dims=2, in_channels=3, num_classes=10)", (1, 3, 64, 64)),
    ("vnet", "VNet(spatial_dims=3, in_channels=1, out_channels=2)", (1, 1, 32, 32, 32)),
    ("highresnet", "HighResNet(spatial_dims=2, in_channels=1, out_channels=2)", (1, 1, 32, 32)),
    ("autoencoder", "AutoEncoder(spatial_dims=2, in_channels=1, out_channels=1, channels=(4, 8, 16), "
                    "strides=(2, 2, 2))", (1, 1, 32, 32)),
    ("segresnet", "SegResNet()", (1, 1, 16, 112, 112)),
    ("segresnet_ds", "SegResNetDS(spatial_dims=2, init_filters=8, in_channels=1, out_channels=2)", (1, 1, 64, 64)),
]  # fmt: skip

TRUTH = """
import importlib, json, sys, torch
from torch.utils.flop_counter import FlopCounterMode
found = {}
for module, call, shape in json.loads(sys.argv[1]):
    namespace = vars(importlib.import_module(f"monai.networks.nets.{module}"))
    model = eval(call, namespace).eval()  # our own constructor calls, run by torch for the reference
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(torch.randn(*shape))
    found[module] = [sum(p.numel() for p in model.parameters()), counter.get_total_flops()]
print(json.dumps(found))
"""


def fetch_sources() -> Path:
    """MONAI's Python sources, downloaded once (no torch, nothing imported)."""
    if (SOURCES / "monai" / "networks" / "nets" / "unet.py").is_file():
        return SOURCES
    CACHE.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", f"monai=={VERSION}", "-d", str(CACHE)]
    subprocess.run(command, check=True)
    wheel = next(CACHE.glob(f"monai-{VERSION}-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith("monai/") and name.endswith(".py"):
                archive.extract(name, SOURCES)
    return SOURCES


def reference() -> dict[str, tuple[int, int]]:
    with REFERENCE.open() as handle:
        return {
            row["module"]: (int(row["params"]), int(row["torch_flops"]))
            for row in csv.DictReader(handle, delimiter="\t")
        }


def measure(module: str, call: str, shape: tuple[int, ...], root: Path) -> tuple[int, int, bool, list[str]]:
    """params, torch-convention FLOPs, completeness and the warnings of one case, from the CLI's JSON."""
    shape_text = ",".join(map(str, shape))
    command = [sys.executable, "-m", "staticflops", f"monai/networks/nets/{module}.py", "--model", call,
               "--input-shape", shape_text, "--convention", "torch", "--format", "json", "--no-cache"]  # fmt: skip
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600)
    document = json.loads(done.stdout)
    warnings = [f"{d['file']}:{d['line']}: {d['message']}" for d in document["diagnostics"] if d["severity"] != "info"]
    if not document["models"]:
        return 0, 0, False, warnings
    model = document["models"][0]
    return model["params"], model["flops"], model["complete"], warnings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--truth", metavar="PYTHON", help="re-measure the reference with this interpreter (torch, monai)"
    )
    args = parser.parse_args()
    root = fetch_sources()
    if args.truth:
        cases = json.dumps([[module, call, list(shape)] for module, call, shape in CASES])
        found = json.loads(
            subprocess.run([args.truth, "-c", TRUTH, cases], capture_output=True, text=True, check=True).stdout
        )
        with REFERENCE.open("w") as handle:
            handle.write("module\tparams\ttorch_flops\n")
            handle.writelines(f"{module}\t{found[module][0]}\t{found[module][1]}\n" for module, _, _ in CASES)
    truth = reference()
    exact = 0
    for module, call, shape in CASES:
        params, flops, complete, warnings = measure(module, call, shape, root)
        ok = complete and (params, flops) == truth[module]
        exact += ok
        print(f"{'exact' if ok else 'WRONG'}  {module:14} params {params:>11,} (torch {truth[module][0]:>11,})  "
              f"flops {flops:>15,} (torch {truth[module][1]:>15,})" + ("" if ok else f"  {warnings[:2]}"))  # fmt: skip
    print(f"{exact} / {len(CASES)} exact")
    return 0 if exact == len(CASES) else 1


if __name__ == "__main__":
    sys.exit(main())
