"""The HTML report in a real browser: headless Chromium (tests/cdp.py) opens the pages of LeNet-5,
ResNet-50 and a ViT, and the tests read what it drew from the DOM: no console error and no request
but the file itself, treemap rectangles whose values add up to the model's totals and whose areas are
their shares, a click on a graph node that shows its table row. Screenshots go to each test's
tmp_path. `.ci/run` installs Chromium; where none is found, these tests are skipped."""

from __future__ import annotations

import json
import math
import shutil
import sys
from pathlib import Path

import pytest

from staticflops import analyze
from staticflops.report import OutputFormat, render
from tests.cdp import Browser, Page, find_browser
from tests.conftest import FIXTURES, ROOT
from tests.test_diff import repo, run  # noqa: F401 (repo is a fixture)

pytestmark = pytest.mark.browser
MODELS = {"lenet5": (1, 1, 32, 32), "resnet50": (1, 3, 224, 224), "vit": (1, 3, 224, 224)}

LEAVES = """(() => {
  const svg = document.querySelector('#treemap svg.treemap');
  return {total: +svg.dataset.total, width: +svg.getAttribute('width'), height: +svg.getAttribute('height'),
          leaves: [...svg.querySelectorAll('rect.leaf')].map(r => [+r.dataset.value,
            +r.getAttribute('width') * +r.getAttribute('height'), r.dataset.path])};
})()"""


@pytest.fixture(scope="module")
def browser():
    executable = find_browser()
    if executable is None:
        pytest.skip("no Chromium to drive (.ci/run installs Debian's chromium; STATICFLOPS_CHROMIUM names another)")
    chromium = Browser(executable)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def reports():
    """Each fixture analyzed once for the module (the analyses are read, never changed, by the tests)."""
    return {name: analyze([FIXTURES / f"{name}.py"], inputs=[shape]) for name, shape in MODELS.items()}


def opened(browser: Browser, html: str, path: Path) -> Page:
    path.write_text(html, encoding="utf-8")
    page = browser.page()
    page.open(path)
    return page


def centre(page: Page, selector: str) -> tuple[float, float]:
    """Scroll the element into view and return its centre in viewport coordinates, for a real click."""
    box = page.evaluate(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
        " const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()"
    )
    return box[0], box[1]


def assert_treemap_adds_up(page: Page, total: int) -> dict:
    drawn = page.evaluate(LEAVES)
    assert drawn["total"] == total
    assert sum(value for value, _, _ in drawn["leaves"]) == total
    canvas = drawn["width"] * drawn["height"]
    assert math.isclose(sum(area for _, area, _ in drawn["leaves"]), canvas, rel_tol=1e-5)
    for value, area, path in drawn["leaves"]:  # each rectangle's area is its share of the total
        assert abs(area / canvas - value / total) < 1e-5, path
    return drawn


@pytest.mark.parametrize("name", MODELS)
def test_report_in_chromium(browser: Browser, reports, tmp_path: Path, name: str) -> None:
    analysis = reports[name]
    (model,) = analysis.models
    page = opened(browser, render(analysis, OutputFormat.HTML), tmp_path / f"{name}.html")
    page.screenshot(tmp_path / f"{name}.png")
    assert page.errors() == []
    assert page.requests() == [(tmp_path / f"{name}.html").as_uri()]  # nothing fetched but the page itself

    drawn = assert_treemap_adds_up(page, model.flops)
    assert len(drawn["leaves"]) == sum(1 for layer in model.layers if layer.flops)

    page.click(*centre(page, '.metric button[data-metric="1"]'))
    assert_treemap_adds_up(page, model.params)  # parameters, the class token and position embeddings included
    page.click(*centre(page, '.metric button[data-metric="2"]'))
    assert_treemap_adds_up(page, sum(math.prod(layer.output) for layer in model.layers))

    costliest = max(model.layers, key=lambda layer: layer.flops or 0)
    page.click(*centre(page, f'#graph g.node[data-layer="{costliest.index}"] rect'))
    row = page.evaluate(
        "(() => { const r = document.querySelector('tr.selected'); const b = r.getBoundingClientRect();"
        " return {layer: +r.dataset.layer, text: r.innerText, visible: b.top >= 0 && b.bottom <= innerHeight}; })()"
    )
    assert row["layer"] == costliest.index
    assert costliest.path in row["text"] and f"{costliest.flops:,}" in row["text"]
    assert row["visible"]
    assert page.evaluate("document.querySelectorAll('tr.selected').length") == 1
    assert costliest.path in page.evaluate("document.getElementById('details').innerText")
    page.screenshot(tmp_path / f"{name}-selected.png")
    assert page.errors() == []


