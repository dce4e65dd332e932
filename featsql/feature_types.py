"""The typed feature classes, one per dtype. A method exists only where it makes sense.

Result types follow the semantic contract (docs/semantics.md): integer arithmetic widens to Int64,
``/`` is true division with a Float result, math functions return Float, comparisons return Bool.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Generic, Literal, Sequence, TypeVar, Union, overload

from featsql import dtypes, ir
from featsql.feature_base import Feature, Pending, check_operand, operand_dtype, pending, same_type_operand

if TYPE_CHECKING:
    from typing_extensions import Self

OtherT = TypeVar("OtherT")
FeatureT = TypeVar("FeatureT", bound=Feature)

TimeUnit = Literal["year", "month", "week", "day", "hour", "minute", "second"]
DateUnit = Literal["year", "month", "week", "day"]


def _widen(node: Any) -> Any:
    """Cast a narrower integer operand to int64 (integer arithmetic never overflows early) and a
    float32 operand to float64 (float arithmetic is always 64-bit, as the result type says)."""
    dtype = operand_dtype(node)
    is_feature = isinstance(node, Pending)  # literals are typed by the other operand already
    if dtypes.is_integer(dtype) and dtype != dtypes.INT64 and is_feature:
        return ir.Cast(node, dtype, dtypes.INT64)
    if dtype == dtypes.FLOAT32 and is_feature:
        return ir.Cast(node, dtype, dtypes.FLOAT64)
    return node


class _Comparable(Feature, Generic[OtherT]):
    """Features with an order: numbers, strings, dates and timestamps."""

    __slots__ = ()

    def _compare(self, op: str, other: Any) -> Bool:
        operand, error = check_operand(self, other, op)
        return Bool._derived(ir.Call(op, (pending(self), operand)), error)

    def __eq__(self, other: OtherT) -> Bool:  # type: ignore[override]
        return self._compare("eq", other)

    def __ne__(self, other: OtherT) -> Bool:  # type: ignore[override]
        return self._compare("ne", other)

    def __lt__(self, other: OtherT) -> Bool:
        return self._compare("lt", other)

    def __le__(self, other: OtherT) -> Bool:
        return self._compare("le", other)

    def __gt__(self, other: OtherT) -> Bool:
        return self._compare("gt", other)

    def __ge__(self, other: OtherT) -> Bool:
        return self._compare("ge", other)

    __hash__ = Feature.__hash__

    def between(self, lower: OtherT, upper: OtherT) -> Bool:
        """``lower <= value <= upper`` (both ends inclusive); NULL where the value is NULL."""
        lo, err1 = check_operand(self, lower, "between")
        hi, err2 = check_operand(self, upper, "between")
        return Bool._derived(ir.Call("between", (pending(self), lo, hi)), err1 or err2)

    def lower_bound(self, value: OtherT) -> Self:
        """Declare ``value <= feature`` (inclusive)."""
        return self._bound("lower_bound", value)

    def upper_bound(self, value: OtherT) -> Self:
        """Declare ``feature <= value`` (inclusive)."""
        return self._bound("upper_bound", value)

    def _bound(self, kind: str, value: Any) -> Self:
        operand, error = check_operand(self, value, kind, literal_only=True)
        if error:
            return self._fail(error)
        return self._with_constraint(kind, operand.value)

    # The methods below only narrow the argument types, so type checkers reject
    # ``String().is_in([1])`` or ``Float().fill_na("0")``; the checks at class creation stay.
    def fill_na(self, value: OtherT) -> Self:
        """Replace NULL with ``value`` (a literal or a feature of a compatible type)."""
        return super().fill_na(value)

    def is_in(self, values: Sequence[OtherT]) -> Bool:
        """TRUE where the value is one of ``values`` (literals); NULL where the value is NULL."""
        return super().is_in(values)

    def accepted_values(self, values: Sequence[OtherT]) -> Self:
        """Declare the only values the feature may take (NULL is allowed unless ``is_required``)."""
        return super().accepted_values(values)

    def one_hot_encode(self, categories: Sequence[OtherT]) -> tuple[Bool, ...]:
        """One Bool per category: TRUE where the value equals it. Never NULL: NULL gives all FALSE."""
        return super().one_hot_encode(categories)

    def ordinal_categories(self, categories: Sequence[OtherT]) -> Int32:
        """The 0-based position of the value in ``categories``; NULL for NULL or an unknown value."""
        return super().ordinal_categories(categories)


class Bool(Feature):
    """A boolean feature. Combine with ``&``, ``|`` and ``~`` (three-valued, as in SQL)."""

    _dtype = dtypes.BOOL
    __slots__ = ()

    def _logic(self, op: str, other: Any) -> Bool:
        operand, error = check_operand(self, other, op)
        return Bool._derived(ir.Call(op, (pending(self), operand)), error)

    def __and__(self, other: Bool | bool) -> Bool:
        return self._logic("and", other)

    def __rand__(self, other: bool) -> Bool:
        return self._logic("and", other)

    def __or__(self, other: Bool | bool) -> Bool:
        return self._logic("or", other)

    def __ror__(self, other: bool) -> Bool:
        return self._logic("or", other)

    def __invert__(self) -> Bool:
        return Bool._derived(ir.Call("not", (pending(self),)), self._error)

    def __eq__(self, other: Bool | bool) -> Bool:  # type: ignore[override]
        return self._logic("eq", other)

    def __ne__(self, other: Bool | bool) -> Bool:  # type: ignore[override]
        return self._logic("ne", other)

    __hash__ = Feature.__hash__

    @overload
    def if_else(self, then: FeatureT, otherwise: Any) -> FeatureT: ...
    @overload
    def if_else(self, then: Any, otherwise: FeatureT) -> FeatureT: ...
    def if_else(self, then: Any, otherwise: Any) -> Any:
        """``then`` where TRUE, ``otherwise`` where FALSE or NULL (see :func:`featsql.if_else`)."""
        from featsql.functions import if_else

        return if_else(self, then, otherwise)

    def fill_na(self, value: Bool | bool) -> Bool:
        """Replace NULL with ``value`` (a bool or a Bool feature)."""
        return super().fill_na(value)

    def is_in(self, values: Sequence[bool]) -> Bool:
        """TRUE where the value is one of ``values``; NULL where the value is NULL."""
        return super().is_in(values)

    def accepted_values(self, values: Sequence[bool]) -> Self:
        """Declare the only values the feature may take (NULL is allowed unless ``is_required``)."""
        return super().accepted_values(values)

    def one_hot_encode(self, categories: Sequence[bool]) -> tuple[Bool, ...]:
        """One Bool per category: TRUE where the value equals it. Never NULL: NULL gives all FALSE."""
        return super().one_hot_encode(categories)

    def ordinal_categories(self, categories: Sequence[bool]) -> Int32:
        """The 0-based position of the value in ``categories``; NULL for NULL or an unknown value."""
        return super().ordinal_categories(categories)


NumericOperand = Union["Numeric", int, float]


class Numeric(_Comparable[NumericOperand]):
    """Shared by integer and float features."""

    __slots__ = ()

    def _float_call(self, op: str, *others: Any) -> Float64:
        operands, error = [pending(self)], self._error
        for other in others:
            operand, err = check_operand(self, other, op)
            operands.append(operand)
            error = error or err
        return Float64._derived(ir.Call(op, tuple(operands)), error)

    def __truediv__(self, other: NumericOperand) -> Float64:
        """True division with a Float result everywhere; division by zero gives NULL."""
        return self._float_call("truediv", other)

    def __rtruediv__(self, other: int | float) -> Float64:
        operand, error = check_operand(self, other, "truediv")
        return Float64._derived(ir.Call("truediv", (operand, pending(self))), error)

    def __pow__(self, other: NumericOperand) -> Float64:
        return self._float_call("pow", other)

    def log(self, base: float | None = None) -> Float64:
        """Natural logarithm (or in ``base``); NULL for values <= 0."""
        if base is None:
            return self._float_call("ln")
        return self._float_call("log_base", base)

    def log1p(self) -> Float64:
        """``ln(1 + x)``; NULL for values <= -1."""
        return self._float_call("log1p")

    def exp(self) -> Float64:
        """``e ** x``."""
        return self._float_call("exp")

    def sqrt(self) -> Float64:
        """Square root; NULL for negative values."""
        return self._float_call("sqrt")

    def clip(self, lower: NumericOperand, upper: NumericOperand) -> Self:
        """Limit to ``[lower, upper]``; NULL stays NULL (unlike SQL GREATEST/LEAST)."""
        lo, err1 = same_type_operand(self, lower, "clip")
        hi, err2 = same_type_operand(self, upper, "clip")
        call = ir.Call("clip", (pending(self), lo, hi))
        return type(self)._derived(call, self._error or err1 or err2)


class Integral(Numeric):
    """Integer features. Arithmetic between integers gives Int64."""

    __slots__ = ()

    def _arith(self, op: str, other: Any, reverse: bool = False) -> Any:
        operand, error = check_operand(self, other, op)
        left, right = _widen(pending(self)), _widen(operand)
        if reverse:
            left, right = right, left
        if dtypes.is_integer(operand_dtype(operand)):
            return Int64._derived(ir.Call(op if op not in _FLOAT_OPS else op + "_int", (left, right)), error)
        op = op if op not in _FLOAT_OPS else op + "_float"
        return Float64._derived(ir.Call(op, (left, right)), error)

    @overload
    def __add__(self, other: Integral | int) -> Int64: ...
    @overload
    def __add__(self, other: Floating | float) -> Float64: ...
    def __add__(self, other: Any) -> Any:
        return self._arith("add", other)

    @overload
    def __radd__(self, other: int) -> Int64: ...
    @overload
    def __radd__(self, other: float) -> Float64: ...
    def __radd__(self, other: Any) -> Any:
        return self._arith("add", other, reverse=True)

    @overload
    def __sub__(self, other: Integral | int) -> Int64: ...
    @overload
    def __sub__(self, other: Floating | float) -> Float64: ...
    def __sub__(self, other: Any) -> Any:
        return self._arith("sub", other)

    @overload
    def __rsub__(self, other: int) -> Int64: ...
    @overload
    def __rsub__(self, other: float) -> Float64: ...
    def __rsub__(self, other: Any) -> Any:
        return self._arith("sub", other, reverse=True)

    @overload
    def __mul__(self, other: Integral | int) -> Int64: ...
    @overload
    def __mul__(self, other: Floating | float) -> Float64: ...
    def __mul__(self, other: Any) -> Any:
        return self._arith("mul", other)

    @overload
    def __rmul__(self, other: int) -> Int64: ...
    @overload
    def __rmul__(self, other: float) -> Float64: ...
    def __rmul__(self, other: Any) -> Any:
        return self._arith("mul", other, reverse=True)

    @overload
    def __floordiv__(self, other: Integral | int) -> Int64: ...
    @overload
    def __floordiv__(self, other: Floating | float) -> Float64: ...
    def __floordiv__(self, other: Any) -> Any:
        """Floor division (rounds toward negative infinity, like Python); by zero gives NULL."""
        return self._arith("floordiv", other)

    @overload
    def __mod__(self, other: Integral | int) -> Int64: ...
    @overload
    def __mod__(self, other: Floating | float) -> Float64: ...
    def __mod__(self, other: Any) -> Any:
        """Floor modulo: the result has the divisor's sign, like Python; by zero gives NULL."""
        return self._arith("mod", other)

    def __neg__(self) -> Int64:
        return Int64._derived(ir.Call("neg", (_widen(pending(self)),)), self._error)

    def __abs__(self) -> Int64:
        return Int64._derived(ir.Call("abs", (_widen(pending(self)),)), self._error)

    def abs(self) -> Int64:
        """Absolute value (as ``abs(x)``)."""
        return self.__abs__()

    def as_timestamp(self, unit: EpochUnit) -> Timestamp:
        """Read the integer as a time since 1970-01-01 00:00:00 UTC in ``unit`` (``s``, ``ms``, ``us``).

        ``event_timestamp = EventTimestamp(dtype=Int64().as_timestamp("us"))`` declares an event
        time stored as epoch microseconds (Feast's sample data). Exact to the microsecond.
        """
        factor = _EPOCH_FACTORS.get(unit)
        error = self._error
        value: Any = _widen(pending(self))
        if factor is None:
            error = error or f"as_timestamp: unknown unit {unit!r}; expected 's', 'ms' or 'us'"
        elif factor != 1:
            value = ir.Call("mul", (value, ir.Lit(factor, dtypes.INT64)))
        return Timestamp._derived(ir.Call("timestamp_from_epoch_us", (value,)), error)


