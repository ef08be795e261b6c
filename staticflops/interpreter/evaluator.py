"""The abstract interpreter: evaluates a faithful subset of Python over the nodes of Python's `ast`.

Dispatch is by node-type name (`eval_Call`, `exec_For`), as pyflakes does.
Nothing here is torch-specific: torch's namespaces arrive as native modules, and
tensors are `NativeValue`s that implement their own operators.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from staticflops.diagnostics import SF301, SF302, SF304, SF307, Code, Diagnostic
from staticflops.interpreter.budget import Budget, BudgetExhausted, Limits
from staticflops.interpreter.calls import BindError, bind_arguments
from staticflops.interpreter.errors import AnalyzedException, Break, Continue, Return
from staticflops.interpreter.expressions import Expressions
from staticflops.interpreter.scope import Scope
from staticflops.interpreter.statements import STARS, Statements
from staticflops.interpreter.syntax import defined_names, function_attribute, is_generator
from staticflops.interpreter.values import (
    REQUIRED,
    BoundMethod,
    BuiltinType,
    ClassMethod,
    ClassObject,
    DeferredDefault,
    Function,
    Instance,
    LazyImport,
    Namespace,
    NativeFunction,
    NativeValue,
    Property,
    StaticMethod,
    SuperProxy,
    Unknown,
)
from staticflops.source import Location, Project, SourceFile


@dataclass
class NativeModules:
    """Modules the interpreter provides itself (`torch`, `math`, ...), built on first import."""

    factories: dict[str, Callable[[Interpreter], Namespace]] = field(default_factory=dict)


BUILTIN_DATA = "__sf_builtin_data__"
"""Where an instance of a class deriving from `dict`, `list` or `set` keeps that container's data."""


def builtin_container(cls: ClassObject) -> type | None:
    """The builtin container type (`dict`, `OrderedDict`, `list`, `set`) a class derives from."""
    for klass in cls.mro:
        for pytype in klass.metadata.get("builtin_bases", ()):
            if isinstance(pytype, type) and issubclass(pytype, (dict, list, set)):
                return pytype
    return None


SITE = "_sf_site"
"""The attribute of an `ast` node that holds its `Location` once the interpreter has made it."""


