"""Equal records share one copy (`staticflops.interning`), and only values equal in type too: a report
must not say `bias=1` where the code said `bias=True`, nor lose the formula of a symbolic size."""

from __future__ import annotations

import pytest

from staticflops.interning import Interned
from staticflops.symbolic.expr import Poly
from staticflops.symbolic.values import Ledger, SymInt


@pytest.mark.parametrize("symbolic", [False, True])
def test_equal_mappings_are_one_copy(symbolic: bool) -> None:
    table = Interned(symbolic=symbolic)
    first = table.mapping({"kernel_size": (3, 3), "bias": True})
    assert table.mapping({"kernel_size": (3, 3), "bias": True}) is first


@pytest.mark.parametrize("symbolic", [False, True])
@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"bias": True}, {"bias": 1}),
        ({"p": 1}, {"p": 1.0}),
        ({"eps": 0.0}, {"eps": -0.0}),
        ({"size": (2, 2)}, {"size": [2, 2]}),
    ],
)
def test_mappings_equal_in_python_but_not_in_type_stay_apart(
    symbolic: bool, one: dict[str, object], other: dict[str, object]
) -> None:
    table = Interned(symbolic=symbolic)
    table.mapping(one)
    kept = table.mapping(other)
    assert repr(kept) == repr(other)


def test_a_symbolic_size_is_never_replaced_by_an_equal_plain_int() -> None:
    table = Interned(symbolic=True)
    table.mapping({"size": 224})
    table.value((1, 3, 224, 224))
    height = SymInt(224, Poly.dim("H"), Ledger())
    assert table.mapping({"size": height})["size"] is height
    assert table.value((1, 3, height, 224))[2] is height
