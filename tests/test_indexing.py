"""Indexing, rule by rule (torch's rules, NumPy's but for plain ints, which always select): the shape each
index form gives, and the error torch raises where it raises. tests/test_indexing_crosscheck.py checks the
same rules against torch on a generated corpus."""

from __future__ import annotations

import pytest

from staticflops.catalog import ShapeError
from staticflops.torchmodel.indexing import Indexed, IndexTensor, check_assignment, index_shape
from tests.conftest import codes

X = (3, 4, 5)


def shape(index, of=X):
    return index_shape(of, index).shape


def ints(*dims: int, values=None) -> IndexTensor:
    return IndexTensor(dims, False, values)


def mask(*dims: int, values=None) -> IndexTensor:
    return IndexTensor(dims, True, values)


def raises(index, message: str, of=X) -> None:
    with pytest.raises(ShapeError, match=message) as error:
        index_shape(of, index)
    assert error.value.code.code == "SF205"


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, (4, 5)),
        (-1, (4, 5)),
        ((0, 1), (5,)),
        ((0, 1, 2), ()),
        (slice(None), (3, 4, 5)),
        ((slice(1, None), slice(None, None, 2)), (2, 2, 5)),  # x[1:, ::2]
        ((slice(None), slice(-3, -1)), (3, 2, 5)),  # negative bounds
        (slice(-10, 10), (3, 4, 5)),  # out-of-range bounds clamp
        (slice(5, 1), (0, 4, 5)),  # an empty slice
        (slice(None, None, 4), (1, 4, 5)),
        (None, (1, 3, 4, 5)),
        ((None, ..., None), (1, 3, 4, 5, 1)),
        ((..., 0), (3, 4)),
        ((0, ..., 0), (4,)),
        ((..., ...)[:1], (3, 4, 5)),
        ((slice(None), None, 0), (3, 1, 5)),
    ],
)
def test_basic_indexing(index, expected) -> None:
    assert shape(index) == expected


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        ([0, 2], (2, 4, 5)),  # a list indexes dimension 0
        ((slice(None), [-1], slice(None)), (3, 1, 5)),  # a GPT's inference head: x[:, [-1], :]
        ((slice(None), [[0, 1], [2, 3]]), (3, 2, 2, 5)),  # a nested list: its shape replaces the dimension
        (ints(2, 6), (2, 6, 4, 5)),  # an integer tensor of unknown values: its shape is known
        ((ints(2), ints(2)), (2, 5)),  # adjacent advanced indices: in place, broadcast together
        ((slice(None), ints(2, 1), ints(3)), (3, 2, 3)),  # broadcast (2, 1) with (3,)
        ((ints(2), slice(None), ints(2)), (2, 4)),  # separated by a slice: the index dimensions go first
        ((ints(2), None, ints(2)), (2, 1, 5)),  # ... or by None
        ((ints(2), ..., ints(2)), (2, 4)),  # ... or by an ellipsis that stands for a dimension
        ((ints(2), 0, ints(2)), (2,)),  # an int selects first, so it does not separate them
        ((0, slice(None), [1, 2]), (4, 2)),  # torch, not NumPy: the int is not an advanced index ((2, 4) in NumPy)
        ((ints(), slice(None), [1, 2]), (4, 2)),  # a 0-d integer tensor selects like an int
        (([0, 1], slice(1, 3), [[0], [1]]), (2, 2, 2)),
        ([], (0, 4, 5)),
        ([[0, 1], [1, 2]], (2, 5)),  # a short list holding lists is a tuple (torch's legacy rule)
        ([0, slice(None)], (4, 5)),
    ],
)
def test_advanced_indexing(index, expected) -> None:
    assert shape(index) == expected


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (True, (1, 3, 4, 5)),  # a Python bool: a mask of no dimensions
        (False, (0, 3, 4, 5)),
        (([0, 1], True), (2, 4, 5)),
        ([True, False, True], (2, 4, 5)),  # a list of bools is a mask with known values
        (mask(3, 4, values=(True,) * 5 + (False,) * 7), (5, 5)),  # a constant mask: its true elements
        (mask(3), (None, 4, 5)),  # a mask of unknown values: the data decides
        ((slice(None), mask(4, 5)), (3, None)),
        (mask(3, 4, 5), (None,)),
        (mask(), (None, 3, 4, 5)),  # a 0-d mask: 0 or 1
    ],
)
def test_boolean_masks(index, expected) -> None:
    assert shape(index) == expected


