"""The `staticflops` command: a capped child process (`guard`) replays a stored result when one
applies (`cache`), and only otherwise imports the CLI.

A replayed run, what pre-commit hooks and CI steps get on unchanged code, then costs Python's start-up
and this module's few imports: not typer, rich, the catalog or the interpreter, which are
three quarters of a small analysis.
"""

from __future__ import annotations

import gc
import os
import sys

from staticflops import guard

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
COMMANDS = ("analyze", "check", "diff", "shapes", "scale", "explain")


def with_default_command(argv: list[str]) -> list[str]:
    """`staticflops model.py` is `staticflops analyze model.py`."""
    if not argv or argv[0] in COMMANDS or argv[0] in ("--help", "-h", "--version"):
        return argv
    return ["analyze", *argv]


def run() -> None:
    """`main` in a capped child process (`guard`), then an immediate exit. The child is forked before
    anything else is imported: it then writes pages of its own, instead of copying each page of the
    parent's that it touches (about 5% of a one-model run here, where a page fault is dear). Freeing a run's
    parse trees and interpreter objects one by one would cost about 8% more, for a process that ends anyway."""
    argv = sys.argv[1:]
    code = guard.run_capped(_capped_main, lambda: _process_limits(argv)[0], argv)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (`staticflops ... | head`)
        pass
    os._exit(code)


def _capped_main() -> int:
    """In the child: the collector's thresholds, the caps the command line and the configuration ask for,
    then `main`."""
    # Parsing and tracing build millions of small objects and almost no reference cycles: at the
    # default thresholds the cycle collector would run thousands of times for nothing (~15% of a run).
    gc.set_threshold(50_000, 20, 20)
    try:
        limits, sys.argv[1:] = _process_limits(sys.argv[1:])
    except guard.LimitError as error:
        print(f"staticflops: {error}", file=sys.stderr)
        return EXIT_INPUT
    guard.cap(limits)
    return _exit_code_of_main()


def main(*, freeze: bool = False) -> None:
    """The command in this process: a stored result replayed, else the CLI (which exits as typer does).
    With `freeze`, in a process that ends with the command, what it imported is frozen for the collector."""
    from staticflops import cache

    key = cache.key_for(with_default_command(sys.argv[1:]))
    stored = cache.lookup(key) if key is not None else None
    if stored is not None:
        sys.stdout.write(stored.stdout)
        sys.stderr.write(stored.stderr)
        raise SystemExit(stored.code)
    from staticflops import cli

    if freeze:  # what was imported lives as long as the process: the collector need not walk it (~7%)
        gc.freeze()
    cli.main(key)


def _exit_code_of_main() -> int:
    try:
        main(freeze=True)
        return EXIT_OK
    except SystemExit as exit:
        if isinstance(exit.code, str):
            print(exit.code, file=sys.stderr)
        return exit.code if isinstance(exit.code, int) else (EXIT_OK if exit.code is None else EXIT_FINDINGS)


def _process_limits(argv: list[str]) -> tuple[guard.ProcessLimits, list[str]]:
    """The caps of `guard` (flags first, then `[tool.staticflops]` of the first path's project)."""
    from pathlib import Path

    from staticflops.config import Config, load_config
    from staticflops.errors import StaticFlopsError

    paths = guard.command_paths(argv)
    try:
        config = load_config(Path(paths[0]) if paths else Path.cwd())
    except StaticFlopsError:  # the command itself reports a bad configuration
        config = Config()
    return guard.split_arguments(argv, config.process_limits)


if __name__ == "__main__":
    run()
