"""`logging`: loggers accept every call and do nothing; levels are their usual numbers."""

from __future__ import annotations

import logging
from typing import Any

from staticflops.interpreter.stdlib._support import no_op
from staticflops.interpreter.values import Namespace, NativeFunction, NativeValue
from staticflops.source import Location

LEVELS = ("CRITICAL", "FATAL", "ERROR", "WARNING", "WARN", "INFO", "DEBUG", "NOTSET")


class Logger(NativeValue):
    """What `logging.getLogger(...)` returns: any method is a call that does nothing."""

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        if name == "level":
            return logging.NOTSET
        if name == "disabled":
            return False
        if name == "handlers":
            return []
        if name == "getEffectiveLevel":  # an unconfigured logger inherits the root's WARNING
            return NativeFunction("Logger.getEffectiveLevel", lambda i, a, k, s: logging.WARNING)
        if name == "isEnabledFor":
            return NativeFunction(
                "Logger.isEnabledFor", lambda i, a, k, s: isinstance(a[0], int) and a[0] >= logging.WARNING
            )
        return no_op(f"Logger.{name}")

    def sf_setattr(self, interp: Any, name: str, value: Any, site: Location) -> None:
        return None


def logging_module(interp: Any) -> Namespace:
    logger = Logger()
    get_logger = NativeFunction("logging.getLogger", lambda i, a, k, s: logger)

    def resolve(name: str) -> Any:
        if name in LEVELS:
            return getattr(logging, name)
        if name == "getLogger":
            return get_logger
        return no_op(f"logging.{name}")

    return Namespace("logging", {}, resolve=resolve)
