"""`huggingface_hub.dataclasses`, the one module of `huggingface_hub` the analyzer models itself.

transformers' configuration classes are `@strict` dataclasses whose fields may carry validators
(`initializer_range: float = interval(min=0.0, max=1.0)(default=0.02)`). Validation checks a
configuration; it computes nothing a model's size or cost depends on, and reading it from source would
need typing's runtime introspection of every annotation (`get_origin(list[str] | None)`). So here
`strict` leaves the class as written (transformers' `PreTrainedConfig.__init_subclass__` already makes
each subclass a dataclass that accepts extra keywords), a validated field is a plain field with its
default, and the validators accept everything: a config.json is taken as valid. Every other module of
`huggingface_hub` is read from source when installed.
"""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.evaluator import Interpreter, NativeModules
from staticflops.interpreter.stdlib._support import Args, Kwargs, identity_decorator, no_op
from staticflops.interpreter.values import Namespace, NativeFunction
from staticflops.source import Location

FIELD_OPTIONS = ("default", "default_factory", "init", "repr", "hash", "compare", "metadata", "kw_only")


def _dataclasses_field(interp: Interpreter, kwargs: Kwargs, site: Location) -> Any:
    module = interp.import_module("dataclasses", site)
    options = {name: value for name, value in kwargs.items() if name in FIELD_OPTIONS}
    return interp.call(interp.get_attribute(module, "field", site), [], options, site)


def _validated_field(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`validated_field(validator, default=...)`: the field, without its validator."""
    return _dataclasses_field(interp, kwargs, site)


def _as_validated_field(interp: Any, args: Args, kwargs: Kwargs, site: Location) -> Any:
    """`@as_validated_field def check(value)`: a factory of fields, `check(default=8)`."""
    return NativeFunction(
        "huggingface_hub.dataclasses.validated_field", lambda i, a, k, s: _dataclasses_field(i, k, s)
    )


def _hub_dataclasses(interp: Interpreter) -> Namespace:
    return Namespace(
        "huggingface_hub.dataclasses",
        {
            "strict": identity_decorator("huggingface_hub.dataclasses.strict"),
            "validated_field": NativeFunction("huggingface_hub.dataclasses.validated_field", _validated_field),
            "as_validated_field": NativeFunction("huggingface_hub.dataclasses.as_validated_field", _as_validated_field),
            "validate_typed_dict": no_op("huggingface_hub.dataclasses.validate_typed_dict"),
            "type_validator": no_op("huggingface_hub.dataclasses.type_validator"),
        },
    )


def install_huggingface_hub(interp: Interpreter, natives: NativeModules) -> None:
    """Model `huggingface_hub.dataclasses` (only that module: the rest of the package is read from source)."""
    natives.factories["huggingface_hub.dataclasses"] = _hub_dataclasses
