"""`--format html` without a browser: the page is self-contained and small, well formed, carries the
JSON contract's data, and its treemap tree adds up to the model's totals. The page as drawn by a
real browser is tests/test_html_browser.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import networkx as nx
import pytest
from typer.testing import CliRunner

from staticflops import analyze
from staticflops.cli import app
from staticflops.report import OutputFormat, render
from staticflops.report.html import OTHER_PARAMETERS, _script_json, leaves, module_tree, page_data
from staticflops.report.json import to_json
from staticflops.report.layout import layered, ranks
from tests.conftest import FIXTURES, ROOT
from tests.test_diff import repo  # noqa: F401 (a fixture)

runner = CliRunner()
MODELS = {"lenet5": (1, 1, 32, 32), "resnet50": (1, 3, 224, 224), "vit": (1, 3, 224, 224)}
LENET_PATH = str(FIXTURES / "lenet5.py")
VOID = {"meta", "br", "img", "input", "link", "hr", "source", "wbr"}


@pytest.fixture(scope="module")
def analyses():
    return {name: analyze([FIXTURES / f"{name}.py"], inputs=[shape]) for name, shape in MODELS.items()}


class Structure(HTMLParser):
    """Every element closed in order, and the embedded data's text."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.problems: list[str] = []
        self.data: list[str] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:]}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] == "script" and self.scripts[-1].get("id") == "report-data":
            self.data.append(data)


def parsed(page: str) -> Structure:
    structure = Structure()
    structure.feed(page)
    structure.close()
    return structure


@pytest.mark.parametrize("name", MODELS)
def test_page_is_self_contained_small_and_well_formed(analyses, name: str) -> None:
    page = render(analyses[name], OutputFormat.HTML)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert not re.search(r"https?:|//[a-z]", page, re.IGNORECASE)  # nothing to fetch, not even a namespace URL
    assert not re.search(r"<(link|img|iframe)\b|\b(src|href)=|@import|url\(", page)
    assert len(page.encode()) < 1_000_000  # the limit, for resnet50 (about 120 KB)
    structure = parsed(page)
    assert structure.problems == [] and structure.open == []
    assert [s.get("type") for s in structure.scripts] == ["application/json", None]
    data = json.loads("".join(structure.data))
    assert data == json.loads(json.dumps(page_data(analyses[name])))


def test_the_page_carries_the_json_contract(analyses) -> None:
    """Every field of `--format json` is in the page, unchanged: the page only adds to it."""
    analysis = analyses["resnet50"]
    contract, data = to_json(analysis), page_data(analysis)
    (model,) = contract["models"]
    (extended,) = data["models"]
    for key, value in model.items():
        if key == "layers":
            assert [{k: row[k] for k in layer} for row, layer in zip(extended["layers"], value, strict=True)] == value
        elif key == "diagnostics":
            assert [{k: d[k] for k in diag} for d, diag in zip(extended[key], value, strict=True)] == value
        else:
            assert extended[key] == value, key
    assert data["convention"] == "seed" and data["unit"] == "FLOPs"


def test_diagnostics_carry_their_source_line() -> None:
    broken = FIXTURES / "broken" / "conv_in_channels.py"
    data = page_data(analyze([broken], inputs=[(1, 3, 32, 32)]))
    (diagnostic,) = [d for d in data["diagnostics"] if d["code"] == "SF201"]
    assert (diagnostic["line"], diagnostic["column"]) == (11, 16)
    assert diagnostic["source"] == "        return self.conv2(self.conv1(x))"
    assert diagnostic in data["models"][0]["diagnostics"]


@pytest.mark.parametrize("name", MODELS)
def test_treemap_tree_adds_up_to_the_totals(analyses, name: str) -> None:
    (model,) = analyses[name].models
    tree = module_tree(model)
    found = leaves(tree)
    assert sum(leaf["v"][0] for leaf in found) == model.flops
    assert sum(leaf["v"][1] for leaf in found) == model.params
    assert [leaf["layer"] for leaf in found if leaf["layer"] is not None] == sorted(
        layer.index for layer in model.layers
    )


