"""Where installed libraries are read from: the site-packages directories of a Python interpreter.

A library the analyzed code imports (`timm`, `torchvision`, the user's own installed package) is
read from source like a project module, never imported. Which directories hold the libraries is
the interpreter's to say, since only it knows its prefix, its version and its venv: the one
running staticflops answers in-process from `sysconfig` and `site`; another one (`--python`) is
run isolated (`-I`) on a fixed snippet that prints the same three answers as JSON. That runs the
interpreter's own start-up and nothing of the analyzed code, and is time-limited.
"""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
import sysconfig
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from staticflops.diagnostics import SF002, Diagnostic
from staticflops.errors import StaticFlopsError

QUERY = (
    "import json, site, sysconfig; paths = sysconfig.get_paths(); "
    "print(json.dumps([paths['purelib'], paths['platlib'], *getattr(site, 'getsitepackages', list)()]))"
)
"""What `--python` is asked: purelib, platlib, then `site.getsitepackages()` (absent in old virtualenvs)."""
QUERY_SECONDS = 10.0
"""An interpreter on a cold network file system can take a few seconds to start; one that takes
longer is broken, and the run must not hang on it."""


@dataclass(frozen=True)
class Libraries:
    """The library roots of one run, and where they came from (for messages and the cache)."""

    roots: tuple[str, ...] = ()
    origin: str = ""
    """What a message names as the place searched: 'the installed packages of /usr/bin/python3';
    empty when installed packages are not read."""
    interpreter: str | None = None
    """The interpreter asked, as given ('' for the one running staticflops); None when the roots
    were given directly or are off. A cached result is replayed only if it still answers the same."""

    def record(self) -> list[str]:
        """What the cache keeps of an interpreter's answer: its path, then its roots."""
        return [self.origin, *self.roots]


def find_libraries(
    site_packages: bool = True, python: str | None = None, paths: Sequence[str | Path] | None = None
) -> Libraries:
    """The library roots for a run: none without `site_packages`, else `paths` when given, else the
    site-packages of `python` (default: the interpreter running staticflops)."""
    if not site_packages:
        return Libraries()
    if paths is not None:
        roots = _existing(paths)
        return Libraries(roots, f"the library paths {', '.join(roots) or '(none)'}")
    if python is None:
        running = sys.executable or "the Python running staticflops"
        return Libraries(_existing(_this_interpreter()), f"the installed packages of {running}", "")
    return Libraries(_existing(ask_interpreter(python)), f"the installed packages of {_named(python)}", python)


def _this_interpreter() -> list[str]:
    paths = sysconfig.get_paths()
    return [paths["purelib"], paths["platlib"], *getattr(site, "getsitepackages", list)()]


def ask_interpreter(python: str) -> list[str]:
    """The site-packages directories `python` reports; SF002 when it cannot be run or does not answer."""
    try:
        completed = subprocess.run(
            [python, "-I", "-c", QUERY],
            capture_output=True,
            text=True,
            timeout=QUERY_SECONDS,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _not_an_interpreter(python, f"did not answer within {QUERY_SECONDS:g} s") from None
    except OSError as error:
        raise _not_an_interpreter(python, f"cannot be run ({error.strerror or error})") from None
    if completed.returncode != 0:
        last = (completed.stderr.strip().splitlines() or [""])[-1]
        raise _not_an_interpreter(python, f"exited with code {completed.returncode}{': ' + last if last else ''}")
    try:
        answer = json.loads((completed.stdout.strip().splitlines() or [""])[-1])
    except ValueError:
        answer = None
    if not isinstance(answer, list) or not all(isinstance(path, str) for path in answer):
        raise _not_an_interpreter(python, "did not answer as a Python interpreter would")
    return answer


def _not_an_interpreter(python: str, why: str) -> StaticFlopsError:
    return StaticFlopsError(
        Diagnostic(SF002, f"--python '{python}' {why}; give the path of a Python interpreter, e.g. .venv/bin/python")
    )


def _named(python: str) -> str:
    """The interpreter as a message should name it: found on PATH when given by name."""
    if Path(python).parent == Path("."):
        return shutil.which(python) or python
    return python


def _existing(paths: Iterable[str | Path]) -> tuple[str, ...]:
    """The directories among `paths`, resolved, each once, in order: an interpreter lists
    directories that do not exist yet (a user site, a fresh venv's platlib)."""
    found: list[str] = []
    for path in paths:
        directory = Path(path).resolve()
        if directory.is_dir() and str(directory) not in found:
            found.append(str(directory))
    return tuple(found)
