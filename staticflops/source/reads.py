"""What one run looked at on disk, so that a stored result is trusted only while all of it is unchanged."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def digest(path: str | Path) -> str:
    """sha256 of a file's bytes; empty when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


@dataclass
class Reads:
    files: dict[str, str] = field(default_factory=dict)
    """Every file read (sources, configuration), by path: its sha256."""
    resolutions: list[tuple[list[str], dict[str, str]]] = field(default_factory=list)
    """For each set of import roots: every module name looked up, and the file it resolved to ('' for none).
    A module that did not resolve matters as much as one that did: creating it changes the result."""
    configs: dict[str, str] = field(default_factory=dict)
    """For each analyzed file: the pyproject.toml that applies to it ('' for none)."""
    listings: dict[str, list[str]] = field(default_factory=dict)
    """For each directory given on the command line: the files it expanded to."""
    interpreters: dict[str, list[str]] = field(default_factory=dict)
    """For each interpreter asked where its installed packages are (`--python` as given, '' for the
    one running staticflops): its path, then the library roots it named. Another environment with
    the same command line (another venv, a new Python version) answers differently."""

    def merge(self, other: Reads) -> None:
        self.files.update(other.files)
        self.resolutions.extend(other.resolutions)
        self.configs.update(other.configs)
        self.listings.update(other.listings)
        self.interpreters.update(other.interpreters)

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "resolutions": [[roots, modules] for roots, modules in self.resolutions],
            "configs": self.configs,
            "listings": self.listings,
            "interpreters": self.interpreters,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reads:
        return cls(
            files=dict(data["files"]),
            resolutions=[(list(roots), dict(modules)) for roots, modules in data["resolutions"]],
            configs=dict(data["configs"]),
            listings={key: list(value) for key, value in data["listings"].items()},
            interpreters={key: list(value) for key, value in data["interpreters"].items()},
        )
