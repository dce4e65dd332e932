"""A pure-Python reference for featsql's semantic contract (docs/semantics.md).

``evaluate(view, row)`` computes every feature of an IR view for one source row, following the
contract rule by rule: three-valued NULL logic, SQL float ordering (NaN equals NaN and sorts above
+Infinity), true division, floor ``//`` and ``%``, division by zero -> NULL, round half away from
zero, math domain errors -> NULL, ISO day of week, range-checked casts. The differential tests
compare the SQL engines with each other *and* with this.

Where the contract leaves an input outside its domain (an Int64 overflow, a float overflow that
PostgreSQL reports as an error), evaluation raises :class:`OutOfDomain` and the property test
discards that example instead of comparing it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import struct
from typing import Any, Callable

from featsql import dtypes, ir

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_INT_BITS = {dtypes.INT8: 7, dtypes.INT16: 15, dtypes.INT32: 31, dtypes.INT64: 63}
_EPOCH = dt.datetime(1970, 1, 1)


class OutOfDomain(Exception):
    """The input is outside what the contract promises (the engines raise an error here)."""


# -- SQL value semantics -------------------------------------------------------------------------
def is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _key(value: Any) -> Any:
    """Sort key with SQL's float order: NaN equals NaN and is greater than every number."""
    if isinstance(value, float) and math.isnan(value):
        return (1, 0.0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    return value


def compare(op: str, a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    ka, kb = _key(a), _key(b)
    return {
        "eq": ka == kb,
        "ne": ka != kb,
        "lt": ka < kb,
        "le": ka <= kb,
        "gt": ka > kb,
        "ge": ka >= kb,
    }[op]


def and3(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def or3(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def not3(a: bool | None) -> bool | None:
    return None if a is None else not a


# -- checked arithmetic (PostgreSQL raises where IEEE would overflow; outside the contract) ------
def _check_int(value: int) -> int:
    if not INT64_MIN <= value <= INT64_MAX:
        raise OutOfDomain(f"Int64 overflow: {value}")
    return value


def _finite(*values: float) -> bool:
    return all(math.isfinite(v) for v in values)


def fadd(a: float, b: float) -> float:
    r = float(a) + float(b)
    if math.isinf(r) and _finite(a, b):
        raise OutOfDomain("float overflow")
    return r


def fsub(a: float, b: float) -> float:
    r = float(a) - float(b)
    if math.isinf(r) and _finite(a, b):
        raise OutOfDomain("float overflow")
    return r


def fmul(a: float, b: float) -> float:
    a, b = float(a), float(b)
    if (math.isinf(a) and b == 0) or (math.isinf(b) and a == 0):
        return math.nan
    r = a * b
    if math.isinf(r) and _finite(a, b):
        raise OutOfDomain("float overflow")
    if r == 0 and a != 0 and b != 0 and _finite(a, b):
        raise OutOfDomain("float underflow")
    return r


def fdiv(a: float, b: float) -> float:
    a, b = float(a), float(b)
    if math.isinf(a) and math.isinf(b):
        return math.nan
    if math.isnan(a) or math.isnan(b):
        return math.nan
    r = a / b
    if math.isinf(r) and _finite(a, b):
        raise OutOfDomain("float overflow")
    if r == 0 and a != 0 and not math.isinf(b):
        raise OutOfDomain("float underflow")
    return r


def ffloor(x: float) -> float:
    return x if not math.isfinite(x) else float(math.floor(x))


def fceil(x: float) -> float:
    return x if not math.isfinite(x) else float(math.ceil(x))


def ftrunc(x: float) -> float:
    return x if not math.isfinite(x) else float(math.trunc(x))


def fsign(x: float) -> float:
    if math.isnan(x) or x == 0:
        return 0.0
    return 1.0 if x > 0 else -1.0


# -- operations ------------------------------------------------------------------------------------
def _pow(x: float, y: float) -> float | None:
    x, y = float(x), float(y)
    if _key(x) < (0, 0) and _key(y) != _key(ffloor(y)):
        return None
    if x == 0 and _key(y) < (0, 0):
        return None
    if math.isnan(x) or math.isnan(y) or y == 0:
        return math.pow(x, y)
    if _key(abs(y)) > (0, 1e300):
        return math.pow(x, math.copysign(math.inf, y))
    ln = None if abs(x) == 0 else math.log(abs(x))
    m = None if ln is None else fmul(y, ln)
    if m is not None and _key(m) > (0, 709.78):
        odd = x < 0 and ffloor(y / 2) != y / 2
        return -math.inf if odd else math.inf
    if m is not None and _key(m) < (0, -745.13):
        return 0.0
    return math.pow(x, y)


def _round(x: float) -> float:
    if _key(abs(x)) < (0, 4503599627370496.0):
        return fsign(x) * ffloor(abs(x) + 0.5)
    return x


def _round_digits(x: float, d: int) -> float:
    scale = math.pow(10.0, d)
    if _key(abs(x)) < (0, fdiv(4503599627370496.0, scale)):
        return fdiv(fsign(x) * ffloor(fadd(fmul(abs(x), scale), 0.5)), scale)
    return x


def _ln(x: float) -> float | None:
    """``LN(CASE WHEN x > 0 THEN x END)`` (NaN > 0 in SQL, so NaN stays NaN)."""
    if not _key(x) > (0, 0.0):
        return None
    if is_nan(x) or math.isinf(x):
        return x
    return math.log(x)


def _log_base(a: float, b: float) -> float | None:
    """``LN(a) / NULLIF(LN(b), 0)`` with the guarded LN."""
    la, lb = _ln(float(a)), _ln(float(b))
    if la is None or lb is None or lb == 0:
        return None
    return fdiv(la, lb)


def _exp(x: float) -> float:
    x = float(x)
    if _key(x) < (0, -745.13):
        return 0.0
    if _key(x) > (0, 709.782712893384) and _key(x) < (0, math.inf):
        return math.inf
    if is_nan(x) or math.isinf(x):
        return x
    return math.exp(x)


def _sqrt(x: float) -> float | None:
    x = float(x)
    if _key(x) >= (0, 0):
        return x if not math.isfinite(x) else math.sqrt(x)
    return None


def _floordiv_float(a: float, b: float) -> float | None:
    if float(b) == 0:
        return None
    return ffloor(fdiv(a, b))


def _mod_float(a: float, b: float) -> float | None:
    if float(b) == 0:
        return None
    return fsub(a, fmul(b, ffloor(fdiv(a, b))))


def _truncate(value: Any, unit: str) -> Any:
    ts = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    if unit == "year":
        ts = ts.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    elif unit == "month":
        ts = ts.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    elif unit == "week":
        ts = ts.replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(days=ts.weekday())
    elif unit == "day":
        ts = ts.replace(hour=0, minute=0, second=0, microsecond=0)
    elif unit == "hour":
        ts = ts.replace(minute=0, second=0, microsecond=0)
    elif unit == "minute":
        ts = ts.replace(second=0, microsecond=0)
    elif unit == "second":
        ts = ts.replace(microsecond=0)
    return ts


def _micros(delta: dt.timedelta) -> int:
    return (delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds


def _epoch(value: dt.datetime) -> float:
    """Seconds since 1970-01-01, correctly rounded from the exact microsecond count."""
    return _micros(value - _EPOCH) / 10**6


def timestamp_text(value: dt.datetime) -> str:
    """How PostgreSQL and DuckDB print a TIMESTAMP cast to text (fraction without trailing zeros)."""
    text = value.strftime("%Y-%m-%d %H:%M:%S")
    if value.microsecond:
        text += ("." + f"{value.microsecond:06d}").rstrip("0")
    return text


def _int_op(fn: Callable[[int, int], int]) -> Callable[..., Any]:
    def op(a: Any, b: Any) -> Any:
        return _check_int(fn(a, b))

    return op


_OPS: dict[str, Callable[..., Any]] = {
    "neg": lambda a: _check_int(-a) if isinstance(a, int) else -a,
    "abs": lambda a: _check_int(abs(a)) if isinstance(a, int) else abs(a),
    "truediv": lambda a, b: None if float(b) == 0 else fdiv(a, b),
    "floordiv_int": lambda a, b: None if b == 0 else _check_int(a // b),
    "mod_int": lambda a, b: None if b == 0 else a % b,
    "floordiv_float": _floordiv_float,
    "mod_float": _mod_float,
    "pow": _pow,
    "round": _round,
    "round_digits": _round_digits,
    "floor": lambda a: ffloor(a),
    "ceil": lambda a: fceil(a),
    "is_nan": lambda a: is_nan(a),
    "ln": lambda a: _ln(float(a)),
    "log_base": _log_base,
    "log1p": lambda a: _ln(fadd(1.0, a)) if _key(float(a)) > (0, -1.0) else None,
    "exp": _exp,
    "sqrt": _sqrt,
    "concat": lambda a, b: a + b,
    "contains": lambda a, b: b in a,
    "matches": lambda a, b: re.search(b, a) is not None,
    "starts_with": lambda a, b: a.startswith(b),
    "ends_with": lambda a, b: a.endswith(b),
    # simple (per character) case mapping, as the engines do: no final-sigma context rule
    "lower": lambda a: "".join(c.lower() for c in a),
    "upper": lambda a: "".join(c.upper() for c in a),
    "strip": lambda a: a.strip(" "),
    "length": lambda a: len(a),
    "replace": lambda a, b, c: a if b == "" else a.replace(b, c),
    "year": lambda a: a.year,
    "month": lambda a: a.month,
    "day": lambda a: a.day,
    "hour": lambda a: a.hour,
    "minute": lambda a: a.minute,
    "day_of_week": lambda a: a.isoweekday(),
    "day_of_year": lambda a: a.timetuple().tm_yday,
    "week": lambda a: a.isocalendar()[1],
    "epoch_seconds": _epoch,
    "diff_seconds": lambda a, b: _micros(a - b) / 10**6,
    "truncate_date": lambda a, unit: _truncate(a, unit).date(),
    "truncate_timestamp": lambda a, unit: _truncate(a, unit),
}


def _arith(op: str, a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool):
        return _check_int({"add": a + b, "sub": a - b, "mul": a * b}[op])
    return {"add": fadd, "sub": fsub, "mul": fmul}[op](a, b)


def call(op: str, args: list[Any]) -> Any:
    """One IR operation on already-evaluated arguments (None is NULL)."""
    if op in ("eq", "ne", "lt", "le", "gt", "ge"):
        return compare(op, args[0], args[1])
    if op == "and":
        return and3(args[0], args[1])
    if op == "or":
        return or3(args[0], args[1])
    if op == "not":
        return not3(args[0])
    if op == "is_null":
        return args[0] is None
    if op == "is_not_null":
        return args[0] is not None
    if op == "coalesce":
        return args[0] if args[0] is not None else args[1]
    if op == "between":
        return and3(compare("ge", args[0], args[1]), compare("le", args[0], args[2]))
    if op == "clip":
        x, lo, hi = args
        if compare("lt", x, lo) is True:
            return lo
        if compare("gt", x, hi) is True:
            return hi
        return x
    if any(a is None for a in args):
        return None
    if op in ("add", "sub", "mul"):
        return _arith(op, args[0], args[1])
    fn = _OPS.get(op)
    if fn is None:
        raise NotImplementedError(f"no Python reference for operation '{op}'")
    return fn(*args)


def cast(value: Any, from_: str, to: str) -> Any:
    """The contract's conversions: range-checked integer targets (NULL when out of range)."""
    if value is None or from_ == to:
        return value
    src, dst = dtypes.family(from_), dtypes.family(to)
    if dst == "int":
        if src == "float":
            value = ftrunc(value)
            if not math.isfinite(value):
                return None
            value = int(value)
        elif src == "bool":
            value = int(value)
        elif src == "string":
            value = int(value)
        bits = _INT_BITS[to]
        return value if -(2**bits) <= value < 2**bits else None
    if dst == "float":
        value = float(value)
        return _to_float32(value) if to == dtypes.FLOAT32 else value
    if dst == "bool":
        if src == "int":
            return value != 0
        if src == "string":
            return {"true": True, "false": False}[value.strip().lower()]
        return value
    if dst == "string":
        if src == "bool":
            return "true" if value else "false"
        if src == "timestamp":
            return timestamp_text(value)
        if src == "date":
            return value.isoformat()
        return str(value)
    if dst == "date":
        return value.date() if isinstance(value, dt.datetime) else value
    if dst == "timestamp":
        if isinstance(value, dt.datetime):
            return value
        return dt.datetime(value.year, value.month, value.day)
    raise NotImplementedError(f"no Python reference for cast {from_} -> {to}")


def _to_float32(value: float) -> float:
    """The nearest float32 (as REAL stores it); out-of-range finite values become +-Infinity."""
    try:
        return float(struct.unpack("f", struct.pack("f", value))[0])
    except OverflowError:
        return math.copysign(math.inf, value)


class Evaluator:
    """Evaluates the features of one view, row by row."""

    def __init__(self, view: ir.View) -> None:
        self.view = view

    def row(self, source: dict[str, Any]) -> dict[str, Any]:
        """Every feature's value for one source row (keys: feature names)."""
        memo: dict[str, Any] = {}

        def feature(name: str) -> Any:
            if name not in memo:
                memo[name] = expr(self.view.feature(name).expr)
            return memo[name]

        def expr(node: ir.Expr) -> Any:
            if isinstance(node, ir.Col):
                return source[self.view.source.source_column(node.name)]
            if isinstance(node, ir.Ref):
                return feature(node.name)
            if isinstance(node, ir.Lit):
                return literal(node)
            if isinstance(node, ir.Call):
                return call(node.op, [expr(a) for a in node.args])
            if isinstance(node, ir.Case):
                for cond, value in node.whens:
                    if expr(cond) is True:
                        return expr(value)
                return None if node.default is None else expr(node.default)
            if isinstance(node, ir.InList):
                value = expr(node.arg)
                if value is None:
                    return None
                return any(compare("eq", value, literal(v)) for v in node.values)
            if isinstance(node, ir.Cast):
                return cast(expr(node.arg), node.from_, node.to)
            raise TypeError(f"unknown IR node {node!r}")

        return {f.name: feature(f.name) for f in self.view.features}


def literal(node: ir.Lit) -> Any:
    value = node.value
    if value is None:
        return None
    if node.dtype == dtypes.TIMESTAMP:
        return dt.datetime.fromisoformat(str(value))
    if node.dtype == dtypes.DATE:
        return dt.date.fromisoformat(str(value))
    if node.dtype in dtypes.FLOAT_TYPES and not isinstance(value, bool):
        return float(value)
    return value
