"""Finding and caching the analyzed project's own modules.

Imports of the project's modules are resolved from package roots: the directory
above the outermost package (`__init__.py` chain) holding an analyzed file, the
analyzed file's own directory, and any `--path` given. Nothing outside the roots is
ever opened, and each file is parsed at most once per run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from staticflops.source.files import SourceFile, load_source
from staticflops.source.reads import Reads, digest


def package_root(file: Path) -> tuple[Path, str]:
    """The directory imports start from for `file`, and `file`'s dotted module name."""
    parts = [file.stem] if file.stem != "__init__" else []
    directory = file.parent
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        parts.insert(0, directory.name)
        directory = directory.parent
    return directory, ".".join(parts) or file.parent.name


@dataclass
class Project:
    """The files an analysis may read, keyed by module name."""

    roots: list[Path] = field(default_factory=list)
    parse_seconds: float = 0.0
    """Time spent reading and parsing files (`--timings`)."""
    _by_name: dict[str, SourceFile | None] = field(default_factory=dict)
    _by_path: dict[Path, SourceFile] = field(default_factory=dict)
    _looked_up: dict[str, str] = field(default_factory=dict)
    _read: dict[str, str] = field(default_factory=dict)

    def _load(self, path: Path | str, name: str) -> SourceFile:
        started = time.perf_counter()
        try:
            return load_source(path, module_name=name)
        finally:
            self._read[str(Path(path).resolve())] = digest(path)
            self.parse_seconds += time.perf_counter() - started

    def reads(self) -> Reads:
        """The files this project read and the modules it looked for (`staticflops.cache`)."""
        return Reads(files=dict(self._read), resolutions=[([str(r) for r in self.roots], dict(self._looked_up))])

    def add_root(self, root: Path) -> None:
        root = root.resolve()
        if root not in self.roots:
            self.roots.append(root)

    def open_entry(self, path: str | Path) -> SourceFile:
        """Load an analyzed file, registering its package root for its imports."""
        file = Path(path)
        root, name = package_root(file.resolve()) if file.is_file() else (file.parent, file.stem)
        source = self._load(path, name)
        if file.is_file():
            self.add_root(root)
            self.add_root(file.resolve().parent)
            self._by_path[file.resolve()] = source
            self._by_name.setdefault(name, source)
        return source

    def find_module(self, name: str) -> Path | None:
        """The file of module `name` under a root; a symbolic link leading out of the roots is not followed."""
        found = self._search(name)
        self._looked_up[name] = "" if found is None else str(found)
        return found

    def _search(self, name: str) -> Path | None:
        relative = Path(*name.split("."))
        for root in self.roots:
            for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
                if candidate.is_file() and self._inside_roots(candidate):
                    return candidate
        return None

    def _inside_roots(self, path: Path) -> bool:
        real = path.resolve()
        return any(real.is_relative_to(root) for root in self.roots)

    def is_package(self, name: str) -> bool:
        path = self.find_module(name)
        return path is not None and path.name == "__init__.py"

    def load_module(self, name: str) -> SourceFile | None:
        """The parsed module `name` of the project, or None if no root holds it."""
        if name in self._by_name:
            return self._by_name[name]
        path = self.find_module(name)
        source = None
        if path is not None:
            resolved = path.resolve()
            source = self._by_path.get(resolved)
            if source is None:
                source = self._load(path, name)
                self._by_path[resolved] = source
        self._by_name[name] = source
        return source
