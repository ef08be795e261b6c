"""`importlib.import_module` and `__import__`, for names the code spells as constants.

Optional-import helpers (MONAI's `optional_import("einops.layers.torch", name="Rearrange")`) and
plugin registries import by a string. With the string known, this is the import statement's own lookup
(the project, then installed libraries, then the natively modelled packages), so nothing is executed
that an `import` would not read; a name the analysis cannot see is unknown. A module that cannot be
found is unknown, not `ModuleNotFoundError`: the environment analyzed may lack what the user's has.

`importlib.util.find_spec(name)` is the probe libraries make for optional packages (transformers'
`is_xlstm_available()`, diffusers' `is_torch_npu_available()`, a fused kernel's package): it is answered
as an import statement finds the module (the project, the installed libraries, the modelled packages, the
standard library), without running it, so the branches the library takes are those of an environment
holding what the analysis sees: a package it cannot find is None (with an SF304 note), and the fallback
written in the analyzed code is the one priced, rather than an unknown condition assumed true, which would
take the accelerator-only path. `importlib.metadata.version(name)` reads a modelled package's own version
(torch's) or an installed distribution's `<name>-<version>.dist-info`; unknown otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from staticflops.diagnostics import SF304
from staticflops.interpreter.stdlib._support import Args, Kwargs
from staticflops.interpreter.values import ClassObject, Namespace, NativeFunction, Unknown
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


def _find_spec(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`importlib.util.find_spec(name)`: a spec when the analyzed environment has the module, else None."""
    name = args[0] if args else kwargs.get("name")
    package = args[1] if len(args) > 1 else kwargs.get("package")
    if not isinstance(name, str):
        return Unknown("importlib.util.find_spec() of a name the analysis cannot see", site)
    dotted = absolute_name(interp, name, package, site)
    top = dotted.split(".")[0]
    path = interp.project.find_module(dotted)
    if path is None and not interp.is_native(dotted) and top not in sys.stdlib_module_names:
        # a fact of the environment analyzed, as which libraries are installed is: a note, not an assumption
        message = f"package {dotted!r} was not found by the analysis; taken as not installed (find_spec is None)"
        interp.report(SF304, message, site)
        return None
    return Namespace("ModuleSpec", {"name": dotted, "origin": None if path is None else str(path), "parent": top})


def _version(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`importlib.metadata.version(name)`: a modelled package's own `__version__` (torch's is the one the
    interpreter models), else the version an installed distribution's `<name>-<version>.dist-info` states;
    unknown otherwise (the analyzed environment may lack what the user's has)."""
    name = args[0] if args else kwargs.get("distribution_name")
    if not isinstance(name, str):
        return Unknown("importlib.metadata.version() of a name the analysis cannot see", site)
    if interp.is_native(name):
        version = interp.get_attribute(interp.import_module(name, site), "__version__", site, missing_ok=True)
        if isinstance(version, str):
            return version
    wanted = name.replace("-", "_").lower()
    for root in interp.project.library_roots:
        for info in sorted(Path(root).glob("*.dist-info")):
            distribution, _, version = info.name.removesuffix(".dist-info").partition("-")
            if distribution.replace("-", "_").lower() == wanted and version:
                return version
    return Unknown(f"the installed version of {name!r} is not known statically", site)


def importlib_metadata_module(interp: Any) -> Namespace:
    not_found = ClassObject(
        "PackageNotFoundError",
        (interp.builtins["ModuleNotFoundError"],),
        {},
        qualname="importlib.metadata.PackageNotFoundError",
    )
    return Namespace(
        "importlib.metadata",
        {"version": NativeFunction("importlib.metadata.version", _version), "PackageNotFoundError": not_found},
        resolve=lambda attr: Unknown(f"'importlib.metadata.{attr}' is not modelled"),
    )


def importlib_util_module(interp: Any) -> Namespace:
    return Namespace(
        "importlib.util",
        {"find_spec": NativeFunction("importlib.util.find_spec", _find_spec)},
        resolve=lambda attr: Unknown(f"'importlib.util.{attr}' is not modelled"),
    )


def importlib_module(interp: Any) -> Namespace:
    def resolve(attr: str) -> Any:
        if attr in ("util", "metadata"):
            return interp.import_module(f"importlib.{attr}", interp.current)
        return Unknown(f"'importlib.{attr}' is not modelled")

    return Namespace(
        "importlib",
        {"import_module": NativeFunction("importlib.import_module", _import_module)},
        resolve=resolve,
        is_package=True,
    )
