"""Executing statements: assignment, control flow, imports, function and class definitions.

A mixin of `Interpreter` (evaluator.py), which dispatches `exec_<NodeType>` here by the node's
type name, as pyflakes does.
"""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Iterable
from typing import Any

from staticflops.diagnostics import SF302, SF304, SF307
from staticflops.interpreter import loop_cut
from staticflops.interpreter.budget import BudgetExhausted
from staticflops.interpreter.errors import AnalyzedException, Break, Continue, Return
from staticflops.interpreter.scope import Scope
from staticflops.interpreter.syntax import (
    FUNCTION_DEFINITIONS,
    always_raises,
    class_closure,
    functions_of,
)
from staticflops.interpreter.values import (
    REQUIRED,
    BuiltinType,
    ClassMethod,
    ClassObject,
    DeferredDefault,
    Function,
    Instance,
    LazyImport,
    Namespace,
    NativeValue,
    Param,
    ParamKind,
    Unknown,
)
from staticflops.source import Location

STARS = "__sf_star_imports__"
TEXT = "__sf_text__"
"""On an exception the interpreter raised itself: its `str()`, as Python worded it."""
"""A module's star imports of the project's modules, looked into only for names it misses."""


class Statements:
    """`exec_*` handlers and the helpers only they use."""

    def exec_Expr(self, node: ast.Expr, scope: Scope) -> None:
        self.eval(node.value, scope)

    def exec_Pass(self, node: ast.Pass, scope: Scope) -> None:
        pass

    def exec_Break(self, node: ast.Break, scope: Scope) -> None:
        raise Break

    def exec_Continue(self, node: ast.Continue, scope: Scope) -> None:
        raise Continue

    def exec_Return(self, node: ast.Return, scope: Scope) -> None:
        value = None if node.value is None else self.eval(node.value, scope)
        self._reveal(node, None, value, scope)
        raise Return(value)

    def _reveal(self, statement: ast.stmt, target: ast.expr | None, value: Any, scope: Scope) -> None:
        """Tell an observer (`staticflops shapes`) what a statement produced; nothing when none listens."""
        observer = self.hooks.get("reveal")
        if observer is not None:
            observer(self, self.site(scope, statement), target, value)

    def exec_Global(self, node: ast.Global, scope: Scope) -> None:
        scope.global_names.update(node.names)

    def exec_Nonlocal(self, node: ast.Nonlocal, scope: Scope) -> None:
        scope.nonlocal_names.update(node.names)

    def exec_Assign(self, node: ast.Assign, scope: Scope) -> None:
        value = self.eval(node.value, scope)
        for target in node.targets:
            self.assign(target, value, scope)
            self._reveal(node, target, value, scope)

    def exec_AnnAssign(self, node: ast.AnnAssign, scope: Scope) -> None:
        if scope.is_class and isinstance(node.target, ast.Name):
            # annotations are not evaluated: dataclasses and NamedTuples need only the field order,
            # and which annotations are `ClassVar` (not fields)
            scope.vars.setdefault("__annotations__", {})[node.target.id] = _class_var_marker(node.annotation)
            # evaluated only when asked (`inspect.get_annotations`, `typing.get_type_hints`)
            scope.vars.setdefault(ANNOTATION_NODES, {})[node.target.id] = (node.annotation, scope)
        if node.value is not None:
            self.assign(node.target, self.eval(node.value, scope), scope)

    def exec_AugAssign(self, node: ast.AugAssign, scope: Scope) -> None:
        binary = type(node.op)
        current = self.eval(node.target, scope)
        value = self.eval(node.value, scope)
        site = self.site(scope, node)
        if isinstance(current, list) and binary is ast.Add:
            items = list(self.iterate(value, site))
            self.budget.check_size(len(current) + len(items))
            current.extend(items)
            return
        result = self.binary(binary, current, value, site, inplace=True)
        self.assign(node.target, result, scope)
        self._reveal(node, node.target, result, scope)

    def exec_Delete(self, node: ast.Delete, scope: Scope) -> None:
        for target in node.targets:
            self._delete(target, scope)

    def _delete(self, target: ast.expr, scope: Scope) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._delete(element, scope)
        elif isinstance(target, ast.Name):
            scope.delete(target.id)
        elif isinstance(target, ast.Subscript):
            container = self.eval(target.value, scope)
            index = self.eval(target.slice, scope)
            if isinstance(container, (list, dict)):
                try:
                    del container[index]
                except (IndexError, KeyError, TypeError, ValueError) as exc:
                    self.raise_error(type(exc).__name__, str(exc), self.site(scope, target))
        elif isinstance(target, ast.Attribute):
            obj = self.eval(target.value, scope)
            if isinstance(obj, Instance):
                obj.attrs.pop(target.attr, None)
                for store in ("_modules", "_parameters", "_buffers"):
                    if isinstance(obj.attrs.get(store), dict):
                        obj.attrs[store].pop(target.attr, None)

    def exec_Assert(self, node: ast.Assert, scope: Scope) -> None:
        value = self.truth(self.eval(node.test, scope), self.site(scope, node))
        if value is False:
            message = "" if node.msg is None else str(self.eval(node.msg, scope))
            self.raise_error("AssertionError", message or "assertion failed", self.site(scope, node))

    def exec_Raise(self, node: ast.Raise, scope: Scope) -> None:
        site = self.site(scope, node)
        if node.exc is None:
            if self.handling:  # a bare `raise` in a handler re-raises what it handles
                raise self.handling[-1]
            self.raise_error("RuntimeError", "No active exception to reraise", site)
        value = self.eval(node.exc, scope)
        if isinstance(value, ClassObject) and value.is_subclass(self.builtins["BaseException"]):
            value = self.instantiate(value, [], {}, site)  # `raise ValueError` raises an instance
        type_name, message = "Exception", ""
        if isinstance(value, Instance):
            type_name = value.cls.name
            args = value.attrs.get("args", ())
            message = str(args[0]) if isinstance(args, tuple) and args else ""
            if node.cause is not None:
                cause = self.eval(node.cause, scope)
                if isinstance(cause, ClassObject) and cause.is_subclass(self.builtins["BaseException"]):
                    cause = self.instantiate(cause, [], {}, site)
                value.attrs["__cause__"] = cause
        elif isinstance(value, ClassObject):
            type_name = value.name
        raise AnalyzedException(type_name, message, site, value)

    def exec_If(self, node: ast.If, scope: Scope) -> None:
        site = self.site(scope, node.test)
        condition = self.truth(self.eval(node.test, scope), site)
        if condition is None:
            condition = self._assume_branch(node, site)
        self.exec_block(node.body if condition else node.orelse, scope)

    def _assume_branch(self, node: ast.If, site: Location) -> bool:
        """Policy for an unknown condition: prefer the branch that does not raise."""
        if always_raises(node.body):
            self.report(SF304, "condition unknown; assumed false, since the true branch raises", site)
            return False
        if not _is_elif(node) and always_raises(node.orelse):
            self.report(SF304, "condition unknown; assumed true, since the else branch raises", site)
            return True
        self.assume("condition unknown; assumed true", site)
        return True

    def exec_For(self, node: ast.For, scope: Scope) -> None:
        site = self.site(scope, node)
        iterable = self.eval(node.iter, scope)
        broke = False
        count = 0
        cut_after = self.budget.steps + loop_cut.CUT_AFTER
        for item in self.iterate(iterable, site):
            count += 1
            if count > self.limits.loop_iterations:
                raise BudgetExhausted("loop iteration", self.limits.loop_iterations)
            if self.budget.steps > cut_after:  # a long loop: cut if it only computes local values
                cut_after = self.budget.limits.steps  # asked once
                may_cut = self.hooks.get("may_cut_loops")
                written = loop_cut.written_names(self, node, scope, iterable) if may_cut is None or may_cut() else None
                if written is not None:
                    loop_cut.cut(self, node, scope, written, count - 1, site)
                    return
            self.assign(node.target, item, scope)
            try:
                self.exec_block(node.body, scope)
            except Break:
                broke = True
                break
            except Continue:
                continue
        if not broke:
            self.exec_block(node.orelse, scope)

    def exec_While(self, node: ast.While, scope: Scope) -> None:
        site = self.site(scope, node.test)
        count = 0
        while True:
            condition = self.truth(self.eval(node.test, scope), site)
            if condition is None:
                self.assume("loop condition unknown; the loop body was not run", site)
                return
            if not condition:
                break
            count += 1
            if count > self.limits.loop_iterations:
                raise BudgetExhausted("loop iteration", self.limits.loop_iterations)
            try:
                self.exec_block(node.body, scope)
            except Break:
                return
            except Continue:
                continue
        self.exec_block(node.orelse, scope)

    def exec_Try(self, node: ast.Try, scope: Scope) -> None:
        try:
            self.exec_block(node.body, scope)
        except AnalyzedException as exc:
            handler = self._matching_handler(node.handlers, exc, scope)
            if handler is None:
                raise
            if handler.name is not None:
                scope.assign(handler.name, self.exception_value(exc))
            self.handling.append(exc)
            try:
                self.exec_block(handler.body, scope)
            finally:
                self.handling.pop()
        else:
            self.exec_block(node.orelse, scope)
        finally:
            self.exec_block(node.finalbody, scope)

    exec_TryStar = exec_Try

    def exception_class(self, exc: AnalyzedException) -> ClassObject | None:
        """The class of what was raised: the raised object's, or the builtin one Python's own
        semantics raise (`[][1]` raises IndexError); None for a name the builtins lack."""
        if isinstance(exc.value, Instance):
            return exc.value.cls
        if isinstance(exc.value, ClassObject):
            return exc.value
        found = self.builtins.get(exc.type_name)
        return found if isinstance(found, ClassObject) else None

    def exception_value(self, exc: AnalyzedException) -> Any:
        """What `except ... as e` binds: the raised instance, made now for an error the interpreter
        raised itself (so that `str(e)`, `e.args` and `type(e)` work)."""
        if not isinstance(exc.value, Instance):
            cls = self.exception_class(exc)
            if cls is None:
                return Unknown(exc.message)
            # the message is what str() of Python's own exception gave (KeyError's quotes included)
            exc.value = Instance(cls, {"args": (exc.message,) if exc.message else (), TEXT: exc.message})
        return exc.value

    def _matching_handler(
        self, handlers: Iterable[ast.ExceptHandler], exc: AnalyzedException, scope: Scope
    ) -> ast.ExceptHandler | None:
        raised = self.exception_class(exc)
        for handler in handlers:
            if handler.type is None:
                return handler
            caught = self.eval(handler.type, scope)
            names = caught if isinstance(caught, tuple) else (caught,)
            for name in names:
                if isinstance(name, Unknown):
                    return handler
                if isinstance(name, BuiltinType) and name.name in (exc.type_name, "Exception"):
                    return handler
                if not isinstance(name, ClassObject):
                    continue
                if name is self.builtins["Exception"] or name is self.builtins["BaseException"]:
                    return handler  # what is raised may derive from a class the analyzer does not know
                if raised is not None and raised.is_subclass(name):
                    return handler
                if raised is None and name.name == exc.type_name:
                    return handler
        return None

    def exec_With(self, node: ast.With, scope: Scope) -> None:
        self._with(list(node.items), node.body, scope)

    def _with(self, items: list[ast.withitem], body: list[ast.stmt], scope: Scope) -> None:
        """`with a, b:` is `with a: with b:`. A manager's exit runs however its block ends; when the
        block raised, an exit that returns true (`contextlib.suppress`) swallows the exception."""
        if not items:
            self.exec_block(body, scope)
            return
        item = items[0]
        manager = self.eval(item.context_expr, scope)
        site = self.site(scope, item.context_expr)
        value = manager
        exit_: Any = None
        if isinstance(manager, NativeValue):
            value = manager.sf_enter(self, site)
            exit_ = manager
        elif isinstance(manager, Instance):
            enter = self.get_attribute(manager, "__enter__", site, missing_ok=True)
            if enter is not REQUIRED:
                value = self.call(enter, [], {}, site)
            found = self.get_attribute(manager, "__exit__", site, missing_ok=True)
            exit_ = None if found is REQUIRED else found
        if item.optional_vars is not None:
            self.assign(item.optional_vars, value, scope)
        try:
            self._with(items[1:], body, scope)
        except AnalyzedException as exc:
            if exit_ is not None and self._exit(exit_, exc, site):
                return
            raise
        except (Return, Break, Continue):
            if exit_ is not None:
                self._exit(exit_, None, site)
            raise
        if exit_ is not None:
            self._exit(exit_, None, site)

    def _exit(self, exit_: Any, exc: AnalyzedException | None, site: Location) -> bool:
        """Run a manager's exit; whether it suppresses `exc`."""
        if isinstance(exit_, NativeValue):
            return exit_.sf_exit(self, exc, site)
        if exc is None:
            self.call(exit_, [None, None, None], {}, site)
            return False
        value = self.exception_value(exc)
        result = self.call(exit_, [self.exception_class(exc), value, None], {}, site)
        return bool(self.truth(result, site))

    def exec_Import(self, node: ast.Import, scope: Scope) -> None:
        site = self.site(scope, node)
        for alias in node.names:
            dotted = alias.name
            bound = dotted if alias.asname is not None else dotted.split(".")[0]
            if self._is_project_module(bound) and bound not in self.modules:
                value: Any = LazyImport(bound, "", site)
            else:
                value = self.import_module(bound, site)
                if alias.asname is None and "." in dotted:
                    self.import_module(dotted, site)
            scope.assign(alias.asname or bound, value)

    def exec_ImportFrom(self, node: ast.ImportFrom, scope: Scope) -> None:
        site = self.site(scope, node)
        base = self._resolve_relative(node, scope)
        star = node.names[0].name == "*"
        if base not in self.modules and self._is_project_module(base):
            # the project's modules load when a name they define is first used, not before; a star
            # import's names are looked up in `base` when the importer misses one (`star_lookup`)
            if star:
                scope.vars.setdefault(STARS, []).append(LazyImport(base, "", site))
                self._stars_settled = -1  # a star import is pending again
                return
            for alias in node.names:
                scope.assign(alias.asname or alias.name, LazyImport(base, alias.name, site))
            return
        module = self.import_module(base, site)
        if star:
            if isinstance(module, Namespace):
                for name, value in module.attrs.items():
                    if not name.startswith("_"):
                        scope.assign(name, value)
                if STARS in module.attrs:  # its own star imports not yet looked into
                    scope.vars.setdefault(STARS, []).extend(module.attrs[STARS])
                    self._stars_settled = -1
            return
        for alias in node.names:
            scope.assign(alias.asname or alias.name, self._import_name(module, base, alias.name, site))

    def star_lookup(self, names: dict[str, Any], name: str) -> Any:
        """`name` from the modules a namespace star-imported without loading them (`from .x import *`),
        loading them in order until one has it; `REQUIRED` when none does."""
        if name.startswith("_"):
            return REQUIRED
        for star in names.get(STARS, ()):
            module = self.import_module(star.module, star.site)
            value = (
                self.get_attribute(module, name, star.site, missing_ok=True)
                if isinstance(module, Namespace)
                else REQUIRED
            )
            if value is not REQUIRED:
                names[name] = value
                return value
        return REQUIRED

    def _is_project_module(self, dotted: str) -> bool:
        """A module read from a file (the project's or an installed library's), whose import can wait."""
        return not self.is_native(dotted) and self.project.find_module(dotted) is not None

    def _import_name(self, module: Any, base: str, name: str, site: Location) -> Any:
        value = self.get_attribute(module, name, site, missing_ok=True)
        if value is REQUIRED and isinstance(module, Namespace):
            value = self.submodule(module, name, site)
        if value is REQUIRED and isinstance(module, Namespace):
            value = self._type_checking_import(module, name, site)
        if value is REQUIRED:
            value = Unknown(f"'{base}' has no name '{name}'", site)
        return value

    def _type_checking_import(self, module: Namespace, name: str, site: Location) -> Any:
        """A name a lazy package exports: transformers' `integrations/__init__.py` replaces itself by a
        `_LazyModule` built from a table of names, and states the same imports statically under
        `if TYPE_CHECKING:`. The one import there that binds `name` is run in the package's scope."""
        source = self.project.load_module(module.name) if "__file__" in module.attrs else None
        if source is None:
            return REQUIRED
        for statement in source.module.body:
            if isinstance(statement, ast.If) and _is_type_checking(statement.test):
                found = _import_binding(statement.body, name)
                if found is not None:
                    scope = Scope(source, module.attrs, vars=module.attrs, qualname="")
                    self.exec_each([found], scope, "module-level")  # type: ignore[attr-defined]
                    value = module.attrs.get(name, REQUIRED)
                    return self.resolve_lazy(value) if isinstance(value, LazyImport) else value
        return REQUIRED

    def resolve_lazy(self, value: Any) -> Any:
        """The value a `LazyImport` stands for (following re-exports); anything else as is."""
        hops = 0
        while isinstance(value, LazyImport):
            hops += 1
            key = (value.module, value.name)
            if key in self._resolving or hops > 50:
                return Unknown(f"import cycle through '{value.module}.{value.name}'", value.site)
            self._resolving.add(key)
            try:
                module = self.import_module(value.module, value.site)
                if not value.name:
                    value = module
                    continue
                if isinstance(module, Namespace) and isinstance(module.attrs.get(value.name), LazyImport):
                    value = module.attrs[value.name]
                    continue
                value = self._import_name(module, value.module, value.name, value.site)
            finally:
                self._resolving.discard(key)
        return value

    def _resolve_relative(self, node: ast.ImportFrom, scope: Scope) -> str:
        module = node.module or ""
        dots = node.level
        if not dots:
            return module
        package = scope.source.module_name
        if not scope.source.path.endswith("__init__.py"):
            package = package.rpartition(".")[0]
        for _ in range(dots - 1):
            package = package.rpartition(".")[0]
        return f"{package}.{module}".strip(".") if module else package

    def exec_FunctionDef(self, node: ast.FunctionDef, scope: Scope) -> None:
        function = self.make_function(node, scope)
        value: Any = function
        for decorator in reversed(node.decorator_list):
            value = self.apply_decorator(decorator, value, scope)
        scope.assign(node.name, value)

    exec_AsyncFunctionDef = exec_FunctionDef

    def apply_decorator(self, decorator: ast.expr, value: Any, scope: Scope) -> Any:
        site = self.site(scope, decorator)
        wrapper = self.eval(decorator, scope)
        if isinstance(wrapper, Unknown):
            self.report(
                SF304,
                f"decorator has unknown meaning ({wrapper.reason}); the function is kept as written",
                site,
            )
            return value
        try:
            result = self.call(wrapper, [value], {}, site)
        except AnalyzedException as exc:
            self.report(
                SF304,
                f"decorator raised {exc.type_name} ({exc.message}); the function is kept as written",
                site,
            )
            return value
        if isinstance(result, Unknown):
            self.report(SF304, f"decorator result is unknown ({result.reason}); the function is kept as written", site)
            return value
        return result

    def make_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, scope: Scope) -> Function:
        closure = scope
        while closure.is_class and closure.parent is not None:
            closure = closure.parent
        name = node.name if isinstance(node, FUNCTION_DEFINITIONS) else "<lambda>"
        qualname = f"{_qualname_prefix(scope)}{name}"
        return Function(
            name=name,
            qualname=qualname,
            params=self._parameters(node.args, scope),
            node=node,
            scope=closure if not scope.is_class else class_closure(scope),
            source=scope.source,
        )

    def _parameters(self, params: ast.arguments, scope: Scope) -> tuple[Param, ...]:
        def default(param: ast.arg, expression: ast.expr | None) -> Any:
            if expression is None:
                return REQUIRED
            if self._names_unloaded_module(expression, scope):
                return DeferredDefault(expression, scope)
            try:
                return self.eval(expression, scope)
            except AnalyzedException as exc:  # the function is still defined; only this default is unknown
                message = f"default of '{param.arg}' raised {exc.type_name}: {exc.message}"
                self.report(SF307, message, exc.location)
                return Unknown(f"the default of '{param.arg}' could not be evaluated ({exc.message})")

        positional = [*params.posonlyargs, *params.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(params.defaults)) + list(params.defaults)
        result: list[Param] = []
        for number, param in enumerate(positional):
            kind = ParamKind.POSITIONAL_ONLY if number < len(params.posonlyargs) else ParamKind.POSITIONAL_OR_KEYWORD
            result.append(Param(param.arg, kind, default(param, defaults[number])))
        if params.vararg is not None:
            result.append(Param(params.vararg.arg, ParamKind.VAR_POSITIONAL))
        for param, expression in zip(params.kwonlyargs, params.kw_defaults, strict=True):
            result.append(Param(param.arg, ParamKind.KEYWORD_ONLY, default(param, expression)))
        if params.kwarg is not None:
            result.append(Param(params.kwarg.arg, ParamKind.VAR_KEYWORD))
        return tuple(result)

    def _names_unloaded_module(self, expression: ast.expr, scope: Scope) -> bool:
        """Whether `expression` (`Name` or `Name.attr...`) starts with an import whose module is not loaded."""
        while isinstance(expression, ast.Attribute):
            expression = expression.value
        if not isinstance(expression, ast.Name):
            return False
        value = scope.lookup(expression.id)
        return isinstance(value, LazyImport) and value.module not in self.modules

    def exec_ClassDef(self, node: ast.ClassDef, scope: Scope) -> None:
        site = self.site(scope, node)
        bases: list[ClassObject] = []
        metadata: dict[str, Any] = {}
        for base_node in node.bases:
            base = self.eval(base_node, scope)
            if isinstance(base, ClassObject):
                bases.append(base)
            elif isinstance(base, BuiltinType):  # `class Mode(str, Enum)`: isinstance(Mode.A, str) holds
                metadata["builtin_bases"] = (*metadata.get("builtin_bases", ()), base.pytype)
            elif isinstance(base, Unknown):
                metadata.setdefault("unknown_bases", []).append(base)
        for keyword in node.keywords:
            if keyword.arg is not None:
                metadata.setdefault("class_keywords", {})[keyword.arg] = self.eval(keyword.value, scope)
        if not bases:
            bases.append(self.builtins["object"])
        body_scope = scope.child(f"{_qualname_prefix(scope)}{node.name}", is_class=True)
        body_scope.parent = scope if not scope.is_class else class_closure(scope)
        body_scope.vars["__module__"] = scope.globals.get("__name__", "__main__")
        body_scope.vars["__qualname__"] = body_scope.qualname
        body_scope.vars["__doc__"] = ast.get_docstring(node, clean=False)  # None without a docstring
        self._exec_class_body(node, body_scope)
        if "unknown_bases" in metadata and "unknown_base" in self.hooks:
            # a library's base class the analysis cannot see: the framework decides what to assume it is
            assumed = self.hooks["unknown_base"](self, node, bases, body_scope.vars, site)
            if assumed is not None:
                bases = [*(b for b in bases if b is not self.builtins["object"]), assumed]
        cls = ClassObject(
            node.name,
            tuple(bases),
            body_scope.vars,
            qualname=body_scope.qualname,
            location=site,
            metadata=metadata,
        )
        for member in cls.namespace.values():
            for function in functions_of(member):
                function.attrs.setdefault("__sf_owner__", cls)
        init_subclass = self._class_hook(cls, "__sf_class_created__")
        if init_subclass is not None:
            init_subclass(self, cls, site)
        self._init_subclass(cls, site)
        _find_abstract_methods(cls)
        value: Any = cls
        for decorator in reversed(node.decorator_list):
            value = self.apply_decorator(decorator, value, scope)
        scope.assign(node.name, value)

    def _exec_class_body(self, node: ast.ClassDef, scope: Scope) -> None:
        """A class body statement that raises makes only the names it binds unknown, as at module level:
        one class attribute the analyzer cannot evaluate must not lose the class."""
        self.exec_each(node.body, scope, "class body")  # type: ignore[attr-defined]

    def _init_subclass(self, cls: ClassObject, site: Location) -> None:
        """`__init_subclass__` of the bases, with the class statement's keywords (registries keyed by
        `class Small(Base, key="s")`), as `type.__new__` calls it, before any class decorator."""
        for klass in cls.mro[1:]:
            hook = klass.namespace.get("__init_subclass__")
            if hook is None:
                continue
            if hook is self.builtins["object"].namespace.get("__init_subclass__"):
                return
            function = hook.function if isinstance(hook, ClassMethod) else hook  # implicitly a classmethod
            keywords = {k: v for k, v in cls.metadata.get("class_keywords", {}).items() if k != "metaclass"}
            self.call(function, [cls], keywords, site)
            return

    @staticmethod
    def _class_hook(cls: ClassObject, name: str) -> Any:
        for klass in cls.mro[1:]:
            hook = klass.metadata.get(name)
            if hook is not None:
                return hook
        return None

    def assign(self, target: ast.expr, value: Any, scope: Scope) -> None:
        kind = type(target)
        if kind is ast.Name:
            scope.assign(target.id, value)  # type: ignore[attr-defined]
        elif kind is ast.Attribute:
            obj = self.eval(target.value, scope)  # type: ignore[attr-defined]
            self.set_attribute(obj, target.attr, value, self.site(scope, target))  # type: ignore[attr-defined]
        elif kind is ast.Subscript:
            container = self.eval(target.value, scope)  # type: ignore[attr-defined]
            index = self.eval(target.slice, scope)  # type: ignore[attr-defined]
            self.set_item(container, index, value, self.site(scope, target))
        elif kind is ast.Tuple or kind is ast.List:
            self._unpack(target, value, scope)  # type: ignore[arg-type]
        elif kind is ast.Starred:
            self.assign(target.value, value, scope)  # type: ignore[attr-defined]
        else:
            self.report(
                SF302, f"assignment to '{type(target).__name__}' is not modelled", self.site(scope, target)
            )

    def _unpack(self, target: ast.Tuple | ast.List, value: Any, scope: Scope) -> None:
        site = self.site(scope, target)
        elements = target.elts
        if isinstance(value, Unknown):
            for element in elements:
                self.assign(element, value, scope)
            return
        star = next((i for i, e in enumerate(elements) if isinstance(e, ast.Starred)), None)
        if type(value) is tuple or type(value) is list:
            items = list(value)  # what `iterate` would give, without its checks
        else:
            guessed = value.sf_unpack(len(elements)) if isinstance(value, NativeValue) and star is None else None
            items = guessed if guessed is not None else list(self.iterate(value, site))
        if star is None:
            if len(items) != len(elements):
                self.raise_error("ValueError", f"cannot unpack {len(items)} values into {len(elements)}", site)
            for element, item in zip(elements, items, strict=True):
                self.assign(element, item, scope)
            return
        after = len(elements) - star - 1
        if len(items) < star + after:
            self.raise_error("ValueError", f"not enough values to unpack ({len(items)})", site)
        for element, item in zip(elements[:star], items[:star], strict=True):
            self.assign(element, item, scope)
        self.assign(elements[star], items[star : len(items) - after], scope)
        for element, item in zip(elements[star + 1 :], items[len(items) - after :], strict=True):
            self.assign(element, item, scope)

    def set_item(self, container: Any, index: Any, value: Any, site: Location) -> None:
        if isinstance(container, (list, dict)):
            try:
                container[index] = value  # ValueError: an extended slice given the wrong number of items
            except (IndexError, KeyError, TypeError, ValueError) as exc:
                self.raise_error(type(exc).__name__, str(exc), site)
        elif isinstance(container, Instance):
            method = self.get_attribute(container, "__setitem__", site, missing_ok=True)
            if method is not REQUIRED:
                self.call(method, [index, value], {}, site)
        elif isinstance(container, NativeValue):
            with contextlib.suppress(NotImplementedError):  # a value that ignores item writes
                container.sf_setitem(self, index, value, site)


