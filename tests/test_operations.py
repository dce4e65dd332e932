"""Every operation of the typed API, run on DuckDB and compared with a pure-Python reference.

The same specification also runs on PostgreSQL (the PostgreSQL lowering, and the Redshift lowering
printed as PostgreSQL) when ``FEATSQL_TEST_POSTGRES_DSN`` is set.

Read it as the specification: each ``Op`` is *expression*, *result type*, *what Python says the
value is*. The reference receives the row's input values by parameter name (``lambda i, j: ...``
reads columns ``i`` and ``j``). Unless an ``Op`` says ``nulls=True``, NULL in any input gives NULL
and the reference is not called for that row; with ``nulls=True`` it receives ``None``.

Rules shown here (see docs/semantics.md and docs/expressions.md):
- ``/`` is true division; ``//`` floors and ``%`` takes the divisor's sign, like Python; dividing by
  zero gives NULL, never an error.
- Integer arithmetic gives Int64; ``/``, ``**`` and math functions give Float (64-bit).
- A float NaN is a value, not NULL: ``is_null`` is FALSE and ``fill_na`` keeps it. As in SQL,
  NaN equals NaN and is greater than every other number (so ``clip`` and ``between`` follow).
- ``round`` rounds half away from zero; casts from float to int truncate toward zero, NaN -> NULL.
- ``contains``/``starts_with``/``ends_with``/``replace`` are literal; ``matches`` is a regex.
- ``day_of_week`` is ISO (Monday = 1 .. Sunday = 7); ``week`` is the ISO week.
- ``one_hot_encode`` is never NULL; ``ordinal_categories`` gives NULL for NULL or unknown values.
"""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
import math
import struct
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Any, Callable, Iterator

import pyarrow as pa
import pytest

from featsql import (
    Bool,
    Date,
    Entity,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    Float,
    Float32,
    Float64,
    InMemorySource,
    Int8,
    Int32,
    Int64,
    String,
    Timestamp,
    if_else,
)
from featsql.feature_base import Feature

NaN = math.nan
T, F, N = True, False, None
D = dt.date
TS = dt.datetime

# -- the data: NULLs, NaN, negatives, zero divisors, empty strings, unicode, quotes, boundaries ---
DATA: dict[str, list[Any]] = {
    "id": list(range(10)),
    "i": [7, -7, 0, 5, -3, None, 2, 100, 1, -1],
    "j": [2, 2, 3, 0, -2, 4, None, -7, 1, 0],
    "f": [2.5, -2.5, 0.0, NaN, None, 1.23456, -0.5, 1250.0, 0.5, -1.5],
    "g": [2.0, 0.0, -0.75, 1.5, 3.0, None, -2.0, 0.25, 4.0, -1.0],
    "s": ["Mr. Owen Harris", "Mrs. John Bradley", "", None, "Zoë Ünïcødé", "O'Brien \"Jr\"",
          "  padded\t ", "a.b*c+d", "MR. UPPER", "Mrs"],
    "s2": ["Harris", "Mr.", "", "x", "ß", None, "pad", ".b*", "UPPER", "Mr."],
    "b": [T, F, N, T, F, N, T, F, N, F],
    "c": [T, T, T, F, F, F, N, N, N, T],
    "d": [D(2024, 1, 1), D(2023, 12, 31), D(2024, 2, 29), D(2021, 1, 3), None, D(1970, 1, 1),
          D(1969, 12, 31), D(2000, 12, 31), D(2024, 12, 30), D(2023, 1, 1)],
    "t": [TS(2024, 1, 1), TS(2023, 12, 31, 23, 59, 59), TS(2024, 2, 29, 12, 34, 56, 789000), None,
          TS(1969, 12, 31, 23, 59, 59), TS(2021, 1, 3, 18, 5), TS(2000, 1, 1, 0, 0, 0, 1),
          TS(2024, 12, 30, 23), TS(1970, 1, 1), TS(2024, 6, 15, 7, 8, 9)],
    "u": [TS(2023, 12, 31), TS(2024, 1, 1), TS(2024, 2, 28, 12, 34, 56, 789000), TS(2024, 1, 1),
          None, TS(2021, 1, 3), TS(1999, 12, 31, 23, 59, 59), TS(2024, 12, 30, 23), TS(1970, 1, 1),
          TS(2025, 6, 15)],
    # text to convert: numbers, booleans, dates and timestamps as strings
    "n": ["42", "-7", "0", None, "007", "2147483648", "3", "-0", "1", "10"],
    "bt": ["true", "false", None, "true", "false", "true", "false", "true", "false", "true"],
    "dt": ["2024-02-29", None, "1970-01-01", "1969-12-31", "2000-12-31", "2024-01-01",
           "2023-12-31", "2021-01-03", "2024-12-30", "1999-01-01"],
    "tt": ["2024-02-29 12:34:56", None, "1970-01-01 00:00:00", "1969-12-31 23:59:59.5",
           "2000-12-31 23:00:00", "2024-01-01 00:00:00", "2023-12-31 23:59:59", "2021-01-03 18:05:00",
           "2024-12-30 00:00:01", "1999-01-01 00:00:00"],
}

