"""`sys`: `sys.modules[__name__]` (a module registering into itself), the version, sizes.
Nothing about the machine the analysis runs on is revealed except Python's version."""

from __future__ import annotations

import collections
import sys
from typing import Any

from staticflops.interpreter.values import Namespace, NativeFunction, NativeValue, Unknown
from staticflops.source import Location

VersionInfo = collections.namedtuple("version_info", ["major", "minor", "micro", "releaselevel", "serial"])
"""`sys.version_info`: a tuple (compared with `(3, 8)`) whose fields read by name (`.major`), as
`data_attribute` reads the fields of a plain named tuple."""


class Modules(NativeValue):
    """`sys.modules`: the modules this analysis has loaded, by name."""

    def __init__(self, interp: Any) -> None:
        self.interp = interp

    def sf_getitem(self, interp: Any, index: Any, site: Location) -> Any:
        module = self.interp.modules.get(index)
        if module is None:
            return Unknown(f"sys.modules[{index!r}]: not loaded by the analysis", site)
        return module

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        if name == "get":
            modules = self.interp.modules
            return NativeFunction("sys.modules.get", lambda i, a, k, s: modules.get(a[0], a[1] if len(a) > 1 else None))
        raise NotImplementedError


def sys_module(interp: Any) -> Namespace:
    return Namespace(
        "sys",
        {
            "modules": Modules(interp),
            "version_info": VersionInfo(*sys.version_info),
            "maxsize": sys.maxsize,
            "float_info": Unknown("sys.float_info is not modelled"),
            "platform": Unknown("the platform is not known to a static analysis"),
        },
    )
