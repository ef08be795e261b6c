"""The command line contract: output, diagnostics and exit codes (docs/usage.md)."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from staticflops.cli import app
from staticflops.launch import with_default_command
from tests.conftest import FIXTURES

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, with_default_command(list(args)))


def test_table_lists_layers_and_totals() -> None:
    result = invoke(str(FIXTURES / "lenet5.py"))
    assert result.exit_code == 0, result.output
    assert "LeNet5" in result.stdout
    assert "conv1" in result.stdout and "Conv2d" in result.stdout
    # LeNet-5's totals as measured with PyTorch (fixtures/expected/lenet5.json)
    assert "params 61,706   flops 844,276   macs 416,520   convention seed" in result.stdout


def test_json_follows_the_contract() -> None:
    result = invoke(str(FIXTURES / "lenet5.py"), "--format", "json", "-i", "1,1,32,32")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["convention"] == "seed"
    (model,) = data["models"]
    assert (model["name"], model["params"], model["flops"], model["macs"]) == ("LeNet5", 61706, 844276, 416520)
    assert model["inputs"] == [[1, 1, 32, 32]] and model["input_source"] == "given"
    conv1 = model["layers"][0]
    assert conv1 == {
        "path": "conv1",
        "type": "Conv2d",
        "file": str(FIXTURES / "lenet5.py"),
        "line": 11,
        "call_line": 18,
        "inputs": [[1, 1, 32, 32]],
        "output": [1, 6, 28, 28],
        "params": 156,
        "flops": 235200,
        "macs": 117600,
    }


def test_macs_convention() -> None:
    result = invoke(str(FIXTURES / "lenet5.py"), "-c", "macs", "-f", "json")
    # multiply-accumulates only: conv1 6·28·28·25 + conv2 16·10·10·150 + fc 400·120 + 120·84 + 84·10
    assert json.loads(result.stdout)["models"][0]["flops"] == 117_600 + 240_000 + 48_000 + 10_080 + 840


def test_missing_file_is_an_input_error() -> None:
    result = invoke("no/such/model.py")
    assert result.exit_code == 2
    assert "no/such/model.py: SF002 [file-not-found] 'no/such/model.py' does not exist" in result.stderr


def test_syntax_error_names_file_line_and_column(tmp_path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import torch\n\nx = (1, \n")
    result = invoke(str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:")
    assert "SF001 [syntax-error]" in result.stderr


def test_unknown_model_lists_what_is_defined() -> None:
    result = invoke(str(FIXTURES / "vgg11.py"), "--model", "vgg19")
    assert result.exit_code == 2
    assert "'vgg19' is not defined in this file; defined here: VGG, make_layers, vgg11, vgg11_bn" in result.stderr


def test_model_as_call_expression() -> None:
    result = invoke(str(FIXTURES / "vgg11.py"), "--model", "VGG(make_layers(cfgs['A']), num_classes=10)", "-f", "json")
    assert result.exit_code == 0
    # vgg11 with a 10-class head: 132,863,336 − 4096·990 − 990
    assert json.loads(result.stdout)["models"][0]["params"] == 132_863_336 - 4096 * 990 - 990


def test_shape_error_exits_1_with_both_numbers(tmp_path) -> None:
    source = tmp_path / "broken.py"
    source.write_text(
        "import torch.nn as nn\n\nclass Broken(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(100, 10)\n\n    def forward(self, x):\n        return self.fc(x)\n"
    )
    result = invoke(str(source), "-i", "1,64")
    assert result.exit_code == 1
    assert (
        f"{source}:9:16: SF201 [shape-mismatch] layer 'fc' (Linear): Linear expects 100 input features (in_features), "
        "but the input's last dimension is 64 (in 'Broken')" in result.stderr
    )


def test_bad_input_shape_option() -> None:
    result = invoke(str(FIXTURES / "lenet5.py"), "-i", "one,two")
    assert result.exit_code == 2
    assert "SF005" in result.stderr


def test_explain() -> None:
    result = runner.invoke(app, ["explain", "SF201"])
    assert result.exit_code == 0
    assert result.stdout.startswith("SF201 (shape-mismatch)")


def test_a_model_that_raises_is_an_error_at_the_raise(tmp_path) -> None:
    source = tmp_path / "raises.py"
    source.write_text(
        "import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self, depth=3):\n        super().__init__()\n"
        "        if depth > 2:\n            raise ValueError(f'depth {depth} is not supported')\n"
    )
    result = invoke(str(source), "--model", "Net(depth=4)")
    assert result.exit_code == 1
    expected = (
        f"{source}:7:13: SF306 [raise-reached] building 'Net(depth=4)' raised ValueError: depth 4 is not supported"
    )
    assert expected in result.stderr


def test_skipped_candidates_are_listed_with_the_reason() -> None:
    result = invoke(str(FIXTURES / "vgg11.py"), "-f", "json")
    data = json.loads(result.stdout)
    assert data["skipped"] == [
        {"file": str(FIXTURES / "vgg11.py"), "name": "VGG", "reason": "its constructor needs arguments (features)"}
    ]


def test_shapes_reveals_every_statement_of_forward() -> None:
    result = runner.invoke(app, ["shapes", str(FIXTURES / "lenet5.py")])
    assert result.exit_code == 0
    lenet = str(FIXTURES / "lenet5.py")
    assert result.stdout.splitlines() == [
        "# LeNet5: input [1, 1, 32, 32]",
        f"{lenet}:18: x: Tensor[1, 6, 14, 14]",
        f"{lenet}:19: x: Tensor[1, 16, 5, 5]",
        f"{lenet}:20: x: Tensor[1, 400]",
        f"{lenet}:21: x: Tensor[1, 120]",
        f"{lenet}:22: x: Tensor[1, 84]",
        f"{lenet}:23: return: Tensor[1, 10]",
    ]


def test_parallel_jobs_give_the_same_results() -> None:
    from staticflops import analyze

    files = [FIXTURES / name for name in ("lenet5.py", "vgg11.py", "mlp.py", "cifar_resnet.py")]
    serial = analyze(files)
    parallel = analyze(files, jobs=2)
    assert [(m.name, m.params, m.flops, m.inputs) for m in parallel.models] == [
        (m.name, m.params, m.flops, m.inputs) for m in serial.models
    ]
    assert [m.name for m in serial.models] == ["LeNet5", "vgg11", "vgg11_bn", "MLP", "ResNet", "resnet20", "resnet32"]


def test_timings_split_the_run_into_stages() -> None:
    result = invoke(str(FIXTURES / "lenet5.py"), "--timings", "-f", "json")
    assert result.exit_code == 0
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("timings:")]
    assert re.fullmatch(
        r"timings: parse [0-9.]+ s, interpret [0-9.]+ s, render [0-9.]+ s, total [0-9.]+ s "
        r"\(after [0-9.]+ s of start-up\)",
        line,
    )


def test_the_command_flushes_everything_before_its_immediate_exit(tmp_path) -> None:
    """`staticflops` (launch.run) ends with os._exit: the whole report must be out by then, exit code kept."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "staticflops", str(FIXTURES / "lenet5.py"), "-f", "json", "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["models"][0]["params"] == 61_706  # LeNet-5, fixtures/expected/lenet5.json
    missing = subprocess.run([sys.executable, "-m", "staticflops", "missing.py"], capture_output=True, cwd=tmp_path)
    assert missing.returncode == 2
