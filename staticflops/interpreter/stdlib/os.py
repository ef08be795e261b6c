"""`os` and `os.path`: path arithmetic on constant strings; nothing about the machine
(environment variables, files) is known to a static analysis, so those are `Unknown`."""

from __future__ import annotations

import posixpath
from typing import Any

from staticflops.interpreter.stdlib._support import Args, Kwargs, pure
from staticflops.interpreter.values import Namespace, NativeFunction, NativeValue, Unknown
from staticflops.source import Location

PATH_FUNCTIONS = ("join", "basename", "dirname", "splitext", "split", "normpath", "isabs")


def os_path_module(interp: Any) -> Namespace:
    attrs: dict[str, Any] = {name: pure(f"os.path.{name}", getattr(posixpath, name)) for name in PATH_FUNCTIONS}
    attrs["sep"] = "/"

    def resolve(name: str) -> Any:
        return Unknown(f"os.path.{name} depends on the machine's files")

    return Namespace("os.path", attrs, resolve=resolve)


class Environment(NativeValue):
    """`os.environ`: the analysis assumes every variable is unset, so the code's defaults hold,
    and says so (SF304) where a value was needed: numbers for the configuration as shipped."""

    def _assume_unset(self, interp: Any, key: Any, site: Location) -> None:
        # an assumption like a branch's: which layers exist may depend on it (ModelResult.assumptions)
        interp.assume(f"environment variable {key!r} assumed unset", site)

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        if name == "get":
            return NativeFunction("os.environ.get", self._get)
        raise NotImplementedError

    def _get(self, interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        self._assume_unset(interp, args[0] if args else kwargs.get("key"), site)
        return args[1] if len(args) > 1 else kwargs.get("default")

    def sf_getitem(self, interp: Any, index: Any, site: Location) -> Any:
        return Unknown(f"environment variable {index!r} is not known to a static analysis", site)

    def sf_contains(self, interp: Any, key: Any, site: Location) -> Any:
        self._assume_unset(interp, key, site)
        return False


def os_module(interp: Any) -> Namespace:
    environment = Environment()

    def resolve(name: str) -> Any:
        return Unknown(f"os.{name} depends on the machine, which a static analysis does not know")

    def getenv(i: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        return environment._get(i, args, kwargs, site)

    return Namespace(
        "os",
        {
            "path": interp.import_module("os.path", interp.current),
            "sep": "/",
            "environ": environment,
            "getenv": NativeFunction("os.getenv", getenv),
        },
        resolve=resolve,
    )
