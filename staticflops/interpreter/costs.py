"""Cost before compute: the price of a native operation, known from its operands before it runs.

The interpreter hands plain data to Python's own code (`int.__pow__`, `str.ljust`, `format`,
`math.factorial`): constant folding, fast and exact. But a budget checked after such a call comes
too late: `math.factorial(10**9)` never returns to be checked, and `"{:>9000000000}".format(x)` has
allocated 9 GB before anything can look at its length. So every native operation whose time or
result size depends on its operands' *values* has a rule in `RULES`, keyed by the operation's name
as the interpreter knows it (`"math.factorial"`, `"str.ljust"`, `"int.pow"`, `"format"`). A rule
reads the operands and returns a `Price`: how long the result will be, how many bits an integer
result will have, how much work it will take. `Budget.charge` refuses an operation over any limit
with `BudgetExhausted` (SF303 at the statement being run) before it starts.

A rule is an upper estimate, cheap to compute (never the operation itself), and assumes nothing
about the operands' types: a rule that does not apply (a float where it expects an int, a wrong
argument count) prices nothing, and the operation raises its own error as Python would.

Work is in units of roughly a nanosecond of CPython's big-integer code (measured on CPython 3.11,
x86-64; `docs/reliability.md`): multiplication is Karatsuba on 30-bit limbs, division and `gcd`
are quadratic in limbs, decimal conversion is refused past Python's own digit limit.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Args = list[Any]
Kwargs = Mapping[str, Any]


@dataclass(frozen=True)
class Price:
    """What a native operation will build and do."""

    length: int = 0
    """Items, characters or bytes of a sequence result."""
    bits: int = 0
    """Binary digits of an integer result."""
    work: int = 0
    """Time, in units of about a nanosecond."""
    digits: int = 0
    """Decimal digits of an integer converted to text (Python refuses past its limit)."""
    item_bytes: int = 1
    """Memory of one item of the result: a character or byte, or a reference in a list or tuple."""


FREE = Price()
Rule = Callable[[Args, Kwargs], Price]

_LOG2_10 = math.log2(10)
_PER_ITEM = 30
"""Time to draw one item of a range and fold it in (`math.prod`, `math.fsum`)."""


# ---------------------------------------------------------------------------- integers
def _limbs(n: int) -> int:
    return abs(n).bit_length() // 30 + 1


def _multiply(a: int, b: int) -> int:
    """Time of a product of `a`- and `b`-limb integers (Karatsuba past 70 limbs)."""
    small, large = sorted((a, b))
    return large * small if small < 70 else int(6 * large * small**0.585)


def _divide(a: int, b: int) -> int:
    """Time of dividing an `a`-limb integer by a `b`-limb one (schoolbook)."""
    return max(a - b + 1, 1) * b


def _is_int(*values: Any) -> bool:
    return all(isinstance(v, int) for v in values)


def _bits_of_power(base: int, exponent: int) -> int:
    if abs(base) <= 1 or exponent <= 0:
        return 1
    return int(math.log2(abs(base)) * exponent) + 1


def _power(args: Args, kwargs: Kwargs) -> Price:
    """`a ** b` and `pow(a, b[, m])`: the result's size, or square-and-multiply modulo `m`."""
    base, exponent = args[0], args[1]
    modulus = args[2] if len(args) > 2 else kwargs.get("mod")
    if not _is_int(base, exponent):
        return FREE
    if modulus is not None and _is_int(modulus):
        limbs = _limbs(modulus)
        step = _multiply(limbs, limbs) + _divide(2 * limbs, limbs)
        return Price(bits=modulus.bit_length(), work=(abs(exponent).bit_length() * 3 // 2 + 1) * step)
    bits = _bits_of_power(base, exponent)
    return Price(bits=bits, work=2 * _multiply(bits // 30 + 1, bits // 30 + 1))


def _product(args: Args, kwargs: Kwargs) -> Price:
    a, b = args[0], args[1]
    if _is_int(a, b):
        return Price(bits=a.bit_length() + b.bit_length(), work=_multiply(_limbs(a), _limbs(b)))
    return _repeat(args, kwargs)


def _quotient(args: Args, kwargs: Kwargs) -> Price:
    a, b = args[0], args[1]
    if not _is_int(a, b):
        return FREE
    return Price(bits=a.bit_length(), work=_divide(_limbs(a), _limbs(b)))


def _left_shift(args: Args, kwargs: Kwargs) -> Price:
    a, b = args[0], args[1]
    if not _is_int(a, b) or b < 0:
        return FREE
    return Price(bits=a.bit_length() + b if a else 1, work=_limbs(a) + b // 30)


def _gcd(args: Args, kwargs: Kwargs) -> Price:
    """`math.gcd`/`math.lcm`: Lehmer's algorithm is quadratic in limbs; `lcm` grows to the sum of the bits."""
    if not _is_int(*args):
        return FREE
    limbs = [_limbs(a) for a in args]
    work = sum(a * b for a, b in itertools.pairwise(limbs))
    return Price(bits=sum(a.bit_length() for a in args), work=work + len(args))


def _lgamma_bits(n: float) -> int:
    """log2(n!) (the bits of `factorial(n)`), or a huge figure when `n` does not fit a float."""
    try:
        return int(math.lgamma(n + 1) / math.log(2)) + 1
    except OverflowError:
        return sys.maxsize


def _factorial(args: Args, kwargs: Kwargs) -> Price:
    n = args[0]
    if not _is_int(n) or n < 2:
        return FREE
    bits = _lgamma_bits(n)
    return Price(bits=bits, work=_big_result_work(bits))


def _big_result_work(bits: int) -> int:
    limbs = min(bits, sys.maxsize // 2) // 30 + 1
    return 2 * _multiply(limbs, limbs) if limbs < 10**12 else sys.maxsize


def _choose(symmetric: bool) -> Rule:
    """`math.comb(n, k)` (`symmetric`: C(n, k) = C(n, n - k)) / `math.perm(n, k)`: a product of
    `k` factors of `n`'s size."""

    def rule(args: Args, kwargs: Kwargs) -> Price:
        n = args[0]
        k = args[1] if len(args) > 1 else None
        if not _is_int(n) or n < 0:
            return FREE
        if k is None:  # perm(n) is n!
            return _factorial([n], {})
        if not _is_int(k) or k < 0 or k > n:
            return FREE
        factors = min(k, n - k) if symmetric else k
        bits = factors * max(n.bit_length(), 1) + 1
        return Price(bits=bits, work=_big_result_work(bits) + factors)

    return rule


def _isqrt(args: Args, kwargs: Kwargs) -> Price:
    n = args[0]
    if not _is_int(n):
        return FREE
    limbs = _limbs(n)
    return Price(bits=n.bit_length() // 2 + 1, work=4 * _multiply(limbs, limbs))


def _round(args: Args, kwargs: Kwargs) -> Price:
    """`round(n, -d)` on an int computes 10**d."""
    ndigits = args[1] if len(args) > 1 else kwargs.get("ndigits")
    if not _is_int(args[0]) or not _is_int(ndigits) or ndigits >= 0:
        return FREE
    return Price(bits=int(-ndigits * _LOG2_10) + 1, work=_big_result_work(int(-ndigits * _LOG2_10)))


def _to_bytes(args: Args, kwargs: Kwargs) -> Price:
    length = args[1] if len(args) > 1 else kwargs.get("length", 1)
    return Price(length=length) if _is_int(length) else FREE


# ---------------------------------------------------------------------------- sequences
def _sized(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, bytearray, list, tuple, range)) else None


def _repeat(args: Args, kwargs: Kwargs) -> Price:
    """`seq * n`, either way round."""
    for seq, count in ((args[0], args[1]), (args[1], args[0])):
        size = _sized(seq)
        if size is not None and _is_int(count) and not isinstance(seq, range):
            return Price(length=size * max(count, 0), item_bytes=8 if isinstance(seq, (list, tuple)) else 1)
    return FREE


def _concatenate(args: Args, kwargs: Kwargs) -> Price:
    sizes = [_sized(a) for a in args[:2]]
    return Price(length=sizes[0] + sizes[1]) if None not in sizes else FREE  # type: ignore[operator]


def _consumed(position: int) -> Rule:
    """A function that runs through a range argument item by item (`math.prod(range(10**9))`)."""

    def rule(args: Args, kwargs: Kwargs) -> Price:
        iterable = args[position] if len(args) > position else None
        if isinstance(iterable, range):
            return Price(work=_PER_ITEM * len(iterable))
        return FREE

    return rule


def _prod(args: Args, kwargs: Kwargs) -> Price:
    items = args[0] if args else ()
    if isinstance(items, range):
        if 0 in items:
            return Price(work=_PER_ITEM * len(items))
        widest = max(abs(items.start).bit_length(), abs(items.stop).bit_length())
        bits = len(items) * widest + 1
    elif isinstance(items, (list, tuple)) and _is_int(*items):
        bits = sum(abs(i).bit_length() for i in items) + 1
    else:
        return FREE
    return Price(bits=bits, work=_big_result_work(bits) + _PER_ITEM * len(items))


def _width(position: int) -> Rule:
    """`s.ljust(width)`, `s.center(width)`, `s.zfill(width)`: at least `width` long."""

    def rule(args: Args, kwargs: Kwargs) -> Price:
        width = args[position] if len(args) > position else None
        size = _sized(args[0])
        if size is None or not _is_int(width):
            return FREE
        return Price(length=max(size, width))

    return rule


def _expandtabs(args: Args, kwargs: Kwargs) -> Price:
    text = args[0]
    size = args[1] if len(args) > 1 else kwargs.get("tabsize", 8)
    if not isinstance(text, (str, bytes)) or not _is_int(size):
        return FREE
    tab = "\t" if isinstance(text, str) else b"\t"
    return Price(length=len(text) + text.count(tab) * max(size, 0))  # type: ignore[arg-type]


def _replace(args: Args, kwargs: Kwargs) -> Price:
    text, old, new = [*args, None, None, None][:3]
    count = args[3] if len(args) > 3 else kwargs.get("count", -1)
    if not (isinstance(text, (str, bytes)) and type(old) is type(text) and type(new) is type(text)):
        return FREE
    found = text.count(old)  # type: ignore[arg-type]
    if _is_int(count) and count >= 0:
        found = min(found, count)
    return Price(length=len(text) + found * max(len(new) - len(old), 0), work=len(text))  # type: ignore[arg-type]


def _join(args: Args, kwargs: Kwargs) -> Price:
    separator, items = args[0], args[1] if len(args) > 1 else ()
    if not isinstance(separator, (str, bytes)) or not isinstance(items, (list, tuple)):
        return FREE
    sizes = [len(item) for item in items if isinstance(item, (str, bytes))]
    return Price(length=sum(sizes) + len(separator) * max(len(items) - 1, 0))


def _translate(args: Args, kwargs: Kwargs) -> Price:
    text, table = args[0], args[1] if len(args) > 1 else None
    if not isinstance(text, str) or not isinstance(table, dict):
        return FREE
    longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
    return Price(length=len(text) * max(longest, 1))


def _sized_constructor(args: Args, kwargs: Kwargs) -> Price:
    """`bytes(n)` / `bytearray(n)`: `n` zero bytes."""
    return Price(length=args[0]) if args and _is_int(args[0]) else FREE


def _combinatoric(kind: str) -> Rule:
    """`itertools.product/permutations/combinations`: the elements of every tuple they yield,
    capped at the count the interpreter draws (one more than the collection budget)."""

    def rule(args: Args, kwargs: Kwargs) -> Price:
        pools = [len(a) for a in args if isinstance(a, (list, tuple, str, range))]
        if len(pools) != len(args):
            return FREE
        if kind == "product":
            repeat = kwargs.get("repeat", 1)
            if not _is_int(repeat):
                return FREE
            width = len(pools) * repeat
            count = math.prod(pools) ** repeat if width < 64 and pools else (0 if 0 in pools else 2**63)
        else:
            n = pools[0] if pools else 0
            r = kwargs.get("r", n) if len(args) < 2 else args[1]
            width = r if _is_int(r) else n
            count = min(n**width, 2**63) if width < 64 else 2**63
        return Price(length=width * min(count, 10**7))

    return rule


# ---------------------------------------------------------------------------- text
_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<precision>\d*))?[a-zA-Z%]?", re.DOTALL)
_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d*))?[hlL]?(?P<kind>.)")


def _number(text: str | None) -> int:
    if not text:
        return 0
    return int(text) if len(text) < 19 else sys.maxsize


def text_length(value: Any, limit: int) -> int:
    """An upper estimate of `len(str(value))` / `len(repr(value))` for plain data, walking at most
    about `limit` items (every item adds at least a character, so a longer walk is over the limit anyway)."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += int(abs(item).bit_length() / _LOG2_10) + 2
        elif isinstance(item, (str, bytes)):
            total += 4 * len(item) + 3  # repr may escape every character
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 32
    return total


def _decimal_digits(value: Any) -> int:
    """Decimal digits of the one integer in `value` whose conversion to text Python may refuse."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int(abs(value).bit_length() / _LOG2_10) + 1
    return 0


def _largest_digits(value: Any, limit: int) -> int:
    stack, seen, largest = [value], 0, 0
    while stack and seen <= limit:
        item = stack.pop()
        seen += 1
        if isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            largest = max(largest, _decimal_digits(item))
    return largest


def _text(args: Args, kwargs: Kwargs) -> Price:
    """`str(value)`, `repr(value)` of plain data."""
    value = args[0] if args else ""
    limit = 10**7
    return Price(length=text_length(value, limit), digits=_largest_digits(value, limit))


def _format(args: Args, kwargs: Kwargs) -> Price:
    """`format(value, spec)`, the format spec of an f-string field or of a `str.format` field."""
    value, spec = args[0], args[1] if len(args) > 1 else ""
    if not isinstance(spec, str):
        return FREE
    match = _SPEC.fullmatch(spec)
    if match is None:
        return FREE
    width, precision = _number(match["width"]), _number(match["precision"])
    grows = isinstance(value, (int, float, complex)) and not isinstance(value, bool)
    natural = text_length(value, 10**7) if isinstance(value, (int, str, bytes)) else 32
    if isinstance(value, int) and spec[-1:] in ("x", "X", "o", "b"):
        return Price(length=max(width, value.bit_length() + 4))
    return Price(length=max(width, natural + (precision if grows else 0)), digits=_decimal_digits(value))


def _printf(args: Args, kwargs: Kwargs) -> Price:
    """`template % values`: the widths and precisions its conversions ask for, `*` read from the values."""
    template, values = args[0], args[1] if len(args) > 1 else ()
    if not isinstance(template, (str, bytes)):
        return FREE
    text = template if isinstance(template, str) else template.decode("latin-1")
    queue = list(values) if isinstance(values, tuple) else [values]
    length = len(text) + text_length(values, 10**7)
    for match in _PRINTF.finditer(text):
        for field in ("width", "precision"):
            written = match[field]
            if written == "*":
                star = queue.pop(0) if queue else 0
                length += star if _is_int(star) else 0
            else:
                length += _number(written)
    return Price(length=length, digits=_largest_digits(values, 10**7))


# ---------------------------------------------------------------------------- the table
RULES: dict[str, Rule] = {
    # operators on plain data (`int.<op>` for integers, `<type>.<op>` for sequences)
    "int.pow": _power,
    "int.mul": _product,
    "int.floordiv": _quotient,
    "int.mod": _quotient,
    "int.truediv": _quotient,
    "int.lshift": _left_shift,
    "str.mul": _repeat,
    "bytes.mul": _repeat,
    "list.mul": _repeat,
    "tuple.mul": _repeat,
    "str.add": _concatenate,
    "bytes.add": _concatenate,
    "list.add": _concatenate,
    "tuple.add": _concatenate,
    "str.mod": _printf,
    "bytes.mod": _printf,
    # builtins
    "pow": _power,
    "divmod": _quotient,
    "round": _round,
    "bytes": _sized_constructor,
    "bytearray": _sized_constructor,
    "str": _text,
    "repr": _text,
    "ascii": _text,
    "format": _format,
    # math
    "math.factorial": _factorial,
    "math.comb": _choose(symmetric=True),
    "math.perm": _choose(symmetric=False),
    "math.prod": _prod,
    "math.isqrt": _isqrt,
    "math.gcd": _gcd,
    "math.lcm": _gcd,
    "math.fsum": _consumed(0),
    "math.sumprod": _consumed(0),
    # methods of plain data, the receiver first
    "int.to_bytes": _to_bytes,
    "str.ljust": _width(1),
    "str.rjust": _width(1),
    "str.center": _width(1),
    "str.zfill": _width(1),
    "bytes.ljust": _width(1),
    "bytes.rjust": _width(1),
    "bytes.center": _width(1),
    "bytes.zfill": _width(1),
    "str.expandtabs": _expandtabs,
    "bytes.expandtabs": _expandtabs,
    "str.replace": _replace,
    "bytes.replace": _replace,
    "str.join": _join,
    "bytes.join": _join,
    "str.translate": _translate,
    # itertools draw their tuples eagerly
    "itertools.product": _combinatoric("product"),
    "itertools.permutations": _combinatoric("permutations"),
    "itertools.combinations": _combinatoric("combinations"),
    "itertools.combinations_with_replacement": _combinatoric("combinations"),
}
"""Every native operation whose cost depends on its operands' values, and how to price it."""


_OPERATORS = {"pow": "**", "mul": "*", "floordiv": "//", "mod": "%", "truediv": "/", "lshift": "<<", "add": "+"}


def describe(operation: str) -> str:
    """How a diagnostic names the operation: `'**' on int`, `str.ljust()`."""
    kind, _, name = operation.rpartition(".")
    if kind and name in _OPERATORS:
        return f"'{_OPERATORS[name]}' on {kind}"
    return f"{operation}()"


def price(operation: str, args: Args, kwargs: Kwargs | None = None) -> Price:
    """The price of `operation` on these operands; `FREE` for operations without a rule or
    operands the rule does not apply to (the operation then raises its own error)."""
    rule = RULES.get(operation)
    if rule is None:
        return FREE
    try:
        return rule(args, kwargs or {})
    except (TypeError, ValueError, IndexError, AttributeError, OverflowError):
        return FREE