def test_treemap_figures_of_lenet_resnet_and_vit(analyses) -> None:
    lenet = module_tree(analyses["lenet5"].models[0])
    # conv1: 6·28·28 outputs × 2·25 = 235,200 FLOPs, 156 params, 4,704 activations
    assert lenet["children"][0] == {"name": "conv1", "path": "conv1", "layer": 0, "v": [235_200, 156, 4_704]}
    assert len(leaves(lenet)) == 12
    resnet = module_tree(analyses["resnet50"].models[0])
    assert [child["name"] for child in resnet["children"] if "children" in child] == [
        "layer1", "layer2", "layer3", "layer4",
    ]  # fmt: skip
    layer1 = resnet["children"][4]
    assert [block["name"] for block in layer1["children"]] == ["layer1.0", "layer1.1", "layer1.2"]
    # the block's ReLU module runs three times: one leaf per call
    assert [leaf["name"] for leaf in leaves(layer1["children"][1]) if leaf["path"].endswith("relu")] == [
        "relu", "relu #2", "relu #3",
    ]  # fmt: skip
    vit = module_tree(analyses["vit"].models[0])
    (other,) = [leaf for leaf in leaves(vit) if leaf["name"] == OTHER_PARAMETERS]
    assert other["v"] == [0, 192 + 197 * 192, 0]  # the class token and the position embeddings, read in forward()


