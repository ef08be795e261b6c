"""Concolic numbers: an int (or float) that is also an exact expression over named sizes.

`SymInt` IS an int, its value the concrete size the trace runs at, so the interpreter, the shape rules and
the catalog's formulas run unchanged; its arithmetic also combines expressions, so a layer's FLOPs come out
as both a number and a formula. A comparison answers with the concrete value (the trace takes the path the
concrete trace takes) and, when its answer depends on the sizes, writes the condition to the `Ledger` the
numbers share: the region of sizes in which the formula holds. A result whose expression has no dimension
left is a plain int, so only size-dependent numbers pay for the expressions.

What drops the expression (`range(H)`, `int.bit_length`, a C function taking the int's value) is not
seen here; `symbolic.trace` checks the formula against concrete traces at other sizes for that reason.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from staticflops.symbolic.expr import Poly, _term_order

Where = Callable[[], str | None]


@dataclass(frozen=True)
class Guard:
    """`expr <op> 0`, with `op` one of `>=`, `==`, `!=` (`>` for a rational expr): a condition the traced
    path relied on."""

    expr: Poly
    op: str

    def holds(self, env: dict[str, int]) -> bool:
        value = self.expr.evaluate(env)
        if self.op == ">=":
            return value >= 0
        if self.op == ">":
            return value > 0
        return (value == 0) == (self.op == "==")

    def __str__(self) -> str:
        """`H > 256` rather than `H - 257 >= 0`: the constant moved to the right, `>= c + 1` shown as `> c`."""
        constant = self.expr.terms.get((), 0)
        rest = self.expr - Poly.const(constant)
        if self.op in (">=", ">") and min(rest.terms.items(), key=_term_order)[1] < 0:
            return f"{-rest} {'<=' if self.op == '>=' else '<'} {constant}"  # `L <= 100000`, not `-L >= -100000`
        if self.op == ">=" and isinstance(constant, int):
            return f"{rest} > {-constant - 1}"
        return f"{rest} {self.op} {-constant}"


@dataclass
class Ledger:
    """The conditions one symbolic trace relied on, in the order first met, with where they were met."""

    where: Where = lambda: None
    open: bool = True
    guards: dict[Guard, str | None] = field(default_factory=dict)
    results: dict[tuple[Any, ...], tuple[Any, ...]] = field(default_factory=dict, repr=False)
    """Each operation's expression, with whether it is constant, by its operator and its operands: a model
    repeats the same size arithmetic block after block (every bottleneck of a stage computes the same
    convolution sizes), so each is normalized once. Operand expressions are keyed by identity (a tuple of
    ints hashes without calling `Poly.__hash__`), the entry keeping them alive so that no id is reused;
    equal results are made one object (`canonical`), so that equal operands meet the same key."""
    canonical: dict[Poly, Poly] = field(default_factory=dict, repr=False)
    compared: dict[tuple[Any, ...], tuple[Any, ...]] = field(default_factory=dict, repr=False)
    """The comparisons already recorded (operator, operands as in `results`, outcome): recording one again
    would find the same condition, already in `guards` or dropped as always true."""

    def close(self) -> None:
        """The trace is over: what is compared from here on (pricing, reports) is not a path the model took."""
        self.open = False

    def record(self, difference: Poly, op: str, outcome: bool) -> None:
        """`difference <op> 0` was `outcome` at the traced sizes."""
        if not self.open:
            return
        guard = _normalized(difference, op if outcome else NEGATED[op])
        if guard is not None and guard not in self.guards and not _always(guard):
            self.guards[guard] = self.where()


NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _normalized(diff: Poly, op: str) -> Guard | None:
    """Every condition as `e >= 0`, `e == 0` or `e != 0` (sizes are integers: `e > 0` is `e - 1 >= 0`)."""
    integral = diff.is_integral()
    if op in ("<", "<="):
        diff, op = -diff, {"<": ">", "<=": ">="}[op]
    if op == ">":
        if not integral:  # a rational expression: `> 0` is not `- 1 >= 0`
            return Guard(diff, ">")
        diff, op = diff - Poly.const(1), ">="
    if op in ("==", "!=") and diff.terms and min(diff.terms.items(), key=_term_order)[1] < 0:
        diff = -diff  # the leading term positive: `x == y` and `y == x` are one condition
    if integral:
        diff = _reduced(diff, op)
    return Guard(diff, op)


def _reduced(diff: Poly, op: str) -> Poly:
    """The condition divided by the common factor g of its coefficients: `256 * C == 768` is `C == 3`;
    for `g·a + c >= 0` the constant becomes ⌊c/g⌋ (a is an integer)."""
    constant = int(diff.terms.get((), 0))
    varying = [int(c) for m, c in diff.terms.items() if m]
    if not varying:
        return diff
    if not constant and op in ("==", "!=", ">="):
        diff = _without_common_dims(diff)  # B · e == 0 is e == 0: every size is at least 1
        constant = int(diff.terms.get((), 0))  # `B * X - 64 * B` leaves the constant -64
        varying = [int(c) for m, c in diff.terms.items() if m]
        if not varying:
            return diff
    g = math.gcd(*varying)
    if op in ("==", "!="):
        if constant % g:  # g·a == c has no integer solution: the condition is kept as it was found
            return diff
    elif op != ">=":
        return diff
    if g == 1:
        return diff
    return Poly({m: (int(c) // g if m else constant // g) for m, c in diff.terms.items()})


def _without_common_dims(diff: Poly) -> Poly:
    """`diff` divided by the dimensions every term has (`49 * B * X - B * Y` → `49 * X - Y`)."""
    common: dict[Any, int] | None = None
    for monomial in diff.terms:
        powers = {atom: power for atom, power in monomial if isinstance(atom, str)}
        common = powers if common is None else {a: min(p, powers[a]) for a, p in common.items() if a in powers}
    if not common:
        return diff
    terms = {}
    for monomial, coefficient in diff.terms.items():
        left = tuple((a, p - common.get(a, 0)) for a, p in monomial if p - common.get(a, 0) > 0)
        terms[left] = coefficient
    return Poly(terms)


def _always(guard: Guard) -> bool:
    """True for a condition every size ≥ 1 meets: `e >= 0` or `e != 0` with e non-decreasing in each
    dimension and already positive (or, for `>=`, non-negative) at all ones."""
    if guard.op == "==" or not guard.expr.monotone():
        return False
    from staticflops.symbolic.expr import _ONES

    least = guard.expr.evaluate(_ONES)
    return least >= 0 if guard.op == ">=" else least > 0


def lift(value: Any) -> Poly | None:
    """The expression of an operand: a symbolic number's own, a plain number's constant, else None."""
    if isinstance(value, (SymInt, SymFloat)):
        return value.expr
    if isinstance(value, int):
        return Poly.const(int(value))
    if isinstance(value, float) and math.isfinite(value):
        return Poly.const(Fraction(value))
    return None


def ledger_of(*values: Any) -> Ledger | None:
    for value in values:
        if isinstance(value, (SymInt, SymFloat)):
            return value.ledger
    return None


def make_int(value: int, expr: Poly, ledger: Ledger) -> int:
    """A SymInt, or the plain int when no dimension is left in the expression."""
    if expr.constant() is not None:
        return int(value)
    return SymInt(value, expr, ledger)


def make_float(value: float, expr: Poly, ledger: Ledger) -> float:
    if expr.constant() is not None:
        return float(value)
    return SymFloat(value, expr, ledger)


class _Comparisons:
    """The six comparisons of a symbolic number, each answered by its `_compare` (concrete outcome, recorded
    as a condition). A class using it sets `__hash__` itself: defining `__eq__` here unsets it."""

    __slots__ = ()

    def _compare(self, other: Any, op: str, concrete: Callable[[Any, Any], bool]) -> Any:
        raise NotImplementedError

    def __eq__(self, other: Any) -> Any:
        return self._compare(other, "==", operator.eq)

    def __ne__(self, other: Any) -> Any:
        return self._compare(other, "!=", operator.ne)

    def __lt__(self, other: Any) -> Any:
        return self._compare(other, "<", operator.lt)

    def __le__(self, other: Any) -> Any:
        return self._compare(other, "<=", operator.le)

    def __gt__(self, other: Any) -> Any:
        return self._compare(other, ">", operator.gt)

    def __ge__(self, other: Any) -> Any:
        return self._compare(other, ">=", operator.ge)


class SymInt(_Comparisons, int):
    """An int with an exact expression; see the module docstring."""

    expr: Poly
    ledger: Ledger
    sf_builtin_type = int
    """What the analyzed code's `type(x)` is (interpreter.builtins)."""

    def __new__(cls, value: int, expr: Poly, ledger: Ledger) -> SymInt:
        self = super().__new__(cls, value)
        self.expr = expr
        self.ledger = ledger
        return self

    # the value is what the rest of the program sees
    __hash__ = int.__hash__

    def __reduce__(self) -> tuple[Any, ...]:
        return (int, (int(self),))  # pickled (the cache, --jobs workers) as the plain number

    def __copy__(self) -> SymInt:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> SymInt:
        return self

    # arithmetic: int results keep the expression
    def _int_op(self, other: Any, concrete: Callable[[int, int], int], symbolic: Callable[[Poly, Poly], Poly],
                reflected: bool = False) -> Any:  # fmt: skip
        """The general case: any int operand (a bool, an int subclass); a float is NotImplemented here."""
        kind = type(other)
        if kind is not SymInt and not isinstance(other, int):
            return NotImplemented  # a float: SymFloat's own operators, reflected
        value = concrete(int(other), int(self)) if reflected else concrete(int(self), int(other))
        return self._made(other if kind is SymInt else int(other), value, symbolic, reflected)

    def _made(self, other: Any, value: int, symbolic: Callable[[Poly, Poly], Poly], reflected: bool) -> Any:
        """The result of `self <op> other` (a SymInt or a plain int) whose value is `value`: its expression
        made once per operator and operands (`Ledger.results`), a plain int when no dimension is left."""
        ledger = self.ledger
        own = self.expr
        symbolic_operand = type(other) is SymInt
        operand = other.expr if symbolic_operand else other
        key = (symbolic, reflected, id(own), symbolic_operand, id(operand) if symbolic_operand else operand)
        found = ledger.results.get(key)
        if found is None:
            expr = operand if symbolic_operand else Poly.const(operand)
            made = symbolic(expr, own) if reflected else symbolic(own, expr)
            made = ledger.canonical.setdefault(made, made)
            found = ledger.results[key] = (made, made.constant() is not None, own, operand)
        if found[1]:
            return value
        result = int.__new__(SymInt, value)
        result.expr = found[0]
        result.ledger = ledger
        return result

    def __add__(self, other: Any) -> Any:
        kind = type(other)
        if kind is int or kind is SymInt:  # the common cases first: no isinstance, the value computed here
            return self._made(other, int(self) + int(other), operator.add, False)
        if isinstance(other, float):
            return SymFloat.of(self) + other
        return self._int_op(other, operator.add, operator.add)

    def __radd__(self, other: Any) -> Any:
        if type(other) is int:
            return self._made(other, int(other) + int(self), operator.add, True)
        if isinstance(other, float):
            return other + SymFloat.of(self)
        return self._int_op(other, operator.add, operator.add, reflected=True)

    def __sub__(self, other: Any) -> Any:
        kind = type(other)
        if kind is int or kind is SymInt:
            return self._made(other, int(self) - int(other), operator.sub, False)
        if isinstance(other, float):
            return SymFloat.of(self) - other
        return self._int_op(other, operator.sub, operator.sub)

    def __rsub__(self, other: Any) -> Any:
        if type(other) is int:
            return self._made(other, int(other) - int(self), operator.sub, True)
        if isinstance(other, float):
            return other - SymFloat.of(self)
        return self._int_op(other, operator.sub, operator.sub, reflected=True)

    def __mul__(self, other: Any) -> Any:
        kind = type(other)
        if kind is int or kind is SymInt:
            return self._made(other, int(self) * int(other), operator.mul, False)
        if isinstance(other, float):
            return SymFloat.of(self) * other
        return self._int_op(other, operator.mul, operator.mul)

    def __rmul__(self, other: Any) -> Any:
        if type(other) is int:
            return self._made(other, int(other) * int(self), operator.mul, True)
        if isinstance(other, float):
            return other * SymFloat.of(self)
        return self._int_op(other, operator.mul, operator.mul, reflected=True)

    def __floordiv__(self, other: Any) -> Any:
        kind = type(other)
        if kind is int or kind is SymInt:
            return self._made(other, int(self) // int(other), Poly.floordiv, False)
        if isinstance(other, float):
            return math.floor(SymFloat.of(self) / other) * 1.0
        return self._int_op(other, operator.floordiv, Poly.floordiv)

    def __rfloordiv__(self, other: Any) -> Any:
        if type(other) is int:
            return self._made(other, int(other) // int(self), Poly.floordiv, True)
        if isinstance(other, float):
            return math.floor(other / SymFloat.of(self)) * 1.0
        return self._int_op(other, operator.floordiv, Poly.floordiv, reflected=True)

    def __mod__(self, other: Any) -> Any:
        if isinstance(other, float):
            return float(self) % other
        return self._int_op(other, operator.mod, Poly.mod)

    def __rmod__(self, other: Any) -> Any:
        if isinstance(other, float):
            return other % float(self)
        return self._int_op(other, operator.mod, Poly.mod, reflected=True)

    def __divmod__(self, other: Any) -> Any:
        return (self // other, self % other)

    def __rdivmod__(self, other: Any) -> Any:
        return (other // self, other % self)

    def __truediv__(self, other: Any) -> Any:
        return SymFloat.of(self) / other

    def __rtruediv__(self, other: Any) -> Any:
        return other / SymFloat.of(self)

    def __pow__(self, other: Any, modulo: Any = None) -> Any:
        if modulo is not None or not isinstance(other, int) or isinstance(other, SymInt) or other < 0:
            if isinstance(other, SymInt):
                other.ledger.record(other.expr - Poly.const(int(other)), "==", True)  # the exponent is used as is
            return pow(int(self), int(other) if isinstance(other, SymInt) else other, modulo)
        return make_int(int(self) ** other, self.expr.power(other), self.ledger)

    def __rpow__(self, other: Any) -> Any:
        self.ledger.record(self.expr - Poly.const(int(self)), "==", True)  # a size as an exponent: only this one
        return pow(other, int(self))

    def __lshift__(self, other: Any) -> Any:
        if isinstance(other, int) and not isinstance(other, SymInt) and other >= 0:
            return self * (1 << other)
        return int(self) << other

    def __rshift__(self, other: Any) -> Any:
        if isinstance(other, int) and not isinstance(other, SymInt) and other >= 0:
            return self // (1 << other)
        return int(self) >> other

    def __neg__(self) -> Any:
        return make_int(-int(self), -self.expr, self.ledger)

    def __pos__(self) -> Any:
        return self

    def __abs__(self) -> Any:
        return self if self >= 0 else -self

    def __trunc__(self) -> Any:
        return self

    def __floor__(self) -> Any:
        return self

    def __ceil__(self) -> Any:
        return self

    def __round__(self, ndigits: Any = None) -> Any:
        return self if ndigits is None or ndigits >= 0 else round(int(self), ndigits)

    # comparisons: the concrete answer, and the condition when it depends on the sizes
    def _compare(self, other: Any, op: str, concrete: Callable[[Any, Any], bool]) -> Any:
        kind = type(other)
        if kind is int or kind is SymInt:  # the common cases, each condition normalized once
            outcome = concrete(int(self), int(other))
            ledger = self.ledger
            if ledger.open:
                operand = other.expr if kind is SymInt else int(other)
                key = (op, id(self.expr), kind is SymInt, id(operand) if kind is SymInt else operand, outcome)
                if key not in ledger.compared:
                    ledger.compared[key] = (self.expr, operand)  # alive with their ids
                    difference = self.expr - (other.expr if kind is SymInt else Poly.const(int(other)))
                    if difference.constant() is None:
                        ledger.record(difference, op, outcome)
            return outcome
        expr = lift(other)
        if expr is None:
            return NotImplemented
        outcome = concrete(int(self), float(other) if isinstance(other, float) else int(other))
        difference = self.expr - expr
        if difference.constant() is None:
            self.ledger.record(difference, op, outcome)
        return outcome

    def __bool__(self) -> bool:
        outcome = int(self) != 0
        self.ledger.record(self.expr, "!=", outcome)
        return outcome


class SymFloat(_Comparisons, float):
    """A float that is an exact rational expression `expr` (a Poly with Fraction coefficients) or, after a
    division by a size, `num / den`: what `math.ceil((end - start) / step)` needs to give back a SymInt."""

    expr: Poly
    den: Poly
    ledger: Ledger
    sf_builtin_type = float

    def __new__(cls, value: float, expr: Poly, ledger: Ledger, den: Poly | None = None) -> SymFloat:
        self = super().__new__(cls, value)
        self.expr = expr
        self.den = den if den is not None else Poly.const(1)
        self.ledger = ledger
        return self

    @staticmethod
    def of(value: SymInt) -> SymFloat:
        return SymFloat(float(int(value)), value.expr, value.ledger)

    __hash__ = float.__hash__

    def __reduce__(self) -> tuple[Any, ...]:
        return (float, (float(self),))

    def __copy__(self) -> SymFloat:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> SymFloat:
        return self

    def _parts(self, other: Any) -> tuple[Poly, Poly] | None:
        if isinstance(other, SymFloat):
            return other.expr, other.den
        expr = lift(other)
        return None if expr is None else (expr, Poly.const(1))

    def _combine(self, other: Any, op: str, reflected: bool = False) -> Any:
        parts = self._parts(other)
        if parts is None:
            return NotImplemented
        (an, ad), (bn, bd) = (parts, (self.expr, self.den)) if reflected else ((self.expr, self.den), parts)
        a, b = (float(other), float(self)) if reflected else (float(self), float(other))
        if op == "+":
            value, num, den = a + b, an * bd + bn * ad, ad * bd
        elif op == "-":
            value, num, den = a - b, an * bd - bn * ad, ad * bd
        elif op == "*":
            value, num, den = a * b, an * bn, ad * bd
        else:
            if b == 0:
                raise ZeroDivisionError("float division by zero")
            value, num, den = a / b, an * bd, ad * bn
        constant = den.constant()
        if constant is not None:
            num, den = num.scale(Fraction(1) / Fraction(constant)), Poly.const(1)
        if num.constant() is not None and den.constant() is not None:
            return value
        return SymFloat(value, num, self.ledger, den)

    def __add__(self, other: Any) -> Any:
        return self._combine(other, "+")

    def __radd__(self, other: Any) -> Any:
        return self._combine(other, "+", reflected=True)

    def __sub__(self, other: Any) -> Any:
        return self._combine(other, "-")

    def __rsub__(self, other: Any) -> Any:
        return self._combine(other, "-", reflected=True)

    def __mul__(self, other: Any) -> Any:
        return self._combine(other, "*")

    def __rmul__(self, other: Any) -> Any:
        return self._combine(other, "*", reflected=True)

    def __truediv__(self, other: Any) -> Any:
        return self._combine(other, "/")

    def __rtruediv__(self, other: Any) -> Any:
        return self._combine(other, "/", reflected=True)

    def __neg__(self) -> Any:
        return SymFloat(-float(self), -self.expr, self.ledger, self.den)

    def __pos__(self) -> Any:
        return self

    def _scaled(self) -> tuple[Poly, Poly]:
        """num and den as integer polynomials of the same ratio (common denominators cleared)."""
        scale = 1
        for poly in (self.expr, self.den):
            for c in poly.terms.values():
                if isinstance(c, Fraction):
                    scale = math.lcm(scale, c.denominator)
        return self.expr.scale(scale), self.den.scale(scale)

    def __floor__(self) -> Any:
        num, den = self._scaled()
        return make_int(math.floor(float(self)), num.floordiv(den), self.ledger)

    def __ceil__(self) -> Any:
        num, den = self._scaled()
        return make_int(math.ceil(float(self)), -((-num).floordiv(den)), self.ledger)

    def __trunc__(self) -> Any:
        return math.floor(self) if float(self) >= 0 else math.ceil(self)

    def __int__(self) -> int:
        return int(self.__trunc__())

    def __round__(self, ndigits: Any = None) -> Any:
        if ndigits is not None:
            return round(float(self), ndigits)
        result = round(float(self))
        self.ledger.record(self.expr - Poly.const(result) * self.den, "==", True)  # half-even rounding, pinned
        return result

    def _compare(self, other: Any, op: str, concrete: Callable[[Any, Any], bool]) -> Any:
        parts = self._parts(other)
        if parts is None:
            return NotImplemented
        outcome = concrete(float(self), float(other))
        bn, bd = parts
        difference = self.expr * bd - bn * self.den  # sign of a/b − c/d is that of (ad − cb)·bd·… : same ratio
        sign = self.den * bd
        if sign.constant() is None or difference.constant() is None:
            constant = sign.constant()
            if constant is not None and constant < 0:
                difference = -difference
            self.ledger.record(difference if constant is not None else difference * sign, op, outcome)
        return outcome

    def __bool__(self) -> bool:
        outcome = float(self) != 0
        self.ledger.record(self.expr, "!=", outcome)
        return outcome
