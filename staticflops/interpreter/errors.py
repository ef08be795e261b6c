"""Internal signals of the interpreter. None of these escape an analysis."""

from __future__ import annotations

from typing import Any

from staticflops.source import Location


class AnalyzedException(Exception):
    """The analyzed code raised (a `raise` statement, or Python semantics such as a bad index).

    Carries the Python-level exception type name so that `except ValueError:` handlers
    can match it.
    """

    def __init__(self, type_name: str, message: str, location: Location | None, value: Any = None) -> None:
        super().__init__(message)
        self.type_name = type_name
        self.message = message
        self.location = location
        self.value = value


class Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class Break(Exception):
    pass


class Continue(Exception):
    pass
