"""The last line of defence: the command runs in a child process with its memory and CPU time capped.

The interpreter's budgets (`interpreter/budget.py`) and the price of every native operation
(`interpreter/costs.py`) stop hostile code with SF303 at its line. This guard is for what they miss:
the child's address space is capped (an allocation over it raises `MemoryError`, reported as SF303
at the model being analyzed), and so is its CPU time; a child the kernel stops (SIGXCPU at the CPU
cap, SIGKILL from the out-of-memory killer) is reported by the parent as SF303 with the paths it was
analyzing, exit code 1, instead of a runner killed without a word.

`--max-memory MB` and `--max-cpu-seconds S` (anywhere on the command line, `0` for no cap) or
`max-memory`/`max-cpu-seconds` in `[tool.staticflops]` change the caps; the child reads them and caps
itself before the command runs, and the parent reads them again only to say which cap stopped a child.
Where there is no `fork` (Windows), the command runs unguarded.

This module is what the parent imports before it forks, so it imports little: the fewer pages the
parent has, the fewer the child copies when it writes to them.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERRUPTED = 1, 2, 130


class ProcessLimits(NamedTuple):
    memory_mb: int = 4096
    """Address space of the analyzing process, in MB (0: no cap)."""
    cpu_seconds: int = 1800
    """CPU time of the whole command, in seconds (0: no cap)."""


FLAGS = {"--max-memory": "memory_mb", "--max-cpu-seconds": "cpu_seconds"}
CONFIG_KEYS = {"max-memory": "memory_mb", "max-cpu-seconds": "cpu_seconds"}


class LimitError(ValueError):
    """A cap given on the command line is not a whole number."""


def split_arguments(argv: list[str], configured: dict[str, int]) -> tuple[ProcessLimits, list[str]]:
    """The caps the command line (or else the configuration) asks for, and the arguments left for the
    command itself."""
    values = dict(configured)
    rest: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--":  # what follows is the command's, whatever it looks like
            rest.extend([arg, *args])
            break
        flag, equals, value = arg.partition("=")
        if flag not in FLAGS:
            rest.append(arg)
            continue
        if not equals:
            value = next(args, "")
        if not value.isdigit():
            raise LimitError(f"{flag} takes a whole number, not {value!r}")
        values[FLAGS[flag]] = int(value)
    return ProcessLimits(**values), rest


def run_capped(command: Callable[[], int], limits_of: Callable[[], ProcessLimits], argv: list[str]) -> int:
    """`command()`'s exit code, run in a child process that caps itself (`cap`) first; SF303 if the kernel
    stops it, with the caps `limits_of()` gives and the paths of `argv` it was analyzing."""
    if not hasattr(os, "fork"):
        return command()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: run, and leave without unwinding the parent's state
        code = command()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:
            pass
        os._exit(code)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the child; its status tells
    try:
        _, status = os.waitpid(pid, 0)
    finally:
        signal.signal(signal.SIGINT, previous)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    stopped = os.WTERMSIG(status)
    if stopped == signal.SIGINT:
        return EXIT_INTERRUPTED
    from staticflops.diagnostics import SF303, Diagnostic

    try:
        limits = limits_of()
    except ValueError:  # a cap the child refused would have made it exit, not be stopped
        limits = ProcessLimits()
    paths = command_paths(argv)
    where = paths[0] if paths else None
    for line in _stopped_messages(stopped, limits, paths):
        print(Diagnostic(SF303, line, where, 1, 0).format(), file=sys.stderr)
    return EXIT_FINDINGS


def cap(limits: ProcessLimits) -> None:
    """Cap this process (the child of `run_capped`); nothing where there is no fork, and so no parent to
    report what the caps stopped."""
    if not hasattr(os, "fork"):
        return
    import resource

    if limits.memory_mb:
        size = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    if limits.cpu_seconds:
        # SIGXCPU at the soft cap; the hard cap a little later in case the signal is caught
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))


def _stopped_messages(stopped: int, limits: ProcessLimits, paths: list[str]) -> list[str]:
    analyzing = f" while analyzing {', '.join(paths)}" if paths else ""
    if stopped == signal.SIGXCPU or (stopped == signal.SIGKILL and limits.cpu_seconds):
        reason = (
            f"the CPU time limit of {limits.cpu_seconds} s (--max-cpu-seconds)"
            if stopped == signal.SIGXCPU
            else "the system (out of memory, or the CPU time limit)"
        )
    else:
        reason = f"signal {signal.Signals(stopped).name}"
    return [f"the analysis was stopped by {reason}{analyzing}; nothing was reported for what was left"]


def command_paths(argv: list[str]) -> list[str]:
    """The arguments naming existing files or directories: what the command was analyzing."""
    return [arg for arg in argv if not arg.startswith("-") and os.path.exists(arg)]
