"""`os` and `os.path`: path arithmetic on constant strings; nothing about the machine
(environment variables, files) is known to a static analysis, so those are `Unknown`."""

from __future__ import annotations

import posixpath
from typing import Any

from staticflops.interpreter.stdlib._support import pure
from staticflops.interpreter.values import Namespace, Unknown

PATH_FUNCTIONS = ("join", "basename", "dirname", "splitext", "split", "normpath", "isabs")


def os_path_module(interp: Any) -> Namespace:
    attrs: dict[str, Any] = {name: pure(f"os.path.{name}", getattr(posixpath, name)) for name in PATH_FUNCTIONS}
    attrs["sep"] = "/"

    def resolve(name: str) -> Any:
        return Unknown(f"os.path.{name} depends on the machine's files")

    return Namespace("os.path", attrs, resolve=resolve)


def os_module(interp: Any) -> Namespace:
    def resolve(name: str) -> Any:
        return Unknown(f"os.{name} depends on the machine, which a static analysis does not know")

    return Namespace("os", {"path": interp.import_module("os.path", interp.current), "sep": "/"}, resolve=resolve)
