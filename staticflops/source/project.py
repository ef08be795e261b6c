"""Finding and caching the modules an analysis reads: the project's own, then installed libraries'.

Imports are resolved from package roots: the directory above the outermost package
(`__init__.py` chain) holding an analyzed file, the analyzed file's own directory, and any
`--path` given; then from library roots, an interpreter's site-packages
(`staticflops.source.libraries`), so that a project module shadows an installed one as it
would on `sys.path`. Nothing outside the roots is ever opened, and each file is parsed at most
once per run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from staticflops.source.reads import Reads, digest

if TYPE_CHECKING:
    from staticflops.source.files import SourceFile
    from staticflops.source.trees import TreeCache


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
    library_roots: list[Path] = field(default_factory=list)
    """Searched after `roots`."""
    libraries: str = ""
    """Where `library_roots` came from, as a message names it ('the installed packages of
    /usr/bin/python3'); empty when installed packages are not read."""
    trees: TreeCache | None = None
    """Where parsed files are kept by content (`staticflops.source.trees`); None parses every file."""
    parse_seconds: float = 0.0
    """Time spent reading and parsing files (`--timings`)."""
    _by_name: dict[str, SourceFile | None] = field(default_factory=dict)
    _by_path: dict[Path, SourceFile] = field(default_factory=dict)
    _looked_up: dict[str, str] = field(default_factory=dict)
    _read: dict[str, str] = field(default_factory=dict)
    _spellings: dict[Path, str] = field(default_factory=dict)

    def name_entries(self, files: list[Path]) -> None:
        """The files the user named, as they named them: one that another imports is reported under the
        user's spelling, whichever of the two is read first (and whichever worker of `--jobs` reads it)."""
        for file in files:
            if file.is_file():
                self._spellings.setdefault(file.resolve(), str(file))

    def _load(self, path: Path | str, name: str) -> SourceFile:
        from staticflops.source.files import load_source  # imported only when something is parsed

        started = time.perf_counter()
        real = Path(path).resolve()
        try:
            source = load_source(self._spellings.get(real, path), module_name=name, trees=self.trees)
        except Exception:  # a file that cannot be read or parsed: a stored result depends on it too
            self._read[str(real)] = digest(path)
            raise
        finally:
            self.parse_seconds += time.perf_counter() - started
        self._read[str(real)] = source.sha256
        return source

    def note_read(self, path: Path) -> None:
        """A file read outside parsing (a config.json): a stored result depends on its bytes too."""
        self._read[str(path.resolve())] = digest(path)

    def reads(self) -> Reads:
        """The files this project read and the modules it looked for (`staticflops.cache`). To a
        lookup, library roots are only the last roots: they are recorded as such, in search order."""
        roots = [str(root) for root in self._all_roots()]
        return Reads(files=dict(self._read), resolutions=[(roots, dict(self._looked_up))])

    def _all_roots(self) -> list[Path]:
        return [*self.roots, *(root for root in self.library_roots if root not in self.roots)]

    def add_root(self, root: Path) -> None:
        root = root.resolve()
        if root not in self.roots:
            self.roots.append(root)

    def open_entry(self, path: str | Path) -> SourceFile:
        """Load an analyzed file, registering its package root for its imports."""
        file = Path(path)
        root, name = package_root(file.resolve()) if file.is_file() else (file.parent, file.stem)
        # a file another analyzed file already imported (a package's `__init__.py` imports its modules)
        # is that module: one parse, and its classes are the ones the run already knows
        known = self._by_path.get(file.resolve()) if file.is_file() else None
        source = known if known is not None and known.module_name == name else self._load(path, name)
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
        for root in self._all_roots():
            for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
                if candidate.is_file() and self._inside_roots(candidate):
                    return candidate
        return None

    def _inside_roots(self, path: Path) -> bool:
        real = path.resolve()
        return any(real.is_relative_to(root) for root in self._all_roots())

    def not_found(self, name: str) -> str:
        """Why `name` resolved to no file, and what would make it resolve."""
        parts = name.split(".")
        for length in range(len(parts) - 1, 0, -1):
            package = ".".join(parts[:length])
            found = self.find_module(package)
            if found is not None and found.name == "__init__.py":
                where = f"package '{package}' ({found.parent})"
                return f"module '{name}' was not found: {where} has no module '{parts[length]}'"
        if self.libraries:
            return (
                f"module '{name}' was not found in the project or {self.libraries} "
                "(install it there, pass --python for another environment, or --path)"
            )
        return (
            f"module '{name}' was not found in the project, and installed packages were not read "
            "(--no-site-packages); pass --path to read it from a directory"
        )

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
