"""Reading and parsing one Python file, and pointing at places in it."""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from staticflops.diagnostics import SF001, SF002, SF003, SF007, Diagnostic
from staticflops.errors import StaticFlopsError
from staticflops.source.positions import Positions
from staticflops.source.scan import MAX_BYTES, scan


@dataclass(eq=False)
class SourceFile:
    """A parsed file. Positions of nodes are computed on first request, in one batch."""

    path: str
    """The path as the user named it (or as found through an import), for messages."""
    text: str
    module: cst.Module
    module_name: str = "__main__"
    _wanted: dict[int, cst.CSTNode] = field(default_factory=dict, repr=False)
    _positions: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)
    _index: Positions | None = field(default=None, repr=False)

    def want(self, node: cst.CSTNode) -> None:
        """Ask for `node`'s position to be available later; cheap, called while analyzing."""
        self._wanted.setdefault(id(node), node)

    def position(self, node: cst.CSTNode) -> tuple[int, int]:
        """1-based line and 0-based column of the start of `node`.

        Every node asked for with `want` since the last computation is resolved in the same pass,
        so callers that know several nodes will be shown should `want` them all first.
        """
        key = id(node)
        if key not in self._positions:
            self._wanted.setdefault(key, node)
            if self._index is None:
                self._index = Positions(self.module)
            self._positions.update(self._index.resolve(k for k in self._wanted if k not in self._positions))
            self._wanted.clear()  # resolved: a later request pays for its own nodes only
        return self._positions.get(key, (1, 0))


@dataclass(frozen=True, eq=False)
class Location:
    """A node in a file; line and column are resolved only when shown."""

    source: SourceFile
    node: cst.CSTNode

    @property
    def file(self) -> str:
        return self.source.path

    @property
    def line(self) -> int:
        return self.source.position(self.node)[0]

    @property
    def column(self) -> int:
        return self.source.position(self.node)[1]


def decode_source(data: bytes, path: str) -> str:
    """Decode as Python does: BOM, PEP 263 coding comment, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise StaticFlopsError(Diagnostic(SF003, f"cannot decode the file: {exc}", path)) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise StaticFlopsError(Diagnostic(SF003, "the file contains NUL bytes; it is not Python source", path))
    return text


def parse_source(text: str, path: str, module_name: str = "__main__") -> SourceFile:
    problem = scan(text)
    if problem is not None:
        raise StaticFlopsError(Diagnostic(SF007, problem.message, path, problem.line, 0))
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        message = f"syntax error: {exc.message}"
        raise StaticFlopsError(Diagnostic(SF001, message, path, exc.raw_line, max(exc.raw_column, 0))) from None
    return SourceFile(path=path, text=text, module=module, module_name=module_name)


def load_source(path: str | Path, module_name: str = "__main__") -> SourceFile:
    """Read and parse `path`; every failure is a `StaticFlopsError` naming the file."""
    shown = str(path)
    file = Path(path)
    if not file.is_file():
        what = "is a directory, not a file" if file.is_dir() else "does not exist"
        raise StaticFlopsError(Diagnostic(SF002, f"'{shown}' {what}", shown))
    try:
        size = file.stat().st_size
        if size > 4 * MAX_BYTES:  # not even read: the text limit would refuse it anyway
            raise StaticFlopsError(Diagnostic(SF007, f"'{shown}' is too large to analyze ({size:,} bytes)", shown))
        data = file.read_bytes()
    except OSError as exc:
        raise StaticFlopsError(Diagnostic(SF002, f"cannot read '{shown}': {exc.strerror}", shown)) from None
    return parse_source(decode_source(data, shown), shown, module_name)
