"""Complex tensors as rotary embeddings use them (LLaMA's `precompute_freqs_cis`): a complex table
built with `torch.polar`, and real tensors viewed as complex pairs and back.

`view_as_complex` and `view_as_real` are views: no work. `polar` and `complex` build one complex
element per output element from two real ones, one operation each under the seed convention, as
every elementwise op (torch's counter prices none of them).
"""

from __future__ import annotations

from typing import Any

from staticflops.catalog.elementwise import broadcast
from staticflops.catalog.spec import FREE, Example, OpSpec, Shape, Work, WorkKind, numel, require
from staticflops.interpreter.calls import signature

COMPLEX_OF = {"float32": "complex64", "float64": "complex128", "float16": "complex32"}
REAL_OF = {complex_: real for real, complex_ in COMPLEX_OF.items()}


def _complex_of(dtype: str) -> str:
    return COMPLEX_OF.get(dtype, "complex64")


def _real_of(dtype: str) -> str:
    return REAL_OF.get(dtype, "float32")


def _as_complex_shape(bound: dict[str, Any]) -> Shape:
    x = bound["input"]
    require(bool(x) and x[-1] == 2, f"view_as_complex(): the last dimension must have size 2, got shape {list(x)}")
    return x[:-1]


def _as_real_shape(bound: dict[str, Any]) -> Shape:
    return (*bound["input"], 2)


def _pairs_shape(first: str, second: str) -> Any:
    def rule(bound: dict[str, Any]) -> Shape:
        return broadcast(bound[first], bound[second])

    return rule


def _per_output(bound: dict[str, Any], out: Shape) -> Work:
    return Work(WorkKind.ELEMENTWISE, outputs=numel(out), inputs=numel(out))


def _view(qualname: str, output: Any, example: Example, dtype: Any) -> OpSpec:
    return OpSpec(qualname, signature("input"), ("input",), output, lambda b, out: FREE, (example,), result_dtype=dtype)


def _build(name: str, first: str, second: str) -> OpSpec:
    example = Example(f"torch.{name}(x, y)", ((4, 3), (3,)), (4, 3), 0, 12, 0)
    return OpSpec(
        f"torch.{name}",
        signature(f"{first}, {second}, *, out", out=None),
        (first, second),
        _pairs_shape(first, second),
        _per_output,
        (example,),
        result_dtype=_complex_of,
    )


SPECS = (
    _view(
        "torch.view_as_complex",
        _as_complex_shape,
        Example("torch.view_as_complex(x)", ((4, 3, 2),), (4, 3), 0, 0, 0),
        _complex_of,
    ),
    _view(
        "torch.view_as_real",
        _as_real_shape,
        Example("torch.view_as_real(torch.view_as_complex(x))", ((4, 3, 2),), (4, 3, 2), 0, 0, 0),
        _real_of,
    ),
    _build("polar", "abs", "angle"),
    _build("complex", "real", "imag"),
)
