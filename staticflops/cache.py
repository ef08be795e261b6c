"""A persistent cache of command results: a run repeated on unchanged code prints what the first
printed, without parsing or interpreting anything.

`staticflops analyze` and `staticflops check` store their output and exit code under a key made of
everything outside the files that can change them: staticflops' version and code, the command line,
the working directory, and the environment variables that change rendering. An entry holds what the run
looked at on disk (`Reads`): the bytes of every file read, the file each module name it looked up
resolved to (or that it resolved to none) in the project and in installed libraries, the
pyproject.toml that applied to each analyzed file, what each directory argument expanded to, and
where the interpreter said its installed libraries are. It is used only while all of that is as it
was; any difference is a miss, never a stale result.

Only runs whose output is not a terminal are cached (pre-commit hooks, CI, pipes): a terminal's
width and colours would otherwise be part of the output. `--no-cache` or `STATICFLOPS_NO_CACHE=1`
turn the cache off; `STATICFLOPS_CACHE_DIR` moves it (default: `$XDG_CACHE_HOME/staticflops`, else
`~/.cache/staticflops`). Entries are JSON, never code.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from staticflops.source.reads import Reads, digest

COMMANDS = ("analyze", "check")
UNCACHED_OPTIONS = ("--no-cache", "--debug", "--timings", "--help", "-h", "--output", "-o")
"""A run with one of these is not replayed: `--output` writes a file, which a replay would not."""
RENDERING_ENVIRONMENT = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
PACKAGE = Path(__file__).resolve().parent
KEPT_ENTRIES = 500
"""The newest entries kept; older ones are removed when an entry is written."""


@dataclass
class Output:
    stdout: str
    stderr: str
    code: int


def directory() -> Path:
    configured = os.environ.get("STATICFLOPS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "staticflops"


def key_for(argv: list[str]) -> str | None:
    """The entry's name for this command line; None when the run must not be cached."""
    if not argv or argv[0] not in COMMANDS or any(arg.split("=", 1)[0] in UNCACHED_OPTIONS for arg in argv):
        return None
    if os.environ.get("STATICFLOPS_NO_CACHE") or sys.stdout.isatty() or sys.stderr.isatty():
        return None
    from staticflops import __version__

    material = {
        "version": __version__,
        "code": code_fingerprint(PACKAGE),
        "argv": argv,
        "cwd": os.getcwd(),
        "environment": {name: os.environ.get(name) for name in RENDERING_ENVIRONMENT},
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def code_fingerprint(package: Path) -> str:
    """Size and modification time of every module of staticflops: an entry made by other code (an
    upgrade, a local edit, the same version number) is never used."""
    stats: list[tuple[str, int, int]] = []
    _note_files(str(package), "", stats)
    stats.sort()
    return hashlib.sha256(json.dumps(stats).encode()).hexdigest()


def _note_files(folder: str, relative: str, stats: list[tuple[str, int, int]]) -> None:
    """The modules under `folder`, and every file of an `assets` folder (the report's script and style).
    `os.scandir`, not `Path.rglob`: every run, replayed or not, pays for this walk (0.3 ms against 3)."""
    in_assets = os.path.basename(folder) == "assets"
    with os.scandir(folder) as entries:
        for entry in entries:
            name = f"{relative}{entry.name}"
            if entry.is_dir():
                _note_files(entry.path, f"{name}/", stats)
            elif entry.name.endswith(".py") or in_assets:
                info = entry.stat()
                stats.append((name, info.st_size, info.st_mtime_ns))


def lookup(key: str) -> Output | None:
    """The stored output for `key`, if everything its run looked at is unchanged."""
    try:
        entry = json.loads((directory() / f"{key}.json").read_text(encoding="utf-8"))
        reads = Reads.from_json(entry["reads"])
        output = Output(str(entry["stdout"]), str(entry["stderr"]), int(entry["code"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return output if unchanged(reads) else None


def unchanged(reads: Reads) -> bool:
    from staticflops.config import find_pyproject
    from staticflops.errors import StaticFlopsError
    from staticflops.paths import expand_paths
    from staticflops.source import Project
    from staticflops.source.libraries import find_libraries

    if any(digest(path) != sha for path, sha in reads.files.items()):
        return False
    for python, answer in reads.interpreters.items():
        try:
            if find_libraries(python=python or None).record() != answer:
                return False
        except StaticFlopsError:
            return False
    for roots, modules in reads.resolutions:
        project = Project(roots=[Path(root) for root in roots])
        if any(str(project.find_module(name) or "") != found for name, found in modules.items()):
            return False
    if any(str(find_pyproject(Path(file)) or "") != found for file, found in reads.configs.items()):
        return False
    for argument, files in reads.listings.items():
        try:
            if [str(path) for path in expand_paths([argument])] != files:
                return False
        except StaticFlopsError:
            return False
    return True


def note_arguments(reads: Reads, paths: list[Path]) -> None:
    """Record what the command line's paths stand for: directory listings, the files themselves,
    and the pyproject.toml that applies to each."""
    from staticflops.config import find_pyproject
    from staticflops.paths import expand_paths

    for path in paths:
        files = expand_paths([path])
        if path.is_dir():
            reads.listings[str(path)] = [str(file) for file in files]
        for file in files:
            reads.files[str(file.resolve())] = digest(file)
            config = find_pyproject(file)
            reads.configs[str(file)] = str(config or "")
            if config is not None:
                reads.files[str(config)] = digest(config)


def store(key: str, output: Output, reads: Reads) -> None:
    """Write the entry; a cache that cannot be written is no cache, not an error."""
    folder = directory()
    entry = {"reads": reads.to_json(), "stdout": output.stdout, "stderr": output.stderr, "code": output.code}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"{key}.json.{os.getpid()}"
        partial.write_text(json.dumps(entry), encoding="utf-8")
        partial.replace(folder / f"{key}.json")
        with os.scandir(folder) as found:
            entries = [entry.path for entry in found if entry.name.endswith(".json")]
        if len(entries) > KEPT_ENTRIES:  # counted first: a store then costs a listing, not 500 stats
            entries.sort(key=os.path.getmtime, reverse=True)
            for old in entries[KEPT_ENTRIES:]:
                os.unlink(old)
    except OSError:
        return
