"""Renderers: one module per output format, each a function `render(analysis, options) -> str`."""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
