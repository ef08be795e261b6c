"""Abstract values the interpreter computes with.

Plain Python data (int, float, str, bool, None, tuple, list, dict, set, slice, range)
is represented by itself: arithmetic on known constants is exact. Everything else is
one of the small classes below. `Unknown` stands for a value the analyzer cannot know;
it absorbs attribute reads, calls and arithmetic so that analysis goes on, and it
remembers why and where it arose.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from staticflops.interpreter.scope import Scope
    from staticflops.source import Location, SourceFile


@dataclass(frozen=True, eq=False)
class Unknown:
    """A value we know nothing about, with the reason and where it came from."""

    reason: str
    location: Location | None = None
    truth: bool | None = None
    """Its truthiness where that much is known (`unknown and False` is falsy whatever the unknown is)."""

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"


class ParamKind(enum.Enum):
    POSITIONAL_ONLY = 0
    POSITIONAL_OR_KEYWORD = 1
    VAR_POSITIONAL = 2
    KEYWORD_ONLY = 3
    VAR_KEYWORD = 4


class _Missing:
    def __repr__(self) -> str:
        return "<required>"


REQUIRED: Any = _Missing()


@dataclass(frozen=True)
class Param:
    name: str
    kind: ParamKind = ParamKind.POSITIONAL_OR_KEYWORD
    default: Any = REQUIRED


@dataclass(eq=False)
class Function:
    """A user function or lambda, with its defaults evaluated at definition time."""

    name: str
    qualname: str
    params: tuple[Param, ...]
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    scope: Scope
    """The scope the function closes over (never a class body)."""
    source: SourceFile
    is_generator: bool | None = None
    """Whether its body yields; found on the first call (None until then)."""
    attrs: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<function {self.qualname}>"


NativeImpl = Callable[..., Any]
"""`impl(interp, args, kwargs, site)`; `site` is the call's `Location`."""


@dataclass(eq=False)
class NativeFunction:
    """A function implemented by the analyzer (builtins, torch ops, nn.Module methods)."""

    name: str
    impl: NativeImpl
    params: tuple[Param, ...] | None = None
    """Its parameters as the real function's (a catalog layer's `__init__` has torch's, `self` left out),
    for `inspect.signature`; None where the analyzer does not write them down."""
    guessed: bool = False
    """Supplied without knowing the attribute exists (a tensor method outside the catalog, an unknown op
    when called): `hasattr` does not count it, as `hasattr(weight, "num_embeddings")` is False in torch."""

    def __repr__(self) -> str:
        return f"<native {self.name}>"


@dataclass(eq=False)
class BoundMethod:
    function: Any
    self_value: Any


@dataclass(eq=False)
class StaticMethod:
    function: Any


@dataclass(eq=False)
class ClassMethod:
    function: Any


@dataclass(eq=False)
class Property:
    fget: Any
    fset: Any = None


