"""torch's dtypes and devices as values: strings (`"float32"`, `"cpu"`), so comparisons and `str()` stay
plain, with the attributes code asks of them (`dtype.is_floating_point`, `device.type`) and
`torch.finfo`/`torch.iinfo`."""

from __future__ import annotations

from typing import Any

from staticflops.interpreter.values import Instance

CANONICAL = {"float": "float32", "half": "float16", "double": "float64", "long": "int64", "int": "int32",
             "short": "int16", "cfloat": "complex64", "cdouble": "complex128"}  # fmt: skip
BITS = {"float32": 32, "float16": 16, "bfloat16": 16, "float64": 64, "int64": 64, "int32": 32, "int16": 16,
        "int8": 8, "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64, "bool": 8, "complex64": 64,
        "complex128": 128}  # fmt: skip
TYPE_NAMES = {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor", "float16": "torch.HalfTensor",
              "bfloat16": "torch.BFloat16Tensor", "int64": "torch.LongTensor", "int32": "torch.IntTensor",
              "int16": "torch.ShortTensor", "int8": "torch.CharTensor", "uint8": "torch.ByteTensor",
              "bool": "torch.BoolTensor"}  # fmt: skip
"""What `x.type()` answers for a CPU tensor of each dtype."""
FLOAT_INFO = {
    "float32": {"eps": 1.1920928955078125e-07, "max": 3.4028234663852886e38, "tiny": 1.1754943508222875e-38},
    "float16": {"eps": 0.0009765625, "max": 65504.0, "tiny": 6.103515625e-05},
    "bfloat16": {"eps": 0.0078125, "max": 3.3895313892515355e38, "tiny": 1.1754943508222875e-38},
    "float64": {"eps": 2.220446049250313e-16, "max": 1.7976931348623157e308, "tiny": 2.2250738585072014e-308},
}


class DType(str):
    """A dtype: equal to its name; `is_floating_point`, `is_complex`, `is_signed`, `itemsize`."""

    sf_attributes = frozenset(["is_floating_point", "is_complex", "is_signed", "itemsize"])

    @property
    def is_floating_point(self) -> bool:
        return CANONICAL.get(self, str(self)).startswith(("float", "bfloat"))

    @property
    def is_complex(self) -> bool:
        return CANONICAL.get(self, str(self)).startswith("complex")

    @property
    def is_signed(self) -> bool:
        return not CANONICAL.get(self, str(self)).startswith(("uint", "bool"))

    @property
    def itemsize(self) -> int:
        return BITS.get(CANONICAL.get(self, str(self)), 32) // 8


def dtype(name: str) -> DType:
    """`torch.long` is `torch.int64` (equal, and the same name in every tensor made with it)."""
    return DType(CANONICAL.get(name, name))


class Device(str):
    """A device (`tensor.device`, `torch.device("cuda:0")`): equal to its name, so `device == "cpu"` stays
    plain, with torch's `type` and `index` (`boxes.device.type == "cpu"`)."""

    sf_attributes = frozenset(["type", "index"])

    @property
    def type(self) -> str:
        return str(self).split(":", 1)[0]

    @property
    def index(self) -> int | None:
        _, _, index = str(self).partition(":")
        return int(index) if index.isdigit() else None


def device(interp: Any, args: list[Any], kwargs: dict[str, Any], site: Any) -> Any:
    """`torch.device("cuda")`, `("cuda", 0)`, `("cuda:0")`, `(type="cpu")` or of another device."""
    kind = args[0] if args else kwargs.get("type", "cpu")
    index = args[1] if len(args) > 1 else kwargs.get("index")
    if not isinstance(kind, str):
        return kind
    return Device(f"{kind}:{index}" if isinstance(index, int) and ":" not in kind else kind)


def type_info(interp: Any, name: Any, floating: bool) -> Instance:
    """`torch.finfo(dtype)` / `torch.iinfo(dtype)`: the numbers torch reports for it."""
    canonical = CANONICAL.get(str(name), str(name)) if name is not None else "float32"
    bits = BITS.get(canonical, 32)
    attrs: dict[str, Any] = {"bits": bits, "dtype": canonical}
    if floating:
        info = FLOAT_INFO.get(canonical, FLOAT_INFO["float32"])
        attrs.update(info, min=-info["max"], smallest_normal=info["tiny"], resolution=info["eps"])
    else:
        signed = not canonical.startswith(("uint", "bool"))
        attrs.update(max=2 ** (bits - 1) - 1 if signed else 2**bits - 1, min=-(2 ** (bits - 1)) if signed else 0)
    return Instance(interp.builtins["object"], attrs)