def test_a_masks_result_carries_its_bound() -> None:
    assert index_shape(X, (slice(None), mask(4, 5))) == Indexed((3, None), bound=20)
    assert index_shape(X, mask(3, 4)).bound == 12


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (3, "index 3 is out of bounds for dimension 0 with size 3"),
        ((0, -5), "index -5 is out of bounds for dimension 1 with size 4"),
        ((0, 0, 0, 0), "too many indices for tensor of dimension 3"),
        ((..., ...), r"an index can only have a single ellipsis \('...'\)"),
        (slice(None, None, 0), "slice step cannot be zero"),
        (slice(None, None, -1), "step must be greater than zero"),
        ([3], "index 3 is out of bounds for dimension 0 with size 3"),
        ((slice(None), ints(1, values=(4,))), "index 4 is out of bounds for dimension 1 with size 4"),
        (
            (ints(2), ints(3)),
            r"indexing tensors could not be broadcast together with shapes \[2\], \[3\]",
        ),
        (mask(2), r"The shape of the mask \[2\] at index 0 does not match the shape of the indexed tensor \[3, 4, 5\]"),
        ((False, [0, 1]), r"could not be broadcast together with shapes \[0\], \[2\]"),
        (1.5, "only integers, slices"),
    ],
)
def test_errors_are_torchs(index, message) -> None:
    raises(index, message)


def test_a_zero_dim_tensor_takes_no_int() -> None:
    raises(0, "invalid index of a 0-dim tensor", of=())
    assert shape(None, of=()) == (1,)
    assert shape(..., of=()) == ()


def test_an_out_of_bounds_index_into_an_empty_result_is_not_checked() -> None:
    # torch's gather kernel checks the values; with nothing to gather it never runs
    assert shape(([5], slice(3, None)), of=(2, 2)) == (1, 0)
    raises((slice(None), [0]), "index is out of bounds for dimension with size 0", of=(2, 0))


@pytest.mark.parametrize(
    ("index", "value", "fits"),
    [
        ((slice(None), 0), (3, 5), True),
        ((slice(None), 0), (5,), True),  # broadcast
        ((slice(None), 0), (1, 1, 3, 5), True),  # leading 1s are dropped first
        ((slice(None), 0), (), True),
        (mask(3), (5,), True),  # through a mask: fits whatever its true elements
        (mask(3), (2, 4, 5), False),  # ... unless the value's size must meet theirs: the data decides
    ],
)
def test_assignment_broadcasts_the_value(index, value, fits) -> None:
    assert check_assignment(index_shape(X, index), value) is fits


def test_assignment_of_a_value_that_does_not_broadcast() -> None:
    with pytest.raises(ShapeError, match=r"value tensor of shape \[4\] cannot be broadcast to indexing result of "):
        check_assignment(index_shape(X, (slice(None), 0)), (4,))


def test_indexing_in_forward(analyze_source) -> None:
    """A GPT's inference head keeps everything after it known; a mask is said to depend on the data."""
    model = analyze_source(
        """
        import torch
        import torch.nn as nn

        class Head(nn.Module):
            def __init__(self):
                super().__init__()
                self.lm_head = nn.Linear(16, 50)

            def forward(self, x):
                x[:, 0] = torch.zeros(16)
                logits = self.lm_head(x[:, [-1], :])
                kept = logits[logits > 0]
                return logits
        """,
        inputs=[(2, 8, 16)],
    )
    head = next(layer for layer in model.layers if layer.type == "Linear")
    assert head.output == (2, 1, 50)
    assert head.flops == 2 * 1 * 50 * 16 * 2
    (masked,) = [d for d in model.diagnostics if d.code.code == "SF301"]
    assert "at most 100" in masked.message and "shape [?]" in masked.message


def test_index_errors_are_reported_at_the_subscript(analyze_source) -> None:
    model = analyze_source(
        """
        import torch.nn as nn

        class M(nn.Module):
            def forward(self, x):
                return x[:, :, [0, 1]]
        """,
        inputs=[(2, 3)],
    )
    assert codes(model) == ["SF205"]
    assert "too many indices for tensor of dimension 2" in model.diagnostics[0].message


# ---------------------------------------------------------------- the index, select and sort ops


def forward(analyze_source, body: str, inputs):
    arguments = ", ".join("xyzw"[: len(inputs)])
    return analyze_source(
        f"""
        import torch
        import torch.nn as nn

        class M(nn.Module):
            def forward(self, {arguments}):
                {body}
        """,
        inputs=inputs,
    )