# How each column is declared in the views. The source is an Arrow table, so float NaN stays a
# value (through pandas, a float NaN means "missing" and would arrive as NULL).
INPUTS: dict[str, Callable[[], Feature]] = {
    "i": Int64, "j": Int64, "f": Float, "g": Float, "s": String, "s2": String, "b": Bool, "c": Bool,
    "d": Date, "t": Timestamp, "u": Timestamp, "n": String, "bt": String, "dt": String, "tt": String,
}
ARROW_TYPES = {"i": pa.int64(), "j": pa.int64(), "f": pa.float64(), "g": pa.float64(), "b": pa.bool_(),
               "c": pa.bool_(), "d": pa.date32(), "t": pa.timestamp("us"), "u": pa.timestamp("us")}


def _table() -> pa.Table:
    return pa.table({
        name: pa.array(values, type=ARROW_TYPES.get(name, pa.string()), from_pandas=False)
        for name, values in DATA.items() if name != "id"
    } | {"id": pa.array(DATA["id"], type=pa.int64())})


SOURCE = InMemorySource.from_arrow(_table(), name="operations")
ROWS = [dict(zip(DATA, values)) for values in zip(*DATA.values())]


# -- the specification -------------------------------------------------------------------------
@dataclass(frozen=True)
class Op:
    """One operation: ``build`` gets the view's input features as attributes."""

    text: str
    build: Callable[[SimpleNamespace], Feature]
    result: type[Feature]
    expected: Callable[..., Any]
    nulls: bool = False
    columns: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        parameters = inspect.signature(self.expected).parameters.values()
        columns = tuple(p.name for p in parameters if p.default is inspect.Parameter.empty)
        object.__setattr__(self, "columns", columns)

    def reference(self, row: dict[str, Any]) -> Any:
        args = [row[c] for c in self.columns]
        if not self.nulls and any(a is None for a in args):
            return None
        return self.expected(*args)


