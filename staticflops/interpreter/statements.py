"""Executing statements: assignment, control flow, imports, function and class definitions.

A mixin of `Interpreter` (evaluator.py), which dispatches `exec_<NodeType>` here by the node's
type name, as pyflakes and LibCST do.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

import libcst as cst

from staticflops.diagnostics import SF302, SF304, SF307
from staticflops.interpreter.budget import BudgetExhausted
from staticflops.interpreter.errors import AnalyzedException, Break, Continue, Return
from staticflops.interpreter.scope import Scope
from staticflops.interpreter.syntax import (
    AUGMENTED_OPERATORS,
    always_raises,
    class_closure,
    dotted_name,
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

    def exec_SimpleStatementLine(self, node: cst.SimpleStatementLine, scope: Scope) -> None:
        dispatch = self._exec_dispatch
        for small in node.body:
            handler = dispatch.get(type(small))
            if handler is None:
                handler = dispatch[type(small)] = self._handler("exec_", small)
            handler(small, scope)

    def exec_IndentedBlock(self, node: cst.IndentedBlock, scope: Scope) -> None:
        self.exec_block(node.body, scope)

    def exec_SimpleStatementSuite(self, node: cst.SimpleStatementSuite, scope: Scope) -> None:
        for small in node.body:
            self._handler("exec_", small)(small, scope)

    def exec_Expr(self, node: cst.Expr, scope: Scope) -> None:
        self.eval(node.value, scope)

    def exec_Pass(self, node: cst.Pass, scope: Scope) -> None:
        pass

    def exec_Break(self, node: cst.Break, scope: Scope) -> None:
        raise Break

    def exec_Continue(self, node: cst.Continue, scope: Scope) -> None:
        raise Continue

    def exec_Return(self, node: cst.Return, scope: Scope) -> None:
        value = None if node.value is None else self.eval(node.value, scope)
        self._reveal(node, None, value, scope)
        raise Return(value)

    def _reveal(self, statement: cst.CSTNode, target: cst.BaseExpression | None, value: Any, scope: Scope) -> None:
        """Tell an observer (`staticflops shapes`) what a statement produced; nothing when none listens."""
        observer = self.hooks.get("reveal")
        if observer is not None:
            observer(self, self.site(scope, statement), target, value)

    def exec_Global(self, node: cst.Global, scope: Scope) -> None:
        scope.global_names.update(item.name.value for item in node.names)

    def exec_Nonlocal(self, node: cst.Nonlocal, scope: Scope) -> None:
        scope.nonlocal_names.update(item.name.value for item in node.names)

    def exec_Assign(self, node: cst.Assign, scope: Scope) -> None:
        value = self.eval(node.value, scope)
        for target in node.targets:
            self.assign(target.target, value, scope)
            self._reveal(node, target.target, value, scope)

    def exec_AnnAssign(self, node: cst.AnnAssign, scope: Scope) -> None:
        if scope.is_class and isinstance(node.target, cst.Name):
            # annotations are not evaluated: dataclasses and NamedTuples need only the field order,
            # and which annotations are `ClassVar` (not fields)
            scope.vars.setdefault("__annotations__", {})[node.target.value] = _class_var_marker(node.annotation)
            # evaluated only when asked (`inspect.get_annotations`, `typing.get_type_hints`)
            scope.vars.setdefault(ANNOTATION_NODES, {})[node.target.value] = (node.annotation.annotation, scope)
        if node.value is not None:
            self.assign(node.target, self.eval(node.value, scope), scope)

    def exec_AugAssign(self, node: cst.AugAssign, scope: Scope) -> None:
        binary = AUGMENTED_OPERATORS[type(node.operator)]
        current = self.eval(node.target, scope)
        value = self.eval(node.value, scope)
        site = self.site(scope, node)
        if isinstance(current, list) and binary is cst.Add:
            items = list(self.iterate(value, site))
            self.budget.check_size(len(current) + len(items))
            current.extend(items)
            return
        result = self.binary(binary, current, value, site, inplace=True)
        self.assign(node.target, result, scope)
        self._reveal(node, node.target, result, scope)

    def exec_Del(self, node: cst.Del, scope: Scope) -> None:
        targets = node.target.elements if isinstance(node.target, cst.Tuple) else [node.target]
        for element in targets:
            target = element.value if isinstance(element, cst.Element) else element
            if isinstance(target, cst.Name):
                scope.delete(target.value)
            elif isinstance(target, cst.Subscript):
                container = self.eval(target.value, scope)
                index = self._slice(target, scope)
                if isinstance(container, (list, dict)):
                    try:
                        del container[index]
                    except (IndexError, KeyError, TypeError, ValueError) as exc:
                        self.raise_error(type(exc).__name__, str(exc), self.site(scope, target))
            elif isinstance(target, cst.Attribute):
                obj = self.eval(target.value, scope)
                if isinstance(obj, Instance):
                    obj.attrs.pop(target.attr.value, None)
                    for store in ("_modules", "_parameters", "_buffers"):
                        if isinstance(obj.attrs.get(store), dict):
                            obj.attrs[store].pop(target.attr.value, None)

    def exec_Assert(self, node: cst.Assert, scope: Scope) -> None:
        value = self.truth(self.eval(node.test, scope), self.site(scope, node))
        if value is False:
            message = "" if node.msg is None else str(self.eval(node.msg, scope))
            self.raise_error("AssertionError", message or "assertion failed", self.site(scope, node))

    def exec_Raise(self, node: cst.Raise, scope: Scope) -> None:
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
                cause = self.eval(node.cause.item, scope)
                if isinstance(cause, ClassObject) and cause.is_subclass(self.builtins["BaseException"]):
                    cause = self.instantiate(cause, [], {}, site)
                value.attrs["__cause__"] = cause
        elif isinstance(value, ClassObject):
            type_name = value.name
        raise AnalyzedException(type_name, message, site, value)

    def exec_If(self, node: cst.If, scope: Scope) -> None:
        site = self.site(scope, node.test)
        condition = self.truth(self.eval(node.test, scope), site)
        if condition is None:
            condition = self._assume_branch(node, site)
        if condition:
            self.exec_statement(node.body, scope)
        elif node.orelse is not None:
            if isinstance(node.orelse, cst.If):
                self.exec_If(node.orelse, scope)
            else:
                self.exec_statement(node.orelse.body, scope)

    def _assume_branch(self, node: cst.If, site: Location) -> bool:
        """Policy for an unknown condition: prefer the branch that does not raise."""
        if always_raises(node.body):
            self.report(SF304, "condition unknown; assumed false, since the true branch raises", site)
            return False
        if node.orelse is not None and not isinstance(node.orelse, cst.If) and always_raises(node.orelse.body):
            self.report(SF304, "condition unknown; assumed true, since the else branch raises", site)
            return True
        self.assume("condition unknown; assumed true", site)
        return True

    def exec_For(self, node: cst.For, scope: Scope) -> None:
        site = self.site(scope, node)
        iterable = self.eval(node.iter, scope)
        broke = False
        count = 0
        for item in self.iterate(iterable, site):
            count += 1
            if count > self.limits.loop_iterations:
                raise BudgetExhausted("loop iteration", self.limits.loop_iterations)
            self.assign(node.target, item, scope)
            try:
                self.exec_statement(node.body, scope)
            except Break:
                broke = True
                break
            except Continue:
                continue
        if not broke and node.orelse is not None:
            self.exec_statement(node.orelse.body, scope)

    def exec_While(self, node: cst.While, scope: Scope) -> None:
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
                self.exec_statement(node.body, scope)
            except Break:
                return
            except Continue:
                continue
        if node.orelse is not None:
            self.exec_statement(node.orelse.body, scope)

    def exec_Try(self, node: cst.Try, scope: Scope) -> None:
        try:
            self.exec_statement(node.body, scope)
        except AnalyzedException as exc:
            handler = self._matching_handler(node.handlers, exc, scope)
            if handler is None:
                raise
            if handler.name is not None:
                self.assign(handler.name.name, self.exception_value(exc), scope)
            self.handling.append(exc)
            try:
                self.exec_statement(handler.body, scope)
            finally:
                self.handling.pop()
        else:
            if node.orelse is not None:
                self.exec_statement(node.orelse.body, scope)
        finally:
            if node.finalbody is not None:
                self.exec_statement(node.finalbody.body, scope)

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
        self, handlers: Iterable[cst.ExceptHandler], exc: AnalyzedException, scope: Scope
    ) -> cst.ExceptHandler | None:
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

    def exec_With(self, node: cst.With, scope: Scope) -> None:
        self._with(list(node.items), node.body, scope)

    def _with(self, items: list[cst.WithItem], body: cst.BaseSuite, scope: Scope) -> None:
        """`with a, b:` is `with a: with b:`. A manager's exit runs however its block ends; when the
        block raised, an exit that returns true (`contextlib.suppress`) swallows the exception."""
        if not items:
            self.exec_statement(body, scope)
            return
        item = items[0]
        manager = self.eval(item.item, scope)
        site = self.site(scope, item)
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
        if item.asname is not None:
            self.assign(item.asname.name, value, scope)
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

    def exec_Import(self, node: cst.Import, scope: Scope) -> None:
        site = self.site(scope, node)
        for alias in node.names:
            dotted = dotted_name(alias.name)
            bound = dotted if alias.asname is not None else dotted.split(".")[0]
            if self._is_project_module(bound) and bound not in self.modules:
                value: Any = LazyImport(bound, "", site)
            else:
                value = self.import_module(bound, site)
                if alias.asname is None and "." in dotted:
                    self.import_module(dotted, site)
            if alias.asname is not None:
                self.assign(alias.asname.name, value, scope)
            else:
                scope.assign(bound, value)

    def exec_ImportFrom(self, node: cst.ImportFrom, scope: Scope) -> None:
        site = self.site(scope, node)
        base = self._resolve_relative(node, scope)
        star = isinstance(node.names, cst.ImportStar)
        if base not in self.modules and self._is_project_module(base):
            # the project's modules load when a name they define is first used, not before; a star
            # import's names are looked up in `base` when the importer misses one (`star_lookup`)
            if star:
                scope.vars.setdefault(STARS, []).append(LazyImport(base, "", site))
                self._stars_settled = -1  # a star import is pending again
                return
            for alias in node.names:  # type: ignore[union-attr]
                name = dotted_name(alias.name)
                bound = alias.asname.name.value if alias.asname is not None else name  # type: ignore[union-attr]
                scope.assign(bound, LazyImport(base, name, site))
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
        for alias in node.names:  # type: ignore[union-attr]
            name = dotted_name(alias.name)
            bound = alias.asname.name.value if alias.asname is not None else name  # type: ignore[union-attr]
            scope.assign(bound, self._import_name(module, base, name, site))

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
            if isinstance(statement, cst.If) and _is_type_checking(statement.test):
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

    def _resolve_relative(self, node: cst.ImportFrom, scope: Scope) -> str:
        module = dotted_name(node.module) if node.module is not None else ""
        dots = len(node.relative)
        if not dots:
            return module
        package = scope.source.module_name
        if not scope.source.path.endswith("__init__.py"):
            package = package.rpartition(".")[0]
        for _ in range(dots - 1):
            package = package.rpartition(".")[0]
        return f"{package}.{module}".strip(".") if module else package

    def exec_FunctionDef(self, node: cst.FunctionDef, scope: Scope) -> None:
        function = self.make_function(node, scope)
        value: Any = function
        for decorator in reversed(node.decorators):
            value = self.apply_decorator(decorator, value, scope)
        scope.assign(node.name.value, value)

    def apply_decorator(self, decorator: cst.Decorator, value: Any, scope: Scope) -> Any:
        site = self.site(scope, decorator)
        wrapper = self.eval(decorator.decorator, scope)
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

    def make_function(self, node: cst.FunctionDef | cst.Lambda, scope: Scope) -> Function:
        closure = scope
        while closure.is_class and closure.parent is not None:
            closure = closure.parent
        name = node.name.value if isinstance(node, cst.FunctionDef) else "<lambda>"
        qualname = f"{_qualname_prefix(scope)}{name}"
        return Function(
            name=name,
            qualname=qualname,
            params=self._parameters(node.params, scope),
            node=node,
            scope=closure if not scope.is_class else class_closure(scope),
            source=scope.source,
        )

    def _parameters(self, params: cst.Parameters, scope: Scope) -> tuple[Param, ...]:
        result: list[Param] = []

        def default(param: cst.Param) -> Any:
            if param.default is None:
                return REQUIRED
            if self._names_unloaded_module(param.default, scope):
                return DeferredDefault(param.default, scope)
            try:
                return self.eval(param.default, scope)
            except AnalyzedException as exc:  # the function is still defined; only this default is unknown
                message = f"default of '{param.name.value}' raised {exc.type_name}: {exc.message}"
                self.report(SF307, message, exc.location)
                return Unknown(f"the default of '{param.name.value}' could not be evaluated ({exc.message})")

        for param in params.posonly_params:
            result.append(Param(param.name.value, ParamKind.POSITIONAL_ONLY, default(param)))
        for param in params.params:
            result.append(Param(param.name.value, ParamKind.POSITIONAL_OR_KEYWORD, default(param)))
        if isinstance(params.star_arg, cst.Param):
            result.append(Param(params.star_arg.name.value, ParamKind.VAR_POSITIONAL))
        for param in params.kwonly_params:
            result.append(Param(param.name.value, ParamKind.KEYWORD_ONLY, default(param)))
        if params.star_kwarg is not None:
            result.append(Param(params.star_kwarg.name.value, ParamKind.VAR_KEYWORD))
        return tuple(result)

    def _names_unloaded_module(self, expression: cst.BaseExpression, scope: Scope) -> bool:
        """Whether `expression` (`Name` or `Name.attr...`) starts with an import whose module is not loaded."""
        while isinstance(expression, cst.Attribute):
            expression = expression.value
        if not isinstance(expression, cst.Name):
            return False
        value = scope.lookup(expression.value)
        return isinstance(value, LazyImport) and value.module not in self.modules

    def exec_ClassDef(self, node: cst.ClassDef, scope: Scope) -> None:
        site = self.site(scope, node)
        bases: list[ClassObject] = []
        metadata: dict[str, Any] = {}
        for arg in node.bases:
            base = self.eval(arg.value, scope)
            if isinstance(base, ClassObject):
                bases.append(base)
            elif isinstance(base, BuiltinType):  # `class Mode(str, Enum)`: isinstance(Mode.A, str) holds
                metadata["builtin_bases"] = (*metadata.get("builtin_bases", ()), base.pytype)
            elif isinstance(base, Unknown):
                metadata.setdefault("unknown_bases", []).append(base)
        for arg in node.keywords:
            if arg.keyword is not None:
                metadata.setdefault("class_keywords", {})[arg.keyword.value] = self.eval(arg.value, scope)
        if not bases:
            bases.append(self.builtins["object"])
        body_scope = scope.child(f"{_qualname_prefix(scope)}{node.name.value}", is_class=True)
        body_scope.parent = scope if not scope.is_class else class_closure(scope)
        body_scope.vars["__module__"] = scope.globals.get("__name__", "__main__")
        body_scope.vars["__qualname__"] = body_scope.qualname
        body_scope.vars["__doc__"] = node.get_docstring(clean=False)  # every class has one, None without a docstring
        self._exec_class_body(node, body_scope)
        if "unknown_bases" in metadata and "unknown_base" in self.hooks:
            # a library's base class the analysis cannot see: the framework decides what to assume it is
            assumed = self.hooks["unknown_base"](self, node, bases, body_scope.vars, site)
            if assumed is not None:
                bases = [*(b for b in bases if b is not self.builtins["object"]), assumed]
        cls = ClassObject(
            node.name.value,
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
        for decorator in reversed(node.decorators):
            value = self.apply_decorator(decorator, value, scope)
        scope.assign(node.name.value, value)

    def _exec_class_body(self, node: cst.ClassDef, scope: Scope) -> None:
        """A class body statement that raises makes only the names it binds unknown, as at module level:
        one class attribute the analyzer cannot evaluate must not lose the class."""
        statements = node.body.body if isinstance(node.body, cst.IndentedBlock) else [node.body]
        self.exec_each(statements, scope, "class body")  # type: ignore[attr-defined]

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

    def assign(self, target: cst.BaseExpression, value: Any, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.assign(target.value, value)
        elif isinstance(target, cst.Attribute):
            obj = self.eval(target.value, scope)
            self.set_attribute(obj, target.attr.value, value, self.site(scope, target))
        elif isinstance(target, cst.Subscript):
            container = self.eval(target.value, scope)
            index = self._slice(target, scope)
            self.set_item(container, index, value, self.site(scope, target))
        elif isinstance(target, (cst.Tuple, cst.List)):
            self._unpack(target, value, scope)
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, value, scope)
        else:
            self.report(
                SF302, f"assignment to '{type(target).__name__}' is not modelled", self.site(scope, target)
            )

    def _unpack(self, target: cst.Tuple | cst.List, value: Any, scope: Scope) -> None:
        site = self.site(scope, target)
        elements = list(target.elements)
        if isinstance(value, Unknown):
            for element in elements:
                self.assign(element.value, value, scope)
            return
        star = next((i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)), None)
        if type(value) is tuple or type(value) is list:
            items = list(value)  # what `iterate` would give, without its checks
        else:
            guessed = value.sf_unpack(len(elements)) if isinstance(value, NativeValue) and star is None else None
            items = guessed if guessed is not None else list(self.iterate(value, site))
        if star is None:
            if len(items) != len(elements):
                self.raise_error("ValueError", f"cannot unpack {len(items)} values into {len(elements)}", site)
            for element, item in zip(elements, items, strict=True):
                self.assign(element.value, item, scope)
            return
        after = len(elements) - star - 1
        if len(items) < star + after:
            self.raise_error("ValueError", f"not enough values to unpack ({len(items)})", site)
        for element, item in zip(elements[:star], items[:star], strict=True):
            self.assign(element.value, item, scope)
        self.assign(elements[star].value, items[star : len(items) - after], scope)
        for element, item in zip(elements[star + 1 :], items[len(items) - after :], strict=True):
            self.assign(element.value, item, scope)

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


def _is_type_checking(test: cst.BaseExpression) -> bool:
    """`TYPE_CHECKING` or `typing.TYPE_CHECKING`, alone or as one side of an `or`: a package that also
    imports eagerly on a flag of its own (`if TYPE_CHECKING or SLOW_IMPORT:`) states the same static
    imports there."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        return _is_type_checking(test.left) or _is_type_checking(test.right)
    name = test.attr if isinstance(test, cst.Attribute) else test
    return isinstance(name, cst.Name) and name.value == "TYPE_CHECKING"


