"""The `staticflops` command. A thin typer layer over `staticflops.api`.

`staticflops PATH...` is short for `staticflops analyze PATH...`.
Exit codes: 0 success, 1 an error diagnostic (a shape error, a model that could not be
analyzed), 2 usage or input error (missing file, syntax error, bad option), 3 a bug.
"""


import os
import sys
import time
import traceback
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from staticflops import __version__, cache
from staticflops.api import analyze as run_analysis
from staticflops.conventions import Convention
from staticflops.diagnostics import CODES, SF005, SF006, Diagnostic
from staticflops.errors import StaticFlopsError
from staticflops.launch import EXIT_BUG, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, run, with_default_command
from staticflops.paths import expand_paths
from staticflops.report import OutputFormat
from staticflops.results import Analysis
from staticflops.shapes import parse_input, parse_shape
from staticflops.source.reads import Reads
from staticflops.symbolic.options import SymbolicOptions

if TYPE_CHECKING:
    from staticflops.source.trees import TreeCache

PROCESS_START = time.perf_counter() - time.process_time()
"""When the process began, approximately: what start-up and imports cost before the command ran."""


class CheckFormat(StrEnum):
    TEXT = "text"
    SARIF = "sarif"
    GITHUB = "github"


Paths = Annotated[list[Path], typer.Argument(help="Python files or directories with model definitions.")]
NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Neither use nor store cached results or parsed files (docs/usage.md, 'Cache')."),
]
ModelOption = Annotated[
    str | None, typer.Option("--model", "-m", help="A class, a function or a call expression, e.g. 'resnet18()'.")
]
SearchPathOption = Annotated[
    list[Path] | None, typer.Option("--path", help="Extra directory to resolve the project's imports from.")
]
PythonOption = Annotated[
    str | None,
    typer.Option(
        "--python",
        metavar="PATH",
        help="Read installed libraries from this interpreter's site-packages (default: the Python running "
        "staticflops). The interpreter is asked for its paths; nothing it has installed is imported.",
    ),
]
VerboseOption = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help="List every diagnostic on stderr, those inside library code the user did not name included.",
    ),
]
NoSitePackagesOption = Annotated[
    bool,
    typer.Option("--no-site-packages", help="Read no installed libraries: only the project and --path."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write the report to FILE, not stdout (e.g. report.html)."),
]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Static FLOPs and parameter counts for PyTorch model code, without importing torch.",
    rich_markup_mode=None,
)


@dataclass
class Recorded:
    """What a cacheable command printed, for `main` to store (`staticflops.cache`)."""

    paths: list[Path] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    code: int | None = None
    """None until the command finished with a result worth storing."""
    reads: Reads = field(default_factory=Reads)

    def finish(self, paths: list[Path], stdout: str, stderr: str, code: int, reads: Reads) -> None:
        self.paths, self.stdout, self.stderr, self.code = list(paths), stdout, stderr, code
        self.reads.merge(reads)