def kleene_and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def kleene_or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def nan_gt(a: float, b: float) -> bool:
    """SQL float order: NaN equals NaN and is greater than every other number."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and not math.isnan(b)
    return a > b


def nan_lt(a: float, b: float) -> bool:
    return nan_gt(b, a)


def half_away(x: float, digits: int = 0) -> float:
    if math.isnan(x):
        return x
    return float(Decimal(x).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def sql_pow(a: float, b: float) -> float | None:
    """NULL where the real result does not exist: negative ** fraction, 0 ** negative."""
    if (a < 0 and b != math.floor(b)) or (a == 0 and b < 0):
        return None
    return float(a) ** b


def as_float32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]  # type: ignore[no-any-return]


def ts_text(t: dt.datetime) -> str:
    """How a timestamp reads as text: ISO with a space, fraction without trailing zeros."""
    text = t.isoformat(sep=" ")
    return text.rstrip("0").rstrip(".") if "." in text else text


EPOCH = dt.datetime(1970, 1, 1)


def midnight(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time())


def epoch(t: dt.datetime) -> float:
    return (t - EPOCH).total_seconds()


def trunc_date(d: dt.date, unit: str) -> dt.date:
    return {"year": D(d.year, 1, 1), "month": D(d.year, d.month, 1),
            "week": d - dt.timedelta(days=d.weekday()), "day": d}[unit]


def trunc_ts(t: dt.datetime, unit: str) -> dt.datetime:
    if unit in ("year", "month", "week", "day"):
        return midnight(trunc_date(t.date(), unit))
    keep = {"hour": 4, "minute": 5, "second": 6}[unit]
    return TS(*t.timetuple()[:keep])


DATE_UNITS = ("year", "month", "week", "day")
TIME_UNITS = (*DATE_UNITS, "hour", "minute", "second")

ARITHMETIC = [
    Op("i + j", lambda v: v.i + v.j, Int64, lambda i, j: i + j),
    Op("i - j", lambda v: v.i - v.j, Int64, lambda i, j: i - j),
    Op("i * j", lambda v: v.i * v.j, Int64, lambda i, j: i * j),
    Op("3 - i", lambda v: 3 - v.i, Int64, lambda i: 3 - i),
    Op("i / j", lambda v: v.i / v.j, Float64, lambda i, j: i / j if j else None),
    Op("1 / i", lambda v: 1 / v.i, Float64, lambda i: 1 / i if i else None),
    Op("i // j", lambda v: v.i // v.j, Int64, lambda i, j: i // j if j else None),
    Op("i % j", lambda v: v.i % v.j, Int64, lambda i, j: i % j if j else None),
    Op("i ** j", lambda v: v.i ** v.j, Float64, lambda i, j: sql_pow(i, j)),
    Op("i ** -1", lambda v: v.i ** -1, Float64, lambda i: sql_pow(i, -1)),
    Op("-i", lambda v: -v.i, Int64, lambda i: -i),
    Op("abs(i)", lambda v: abs(v.i), Int64, lambda i: abs(i)),
    Op("i + g", lambda v: v.i + v.g, Float64, lambda i, g: i + g),
    Op("i * 0.5", lambda v: v.i * 0.5, Float64, lambda i: i * 0.5),
    Op("f + g", lambda v: v.f + v.g, Float64, lambda f, g: f + g),
    Op("f - 1", lambda v: v.f - 1, Float64, lambda f: f - 1),
    Op("f * g", lambda v: v.f * v.g, Float64, lambda f, g: f * g),
    Op("f / g", lambda v: v.f / v.g, Float64, lambda f, g: f / g if g else None),
    Op("f // g", lambda v: v.f // v.g, Float64, lambda f, g: f // g if g else None),
    Op("f % g", lambda v: v.f % v.g, Float64, lambda f, g: f % g if g else None),
    Op("i // g", lambda v: v.i // v.g, Float64, lambda i, g: i // g if g else None),
    Op("i % g", lambda v: v.i % v.g, Float64, lambda i, g: i % g if g else None),
    Op("f ** 2", lambda v: v.f ** 2, Float64, lambda f: f ** 2),
    Op("g ** 0.5", lambda v: v.g ** 0.5, Float64, lambda g: sql_pow(g, 0.5)),
    Op("-f", lambda v: -v.f, Float64, lambda f: -f),
    Op("f.abs()", lambda v: v.f.abs(), Float64, lambda f: abs(f)),
]

COMPARISONS = [
    Op("i == j", lambda v: v.i == v.j, Bool, lambda i, j: i == j),
    Op("i != j", lambda v: v.i != v.j, Bool, lambda i, j: i != j),
    Op("i < j", lambda v: v.i < v.j, Bool, lambda i, j: i < j),
    Op("i <= j", lambda v: v.i <= v.j, Bool, lambda i, j: i <= j),
    Op("i > j", lambda v: v.i > v.j, Bool, lambda i, j: i > j),
    Op("i >= j", lambda v: v.i >= v.j, Bool, lambda i, j: i >= j),
    Op("i > 2.5", lambda v: v.i > 2.5, Bool, lambda i: i > 2.5),
    Op("i < g", lambda v: v.i < v.g, Bool, lambda i, g: i < g),
    Op("f > 0 (NaN is the greatest)", lambda v: v.f > 0, Bool, lambda f: nan_gt(f, 0)),
    Op("f <= g", lambda v: v.f <= v.g, Bool, lambda f, g: not nan_gt(f, g)),
    Op("f == f (NaN equals NaN)", lambda v: v.f == v.f, Bool, lambda f: True),
    Op("s < 'N' (code point order)", lambda v: v.s < "N", Bool, lambda s: s < "N"),
    Op("s == s2", lambda v: v.s == v.s2, Bool, lambda s, s2: s == s2),
    Op("s >= s2", lambda v: v.s >= v.s2, Bool, lambda s, s2: s >= s2),
    Op("b == c", lambda v: v.b == v.c, Bool, lambda b, c: b == c),
    Op("b != True", lambda v: v.b != True, Bool, lambda b: b is not True),  # noqa: E712
    Op("d >= 2024-01-01", lambda v: v.d >= D(2024, 1, 1), Bool, lambda d: d >= D(2024, 1, 1)),
    Op("d < 1970-01-01", lambda v: v.d < D(1970, 1, 1), Bool, lambda d: d < D(1970, 1, 1)),
    Op("t == u", lambda v: v.t == v.u, Bool, lambda t, u: t == u),
    Op("t > 2024-01-01 00:00", lambda v: v.t > TS(2024, 1, 1), Bool, lambda t: t > TS(2024, 1, 1)),
]

LOGIC = [
    Op("b & c", lambda v: v.b & v.c, Bool, lambda b, c: kleene_and(b, c), nulls=True),
    Op("b | c", lambda v: v.b | v.c, Bool, lambda b, c: kleene_or(b, c), nulls=True),
    Op("~b", lambda v: ~v.b, Bool, lambda b: not b),
    Op("b & True", lambda v: v.b & True, Bool, lambda b: kleene_and(b, True), nulls=True),
    Op("False | c", lambda v: False | v.c, Bool, lambda c: kleene_or(False, c), nulls=True),
    Op("(i > 0) & ~(f > 1)", lambda v: (v.i > 0) & ~(v.f > 1), Bool,
       lambda i, f: kleene_and(None if i is None else i > 0, None if f is None else not nan_gt(f, 1)),
       nulls=True),
]

MEMBERSHIP = [
    Op("i.is_in([7, 0, -1])", lambda v: v.i.is_in([7, 0, -1]), Bool, lambda i: i in (7, 0, -1)),
    Op("i.is_in([])", lambda v: v.i.is_in([]), Bool, lambda i: False),
    Op("s.is_in(['', 'Mrs'])", lambda v: v.s.is_in(["", "Mrs"]), Bool, lambda s: s in ("", "Mrs")),
    Op("s.is_in([])", lambda v: v.s.is_in([]), Bool, lambda s: False),
    Op("f.is_in([2.5, 0.5])", lambda v: v.f.is_in([2.5, 0.5]), Bool, lambda f: f in (2.5, 0.5)),
    Op("d.is_in([2024-02-29])", lambda v: v.d.is_in([D(2024, 2, 29)]), Bool, lambda d: d == D(2024, 2, 29)),
    Op("i.between(-3, 5)", lambda v: v.i.between(-3, 5), Bool, lambda i: -3 <= i <= 5),
    Op("f.between(-1.0, 1.0)", lambda v: v.f.between(-1.0, 1.0), Bool,
       lambda f: not nan_lt(f, -1.0) and not nan_gt(f, 1.0)),
    Op("s.between('M', 'N')", lambda v: v.s.between("M", "N"), Bool, lambda s: "M" <= s <= "N"),
    Op("d.between(1970-01-01, 2023-12-31)", lambda v: v.d.between(D(1970, 1, 1), D(2023, 12, 31)), Bool,
       lambda d: D(1970, 1, 1) <= d <= D(2023, 12, 31)),
    Op("t.between(u, 2024-06-30)", lambda v: v.t.between(v.u, TS(2024, 6, 30)), Bool,
       lambda t, u: u <= t <= TS(2024, 6, 30)),
]

NULL_HANDLING = [
    Op("i.is_null()", lambda v: v.i.is_null(), Bool, lambda i: i is None, nulls=True),
    Op("f.is_null() (NaN is not NULL)", lambda v: v.f.is_null(), Bool, lambda f: f is None, nulls=True),
    Op("s.is_null() ('' is not NULL)", lambda v: v.s.is_null(), Bool, lambda s: s is None, nulls=True),
    Op("b.is_not_null()", lambda v: v.b.is_not_null(), Bool, lambda b: b is not None, nulls=True),
    Op("t.is_not_null()", lambda v: v.t.is_not_null(), Bool, lambda t: t is not None, nulls=True),
    Op("i.fill_na(0)", lambda v: v.i.fill_na(0), Int64, lambda i: 0 if i is None else i, nulls=True),
    Op("f.fill_na(0.0) (keeps NaN)", lambda v: v.f.fill_na(0.0), Float64,
       lambda f: 0.0 if f is None else f, nulls=True),
    Op("s.fill_na('?')", lambda v: v.s.fill_na("?"), String, lambda s: "?" if s is None else s, nulls=True),
    Op("b.fill_na(False)", lambda v: v.b.fill_na(False), Bool, lambda b: False if b is None else b,
       nulls=True),
    Op("d.fill_na(2000-01-01)", lambda v: v.d.fill_na(D(2000, 1, 1)), Date,
       lambda d: D(2000, 1, 1) if d is None else d, nulls=True),
    Op("t.fill_na(1999-12-31 12:00)", lambda v: v.t.fill_na(TS(1999, 12, 31, 12)), Timestamp,
       lambda t: TS(1999, 12, 31, 12) if t is None else t, nulls=True),
    Op("i.fill_na(j)", lambda v: v.i.fill_na(v.j), Int64, lambda i, j: j if i is None else i, nulls=True),
    Op("f.fill_na(g)", lambda v: v.f.fill_na(v.g), Float64, lambda f, g: g if f is None else f, nulls=True),
    Op("f.fill_na(i)", lambda v: v.f.fill_na(v.i), Float64,
       lambda f, i: (None if i is None else float(i)) if f is None else f, nulls=True),
    Op(
        "s.fill_na(s2)", lambda v: v.s.fill_na(v.s2), String, lambda s, s2: s2 if s is None else s, nulls=True
    ),
    Op("t.fill_na(u)", lambda v: v.t.fill_na(v.u), Timestamp, lambda t, u: u if t is None else t, nulls=True),
]

CASTS = [
    Op("b.cast(Bool())", lambda v: v.b.cast(Bool()), Bool, lambda b: b),
    Op("b.cast(Int32())", lambda v: v.b.cast(Int32()), Int32, lambda b: int(b)),
    Op("b.cast(Float())", lambda v: v.b.cast(Float()), Float64, lambda b: float(b)),
    Op("b.cast(String())", lambda v: v.b.cast(String()), String, lambda b: "true" if b else "false"),
    Op("i.cast(Bool())", lambda v: v.i.cast(Bool()), Bool, lambda i: i != 0),
    Op("i.cast(Int8())", lambda v: v.i.cast(Int8()), Int8, lambda i: i),
    Op("i.cast(Int32())", lambda v: v.i.cast(Int32()), Int32, lambda i: i),
    Op("(i * 20).cast(Int8()) (out of range -> NULL)", lambda v: (v.i * 20).cast(Int8()), Int8,
       lambda i: i * 20 if -128 <= i * 20 <= 127 else None),
    Op("(f * 1e7).cast(Int32()) (out of range -> NULL)", lambda v: (v.f * 1e7).cast(Int32()), Int32,
       lambda f: None if math.isnan(f) or abs(f * 1e7) >= 2**31 else math.trunc(f * 1e7)),
    Op("i.cast(Float())", lambda v: v.i.cast(Float()), Float64, lambda i: float(i)),
    Op("i.cast(String())", lambda v: v.i.cast(String()), String, lambda i: str(i)),
    Op("f.cast(Int64()) (toward zero; NaN -> NULL)", lambda v: v.f.cast(Int64()), Int64,
       lambda f: None if math.isnan(f) else math.trunc(f)),
    Op("g.cast(Int32())", lambda v: v.g.cast(Int32()), Int32, lambda g: math.trunc(g)),
    Op("f.cast(Float32())", lambda v: v.f.cast(Float32()), Float32, lambda f: as_float32(f)),
    Op("s.cast(String())", lambda v: v.s.cast(String()), String, lambda s: s),
    Op("n.cast(Int64())", lambda v: v.n.cast(Int64()), Int64, lambda n: int(n)),
    Op("n.cast(Float())", lambda v: v.n.cast(Float()), Float64, lambda n: float(n)),
    Op("bt.cast(Bool())", lambda v: v.bt.cast(Bool()), Bool, lambda bt: bt == "true"),
    Op("dt.cast(Date())", lambda v: v.dt.cast(Date()), Date, lambda dt: D.fromisoformat(dt)),
    Op("tt.cast(Timestamp())", lambda v: v.tt.cast(Timestamp()), Timestamp,
       lambda tt: TS.fromisoformat(tt)),
    Op("d.cast(Date())", lambda v: v.d.cast(Date()), Date, lambda d: d),
    Op("d.cast(Timestamp())", lambda v: v.d.cast(Timestamp()), Timestamp, lambda d: midnight(d)),
    Op("d.cast(String())", lambda v: v.d.cast(String()), String, lambda d: d.isoformat()),
    Op("t.cast(Timestamp())", lambda v: v.t.cast(Timestamp()), Timestamp, lambda t: t),
    Op("t.cast(Date())", lambda v: v.t.cast(Date()), Date, lambda t: t.date()),
    Op("t.cast(String())", lambda v: v.t.cast(String()), String, lambda t: ts_text(t)),
]

MATH = [
    Op("i.clip(0, 5)", lambda v: v.i.clip(0, 5), Int64, lambda i: min(max(i, 0), 5)),
    Op("f.clip(-1.0, 1.0) (NaN -> upper)", lambda v: v.f.clip(-1.0, 1.0), Float64,
       lambda f: 1.0 if math.isnan(f) else min(max(f, -1.0), 1.0)),
    Op("f.round() (half away from zero)", lambda v: v.f.round(), Float64, lambda f: half_away(f)),
    Op("f.round(2)", lambda v: v.f.round(2), Float64, lambda f: half_away(f, 2)),
    Op("f.round(3)", lambda v: v.f.round(3), Float64, lambda f: half_away(f, 3)),
    Op("f.round(-2)", lambda v: v.f.round(-2), Float64, lambda f: half_away(f, -2)),
    Op("g.round()", lambda v: v.g.round(), Float64, lambda g: half_away(g)),
    Op("f.floor()", lambda v: v.f.floor(), Float64, lambda f: f if math.isnan(f) else float(math.floor(f))),
    Op("f.ceil()", lambda v: v.f.ceil(), Float64, lambda f: f if math.isnan(f) else float(math.ceil(f))),
    Op("f.log() (<= 0 -> NULL)", lambda v: v.f.log(), Float64, lambda f: math.log(f) if not f <= 0 else None),
    Op("i.log()", lambda v: v.i.log(), Float64, lambda i: math.log(i) if i > 0 else None),
    Op("f.log(10)", lambda v: v.f.log(10), Float64, lambda f: math.log(f, 10) if not f <= 0 else None),
    Op("i.log(2)", lambda v: v.i.log(2), Float64, lambda i: math.log2(i) if i > 0 else None),
    Op("f.log1p() (<= -1 -> NULL)", lambda v: v.f.log1p(), Float64,
       lambda f: math.log1p(f) if not f <= -1 else None),
    Op(
        "f.exp() (overflow -> inf)", lambda v: v.f.exp(), Float64,
        lambda f: math.inf if f > 709 else math.exp(f),
    ),
    Op("i.exp()", lambda v: v.i.exp(), Float64, lambda i: math.exp(i)),
    Op(
        "f.sqrt() (< 0 -> NULL)", lambda v: v.f.sqrt(), Float64,
        lambda f: math.sqrt(f) if not f < 0 else None,
    ),
    Op("i.sqrt()", lambda v: v.i.sqrt(), Float64, lambda i: math.sqrt(i) if i >= 0 else None),
    Op("f.is_nan()", lambda v: v.f.is_nan(), Bool, lambda f: math.isnan(f)),
    Op("g.is_nan()", lambda v: v.g.is_nan(), Bool, lambda g: math.isnan(g)),
]

STRINGS = [
    Op("s.contains('Mr.') (literal)", lambda v: v.s.contains("Mr."), Bool, lambda s: "Mr." in s),
    Op("s.contains('.b*') (no regex)", lambda v: v.s.contains(".b*"), Bool, lambda s: ".b*" in s),
    Op("s.contains('%') (no LIKE)", lambda v: v.s.contains("%"), Bool, lambda s: "%" in s),
    Op("s.contains('')", lambda v: v.s.contains(""), Bool, lambda s: True),
    Op("s.contains(s2)", lambda v: v.s.contains(v.s2), Bool, lambda s, s2: s2 in s),
    Op("s.contains(\"'\")", lambda v: v.s.contains("'"), Bool, lambda s: "'" in s),
    Op(
        "s.matches('^Mrs?\\.')", lambda v: v.s.matches(r"^Mrs?\."), Bool,
        lambda s: s.startswith(("Mr.", "Mrs.")),
    ),
    Op("s.matches('[Üü]n')", lambda v: v.s.matches("[Üü]n"), Bool, lambda s: "Ün" in s or "ün" in s),
    Op("s.starts_with('Mr')", lambda v: v.s.starts_with("Mr"), Bool, lambda s: s.startswith("Mr")),
    Op("s.starts_with('_') (no LIKE)", lambda v: v.s.starts_with("_"), Bool, lambda s: s.startswith("_")),
    Op("s.starts_with(s2)", lambda v: v.s.starts_with(v.s2), Bool, lambda s, s2: s.startswith(s2)),
    Op("s.ends_with('s')", lambda v: v.s.ends_with("s"), Bool, lambda s: s.endswith("s")),
    Op("s.ends_with(s2)", lambda v: v.s.ends_with(v.s2), Bool, lambda s, s2: s.endswith(s2)),
    Op("s.lower()", lambda v: v.s.lower(), String, lambda s: s.lower()),
    Op("s.upper()", lambda v: v.s.upper(), String, lambda s: s.upper()),
    Op("s.strip() (spaces only)", lambda v: v.s.strip(), String, lambda s: s.strip(" ")),
    Op("s.length() (characters)", lambda v: v.s.length(), Int64, lambda s: len(s)),
    Op("s2.length()", lambda v: v.s2.length(), Int64, lambda s2: len(s2)),
    Op("s.replace('Mr.', 'Mister')", lambda v: v.s.replace("Mr.", "Mister"), String,
       lambda s: s.replace("Mr.", "Mister")),
    Op("s.replace('.b*', '')", lambda v: v.s.replace(".b*", ""), String, lambda s: s.replace(".b*", "")),
    Op("s + s2 (NULL-propagating)", lambda v: v.s + v.s2, String, lambda s, s2: s + s2),
    Op("s + '!'", lambda v: v.s + "!", String, lambda s: s + "!"),
    Op("'¡' + s", lambda v: "¡" + v.s, String, lambda s: "¡" + s),
]

DATES = [
    Op("d.year()", lambda v: v.d.year(), Int32, lambda d: d.year),
    Op("d.month()", lambda v: v.d.month(), Int32, lambda d: d.month),
    Op("d.day()", lambda v: v.d.day(), Int32, lambda d: d.day),
    Op("d.day_of_week() (ISO)", lambda v: v.d.day_of_week(), Int32, lambda d: d.isoweekday()),
    Op("d.day_of_year()", lambda v: v.d.day_of_year(), Int32, lambda d: d.timetuple().tm_yday),
    Op("d.week() (ISO)", lambda v: v.d.week(), Int32, lambda d: d.isocalendar()[1]),
    Op("d.epoch_seconds()", lambda v: v.d.epoch_seconds(), Float64, lambda d: epoch(midnight(d))),
    Op("d.seconds_since(t)", lambda v: v.d.seconds_since(v.t), Float64,
       lambda d, t: (midnight(d) - t).total_seconds()),
    *(Op(f"d.truncate('{unit}')", lambda v, unit=unit: v.d.truncate(unit), Date,
         lambda d, unit=unit: trunc_date(d, unit)) for unit in DATE_UNITS),
]

TIMESTAMPS = [
    Op("t.year()", lambda v: v.t.year(), Int32, lambda t: t.year),
    Op("t.month()", lambda v: v.t.month(), Int32, lambda t: t.month),
    Op("t.day()", lambda v: v.t.day(), Int32, lambda t: t.day),
    Op("t.hour()", lambda v: v.t.hour(), Int32, lambda t: t.hour),
    Op("t.minute()", lambda v: v.t.minute(), Int32, lambda t: t.minute),
    Op("t.day_of_week() (ISO)", lambda v: v.t.day_of_week(), Int32, lambda t: t.isoweekday()),
    Op("t.day_of_year()", lambda v: v.t.day_of_year(), Int32, lambda t: t.timetuple().tm_yday),
    Op("t.week() (ISO)", lambda v: v.t.week(), Int32, lambda t: t.isocalendar()[1]),
    Op("t.epoch_seconds()", lambda v: v.t.epoch_seconds(), Float64, lambda t: epoch(t)),
    Op("t.seconds_since(u)", lambda v: v.t.seconds_since(v.u), Float64, lambda t, u: (t - u).total_seconds()),
    Op("t.seconds_since(d)", lambda v: v.t.seconds_since(v.d), Float64,
       lambda t, d: (t - midnight(d)).total_seconds()),
    Op("t.date()", lambda v: v.t.date(), Date, lambda t: t.date()),
    *(Op(f"i.as_timestamp('{unit}')", lambda v, unit=unit: v.i.as_timestamp(unit), Timestamp,
         lambda i, unit=unit: EPOCH + dt.timedelta(microseconds=i * {"s": 10**6, "ms": 1000, "us": 1}[unit]))
      for unit in ("s", "ms", "us")),
    *(Op(f"t.truncate('{unit}')", lambda v, unit=unit: v.t.truncate(unit), Timestamp,
         lambda t, unit=unit: trunc_ts(t, unit)) for unit in TIME_UNITS),
]

CATEGORICAL = [
    Op("s.one_hot_encode(['Mrs', ''])[0] (NULL -> False)", lambda v: v.s.one_hot_encode(["Mrs", ""])[0], Bool,
       lambda s: s == "Mrs", nulls=True),
    Op("s.one_hot_encode(['Mrs', ''])[1]", lambda v: v.s.one_hot_encode(["Mrs", ""])[1], Bool,
       lambda s: s == "", nulls=True),
    Op(
        "i.one_hot_encode([7, 0])[1]", lambda v: v.i.one_hot_encode([7, 0])[1], Bool, lambda i: i == 0,
        nulls=True,
    ),
    Op(
        "b.one_hot_encode([True])[0]", lambda v: v.b.one_hot_encode([True])[0], Bool, lambda b: b is True,
        nulls=True,
    ),
    Op("s.ordinal_categories(['', 'Mrs', 'Mr. Owen Harris']) (unknown -> NULL)",
       lambda v: v.s.ordinal_categories(["", "Mrs", "Mr. Owen Harris"]), Int32,
       lambda s: {"": 0, "Mrs": 1, "Mr. Owen Harris": 2}.get(s)),
    Op("i.ordinal_categories([0, 7, -7])", lambda v: v.i.ordinal_categories([0, 7, -7]), Int32,
       lambda i: {0: 0, 7: 1, -7: 2}.get(i)),
    Op("d.ordinal_categories([1970-01-01])", lambda v: v.d.ordinal_categories([D(1970, 1, 1)]), Int32,
       lambda d: 0 if d == D(1970, 1, 1) else None),
]

CONDITIONAL = [
    Op("b.if_else(i, j) (NULL -> otherwise)", lambda v: v.b.if_else(v.i, v.j), Int64,
       lambda b, i, j: i if b else j, nulls=True),
    Op("if_else(b, s, 'none')", lambda v: if_else(v.b, v.s, "none"), String,
       lambda b, s: s if b else "none", nulls=True),
    Op("if_else(f > 0, f, 0.0)", lambda v: if_else(v.f > 0, v.f, 0.0), Float64,
       lambda f: f if f is not None and nan_gt(f, 0) else 0.0, nulls=True),
    Op("if_else(c, 1, i)", lambda v: if_else(v.c, 1, v.i), Int64, lambda c, i: 1 if c else i, nulls=True),
    Op("if_else(b, d, 2000-01-01)", lambda v: if_else(v.b, v.d, D(2000, 1, 1)), Date,
       lambda b, d: d if b else D(2000, 1, 1), nulls=True),
]

GROUPS = {
    "arithmetic": ARITHMETIC, "comparisons": COMPARISONS, "logic": LOGIC, "membership": MEMBERSHIP,
    "null_handling": NULL_HANDLING, "casts": CASTS, "math": MATH, "strings": STRINGS, "dates": DATES,
    "timestamps": TIMESTAMPS, "categorical": CATEGORICAL, "conditional": CONDITIONAL,
}
ALL_OPS = [op for ops in GROUPS.values() for op in ops]

ARROW_TYPES = {
    Bool: pa.bool_(), Int8: pa.int8(), Int32: pa.int32(), Int64: pa.int64(), Float32: pa.float32(),
    Float64: pa.float64(), String: pa.string(), Date: pa.date32(), Timestamp: pa.timestamp("us"),
}


# -- running ------------------------------------------------------------------------------------
_counter = itertools.count()


def build_view(op: Op) -> type[FeatureView]:
    """A view with fresh input features and one derived feature ``out`` computed by ``op``."""
    name = f"op_{next(_counter)}"
    inputs = {column: make() for column, make in INPUTS.items()}
    namespace: dict[str, Any] = {
        "metadata": FeatureViewMetadata(name=name, batch_source=SOURCE),
        "id": Entity(Int64()),
        **inputs,
        "out": op.build(SimpleNamespace(**inputs)),
    }
    return type(name, (FeatureView,), namespace)


@pytest.fixture(scope="module")
def store() -> Iterator[FeatureStore]:
    """One store (one DuckDB engine) shared by every operation's view."""
    store = FeatureStore()
    yield store
    store.close()