def _is_type_checking(test: ast.expr) -> bool:
    """`TYPE_CHECKING` or `typing.TYPE_CHECKING`, alone or as one side of an `or`: a package that also
    imports eagerly on a flag of its own (`if TYPE_CHECKING or SLOW_IMPORT:`) states the same static
    imports there."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return any(_is_type_checking(value) for value in test.values)
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def _is_elif(node: ast.If) -> bool:
    """`elif` (or an `else:` holding only an `if`, which Python's tree does not tell apart)."""
    return len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If)


_IMPORT_BLOCKS = (ast.If, ast.Try, ast.TryStar, ast.With)


def _import_binding(block: list[ast.stmt], name: str) -> ast.ImportFrom | None:
    """The `from x import name` statement in `block` (searching nested if/try/else blocks) that binds `name`."""
    for statement in block:
        if isinstance(statement, ast.ImportFrom) and name in (alias.asname or alias.name for alias in statement.names):
            return statement
        nested: list[list[ast.stmt]] = [getattr(statement, part, []) for part in ("body", "orelse", "finalbody")]
        nested += [handler.body for handler in getattr(statement, "handlers", ())]
        for inner in nested:
            found = _import_binding(inner, name) if isinstance(statement, _IMPORT_BLOCKS) else None
            if found is not None:
                return found
    return None