@dataclass(eq=False)
class ClassObject:
    """A class: user-defined, or native (object, nn.Module, catalog layers)."""

    name: str
    bases: tuple[ClassObject, ...]
    namespace: dict[str, Any]
    qualname: str = ""
    location: Location | None = None
    mro: tuple[ClassObject, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    """Facts natives attach: the catalog spec of a layer class, dataclass fields, enum members."""

    def __post_init__(self) -> None:
        if not self.qualname:
            self.qualname = self.name
        if not self.mro:
            self.mro = (self, *linearize(self.bases))

    def lookup(self, name: str) -> Any:
        for klass in self.mro:
            if name in klass.namespace:
                return klass.namespace[name]
        return REQUIRED

    def is_subclass(self, other: ClassObject) -> bool:
        return other in self.mro

    def __repr__(self) -> str:
        return f"<class {self.qualname}>"


def linearize(bases: tuple[ClassObject, ...]) -> tuple[ClassObject, ...]:
    """C3 linearization of `bases`' MROs (the class itself excluded)."""
    sequences = [list(base.mro) for base in bases] + [list(bases)]
    result: list[ClassObject] = []
    while any(sequences):
        for sequence in sequences:
            if not sequence:
                continue
            head = sequence[0]
            if not any(head in other[1:] for other in sequences):
                break
        else:  # inconsistent hierarchy: fall back to depth-first order
            head = next(s[0] for s in sequences if s)
        result.append(head)
        for sequence in sequences:
            if sequence and sequence[0] is head:
                del sequence[0]
    return tuple(result)


@dataclass(eq=False)
class Instance:
    cls: ClassObject
    attrs: dict[str, Any] = field(default_factory=dict)
    origin: Location | None = None
    """The call that constructed it (for a layer: the line a report points to)."""

    def __repr__(self) -> str:
        return f"<{self.cls.name} instance>"


@dataclass(eq=False)
class Namespace:
    """A module: a project file's globals, or a native namespace such as `torch.nn`."""

    name: str
    attrs: dict[str, Any] = field(default_factory=dict)
    resolve: Callable[[str], Any] | None = None
    """For native namespaces: computes an attribute on first use."""
    is_package: bool = False

    def __repr__(self) -> str:
        return f"<module {self.name}>"


@dataclass(eq=False)
class LazyImport:
    """`from module import name` of the project's own code, resolved on first use.

    Importing a package's `__init__.py` then costs only the names actually used, instead of
    running every module it re-exports (torchvision's `ops/__init__.py` imports them all).
    """

    module: str
    name: str
    """The imported name; empty for `import module` itself."""
    site: Location


@dataclass(eq=False)
class DeferredDefault:
    """A parameter default that names a module not loaded yet, evaluated by the first call that uses it.

    Python evaluates defaults when the function is defined; deferring the few that would load a
    module means a signature alone (torchvision's `interpolation=InterpolationMode.BILINEAR`) does
    not pull in a package. The value differs only if the name were rebound in between.
    """

    node: Any
    """The default's expression (an `ast` node)."""
    scope: Any
    value: Any = REQUIRED
    """The value, once evaluated."""


@dataclass(eq=False)
class SuperProxy:
    cls: ClassObject
    obj: Any


@dataclass(eq=False)
class BuiltinType:
    """A Python builtin type used as a value (`int`, `list`, ...): callable and usable in isinstance."""

    name: str
    pytype: type
    constructor: NativeImpl

    def __repr__(self) -> str:
        return f"<type {self.name}>"


class NativeValue:
    """Base of values whose semantics the analyzer implements (tensors, partial objects).

    The interpreter asks the value itself for attribute reads, operators, indexing,
    truth and iteration; each hook returns a value or raises `NotImplementedError`
    when the operation means nothing for it.
    """

    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        raise NotImplementedError

    def sf_binop(self, interp: Any, op: str, other: Any, reflected: bool, site: Location) -> Any:
        raise NotImplementedError

    def sf_unary(self, interp: Any, op: str, site: Location) -> Any:
        raise NotImplementedError

    def sf_getitem(self, interp: Any, index: Any, site: Location) -> Any:
        raise NotImplementedError

    def sf_truth(self) -> bool | None:
        return True

    def sf_number(self) -> Any:
        """The Python number `int(self)`, `float(self)` convert, when the value is one known number (a
        one-element constant tensor); None otherwise."""
        return None

    def sf_known(self) -> bool:
        """False for a name the analyzer found no model of (a torch op the catalog lacks): whether the real
        library has it is unknown, so `hasattr` on it cannot say True."""
        return True

    def sf_iter(self, interp: Any, site: Location) -> Any:
        raise NotImplementedError

    def sf_compare(self, interp: Any, op: str, other: Any, site: Location) -> Any:
        """`self <op> other` for op in eq, ne, lt, le, gt, ge (already flipped when self was on the right)."""
        raise NotImplementedError

    def sf_unpack(self, count: int) -> list[Any] | None:
        """Values for `a, b, ... = self` when iteration cannot tell; None to iterate normally."""
        return None

    def sf_call(self, interp: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
        raise NotImplementedError

    def sf_setattr(self, interp: Any, name: str, value: Any, site: Location) -> None:
        raise NotImplementedError

    def sf_setitem(self, interp: Any, index: Any, value: Any, site: Location) -> None:
        """`self[index] = value`."""
        raise NotImplementedError

    def sf_enter(self, interp: Any, site: Location) -> Any:
        """What `with self as x` binds."""
        return self

    def sf_exit(self, interp: Any, exc: Any, site: Location) -> bool:
        """Leaving `with self:`; `exc` is the `AnalyzedException` its block raised, or None. True
        suppresses it."""
        return False