def same(actual: Any, expected: Any) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    if isinstance(expected, float) and not isinstance(expected, bool):
        if math.isnan(expected):
            return isinstance(actual, float) and math.isnan(actual)
        return isinstance(actual, float) and math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-12)
    return type(actual) is type(expected) and actual == expected


@pytest.mark.parametrize("op", ALL_OPS, ids=[op.text for op in ALL_OPS])
def test_operation_on_duckdb_matches_python(store: FeatureStore, op: Op) -> None:
    view = build_view(op)
    assert type(vars(view)["out"]) is op.result, "the typed API's result type"
    store.add_view(view.ir())
    table = store.feature_view(view.metadata.name).select(["out"]).all().to_arrow_sync()
    assert table.schema.field("out").type == ARROW_TYPES[op.result], "the SQL result type"
    got = dict(zip(table.column("id").to_pylist(), table.column("out").to_pylist()))
    wrong = {
        row["id"]: (got[row["id"]], op.reference(row))
        for row in ROWS
        if not same(got[row["id"]], op.reference(row))
    }
    inputs = {row["id"]: tuple(row[c] for c in op.columns) for row in ROWS}
    assert not wrong, "\n".join(
        f"row {i} inputs {inputs[i]}: DuckDB {g!r}, expected {e!r}" for i, (g, e) in wrong.items()
    )


