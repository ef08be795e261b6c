"""Name binding: one `Scope` per module, function call, class body or comprehension."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from staticflops.interpreter.values import REQUIRED
from staticflops.source import SourceFile


@dataclass(eq=False)
class Scope:
    source: SourceFile
    globals: dict[str, Any]
    vars: dict[str, Any] = field(default_factory=dict)
    parent: Scope | None = None
    """The enclosing function scope (closures); class bodies are never parents."""
    is_class: bool = False
    global_names: set[str] = field(default_factory=set)
    nonlocal_names: set[str] = field(default_factory=set)
    qualname: str = ""
    owner: Any = None
    """For a method's scope: the class whose body defined it (what zero-argument super() needs)."""
    first_argument: Any = None

    def lookup(self, name: str) -> Any:
        """The bound value, or `REQUIRED` when the name is bound nowhere."""
        if name in self.global_names:
            return self.globals.get(name, REQUIRED)
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        return self.globals.get(name, REQUIRED)

    def replace(self, name: str, value: Any) -> None:
        """Rebind `name` where it is bound (a resolved lazy import takes its placeholder's place)."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                scope.vars[name] = value
                return
            scope = scope.parent
        if name in self.globals:
            self.globals[name] = value

    def assign(self, name: str, value: Any) -> None:
        if name in self.global_names:
            self.globals[name] = value
            return
        if name in self.nonlocal_names:
            scope = self.parent
            while scope is not None:
                if name in scope.vars:
                    scope.vars[name] = value
                    return
                scope = scope.parent
        self.vars[name] = value

    def delete(self, name: str) -> None:
        target = self.globals if name in self.global_names else self.vars
        target.pop(name, None)

    def child(self, qualname: str, *, is_class: bool = False) -> Scope:
        """A new scope for a call or class body whose closure is `self`."""
        return Scope(self.source, self.globals, parent=self, is_class=is_class, qualname=qualname)
