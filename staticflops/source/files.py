"""Reading and parsing one Python file, and pointing at places in it.

Files are parsed by CPython's own parser (`ast`): it is the grammar of the Python that runs the analysis,
it needs no import of its own, it parses about ten times faster than libcst (279 KB of transformers'
`modeling_utils.py`: 41 ms against 497 ms) and every node carries its line and column. The analysis
never writes code back, so a concrete syntax tree would buy nothing. See docs/architecture.md.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from staticflops.diagnostics import SF001, SF002, SF003, SF007, Diagnostic
from staticflops.errors import StaticFlopsError
from staticflops.source.deferred import parse_body, set_aside, source_text
from staticflops.source.scan import MAX_BYTES, check_size, check_statements

if TYPE_CHECKING:
    from staticflops.source.trees import TreeCache

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
"""Lines as Python's tokenizer counts them (str.splitlines also splits on form feeds and other separators)."""


@dataclass(eq=False)
class SourceFile:
    """A parsed file: its text, its tree, and the name it was imported as. The bodies of its outer
    functions are parsed on first use (`staticflops.source.deferred`): `body` gives a function's statements."""

    path: str
    """The path as the user named it (or as found through an import), for messages."""
    text: str
    module: ast.Module
    module_name: str = "__main__"
    sha256: str = ""
    """Of the bytes read (`load_source`): what a stored result and a stored tree are keyed on."""
    _lines: list[str] | None = field(default=None, repr=False)

    def body(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt]:
        """The statements of `function`, a definition in this file."""
        return parse_body(function, self.lines(), self.path)

    def may_contain(self, function: ast.FunctionDef | ast.AsyncFunctionDef, word: str) -> bool:
        """False when `word` is surely not in the function's statements: a cheap test on its text
        before a walk of its tree (or a parse of a body still set aside)."""
        lines = self.lines()
        text = source_text(function, lines)
        if text is None and function.end_lineno is not None:
            text = "".join(lines[function.lineno - 1 : function.end_lineno])
        return text is None or word in text

    def lines(self) -> list[str]:
        """The file's lines as Python's tokenizer counts them, line breaks kept."""
        if self._lines is None:
            self._lines = _LINES.findall(self.text)
        return self._lines

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break ("" past the end)."""
        lines = self.lines()
        return lines[line - 1].rstrip("\r\n") if 0 < line <= len(lines) else ""

    def code_for_node(self, node: ast.AST) -> str:
        """The source text of `node` as written; `ast.unparse` when it has no position."""
        if hasattr(node, "end_lineno") and node.end_lineno is not None:
            first, last = node.lineno, node.end_lineno
            lines = [self.line_text(number) for number in range(first, last + 1)]
            data = [text.encode("utf-8") for text in lines]
            if first == last:
                return data[0][node.col_offset : node.end_col_offset].decode("utf-8", "replace")
            data[0], data[-1] = data[0][node.col_offset :], data[-1][: node.end_col_offset]
            return "\n".join(part.decode("utf-8", "replace") for part in data)
        return ast.unparse(node)

    def position(self, node: ast.AST) -> tuple[int, int]:
        """1-based line and 0-based column (in characters) of the start of `node`; (1, 0) for a node
        without a position (the module itself, an `arguments` list)."""
        line = getattr(node, "lineno", None)
        if line is None:
            return (1, 0)
        column: int = node.col_offset  # type: ignore[attr-defined]
        text = self.line_text(line)
        if column and not text.isascii():  # ast counts UTF-8 bytes; a report counts characters
            column = len(text.encode("utf-8")[:column].decode("utf-8", "replace"))
        return (line, column)


@dataclass(frozen=True, eq=False)
class Location:
    """A node in a file; line and column are resolved only when shown."""

    source: SourceFile
    node: ast.AST

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
    problem = check_size(text)
    if problem is not None:
        raise StaticFlopsError(Diagnostic(SF007, problem.message, path, problem.line, 0))
    try:
        with warnings.catch_warnings():  # `"\d"` in a library is its author's business, not the user's
            warnings.simplefilter("ignore")
            module = ast.parse(text, filename=path)
    except SyntaxError as exc:
        line = exc.lineno or 1
        column = max((exc.offset or 1) - 1, 0)
        raise StaticFlopsError(Diagnostic(SF001, f"syntax error: {exc.msg}", path, line, column)) from None
    except (MemoryError, RecursionError):
        raise StaticFlopsError(Diagnostic(SF007, "the file is nested too deeply to parse", path, 1, 0)) from None
    source = SourceFile(path=path, text=text, module=module, module_name=module_name)
    problem = check_statements(text, module, source.lines())
    if problem is not None:
        raise StaticFlopsError(Diagnostic(SF007, problem.message, path, problem.line, 0))
    set_aside(module, source.lines())
    return source


def load_source(path: str | Path, module_name: str = "__main__", trees: TreeCache | None = None) -> SourceFile:
    """Read and parse `path`; every failure is a `StaticFlopsError` naming the file. With `trees`, a tree
    stored for the same bytes is used instead of parsing, and a new one is stored."""
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
    text, sha256 = decode_source(data, shown), hashlib.sha256(data).hexdigest()
    stored = trees.load(sha256) if trees is not None else None
    if stored is not None:  # these bytes passed the checks of `parse_source` before
        return SourceFile(path=shown, text=text, module=stored, module_name=module_name, sha256=sha256)
    source = parse_source(text, shown, module_name)
    source.sha256 = sha256
    if trees is not None:
        trees.store(sha256, source.module)
    return source
