"""The public entry: `analyze(paths, ...)` → `Analysis`.

>>> from staticflops import analyze
>>> analysis = analyze(["fixtures/lenet5.py"])
>>> model = analysis.models[0]
>>> model.name, model.params, model.inputs
('LeNet5', 61706, [(1, 1, 32, 32)])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from staticflops.catalog import Shape
from staticflops.config import load_config
from staticflops.conventions import Convention
from staticflops.deep_calls import run_deep
from staticflops.errors import StaticFlopsError
from staticflops.interpreter.budget import Limits
from staticflops.models import analyze_source, new_interpreter
from staticflops.paths import expand_paths
from staticflops.results import Analysis, FileDone, FileResult, Progress
from staticflops.shapes import parse_shape
from staticflops.source import Project
from staticflops.source.libraries import Libraries, find_libraries
from staticflops.source.reads import Reads
from staticflops.symbolic.options import SymbolicOptions

if TYPE_CHECKING:
    from staticflops.source.trees import TreeCache


def analyze(
    paths: Sequence[str | Path],
    *,
    model: str | None = None,
    inputs: Sequence[Shape] | None = None,
    named_inputs: Mapping[str, Shape] | None = None,
    convention: Convention | str = Convention.SEED,
    search_paths: Sequence[str | Path] = (),
    limits: Limits | None = None,
    reveal: bool = False,
    jobs: int = 1,
    batch: int | None = None,
    site_packages: bool = True,
    python: str | None = None,
    library_paths: Sequence[str | Path] | None = None,
    libraries: Libraries | None = None,
    all_models: bool = False,
    progress: Progress | None = None,
    decode: int | None = None,
    symbolic: SymbolicOptions | None = None,
    trees: TreeCache | None = None,
) -> Analysis:
    """Analyze model files statically: nothing is imported or executed.

    `model` selects one model by class or function name or by a call expression
    (`"ResNet(BasicBlock, [2, 2, 2, 2])"`); without it every model in each file that
    builds without arguments is analyzed. `inputs` gives the shapes of forward()'s
    positional arguments (batch included) and `named_inputs` those of named ones; without
    either they are inferred. A file that cannot be read or parsed
    raises `StaticFlopsError` when it is the only one, and is a diagnostic otherwise.
    `jobs` > 1 analyzes the files in that many worker processes. `batch` sets the first
    dimension of every input, however the shapes were found. Without `inputs`, an
    `input-shape` from `[tool.staticflops]` in the nearest pyproject.toml applies.

    Imports that are neither modelled nor the project's own (`search_paths` included) are read
    from installed libraries: the site-packages of the interpreter `python` (default: this one),
    or the directories `library_paths`; none with `site_packages=False`. `libraries`, found once
    by `find_libraries` for many calls, replaces those three. An interpreter that cannot be asked
    raises `StaticFlopsError` (SF002). `all_models` reports every buildable module of a file,
    blocks and helpers included, not only the top-level models. `progress` hears of each file
    (`FileDone`) as soon as it is finished: the CLI's progress bar. `decode` prices, for a Hugging Face
    config.json, one generation step after a key/value cache of that many tokens (docs/transformers.md).
    `symbolic` traces with named sizes and gives the totals as formulas of them (`ModelResult.symbolic`,
    docs/symbolic.md). `trees` keeps parsed files on disk by content, so that a later call parses only
    the files that changed (`staticflops.source.trees`; the CLI's cache).
    """
    files = expand_paths(paths)
    if libraries is None:
        libraries = find_libraries(site_packages, python, library_paths)
    options = (model, inputs, dict(named_inputs or {}), Convention(convention), tuple(search_paths),
               limits or Limits(), reveal, batch, libraries, all_models, decode, symbolic, trees)  # fmt: skip
    if jobs > 1 and len(files) > 1:
        analysis = _analyze_in_parallel(files, options, jobs, progress)
    else:
        analysis = run_deep(_analyze_files, files, *options, progress=progress)
    if libraries.interpreter is not None:
        analysis.reads.interpreters[libraries.interpreter] = libraries.record()
    return analysis


def _analyze_files(
    files: Iterable[Path],
    model: str | None,
    inputs: Sequence[Shape] | None,
    named_inputs: dict[str, Shape],
    convention: Convention,
    search_paths: Sequence[str | Path],
    limits: Limits,
    reveal: bool = False,
    batch: int | None = None,
    libraries: Libraries | None = None,
    all_models: bool = False,
    decode: int | None = None,
    symbolic: SymbolicOptions | None = None,
    trees: TreeCache | None = None,
    entries: list[Path] | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Analyze `files` in one interpreter; `entries` are all the files of the run (`--jobs` gives each
    worker a part of them, as it takes them), named as the user named them. A file that cannot be
    read raises only when it is the run's one file."""
    libraries = libraries or Libraries()
    project = Project(
        library_roots=[Path(root) for root in libraries.roots], libraries=libraries.origin, trees=trees
    )
    if entries is None:
        files = entries = list(files)
    project.name_entries(entries)
    alone = len(entries) == 1
    for extra in search_paths:
        project.add_root(Path(extra))
    interp = new_interpreter(project, limits)
    results: list[FileResult] = []
    shared: dict[str, Any] = {
        "model": model,
        "input_shapes": list(inputs) if inputs else None,
        "named_shapes": named_inputs or None,
        "convention": convention,
        "limits": limits,
        "batch": batch,
    }
    for file in files:
        if file.suffix == ".json":  # a JSON file given is a Hugging Face config.json (docs/transformers.md)
            from staticflops.frontends.hf_config import analyze_config

            results.append(analyze_config(project, interp, file, decode=decode, symbolic=symbolic, **shared))
        else:
            try:
                source = project.open_entry(file)
            except StaticFlopsError as error:
                if alone:
                    raise
                results.append(FileResult(str(file), diagnostics=[error.diagnostic]))
            else:
                configured = None if inputs or named_inputs else _configured_shape(file, model)
                results.append(
                    analyze_source(
                        project,
                        source,
                        reveal=reveal,
                        interp=interp,
                        config_shapes=configured,
                        all_models=all_models,
                        symbolic=symbolic,
                        **shared,
                    )
                )
        if progress is not None:
            progress(FileDone(str(file), len(results[-1].models)))
    return Analysis(convention, results, parse_seconds=project.parse_seconds, reads=project.reads())


def _configured_shape(file: Path, model: str | None) -> list[Shape] | None:
    """The `input-shape` [tool.staticflops] gives for this file and model (a per-model table first)."""
    config = load_config(file)
    for entry in config.for_file(file):
        if entry.input_shape and (model is None or entry.model == model):
            return [parse_shape(entry.input_shape)]
    return [parse_shape(config.input_shape)] if config.input_shape else None


def _largest_first(files: list[Path]) -> list[Path]:
    """The order workers take files in: the largest first, so that no worker is left with a big file
    when the others are done (a timm file with a hundred registered models against one with none)."""
    return sorted(files, key=lambda f: f.stat().st_size if f.is_file() else 0, reverse=True)


def _pull(pending: Any) -> Iterator[Path]:
    """The files a worker takes from the shared queue, one at a time, until none is left."""
    import queue

    while True:
        try:
            yield pending.get_nowait()
        except queue.Empty:
            return


def _worker(
    pending: Any, options: tuple[Any, ...], entries: list[Path], done: Any = None
) -> tuple[list[FileResult], Reads]:
    """One worker: files taken from `pending` (a queue all workers share) as it finishes the previous
    one, all in one interpreter, so modules its files share are read once; `done` (a queue) hears of
    each file as it is finished."""
    progress = None if done is None else done.put
    analysis = run_deep(_analyze_files, _pull(pending), *options, entries=entries, progress=progress)
    return analysis.files, analysis.reads


def _analyze_in_parallel(
    files: list[Path], options: tuple[Any, ...], jobs: int, progress: Progress | None = None
) -> Analysis:
    """Files shared out to `jobs` processes as they become free (a fixed split by size left one worker
    with most of the work when files differ in cost, not only in size)."""
    import multiprocessing
    import queue
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    workers = min(jobs, len(files))
    with context.Manager() as manager, ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = manager.Queue()
        for file in _largest_first(files):
            pending.put(file)
        done = manager.Queue() if progress is not None else None
        futures = [pool.submit(_worker, pending, options, files, done) for _ in range(workers)]
        while done is not None and progress is not None:
            try:
                progress(done.get(timeout=0.1))
            except queue.Empty:
                if all(future.done() for future in futures):
                    while not done.empty():
                        progress(done.get())
                    break
        parts = [future.result() for future in futures]
    by_path = {result.path: result for results, _ in parts for result in results}
    reads = Reads()
    for _, part in parts:
        reads.merge(part)
    return Analysis(options[3], [by_path[str(file)] for file in files if str(file) in by_path], reads=reads)