EpochUnit = Literal["s", "ms", "us"]
_EPOCH_FACTORS = {"s": 1_000_000, "ms": 1_000, "us": 1}

_FLOAT_OPS = frozenset({"floordiv", "mod"})


class Floating(Numeric):
    """Floating-point features. Arithmetic with a float gives Float (64-bit)."""

    __slots__ = ()

    def _arith(self, op: str, other: Any, reverse: bool = False) -> Float64:
        operand, error = check_operand(self, other, op)
        left, right = _widen(pending(self)), _widen(operand)
        if reverse:
            left, right = right, left
        op = op + "_float" if op in _FLOAT_OPS else op
        return Float64._derived(ir.Call(op, (left, right)), error)

    def __add__(self, other: NumericOperand) -> Float64:
        return self._arith("add", other)

    def __radd__(self, other: int | float) -> Float64:
        return self._arith("add", other, reverse=True)

    def __sub__(self, other: NumericOperand) -> Float64:
        return self._arith("sub", other)

    def __rsub__(self, other: int | float) -> Float64:
        return self._arith("sub", other, reverse=True)

    def __mul__(self, other: NumericOperand) -> Float64:
        return self._arith("mul", other)

    def __rmul__(self, other: int | float) -> Float64:
        return self._arith("mul", other, reverse=True)

    def __floordiv__(self, other: NumericOperand) -> Float64:
        """Floor division (toward negative infinity); division by zero gives NULL."""
        return self._arith("floordiv", other)

    def __mod__(self, other: NumericOperand) -> Float64:
        """Floor modulo (result has the divisor's sign); modulo zero gives NULL."""
        return self._arith("mod", other)

    def __neg__(self) -> Float64:
        return Float64._derived(ir.Call("neg", (_widen(pending(self)),)), self._error)

    def __abs__(self) -> Float64:
        return Float64._derived(ir.Call("abs", (_widen(pending(self)),)), self._error)

    def abs(self) -> Float64:
        """Absolute value (as ``abs(x)``)."""
        return self.__abs__()

    def round(self, digits: int = 0) -> Float64:
        """Round half away from zero (2.5 -> 3, -2.5 -> -3) to ``digits`` decimals, everywhere."""
        if digits == 0:
            return Float64._derived(ir.Call("round", (_widen(pending(self)),)), self._error)
        lit = ir.Lit(digits, dtypes.INT64)
        return Float64._derived(ir.Call("round_digits", (_widen(pending(self)), lit)), self._error)

    def floor(self) -> Float64:
        """Largest whole number <= value."""
        return Float64._derived(ir.Call("floor", (_widen(pending(self)),)), self._error)

    def ceil(self) -> Float64:
        """Smallest whole number >= value."""
        return Float64._derived(ir.Call("ceil", (_widen(pending(self)),)), self._error)

    def is_nan(self) -> Bool:
        """TRUE where the value is NaN (NULL where it is NULL)."""
        return Bool._derived(ir.Call("is_nan", (pending(self),)), self._error)


