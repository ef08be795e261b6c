"""Input shapes: reading `--input-shape`, and inferring one when none is given.

Inference, in order: channels (or features) from the layer that consumes the input in
a probe trace; then spatial size: the documented default (224, or 16×112×112 for 3D
convolutions), or, when a later layer pins it (a `Linear` after `flatten`), the
smallest size that satisfies it, found by bisection over traces.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from staticflops.catalog import LayerSpec, Shape, ShapeError
from staticflops.diagnostics import SF005, Diagnostic
from staticflops.errors import StaticFlopsError

DEFAULT_SPATIAL = {1: (224,), 2: (224, 224), 3: (16, 112, 112)}
MAX_SPATIAL = 4096
SOLVER_WINDOW = 64


class InputSource(StrEnum):
    GIVEN = "given"
    CONFIG = "config"
    USAGE = "usage"
    INFERRED = "inferred"
    DEFAULT = "default"


SEQUENCE_ATTRIBUTES = (
    "block_size", "max_seq_len", "max_seq_length", "seq_len", "context_length", "n_ctx", "n_positions",
    "max_position_embeddings", "max_len", "sequence_length",
)  # fmt: skip
"""Where models keep the sequence length a token-id input should have (a config's `block_size`)."""
DEFAULT_SEQUENCE = 128


def parse_input(text: str) -> tuple[str | None, Shape]:
    """`-i mask=1,196` names the forward() argument; `-i 1,3,224,224` is the next positional one."""
    name, _, spec = text.partition("=") if "=" in text else ("", "", text)
    name = name.strip()
    if name and not name.isidentifier():
        raise StaticFlopsError(Diagnostic(SF005, f"cannot read input '{text}': '{name}' is not an argument name"))
    return name or None, parse_shape(spec)


def parse_shape(text: str) -> Shape:
    """`1,3,224,224` as written; `3x224x224` gets batch 1 prepended."""
    spec = text.strip().replace(" ", "")
    if "=" in spec:
        spec = spec.split("=", 1)[1]
    spec = spec.strip("()[]")
    if re.fullmatch(r"\d+(x\d+)+|\d+", spec) and "x" in spec:
        return (1, *(int(part) for part in spec.split("x")))
    if re.fullmatch(r"\d+(,\d+)*,?", spec):
        return tuple(int(part) for part in spec.rstrip(",").split(","))
    raise StaticFlopsError(Diagnostic(SF005, f"cannot read input shape '{text}': write it as 1,3,224,224 or 3x224x224"))


@dataclass(frozen=True)
class FirstLayer:
    """The catalog layer that consumed the model's input in the probe trace."""

    spec: LayerSpec
    attributes: dict[str, object]
    path: str
    through: tuple[str, dict[str, Any], str] | None = None
    """The einops rearrange between the input and this layer, if any: its pattern, its axis lengths, and
    how a message names it."""


def shape_for(first: FirstLayer) -> tuple[Shape, str] | None:
    """The default input shape for a model whose first layer is `first`, and why."""
    name = first.spec.name
    attrs = first.attributes
    if name.startswith("Conv") and name[-2:] in ("1d", "2d", "3d"):
        rank = int(name[-2])
        channels = attrs["in_channels"]
        return (1, channels, *DEFAULT_SPATIAL[rank]), f"channels from '{first.path}' ({name}, in_channels={channels})"
    if name == "Linear":
        features = attrs["in_features"]
        return (1, features), f"features from '{first.path}' (Linear, in_features={features})"
    if name == "Embedding":
        return None  # token ids: their length comes from the model's configuration (models.sequence_length)
    if name.startswith("BatchNorm"):
        rank = int(name[-2])
        channels = attrs["num_features"]
        spatial = DEFAULT_SPATIAL[rank] if rank > 1 else ()
        return (1, channels, *spatial), f"channels from '{first.path}' ({name}, num_features={channels})"
    return None


def shape_through(first: FirstLayer, wanted: tuple[Shape, str] | None) -> tuple[Shape, str, int] | None:
    """The input that an einops rearrange turns into what `first` wants (`wanted`, from `shape_for`; a
    LayerNorm wants its normalized size last): the axis the layer reads (a Linear's last, a convolution's
    channels) solved from the pattern, the first axis a batch of 1, every other axis its default spatial
    size (224, made a multiple of the lengths it is grouped with), and the step spatial sizes are searched
    by (what those lengths divide: a patch size). None when the pattern does not pin the layer's axis
    to one input axis."""
    from staticflops.catalog import RaisedError
    from staticflops.catalog import einops as patterns

    assert first.through is not None
    pattern, lengths, name = first.through
    normalized = first.attributes.get("normalized_shape")
    if wanted is None and first.spec.name == "LayerNorm" and isinstance(normalized, tuple) and normalized:
        size = normalized[-1]
        wanted = (1, size), f"features from '{first.path}' (LayerNorm, normalized_shape={list(normalized)})"
    if wanted is None:
        return None
    shape, note = wanted
    try:
        recipe = patterns.prepare(pattern, "rearrange", tuple(lengths))
    except RaisedError:
        return None
    left, right = recipe.left, recipe.right
    if left.has_ellipsis or not all(isinstance(v, int) for v in lengths.values()):
        return None
    at = -1 if first.spec.name.startswith(("Linear", "LayerNorm")) else 1
    if len(right.composition) < 2 or (at == 1 and len(right.composition) != len(shape)):
        return None  # a convolution or a batch norm reads a tensor of its own rank
    group = right.composition[at]
    unknown = [axis for axis in group if axis not in lengths]
    known = math.prod(lengths[axis] for axis in group if axis in lengths)
    target = shape[at]
    if len(unknown) != 1 or known == 0 or target % known:
        return None
    sizes = {**lengths, unknown[0]: target // known}
    dims: list[int] = []
    step = 1
    for index, axes in enumerate(left.composition):
        free = [axis for axis in axes if axis not in sizes]
        fixed = math.prod(sizes[axis] for axis in axes if axis in sizes)
        if len(free) > 1:
            return None
        if not free:
            dims.append(fixed)
        elif index == 0 and len(axes) == 1:
            dims.append(1)  # the batch
        else:
            dims.append(fixed * max(1, round(DEFAULT_SPATIAL[2][0] / fixed)))
            if index >= 2:
                step = math.lcm(step, fixed)
    solved = f"{unknown[0]}={target // known}"
    return tuple(dims), f"{note}, {solved} through the pattern '{pattern}' of {name}", step


def solve_spatial(shape: Shape, trace: Callable[[Shape], None], step: int = 1) -> tuple[Shape, str | None]:
    """The smallest square spatial size for which `trace` raises no size mismatch.

    `trace` raises `ShapeError`; a mismatch that carries `expected`/`actual` (a Linear's
    in_features against the flattened size) grows with the spatial size, so bisection
    finds the size that makes them equal. Sizes are multiples of `step` (a patch size the
    input is cut into: no other size is a valid input). Returns the shape and a note, or the
    original shape and None when the default already works or nothing pins it.
    """
    rank = len(shape) - 2
    if rank < 1:
        return shape, None

    def with_size(size: int) -> Shape:
        return (*shape[:2], *(size,) * rank)

    probed: dict[int, int | None] = {}

    def probe(size: int) -> int | None:
        """<0: too small, 0: fits, >0: too large; None: a mismatch size does not explain.
        Each size is traced once (the bisection's last size is asked for again)."""
        if size not in probed:
            probed[size] = trace_at(size)
        return probed[size]

    def trace_at(size: int) -> int | None:
        try:
            trace(with_size(size))
        except ShapeError as error:
            if error.expected is not None and error.actual is not None:
                return error.actual - error.expected
            if error.code.code == "SF203":
                return -1
            return None
        return 0

    default = probe(shape[2])
    if default in (0, None):
        return shape, None
    low, high = 1, max(MAX_SPATIAL // step, 1)
    while low < high:
        middle = (low + high) // 2
        result = probe(middle * step)
        if result is None:
            return shape, None
        if result < 0:
            low = middle + 1
        else:
            high = middle
    if probe(low * step) != 0:
        return shape, None
    # Several sizes often fit (floor division forgives): prefer the one with the most factors
    # of two, as real inputs are (LeNet-5: 32 of 32..35; a stride-2 stem: 32 of 31..32).
    fitting = [low * step]
    while len(fitting) < SOLVER_WINDOW and probe(fitting[-1] + step) == 0:
        fitting.append(fitting[-1] + step)
    size = max(fitting, key=lambda s: ((s & -s), -s))
    span = f"{fitting[0]}..{fitting[-1]}" if len(fitting) > 1 else str(size)
    return with_size(size), f"spatial size {size} solved from the layers' size constraints (sizes {span} fit)"