def test_every_typed_method_is_specified() -> None:
    """A new public method on a dtype class must get an ``Op`` here (and in the golden SQL)."""
    import featsql.feature_types as types

    specified = " ".join(op.text for op in ALL_OPS)
    not_operations = {"description", "tags", "is_required", "accepted_values", "is_unique", "lower_bound",
                      "upper_bound", "min_length", "max_length", "must_match", "dtype"}
    missing = []
    for cls in (types.Bool, types.Int64, types.Float64, types.String, types.Date, types.Timestamp):
        for name in dir(cls):
            if name.startswith("_") or name in not_operations:
                continue
            if f".{name}(" not in specified and f"{name}(" not in specified:
                missing.append(f"{cls.__name__}.{name}")
    assert not missing, f"operations without a specification: {missing}"


# -- the same specification on PostgreSQL: the postgres lowering, and the Redshift lowering ------
# The Redshift lowering runs printed as PostgreSQL (Redshift is SQL-verified, not execution-
# verified, without a cluster; see docs/redshift.md).
PG_COLUMN_TYPES = {
    "id": "BIGINT", "i": "BIGINT", "j": "BIGINT", "f": "TEXT", "g": "TEXT", "s": "TEXT", "s2": "TEXT",
    "b": "BOOLEAN", "c": "BOOLEAN", "d": "DATE", "t": "TIMESTAMP", "u": "TIMESTAMP", "n": "TEXT",
    "bt": "TEXT", "dt": "TEXT", "tt": "TEXT",
}
PG_RESULT_TYPES = {
    Bool: {"bool"}, Int8: {"int2"}, Int32: {"int4"}, Int64: {"int8"}, Float32: {"float4"},
    Float64: {"float8"}, String: {"text", "varchar"}, Date: {"date"}, Timestamp: {"timestamp"},
}