class Int8(Integral):
    """8-bit signed integer (stored as SMALLINT where a warehouse has no 1-byte integer)."""

    _dtype = dtypes.INT8
    __slots__ = ()


class Int16(Integral):
    """16-bit signed integer."""

    _dtype = dtypes.INT16
    __slots__ = ()


class Int32(Integral):
    """32-bit signed integer."""

    _dtype = dtypes.INT32
    __slots__ = ()


class Int64(Integral):
    """64-bit signed integer. Integer arithmetic results are Int64."""

    _dtype = dtypes.INT64
    __slots__ = ()


class Float32(Floating):
    """32-bit float. Arithmetic on it gives 64-bit Float."""

    _dtype = dtypes.FLOAT32
    __slots__ = ()


class Float64(Floating):
    """64-bit float (``Float`` is this class)."""

    _dtype = dtypes.FLOAT64
    __slots__ = ()


Float = Float64


class String(_Comparable[Union["String", str]]):
    """A text feature. ``+`` concatenates (NULL if either side is NULL)."""

    _dtype = dtypes.STRING
    __slots__ = ()

    def _text_call(self, op: str, *args: Any) -> Any:
        operands, error = [pending(self)], self._error
        for arg in args:
            operand, err = check_operand(self, arg, op)
            operands.append(operand)
            error = error or err
        return ir.Call(op, tuple(operands)), error

    def _bool(self, op: str, *args: Any) -> Bool:
        call, error = self._text_call(op, *args)
        return Bool._derived(call, error)

    def _string(self, op: str, *args: Any) -> String:
        call, error = self._text_call(op, *args)
        return String._derived(call, error)

    def __add__(self, other: String | str) -> String:
        return self._string("concat", other)

    def __radd__(self, other: str) -> String:
        operand, error = check_operand(self, other, "concat")
        return String._derived(ir.Call("concat", (operand, pending(self))), error)

    def contains(self, text: String | str) -> Bool:
        """TRUE where ``text`` occurs literally ("Mr." does not match "Mrs."); not a regex."""
        return self._bool("contains", text)

    def matches(self, pattern: str) -> Bool:
        """TRUE where the regular expression ``pattern`` matches anywhere in the value."""
        return self._bool("matches", pattern)

    def starts_with(self, prefix: String | str) -> Bool:
        """TRUE where the value begins with ``prefix`` (literal)."""
        return self._bool("starts_with", prefix)

    def ends_with(self, suffix: String | str) -> Bool:
        """TRUE where the value ends with ``suffix`` (literal)."""
        return self._bool("ends_with", suffix)

    def lower(self) -> String:
        """Lower case."""
        return self._string("lower")

    def upper(self) -> String:
        """Upper case."""
        return self._string("upper")

    def strip(self) -> String:
        """Remove leading and trailing spaces."""
        return self._string("strip")

    def length(self) -> Int64:
        """Number of characters (not bytes)."""
        call, error = self._text_call("length")
        return Int64._derived(call, error)

    def replace(self, old: str, new: str) -> String:
        """Replace every literal occurrence of ``old`` by ``new``."""
        return self._string("replace", old, new)

    def min_length(self, length: int) -> Self:
        """Declare a minimum number of characters (inclusive)."""
        return self._with_constraint("min_length", int(length))

    def max_length(self, length: int) -> Self:
        """Declare a maximum number of characters (inclusive)."""
        return self._with_constraint("max_length", int(length))

    def must_match(self, regex: str) -> Self:
        """Declare that the value matches the regular expression ``regex`` (anywhere in the value).

        The constraint twin of :meth:`matches` (which computes a Bool feature); anchor with ``^...$``
        to match the whole value. NULL passes unless the feature ``is_required()``.
        """
        if not isinstance(regex, str):
            return self._fail(f"must_match takes a regular expression as a str, got {regex!r}")
        return self._with_constraint("matches", regex)