def test_treemap_zooms_into_a_block(browser: Browser, reports, tmp_path: Path) -> None:
    analysis = reports["resnet50"]
    (model,) = analysis.models
    page = opened(browser, render(analysis, OutputFormat.HTML), tmp_path / "resnet50.html")
    # a click on a rectangle marks its row and shows it under the graph, without scrolling the page away
    point = centre(page, '#treemap rect.leaf[data-path="layer3.0.conv2"]')
    before = page.evaluate("scrollY")
    page.click(*point)
    (conv2,) = [layer for layer in model.layers if layer.path == "layer3.0.conv2"]
    assert page.evaluate("+document.querySelector('tr.selected').dataset.layer") == conv2.index
    assert page.evaluate("document.getElementById('details').innerText").startswith("layer3.0.conv2 Conv2d")
    assert page.evaluate("scrollY") == before
    page.click(*centre(page, '#treemap text.group-label[data-zoom="layer3"]'))
    layer3 = sum(layer.flops for layer in model.layers if layer.path.startswith("layer3."))
    drawn = assert_treemap_adds_up(page, layer3)
    assert all(path.startswith("layer3.") for _, _, path in drawn["leaves"])
    assert page.evaluate("[...document.querySelectorAll('#crumbs button')].map(b => b.innerText)") == [
        "ResNet50",
        "layer3",
    ]
    page.click(*centre(page, '#crumbs button[data-crumb="0"]'))
    assert_treemap_adds_up(page, model.flops)
    # a double click on a rectangle zooms into the block that holds it, one level below the current view
    page.click(*centre(page, '#treemap rect.leaf[data-path="layer4.1.conv2"]'), count=2)
    layer4 = sum(layer.flops for layer in model.layers if layer.path.startswith("layer4."))
    assert_treemap_adds_up(page, layer4)
    page.click(*centre(page, '#treemap rect.leaf[data-path="layer4.1.conv2"]'), count=2)
    block = sum(layer.flops for layer in model.layers if layer.path.startswith("layer4.1."))
    assert_treemap_adds_up(page, block)
    assert len(page.evaluate("[...document.querySelectorAll('#crumbs button')]")) == 3
    assert page.errors() == []


