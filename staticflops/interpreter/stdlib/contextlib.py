"""`contextlib`: `@contextmanager` generators, `nullcontext` and `suppress` in `with` statements."""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.stdlib._support import Args, Kwargs
from staticflops.interpreter.values import ClassObject, Namespace, NativeFunction, NativeValue
from staticflops.source import Location


class ContextValue(NativeValue):
    """A context manager whose `with ... as x` binds `entered` (the interpreter asks `sf_enter`)."""

    def __init__(self, entered: Any, suppresses: tuple[Any, ...] = ()) -> None:
        self.entered = entered
        self.suppresses = suppresses
        """The exception classes leaving the block swallows (`contextlib.suppress`)."""

    def sf_enter(self, interp: Any, site: Location) -> Any:
        return self.entered

    def sf_exit(self, interp: Any, exc: Any, site: Location) -> bool:
        if exc is None or not self.suppresses:
            return False
        raised = interp.exception_class(exc)
        return any(
            isinstance(cls, ClassObject)
            and (raised.is_subclass(cls) if raised is not None else cls.name == exc.type_name)
            for cls in self.suppresses
        )

    def sf_call(self, interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
        """Used as a decorator (`@nullcontext()` is rare, `@torch.no_grad()`-style is common)."""
        return args[0] if args else None


def _contextmanager(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    generator = args[0]

    def enter(i: Any, a: Args, k: Kwargs, s: Location) -> Any:
        # the generator's body runs whole when called; the first value it yields is what `as` binds
        yielded = list(i.iterate(i.call(generator, a, k, s), s))
        return ContextValue(yielded[0] if yielded else None)

    return NativeFunction(f"contextmanager({getattr(generator, 'name', 'function')})", enter)


def contextlib_module(interp: Any) -> Namespace:
    return Namespace(
        "contextlib",
        {
            "contextmanager": NativeFunction("contextlib.contextmanager", _contextmanager),
            "nullcontext": NativeFunction(
                "contextlib.nullcontext", lambda i, a, k, s: ContextValue(a[0] if a else k.get("enter_result"))
            ),
            "suppress": NativeFunction("contextlib.suppress", lambda i, a, k, s: ContextValue(None, tuple(a))),
        },
    )