class Interpreter(Statements, Expressions):
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
        self.module_diagnostics: list[Diagnostic] = []
        self._reported: set[tuple[str, int]] = set()
        self.modules: dict[str, Namespace] = {}
        self.current: Location | None = None
        """The statement being executed, for diagnostics raised deep inside natives."""
        self.hooks: dict[str, Any] = {}
        """Per-run state of native libraries (the torch tracer lives here)."""
        self._resolving: set[tuple[str, str]] = set()
        self._stars_settled = -1
        """The number of loaded modules when no star import was pending (see `complete_registry`)."""
        self.assumed: list[Location] = []
        """Every unknown condition a branch was chosen for, in order (not deduplicated): a model
        built or traced past one holds numbers that depend on it."""
        self.frames: list[Scope] = []
        """Scopes of the user functions being called, innermost last."""
        self.handling: list[AnalyzedException] = []
        """The exceptions whose `except` blocks are running, innermost last (for a bare `raise`)."""
        self._dispatch: dict[type, Callable[[Any, Scope], Any]] = {}
        self._eval_dispatch: dict[type, Callable[[Any, Scope], Any]] = {}
        self._exec_dispatch: dict[type, Callable[[Any, Scope], Any]] = {}
        self.skipped_loops: list[Location] = []
        """Where iterations over a value not known statically were skipped, in order: whatever those loops
        would have appended is missing from the collections built after them."""

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

    def assume(self, message: str, site: Location) -> None:
        """An unknown condition decided by policy: reported once, remembered every time."""
        self.report(SF304, message, site)
        self.assumed.append(site)

    def report_unknown(self, value: Unknown, use: str, site: Location | None) -> None:
        """Surface an `Unknown` where it matters: once, at its origin if known."""
        self.report(SF301, f"{use}: {value.reason}", value.location or site)

    def raise_error(self, type_name: str, message: str, site: Location | None) -> None:
        raise AnalyzedException(type_name, message, site or self.current)

    def unknown(self, reason: str, node: ast.AST, scope: Scope) -> Unknown:
        return Unknown(reason, self.site(scope, node))

    # ----------------------------------------------------------------- modules
    def run_module(self, source: SourceFile) -> Namespace:
        """Execute a file's top level. Statements that fail bind nothing; analysis goes on."""
        if source.module_name in self.modules:
            return self.modules[source.module_name]
        namespace = Namespace(source.module_name, {"__name__": source.module_name, "__file__": source.path})
        namespace.is_package = source.path.endswith("__init__.py")
        self.modules[source.module_name] = namespace
        scope = Scope(source, namespace.attrs, vars=namespace.attrs, qualname="")
        # A module's top level runs once, whenever something first imports it: what it reports and
        # assumes belongs to the module, not to the model being built or traced at that moment, or a
        # model's result would depend on which file of the run imported the module first.
        outer, self.diagnostics = self.diagnostics, []
        assumed = len(self.assumed)
        try:
            self.exec_each(source.module.body, scope, "module-level")
        finally:
            self.module_diagnostics.extend(self.diagnostics)
            self.diagnostics = outer
            del self.assumed[assumed:]
        return namespace

    def take_module_diagnostics(self) -> list[Diagnostic]:
        """What the modules run since the last call reported (`run_module`)."""
        taken, self.module_diagnostics = self.module_diagnostics, []
        return taken

    def exec_each(self, statements: Iterable[ast.AST], scope: Scope, where: str) -> None:
        """Run statements one by one: one that raises makes only the names it binds unknown (SF307),
        and the rest still run, so one construct the analyzer cannot follow loses nothing else."""
        for statement in statements:
            try:
                self.exec_statement(statement, scope)
            except AnalyzedException as exc:
                self.report(SF307, f"{where} code raised {exc.type_name}: {exc.message}", exc.location)
                for name in defined_names(statement):
                    scope.vars.setdefault(name, Unknown(f"'{name}' could not be evaluated ({exc.message})"))
            except (Return, Break, Continue):
                continue

    def is_native(self, dotted: str) -> bool:
        """Whether the interpreter models `dotted` itself. A modelled top-level package owns its
        whole dotted tree: `torch._C` or `torch.nn.modules.conv` never resolve to a file, not even
        to torch's own sources in site-packages."""
        return dotted.split(".")[0] in self.natives.factories or dotted in self.natives.factories

    def import_module(self, dotted: str, site: Location) -> Any:
        """The namespace for `dotted`: native, the project's own or an installed library's, or `Unknown`."""
        if dotted in self.modules:
            return self.modules[dotted]
        if self.is_native(dotted):
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
            return Unknown(self.project.not_found(dotted), site)
        return self.run_module(source)

    def complete_registry(self, container: Any) -> bool:
        """A lookup missed in a module-level dict or set: run the star-imported modules not loaded yet.

        Star imports are looked into only for names their importer lacks, but a registry filled by
        decorators (`@register_model` in each file that `models/__init__.py` star-imports) is
        complete only once those files have run. True when any module ran, so the lookup is retried.
        Misses are frequent in ordinary code (`if key in cache`): the check is cheap when nothing is pending.
        """
        if not self._pending_stars():
            return False
        # asked at every miss while a star import is pending: an identity test over every module-level value,
        # run by `map` and `operator.is_` at C speed (as a generator expression, ~7% of a ViT model's analysis)
        namespaces = list(self.modules.values())
        if not any(any(map(operator.is_, namespace.attrs.values(), repeat(container))) for namespace in namespaces):
            return False
        while pending := self._pending_stars():
            for star in pending:
                self.import_module(star.module, star.site)
        return True

    def _pending_stars(self) -> list[LazyImport]:
        """Star imports of modules not loaded yet; remembered as none until another module loads."""
        if self._stars_settled == len(self.modules):
            return []
        pending = [
            star for namespace in list(self.modules.values()) for star in namespace.attrs.get(STARS, ())
            if star.module not in self.modules
        ]  # fmt: skip
        if not pending:
            self._stars_settled = len(self.modules)
        return pending

    def _is_submodule(self, namespace: Namespace, name: str) -> bool:
        dotted = f"{namespace.name}.{name}"
        if self.is_native(dotted):
            return dotted in self.natives.factories
        return namespace.is_package and self.project.find_module(dotted) is not None

    def submodule(self, package: Namespace, name: str, site: Location) -> Any:
        dotted = f"{package.name}.{name}"
        modelled = dotted in self.natives.factories
        if not modelled and (self.is_native(dotted) or self.project.find_module(dotted) is None):
            return REQUIRED
        module = self.import_module(dotted, site)
        package.attrs.setdefault(name, module)
        return module

    # ----------------------------------------------------------------- statements
    def exec_block(self, statements: Iterable[ast.AST], scope: Scope) -> None:
        for statement in statements:
            self.exec_statement(statement, scope)

    def exec_statement(self, node: ast.AST, scope: Scope) -> None:
        self.budget.tick()
        self.current = self.site(scope, node)
        handler = self._exec_dispatch.get(type(node))
        if handler is None:
            handler = self._exec_dispatch[type(node)] = self._handler("exec_", node)
        try:
            handler(node, scope)
        except BudgetExhausted as exhausted:
            if exhausted.location is None:
                exhausted.location = self.current
            raise

    def site(self, scope: Scope, node: ast.AST) -> Location:
        """`Location(scope.source, node)`, made once per node and kept on it: statements, calls and
        attribute reads point at the same nodes at every layer built and every forward traced, and a
        `Location` is immutable."""
        location: Location | None = node.__dict__.get(SITE)
        if location is None or location.source is not scope.source:
            location = node.__dict__[SITE] = Location(scope.source, node)
        return location

    def _handler(self, prefix: str, node: ast.AST) -> Callable[[Any, Scope], Any]:
        key = (prefix, type(node))
        handler = self._dispatch.get(key)  # type: ignore[call-overload]
        if handler is None:
            handler = getattr(self, prefix + type(node).__name__, None) or self._unsupported(prefix)
            self._dispatch[key] = handler  # type: ignore[index]
        return handler

    def _unsupported(self, prefix: str) -> Callable[[Any, Scope], Any]:
        def handle(node: ast.AST, scope: Scope) -> Any:
            what = type(node).__name__
            self.report(SF302, f"'{what}' is not modelled; its value is unknown", self.site(scope, node))
            return Unknown(f"unsupported construct '{what}'", self.site(scope, node))

        return handle

    # ----------------------------------------------------------------- assignment
    # writing into a tensor (`x[:, 0] = y`) keeps its shape: nothing to record

    # ----------------------------------------------------------------- expressions
    def eval(self, node: ast.expr, scope: Scope) -> Any:
        # no budget tick here: every expression runs inside a statement (which ticks), a bounded
        # comprehension, or a call (bounded by depth)
        handler = self._eval_dispatch.get(type(node))
        if handler is None:
            handler = self._eval_dispatch[type(node)] = self._handler("eval_", node)
        return handler(node, scope)

    # ----------------------------------------------------------------- protocols
    def truth(self, value: Any, site: Location | None) -> bool | None:
        """Python truthiness, or None when it cannot be known."""
        if value is True or value is False:
            return value
        if isinstance(value, Unknown):
            return value.truth
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

    def _getitem_iterator(self, getitem: Any, site: Location) -> Iterator[Any]:
        """`obj[0]`, `obj[1]`, ... until the analyzed `__getitem__` raises IndexError (or StopIteration), as
        `iter()` does for an object with `__getitem__` and no `__iter__`; the loop's budget bounds the rest."""
        index = 0
        while True:
            try:
                item = self.call(getitem, [index], {}, site)
            except AnalyzedException as exc:
                if exc.type_name in ("IndexError", "StopIteration"):
                    return
                raise
            yield item
            index += 1

    def iterate(self, value: Any, site: Location) -> Iterator[Any]:
        if isinstance(value, Unknown):
            self.report_unknown(value, "cannot iterate over an unknown value; the loop was skipped", site)
            self.skipped_loops.append(site)
            return iter(())
        if isinstance(value, dict):
            return iter(list(value))
        if isinstance(value, (list, tuple, str, set, frozenset, range, bytes)):
            # a list is iterated live, as Python does: items appended by the loop body are visited too
            # (a worklist), removed ones skipped; the loop budget bounds a list that grows forever
            return iter(value)
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
            if isinstance(value, Instance):  # Python's sequence protocol (a `collections.abc.Sequence` subclass)
                getitem = self.get_attribute(value, "__getitem__", site, missing_ok=True)
                if getitem is not REQUIRED:
                    return self._getitem_iterator(getitem, site)
        if hasattr(value, "__iter__") and not isinstance(value, (Instance, NativeValue)):
            return iter(value)
        self.report(SF301, f"cannot iterate over {value!r}; the loop was skipped", site)
        self.skipped_loops.append(site)
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
            if value is REQUIRED and STARS in obj.attrs and not self._is_submodule(obj, name):
                value = self.star_lookup(obj.attrs, name)
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
            value = function_attribute(obj, name)
        else:
            value = self.builtins["__sf_data_attribute__"](self, obj, name, site)
        if value is REQUIRED and not missing_ok:
            if isinstance(obj, Namespace) and obj.resolve is not None:
                return Unknown(f"'{obj.name}.{name}' is not in the catalog", site)
            if isinstance(obj, Namespace) and "__file__" not in obj.attrs:
                # a gap in what the analyzer models, not an error of the analyzed code
                return Unknown(f"'{obj.name}.{name}' is not modelled", site)
            if isinstance(obj, (Instance, ClassObject)) and (
                "unknown_bases" in (obj.cls if isinstance(obj, Instance) else obj).metadata
            ):
                return Unknown(f"attribute '{name}' may come from an unknown base class", site)
            kind = obj.cls.name if isinstance(obj, Instance) else type(obj).__name__
            self.raise_error("AttributeError", f"'{kind}' object has no attribute '{name}'", site)
        return value

    def _instance_attribute(self, obj: Instance, name: str, site: Location) -> Any:
        override = obj.cls.lookup("__getattribute__")
        if isinstance(override, Function):  # a class's own (a config's `attribute_map` aliases)
            return self.call(BoundMethod(override, obj), [name], {}, site)
        return self.plain_instance_attribute(obj, name, site)

    def plain_instance_attribute(self, obj: Instance, name: str, site: Location, fallback: bool = True) -> Any:
        """`object.__getattribute__(obj, name)` (without `fallback`: a `__getattr__` calls it for the names it
        does not handle, and must not be asked again): the lookup a class's own `__getattribute__` bypasses."""
        attribute = obj.cls.lookup(name)
        if isinstance(attribute, Property):
            return self.call(attribute.fget, [obj], {}, site)
        getter = self._descriptor_get(attribute)
        if getter is not None:
            return self.call(getter, [obj, obj.cls], {}, site)
        if name in obj.attrs:
            return obj.attrs[name]
        if attribute is not REQUIRED:
            return self._bind(attribute, obj)
        if name == "__class__":
            return obj.cls
        if name == "__dict__":
            return obj.attrs
        data_method = self._builtin_data_method(obj, name)
        if data_method is not REQUIRED:
            return data_method
        getattr_method = obj.cls.lookup("__getattr__") if fallback else REQUIRED
        if getattr_method is not REQUIRED:
            return self.call(self._bind(getattr_method, obj), [name], {}, site)
        return REQUIRED

    def special_method(self, obj: Instance, name: str, site: Location) -> Any:
        """`obj`'s operator method `name` as Python finds it: on its type, never through `__getattr__` (a
        `str` enum forwards other names to its value, which has no `__ne__` of its own here)."""
        attribute = obj.cls.lookup(name)
        if attribute is REQUIRED:
            return self._builtin_data_method(obj, name)
        getter = self._descriptor_get(attribute)
        if getter is not None:
            return self.call(getter, [obj, obj.cls], {}, site)
        return self._bind(attribute, obj)

    @staticmethod
    def _descriptor_get(attribute: Any) -> BoundMethod | None:
        """A class attribute whose class defines `__get__` (transformers' `classproperty`): the descriptor
        protocol calls it with the instance (None from the class) and the owner class."""
        if not isinstance(attribute, Instance):
            return None
        getter = attribute.cls.lookup("__get__")
        return BoundMethod(getter, attribute) if isinstance(getter, Function) else None

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
        if name == "__bases__":
            return cls.bases
        if name == "__dict__":
            return cls.namespace
        attribute = cls.lookup(name)
        getter = self._descriptor_get(attribute)
        if getter is not None:
            return self.call(getter, [None, cls], {}, self.current)  # type: ignore[arg-type]
        if isinstance(attribute, ClassMethod):
            return BoundMethod(attribute.function, cls)
        if isinstance(attribute, StaticMethod):
            return attribute.function
        if attribute is REQUIRED and name == "mro":
            return NativeFunction(f"{cls.name}.mro", lambda i, a, k, s: list(cls.mro))
        return attribute

    def _super_attribute(self, proxy: SuperProxy, name: str) -> Any:
        owner = proxy.obj.cls if isinstance(proxy.obj, Instance) else proxy.obj
        mro = owner.mro if isinstance(owner, ClassObject) else ()
        start = mro.index(proxy.cls) + 1 if proxy.cls in mro else len(mro)
        for klass in mro[start:]:
            if klass is self.builtins["object"]:
                break  # a builtin container base comes before `object` (`class Config(dict)`)
            if name in klass.namespace:
                attribute = klass.namespace[name]
                if isinstance(attribute, Property):
                    return self.call(attribute.fget, [proxy.obj], {}, self.current)  # type: ignore[arg-type]
                return self._bind(attribute, proxy.obj)
        return self._builtin_base_attribute(owner, proxy.obj, name)

    def _builtin_base_attribute(self, owner: Any, obj: Any, name: str) -> Any:
        """What `super()` finds past the analyzed classes: the methods of a builtin container base
        (`class Registry(dict)`), run on the plain data the instance keeps beside its attributes, then
        `object`'s methods (a native base such as `nn.Module` or `ModuleType` has no `object` in its MRO)."""
        method = self._builtin_data_method(obj, name)
        if method is not REQUIRED:
            return method
        base = self.builtins["object"].namespace.get(name, REQUIRED)
        return REQUIRED if base is REQUIRED else self._bind(base, obj)

    @staticmethod
    def _builtin_data_method(obj: Any, name: str) -> Any:
        """A method of the container an instance derives from, run on its data. `__init__` fills the data
        as the container's own does (`super().__init__(mapping)` in a `dict` subclass's constructor);
        what the container only inherits from `object` (`__setattr__`, `__getattribute__`) is not its own
        and is left to `object`. The container's errors (a missing key) are the analyzed code's."""
        data = obj.attrs.get(BUILTIN_DATA) if isinstance(obj, Instance) else None
        if data is None or not hasattr(data, name) or name in ("__init_subclass__", "__class__"):
            return REQUIRED
        if getattr(type(data), name, None) is getattr(object, name, REQUIRED):
            return REQUIRED
        method = getattr(data, name)

        def run(interp: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
            if name == "__init__" and any(isinstance(v, (Unknown, Instance)) for v in [*args, *kwargs.values()]):
                return None  # contents the analysis cannot enumerate: the data stays as it was
            try:
                return method(*args, **kwargs)
            except (KeyError, IndexError, ValueError, TypeError) as exc:
                raise AnalyzedException(type(exc).__name__, str(exc), site or interp.current) from None

        return NativeFunction(f"{type(data).__name__}.{name}", run)

    def set_attribute(self, obj: Any, name: str, value: Any, site: Location) -> None:
        if isinstance(obj, Instance):
            attribute = obj.cls.lookup(name)
            if isinstance(attribute, Property):
                if attribute.fset is None:
                    message = f"property '{name}' of '{obj.cls.name}' object has no setter"
                    self.raise_error("AttributeError", message, site)
                self.call(attribute.fset, [obj, value], {}, site)
                return
            setter = obj.cls.lookup("__setattr__")
            if setter is not REQUIRED and setter is not self.builtins["object"].namespace["__setattr__"]:
                self.call(BoundMethod(setter, obj), [name, value], {}, site)
            else:
                obj.attrs[name] = value
        elif isinstance(obj, ClassObject):
            obj.namespace[name] = value
        elif isinstance(obj, (Namespace, Function)):
            obj.attrs[name] = value
        elif isinstance(obj, NativeValue):
            try:
                obj.sf_setattr(self, name, value, site)
            except NotImplementedError:
                self.report(SF301, f"setting '{name}' on {obj!r} is not modelled; ignored", site)

    # ----------------------------------------------------------------- calls
    def call(self, callee: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
        kind = type(callee)  # the frequent kinds first, by exact type; the checks below decide the rest
        if kind is NativeFunction:
            return callee.impl(self, args, kwargs, site)
        if kind is Function:
            return self.call_function(callee, args, kwargs, site)
        if kind is BoundMethod:
            function = callee.function
            if type(function) is Function:
                return self.call_function(function, [callee.self_value, *args], kwargs, site)
            return self.call(function, [callee.self_value, *args], kwargs, site)
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
        for name, value in bound.items():
            if isinstance(value, DeferredDefault):
                if value.value is REQUIRED:
                    value.value = self.eval(value.node, value.scope)
                bound[name] = value.value
        elide = self.hooks.get("elide")
        if elide is not None:
            skipped = elide(function, bound, site)
            if skipped is not REQUIRED:
                return skipped
        scope = Scope(
            function.source, function.scope.globals, vars=bound, parent=function.scope, qualname=function.qualname
        )
        if function.is_generator is None:
            function.is_generator = is_generator(function)  # on first call: most functions are never called
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
            node = function.node
            if type(node) is ast.Lambda:
                return self.eval(node.body, scope)
            self.exec_block(function.source.body(node), scope)
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
        abstract = cls.metadata.get("abstract_methods")
        if abstract:
            names = ", ".join(f"'{name}'" for name in abstract)
            self.raise_error(
                "TypeError", f"Can't instantiate abstract class {cls.name} with abstract methods {names}", site
            )
        obj = Instance(cls, origin=site)
        init = cls.lookup("__init__")
        own_init = init is not REQUIRED and init is not self.builtins["object"].namespace["__init__"]
        if not own_init and any(Property in klass.metadata.get("builtin_bases", ()) for klass in cls.mro):
            # `class classproperty(property)`: property's own fields, for the subclass's `__get__`
            fget = args[0] if args else kwargs.get("fget")
            obj.attrs.update(fget=fget, fset=args[1] if len(args) > 1 else kwargs.get("fset"), fdel=None)
            return obj
        container = builtin_container(cls)
        if container is not None:  # `class Registry(dict)`: the dict's own data, beside the attributes
            if own_init or any(isinstance(value, Unknown) for value in [*args, *kwargs.values()]):
                obj.attrs[BUILTIN_DATA] = container()
            else:
                obj.attrs[BUILTIN_DATA] = container(*args, **kwargs)
                return obj
        if init is not REQUIRED:
            result = self.call(BoundMethod(init, obj), args, kwargs, site)
            if isinstance(result, Unknown):
                self.report_unknown(result, f"constructing {cls.name}", site)
        return obj