def test_table_sorts_and_filters(browser: Browser, reports, tmp_path: Path) -> None:
    analysis = reports["resnet50"]
    (model,) = analysis.models
    page = opened(browser, render(analysis, OutputFormat.HTML), tmp_path / "resnet50.html")
    page.click(*centre(page, 'th[data-key="flops"]'))  # costliest first
    first = page.evaluate("+document.querySelector('#rows tr').dataset.layer")
    assert model.layers[first].flops == max(layer.flops for layer in model.layers)
    page.evaluate(
        "(() => { const f = document.getElementById('filter'); f.value = 'downsample';"
        " f.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )
    shown = page.evaluate("[...document.querySelectorAll('#rows tr')].map(r => +r.dataset.layer)")
    downsample = [layer for layer in model.layers if "downsample" in layer.path]
    assert len(shown) == len(downsample) == 8  # a convolution and a batch norm in the first block of each stage
    flops = [model.layers[i].flops for i in shown]
    assert flops == sorted(flops, reverse=True)
    assert page.errors() == []


def test_model_picker_switches_the_whole_page(browser: Browser, tmp_path: Path) -> None:
    analysis = analyze([FIXTURES / "lenet5.py", FIXTURES / "vit.py"])
    names = [model.name for model in analysis.models]
    assert names == ["LeNet5", "VisionTransformer"]
    page = opened(browser, render(analysis, OutputFormat.HTML), tmp_path / "two.html")
    assert_treemap_adds_up(page, analysis.models[0].flops)
    page.evaluate(
        "(() => { const p = document.getElementById('picker'); p.value = '1';"
        " p.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )
    vit = analysis.models[1]
    assert_treemap_adds_up(page, vit.flops)
    assert page.evaluate("document.querySelectorAll('#rows tr').length") == len(vit.layers)
    assert f"{vit.params:,}" in page.evaluate("document.getElementById('totals').innerText")
    page.screenshot(tmp_path / "picker.png")
    assert page.errors() == []


@pytest.mark.skipif(shutil.which("git") is None, reason="diff reads revisions with git")
def test_diff_page_shows_both_versions(browser: Browser, repo: Path, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "diff.html"
    result = run(repo, "base", "HEAD", "-i", "1,3,8,8", "-f", "html", "-o", str(target))
    assert result.exit_code == 0, result.output
    page = browser.page()
    page.open(target)
    page.screenshot(tmp_path / "diff.png")
    assert page.errors() == []
    drawn = page.evaluate(
        "[...document.querySelectorAll('.model-diff[data-model=\"0\"] .diff-treemap')].map(box => {"
        " const svg = box.querySelector('svg'); return {total: +svg.dataset.total,"
        " leaves: [...svg.querySelectorAll('rect.leaf')].map(r => [r.dataset.path, +r.dataset.value,"
        " r.getAttribute('class')])}; })"
    )
    base, head = drawn
    # tests/test_diff.py works these out: 57,664 FLOPs before, 1,297,024 after
    assert base["total"] == sum(value for _, value, _ in base["leaves"]) == 57_664
    assert head["total"] == sum(value for _, value, _ in head["leaves"]) == 1_297_024
    marks = {path: cls for path, _, cls in head["leaves"]}
    assert marks["conv2"] == "leaf added" and marks["conv1"] == "leaf changed"
    rows = page.evaluate(
        "[...document.querySelectorAll('.model-diff[data-model=\"0\"] tbody tr')].map(r => r.className)"
    )
    assert sorted(rows) == sorted(["status-changed"] * 4 + ["status-added", "status-removed"])


def test_the_harness_sees_errors_and_requests(browser: Browser, tmp_path: Path) -> None:
    """The checks above would pass vacuously if errors or requests went unseen: a page with both."""
    page = opened(
        browser,
        "<!DOCTYPE html><html><body><img src='missing.png'><script>console.error('seen');"
        " throw new Error('thrown');</script></body></html>",
        tmp_path / "bad.html",
    )
    errors = " ".join(page.errors())
    assert "seen" in errors and "thrown" in errors
    assert (tmp_path / "missing.png").as_uri() in page.requests()


def test_unknown_costs_and_errors_are_shown_not_hidden(browser: Browser, tmp_path: Path) -> None:
    """A model with an op the catalog lacks: the page says which calls are not drawn and why; a shape
    error is listed with its source line. Neither breaks the page."""
    unknown = analyze([FIXTURES / "one_thing_broken" / "unknown_op_mid_forward.py"])
    (model,) = unknown.models
    assert not model.flops_complete
    missing = sum(1 for layer in model.layers if layer.flops is None)
    page = opened(browser, render(unknown, OutputFormat.HTML), tmp_path / "unknown.html")
    assert_treemap_adds_up(page, model.flops)  # the known part: a lower bound
    note = page.evaluate("document.getElementById('unknown-note').innerText")
    assert note.startswith(f"{missing} calls of unknown FLOPs not drawn")
    assert "≥" in page.evaluate("document.getElementById('totals').innerText")
    assert page.errors() == []

    broken = analyze([FIXTURES / "broken" / "conv_in_channels.py"], inputs=[(1, 3, 32, 32)])
    page = opened(browser, render(broken, OutputFormat.HTML), tmp_path / "broken.html")
    listed = page.evaluate("document.getElementById('diagnostics').innerText")
    assert "SF201" in listed and "11 | return self.conv2(self.conv1(x))" in " ".join(listed.split())
    page.screenshot(tmp_path / "broken.png")
    assert page.errors() == []


def test_a_run_without_models_still_makes_a_page(browser: Browser, tmp_path: Path) -> None:
    source = tmp_path / "blocks.py"
    source.write_text("import torch.nn as nn\n\n\nclass Block(nn.Module):\n    def __init__(self, width):\n"
                      "        super().__init__()\n        self.fc = nn.Linear(width, width)\n")  # fmt: skip
    analysis = analyze([source])
    assert analysis.models == []
    page = opened(browser, render(analysis, OutputFormat.HTML), tmp_path / "empty.html")
    text = page.evaluate("document.body.innerText")
    assert "No model was analyzed" in text and "Block" in text and "width" in text  # skipped, and why
    assert page.errors() == []


@pytest.mark.slow
def test_torchvision_resnet50_report(browser: Browser, tmp_path: Path) -> None:
    """torchvision's own resnet50, read from its sources (downloaded once, as tests/test_installed_libraries.py
    does): the page stays under the issue's 1 MB and adds up like the fixture's."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import torchvision_suite
    finally:
        sys.path.pop(0)
    user = tmp_path / "uses_torchvision.py"
    user.write_text("import torchvision\n\nmodel = torchvision.models.resnet50()\n")
    analysis = analyze([user], inputs=[(1, 3, 224, 224)], library_paths=[torchvision_suite.fetch_sources()])
    (model,) = analysis.models
    assert model.params == 25_557_032  # torch's count of torchvision.models.resnet50()
    html = render(analysis, OutputFormat.HTML)
    assert len(html.encode()) < 1_000_000
    page = opened(browser, html, tmp_path / "torchvision_resnet50.html")
    page.screenshot(tmp_path / "torchvision_resnet50.png")
    assert_treemap_adds_up(page, model.flops)
    page.click(*centre(page, '#graph g.node[data-layer="0"] rect'))
    assert page.evaluate("+document.querySelector('tr.selected').dataset.layer") == 0
    # torchvision's own files bring many notes: listed, folded under a count
    others = [d for d in analysis.diagnostics if d.format() not in {m.format() for m in model.diagnostics}]
    summary = page.evaluate("document.querySelector('#other-diagnostics summary').innerText")
    assert summary == f"Other diagnostics of this run ({len(others)})"
    assert page.evaluate("document.querySelectorAll('#other-diagnostics li').length") == len(others)
    assert page.errors() == []
