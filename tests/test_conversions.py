"""Tensor conversions, shape queries and factories: what they return is what torch returns.

Each case is a forward() on inputs x, y whose output's shape depends on the answer (a dtype's element
size, a count, a legacy type's name), so the shape says the conversion was modelled; with torch
installed, torch computes the same shape."""

from __future__ import annotations

import pytest

from tests.test_catalog_examples import op_source

CASES: list[tuple[str, tuple[tuple[int, ...], ...], tuple[int, ...]]] = [
    # casts: the dtype's element size
    ("x.view(x.half().element_size(), -1)", ((8,),), (2, 4)),
    ("x.view(x.bfloat16().element_size(), -1)", ((8,),), (2, 4)),
    ("x.view(x.double().element_size(), -1)", ((8,),), (8, 1)),
    ("x.view(x.char().element_size(), -1)", ((8,),), (1, 8)),
    ("x.view(x.to(torch.float16).element_size(), -1)", ((8,),), (2, 4)),
    ("x.view(x.to('cpu', torch.float64).element_size(), -1)", ((8,),), (8, 1)),
    ("x.view(x.to(y.long()).element_size(), -1)", ((8,), (1,)), (8, 1)),
    ("x.view(x.to(dtype=torch.int8).element_size(), -1)", ((8,),), (1, 8)),
    ("x.view(x.to('cpu').element_size(), -1)", ((8,),), (4, 2)),
    ("x.view(x.type(torch.int16).element_size(), -1)", ((8,),), (2, 4)),
    ("x.view(x.type('torch.DoubleTensor').element_size(), -1)", ((8,),), (8, 1)),
    ("x.view(x.type(torch.HalfTensor).element_size(), -1)", ((8,),), (2, 4)),
    # x.type() names the legacy type: 'torch.FloatTensor' has 17 characters, 'torch.LongTensor' 16
    ("x.view(len(x.type()), -1)", ((17,),), (17, 1)),
    ("x.view(len(x.long().type()), -1)", ((16,),), (16, 1)),
    ("x.view(x.type_as(y.half()).element_size(), -1)", ((8,), (1,)), (2, 4)),
    ("x.view(x.new_zeros(2, dtype=torch.int8).element_size(), -1)", ((8,),), (1, 8)),
    ("x.view(x.new_full((2,), 1.0).element_size(), -1)", ((8,),), (4, 2)),
    ("x.view(x.half().new_ones(3).element_size(), -1)", ((8,),), (2, 4)),
    # factories: their dtype and size
    ("x.view(torch.full((2,), 3).element_size(), -1)", ((8,),), (8, 1)),
    ("x.view(torch.full((2,), True).element_size(), -1)", ((8,),), (1, 8)),
    ("x.view(torch.zeros_like(y.half()).element_size(), -1)", ((8,), (1,)), (2, 4)),
    ("x.view(torch.ones_like(y, dtype=torch.float64).element_size(), -1)", ((8,), (1,)), (8, 1)),
    ("x.view(torch.zeros(2, dtype=torch.half).element_size(), -1)", ((8,),), (2, 4)),
    ("x.view(torch.arange(start=0, end=4, step=2).numel(), -1)", ((8,),), (2, 4)),
    ("x.view(torch.arange(end=4).numel(), -1)", ((8,),), (4, 2)),
    ("x.view(torch.linspace(0, 1, 4, dtype=torch.float64).element_size(), -1)", ((8,),), (8, 1)),
    ("x.view(torch.logspace(0, 2, 4).numel(), -1)", ((8,),), (4, 2)),
    ("x.view(int(torch.logspace(0, 2, 3)[2].item()) // 50, -1)", ((8,),), (2, 4)),
    ("x.view(torch.empty_strided((2, 4), (4, 1)).shape)", ((8,),), (2, 4)),
    ("x.view(torch.eye(2, 4).shape)", ((8,),), (2, 4)),
    # torch.long is torch.int64, torch.half is torch.float16: the same dtype, whichever name made it
    ("x.view(2 if torch.tensor([1.5], dtype=torch.long).dtype == torch.int64 else 1, -1)", ((8,),), (2, 4)),
    ("x.view(2 if x.half().dtype == torch.float16 else 1, -1)", ((8,),), (2, 4)),
    ("x.view(int(torch.tensor([2.7], dtype=torch.long).item()), -1)", ((8,),), (2, 4)),
    # shape queries
    ("x.view(int(x.is_contiguous()) + 1, -1)", ((8,),), (2, 4)),
    ("x.view(x.dim() + x.ndim, -1)", ((8,),), (2, 4)),
    ("x.view(x.numel() // 4, x.nelement() // 2)", ((8,),), (2, 4)),
    ("x.view(x.element_size(), -1)", ((8,),), (4, 2)),
    ("x.detach().cpu().clone().requires_grad_().contiguous().view(2, 4)", ((8,),), (2, 4)),
    # ops on shapes
    ("x.unfold(0, 2, 2)", ((8,),), (4, 2)),
    ("torch.meshgrid(x, y, indexing='xy')[0]", ((2,), (3,)), (3, 2)),
    ("torch.meshgrid(x, y, indexing='ij')[1]", ((2,), (3,)), (2, 3)),
    ("torch.diag(x)", ((3,),), (3, 3)),
    ("torch.diag(x, -1)", ((3, 4),), (2,)),
    ("x.diagonal(1)", ((3, 4),), (3,)),
    ("torch.diag_embed(x, 1, 0, 2)", ((2, 3),), (4, 2, 4)),
    ("torch.cartesian_prod(x)", ((3,),), (3,)),
    ("torch.cartesian_prod(x, y, x)", ((2,), (3,)), (12, 3)),
    ("torch.block_diag(x, y, x[0, 0])", ((2, 3), (4,)), (4, 8)),
    ("torch.combinations(x, with_replacement=True)", ((4,),), (10, 2)),
    ("torch.combinations(x, r=1)", ((4,),), (4, 1)),
    ("torch.tril(x, -1)", ((3, 4),), (3, 4)),
]


def _source(source: str, inputs) -> str:
    from staticflops.catalog import Example

    return op_source(Example(source, tuple(inputs), (), 0, 0, 0))


@pytest.mark.parametrize(("source", "inputs", "output"), CASES, ids=[c[0] for c in CASES])
def test_conversions_and_factories(source, inputs, output, analyze_source) -> None:
    model = analyze_source(_source(source, inputs), model="M", inputs=list(inputs))
    assert model.diagnostics == []
    assert model.flops == 0
    assert model.layers[-1].output == output


@pytest.mark.torch
@pytest.mark.parametrize(("source", "inputs", "output"), CASES, ids=[c[0] for c in CASES])
def test_torch_agrees(source, inputs, output) -> None:
    torch = pytest.importorskip("torch")
    namespace = {"torch": torch, **{name: torch.ones(shape) for name, shape in zip("xy", inputs, strict=False)}}
    with torch.no_grad():
        result = eval(source, namespace)  # our own test text, not analyzed code
    if isinstance(result, (tuple, list)):
        result = result[0]
    assert tuple(result.shape) == output