ANNOTATION_NODES = "__sf_annotation_nodes__"
"""A class body's annotations, as (expression, scope), for whoever evaluates them."""


def class_annotations(interp: Any, cls: Any, site: Any) -> dict[str, Any]:
    """`inspect.get_annotations(cls)`: the class's own annotations, evaluated now. NB: evaluated even
    under `from __future__ import annotations` (where Python would give the strings), as
    `typing.get_type_hints` would; one that raises is `Unknown`."""
    result: dict[str, Any] = {}
    for name, (expression, scope) in cls.namespace.get(ANNOTATION_NODES, {}).items():
        try:
            result[name] = interp.eval(expression, scope)
        except AnalyzedException as exc:
            result[name] = Unknown(f"the annotation of '{name}' raised {exc.type_name}", site)
    return result


def _class_var_marker(annotation: ast.expr) -> str | None:
    """What a dataclass needs of an annotation: "ClassVar" (not a field), "KW_ONLY" (the fields after
    it are keyword-only), "InitVar" (an `__init__` parameter for `__post_init__`), else None."""
    node = annotation
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr if node.attr in ("ClassVar", "KW_ONLY", "InitVar") else None
    if isinstance(node, ast.Name) and node.id in ("ClassVar", "KW_ONLY", "InitVar"):
        return node.id
    return None


