"""Shape-only tensors.

A `Tensor` knows its shape (None when unknown), its dtype, and which traced call
produced it, which is all the data flow graph needs. Its methods and operators are
catalog ops; anything else is reported as an unknown op.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from staticflops.catalog import DataDependent, Output, Shape
from staticflops.interpreter.values import REQUIRED, NativeFunction, NativeValue, Unknown
from staticflops.source import Location

# Methods that return the tensor itself (or an identical one) and do no arithmetic; in-place
# initializers (`normal_`, `zero_`) keep the shape.
SAME_TENSOR_METHODS = frozenset((
    "contiguous", "to", "cpu", "cuda", "detach", "detach_", "requires_grad_", "type_as", "clone", "pin_memory",
    "share_memory_", "__deepcopy__", "normal_", "uniform_", "zero_", "fill_", "copy_", "bernoulli_",
    "exponential_", "random_", "trunc_normal_",
))  # fmt: skip


class Tensor(NativeValue):
    __slots__ = ("dtype", "is_parameter", "shape", "source", "values")

    def __init__(
        self,
        shape: Shape | None,
        *,
        dtype: str = "float32",
        source: int | None = None,
        is_parameter: bool = False,
        values: tuple[Any, ...] | None = None,
    ) -> None:
        self.shape = shape
        self.values = values
        """The flattened data, for small tensors built from constants (see torchmodel.constants)."""
        self.dtype = dtype
        self.source = source
        """Index of the traced call that produced this tensor; None for inputs, parameters, constants."""
        self.is_parameter = is_parameter

    def __repr__(self) -> str:
        kind = "Parameter" if self.is_parameter else "Tensor"
        return f"{kind}({'?' if self.shape is None else list(self.shape)})"

    def numel(self) -> int | None:
        if self.shape is None:
            return None
        total = 1
        for size in self.shape:
            total *= size
        return total

    # The torch package supplies the op semantics; see torchmodel.ops.
    def sf_getattr(self, interp: Any, name: str, site: Location) -> Any:
        from staticflops.torchmodel.ops import tensor_attribute

        return tensor_attribute(interp, self, name, site)

    def sf_binop(self, interp: Any, op: str, other: Any, reflected: bool, site: Location) -> Any:
        from staticflops.torchmodel.ops import tensor_operator

        return tensor_operator(interp, self, op, other, reflected, site)

    def sf_compare(self, interp: Any, op: str, other: Any, site: Location) -> Any:
        from staticflops.torchmodel.ops import tensor_operator

        result = tensor_operator(interp, self, op, other, False, site)
        if isinstance(result, Tensor):
            result.dtype = "bool"
        return result

    def sf_unary(self, interp: Any, op: str, site: Location) -> Any:
        return Tensor(self.shape, dtype=self.dtype, source=self.source)

    def sf_getitem(self, interp: Any, index: Any, site: Location) -> Any:
        from staticflops.torchmodel.subscripts import tensor_index

        return tensor_index(interp, self, index, site)

    def sf_number(self) -> Any:
        return self.values[0] if self.values is not None and len(self.values) == 1 else None

    def sf_truth(self) -> bool | None:
        """`if remainder.any():` on a one-element constant is its value; otherwise the data decides."""
        return bool(self.values[0]) if self.values is not None and len(self.values) == 1 else None

    def sf_setitem(self, interp: Any, index: Any, value: Any, site: Location) -> None:
        """`x[:, 0::2] = ...` keeps the shape (the value must broadcast to what the index picks); the values it
        held are no longer known."""
        from staticflops.torchmodel.subscripts import tensor_setitem

        tensor_setitem(interp, self, index, value, site)

    def sf_copy(self) -> Tensor:
        """`copy.deepcopy`: a new tensor (a cloned layer owns new parameters, as in torch)."""
        return Tensor(
            self.shape, dtype=self.dtype, source=self.source, is_parameter=self.is_parameter, values=self.values
        )

    def sf_unpack(self, count: int) -> list[Any] | None:
        """`a, b = t` on a tensor of unknown shape: each target is a tensor of unknown shape."""
        if self.shape is None:
            return [Tensor(None, source=self.source) for _ in range(count)]
        return None

    def sf_iter(self, interp: Any, site: Location) -> Any:
        if self.shape is None or not self.shape:
            raise NotImplementedError
        rows = [Tensor(self.shape[1:], dtype=self.dtype, source=self.source) for _ in range(self.shape[0])]
        if self.values is not None:  # `[x.item() for x in torch.linspace(0, rate, depth)]`
            size = len(self.values) // self.shape[0] if self.shape[0] else 0
            for number, row in enumerate(rows):
                row.values = self.values[number * size : (number + 1) * size]
        return rows


def size_method(tensor: Tensor) -> NativeFunction:
    def size(interp: Any, args: list[Any], kwargs: dict[str, Any], site: Location) -> Any:
        if tensor.shape is None:
            return Unknown("the size of a tensor of unknown shape", site)
        dim = args[0] if args else kwargs.get("dim", REQUIRED)
        if dim is REQUIRED or dim is None:
            return tuple(tensor.shape)
        if isinstance(dim, Unknown):
            return dim
        try:
            return tensor.shape[dim]
        except (IndexError, TypeError):
            interp.raise_error("IndexError", f"dimension {dim} out of range for shape {list(tensor.shape)}", site)

    return NativeFunction("Tensor.size", size)


class ValuesIndices(NamedTuple):
    """What `torch.max(x, dim)`, `x.min(dim)` return: a pair whose items are also attributes."""

    values: Any
    indices: Any


class NamedResult(tuple):
    """One of torch's named tuples (`torch.return_types.linalg_qr`): a tuple whose items are also attributes by
    their names (`torch.linalg.qr(A).Q`), as `_fields` lists them."""

    _fields: tuple[str, ...]

    def __new__(cls, items: tuple[Any, ...], fields: tuple[str, ...]) -> NamedResult:
        result = super().__new__(cls, items)
        result._fields = fields[: len(items)]  # `torch.lu(A)`: (LU, pivots) without `get_infos`
        return result

    def __getattr__(self, name: str) -> Any:
        if name in self._fields:
            return self[self._fields.index(name)]
        raise AttributeError(name)


def tensors_for(output: Output | None, dtype: str, source: int | None) -> Any:
    """The value a call returns: a tensor, or a tuple of them for several outputs; an item whose size depends on the
    data (`DataDependent`, reported by the caller) is a tensor of unknown shape."""
    if isinstance(output, DataDependent):
        return Tensor(None, dtype=dtype, source=source)
    if isinstance(output, list):  # several outputs, possibly nested: an LSTM's (output, (h, c))
        return tuple(None if shape is None else tensors_for(shape, dtype, source) for shape in output)
    return Tensor(output, dtype=dtype, source=source)


class Buffer(Tensor):
    """`nn.Buffer(data, persistent=...)`: a tensor that a module attribute assignment registers as a
    buffer (`self.inv_freq = nn.Buffer(...)`), as `register_buffer` would."""

    __slots__ = ("persistent",)

    def __init__(self, data: Tensor, persistent: bool = True) -> None:
        super().__init__(data.shape, dtype=data.dtype, values=data.values)
        self.persistent = persistent


def read_sizes(values: tuple[Any, ...] | list[Any]) -> Any:
    """A sequence of sizes with 0-d integer tensors among them, as torch reads them (`Tensor.__index__`:
    `x.new_zeros((n, torch.div(s, w, rounding_mode="trunc") + 1))`): each such tensor its value, or Unknown
    where the value is not known statically. Other items, nested sequences' too, are kept."""
    items = []
    for item in values:
        if isinstance(item, (tuple, list)):
            item = read_sizes(item)
        elif isinstance(item, Tensor) and item.shape == () and (item.dtype or "").startswith(("int", "uint")):
            known = item.sf_number()
            item = known if isinstance(known, int) else Unknown(f"the value of a {item.dtype} tensor used as a size")
        items.append(item)
    return type(values)(items)