@app.command()
def analyze(
    ctx: typer.Context,
    paths: Paths,
    *,
    model: ModelOption = None,
    input_shape: Annotated[
        list[str] | None,
        typer.Option(
            "--input-shape",
            "-i",
            help="Input shape, '1,3,224,224' or '3x224x224' (batch 1), or "
            "'name=1,196' for a named forward() argument; repeat for several inputs. Inferred when omitted. "
            "Sizes may be names ('B,3,H,W', 'input_ids=B,L'): the totals are then formulas of them.",
        ),
    ] = None,
    symbolic: Annotated[
        bool,
        typer.Option(
            "--symbolic", help="Totals as exact formulas of the input sizes (every size named; docs/symbolic.md)."
        ),
    ] = False,
    dim: Annotated[
        list[str] | None,
        typer.Option("--dim", help="The size a named dimension is traced at, 'H=224' (default: the inferred one)."),
    ] = None,
    convention: Annotated[
        Convention, typer.Option("--convention", "-c", help="How work is priced (docs/conventions.md).")
    ] = Convention.SEED,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format (html: a self-contained page).")
    ] = OutputFormat.TABLE,
    output_file: OutputOption = None,
    depth: Annotated[
        int | None, typer.Option("--depth", "-d", min=1, help="Group table rows by module path to this depth.")
    ] = None,
    search_path: SearchPathOption = None,
    python: PythonOption = None,
    no_site_packages: NoSitePackagesOption = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes for several files (default: the number of cores)."),
    ] = None,
    batch: Annotated[
        int | None, typer.Option("--batch", "-b", min=1, help="Batch size: the first dimension of every input.")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")] = False,
    timings: Annotated[
        bool, typer.Option("--timings", help="Print the time spent parsing, interpreting and rendering (stderr).")
    ] = False,
    no_cache: NoCacheOption = False,
    all_models: Annotated[
        bool, typer.Option("--all", help="Every buildable module of each file, blocks and helpers included.")
    ] = False,
    verbose: VerboseOption = False,
    decode: Annotated[
        int | None,
        typer.Option(
            "--decode",
            min=0,
            help="config.json: price one generation step after a key/value cache of this many tokens.",
        ),
    ] = None,
) -> None:
    """Report per-layer and total parameters and FLOPs of each model in PATHS."""
    started = time.perf_counter()
    analysis = _run(
        paths,
        model,
        input_shape,
        convention,
        search_path,
        debug,
        jobs=jobs or os.cpu_count() or 1,
        batch=batch,
        python=python,
        site_packages=not no_site_packages,
        all_models=all_models,
        decode=decode,
        symbolic=symbolic,
        dims=dim,
        no_cache=no_cache,
    )
    analyzed_at = time.perf_counter()
    if output_format is OutputFormat.TABLE:
        from staticflops.report import table

        console = table.console()
        with console.capture() as captured:
            table.render(analysis, console, depth)
        output = captured.get()
        _emit(output, output_file)
    else:
        from staticflops.report import chunks

        pieces = chunks(analysis, output_format)
        if recording(ctx) is None:  # nothing keeps the text: write it as it is made (JSON: a layer at a time)
            output = ""
            _emit_pieces(pieces, output_file)
        else:
            output = "".join(pieces) + "\n"
            _emit(output, output_file)
    if timings:
        total = time.perf_counter() - started
        analyzed = analyzed_at - started
        typer.echo(
            f"timings: parse {analysis.parse_seconds:.3f} s, interpret {analyzed - analysis.parse_seconds:.3f} s, "
            f"render {total - analyzed:.3f} s, total {total:.3f} s (after {started - PROCESS_START:.3f} s of start-up)",
            err=True,
        )
    _finish(analysis, recording(ctx), output, paths, verbose)


def _trees(no_cache: bool) -> "TreeCache | None":
    """Where parsed files are kept by content, in the cache's folder; None when the cache is off."""
    if no_cache or os.environ.get("STATICFLOPS_NO_CACHE"):
        return None
    from staticflops.source.trees import TreeCache

    return TreeCache.in_folder(cache.directory() / "trees")


def _emit(text: str, output_file: Path | None) -> None:
    """To stdout, or to the file `--output` names (a file that cannot be written is a usage error)."""
    if output_file is None:
        typer.echo(text, nl=False)
        return
    try:
        output_file.write_text(text, encoding="utf-8")
    except OSError as error:
        typer.echo(f"staticflops: cannot write {output_file}: {error.strerror}", err=True)
        raise typer.Exit(EXIT_INPUT) from None


BLOCK = 1 << 16


def _emit_pieces(pieces: Iterable[str], output_file: Path | None) -> None:
    """`_emit` of the pieces joined, and a newline, without joining them all: they are written in blocks
    of about `BLOCK` characters, one system call each even where output is unbuffered (`PYTHONUNBUFFERED`,
    set in many container images, made a write of every layer of a corpus's JSON)."""
    try:
        with nullcontext(sys.stdout) if output_file is None else output_file.open("w", encoding="utf-8") as out:
            block: list[str] = []
            size = 0
            for piece in pieces:
                block.append(piece)
                size += len(piece)
                if size >= BLOCK:
                    out.write("".join(block))
                    block, size = [], 0
            block.append("\n")
            out.write("".join(block))
            out.flush()
    except OSError as error:
        if output_file is None:
            raise
        typer.echo(f"staticflops: cannot write {output_file}: {error.strerror}", err=True)
        raise typer.Exit(EXIT_INPUT) from None


