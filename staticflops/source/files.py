"""Reading and parsing one Python file, and pointing at places in it."""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from staticflops.diagnostics import SF001, SF002, SF003, SF007, Diagnostic
from staticflops.errors import StaticFlopsError
from staticflops.source.hollow import DeferredBody, fragment_text, hollow, marker_index, text_lines
from staticflops.source.positions import Positions
from staticflops.source.scan import MAX_BYTES, scan


@dataclass(eq=False)
class SourceFile:
    """A parsed file. Positions of nodes are computed on first request, in one batch; the bodies of
    its outer functions are parsed on first use (`staticflops.source.hollow`)."""

    path: str
    """The path as the user named it (or as found through an import), for messages."""
    text: str
    module: cst.Module
    """The file's tree, its long function bodies set aside: `body` gives a function's statements."""
    module_name: str = "__main__"
    deferred: tuple[DeferredBody, ...] = ()
    _bodies: dict[int, cst.BaseSuite] = field(default_factory=dict, repr=False)
    _fragments: list[tuple[cst.Module, int]] = field(default_factory=list, repr=False)
    """Parsed bodies, each with the number of lines to add to its positions."""
    _fragment_indexes: dict[int, Positions] = field(default_factory=dict, repr=False)
    _wanted: dict[int, cst.CSTNode] = field(default_factory=dict, repr=False)
    _positions: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)
    _index: Positions | None = field(default=None, repr=False)
    _lines: list[str] | None = field(default=None, repr=False)

    def body(self, function: cst.FunctionDef) -> cst.BaseSuite:
        """The statements of `function`, a definition in this file, parsed now if they were set aside."""
        parsed = self._bodies.get(id(function))
        if parsed is not None:
            return parsed
        index = marker_index(function.body) if self.deferred else None
        if index is None or index >= len(self.deferred):
            return function.body
        parsed = self._parse_body(self.deferred[index])
        self._bodies[id(function)] = parsed
        return parsed

    def body_text(self, function: cst.FunctionDef) -> str:
        """The source of `function`'s statements, without parsing them."""
        index = marker_index(function.body) if self.deferred else None
        if index is None or index >= len(self.deferred):
            return self.module.code_for_node(function.body)
        return fragment_text(self._text_lines(), self.deferred[index])

    def _text_lines(self) -> list[str]:
        if self._lines is None:
            self._lines = text_lines(self.text)
        return self._lines

    def _parse_body(self, deferred: DeferredBody) -> cst.BaseSuite:
        shift = deferred.first_line - 2
        text = fragment_text(self._text_lines(), deferred)
        problem = scan(text)
        if problem is not None:
            raise StaticFlopsError(Diagnostic(SF007, problem.message, self.path, problem.line + shift, 0))
        try:
            fragment = cst.parse_module(text)
        except cst.ParserSyntaxError as exc:  # CPython's parser took it; libcst's does not
            message = f"syntax error: {exc.message}"
            where = (exc.raw_line + shift, max(exc.raw_column, 0))
            raise StaticFlopsError(Diagnostic(SF001, message, self.path, *where)) from None
        self._fragments.append((fragment, shift))
        header = fragment.body[0]
        assert isinstance(header, cst.FunctionDef)
        return header.body

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
            # the bodies parsed so far first: they are what ran, and a miss there is cheap, while a miss in
            # the skeleton generates all of it
            pending = [k for k in self._wanted if k not in self._positions]
            self._resolve_in_fragments(pending)
            self._positions.update(self._index.resolve(k for k in pending if k not in self._positions))
            self._wanted.clear()  # resolved: a later request pays for its own nodes only
        return self._positions.get(key, (1, 0))

    def _resolve_in_fragments(self, keys: list[int]) -> None:
        for number, (fragment, shift) in enumerate(self._fragments):
            if not keys:
                return
            index = self._fragment_indexes.get(number)
            if index is None:
                index = self._fragment_indexes[number] = Positions(fragment)
            found = index.resolve(keys)
            self._positions.update({k: (line + shift, column) for k, (line, column) in found.items()})
            keys = [k for k in keys if k not in found]


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
    hollowed = hollow(text)
    problem = scan(text if hollowed is None else hollowed.skeleton)  # bodies are scanned when parsed
    if problem is not None:
        raise StaticFlopsError(Diagnostic(SF007, problem.message, path, problem.line, 0))
    module: cst.Module | None = None
    if hollowed is not None:
        try:
            module = cst.parse_module(hollowed.skeleton)
        except cst.ParserSyntaxError:
            hollowed = None  # the error is reported as it stands in the file
    if module is None:
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError as exc:
            message = f"syntax error: {exc.message}"
            raise StaticFlopsError(Diagnostic(SF001, message, path, exc.raw_line, max(exc.raw_column, 0))) from None
    deferred = hollowed.bodies if hollowed is not None else ()
    return SourceFile(path=path, text=text, module=module, module_name=module_name, deferred=deferred)


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
