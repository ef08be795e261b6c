"""`importlib.import_module` and `__import__`, for names the code spells as constants.

Optional-import helpers (MONAI's `optional_import("einops.layers.torch", name="Rearrange")`) and
plugin registries import by a string. With the string known, this is the import statement's own lookup
(the project, then installed libraries, then the natively modelled packages), so nothing is executed
that an `import` would not read; a name the analysis cannot see is unknown. A module that cannot be
found is unknown, not `ModuleNotFoundError`: the environment analyzed may lack what the user's has.

`importlib.util.find_spec(name)` is the probe libraries make for optional packages (diffusers'
`is_torch_npu_available()`, transformers' `is_flash_attn_available()`): it is answered by that same
lookup, so a package the analysis reads or models is there (a spec) and one it cannot find is not
(`None`, with an SF304 note saying so): the branches the library takes are those of an environment
holding what the analysis sees, rather than an unknown condition assumed true, which would take the
accelerator-only path. `importlib.metadata.version(name)` of a package the analysis models itself is the
version it models (`torch`'s); of any other, unknown (distribution metadata is not read).
"""

from __future__ import annotations

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
    name = args[0] if args else kwargs.get("name")
    package = args[1] if len(args) > 1 else kwargs.get("package")
    if not isinstance(name, str):
        return Unknown("importlib.util.find_spec() of a name the analysis cannot see", site)
    name = absolute_name(interp, name, package, site)
    if interp.is_native(name) or interp.project.find_module(name) is not None:
        return Namespace("ModuleSpec", {"name": name, "origin": None, "parent": name.rpartition(".")[0]})
    # a fact of the environment analyzed, as which libraries are installed is: a note, not an assumption
    interp.report(
        SF304, f"package {name!r} was not found by the analysis; taken as not installed (find_spec is None)", site
    )
    return None


def importlib_util_module(interp: Any) -> Namespace:
    return Namespace(
        "importlib.util",
        {"find_spec": NativeFunction("importlib.util.find_spec", _find_spec)},
        resolve=lambda attr: Unknown(f"'importlib.util.{attr}' is not modelled"),
    )


def _version(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    name = args[0] if args else kwargs.get("distribution_name")
    if isinstance(name, str) and interp.is_native(name) and "." not in name:
        module = interp.import_module(name, site)
        found = module.attrs.get("__version__") if isinstance(module, Namespace) else None
        if isinstance(found, str):
            return found
    return Unknown(f"importlib.metadata.version({name!r}): distribution metadata is not read", site)


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
