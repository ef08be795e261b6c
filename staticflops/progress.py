"""The progress bar of a run over many files: on a terminal only, never in pipes, CI logs or JSON."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

from staticflops.results import FileDone, Progress


def wanted(stream: TextIO, environ: Mapping[str, str], files: int) -> bool:
    """A bar helps on a run over several files, shown to a person: stderr is a terminal, not a CI runner's
    (which allocate one for some jobs) and not a dumb one."""
    interactive = stream.isatty() and environ.get("TERM", "") != "dumb"
    return files > 1 and interactive and not environ.get("CI")


@contextmanager
def bar(files: int) -> Iterator[Progress]:
    """Files done out of `files`, the models found so far and the time elapsed, on stderr; the bar is
    erased when the run ends, so that only the results remain on screen."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Display

    found = 0
    columns = (
        TextColumn("analyzing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files, {task.fields[models]} models"),
        TimeElapsedColumn(),
    )
    with Display(*columns, console=Console(stderr=True), transient=True) as display:
        task = display.add_task("", total=files, models=0)

        def advance(done: FileDone) -> None:
            nonlocal found
            found += done.models
            display.update(task, advance=1, models=found)

        yield advance
