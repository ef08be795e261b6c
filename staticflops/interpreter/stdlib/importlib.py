"""`importlib.import_module` and `__import__`, for names the code spells as constants.

Optional-import helpers (MONAI's `optional_import("einops.layers.torch", name="Rearrange")`) and
plugin registries import by a string. With the string known, this is the import statement's own lookup
(the project, then installed libraries, then the natively modelled packages), so nothing is executed
that an `import` would not read; a name the analysis cannot see is unknown. A module that cannot be
found is unknown, not `ModuleNotFoundError`: the environment analyzed may lack what the user's has.
"""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.stdlib._support import Args, Kwargs
from staticflops.interpreter.values import Namespace, NativeFunction, Unknown
from staticflops.source import Location


def absolute_name(interp: Any, name: str, package: Any, site: Location) -> str:
    """`import_module("..layers", "pkg.nets")` is `pkg.layers`, as Python resolves it."""
    if not name.startswith("."):
        return name
    if not isinstance(package, str):
        interp.raise_error(
            "TypeError", f"the 'package' argument is required to perform a relative import for {name!r}", site
        )
    level = len(name) - len(name.lstrip("."))
    base = package.rsplit(".", level - 1)[0] if level > 1 else package
    rest = name[level:]
    return f"{base}.{rest}" if rest else base


def _import_module(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    name = args[0] if args else kwargs.get("name")
    package = args[1] if len(args) > 1 else kwargs.get("package")
    if not isinstance(name, str):
        return Unknown("importlib.import_module() of a name the analysis cannot see", site)
    return interp.import_module(absolute_name(interp, name, package, site), site)


def dunder_import(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`__import__("a.b")` imports `a.b` and returns `a`; with a `fromlist`, `a.b` itself."""
    name = args[0] if args else kwargs.get("name")
    fromlist = args[3] if len(args) > 3 else kwargs.get("fromlist")
    level = args[4] if len(args) > 4 else kwargs.get("level", 0)
    if not isinstance(name, str) or level:
        return Unknown("__import__() of a name the analysis cannot see", site)
    module = interp.import_module(name, site)
    return module if fromlist or "." not in name else interp.import_module(name.split(".")[0], site)


def importlib_module(interp: Any) -> Namespace:
    return Namespace(
        "importlib",
        {"import_module": NativeFunction("importlib.import_module", _import_module)},
        resolve=lambda attr: Unknown(f"'importlib.{attr}' is not modelled"),
    )
