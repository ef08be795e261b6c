"""Record the expected numbers of each fixture by running it with real PyTorch.

Developer tool, never used by the analyzer: it imports the fixtures with torch, runs one
forward pass in eval mode, and records for every leaf call (module hooks, plus
functional calls captured with a TorchFunctionMode) the input and output shapes and
own parameters that torch reports. FLOPs are then computed from those observed shapes
with the reference formulas (docs/conventions.md), independently of staticflops.

    python -m venv /tmp/torch && /tmp/torch/bin/pip install torch==2.13.0
    /tmp/torch/bin/python scripts/make_expected.py        # rewrites fixtures/expected/*.json
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# (fixture file, model expression, input shape)
CASES = [
    ("lenet5.py", "LeNet5()", (1, 1, 32, 32)),
    ("alexnet_style.py", "AlexNet()", (1, 3, 224, 224)),
    ("vgg11.py", "vgg11()", (1, 3, 224, 224)),
    ("vgg11.py", "vgg11_bn()", (1, 3, 224, 224)),
    ("mlp.py", "MLP()", (1, 784)),
    ("mlp.py", "MLP(bias=False)", (4, 784)),
    ("sequential_model.py", "model", (1, 3, 32, 32)),
    ("seed_examples.py", "Conv3x3NoPad()", (1, 1, 5, 5)),
    ("seed_examples.py", "Conv300()", (1, 3, 300, 300)),
    ("seed_examples.py", "Conv300(bias=True)", (1, 3, 300, 300)),
    ("cifar_resnet.py", "resnet20()", (1, 3, 32, 32)),
    ("cifar_resnet.py", "resnet32()", (2, 3, 32, 32)),
    ("mobilenet_v2.py", "MobileNetV2()", (1, 3, 224, 224)),
    ("mobilenet_v2.py", "mobilenet_v2_050(num_classes=10)", (1, 3, 96, 96)),
    ("densenet.py", "DenseNet()", (1, 3, 32, 32)),
    ("twofile/model.py", "Net()", (1, 3, 64, 64)),
    ("gpt.py", "GPT()", (1, 64)),
    ("resnet50.py", "ResNet50()", (1, 3, 224, 224)),
]
TOKEN_INPUTS = {"gpt.py": 512}
"""Fixtures whose input is token ids: the vocabulary size to draw them from."""

FUNCTIONAL = {
    "relu": "activation",
    "relu_": "activation",
    "sigmoid": "activation",
    "tanh": "activation",
    "max_pool2d": "max_pool",
    "avg_pool2d": "avg_pool",
    "adaptive_avg_pool2d": "adaptive_avg_pool",
    "flatten": "free",
    "view": "free",
    "reshape": "free",
    "dropout": "free",
    "add": "elementwise",
    "__add__": "elementwise",
    "__iadd__": "elementwise",
    "add_": "elementwise",
    "mul": "elementwise",
    "cat": "free",
    "split": "free",
    "transpose": "free",
    "mean": "mean",
    "scaled_dot_product_attention": "sdpa",
}


def load(path: Path):
    """Import a fixture; one inside a package (fixtures/twofile/) is imported as part of it."""
    if (path.parent / "__init__.py").is_file():
        sys.path.insert(0, str(path.parent.parent))
        return importlib.import_module(f"{path.parent.name}.{path.stem}")
    spec = importlib.util.spec_from_file_location(f"fixture_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def adaptive_window(size: int, out: int) -> int:
    return sum(math.ceil((i + 1) * size / out) - (i * size) // out for i in range(out))


def seed_flops(kind: str, record: dict, module: nn.Module | None, args: dict) -> tuple[int, int]:
    """Seed FLOPs and MACs from torch's observed shapes and the module's attributes."""
    out = math.prod(record["output"])
    if isinstance(module, nn.modules.conv._ConvNd):
        per = module.in_channels // module.groups * math.prod(module.kernel_size)
        macs = out * per
        return 2 * macs - out + (out if module.bias is not None else 0), macs
    if isinstance(module, nn.Linear):
        macs = out * module.in_features
        return 2 * macs - out + (out if module.bias is not None else 0), macs
    if isinstance(module, nn.modules.batchnorm._BatchNorm):
        return out * (4 if module.affine else 2), 0
    if kind == "activation":
        return out, 0
    if kind in ("max_pool", "avg_pool"):
        kernel = module.kernel_size if module is not None else args["kernel_size"]
        n = len(record["output"]) - 2
        window = math.prod(kernel if isinstance(kernel, tuple) else (kernel,) * n)
        return (out * (window - 1) if kind == "max_pool" else out * window), 0
    if kind == "adaptive_avg_pool":
        x, y = record["inputs"][0], record["output"]
        planes = math.prod(y[:-2])
        return planes * adaptive_window(x[-2], y[-2]) * adaptive_window(x[-1], y[-1]), 0
    if kind == "elementwise":
        return out, 0
    if kind == "mean":  # n − 1 additions and a division per output: every input element once
        return math.prod(record["inputs"][0]), 0
    if kind == "sdpa":  # q·kᵀ and weights·v are matrix products, softmax 3 per score
        q, k = record["inputs"][0], record["inputs"][1]
        scores = math.prod(q[:-1]) * k[-2]
        first, second = scores * q[-1], out * k[-2]
        return (2 * first - scores) + 3 * scores + (2 * second - out), first + second
    if isinstance(module, nn.LayerNorm):  # mean, variance, normalize: 5 per element; affine 2 more
        return out * (7 if module.weight is not None else 5), 0
    return 0, 0


def module_kind(module: nn.Module) -> str:
    if isinstance(module, (nn.ReLU, nn.SiLU, nn.GELU, nn.Sigmoid, nn.Tanh, nn.ReLU6, nn.Hardswish)):
        return "activation"
    if isinstance(module, nn.modules.pooling._MaxPoolNd):
        return "max_pool"
    if isinstance(module, nn.modules.pooling._AvgPoolNd):
        return "avg_pool"
    if isinstance(module, nn.modules.pooling._AdaptiveAvgPoolNd):
        return "adaptive_avg_pool"
    return "module"


def record_model(model: nn.Module, shape: tuple[int, ...], vocabulary: int | None = None) -> dict:
    model.eval()
    names = {id(m): n for n, m in model.named_modules()}
    records: list[dict] = []
    inside_leaf = [0]

    def pre_hook(module, inputs):
        inside_leaf[0] += 1

    def post_hook(module, inputs, output):
        inside_leaf[0] -= 1
        record = {
            "path": names[id(module)],
            "type": type(module).__name__,
            "inputs": [list(t.shape) for t in inputs if isinstance(t, torch.Tensor)],
            "output": list(output.shape),
            "params": sum(p.numel() for p in module.parameters(recurse=False)),
        }
        record["flops"], record["macs"] = seed_flops(module_kind(module), record, module, {})
        records.append(record)

    class Functional(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            result = func(*args, **kwargs)
            name = getattr(func, "__name__", "")
            first = result[0] if isinstance(result, tuple) and result else result
            if inside_leaf[0] == 0 and name in FUNCTIONAL and isinstance(first, torch.Tensor):
                flat = [t for a in args for t in (a if isinstance(a, (list, tuple)) else [a])]
                tensors = [t for t in flat if isinstance(t, torch.Tensor)]
                bound = dict(kwargs)
                if name in ("max_pool2d", "avg_pool2d") and len(args) > 1:
                    bound["kernel_size"] = args[1]
                bound.setdefault("kernel_size", kwargs.get("kernel_size"))
                record = {
                    "path": None,
                    "type": name,
                    "inputs": [list(t.shape) for t in tensors],
                    "output": list(first.shape),
                    "params": 0,
                }
                record["flops"], record["macs"] = seed_flops(FUNCTIONAL[name], record, None, bound)
                records.append(record)
            return result

    containers = (nn.Sequential, nn.ModuleList, nn.ModuleDict)
    for module in model.modules():
        if not list(module.children()) and not isinstance(module, containers):
            module.register_forward_pre_hook(pre_hook)
            module.register_forward_hook(post_hook)
    data = torch.randint(0, vocabulary, shape) if vocabulary else torch.randn(shape)
    with torch.no_grad(), Functional():
        model(data)
    return {
        "input": list(shape),
        "params": sum(p.numel() for p in model.parameters()),
        "flops": sum(r["flops"] for r in records),
        "macs": sum(r["macs"] for r in records),
        "layers": records,
    }


def main() -> None:
    out_dir = FIXTURES / "expected"
    out_dir.mkdir(exist_ok=True)
    by_file: dict[str, dict] = {}
    for file, expression, shape in CASES:
        module = load(FIXTURES / file)
        model = eval(expression, vars(module))  # the fixture is ours; this is the oracle, not the analyzer
        entry = record_model(model, shape, TOKEN_INPUTS.get(file))
        entry["model"] = expression
        by_file.setdefault(file, {"fixture": file, "torch": torch.__version__, "models": []})["models"].append(entry)
        print(f"{file} {expression}: params {entry['params']:,} flops {entry['flops']:,}", file=sys.stderr)
    for file, data in by_file.items():
        target = out_dir / (file.replace("/", "_").removesuffix(".py") + ".json")
        target.write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