class PostgresTable:
    """The DATA table in a scratch schema of the test PostgreSQL, on one connection."""

    def __init__(self, dsn: str) -> None:
        import asyncio
        import uuid

        import asyncpg

        from featsql.compiler.lower import in_memory_name
        from featsql.engines.ddl import quote_ident

        self.loop = asyncio.new_event_loop()
        self.con = self.loop.run_until_complete(asyncpg.connect(dsn))
        self.schema = quote_ident(f"featsql_operations_{uuid.uuid4().hex[:8]}")
        table = in_memory_name(SOURCE.ir)
        columns = ", ".join(f"{quote_ident(name)} {sql_type}" for name, sql_type in PG_COLUMN_TYPES.items())
        self.run(f"CREATE SCHEMA {self.schema}")
        self.run(f"SET search_path TO {self.schema}")
        self.run(f"CREATE TABLE {quote_ident(table)} ({columns})")
        records = [
            [repr(row[c]) if c in ("f", "g") and row[c] is not None else row[c] for c in PG_COLUMN_TYPES]
            for row in ROWS
        ]
        copy = self.con.copy_records_to_table(table, records=records, columns=list(PG_COLUMN_TYPES))
        self.loop.run_until_complete(copy)

    def run(self, sql: str) -> None:
        self.loop.run_until_complete(self.con.execute(sql))

    def fetch(self, sql: str) -> tuple[list[str], list[Any]]:
        async def go() -> tuple[list[str], list[Any]]:
            statement = await self.con.prepare(sql)
            return [a.type.name for a in statement.get_attributes()], list(await statement.fetch())

        return self.loop.run_until_complete(go())

    def close(self) -> None:
        self.run(f"DROP SCHEMA {self.schema} CASCADE")
        self.loop.run_until_complete(self.con.close())
        self.loop.close()


