"""The standard-library modules model code leans on, as the interpreter provides them.

One file per modelled module, as typeshed lays out its stubs: `collections.py` holds
`defaultdict`, `dataclasses.py` the generated `__init__`. A standard module not listed in
`MODULES` is `Unknown` to the analyzed code, and so is what it computes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from staticflops.interpreter.stdlib.abc import abc_module
from staticflops.interpreter.stdlib.collections import collections_abc_module, collections_module
from staticflops.interpreter.stdlib.contextlib import ContextValue, contextlib_module
from staticflops.interpreter.stdlib.copy import copy_module, copy_value
from staticflops.interpreter.stdlib.dataclasses import dataclasses_module
from staticflops.interpreter.stdlib.enum import enum_module
from staticflops.interpreter.stdlib.functools import Partial, functools_module
from staticflops.interpreter.stdlib.importlib import (
    importlib_metadata_module,
    importlib_module,
    importlib_util_module,
)
from staticflops.interpreter.stdlib.inspect import inspect_module
from staticflops.interpreter.stdlib.itertools import itertools_module
from staticflops.interpreter.stdlib.logging import logging_module
from staticflops.interpreter.stdlib.math import math_module
from staticflops.interpreter.stdlib.operator import operator_module
from staticflops.interpreter.stdlib.os import os_module, os_path_module
from staticflops.interpreter.stdlib.re import re_module
from staticflops.interpreter.stdlib.sys import sys_module
from staticflops.interpreter.stdlib.types import types_module
from staticflops.interpreter.stdlib.typing import typing_module
from staticflops.interpreter.stdlib.warnings import warnings_module
from staticflops.interpreter.values import Namespace

__all__ = ["MODULES", "Partial", "copy_value", "install_stdlib"]

MODULES: dict[str, Callable[[Any], Namespace]] = {
    "abc": abc_module,
    "collections": collections_module,
    "collections.abc": collections_abc_module,
    "contextlib": contextlib_module,
    "copy": copy_module,
    "dataclasses": dataclasses_module,
    "enum": enum_module,
    "functools": functools_module,
    "importlib": importlib_module,
    "importlib.util": importlib_util_module,
    "importlib.metadata": importlib_metadata_module,
    "inspect": inspect_module,
    "itertools": itertools_module,
    "logging": logging_module,
    "math": math_module,
    "operator": operator_module,
    "os": os_module,
    "os.path": os_path_module,
    "re": re_module,
    "sys": sys_module,
    "types": types_module,
    "typing": typing_module,
    "typing_extensions": typing_module,
    "warnings": warnings_module,
    "__future__": lambda interp: Namespace("__future__", {"annotations": True}),
}
"""Module name → the factory that builds it on first import."""


def install_stdlib(interp: Any, natives: Any) -> None:
    interp.hooks["stdlib.null_context"] = ContextValue(None)
    natives.factories.update(MODULES)