class _Temporal(_Comparable[OtherT]):
    __slots__ = ()

    def _part(self, op: str) -> Int32:
        return Int32._derived(ir.Call(op, (pending(self),)), self._error)

    def year(self) -> Int32:
        """Calendar year."""
        return self._part("year")

    def month(self) -> Int32:
        """Month, 1..12."""
        return self._part("month")

    def day(self) -> Int32:
        """Day of the month, 1..31."""
        return self._part("day")

    def day_of_week(self) -> Int32:
        """ISO day of week: Monday = 1 .. Sunday = 7."""
        return self._part("day_of_week")

    def day_of_year(self) -> Int32:
        """Day of the year, 1..366."""
        return self._part("day_of_year")

    def week(self) -> Int32:
        """ISO week number, 1..53."""
        return self._part("week")

    def epoch_seconds(self) -> Float64:
        """Seconds since 1970-01-01 00:00:00 UTC (a date counts from its midnight)."""
        return Float64._derived(ir.Call("epoch_seconds", (self._as_timestamp(),)), self._error)

    def seconds_since(self, other: Date | Timestamp) -> Float64:
        """``self - other`` in seconds (negative when ``other`` is later)."""
        if not isinstance(other, _Temporal):
            return Float64._derived(
                ir.Lit(None, dtypes.FLOAT64),
                self._error
                or (f"seconds_since expects a Date or Timestamp feature, got {type(other).__name__}"),
            )
        call = ir.Call("diff_seconds", (self._as_timestamp(), other._as_timestamp()))
        return Float64._derived(call, self._error or other._error)

    def _as_timestamp(self) -> Any:
        if self._dtype == dtypes.DATE:
            return ir.Cast(pending(self), dtypes.DATE, dtypes.TIMESTAMP)
        return pending(self)