def _run(
    paths: list[Path],
    model: str | None,
    input_shape: list[str] | None,
    convention: Convention,
    search_path: list[Path] | None,
    debug: bool,
    reveal: bool = False,
    jobs: int = 1,
    batch: int | None = None,
    python: str | None = None,
    site_packages: bool = True,
    all_models: bool = False,
    decode: int | None = None,
    symbolic: bool = False,
    dims: list[str] | None = None,
    no_cache: bool = False,
) -> Analysis:
    """Analyze, turning input errors into exit code 2 and bugs into exit code 3; a run over several files
    on a terminal shows a progress bar on stderr."""
    from staticflops import progress

    try:
        options = symbolic_options(input_shape or [], dims or [], symbolic)
        parsed = [parse_input(text) for text in input_shape or []] if options is None else options[1]
        files = len(expand_paths(paths))
        display = progress.bar(files) if progress.wanted(sys.stderr, os.environ, files) else nullcontext(None)
        trees = _trees(no_cache)
        with display as advance:
            analysis = run_analysis(
                paths,
                model=model,
                inputs=[shape for name, shape in parsed if name is None] or None,
                named_inputs={name: shape for name, shape in parsed if name is not None},
                convention=convention,
                search_paths=search_path or (),
                reveal=reveal,
                jobs=jobs,
                batch=batch,
                python=python,
                site_packages=site_packages,
                all_models=all_models,
                progress=advance,
                decode=decode,
                symbolic=None if options is None else options[0],
                trees=trees,
            )
        if trees is not None:
            trees.prune()
        return analysis
    except StaticFlopsError as error:
        typer.echo(error.diagnostic.format(), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except Exception:  # the boundary where a bug becomes a report, not a traceback
        if debug:
            traceback.print_exc()
        else:
            typer.echo(
                "staticflops: internal error. This is a bug in staticflops; please report it with the input file "
                "and command. Run again with --debug to see the traceback.",
                err=True,
            )
        raise typer.Exit(EXIT_BUG) from None


def symbolic_options(
    input_shape: list[str], dims: list[str], symbolic: bool
) -> tuple[SymbolicOptions, list[tuple[str | None, tuple[int, ...]]]] | None:
    """The symbolic run asked for (named sizes, `--symbolic`), and the concrete inputs it traces at: every
    name given a value by `--dim`, or, for one input, the inferred shape (no inputs passed on)."""
    from staticflops.symbolic.options import SymbolicOptions, concrete, has_names, parse_dim, parse_pattern

    if not symbolic and not any(has_names(text) for text in input_shape):
        if dims:
            raise StaticFlopsError(Diagnostic(SF005, "--dim names a size of a named input shape, e.g. -i B,3,H,W"))
        return None
    values = dict(parse_dim(text) for text in dims)
    patterns = [parse_pattern(text) for text in input_shape]
    shapes = [(name, concrete(pattern, values)) for name, pattern in patterns]
    options = SymbolicOptions(
        inputs=tuple(p for name, p in patterns if name is None),
        named=tuple((name, p) for name, p in patterns if name is not None),
        dims=tuple(values.items()),
    )
    if all(shape is not None for _, shape in shapes):
        return options, shapes  # type: ignore[return-value]
    if len(patterns) == 1 and patterns[0][0] is None:
        return options, []
    missing = sorted({s for _, p in patterns for s in p if isinstance(s, str) and s not in values})
    raise StaticFlopsError(
        Diagnostic(SF005, f"give the size of {', '.join(missing)} with --dim (e.g. --dim {missing[0]}=128)")
    )


def _finish(
    analysis: Analysis,
    recorded: Recorded | None = None,
    output: str = "",
    paths: list[Path] | None = None,
    verbose: bool = False,
) -> None:
    from staticflops.report import notes

    named = {str(file) for file in expand_paths(paths or [])}
    in_models = {diagnostic for model in analysis.models for diagnostic in model.diagnostics}
    errors = notes.render(analysis.diagnostics, named, in_models, verbose)
    typer.echo(errors, err=True, nl=False)
    code = EXIT_FINDINGS if analysis.has_errors else EXIT_OK
    if recorded is not None:
        recorded.finish(paths or [], output, errors, code, analysis.reads)
    raise typer.Exit(code)


def recording(ctx: typer.Context) -> Recorded | None:
    """The record `main` asked the command to fill, if it asked for one."""
    return ctx.obj if isinstance(ctx.obj, Recorded) else None


@app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Python files or directories (as pre-commit passes them).")],
    *,
    max_layer_flops: Annotated[
        str | None, typer.Option("--max-layer-flops", help="Largest cost of one layer call, e.g. 500M (K/M/G/T).")
    ] = None,
    max_layer_params: Annotated[
        str | None, typer.Option("--max-layer-params", help="Most parameters of one layer, e.g. 10M.")
    ] = None,
    max_model_flops: Annotated[
        str | None, typer.Option("--max-model-flops", help="Largest total cost of a model, e.g. 4G.")
    ] = None,
    max_model_params: Annotated[
        str | None, typer.Option("--max-model-params", help="Most parameters of a model, e.g. 25M.")
    ] = None,
    convention: Annotated[
        Convention | None,
        typer.Option("--convention", "-c", help="How work is priced (default: pyproject.toml's, else seed)."),
    ] = None,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Check only this model.")] = None,
    input_shape: Annotated[
        str | None, typer.Option("--input-shape", "-i", help="Input shape for every model checked.")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on analysis limits (SF3xx) and unused suppressions too.")
    ] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Report findings but always exit 0 (report-only hooks).")
    ] = False,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="text (path:line:col: CODE ...), sarif or github.")
    ] = CheckFormat.TEXT,
    search_path: SearchPathOption = None,
    python: PythonOption = None,
    no_site_packages: NoSitePackagesOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Fail when layers or models go over their FLOPs or parameter budgets.

    Budgets come from these options and from [tool.staticflops] in the nearest pyproject.toml
    (docs/integrations.md); options win. Prints `path:line:col: CODE [name] message` per finding,
    then a summary. Exit codes: 0 clean, 1 findings, 2 usage or input error.
    """
    from staticflops.check import check as run_check
    from staticflops.config import Budgets, parse_amount

    try:
        budgets = Budgets(
            layer_flops=None if max_layer_flops is None else parse_amount(max_layer_flops, "--max-layer-flops"),
            layer_params=None if max_layer_params is None else parse_amount(max_layer_params, "--max-layer-params"),
            model_flops=None if max_model_flops is None else parse_amount(max_model_flops, "--max-model-flops"),
            model_params=None if max_model_params is None else parse_amount(max_model_params, "--max-model-params"),
        )
        result = run_check(
            paths,
            budgets=budgets,
            convention=convention,
            model=model,
            input_shape=input_shape,
            strict=strict,
            search_paths=search_path or (),
            site_packages=not no_site_packages,
            python=python,
            trees=_trees(no_cache),
        )
    except StaticFlopsError as error:
        typer.echo(error.diagnostic.format(), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    if output_format is CheckFormat.SARIF:
        from staticflops.report.sarif import render_diagnostics

        output = render_diagnostics(result.findings) + "\n"
    elif output_format is CheckFormat.GITHUB:
        from staticflops.report.github import render_diagnostics as annotations

        output = annotations(result.findings) + "\n" if result.findings else ""
    else:
        files = f"{result.files} file{'s' if result.files != 1 else ''}"
        models = f"{result.models} model{'s' if result.models != 1 else ''}"
        summary = (
            f"Found {len(result.findings)} finding(s), {result.failing} failing, in {files} ({models} checked)."
            if result.findings
            else f"All clear: {files}, {models} checked."
        )
        output = "".join(finding.format() + "\n" for finding in result.findings) + summary + "\n"
    typer.echo(output, nl=False)
    code = EXIT_FINDINGS if result.failing and not exit_zero else EXIT_OK
    recorded = recording(ctx)
    if recorded is not None:
        recorded.finish(paths, output, "", code, result.reads)
    raise typer.Exit(code)


class DiffFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"
    GITHUB = "github"
    HTML = "html"


@app.command()
def diff(
    base: Annotated[str, typer.Argument(help="The base revision (a commit, branch or tag).")],
    revisions: Annotated[
        list[str] | None,
        typer.Argument(help="[HEAD] [PATH...]: the head revision (default: the working tree), then paths to compare."),
    ] = None,
    *,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format (html: both versions side by side).")
    ] = DiffFormat.MARKDOWN,
    output_file: OutputOption = None,
    link_base: Annotated[
        str | None,
        typer.Option("--link-base", help="URL prefix for links to lines, e.g. https://github.com/o/r/blob/<sha>."),
    ] = None,
    fail_on_increase: Annotated[
        str | None,
        typer.Option("--fail-on-increase", help="Exit 1 when a model's FLOPs or parameters grow by more, e.g. 10%."),
    ] = None,
    input_shape: Annotated[str | None, typer.Option("--input-shape", "-i", help="Input shape for every model.")] = None,
    convention: Annotated[Convention, typer.Option("--convention", "-c", help="How work is priced.")] = Convention.SEED,
    python: PythonOption = None,
    no_site_packages: NoSitePackagesOption = False,
) -> None:
    """What a change does to each model's parameters and FLOPs, read straight from git (nothing is checked out)."""
    from staticflops.gitdiff import diff as run_diff
    from staticflops.report import diffs

    args = list(revisions or [])
    head = None
    if args and not args[0].endswith(".py") and not Path(args[0]).exists():
        head = args.pop(0)
    try:
        threshold = None if fail_on_increase is None else _percent(fail_on_increase)
        shapes = [parse_shape(input_shape)] if input_shape else None
        result = run_diff(
            base,
            head,
            args,
            inputs=shapes,
            convention=convention,
            site_packages=not no_site_packages,
            python=python,
            trees=_trees(no_cache=False),
        )
    except StaticFlopsError as error:
        typer.echo(error.diagnostic.format(), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    if output_format is DiffFormat.JSON:
        _emit(diffs.render_json(result) + "\n", output_file)
    elif output_format is DiffFormat.GITHUB:
        text = diffs.render_github(result)
        _emit(text + "\n" if text else "", output_file)
    elif output_format is DiffFormat.HTML:
        from staticflops.report.html import render_diff

        _emit(render_diff(result) + "\n", output_file)
    else:
        _emit(diffs.render_markdown(result, link_base), output_file)
    if threshold is not None:
        grown = [
            m
            for m in result.models
            if _grew(m.base and m.base.flops, m.head and m.head.flops, threshold)
            or _grew(m.base and m.base.params, m.head and m.head.params, threshold)
        ]
        for model in grown:
            typer.echo(f"{model.file}: model '{model.name}' grew by more than {fail_on_increase}", err=True)
        if grown:
            raise typer.Exit(EXIT_FINDINGS)


def _percent(text: str) -> float:
    try:
        return float(text.strip().rstrip("%")) / 100
    except ValueError:
        raise StaticFlopsError(Diagnostic(SF006, f"--fail-on-increase: cannot read '{text}'; write e.g. 10%")) from None


def _grew(before: int | None, after: int | None, threshold: float) -> bool:
    if before is None or after is None or before == 0:
        return False
    return (after - before) / before > threshold


@app.command()
def shapes(
    paths: Paths,
    *,
    model: ModelOption = None,
    input_shape: Annotated[
        list[str] | None,
        typer.Option("--input-shape", "-i", help="Input shape, as for `staticflops analyze`."),
    ] = None,
    search_path: SearchPathOption = None,
    python: PythonOption = None,
    no_site_packages: NoSitePackagesOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Print the tensor shape after every assignment and return of each traced forward(), as
    `file:line: target: Tensor[...]`, for debugging shapes."""
    analysis = _run(
        paths,
        model,
        input_shape,
        Convention.SEED,
        search_path,
        debug=False,
        reveal=True,
        python=python,
        site_packages=not no_site_packages,
    )
    for result in analysis.models:
        typer.echo(f"# {result.name}: input {', '.join(str(list(s)) for s in result.inputs)}")
        for line in result.revealed:
            typer.echo(line)
    _finish(analysis, paths=paths, verbose=verbose)


@app.command()
def scale(
    paths: Paths,
    *,
    dim: Annotated[
        list[str],
        typer.Option("--dim", help="The dimension to sweep, 'L=128..32768'; others fixed with 'NAME=SIZE'."),
    ],
    model: ModelOption = None,
    input_shape: Annotated[
        list[str] | None,
        typer.Option("--input-shape", "-i", help="Input shape with named sizes, 'B,L' (default: every size named)."),
    ] = None,
    points: Annotated[int, typer.Option("--points", min=2, help="Sizes in the sweep, log-spaced.")] = 8,
    plot: Annotated[Path | None, typer.Option("--plot", metavar="FILE", help="Write an SVG plot to FILE.")] = None,
    convention: Annotated[
        Convention, typer.Option("--convention", "-c", help="How work is priced (docs/conventions.md).")
    ] = Convention.SEED,
    search_path: SearchPathOption = None,
    python: PythonOption = None,
    no_site_packages: NoSitePackagesOption = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")] = False,
) -> None:
    """Sweep one input size over a range: params, FLOPs and activations at each size, their order of growth,
    the layers that dominate at each end (docs/symbolic.md)."""
    from staticflops.report.units import human
    from staticflops.symbolic import scale as scaling

    ranges = [text for text in dim if ".." in text]
    if len(ranges) != 1:
        typer.echo("staticflops: give exactly one --dim NAME=LOW..HIGH to sweep", err=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        name, low, high = scaling.parse_range(ranges[0])
    except StaticFlopsError as error:
        typer.echo(error.diagnostic.format(), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    fixed = [text for text in dim if ".." not in text]
    common = {"search_path": search_path, "debug": debug, "python": python, "site_packages": not no_site_packages}
    analysis = _run(paths, model, input_shape, convention, symbolic=True, dims=fixed, **common)  # type: ignore[arg-type]

    def trace_at(result: Any, env: dict[str, int]) -> Any:
        shapes = []
        for text in result.symbolic.inputs:
            key, _, spec = text.rpartition("=")
            sizes = ",".join(str(env.get(part, part)) for part in spec.split(","))
            shapes.append(f"{key}={sizes}" if key else sizes)
        traced = _run(paths, result.name, shapes, convention, **common)  # type: ignore[arg-type]
        return traced.models[0] if traced.models else None

    outputs, sweeps = [], []
    for result in analysis.models:
        try:
            swept = scaling.sweep(result, name, scaling.log_spaced(low, high, points), partial(trace_at, result))
        except StaticFlopsError as error:
            typer.echo(error.diagnostic.format(), err=True)
            raise typer.Exit(EXIT_INPUT) from None
        sweeps.append(swept)
        outputs.append(scaling.text(swept, human))
    typer.echo("\n".join(outputs), nl=False)
    if plot is not None and sweeps:
        _emit(scaling.svg(sweeps[0]), plot)
    _finish(analysis)


@app.command()
def explain(code: Annotated[str, typer.Argument(help="A diagnostic code, e.g. SF201.")]) -> None:
    """Explain a diagnostic code."""
    entry = CODES.get(code.upper())
    if entry is None:
        typer.echo(f"unknown code '{code}'; codes: {', '.join(CODES)}", err=True)
        raise typer.Exit(EXIT_INPUT)
    typer.echo(f"{entry.code} ({entry.name}), {entry.severity}\n\n{entry.summary}\n\nHow to fix: {entry.fix}")


def main(key: str | None = None) -> None:
    """The command, its output stored for replay when `key` (`cache.key_for`, no stored result applying) is
    given; `staticflops.launch` has looked for a stored result before importing this module."""
    argv = with_default_command(sys.argv[1:])
    if argv[:1] == ["--version"]:
        print(f"staticflops {__version__}")
        return
    if key is None:
        app(args=argv, prog_name="staticflops")
        return
    recorded = Recorded()
    try:
        app(args=argv, prog_name="staticflops", obj=recorded)
    finally:
        if recorded.code in (EXIT_OK, EXIT_FINDINGS):
            cache.note_arguments(recorded.reads, recorded.paths)
            cache.store(key, cache.Output(recorded.stdout, recorded.stderr, recorded.code), recorded.reads)


if __name__ == "__main__":
    run()