def _import_binding(block: cst.BaseSuite, name: str) -> cst.SimpleStatementLine | None:
    """The `from x import name` statement in `block` (searching nested if/try/else blocks) that binds `name`."""
    statements = block.body if isinstance(block, cst.IndentedBlock) else [block]
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        bound = alias.asname.name if alias.asname is not None else alias.name
                        if isinstance(bound, cst.Name) and bound.value == name:
                            return statement
        nested = [getattr(statement, part, None) for part in ("body", "orelse", "finalbody")]
        nested += [handler.body for handler in getattr(statement, "handlers", ())]
        for inner in nested:
            if isinstance(inner, (cst.Else, cst.Finally, cst.If)):
                inner = inner.body
            if isinstance(inner, cst.BaseSuite):
                found = _import_binding(inner, name)
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


def _class_var_marker(annotation: cst.Annotation) -> str | None:
    """What a dataclass needs of an annotation: "ClassVar" (not a field), "KW_ONLY" (the fields after
    it are keyword-only), "InitVar" (an `__init__` parameter for `__post_init__`), else None."""
    node = annotation.annotation
    if isinstance(node, cst.Subscript):
        node = node.value
    if isinstance(node, cst.Attribute):
        node = node.attr
    if isinstance(node, cst.Name) and node.value in ("ClassVar", "KW_ONLY", "InitVar"):
        return node.value
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