@pytest.fixture(scope="module")
def pg_table(postgres_dsn: str) -> Iterator[PostgresTable]:
    table = PostgresTable(postgres_dsn)
    yield table
    table.close()


# Known gaps in dialects/postgres.toml and dialects/redshift.toml (owned by the PostgreSQL/Redshift
# work), strict: the test fails once fixed, so the entry gets removed.
KNOWN_GAPS: dict[tuple[str, str], str] = {}  # (diff_seconds is exact since the microsecond templates)


@pytest.mark.postgres
@pytest.mark.parametrize("dialect", ["postgres", "redshift"])
@pytest.mark.parametrize("op", ALL_OPS, ids=[op.text for op in ALL_OPS])
def test_operation_on_postgres_matches_python(
    pg_table: PostgresTable, op: Op, dialect: str, request: pytest.FixtureRequest
) -> None:
    from featsql.compiler import compile_sql

    gap = KNOWN_GAPS.get((op.text, dialect))
    if gap:
        request.applymarker(pytest.mark.xfail(reason=gap, strict=True))

    view = build_view(op).ir()
    types, records = pg_table.fetch(compile_sql(view, dialect, select=["out"], output_dialect="postgres"))
    assert types[1] in PG_RESULT_TYPES[op.result], "the SQL result type"
    got = {record["id"]: record["out"] for record in records}
    wrong = {
        row["id"]: (got[row["id"]], op.reference(row))
        for row in ROWS
        if not same(got[row["id"]], op.reference(row))
    }
    inputs = {row["id"]: tuple(row[c] for c in op.columns) for row in ROWS}
    assert not wrong, "\n".join(
        f"row {i} inputs {inputs[i]}: {dialect} {g!r}, expected {e!r}" for i, (g, e) in wrong.items()
    )
