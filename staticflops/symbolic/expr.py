"""Exact expressions over named sizes: polynomials whose atoms are dimensions or floor divisions.

A `Poly` is a sum of terms `coefficient · monomial`; a monomial is a product of atoms raised to positive
powers; an atom is a dimension name (`"H"`) or a `Floor(num, den)`, the floor of one polynomial divided by
another. Coefficients are integers (a `Fraction` only where a true division or a float brought one in).
The form is normal: equal expressions built along different paths compare equal, so the difference of two
sizes is a constant exactly when the trace's comparison of them does not depend on the sizes at all
(`(H - 1) // 2 + 1 == (H + 1) // 2` needs no condition). `str()` writes valid Python (`B * L ** 2`,
`(H + 1) // 2`) that `eval` with the dimensions bound gives the same number as `evaluate`.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from fractions import Fraction

Number = int | Fraction
Atom = "str | Floor"
Monomial = tuple[tuple["str | Floor", int], ...]
"""Atoms with their powers, sorted by `atom_key`; `()` is the constant monomial."""


_FLOORS: weakref.WeakValueDictionary[tuple[Poly, Poly], Floor] = weakref.WeakValueDictionary()
"""Every floor alive, by numerator and divisor (a cache of values: a floor no expression holds is dropped)."""


def atom_key(atom: str | Floor) -> tuple[int, str]:
    return (0, atom) if isinstance(atom, str) else (1, atom.key)


class Floor:
    """`num // den`, with `den` a positive integer or a polynomial (kept as written, not simplified).

    Floors are interned: equal ones are one object (`Floor(num, den)` returns the one made before, while it
    lives), so a floor hashes and compares by identity, in C. A polynomial's terms are keyed by monomials
    that hold floors, and every arithmetic step rebuilds such dicts: a Python `__hash__` there was called
    more often than anything else in a symbolic trace."""

    __slots__ = ("__weakref__", "den", "key", "num")
    num: Poly
    den: Poly
    key: str

    def __new__(cls, num: Poly, den: Poly) -> Floor:
        found = _FLOORS.get((num, den))
        if found is not None:
            return found
        self = super().__new__(cls)
        self.num, self.den, self.key = num, den, f"{num}//{den}"
        _FLOORS[(num, den)] = self
        return self

    def __reduce__(self) -> tuple[type[Floor], tuple[Poly, Poly]]:
        return (Floor, (self.num, self.den))  # interned anew where it is unpickled

    def __repr__(self) -> str:
        return f"Floor({self})"

    def __str__(self) -> str:
        num = f"({self.num})" if len(self.num.terms) > 1 else str(self.num)
        den = self.den.constant()
        return f"{num} // {den}" if den is not None and den > 0 else f"{num} // ({self.den})"

    def evaluate(self, env: Mapping[str, int]) -> Number:
        num, den = self.num.evaluate(env), self.den.evaluate(env)
        if type(num) is int and type(den) is int:
            return num // den  # Python's floor division floors, as ⌊num/den⌋ does
        return math.floor(Fraction(num) / Fraction(den))

    def monotone(self) -> bool:
        """Non-decreasing in every dimension (for dimensions ≥ 1): a positive constant divisor of a monotone
        numerator."""
        den = self.den.constant()
        return den is not None and den > 0 and self.num.monotone()

    def dims(self) -> set[str]:
        return self.num.dims() | self.den.dims()


class Poly:
    """An immutable polynomial in normal form (no zero coefficient; monomials sorted)."""

    __slots__ = ("_hash", "terms")

    def __init__(self, terms: Mapping[Monomial, Number]) -> None:
        self.terms: dict[Monomial, Number] = {m: c for m, c in terms.items() if c != 0}
        self._hash: int | None = None

    # construction
    @staticmethod
    def const(value: Number) -> Poly:
        return Poly({(): value})

    @staticmethod
    def dim(name: str) -> Poly:
        return Poly({((name, 1),): 1})

    @staticmethod
    def atom(atom: str | Floor) -> Poly:
        return Poly({((atom, 1),): 1})

    # questions
    def constant(self) -> Number | None:
        """The value when the polynomial has no dimension in it, else None."""
        if not self.terms:
            return 0
        if len(self.terms) == 1 and () in self.terms:
            return self.terms[()]
        return None

    def is_integral(self) -> bool:
        return all(isinstance(c, int) or c.denominator == 1 for c in self.terms.values())

    def dims(self) -> set[str]:
        found: set[str] = set()
        for monomial in self.terms:
            for atom, _ in monomial:
                found |= {atom} if isinstance(atom, str) else atom.dims()
        return found

    def degree(self, name: str) -> int:
        """How fast the expression grows with the dimension `name`: its highest power, a floor division
        counting as its numerator's degree less its divisor's (`(H - 1) // 16` grows as H)."""
        return max((sum(p * _atom_degree(a, name) for a, p in m) for m in self.terms), default=0)

    def monotone(self) -> bool:
        """Non-decreasing in every dimension over dimensions ≥ 1 (so its least value is at all ones)."""
        for monomial, coefficient in self.terms.items():
            if not monomial:
                continue
            if coefficient < 0:
                return False
            if len(monomial) == 1 and monomial[0][1] == 1:
                atom = monomial[0][0]
                if isinstance(atom, Floor) and not atom.monotone():
                    return False
                continue
            for atom, _ in monomial:  # a product: each factor must be monotone and never negative
                if isinstance(atom, Floor) and not (atom.monotone() and atom.evaluate(_ONES) >= 0):
                    return False
        return True

    def evaluate(self, env: Mapping[str, int]) -> Number:
        total: Number = 0
        for monomial, coefficient in self.terms.items():
            value: Number = coefficient
            for atom, power in monomial:
                base = env[atom] if isinstance(atom, str) else atom.evaluate(env)
                value *= base**power
            total += value
        return total.numerator if isinstance(total, Fraction) and total.denominator == 1 else total

    # arithmetic
    def __add__(self, other: Poly) -> Poly:
        terms = dict(self.terms)
        for monomial, coefficient in other.terms.items():
            terms[monomial] = terms.get(monomial, 0) + coefficient
        return Poly(terms)

    def __neg__(self) -> Poly:
        return Poly({m: -c for m, c in self.terms.items()})

    def __sub__(self, other: Poly) -> Poly:
        return self + (-other)

    def scale(self, factor: Number) -> Poly:
        return Poly({m: c * factor for m, c in self.terms.items()})

    def __mul__(self, other: Poly) -> Poly:
        if len(other.terms) == 1 and () in other.terms:
            return self.scale(other.terms[()])
        if len(self.terms) == 1 and () in self.terms:
            return other.scale(self.terms[()])
        terms: dict[Monomial, Number] = {}
        for m1, c1 in self.terms.items():
            for m2, c2 in other.terms.items():
                monomial = _times(m1, m2)
                terms[monomial] = terms.get(monomial, 0) + c1 * c2
        return Poly(terms)

    def power(self, exponent: int) -> Poly:
        result = Poly.const(1)
        for _ in range(exponent):
            result = result * self
        return result

    def floordiv(self, other: Poly) -> Poly:
        """`self // other` in normal form (both integer-valued)."""
        den = other.constant()
        if den is not None:
            if den == 0:
                raise ZeroDivisionError("integer division or modulo by zero")
            if isinstance(den, Fraction) or not self.is_integral():
                return _opaque(self, other)
            return _floor_by_int(self, int(den))
        exact = _divide_exactly(self, other)
        return exact if exact is not None else _opaque(self, other)

    def mod(self, other: Poly) -> Poly:
        return self - other * self.floordiv(other)

    # identity and text
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Poly) and self.terms == other.terms

    def __reduce__(self) -> tuple[type[Poly], tuple[dict[Monomial, Number]]]:
        return (Poly, (self.terms,))  # without the cached hash: string hashes differ between processes

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self.terms.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"Poly({self})"

    def __str__(self) -> str:
        if not self.terms:
            return "0"
        ordered = sorted(self.terms.items(), key=_term_order)
        parts: list[str] = []
        for index, (monomial, coefficient) in enumerate(ordered):
            negative = coefficient < 0
            text = _term_text(monomial, -coefficient if negative else coefficient, leading=index == 0 and negative)
            if index == 0:
                parts.append(f"-{text}" if negative else text)
            else:
                parts.append(f" - {text}" if negative else f" + {text}")
        return "".join(parts)


_ONES: Mapping[str, int] = type("Ones", (dict,), {"__missing__": lambda self, key: 1})()
"""Every dimension at 1: the least value of a monotone expression over sizes ≥ 1."""


def _atom_degree(atom: str | Floor, name: str) -> int:
    if isinstance(atom, str):
        return int(atom == name)
    return max(0, atom.num.degree(name) - atom.den.degree(name))


def _times(m1: Monomial, m2: Monomial) -> Monomial:
    powers: dict[str | Floor, int] = dict(m1)
    for atom, power in m2:
        powers[atom] = powers.get(atom, 0) + power
    return tuple(sorted(powers.items(), key=lambda item: atom_key(item[0])))


def _opaque(num: Poly, den: Poly) -> Poly:
    if num == den:
        return Poly.const(1)
    if not num.terms:
        return Poly.const(0)
    return Poly.atom(Floor(num, den))


def _floor_by_int(num: Poly, k: int) -> Poly:
    """⌊num / k⌋: whole multiples of k leave the floor, so the remainder's coefficients are in [0, k) (a
    convolution's ⌊(H − 1)/2⌋ + 1 reads `(H + 1) // 2`, one factor of its FLOPs); a common factor of the
    remainder and k is cancelled, and a floor of a floor is one floor (⌊(⌊x/a⌋ + c)/b⌋ = ⌊(x + ca)/(ab)⌋)."""
    if k < 0:
        num, k = -num, -k
    if k == 1:
        return num
    whole: dict[Monomial, Number] = {}
    rest: dict[Monomial, Number] = {}
    for monomial, coefficient in num.terms.items():
        c = int(coefficient)
        q = c // k
        whole[monomial], rest[monomial] = q, c - q * k
    quotient, remainder = Poly(whole), Poly(rest)
    constant = remainder.constant()
    if constant is not None:
        return quotient + Poly.const(constant // k)
    varying = [int(c) for m, c in remainder.terms.items() if m]
    g = math.gcd(k, *varying)
    if g > 1:  # ⌊(g·a + c)/(g·b)⌋ = ⌊(a + ⌊c/g⌋)/b⌋
        c = int(remainder.terms.get((), 0))
        reduced = Poly({m: (int(v) // g if m else c // g) for m, v in remainder.terms.items() if m or c})
        return quotient + _floor_by_int(reduced, k // g)
    inner = _single_floor(remainder)
    if inner is not None:
        atom, c = inner
        den = atom.den.constant()
        assert isinstance(den, int)
        return quotient + _floor_by_int(atom.num + Poly.const(c * den), den * k)
    return quotient + Poly.atom(Floor(remainder, Poly.const(k)))


def _single_floor(poly: Poly) -> tuple[Floor, int] | None:
    """`⌊x/a⌋ + c` (one floor by a constant, coefficient 1, plus a constant): the floor and c."""
    varying = [(m, c) for m, c in poly.terms.items() if m]
    if len(varying) != 1:
        return None
    monomial, coefficient = varying[0]
    if coefficient != 1 or len(monomial) != 1 or monomial[0][1] != 1 or not isinstance(monomial[0][0], Floor):
        return None
    atom = monomial[0][0]
    den = atom.den.constant()
    if not isinstance(den, int) or den <= 0:
        return None
    return atom, int(poly.terms.get((), 0))


def _divide_exactly(num: Poly, den: Poly) -> Poly | None:
    """num / den when den divides num exactly (multivariate division by leading terms), else None."""
    if not den.terms:
        return None
    lead_m, lead_c = max(den.terms.items(), key=lambda t: _lex(t[0]))
    quotient: dict[Monomial, Number] = {}
    rest = num
    for _ in range(64):
        if not rest.terms:
            result = Poly(quotient)
            return result if result.is_integral() else None
        m, c = max(rest.terms.items(), key=lambda t: _lex(t[0]))
        factor = _monomial_quotient(m, lead_m)
        if factor is None or (isinstance(c, int) and isinstance(lead_c, int) and c % lead_c):
            return None
        coefficient = Fraction(c) / Fraction(lead_c)
        coefficient = coefficient.numerator if coefficient.denominator == 1 else coefficient
        quotient[factor] = quotient.get(factor, 0) + coefficient
        rest = rest - Poly({factor: coefficient}) * den
    return None


def _lex(monomial: Monomial) -> tuple[int, list[tuple[tuple[int, str], int]]]:
    return (sum(p for _, p in monomial), [(atom_key(a), p) for a, p in monomial])


def _monomial_quotient(m: Monomial, d: Monomial) -> Monomial | None:
    powers = dict(m)
    for atom, power in d:
        if powers.get(atom, 0) < power:
            return None
        powers[atom] -= power
    return tuple(sorted(((a, p) for a, p in powers.items() if p), key=lambda item: atom_key(item[0])))


def _term_order(item: tuple[Monomial, Number]) -> tuple[int, list[tuple[tuple[int, str], int]]]:
    monomial = item[0]
    degree = sum(p for _, p in monomial)
    return (-degree, [(atom_key(a), -p) for a, p in monomial])


def _coefficient_text(value: Number) -> str:
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"({value.numerator} / {value.denominator})"
    return str(int(value))


def _term_text(monomial: Monomial, coefficient: Number, leading: bool) -> str:
    """One term's text, its sign written by the caller; a floor atom that is not the whole term is
    parenthesized (`2 * (H // 2)`: `2 * H // 2` would mean `(2 * H) // 2`), as it is after a leading minus."""
    if not monomial:
        return _coefficient_text(coefficient)
    alone = len(monomial) == 1 and monomial[0][1] == 1 and coefficient == 1 and not leading
    factors = []
    for atom, power in monomial:
        text = str(atom)
        if isinstance(atom, Floor) and (not alone or power > 1):
            text = f"({text})"
        factors.append(f"{text} ** {power}" if power > 1 else text)
    if coefficient != 1:
        factors.insert(0, _coefficient_text(coefficient))
    return " * ".join(factors)


def substitute(poly: Poly, values: Mapping[str, Poly], memo: dict[Poly | Floor, Poly] | None = None) -> Poly:
    """`poly` with dimensions replaced (by numbers: a size the model pins; by other names: a renaming),
    rebuilt through the arithmetic so that the result is in normal form again. `memo`, shared by the calls
    of one substitution, keeps what was rebuilt: a model's layers share their floors."""
    memo = {} if memo is None else memo
    if poly in memo:
        return memo[poly]
    total = Poly.const(0)
    for monomial, coefficient in poly.terms.items():
        term = Poly.const(coefficient)
        for atom, power in monomial:
            if isinstance(atom, str):
                base = values.get(atom, Poly.dim(atom))
            elif atom in memo:
                base = memo[atom]
            else:
                base = memo[atom] = substitute(atom.num, values, memo).floordiv(substitute(atom.den, values, memo))
            term = term * base.power(power)
        total = total + term
    memo[poly] = total
    return total
