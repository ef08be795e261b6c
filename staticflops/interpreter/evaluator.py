"""The abstract interpreter: evaluates a faithful subset of Python over libcst nodes.

Dispatch is by node-type name (`eval_Call`, `exec_For`), as pyflakes and LibCST do.
Nothing here is torch-specific: torch's namespaces arrive as native modules, and
tensors are `NativeValue`s that implement their own operators.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from staticflops.diagnostics import SF301, SF302, SF304, SF307, Code, Diagnostic
from staticflops.interpreter.budget import Budget, BudgetExhausted, Limits
from staticflops.interpreter.calls import BindError, bind_arguments
from staticflops.interpreter.errors import AnalyzedException, Break, Continue, Return
from staticflops.interpreter.scope import Scope
from staticflops.interpreter.values import (
    REQUIRED,
    BoundMethod,
    BuiltinType,
    ClassMethod,
    ClassObject,
    Function,
    Instance,
    LazyImport,
    Namespace,
    NativeFunction,
    NativeValue,
    Param,
    ParamKind,
    Property,
    StaticMethod,
    SuperProxy,
    Unknown,
)
from staticflops.source import Location, Project, SourceFile

BINARY_OPERATORS: dict[type[cst.CSTNode], tuple[str, Callable[[Any, Any], Any]]] = {
    cst.Add: ("add", operator.add),
    cst.Subtract: ("sub", operator.sub),
    cst.Multiply: ("mul", operator.mul),
    cst.Divide: ("truediv", operator.truediv),
    cst.FloorDivide: ("floordiv", operator.floordiv),
    cst.Modulo: ("mod", operator.mod),
    cst.Power: ("pow", operator.pow),
    cst.LeftShift: ("lshift", operator.lshift),
    cst.RightShift: ("rshift", operator.rshift),
    cst.BitOr: ("or", operator.or_),
    cst.BitAnd: ("and", operator.and_),
    cst.BitXor: ("xor", operator.xor),
    cst.MatrixMultiply: ("matmul", operator.matmul),
}
AUGMENTED_OPERATORS: dict[type[cst.CSTNode], type[cst.CSTNode]] = {
    cst.AddAssign: cst.Add,
    cst.SubtractAssign: cst.Subtract,
    cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide,
    cst.FloorDivideAssign: cst.FloorDivide,
    cst.ModuloAssign: cst.Modulo,
    cst.PowerAssign: cst.Power,
    cst.LeftShiftAssign: cst.LeftShift,
    cst.RightShiftAssign: cst.RightShift,
    cst.BitOrAssign: cst.BitOr,
    cst.BitAndAssign: cst.BitAnd,
    cst.BitXorAssign: cst.BitXor,
    cst.MatrixMultiplyAssign: cst.MatrixMultiply,
}
COMPARISONS: dict[type[cst.CSTNode], Callable[[Any, Any], Any]] = {
    cst.Equal: operator.eq,
    cst.NotEqual: operator.ne,
    cst.LessThan: operator.lt,
    cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge,
    cst.Is: operator.is_,
    cst.IsNot: operator.is_not,
    cst.In: lambda a, b: a in b,
    cst.NotIn: lambda a, b: a not in b,
}
COMPARISON_NAMES: dict[type[cst.CSTNode], str] = {
    cst.Equal: "eq",
    cst.NotEqual: "ne",
    cst.LessThan: "lt",
    cst.LessThanEqual: "le",
    cst.GreaterThan: "gt",
    cst.GreaterThanEqual: "ge",
}
REFLECTED_COMPARISONS = {"lt": "gt", "gt": "lt", "le": "ge", "ge": "le"}
PLAIN_DATA = (int, float, complex, str, bytes, bool, type(None), tuple, list, dict, set, frozenset, range, slice)


@dataclass
class NativeModules:
    """Modules the interpreter provides itself (`torch`, `math`, ...), built on first import."""

    factories: dict[str, Callable[[Interpreter], Namespace]] = field(default_factory=dict)


class Interpreter:
    """Runs analyzed code abstractly. One instance per analysis run; budgets are per model."""

    def __init__(
        self,
        project: Project,
        natives: NativeModules,
        builtins: dict[str, Any],
        limits: Limits | None = None,
    ) -> None:
        self.project = project
        self.natives = natives
        self.builtins = builtins
        self.limits = limits or Limits()
        self.budget = Budget(self.limits)
        self.diagnostics: list[Diagnostic] = []
        self._reported: set[tuple[str, int]] = set()
        self.modules: dict[str, Namespace] = {}
        self.current: Location | None = None
        """The statement being executed, for diagnostics raised deep inside natives."""
        self.hooks: dict[str, Any] = {}
        """Per-run state of native libraries (the torch tracer lives here)."""
        self._resolving: set[tuple[str, str]] = set()
        self.frames: list[Scope] = []
        """Scopes of the user functions being called, innermost last."""
        self._dispatch: dict[type, Callable[[Any, Scope], Any]] = {}
        self._eval_dispatch: dict[type, Callable[[Any, Scope], Any]] = {}

    # ----------------------------------------------------------------- diagnostics
    def report(self, code: Code, message: str, location: Location | None) -> None:
        """Emit a diagnostic once per code and node."""
        location = location or self.current
        key = (code.code, id(location.node) if location else 0)
        if key in self._reported:
            return
        self._reported.add(key)
        if location is None:
            self.diagnostics.append(Diagnostic(code, message))
        else:
            self.diagnostics.append(Diagnostic(code, message, location.file, location.line, location.column))

    def report_unknown(self, value: Unknown, use: str, site: Location | None) -> None:
        """Surface an `Unknown` where it matters: once, at its origin if known."""
        self.report(SF301, f"{use}: {value.reason}", value.location or site)

    def raise_error(self, type_name: str, message: str, site: Location | None) -> None:
        raise AnalyzedException(type_name, message, site or self.current)

    def unknown(self, reason: str, node: cst.CSTNode, scope: Scope) -> Unknown:
        return Unknown(reason, Location(scope.source, node))

    # ----------------------------------------------------------------- modules
    def run_module(self, source: SourceFile) -> Namespace:
        """Execute a file's top level. Statements that fail bind nothing; analysis goes on."""
        if source.module_name in self.modules:
            return self.modules[source.module_name]
        namespace = Namespace(source.module_name, {"__name__": source.module_name, "__file__": source.path})
        namespace.is_package = source.path.endswith("__init__.py")
        self.modules[source.module_name] = namespace
        scope = Scope(source, namespace.attrs, vars=namespace.attrs, qualname="")
        for statement in source.module.body:
            try:
                self.exec_statement(statement, scope)
            except AnalyzedException as exc:
                self.report(SF307, f"module-level code raised {exc.type_name}: {exc.message}", exc.location)
                for name in _defined_names(statement):
                    namespace.attrs.setdefault(name, Unknown(f"'{name}' could not be evaluated ({exc.message})"))
            except (Return, Break, Continue):
                continue
        return namespace

    def import_module(self, dotted: str, site: Location) -> Any:
        """The namespace for `dotted`: native, the project's own, or `Unknown`."""
        if dotted in self.modules:
            return self.modules[dotted]
        top = dotted.split(".")[0]
        if top in self.natives.factories or dotted in self.natives.factories:
            factory = self.natives.factories.get(dotted)
            if factory is None:
                parent = self.import_module(dotted.rsplit(".", 1)[0], site)
                child = self.get_attribute(parent, dotted.rsplit(".", 1)[1], site)
                return child
            namespace = factory(self)
            self.modules[dotted] = namespace
            return namespace
        source = self.project.load_module(dotted)
        if source is None:
            return Unknown(f"module '{dotted}' is neither part of the analyzed project nor modelled", site)
        return self.run_module(source)

    def submodule(self, package: Namespace, name: str, site: Location) -> Any:
        dotted = f"{package.name}.{name}"
        if self.project.find_module(dotted) is None and dotted not in self.natives.factories:
            return REQUIRED
        module = self.import_module(dotted, site)
        package.attrs.setdefault(name, module)
        return module

    # ----------------------------------------------------------------- statements
    def exec_block(self, statements: Iterable[cst.CSTNode], scope: Scope) -> None:
        for statement in statements:
            self.exec_statement(statement, scope)

    def exec_statement(self, node: cst.CSTNode, scope: Scope) -> None:
        self.budget.tick()
        self.current = Location(scope.source, node)
        handler = self._handler("exec_", node)
        try:
            handler(node, scope)
        except BudgetExhausted as exhausted:
            if exhausted.location is None:
                exhausted.location = self.current
            raise

    def _handler(self, prefix: str, node: cst.CSTNode) -> Callable[[Any, Scope], Any]:
        key = (prefix, type(node))
        handler = self._dispatch.get(key)  # type: ignore[call-overload]
        if handler is None:
            handler = getattr(self, prefix + type(node).__name__, None) or self._unsupported(prefix)
            self._dispatch[key] = handler  # type: ignore[index]
        return handler

    def _unsupported(self, prefix: str) -> Callable[[Any, Scope], Any]:
        def handle(node: cst.CSTNode, scope: Scope) -> Any:
            what = type(node).__name__
            self.report(SF302, f"'{what}' is not modelled; its value is unknown", Location(scope.source, node))
            return Unknown(f"unsupported construct '{what}'", Location(scope.source, node))

        return handle

    def exec_SimpleStatementLine(self, node: cst.SimpleStatementLine, scope: Scope) -> None:
        for small in node.body:
            handler = self._handler("exec_", small)
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
            observer(self, Location(scope.source, statement), target, value)

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
            # annotations are not evaluated; dataclasses and NamedTuples only need the field order
            scope.vars.setdefault("__annotations__", {})[node.target.value] = None
        if node.value is not None:
            self.assign(node.target, self.eval(node.value, scope), scope)

    def exec_AugAssign(self, node: cst.AugAssign, scope: Scope) -> None:
        binary = AUGMENTED_OPERATORS[type(node.operator)]
        current = self.eval(node.target, scope)
        value = self.eval(node.value, scope)
        site = Location(scope.source, node)
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
                    except (IndexError, KeyError, TypeError) as exc:
                        self.raise_error(type(exc).__name__, str(exc), Location(scope.source, target))
            elif isinstance(target, cst.Attribute):
                obj = self.eval(target.value, scope)
                if isinstance(obj, Instance):
                    obj.attrs.pop(target.attr.value, None)
                    for store in ("_modules", "_parameters", "_buffers"):
                        if isinstance(obj.attrs.get(store), dict):
                            obj.attrs[store].pop(target.attr.value, None)

    def exec_Assert(self, node: cst.Assert, scope: Scope) -> None:
        value = self.truth(self.eval(node.test, scope), Location(scope.source, node))
        if value is False:
            message = "" if node.msg is None else str(self.eval(node.msg, scope))
            self.raise_error("AssertionError", message or "assertion failed", Location(scope.source, node))

    def exec_Raise(self, node: cst.Raise, scope: Scope) -> None:
        site = Location(scope.source, node)
        if node.exc is None:
            self.raise_error("RuntimeError", "re-raised", site)
        value = self.eval(node.exc, scope)
        type_name, message = "Exception", ""
        if isinstance(value, Instance):
            type_name = value.cls.name
            args = value.attrs.get("args", ())
            message = str(args[0]) if args else ""
        elif isinstance(value, ClassObject):
            type_name = value.name
        raise AnalyzedException(type_name, message, site, value)

    def exec_If(self, node: cst.If, scope: Scope) -> None:
        site = Location(scope.source, node.test)
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
        if _starts_with_raise(node.body):
            self.report(SF304, "condition unknown; assumed false, since the true branch raises", site)
            return False
        if node.orelse is not None and not isinstance(node.orelse, cst.If) and _starts_with_raise(node.orelse.body):
            self.report(SF304, "condition unknown; assumed true, since the else branch raises", site)
            return True
        self.report(SF304, "condition unknown; assumed true", site)
        return True

    def exec_For(self, node: cst.For, scope: Scope) -> None:
        site = Location(scope.source, node)
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
        site = Location(scope.source, node.test)
        count = 0
        while True:
            condition = self.truth(self.eval(node.test, scope), site)
            if condition is None:
                self.report(SF304, "loop condition unknown; the loop body was not run", site)
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
                self.assign(handler.name.name, exc.value if exc.value is not None else Unknown(exc.message), scope)
            self.exec_statement(handler.body, scope)
        else:
            if node.orelse is not None:
                self.exec_statement(node.orelse.body, scope)
        finally:
            if node.finalbody is not None:
                self.exec_statement(node.finalbody.body, scope)

    def _matching_handler(
        self, handlers: Iterable[cst.ExceptHandler], exc: AnalyzedException, scope: Scope
    ) -> cst.ExceptHandler | None:
        for handler in handlers:
            if handler.type is None:
                return handler
            caught = self.eval(handler.type, scope)
            names = caught if isinstance(caught, tuple) else (caught,)
            for name in names:
                if isinstance(name, (Unknown, BuiltinType)) and getattr(name, "name", "") in (
                    exc.type_name,
                    "Exception",
                ):
                    return handler
                if isinstance(name, ClassObject) and any(k.name == exc.type_name for k in name.mro):
                    return handler
                if isinstance(name, ClassObject) and name.name in ("Exception", "BaseException"):
                    return handler
                if isinstance(name, Unknown):
                    return handler
        return None

    def exec_With(self, node: cst.With, scope: Scope) -> None:
        for item in node.items:
            value = self.eval(item.item, scope)
            if item.asname is not None:
                self.assign(item.asname.name, value, scope)
        self.exec_statement(node.body, scope)

    def exec_Import(self, node: cst.Import, scope: Scope) -> None:
        site = Location(scope.source, node)
        for alias in node.names:
            dotted = _dotted(alias.name)
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
        site = Location(scope.source, node)
        base = self._resolve_relative(node, scope)
        module = self.import_module(base, site)
        if isinstance(node.names, cst.ImportStar):
            if isinstance(module, Namespace):
                for name, value in module.attrs.items():
                    if not name.startswith("_"):
                        scope.assign(name, value)
            return
        lazy = base not in self.modules and self._is_project_module(base)
        for alias in node.names:
            name = _dotted(alias.name)
            bound = alias.asname.name.value if alias.asname is not None else name  # type: ignore[union-attr]
            if lazy:
                scope.assign(bound, LazyImport(base, name, site))
                continue
            scope.assign(bound, self._import_name(module, base, name, site))

    def _is_project_module(self, dotted: str) -> bool:
        top = dotted.split(".")[0]
        return top not in self.natives.factories and self.project.find_module(dotted) is not None

    def _import_name(self, module: Any, base: str, name: str, site: Location) -> Any:
        value = self.get_attribute(module, name, site, missing_ok=True)
        if value is REQUIRED and isinstance(module, Namespace):
            value = self.submodule(module, name, site)
        if value is REQUIRED:
            value = Unknown(f"'{base}' has no name '{name}'", site)
        return value

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
        module = _dotted(node.module) if node.module is not None else ""
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
        site = Location(scope.source, decorator)
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
        qualname = f"{scope.qualname}.{name}".lstrip(".")
        return Function(
            name=name,
            qualname=qualname,
            params=self._parameters(node.params, scope),
            node=node,
            scope=closure if not scope.is_class else _class_closure(scope),
            source=scope.source,
        )

    def _parameters(self, params: cst.Parameters, scope: Scope) -> tuple[Param, ...]:
        result: list[Param] = []

        def default(param: cst.Param) -> Any:
            return REQUIRED if param.default is None else self.eval(param.default, scope)

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

    def exec_ClassDef(self, node: cst.ClassDef, scope: Scope) -> None:
        site = Location(scope.source, node)
        bases: list[ClassObject] = []
        metadata: dict[str, Any] = {}
        for arg in node.bases:
            base = self.eval(arg.value, scope)
            if isinstance(base, ClassObject):
                bases.append(base)
            elif isinstance(base, Unknown):
                metadata.setdefault("unknown_bases", []).append(base)
        for arg in node.keywords:
            if arg.keyword is not None:
                metadata.setdefault("class_keywords", {})[arg.keyword.value] = self.eval(arg.value, scope)
        if not bases:
            bases.append(self.builtins["object"])
        body_scope = scope.child(f"{scope.qualname}.{node.name.value}".lstrip("."), is_class=True)
        body_scope.parent = scope if not scope.is_class else _class_closure(scope)
        body_scope.vars["__module__"] = scope.globals.get("__name__", "__main__")
        body_scope.vars["__qualname__"] = body_scope.qualname
        self.exec_statement(node.body, body_scope)
        cls = ClassObject(
            node.name.value,
            tuple(bases),
            body_scope.vars,
            qualname=body_scope.qualname,
            location=site,
            metadata=metadata,
        )
        for member in cls.namespace.values():
            for function in _functions_of(member):
                function.attrs.setdefault("__sf_owner__", cls)
        init_subclass = self._class_hook(cls, "__sf_class_created__")
        if init_subclass is not None:
            init_subclass(self, cls, site)
        value: Any = cls
        for decorator in reversed(node.decorators):
            value = self.apply_decorator(decorator, value, scope)
        scope.assign(node.name.value, value)

    @staticmethod
    def _class_hook(cls: ClassObject, name: str) -> Any:
        for klass in cls.mro[1:]:
            hook = klass.metadata.get(name)
            if hook is not None:
                return hook
        return None

    # ----------------------------------------------------------------- assignment
    def assign(self, target: cst.BaseExpression, value: Any, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.assign(target.value, value)
        elif isinstance(target, cst.Attribute):
            obj = self.eval(target.value, scope)
            self.set_attribute(obj, target.attr.value, value, Location(scope.source, target))
        elif isinstance(target, cst.Subscript):
            container = self.eval(target.value, scope)
            index = self._slice(target, scope)
            self.set_item(container, index, value, Location(scope.source, target))
        elif isinstance(target, (cst.Tuple, cst.List)):
            self._unpack(target, value, scope)
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, value, scope)
        else:
            self.report(
                SF302, f"assignment to '{type(target).__name__}' is not modelled", Location(scope.source, target)
            )

    def _unpack(self, target: cst.Tuple | cst.List, value: Any, scope: Scope) -> None:
        site = Location(scope.source, target)
        elements = list(target.elements)
        if isinstance(value, Unknown):
            for element in elements:
                self.assign(element.value, value, scope)
            return
        star = next((i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)), None)
        guessed = value.sf_unpack(len(elements)) if isinstance(value, NativeValue) and star is None else None
        items = guessed if guessed is not None else list(self.iterate(value, site))
        star = next((i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)), None)
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
                container[index] = value
            except (IndexError, KeyError, TypeError) as exc:
                self.raise_error(type(exc).__name__, str(exc), site)
        elif isinstance(container, Instance):
            method = self.get_attribute(container, "__setitem__", site, missing_ok=True)
            if method is not REQUIRED:
                self.call(method, [index, value], {}, site)
        # writing into a tensor (`x[:, 0] = y`) keeps its shape: nothing to record

    # ----------------------------------------------------------------- expressions
    def eval(self, node: cst.BaseExpression, scope: Scope) -> Any:
        # no budget tick here: every expression runs inside a statement (which ticks), a bounded
        # comprehension, or a call (bounded by depth)
        handler = self._eval_dispatch.get(type(node))
        if handler is None:
            handler = self._eval_dispatch[type(node)] = self._handler("eval_", node)
        return handler(node, scope)

    def eval_Integer(self, node: cst.Integer, scope: Scope) -> Any:
        return int(node.value.replace("_", ""), 0) if not _is_legacy_octal(node.value) else int(node.value, 8)

    def eval_Float(self, node: cst.Float, scope: Scope) -> Any:
        return float(node.value.replace("_", ""))

    def eval_Imaginary(self, node: cst.Imaginary, scope: Scope) -> Any:
        return complex(node.value.replace("_", ""))

    def eval_SimpleString(self, node: cst.SimpleString, scope: Scope) -> Any:
        return _literal_string(node)

    def eval_ConcatenatedString(self, node: cst.ConcatenatedString, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return Unknown("string concatenation of unknown parts")

    def eval_FormattedString(self, node: cst.FormattedString, scope: Scope) -> Any:
        parts: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value)
                continue
            value = self.eval(part.expression, scope)
            if isinstance(value, Unknown):
                return Unknown("f-string with an unknown value")
            spec = ""
            if part.format_spec:
                inner = self.eval(cst.FormattedString(parts=part.format_spec), scope)
                spec = inner if isinstance(inner, str) else ""
            if part.conversion == "r":
                value = repr(value)
            elif part.conversion in ("s", "a"):
                value = str(value)
            try:
                parts.append(format(value, spec) if isinstance(value, PLAIN_DATA) else str(value))
            except (ValueError, TypeError):
                parts.append(str(value))
        return "".join(parts)

    def eval_Ellipsis(self, node: cst.Ellipsis, scope: Scope) -> Any:
        return ...

    def eval_Name(self, node: cst.Name, scope: Scope) -> Any:
        value = scope.lookup(node.value)
        if isinstance(value, LazyImport):
            value = self.resolve_lazy(value)
            scope.replace(node.value, value)
        if value is REQUIRED:
            value = self.builtins.get(node.value, REQUIRED)
        if value is REQUIRED:
            return self.unknown(f"name '{node.value}' is not defined", node, scope)
        return value

    def eval_Attribute(self, node: cst.Attribute, scope: Scope) -> Any:
        obj = self.eval(node.value, scope)
        return self.get_attribute(obj, node.attr.value, Location(scope.source, node))

    def eval_Subscript(self, node: cst.Subscript, scope: Scope) -> Any:
        container = self.eval(node.value, scope)
        index = self._slice(node, scope)
        return self.get_item(container, index, Location(scope.source, node))

    def _slice(self, node: cst.Subscript, scope: Scope) -> Any:
        parts = [self._slice_part(element.slice, scope) for element in node.slice]
        if len(parts) == 1 and node.slice[0].comma is cst.MaybeSentinel.DEFAULT:
            return parts[0]
        return tuple(parts)

    def _slice_part(self, part: cst.BaseSlice, scope: Scope) -> Any:
        if isinstance(part, cst.Index):
            value = self.eval(part.value, scope)
            if part.star is not None:
                return tuple(self.iterate(value, Location(scope.source, part)))
            return value
        assert isinstance(part, cst.Slice)

        def bound(expr: cst.BaseExpression | None) -> Any:
            return None if expr is None else self.eval(expr, scope)

        return slice(bound(part.lower), bound(part.upper), bound(part.step))

    def get_item(self, container: Any, index: Any, site: Location) -> Any:
        if isinstance(container, Unknown):
            return container
        if isinstance(index, Unknown) and not isinstance(container, NativeValue):
            return Unknown(f"index is unknown ({index.reason})", site)
        if isinstance(container, (list, tuple, str, dict, range, bytes)):
            try:
                return container[index]
            except (IndexError, KeyError, TypeError) as exc:
                self.raise_error(type(exc).__name__, f"{exc}", site)
        if isinstance(container, NativeValue):
            try:
                return container.sf_getitem(self, index, site)
            except NotImplementedError:
                return Unknown(f"cannot index {container!r}", site)
        if isinstance(container, (Instance, ClassObject)):
            method = self.get_attribute(container, "__getitem__", site, missing_ok=True)
            if method is REQUIRED and isinstance(container, ClassObject):
                method = self.get_attribute(container, "__class_getitem__", site, missing_ok=True)
                if method is REQUIRED:
                    return container  # generic alias such as List[int]: the class will do
            if method is not REQUIRED:
                return self.call(method, [index], {}, site)
        return Unknown(f"cannot index a value of kind {type(container).__name__}", site)

    def eval_Call(self, node: cst.Call, scope: Scope) -> Any:
        callee = self.eval(node.func, scope)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        site = Location(scope.source, node)
        for arg in node.args:
            value = self.eval(arg.value, scope)
            if arg.star == "*":
                if isinstance(value, Unknown):
                    return Unknown(f"call with unknown *args ({value.reason})", site)
                args.extend(self.iterate(value, site))
            elif arg.star == "**":
                if not isinstance(value, dict):
                    return Unknown("call with unknown **kwargs", site)
                kwargs.update(value)
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        return self.call(callee, args, kwargs, site)

    def eval_Lambda(self, node: cst.Lambda, scope: Scope) -> Any:
        return self.make_function(node, scope)

    def eval_Tuple(self, node: cst.Tuple, scope: Scope) -> Any:
        return tuple(self._elements(node.elements, scope))

    def eval_List(self, node: cst.List, scope: Scope) -> Any:
        return self._elements(node.elements, scope)

    def eval_Set(self, node: cst.Set, scope: Scope) -> Any:
        try:
            return set(self._elements(node.elements, scope))
        except TypeError:
            return Unknown("set of unhashable values")

    def _elements(self, elements: Iterable[cst.BaseElement], scope: Scope) -> list[Any]:
        result: list[Any] = []
        for element in elements:
            value = self.eval(element.value, scope)
            if isinstance(element, cst.StarredElement):
                result.extend(self.iterate(value, Location(scope.source, element)))
            else:
                result.append(value)
        self.budget.check_size(len(result))
        return result

    def eval_Dict(self, node: cst.Dict, scope: Scope) -> Any:
        result: dict[Any, Any] = {}
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                value = self.eval(element.value, scope)
                if isinstance(value, dict):
                    result.update(value)
                continue
            key = self.eval(element.key, scope)
            try:
                result[key] = self.eval(element.value, scope)
            except TypeError:
                return Unknown("dict with an unhashable key")
        return result

    def eval_GeneratorExp(self, node: cst.GeneratorExp, scope: Scope) -> Any:
        return iter(self._comprehension(node, scope, lambda s: self.eval(node.elt, s)))

    def eval_ListComp(self, node: cst.ListComp, scope: Scope) -> Any:
        return self._comprehension(node, scope, lambda s: self.eval(node.elt, s))

    def eval_SetComp(self, node: cst.SetComp, scope: Scope) -> Any:
        items = self._comprehension(node, scope, lambda s: self.eval(node.elt, s))
        try:
            return set(items)
        except TypeError:
            return Unknown("set of unhashable values")

    def eval_DictComp(self, node: cst.DictComp, scope: Scope) -> Any:
        pairs = self._comprehension(node, scope, lambda s: (self.eval(node.key, s), self.eval(node.value, s)))
        try:
            return dict(pairs)
        except TypeError:
            return Unknown("dict with an unhashable key")

    def _comprehension(self, node: Any, scope: Scope, produce: Callable[[Scope], Any]) -> list[Any]:
        inner = scope.child(scope.qualname)
        result: list[Any] = []

        def run(clause: cst.CompFor | None) -> None:
            if clause is None:
                result.append(produce(inner))
                self.budget.check_size(len(result))
                return
            iterable = self.eval(clause.iter, inner)
            for count, item in enumerate(self.iterate(iterable, Location(scope.source, clause)), 1):
                if count > self.limits.loop_iterations:
                    raise BudgetExhausted("loop iteration", self.limits.loop_iterations)
                self.assign(clause.target, item, inner)
                if all(self.truth(self.eval(cond.test, inner), None) for cond in clause.ifs):
                    run(clause.inner_for_in)

        run(node.for_in)
        return result

    def eval_IfExp(self, node: cst.IfExp, scope: Scope) -> Any:
        condition = self.truth(self.eval(node.test, scope), Location(scope.source, node))
        if condition is None:
            self.report(SF304, "condition unknown; assumed true", Location(scope.source, node.test))
            condition = True
        return self.eval(node.body if condition else node.orelse, scope)

    def eval_NamedExpr(self, node: cst.NamedExpr, scope: Scope) -> Any:
        value = self.eval(node.value, scope)
        self.assign(node.target, value, scope)
        return value

    def eval_BooleanOperation(self, node: cst.BooleanOperation, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        truth = self.truth(left, None)
        if truth is None:
            return Unknown("boolean operation on an unknown value")
        if isinstance(node.operator, cst.And):
            return self.eval(node.right, scope) if truth else left
        return left if truth else self.eval(node.right, scope)

    def eval_UnaryOperation(self, node: cst.UnaryOperation, scope: Scope) -> Any:
        value = self.eval(node.expression, scope)
        site = Location(scope.source, node)
        if isinstance(node.operator, cst.Not):
            truth = self.truth(value, site)
            return Unknown("negation of an unknown value", site) if truth is None else not truth
        if isinstance(value, Unknown):
            return value
        name = {cst.Minus: "neg", cst.Plus: "pos", cst.BitInvert: "invert"}[type(node.operator)]
        if isinstance(value, NativeValue):
            try:
                return value.sf_unary(self, name, site)
            except NotImplementedError:
                return Unknown(f"unary {name} of {value!r}", site)
        try:
            return getattr(operator, name)(value)
        except TypeError as exc:
            self.raise_error("TypeError", str(exc), site)

    def eval_BinaryOperation(self, node: cst.BinaryOperation, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        return self.binary(type(node.operator), left, right, Location(scope.source, node))

    def binary(self, op: type[cst.CSTNode], left: Any, right: Any, site: Location, inplace: bool = False) -> Any:
        name, function = BINARY_OPERATORS[op]
        if isinstance(left, NativeValue) or isinstance(right, NativeValue):
            native, other, reflected = (left, right, False) if isinstance(left, NativeValue) else (right, left, True)
            try:
                return native.sf_binop(self, ("i" if inplace else "") + name, other, reflected, site)
            except NotImplementedError:
                return Unknown(f"operator '{name}' on {native!r}", site)
        if isinstance(left, Unknown):
            return left
        if isinstance(right, Unknown):
            return right
        if isinstance(left, Instance) or isinstance(right, Instance):
            return self._instance_binary(name, left, right, site, inplace)
        self._guard_size(name, left, right)
        try:
            return function(left, right)
        except (TypeError, ZeroDivisionError, ValueError, OverflowError) as exc:
            self.raise_error(type(exc).__name__, str(exc), site)

    def _instance_binary(self, name: str, left: Any, right: Any, site: Location, inplace: bool = False) -> Any:
        attempts = [(left, right, f"__{name}__"), (right, left, f"__r{name}__")]
        if inplace:
            attempts.insert(0, (left, right, f"__i{name}__"))
        for obj, other, dunder in attempts:
            if isinstance(obj, Instance):
                method = self.get_attribute(obj, dunder, site, missing_ok=True)
                if method is not REQUIRED:
                    return self.call(method, [other], {}, site)
        return Unknown(f"operator '{name}' on instances", site)

    def _guard_size(self, name: str, left: Any, right: Any) -> None:
        """Refuse arithmetic whose result alone would exhaust memory (`'a' * 10**12`, `2 ** 10**10`)."""
        limit = self.limits.collection_size
        if name == "mul":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, bytes, list, tuple)) and isinstance(count, int):
                    self.budget.check_size(len(seq) * max(count, 0))
        elif name in ("pow", "lshift") and isinstance(left, int) and isinstance(right, int):
            bits = abs(left).bit_length() * right if name == "pow" else right
            if bits > limit * 8:
                raise BudgetExhausted("integer size (bits)", limit * 8)
        elif name == "add" and isinstance(left, (str, list, tuple)) and isinstance(right, type(left)):
            self.budget.check_size(len(left) + len(right))

    def eval_Comparison(self, node: cst.Comparison, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        result: Any = True
        for target in node.comparisons:
            right = self.eval(target.comparator, scope)
            if isinstance(target.operator, (cst.Is, cst.IsNot)):
                outcome: Any = COMPARISONS[type(target.operator)](left, right)
                if isinstance(left, Unknown) or isinstance(right, Unknown):
                    outcome = Unknown("identity test on an unknown value")
            elif isinstance(left, NativeValue) or isinstance(right, NativeValue):
                native, other = (left, right) if isinstance(left, NativeValue) else (right, left)
                name = COMPARISON_NAMES.get(type(target.operator), "")
                if native is right:
                    name = REFLECTED_COMPARISONS.get(name, name)
                try:
                    return native.sf_compare(self, name, other, Location(scope.source, node))
                except NotImplementedError:
                    return Unknown("comparison with an unknown value")
            elif isinstance(left, Unknown) or isinstance(right, Unknown):
                outcome = Unknown("comparison with an unknown value")
            else:
                try:
                    outcome = COMPARISONS[type(target.operator)](left, right)
                except TypeError as exc:
                    self.raise_error("TypeError", str(exc), Location(scope.source, node))
            if isinstance(outcome, Unknown):
                return outcome
            if not outcome:
                return False
            result = outcome
            left = right
        return result

    def eval_Await(self, node: cst.Await, scope: Scope) -> Any:
        return self.eval(node.expression, scope)

    def eval_Yield(self, node: cst.Yield, scope: Scope) -> Any:
        collected = scope.vars.get("__sf_yielded__")
        if collected is None:
            return Unknown("yield outside a generator")
        if node.value is None:
            collected.append(None)
        elif isinstance(node.value, cst.From):
            collected.extend(self.iterate(self.eval(node.value.item, scope), Location(scope.source, node)))
        else:
            collected.append(self.eval(node.value, scope))
        return None

    # ----------------------------------------------------------------- protocols
    def truth(self, value: Any, site: Location | None) -> bool | None:
        """Python truthiness, or None when it cannot be known."""
        if isinstance(value, Unknown):
            return None
        if isinstance(value, NativeValue):
            return value.sf_truth()
        if isinstance(value, Instance):
            for dunder in ("__bool__", "__len__"):
                method = self.get_attribute(value, dunder, site or self.current, missing_ok=True)  # type: ignore[arg-type]
                if method is not REQUIRED:
                    result = self.call(method, [], {}, site or self.current)  # type: ignore[arg-type]
                    return None if isinstance(result, Unknown) else bool(result)
            return True
        try:
            return bool(value)
        except Exception:
            return None

    def iterate(self, value: Any, site: Location) -> Iterator[Any]:
        if isinstance(value, Unknown):
            self.report_unknown(value, "cannot iterate over an unknown value; the loop was skipped", site)
            return iter(())
        if isinstance(value, dict):
            return iter(list(value))
        if isinstance(value, (list, tuple, str, set, frozenset, range, bytes)):
            return iter(list(value) if isinstance(value, list) else value)
        if isinstance(value, Iterator):
            return value
        if isinstance(value, NativeValue):
            try:
                return iter(value.sf_iter(self, site))
            except NotImplementedError:
                pass
        if isinstance(value, (Instance, ClassObject)):
            method = self.get_attribute(value, "__iter__", site, missing_ok=True)
            if method is not REQUIRED:
                result = self.call(method, [], {}, site)
                return self.iterate(result, site)
        if hasattr(value, "__iter__") and not isinstance(value, (Instance, NativeValue)):
            return iter(value)
        self.report(SF301, f"cannot iterate over {value!r}; the loop was skipped", site)
        return iter(())

    def get_attribute(self, obj: Any, name: str, site: Location, missing_ok: bool = False) -> Any:
        """`obj.name` with Python's lookup rules; `REQUIRED` when missing and `missing_ok`."""
        if isinstance(obj, Unknown):
            return obj
        if isinstance(obj, Instance):
            value = self._instance_attribute(obj, name, site)
        elif isinstance(obj, ClassObject):
            value = self._class_attribute(obj, name)
        elif isinstance(obj, Namespace):
            value = obj.attrs.get(name, REQUIRED)
            if isinstance(value, LazyImport):
                value = obj.attrs[name] = self.resolve_lazy(value)
            if value is REQUIRED and obj.resolve is not None:
                value = obj.resolve(name)
                if value is not REQUIRED:
                    obj.attrs[name] = value
            if value is REQUIRED and obj.is_package:
                value = self.submodule(obj, name, site)
        elif isinstance(obj, SuperProxy):
            value = self._super_attribute(obj, name)
        elif isinstance(obj, NativeValue):
            try:
                value = obj.sf_getattr(self, name, site)
            except NotImplementedError:
                value = REQUIRED
        elif isinstance(obj, (Function, NativeFunction, BoundMethod)):
            value = _function_attribute(obj, name)
        else:
            value = self.builtins["__sf_data_attribute__"](self, obj, name, site)
        if value is REQUIRED and not missing_ok:
            if isinstance(obj, Namespace) and obj.resolve is not None:
                return Unknown(f"'{obj.name}.{name}' is not in the catalog", site)
            if isinstance(obj, (Instance, ClassObject)) and (
                "unknown_bases" in (obj.cls if isinstance(obj, Instance) else obj).metadata
            ):
                return Unknown(f"attribute '{name}' may come from an unknown base class", site)
            kind = obj.cls.name if isinstance(obj, Instance) else type(obj).__name__
            self.raise_error("AttributeError", f"'{kind}' object has no attribute '{name}'", site)
        return value

    def _instance_attribute(self, obj: Instance, name: str, site: Location) -> Any:
        attribute = obj.cls.lookup(name)
        if isinstance(attribute, Property):
            return self.call(attribute.fget, [obj], {}, site)
        if name in obj.attrs:
            return obj.attrs[name]
        if attribute is not REQUIRED:
            return self._bind(attribute, obj)
        if name == "__class__":
            return obj.cls
        if name == "__dict__":
            return obj.attrs
        fallback = obj.cls.lookup("__getattr__")
        if fallback is not REQUIRED:
            result = self.call(self._bind(fallback, obj), [name], {}, site)
            return result
        return REQUIRED

    def _bind(self, attribute: Any, obj: Any) -> Any:
        if isinstance(attribute, (Function, NativeFunction)):
            return BoundMethod(attribute, obj)
        if isinstance(attribute, ClassMethod):
            return BoundMethod(attribute.function, obj.cls if isinstance(obj, Instance) else obj)
        if isinstance(attribute, StaticMethod):
            return attribute.function
        return attribute

    def _class_attribute(self, cls: ClassObject, name: str) -> Any:
        if name == "__name__":
            return cls.name
        if name == "__qualname__":
            return cls.qualname
        if name == "__mro__":
            return cls.mro
        attribute = cls.lookup(name)
        if isinstance(attribute, ClassMethod):
            return BoundMethod(attribute.function, cls)
        if isinstance(attribute, StaticMethod):
            return attribute.function
        return attribute

    def _super_attribute(self, proxy: SuperProxy, name: str) -> Any:
        owner = proxy.obj.cls if isinstance(proxy.obj, Instance) else proxy.obj
        mro = owner.mro if isinstance(owner, ClassObject) else ()
        start = mro.index(proxy.cls) + 1 if proxy.cls in mro else len(mro)
        for klass in mro[start:]:
            if name in klass.namespace:
                attribute = klass.namespace[name]
                if isinstance(attribute, Property):
                    return self.call(attribute.fget, [proxy.obj], {}, self.current)  # type: ignore[arg-type]
                return self._bind(attribute, proxy.obj)
        return REQUIRED

    def set_attribute(self, obj: Any, name: str, value: Any, site: Location) -> None:
        if isinstance(obj, Instance):
            attribute = obj.cls.lookup(name)
            if isinstance(attribute, Property):
                if attribute.fset is not None:
                    self.call(attribute.fset, [obj, value], {}, site)
                return
            setter = obj.cls.lookup("__setattr__")
            if setter is not REQUIRED:
                self.call(BoundMethod(setter, obj), [name, value], {}, site)
            else:
                obj.attrs[name] = value
        elif isinstance(obj, ClassObject):
            obj.namespace[name] = value
        elif isinstance(obj, (Namespace, Function)):
            obj.attrs[name] = value

    # ----------------------------------------------------------------- calls
    def call(self, callee: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
        if isinstance(callee, NativeFunction):
            return callee.impl(self, args, kwargs, site)
        if isinstance(callee, BoundMethod):
            return self.call(callee.function, [callee.self_value, *args], kwargs, site)
        if isinstance(callee, Function):
            return self.call_function(callee, args, kwargs, site)
        if isinstance(callee, ClassObject):
            return self.instantiate(callee, args, kwargs, site)
        if isinstance(callee, Unknown):
            hook = self.hooks.get("call_unknown")
            if hook is not None:
                return hook(self, callee, args, kwargs, site)
            return Unknown(callee.reason, callee.location or site)
        if isinstance(callee, BuiltinType):
            return callee.constructor(self, args, kwargs, site)
        if isinstance(callee, Instance):
            method = self.get_attribute(callee, "__call__", site, missing_ok=True)
            if method is not REQUIRED:
                return self.call(method, args, kwargs, site)
        if isinstance(callee, NativeValue):
            try:
                return callee.sf_call(self, args, kwargs, site)
            except NotImplementedError:
                pass
        if isinstance(callee, (StaticMethod, ClassMethod)):
            return self.call(callee.function, args, kwargs, site)
        self.raise_error("TypeError", f"{callee!r} is not callable", site)

    def call_function(self, function: Function, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
        try:
            bound = bind_arguments(function.name, function.params, args, kwargs)
        except BindError as exc:
            self.raise_error("TypeError", str(exc), site)
        scope = Scope(
            function.source, function.scope.globals, vars=bound, parent=function.scope, qualname=function.qualname
        )
        if function.is_generator is None:
            # decided on first call: most functions a module defines are never called
            function.is_generator = isinstance(function.node, cst.FunctionDef) and _is_generator(function)
        if function.is_generator:
            scope.vars["__sf_yielded__"] = []
        owner = function.attrs.get("__sf_owner__")
        if owner is not None and function.params:
            scope.owner = owner
            scope.first_argument = bound.get(function.params[0].name)
        self.budget.enter()
        self.frames.append(scope)
        saved = self.current
        try:
            if isinstance(function.node, cst.Lambda):
                return self.eval(function.node.body, scope)
            self.exec_statement(function.node.body, scope)
        except Return as result:
            if not function.is_generator:
                return result.value
        finally:
            self.budget.leave()
            self.frames.pop()
            self.current = saved
        if function.is_generator:
            return iter(scope.vars["__sf_yielded__"])
        return None

    def instantiate(self, cls: ClassObject, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
        constructor = cls.lookup("__sf_construct__")
        if constructor is not REQUIRED:
            return constructor.impl(self, cls, args, kwargs, site)
        obj = Instance(cls, origin=site)
        init = cls.lookup("__init__")
        if init is not REQUIRED:
            result = self.call(BoundMethod(init, obj), args, kwargs, site)
            if isinstance(result, Unknown):
                self.report_unknown(result, f"constructing {cls.name}", site)
        return obj


def _function_attribute(obj: Any, name: str) -> Any:
    function = obj.function if isinstance(obj, BoundMethod) else obj
    if isinstance(function, Function) and name in function.attrs:
        return function.attrs[name]
    if name in ("__name__", "__qualname__"):
        return getattr(function, "name", "<native>")
    if name == "__module__":
        return function.source.module_name if isinstance(function, Function) else "builtins"
    if name == "__class__":
        return ClassObject("function" if isinstance(obj, (Function, NativeFunction)) else "method", (), {})
    if name == "__self__" and isinstance(obj, BoundMethod):
        return obj.self_value
    if name == "__func__" and isinstance(obj, BoundMethod):
        return obj.function
    if isinstance(function, Function):
        return function.attrs.get(name, REQUIRED)
    return REQUIRED


def _defined_names(statement: cst.CSTNode) -> list[str]:
    """Names a top-level statement binds (for binding `Unknown` when it fails)."""
    if isinstance(statement, (cst.ClassDef, cst.FunctionDef)):
        return [statement.name.value]
    names: list[str] = []
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            targets = small.targets if isinstance(small, cst.Assign) else []
            for target in targets:
                if isinstance(target.target, cst.Name):
                    names.append(target.target.value)
            if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                names.append(small.target.value)
    return names


def _functions_of(member: Any) -> list[Function]:
    """The user functions a class-body value wraps (methods, properties, static/class methods)."""
    if isinstance(member, Function):
        return [member]
    if isinstance(member, (StaticMethod, ClassMethod)):
        return _functions_of(member.function)
    if isinstance(member, Property):
        return _functions_of(member.fget) + _functions_of(member.fset)
    return []


def _class_closure(scope: Scope) -> Scope:
    closure = scope
    while closure.is_class and closure.parent is not None:
        closure = closure.parent
    return closure


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    raise ValueError(f"not a dotted name: {node!r}")


def _starts_with_raise(block: cst.BaseSuite) -> bool:
    body = block.body if isinstance(block, cst.IndentedBlock) else [block]
    first = body[0] if body else None
    if isinstance(first, cst.SimpleStatementLine):
        return isinstance(first.body[0], cst.Raise)
    if isinstance(first, cst.SimpleStatementSuite):
        return isinstance(first.body[0], cst.Raise)
    return False


class _YieldFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Yield(self, node: cst.Yield) -> bool:
        self.found = True
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


def _is_generator(function: Function) -> bool:
    node = function.node
    assert isinstance(node, cst.FunctionDef)
    if "yield" not in function.source.module.code_for_node(node.body):
        return False  # the common case, decided without walking the tree
    finder = _YieldFinder()
    node.body.visit(finder)
    return finder.found


def _is_legacy_octal(text: str) -> bool:
    return len(text) > 1 and text[0] == "0" and text[1:].isdigit() and set(text) != {"0"}


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


def _literal_string(node: cst.SimpleString) -> str | bytes:
    """The value of a string literal, decoded without `eval` or `ast.literal_eval`."""
    prefix = node.prefix.lower()
    body = node.raw_value
    text = body if "r" in prefix else _unescape(body)
    if "b" in prefix:
        return text.encode("latin-1", errors="replace")
    return text


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\" or i + 1 == len(body):
            out.append(char)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "\n":
            i += 2
        elif nxt in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[nxt]
            digits = body[i + 2 : i + 2 + width]
            try:
                out.append(chr(int(digits, 16)))
                i += 2 + width
            except ValueError:
                out.append(char)
                i += 1
        elif nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)
