"""Long loops that only compute local values are cut, their results unknown.

A constructor may compute a table in plain Python: TinyViT's attention-bias indexes loop over every pair
of positions of a window, a million iterations for a 32 × 32 window, at every block, to fill a buffer
whose shape was set before. Interpreted, such a loop costs tens of seconds and ran the model out of its
step budget, so the model was not analyzed at all. As abstract interpreters widen a loop that runs long,
a `for` loop is stopped once it has run `CUT_AFTER` statements if all it does is compute local values, and
every name it writes becomes unknown. A value that matters later (a size read from the table) is reported
where it is used (SF301) and the numbers it feeds are marked unknown; one that does not leaves them exact.

"Only local values", decided from the loop's syntax and what its names are bound to:

* its statements assign to local names or to items of local names, call functions, or are `if`, `for`,
  `while`, `pass`, `break` and `continue`: none returns, raises, asserts, yields, stores an attribute,
  deletes, imports, defines a function or class, or declares a name global or nonlocal;
* what it calls are builtins without effects (`len`, `abs`, `min`, ...), `math`'s functions, or methods
  of a list, dict or set held in a local name (`append`, `setdefault`, `get`, ...);
* it has no `else` (whether the rest of the loop would have broken out is unknown), and iterates over a
  sequence, not an iterator (which it would leave half consumed);
* no container it fills is held by anything but its local name (`table = self.table` would keep the part
  filled before the cut as if it were the whole).

Only loops of a function's body, and only where the interpreter's owner allows it (`may_cut_loops`:
outside a forward trace, where operators on tensors cost FLOPs).
"""

from __future__ import annotations

import ast
import sys
from typing import Any

from staticflops.diagnostics import SF304
from staticflops.interpreter.scope import Scope
from staticflops.interpreter.values import REQUIRED, Namespace, Unknown
from staticflops.source import Location

CUT_AFTER = 200_000
"""Statements one loop may run before it is cut (about a second and a half): real model code computes its
configuration in far fewer; TinyViT's tables take millions."""
PURE_BUILTINS = frozenset((
    "abs", "all", "any", "bool", "chr", "divmod", "enumerate", "float", "frozenset", "hash", "int", "isinstance",
    "len", "list", "max", "min", "ord", "pow", "range", "reversed", "round", "set", "str", "sum", "tuple", "zip",
    "dict",
))  # fmt: skip
"""Builtins that have no effect and call nothing they are given (`sorted(key=...)` and `map` would)."""
READING_METHODS = frozenset(("get", "keys", "values", "items", "index", "count", "copy"))
WRITING_METHODS = frozenset(("append", "extend", "add", "update", "setdefault", "insert"))
CONTAINERS = (list, dict, set)
SEQUENCES = (list, tuple, range, str, bytes, dict, set, frozenset)
"""What a cut loop may iterate over: an iterator (`zip(it, ...)`, a generator) would be left half consumed
for whoever holds it next."""
_ALLOWED_STATEMENTS = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.If, ast.For, ast.While, ast.Pass,
                       ast.Break, ast.Continue)  # fmt: skip
_REFUSED_EXPRESSIONS = (ast.Lambda, ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await)


def written_names(interp: Any, loop: ast.For, scope: Scope, iterable: Any) -> list[str] | None:
    """The local names `loop` writes, sorted; None when it may do more than compute them."""
    if loop.orelse or scope.is_class or scope.vars is scope.globals or not isinstance(iterable, SEQUENCES):
        return None
    names: set[str] = set()
    if not _targets(loop.target, names):
        return None
    for node in (child for statement in loop.body for child in ast.walk(statement)):
        if isinstance(node, ast.stmt) and not isinstance(node, _ALLOWED_STATEMENTS):
            return None
        if isinstance(node, _REFUSED_EXPRESSIONS):
            return None
        if isinstance(node, ast.Assign) and not all(_targets(target, names) for target in node.targets):
            return None
        if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For)) and not _targets(node.target, names):
            return None
        if isinstance(node, ast.Call) and not _pure_call(interp, node, scope, names):
            return None
    if names & (scope.global_names | scope.nonlocal_names):
        return None
    if any(_shared(scope.vars.get(name)) for name in names):
        return None
    return sorted(names)


def cut(interp: Any, loop: ast.For, scope: Scope, names: list[str], iterations: int, site: Location) -> None:
    """Stop `loop` here: what it writes is unknown from now on, and a note says so."""
    shown = ", ".join(f"'{name}'" for name in names)
    reason = f"computed by a loop cut after {iterations:,} iterations (line {site.line})"
    for name in names:
        scope.vars[name] = Unknown(reason, site)
    interp.report(
        SF304,
        f"a loop that only computes local values ran {CUT_AFTER:,} statements ({iterations:,} iterations) and was "
        f"cut: {shown} are unknown from here, and any number they decide is marked unknown",
        site,
    )


def _shared(value: Any) -> bool:
    """A container that something besides its local name refers to (`table = self.table`, a list inside
    another): cut, that other holder would keep what the loop had filled so far, as if it were all."""
    # the references: the scope's binding, `value` here, and getrefcount's own argument
    return isinstance(value, CONTAINERS) and sys.getrefcount(value) > 3


def _targets(target: ast.expr, names: set[str]) -> bool:
    """Collect the names a store to `target` writes (an item store writes its container); False for an
    attribute store."""
    if isinstance(target, ast.Name):
        names.add(target.id)
        return True
    if isinstance(target, ast.Subscript):
        return _base_name(target.value, names)
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(_targets(element, names) for element in target.elts)
    if isinstance(target, ast.Starred):
        return _targets(target.value, names)
    return False


def _base_name(node: ast.expr, names: set[str]) -> bool:
    """`table[i][j] = v` writes `table`."""
    while isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Name):
        names.add(node.id)
        return True
    return False


def _pure_call(interp: Any, call: ast.Call, scope: Scope, names: set[str]) -> bool:
    function = call.func
    if isinstance(function, ast.Name):
        bound = scope.lookup(function.id)
        return function.id in PURE_BUILTINS and (bound is REQUIRED or bound is interp.builtins.get(function.id))
    if not isinstance(function, ast.Attribute) or not isinstance(function.value, ast.Name):
        return False
    owner_name, method = function.value.id, function.attr
    owner = scope.lookup(owner_name)
    if isinstance(owner, Namespace):
        return owner.name == "math" and owner_name not in names
    if method in READING_METHODS | WRITING_METHODS and (isinstance(owner, CONTAINERS) or owner_name in names):
        if owner_name not in scope.vars and owner_name not in names:
            return False  # a container of an enclosing scope or a global: not the loop's own
        if method in WRITING_METHODS:
            names.add(owner_name)
        return True
    return False