class Date(_Temporal[Union["Date", _dt.date]]):
    """A calendar date."""

    _dtype = dtypes.DATE
    __slots__ = ()

    def truncate(self, unit: DateUnit) -> Date:
        """The first day of the ``unit`` (``"year"``, ``"month"``, ``"week"`` (ISO, Monday), ``"day"``)."""
        error = self._error
        if unit not in ("year", "month", "week", "day"):
            error = error or f"Date.truncate: unknown unit {unit!r}; expected year, month, week or day"
        call = ir.Call("truncate_date", (pending(self), ir.Lit(unit, dtypes.STRING)))
        return Date._derived(call, error)


class Timestamp(_Temporal[Union["Timestamp", _dt.datetime]]):
    """A point in time, in UTC (no time zone is stored; naive values are read as UTC)."""

    _dtype = dtypes.TIMESTAMP
    __slots__ = ()

    def hour(self) -> Int32:
        """Hour, 0..23."""
        return self._part("hour")

    def minute(self) -> Int32:
        """Minute, 0..59."""
        return self._part("minute")

    def date(self) -> Date:
        """The calendar date (UTC)."""
        return Date._derived(ir.Cast(pending(self), dtypes.TIMESTAMP, dtypes.DATE), self._error)

    def truncate(self, unit: TimeUnit) -> Timestamp:
        """Round down to the start of ``unit``.

        Units: year, month, week (ISO, starts on Monday), day, hour, minute, second.
        """
        error = self._error
        if unit not in ("year", "month", "week", "day", "hour", "minute", "second"):
            error = error or f"Timestamp.truncate: unknown unit {unit!r}"
        call = ir.Call("truncate_timestamp", (pending(self), ir.Lit(unit, dtypes.STRING)))
        return Timestamp._derived(call, error)


DTYPE_CLASSES: dict[str, type[Feature]] = {
    cls._dtype: cls for cls in (Bool, Int8, Int16, Int32, Int64, Float32, Float64, String, Date, Timestamp)
}
