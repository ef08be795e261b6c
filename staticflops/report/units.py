"""Human-readable numbers for tables: `1.82 GFLOPs`, `11.7 M`."""

from __future__ import annotations

_PREFIXES = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "K"))


def human(value: int | None, unit: str = "") -> str:
    if value is None:
        return "?"
    for scale, prefix in _PREFIXES:
        if abs(value) >= scale:
            return f"{value / scale:.3g} {prefix}{unit}".rstrip()
    return f"{value} {unit}".rstrip()


def shape(value: tuple[int, ...] | None) -> str:
    return "?" if value is None else "×".join(str(d) for d in value)
