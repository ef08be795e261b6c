"""`staticflops model.py` with no flags reports the model the file is about (fixtures/first_command/).

Parameter counts were measured with PyTorch 2.14 on the same files; FLOPs follow docs/conventions.md.
"""

from __future__ import annotations

from staticflops import analyze
from tests.conftest import FIXTURES

FIRST = FIXTURES / "first_command"


def only_model(name: str):
    analysis = analyze([FIRST / name])
    assert len(analysis.models) == 1, [m.name for m in analysis.models]
    return analysis.models[0], analysis


def test_a_class_built_and_fed_by_a_test_function() -> None:
    model, analysis = only_model("vgg_test_function.py")
    assert (model.name, model.inputs, model.input_source) == ("VGG", [(2, 3, 32, 32)], "usage")
    assert model.params == 157_962  # torch: VGG("VGG11") of this file
    batch = 2
    assert model.flops == batch * (
        2 * 27 * 64 * 32 * 32  # conv 3→64, bias
        + 4 * 64 * 32 * 32  # BatchNorm
        + 2 * 64 * 32 * 32  # Swish: sigmoid and product
        + 3 * 64 * 16 * 16  # 2×2 max pool: 3 comparisons per output
        + 2 * 576 * 128 * 16 * 16  # conv 64→128, bias
        + 4 * 128 * 16 * 16
        + 2 * 128 * 16 * 16
        + 3 * 128 * 8 * 8
        + 2 * 8192 * 10  # Linear(8192, 10), bias
    )
    assert model.flops_complete
    assert any("from usage at" in d.message and d.line == 38 for d in model.diagnostics)
    assert all(name != "test" for name, _ in analysis.files[0].skipped)


def test_a_main_block_states_the_construction_and_an_integer_input() -> None:
    model, _ = only_model("main_block.py")
    assert (model.inputs, model.input_source) == ([(4, 12)], "usage")
    assert model.params == 2_483  # torch: CharRNNClassifier(50, 16, classes=3)
    assert model.layers[0].type == "Embedding" and model.layers[0].output == (4, 12, 16)


def test_a_config_dataclass_with_defaults_is_built_for_the_model() -> None:
    model, _ = only_model("gpt_config_dataclass.py")
    assert model.name == "GPT"  # MLP(config) is one of its blocks, not a model
    assert model.params == 25_152  # torch: GPT(GPTConfig())
    assert model.inputs == [(1, 64)]  # token ids of the config's block_size
    note = next(d for d in model.diagnostics if "GPTConfig()" in d.message)
    assert "--model 'GPT(GPTConfig(...))'" in note.message


def test_helper_activation_classes_are_not_the_model() -> None:
    model, analysis = only_model("helpers_first.py")
    assert model.name == "Net" and model.params == 618
    assert ("Tiny", "its constructor needs arguments (dim)") in analysis.files[0].skipped


def test_an_image_size_the_model_declares_comes_before_the_default() -> None:
    model, _ = only_model("vit_image_size.py")
    assert model.inputs == [(1, 3, 32, 32)]
    assert model.params == 81_098  # torch: ViT()
    assert model.flops_complete
    assert any("image size 32×32 from the model's 'img_size'" in d.message for d in model.diagnostics)


def test_model_and_input_shape_options_are_unchanged() -> None:
    analysis = analyze([FIRST / "vgg_test_function.py"], model='VGG("VGG13")', inputs=[(1, 3, 32, 32)])
    (model,) = analysis.models
    assert model.input_source == "given"
    # VGG13 of this file: convs 3→64, 64→64, 64→128, 128→128 with BatchNorms, then Linear(8192, 10)
    assert model.params == (1792 + 128) + (36928 + 128) + (73856 + 256) + (147584 + 256) + 81930


def test_all_reports_every_buildable_module() -> None:
    analysis = analyze([FIRST / "helpers_first.py"], all_models=True)
    assert [m.name for m in analysis.models] == ["QuickGELU", "ChannelShuffle", "Net"]