def test_layered_layout_puts_each_call_below_what_it_reads() -> None:
    graph = nx.DiGraph([("in", "a"), ("in", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("in", "d")])
    assert ranks(graph) == {"in": 0, "a": 1, "b": 1, "c": 2, "d": 3}  # the longest path, not the shortest
    layout = layered(graph)
    ys = {node: y for node, (_, y) in layout.positions.items()}
    assert all(ys[a] < ys[b] for a, b in graph.edges)
    assert layout.positions["a"][0] != layout.positions["b"][0]
    assert layout.positions["in"][0] == layout.positions["c"][0] == layout.positions["d"][0]  # centred


def test_barycentric_ordering_uncrosses_two_chains() -> None:
    # x1 feeds y2 and x2 feeds y1 in insertion order: the ordering swaps one row so the edges do not cross
    graph = nx.DiGraph()
    graph.add_nodes_from(["r", "x1", "x2", "y2", "y1"])
    graph.add_edges_from([("r", "x1"), ("r", "x2"), ("x1", "y1"), ("x2", "y2")])
    positions = layered(graph).positions
    assert (positions["x1"][0] < positions["x2"][0]) == (positions["y1"][0] < positions["y2"][0])


def test_resnet50_graph_has_every_call_and_its_edges(analyses) -> None:
    (model,) = analyses["resnet50"].models
    graph = page_data(analyses["resnet50"])["models"][0]["graph"]
    assert len(graph["nodes"]) == 1 + len(model.layers) == 176
    # each residual sum reads two tensors: 16 blocks of two edges in, everything else one
    assert len(graph["edges"]) == len(model.layers) + 16
    at = {node["id"]: node for node in graph["nodes"]}
    assert all(at[a]["y"] < at[b]["y"] for a, b in graph["edges"])


def test_embedded_json_cannot_close_its_script_element() -> None:
    text = _script_json({"message": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"message": "</script><script>alert(1)</script> & <!--"}


def test_cli_writes_the_page_to_a_file(tmp_path) -> None:
    target = tmp_path / "report.html"
    result = runner.invoke(app, ["analyze", str(FIXTURES / "lenet5.py"), "-f", "html", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "LeNet5" in page


def test_cli_help_lists_html() -> None:
    result = runner.invoke(app, ["analyze", "--help"], env={"COLUMNS": "200"})
    assert "html" in result.stdout and "--output" in result.stdout


def test_an_unwritable_output_file_is_a_usage_error(tmp_path) -> None:
    target = tmp_path / "missing" / "report.html"
    result = runner.invoke(app, ["analyze", str(FIXTURES / "lenet5.py"), "-f", "html", "-o", str(target)])
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


def test_several_models_in_one_page(analyses) -> None:
    both = analyze([FIXTURES / "lenet5.py", FIXTURES / "resnet50.py"])
    names = [m["name"] for m in page_data(both)["models"]]
    assert "LeNet5" in names and len(names) == len(both.models)


@pytest.mark.torch
def test_vit_fixture_matches_pytorch(analyses) -> None:
    """The ViT's parameters and its logits' shape, from torch itself (ViT-Ti/16: 5,717,416, as timm's
    vit_tiny_patch16_224)."""
    torch = pytest.importorskip("torch")
    import importlib.util

    spec = importlib.util.spec_from_file_location("vit_fixture", FIXTURES / "vit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    net = module.VisionTransformer().eval()
    with torch.no_grad():
        out = net(torch.zeros(1, 3, 224, 224))
    (model,) = analyses["vit"].models
    assert model.params == sum(p.numel() for p in net.parameters()) == 5_717_416
    assert model.layers[-1].output == tuple(out.shape) == (1, 1000)


def test_the_docs_screenshot_is_of_the_current_page() -> None:
    """docs/report-resnet50.png records the hash of the page it shows (scripts/screenshot_report.py)."""
    result = subprocess.run(
        [sys.executable, "scripts/screenshot_report.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="diff reads revisions with git")
def test_diff_page_data_has_both_sides_trees(repo) -> None:  # noqa: F811
    from staticflops.gitdiff import diff
    from staticflops.report.html import diff_data

    data = diff_data(diff("base", "HEAD", repo=repo, inputs=[(1, 3, 8, 8)]))
    net = data["models"][0]
    # tests/test_diff.py: 57,664 FLOPs and 618 params before, 1,297,024 and 10,474 after
    for side, flops, params in (("base", 57_664, 618), ("head", 1_297_024, 10_474)):
        found = leaves(net["trees"][side])
        assert (sum(leaf["v"][0] for leaf in found), sum(leaf["v"][1] for leaf in found)) == (flops, params)
    # head's layers in call order, then the removed one
    assert [leaf["path"] for leaf in leaves(net["trees"]["base"])] == ["conv1", "act", "pool", "flatten", "fc", "drop"]
    assert {layer["path"]: layer["status"] for layer in net["layers"]}["drop"] == "removed"
    assert data["kind"] == "diff" and data["unit"] == "FLOPs"


def test_treemap_names_a_container_index_with_its_container(analyses) -> None:
    vit = module_tree(analyses["vit"].models[0])
    blocks = vit["children"][[child["name"] for child in vit["children"]].index("blocks")]
    (mlp,) = [child for child in blocks["children"][0]["children"] if child["path"] == "blocks.0.mlp"]
    assert [leaf["name"] for leaf in mlp["children"]] == ["mlp.0", "mlp.1", "mlp.2"]


def test_output_file_runs_are_not_replayed_from_the_cache(monkeypatch) -> None:
    """A replay prints what was printed; with --output nothing was, and the file would not be written."""
    import io

    from staticflops import cache

    monkeypatch.delenv("STATICFLOPS_NO_CACHE", raising=False)
    monkeypatch.setattr("sys.stdout", io.StringIO())  # a run whose output is piped, as the cache requires
    monkeypatch.setattr("sys.stderr", io.StringIO())

    assert cache.key_for(["analyze", LENET_PATH, "-f", "html"]) is not None
    for option in (["-o", "r.html"], ["--output", "r.html"], ["--output=r.html"]):
        assert cache.key_for(["analyze", LENET_PATH, "-f", "html", *option]) is None


def test_the_cache_key_covers_the_report_assets(tmp_path) -> None:
    from staticflops.cache import code_fingerprint

    (tmp_path / "assets").mkdir()
    (tmp_path / "module.py").write_text("x = 1\n")
    (tmp_path / "assets" / "report.js").write_text("/* one */\n")
    before = code_fingerprint(tmp_path)
    (tmp_path / "assets" / "report.js").write_text("/* another */\n")
    assert code_fingerprint(tmp_path) != before


def test_a_tied_weight_counts_once_in_the_params_treemap() -> None:
    """The GPT's head shares the token embedding's weight (512×64): the table shows it on both rows, as
    each layer's own; the treemap counts it once, on the first call, and adds up to torch's 136,960
    (fixtures/expected/gpt.json)."""
    (model,) = analyze([FIXTURES / "gpt.py"], inputs=[(1, 64)]).models
    rows = {layer.path: layer for layer in model.layers}
    assert rows["transformer.wte"].params == rows["lm_head"].params == 512 * 64
    found = {leaf["path"]: leaf["v"][1] for leaf in leaves(module_tree(model))}
    assert (found["transformer.wte"], found["lm_head"]) == (512 * 64, 0)
    assert sum(found.values()) == model.params == 136_960
