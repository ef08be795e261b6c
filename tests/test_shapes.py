"""Input shapes: inferred when not given; shape bugs reported at the call with both numbers.

The broken fixtures (fixtures/broken/) each hold one kind of shape error.
"""

from __future__ import annotations

import pytest

from staticflops import analyze
from tests.conftest import FIXTURES

BROKEN = FIXTURES / "broken"

CASES = [
    # fixture, input shape, code, line:column, message
    ("linear_in_features.py", (1, 3, 64, 64), "SF201", (13, 16),
     "layer 'fc' (Linear): Linear expects 14400 input features (in_features), but the input's last dimension is 61504"),
    ("conv_in_channels.py", (1, 3, 32, 32), "SF201", (11, 16),
     "layer 'conv2' (Conv2d): Conv2d expects 64 input channels (in_channels), but the input has 32"),
    ("cat_sizes.py", (1, 8, 16, 16), "SF201", (12, 16),
     "cat(): sizes of tensors must match except in dimension 1: [1, 8, 16, 16] and [1, 8, 8, 8]"),
    ("view_size.py", (1, 3, 16, 16), "SF202", (10, 16),
     "view(): shape [1, 8, 100] is invalid for an input of 2048 elements [1, 8, 16, 16]"),
    ("matmul_inner.py", (1, 10, 64), "SF201", (11, 16),
     "matmul: inner dimensions differ: [1, 10, 64] @ [1, 10, 32] (64 against 10)"),
    ("input_too_small.py", (1, 3, 32, 32), "SF203", (10, 16),
     "layer 'layers.4' (Conv2d): Conv2d output would be [0, 0]: the input [1, 1] is too small for kernel [3, 3]"),
    ("broadcast_add.py", (1, 16, 8, 8), "SF204", (10, 16),
     "shapes [1, 16, 8, 8] and [1, 32, 8, 8] cannot be broadcast together (size 16 against 32)"),
    ("index_out_of_bounds.py", (1, 8, 16), "SF205", (10, 26),
     "index 8 is out of bounds for dimension 1 with size 8"),
    ("batchnorm_features.py", (1, 3, 32, 32), "SF201", (11, 16),
     "layer 'bn' (BatchNorm2d): BatchNorm2d expects 32 channels (num_features), but the input has 24"),
    ("layernorm_shape.py", (1, 10, 64), "SF201", (11, 16),
     "layer 'norm' (LayerNorm): LayerNorm expects trailing dimensions [64] (normalized_shape), but the input is "
     "[1, 10, 128]"),
]  # fmt: skip


@pytest.mark.parametrize(("fixture", "shape", "code", "position", "message"), CASES, ids=[c[0] for c in CASES])
def test_shape_error_is_reported_at_the_call(fixture, shape, code, position, message) -> None:
    analysis = analyze([BROKEN / fixture], inputs=[shape])
    errors = [d for d in analysis.diagnostics if d.severity == "error"]
    assert len(errors) == 1, [d.format() for d in analysis.diagnostics]
    (error,) = errors
    assert (error.code.code, (error.line, (error.column or 0) + 1)) == (code, position)
    assert message in error.message
    assert not analysis.models[0].flops_complete


def test_one_broken_model_does_not_stop_the_others() -> None:
    analysis = analyze([BROKEN / "one_broken_one_fine.py"], inputs=[(1, 32)])
    broken, fine = analysis.models
    assert [d.code.code for d in broken.diagnostics] == ["SF201"]
    assert (fine.name, fine.params, fine.diagnostics) == ("Fine", 32 * 16 + 16 + 16 * 4 + 4, [])


@pytest.mark.parametrize(
    ("fixture", "model", "expected", "source"),
    [
        ("lenet5.py", "LeNet5", (1, 1, 32, 32), "inferred"),  # Linear(16*5*5) after flatten pins 32
        ("mlp.py", "MLP", (1, 784), "default"),  # Linear(784, ...) first
        ("gpt.py", "GPT", (1, 64), "inferred"),  # token ids of the configured block_size
        ("twofile/model.py", "Net", (1, 3, 224, 224), "default"),  # fully convolutional: nothing pins it
    ],
)
def test_input_shape_is_inferred(fixture, model, expected, source) -> None:
    (result,) = analyze([FIXTURES / fixture], model=model).models
    assert result.inputs == [expected]
    assert result.input_source == source
    notes = [d.message for d in result.diagnostics if d.code.code == "SF304"]
    assert notes and f"input shape {list(expected)} assumed" in notes[0]


def test_mnist_cnn_is_solved_to_28(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn
        import torch.nn.functional as F

        class MnistNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(1, 32, 3, 1)
                self.conv2 = nn.Conv2d(32, 64, 3, 1)
                self.fc1 = nn.Linear(9216, 128)
                self.fc2 = nn.Linear(128, 10)

            def forward(self, x):
                x = F.relu(self.conv1(x))
                x = F.max_pool2d(F.relu(self.conv2(x)), 2)
                x = x.flatten(1)
                return self.fc2(F.relu(self.fc1(x)))
        """
    )
    # 28 → 26 → 24 → 12: 64·12·12 = 9216 (sizes 28 and 29 fit; 28 has more factors of two)
    assert model.inputs == [(1, 1, 28, 28)]


def test_named_inputs_go_to_forward_arguments(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn

        class Fusion(nn.Module):
            def __init__(self):
                super().__init__()
                self.image = nn.Linear(512, 64)
                self.text = nn.Linear(300, 64)

            def forward(self, x, mask=None, text=None):
                return self.image(x) + self.text(text)
        """,
        inputs=[(2, 512)],
        named_inputs={"text": (2, 300)},
    )
    assert [layer.output for layer in model.layers] == [(2, 64), (2, 64), (2, 64)]


def test_input_shape_from_pyproject(tmp_path) -> None:
    (tmp_path / "lenet.py").write_text((FIXTURES / "lenet5.py").read_text())
    (tmp_path / "pyproject.toml").write_text(
        '[tool.staticflops]\ninput-shape = "1,1,40,40"\n\n'
        '[[tool.staticflops.models]]\nfile = "lenet.py"\nmodel = "LeNet5"\ninput-shape = "2,1,32,32"\n'
    )
    (by_model,) = analyze([tmp_path / "lenet.py"], model="LeNet5").models
    assert (by_model.inputs, by_model.input_source) == ([(2, 1, 32, 32)], "config")
    # LeNet-5 at batch 1 costs 844,276, as measured with PyTorch (fixtures/expected/lenet5.json)
    assert by_model.flops == 2 * 844_276
    given = analyze([tmp_path / "lenet.py"], model="LeNet5", inputs=[(1, 1, 32, 32)]).models[0]
    assert given.input_source == "given"


def test_batch_sets_the_first_dimension() -> None:
    (model,) = analyze([FIXTURES / "lenet5.py"], batch=4).models
    assert model.inputs == [(4, 1, 32, 32)]
    assert model.flops == 4 * 844_276
    assert model.params == 61_706
