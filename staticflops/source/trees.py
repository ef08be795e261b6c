"""Parsed files kept on disk by content: a run parses only the files that changed since an earlier one.

After an edit of one model file, the files it imports (a library's helpers, its weights tables) are
the same bytes as before, and their trees are too. Each tree is stored as it leaves the parser, its
outer function bodies set aside (`staticflops.source.deferred`), under the sha256 of the file's bytes,
the Python that parsed it and staticflops' own code; loading it back costs a tenth of parsing, since
a tree with its bodies set aside is a few hundred nodes (torchvision's `utils.py`: 0.6 ms against 5).

Entries are pickles, and a pickle can name any callable to run. These are read by an unpickler that
builds nothing but `ast` nodes and the markers of bodies set aside, so a planted or corrupt entry is a
miss, never code run. The folder is `trees/` in the result cache's (`staticflops.cache`), and
`--no-cache` or `STATICFLOPS_NO_CACHE=1` turn it off with the rest of the cache.
"""

from __future__ import annotations

import ast
import hashlib
import io
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from staticflops.source.deferred import DeferredBody, Span

KEPT_TREES = 2_000
"""The most entries kept; past it, the oldest fifth is removed."""
_BUILT_INS = {"complex": complex, "Ellipsis": Ellipsis}
"""What a tree's constants may need besides nodes: `1j`, `...`."""


class TreeCache:
    """The folder of stored trees. Plain data: it crosses to `--jobs` workers as it is."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt
        """The Python and the staticflops code a tree was made by: another makes other trees."""

    @classmethod
    def in_folder(cls, folder: Path) -> TreeCache:
        from staticflops.cache import PACKAGE, code_fingerprint

        return cls(folder, hashlib.sha256(f"{sys.version}\0{code_fingerprint(PACKAGE)}".encode()).hexdigest()[:16])

    def _entry(self, sha256: str) -> Path:
        return self.folder / f"{sha256}-{self.salt}.pickle"

    def load(self, sha256: str) -> ast.Module | None:
        """The tree stored for the file whose bytes have this sha256, or None when there is none (or it
        cannot be read as a tree)."""
        try:
            with open(self._entry(sha256), "rb") as file:
                data = file.read()
        except OSError:
            return None
        try:
            tree = _TreeUnpickler(io.BytesIO(data)).load()
        except Exception:  # whatever a corrupt or planted entry makes the unpickler raise, it is a miss
            return None
        return tree if isinstance(tree, ast.Module) else None

    def store(self, sha256: str, tree: ast.Module) -> None:
        """Keep `tree`; a folder that cannot be written is no cache, not an error."""
        try:
            data = pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL)
        except RecursionError:  # a tree too deep to pickle is parsed again next time
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            entry = self._entry(sha256)
            partial = entry.with_name(f"{entry.name}.{os.getpid()}")
            partial.write_bytes(data)
            partial.replace(entry)
        except OSError:
            return

    def prune(self) -> None:
        """Remove the oldest entries once there are more than `KEPT_TREES`: counted without a stat
        (a run that stores one tree pays for a listing, not for thousands of stats)."""
        try:
            with os.scandir(self.folder) as entries:
                names = [entry.path for entry in entries if entry.name.endswith(".pickle")]
            if len(names) <= KEPT_TREES:
                return
            names.sort(key=os.path.getmtime)
            for name in names[: len(names) - KEPT_TREES * 4 // 5]:
                os.unlink(name)
        except OSError:
            return


class _TreeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module in ("ast", "_ast"):
            found = getattr(ast, name, None)
            if isinstance(found, type) and issubclass(found, ast.AST):
                return found
        elif module == "staticflops.source.deferred" and name in ("DeferredBody", "Span"):
            return DeferredBody if name == "DeferredBody" else Span
        elif module == "builtins" and name in _BUILT_INS:
            return _BUILT_INS[name]
        raise pickle.UnpicklingError(f"a stored tree names {module}.{name}")