@pytest.mark.parametrize(
    ("body", "inputs", "message"),
    [
        (
            "return x.gather(1, y)",
            [(2, 5), (3, 2)],
            "gather(): Size does not match at dimension 0 expected index [3, 2]",
        ),
        ("return x.gather(1, y)", [(2, 5), (2,)], "gather(): Index tensor must have the same number of dimensions"),
        ("return x.index_select(0, y)", [(2, 5), (2, 2)], "index_select(): Index is supposed to be a vector"),
        ("return x.scatter_add(0, y, z)", [(3, 5), (2, 5), (1, 5)], "Expected index [2, 5] to be no larger than src"),
        ("return x.narrow(1, 3, 3)", [(2, 5)], "start (3) + length (3) exceeds dimension size (5)"),
        ("return x.select(0, 2)", [(2, 5)], "select(): index 2 out of range for tensor of size [2, 5] at dimension 0"),
        ("return x.kthvalue(6)", [(2, 5)], "kthvalue(): selected number k (6) out of range"),
        ("return torch.rot90(x, 1, (0, 0))", [(2, 5)], "expected rotation dims to be different"),
        ("return x.index_add(0, y, z)", [(5, 3), (2,), (3, 3)], "index_add(): source [3, 3] does not fit self [5, 3]"),
        ("return x.index_put((y, y, y), z)", [(5, 3), (2,), (4,)], "too many indices for tensor of dimension 2"),
    ],
)
def test_op_shape_errors(analyze_source, body, inputs, message) -> None:
    model = forward(analyze_source, body, inputs)
    errors = [d for d in model.diagnostics if d.severity == "error"]
    assert len(errors) == 1 and errors[0].code.code.startswith("SF2"), model.diagnostics
    assert message in errors[0].message


def test_data_dependent_ops_say_so_with_their_bound(analyze_source) -> None:
    model = forward(
        analyze_source,
        "rows, cols = torch.nonzero(x > 0, as_tuple=True)\n"
        "                picked = torch.masked_select(x, x > 0)\n"
        "                kinds = torch.unique(x, dim=1)\n"
        "                return x.sort(dim=1).values + x.argsort()",
        [(4, 6)],
    )
    messages = [d.message for d in model.diagnostics if d.code.code == "SF301"]
    assert any("nonzero: its output's shape depends on the data (shape of unknown rank" in m for m in messages)
    assert any("masked_select: its output's shape depends on the data (shape [?]" in m and "at most 24" in m
               for m in messages)  # fmt: skip
    assert any("unique: its output's shape depends on the data (shape [4, ?]" in m and "at most 6" in m
               for m in messages)  # fmt: skip
    assert model.layers[-1].output == (4, 6)


def test_unique_of_a_constant_is_still_computed(analyze_source) -> None:
    model = forward(analyze_source, "return x[:, : torch.unique(torch.tensor([3, 1, 3])).numel()] * 1", [(2, 5)])
    assert model.diagnostics == []
    assert model.layers[-1].output == (2, 2)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("torch.repeat_interleave(x, torch.tensor([1, 2]), dim=0)", (3, 5)),
        ("x.repeat_interleave(torch.tensor(3), dim=1)", (2, 15)),
        ("torch.repeat_interleave(x, torch.tensor([0, 1, 2, 0, 1]), dim=1)", (2, 4)),
    ],
)
def test_repeat_interleave_by_known_counts(analyze_source, body, expected) -> None:
    model = forward(analyze_source, f"return {body} * 1", [(2, 5)])
    assert model.diagnostics == []
    assert model.layers[-1].output == expected


def test_repeat_interleave_by_counts_not_known(analyze_source) -> None:
    model = forward(analyze_source, "return torch.repeat_interleave(x, y.long(), dim=0)", [(2, 5), (2,)])
    assert codes(model) == ["SF301"]


def test_a_logical_ops_result_is_a_mask(analyze_source) -> None:
    model = forward(analyze_source, "return x[torch.logical_and(x > 0, x < 1)] * 1", [(2, 5)])
    (masked,) = [d for d in model.diagnostics if d.code.code == "SF301"]
    assert "boolean mask" in masked.message and "at most 10" in masked.message


def test_a_constant_indexed_keeps_its_values(analyze_source) -> None:
    """`widths[[0, 2]]`, `table[mask]` of constants: the values are picked, so sizes built from them are known."""
    model = forward(
        analyze_source,
        "widths = torch.tensor([[8, 16, 32], [4, 2, 1]])\n"
        "                picked = widths[:, [0, 2]][0]\n"
        "                kept = widths[0][torch.tensor([True, False, True])]\n"
        "                return x[:, : picked[1].item()] * 1, x[:, : kept.tolist()[0]] * 1",
        [(2, 40)],
    )
    assert model.diagnostics == [], [d.message for d in model.diagnostics]
    assert [layer.output for layer in model.layers[-2:]] == [(2, 32), (2, 8)]  # picked [8, 32], kept [8, 32]