def _qualname_prefix(scope: Scope) -> str:
    """What a `__qualname__` defined in `scope` starts with: `Outer.` in a class body, `f.<locals>.`
    in a function's, nothing at module level."""
    if not scope.qualname:
        return ""
    return f"{scope.qualname}." if scope.is_class else f"{scope.qualname}.<locals>."


def _find_abstract_methods(cls: ClassObject) -> None:
    """Record which abstract methods a class of `abc.ABC` (or `metaclass=ABCMeta`) leaves unimplemented:
    instantiating it then raises TypeError, as in Python. A class with a base the analyzer does not
    know is never called abstract: the base may implement them."""
    metaclass = cls.metadata.get("class_keywords", {}).get("metaclass")
    if isinstance(metaclass, ClassObject) and metaclass.metadata.get("abc"):
        cls.metadata["abc"] = True
    if not any(klass.metadata.get("abc") for klass in cls.mro) or any(
        "unknown_bases" in klass.metadata for klass in cls.mro
    ):
        return
    names = {name for klass in cls.mro for name in klass.namespace}
    abstract = sorted(name for name in names if _is_abstract(cls.lookup(name)))
    if abstract:
        cls.metadata["abstract_methods"] = tuple(abstract)


def _is_abstract(member: Any) -> bool:
    return any(function.attrs.get("__isabstractmethod__") is True for function in functions_of(member))
