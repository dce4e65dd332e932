"""Generate docs/expressions.md, the expression reference, from the typed API and the dialect tables.

The SQL columns are compiled from ``dialects/*.toml`` (nothing is copied by hand), the result type
is the class the typed API returns; the NULL behaviour and descriptions are written here, next to
the list of methods. ``tests/test_expressions_doc.py`` fails when the committed page is stale and
when a public method of a dtype class is missing from the page.

    python docs/_generate_expressions.py          # rewrite docs/expressions.md
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

from sqlglot import exp

from featsql import (
    Bool,
    Date,
    Entity,
    FeatureView,
    FeatureViewMetadata,
    FileSource,
    Float,
    Float32,
    Int32,
    Int64,
    String,
    Timestamp,
    if_else,
)
from featsql.compiler import DIALECTS, compile_select
from featsql.compiler.dialect import load
from featsql.errors import UnsupportedOperationError
from featsql.feature_base import Feature

OUTPUT = Path(__file__).resolve().parent / "expressions.md"
DIALECT_TITLES = {"duckdb": "DuckDB", "postgres": "PostgreSQL", "redshift": "Redshift"}

# The inputs every example may use, and their declared types (the source has exactly these types,
# so the SQL shows the operation itself, without casts of the source columns).
INPUTS: dict[str, Callable[[], Feature]] = {
    "x": Int64, "y": Int64, "f": Float, "g": Float, "s": String, "p": String, "b": Bool, "c": Bool,
    "d": Date, "t": Timestamp, "u": Timestamp,
}


@dataclass(frozen=True)
class Entry:
    """One documented expression: how to write it, what NULL does, and anything else to know."""

    text: str
    make: Callable[[SimpleNamespace], Any]
    nulls: str
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    classes: tuple[type[Feature], ...]
    entries: tuple[Entry, ...]
    methods: tuple[str, ...]  # public method names this section documents


PROPAGATES = "NULL if any operand is NULL"

EVERY = Section(
    "Every feature",
    "Available on every dtype class.",
    (Bool, Int64, Float, String, Date, Timestamp),
    (
        Entry("x.is_null()", lambda v: v.x.is_null(), "never NULL", "a float NaN is a value, not NULL"),
        Entry("x.is_not_null()", lambda v: v.x.is_not_null(), "never NULL"),
        Entry("x.fill_na(0)", lambda v: v.x.fill_na(0), "NULL becomes the value",
              "a literal of the feature's type; NaN is kept"),
        Entry("f.fill_na(g)", lambda v: v.f.fill_na(v.g), "NULL only where both are NULL",
              "a feature of a compatible type"),
        Entry("x.is_in([1, 2])", lambda v: v.x.is_in([1, 2]), "NULL where x is NULL", "literals only"),
        Entry("x.is_in([])", lambda v: v.x.is_in([]), "NULL where x is NULL", "FALSE otherwise"),
        Entry("s.one_hot_encode(['a', 'b'])", lambda v: v.s.one_hot_encode(["a", "b"])[0],
              "never NULL: NULL gives all FALSE",
              "one Bool per category, unpack them: `is_a, is_b = s.one_hot_encode([...])`; SQL of the first"),
        Entry("s.ordinal_categories(['a', 'b'])", lambda v: v.s.ordinal_categories(["a", "b"]),
              "NULL for NULL and for a value not in the list", "0-based position in the list"),
        Entry("if_else(b, x, y)", lambda v: if_else(v.b, v.x, v.y), "a NULL condition picks `y`",
              "also `b.if_else(x, y)`; one branch may be a literal; the feature branch gives the type"),
    ),
    ("is_null", "is_not_null", "fill_na", "is_in", "one_hot_encode", "ordinal_categories", "cast", "if_else"),
)

CASTS = Section(
    "Casts",
    "`feature.cast(Type())` converts between dtypes. Allowed: bool to bool/int/float/string; int to "
    "bool/int/float/string; float to int/float; string to anything; date to date/timestamp/string; "
    "timestamp to timestamp/date/string. Float to String is refused (engines print floats "
    "differently): round or cast to an integer first. Anything else is a definition error.",
    (Bool, Int64, Float, String, Date, Timestamp),
    (
        Entry("b.cast(Int32())", lambda v: v.b.cast(Int32()), PROPAGATES, "TRUE 1, FALSE 0"),
        Entry("b.cast(String())", lambda v: v.b.cast(String()), PROPAGATES, "`'true'` / `'false'`"),
        Entry("x.cast(Bool())", lambda v: v.x.cast(Bool()), PROPAGATES, "TRUE where not 0"),
        Entry("x.cast(Int32())", lambda v: v.x.cast(Int32()), "NULL also when out of Int32's range"),
        Entry("x.cast(Float())", lambda v: v.x.cast(Float()), PROPAGATES),
        Entry("x.cast(String())", lambda v: v.x.cast(String()), PROPAGATES),
        Entry("f.cast(Int64())", lambda v: v.f.cast(Int64()), "NULL also for NaN, ±Infinity, out of range",
              "truncates toward zero: 2.7 -> 2, -2.7 -> -2"),
        Entry("f.cast(Float32())", lambda v: v.f.cast(Float32()), PROPAGATES),
        Entry("s.cast(Int64())", lambda v: v.s.cast(Int64()), PROPAGATES,
              "text that is not an integer fails the query (FeatSQLError naming the view)"),
        Entry("s.cast(Float())", lambda v: v.s.cast(Float()), PROPAGATES, "`'NaN'` reads as NaN"),
        Entry("s.cast(Bool())", lambda v: v.s.cast(Bool()), PROPAGATES, "`'true'` / `'false'`"),
        Entry("s.cast(Date())", lambda v: v.s.cast(Date()), PROPAGATES, "ISO text, `'2024-02-29'`"),
        Entry("s.cast(Timestamp())", lambda v: v.s.cast(Timestamp()), PROPAGATES,
              "ISO text, `'2024-02-29 12:34:56'`"),
        Entry("d.cast(Timestamp())", lambda v: v.d.cast(Timestamp()), PROPAGATES, "midnight"),
        Entry("d.cast(String())", lambda v: v.d.cast(String()), PROPAGATES, "`'2024-02-29'`"),
        Entry("t.cast(Date())", lambda v: v.t.cast(Date()), PROPAGATES, "same as `t.date()`"),
        Entry("t.cast(String())", lambda v: v.t.cast(String()), PROPAGATES,
              "`'2024-02-29 12:34:56.789'` (fraction without trailing zeros)"),
    ),
    (),
)

COMPARISONS = Section(
    "Comparisons",
    "On numbers (ints and floats mix), strings, dates and timestamps; `==` and `!=` also on Bool. "
    "The other side is a feature of a compatible type or a literal (`x > 2`, `s == 'male'`, "
    "`d >= datetime.date(2024, 1, 1)`); a str never meets a number. As in SQL, NaN equals NaN and is "
    "greater than every other number. Strings compare by code point.",
    (Int64, Float, String, Date, Timestamp),
    (
        Entry("x == y", lambda v: v.x == v.y, PROPAGATES, "use `is_null()` to test for NULL"),
        Entry("x != y", lambda v: v.x != v.y, PROPAGATES),
        Entry("x < y", lambda v: v.x < v.y, PROPAGATES),
        Entry("x <= y", lambda v: v.x <= v.y, PROPAGATES),
        Entry("x > y", lambda v: v.x > v.y, PROPAGATES),
        Entry("x >= y", lambda v: v.x >= v.y, PROPAGATES),
        Entry("x.between(0, 10)", lambda v: v.x.between(0, 10), PROPAGATES, "both ends inclusive"),
        Entry("d >= date(2024, 1, 1)", lambda v: v.d >= dt.date(2024, 1, 1), PROPAGATES),
    ),
    ("between",),
)

LOGIC = Section(
    "Bool",
    "`&`, `|` and `~` (not `and`, `or`, `not`, which Python cannot overload) with SQL's three-valued "
    "logic: `FALSE & NULL` is FALSE, `TRUE | NULL` is TRUE, anything else with NULL is NULL.",
    (Bool,),
    (
        Entry("b & c", lambda v: v.b & v.c, "FALSE if either is FALSE, else NULL if either is NULL"),
        Entry("b | c", lambda v: v.b | v.c, "TRUE if either is TRUE, else NULL if either is NULL"),
        Entry("~b", lambda v: ~v.b, PROPAGATES),
        Entry("b == c", lambda v: v.b == v.c, PROPAGATES),
        Entry("b.if_else(x, y)", lambda v: v.b.if_else(v.x, v.y), "a NULL condition picks `y`"),
    ),
    ("if_else",),
)

NUMBERS = Section(
    "Numbers",
    "Int8, Int16, Int32, Int64, Float32 and Float (Float64). Integer arithmetic gives Int64 (no "
    "early overflow); with a float operand, and for `/`, `**` and the math functions, the result is "
    "Float. Dividing by zero gives NULL, never an error. Math outside a function's domain gives NULL.",
    (Int64, Float),
    (
        Entry("x + y", lambda v: v.x + v.y, PROPAGATES, "`x - y`, `x * y` alike"),
        Entry("x - y", lambda v: v.x - v.y, PROPAGATES),
        Entry("x * y", lambda v: v.x * v.y, PROPAGATES),
        Entry("x + f", lambda v: v.x + v.f, PROPAGATES, "an int with a float gives Float"),
        Entry("x / y", lambda v: v.x / v.y, "NULL also when y = 0", "true division: 7 / 2 = 3.5"),
        Entry("x // y", lambda v: v.x // v.y, "NULL also when y = 0",
              "floor division like Python: -7 // 2 = -4"),
        Entry("x % y", lambda v: v.x % v.y, "NULL also when y = 0",
              "floor modulo like Python, the divisor's sign: -7 % 2 = 1"),
        Entry("f // g", lambda v: v.f // v.g, "NULL also when g = 0", "floor of f / g"),
        Entry("f % g", lambda v: v.f % v.g, "NULL also when g = 0", "f - g * floor(f / g)"),
        Entry("x ** y", lambda v: v.x ** v.y, "NULL also for 0 ** negative and negative ** fraction",
              "Float; overflow gives ±Infinity"),
        Entry("-x", lambda v: -v.x, PROPAGATES),
        Entry("abs(x)", lambda v: abs(v.x), PROPAGATES, "also `x.abs()`"),
        Entry("x.clip(0, 10)", lambda v: v.x.clip(0, 10), "NULL stays NULL",
              "limits to [lower, upper]; NaN, the greatest number, becomes upper"),
        Entry("f.log()", lambda v: v.f.log(), "NULL also for f <= 0", "natural logarithm"),
        Entry("f.log(10)", lambda v: v.f.log(10), "NULL also for f <= 0", "logarithm in a base"),
        Entry("f.log1p()", lambda v: v.f.log1p(), "NULL also for f <= -1", "ln(1 + f)"),
        Entry("f.exp()", lambda v: v.f.exp(), PROPAGATES, "overflow gives Infinity, underflow 0"),
        Entry("f.sqrt()", lambda v: v.f.sqrt(), "NULL also for f < 0"),
        Entry("x.as_timestamp('s')", lambda v: v.x.as_timestamp("s"), PROPAGATES,
              "integer seconds (`'s'`), milliseconds (`'ms'`) or microseconds (`'us'`) since 1970-01-01 UTC"),
    ),
    ("abs", "clip", "log", "log1p", "exp", "sqrt", "as_timestamp"),
)

FLOATS = Section(
    "Floats only",
    "Float32 and Float (Float64). A NaN is a value: it is not NULL, `fill_na` keeps it, and it "
    "propagates through arithmetic.",
    (Float,),
    (
        Entry("f.round()", lambda v: v.f.round(), PROPAGATES,
              "half away from zero on every engine: 2.5 -> 3, -2.5 -> -3"),
        Entry("f.round(2)", lambda v: v.f.round(2), PROPAGATES,
              "to 2 decimals; negative digits round to tens, ..."),
        Entry("f.floor()", lambda v: v.f.floor(), PROPAGATES),
        Entry("f.ceil()", lambda v: v.f.ceil(), PROPAGATES),
        Entry("f.is_nan()", lambda v: v.f.is_nan(), PROPAGATES),
    ),
    ("round", "floor", "ceil", "is_nan"),
)

STRINGS = Section(
    "String",
    "Text. The empty string is a value, not NULL. Patterns given to `contains`, `starts_with`, "
    "`ends_with` and `replace` are literal text (`'Mr.'` does not match `'Mrs.'`, `%` and `_` are "
    "not wildcards); `matches` takes a regular expression. Lengths count characters, not bytes. "
    "Case mapping is per character: a character whose upper case is several characters (`ß`) is "
    "engine-specific.",
    (String,),
    (
        Entry("s + p", lambda v: v.s + v.p, PROPAGATES, "concatenation; also with a str: `s + '!'`"),
        Entry("s.contains('Mr.')", lambda v: v.s.contains("Mr."), PROPAGATES, "literal substring"),
        Entry("s.matches(r'^Mrs?\\.')", lambda v: v.s.matches(r"^Mrs?\."), PROPAGATES,
              "regular expression, found anywhere unless anchored"),
        Entry("s.starts_with('Mr')", lambda v: v.s.starts_with("Mr"), PROPAGATES, "literal prefix"),
        Entry("s.ends_with('son')", lambda v: v.s.ends_with("son"), PROPAGATES, "literal suffix"),
        Entry("s.lower()", lambda v: v.s.lower(), PROPAGATES),
        Entry("s.upper()", lambda v: v.s.upper(), PROPAGATES),
        Entry(
            "s.strip()", lambda v: v.s.strip(), PROPAGATES, "removes leading and trailing spaces (not tabs)"
        ),
        Entry("s.length()", lambda v: v.s.length(), PROPAGATES, "characters: `'Zoë'` has 3"),
        Entry("s.replace('Mr.', 'Mister')", lambda v: v.s.replace("Mr.", "Mister"), PROPAGATES,
              "every literal occurrence"),
    ),
    ("contains", "matches", "starts_with", "ends_with", "lower", "upper", "strip", "length", "replace"),
)

TEMPORAL = Section(
    "Date and Timestamp",
    "Methods are called with parentheses. Timestamps are UTC without a time zone; a date counts "
    "from its midnight. `truncate` takes `'year'`, `'month'`, `'week'` (ISO: back to Monday) or "
    "`'day'`, and for timestamps also `'hour'`, `'minute'`, `'second'`.",
    (Date, Timestamp),
    (
        Entry("d.year()", lambda v: v.d.year(), PROPAGATES),
        Entry("d.month()", lambda v: v.d.month(), PROPAGATES, "1..12"),
        Entry("d.day()", lambda v: v.d.day(), PROPAGATES, "1..31"),
        Entry("d.day_of_week()", lambda v: v.d.day_of_week(), PROPAGATES, "ISO: Monday = 1 .. Sunday = 7"),
        Entry("d.day_of_year()", lambda v: v.d.day_of_year(), PROPAGATES, "1..366"),
        Entry("d.week()", lambda v: v.d.week(), PROPAGATES, "ISO week, 1..53 (2021-01-03 is in week 53)"),
        Entry("t.hour()", lambda v: v.t.hour(), PROPAGATES, "Timestamp only, 0..23"),
        Entry("t.minute()", lambda v: v.t.minute(), PROPAGATES, "Timestamp only, 0..59"),
        Entry("t.epoch_seconds()", lambda v: v.t.epoch_seconds(), PROPAGATES,
              "seconds since 1970-01-01 00:00:00, with the fraction"),
        Entry("t.seconds_since(u)", lambda v: v.t.seconds_since(v.u), PROPAGATES,
              "t - u in seconds; negative when u is later; takes a Date too"),
        Entry(
            "d.seconds_since(t)", lambda v: v.d.seconds_since(v.t), PROPAGATES, "a date counts from midnight"
        ),
        Entry("t.date()", lambda v: v.t.date(), PROPAGATES, "Timestamp only"),
        Entry("d.truncate('month')", lambda v: v.d.truncate("month"), PROPAGATES, "a Date"),
        Entry("t.truncate('week')", lambda v: v.t.truncate("week"), PROPAGATES, "a Timestamp, Monday 00:00"),
        Entry("t.truncate('hour')", lambda v: v.t.truncate("hour"), PROPAGATES),
    ),
    ("year", "month", "day", "day_of_week", "day_of_year", "week", "hour", "minute", "epoch_seconds",
     "seconds_since", "date", "truncate"),
)

SECTIONS = (EVERY, COMPARISONS, LOGIC, NUMBERS, FLOATS, STRINGS, TEMPORAL, CASTS)

DECLARATIONS = (
    ("description(text)", "a human description (catalog, exports)"),
    ("tags(*tags)", "free-form tags"),
    ("is_required()", "never NULL"),
    ("accepted_values([...])", "the only values allowed (NULL allowed unless required)"),
    ("is_unique()", "no two rows share a non-NULL value"),
    ("lower_bound(v)", "`v <= value`, numbers, strings, dates, timestamps"),
    ("upper_bound(v)", "`value <= v`"),
    ("min_length(n)", "String: at least n characters"),
    ("max_length(n)", "String: at most n characters"),
    ("must_match(regex)", "String: the regular expression matches (anywhere; anchor with `^...$`)"),
)
DECLARATION_METHODS = frozenset(text.split("(")[0] for text, _ in DECLARATIONS) | {"dtype"}

EXAMPLE = '''\
```python
from featsql import Entity, FeatureStore, FeatureView, FeatureViewMetadata, FileSource, Float, Int32, String

class Passenger(FeatureView):
    metadata = FeatureViewMetadata(
        name="passenger", batch_source=FileSource.csv_at("examples/data/titanic.csv")
    )
    PassengerId = Entity(Int32())
    Name = String()
    Fare = Float()
    SibSp = Int32()
    fare_per_person = (Fare / (SibSp + 1)).round(2)      # Float; NULL when Fare is NULL
    is_mr = Name.contains("Mr.")                          # literal: "Mrs." does not match
    title_length = Name.strip().length()                  # Int64, characters

store = FeatureStore.from_definitions([Passenger])
print(store.feature_view("passenger").sql(dialect="postgres", pretty=True))
```'''


# -- rendering ------------------------------------------------------------------------------------
SCHEMA = {name: make().dtype for name, make in INPUTS.items()}
_SOURCE = FileSource.parquet_at("data.parquet")


def compiled(entry: Entry) -> tuple[str, dict[str, str]]:
    """The result type's name and the entry's SQL in every dialect."""
    inputs = {name: make() for name, make in INPUTS.items()}
    feature = entry.make(SimpleNamespace(**inputs))
    namespace: dict[str, Any] = {
        "metadata": FeatureViewMetadata(name="doc", batch_source=_SOURCE),
        "key": Entity(Int64()),
        **inputs,
        "out": feature,
    }
    view = type("Doc", (FeatureView,), namespace).ir()
    sql = {}
    for dialect in DIALECTS:
        try:
            select = compile_select(view, dialect, select=["out"], schema={**SCHEMA, "key": "int64"})
        except UnsupportedOperationError as error:  # listed under [unsupported]: say why
            sql[dialect] = f"not supported: {error}"
            continue
        node = next(e for e in select.expressions if e.alias_or_name == "out")
        assert isinstance(node, exp.Alias)
        sql[dialect] = "`" + cell(node.this.sql(dialect=load(dialect).sqlglot_dialect)) + "`"
    name = type(feature).__name__
    return ("Float" if name == "Float64" else name), sql


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def code(text: str) -> str:
    return f"`{cell(text)}`"


def render_section(section: Section) -> list[str]:
    lines = [f"## {section.title}", "", section.intro, ""]
    titles = [DIALECT_TITLES[d] for d in DIALECTS]
    lines.append("| Expression | Result | NULL | Notes |")
    lines.append("|---|---|---|---|")
    sql_rows = []
    for entry in section.entries:
        result, sql = compiled(entry)
        lines.append(f"| {code(entry.text)} | {result} | {cell(entry.nulls)} | {cell(entry.note)} |")
        sql_rows.append(f"| {code(entry.text)} | " + " | ".join(sql[d] for d in DIALECTS) + " |")
    lines += ["", "SQL per dialect (compiled from `dialects/*.toml`):", ""]
    lines.append("| Expression | " + " | ".join(titles) + " |")
    lines.append("|---|" + "---|" * len(titles))
    lines += sql_rows
    lines.append("")
    return lines


def render() -> str:
    lines = [
        "# Expression reference",
        "",
        "<!-- Generated by docs/_generate_expressions.py from the typed API and dialects/*.toml; "
        "do not edit by hand. -->",
        "",
        EXAMPLE,
        "",
        "Every operation is a method (or an operator) of a typed feature class, so editors complete "
        "it and a type checker rejects `Float().contains('x')` before anything runs. Each returns a "
        "new typed feature. Below, `x` and `y` are Int64 features, `f` and `g` Float, `s` and `p` "
        "String, `b` and `c` Bool, `d` Date, `t` and `u` Timestamp. The *Result* column is the "
        "typed API's result class; the SQL tables show what each dialect runs, for inputs that "
        "already have the declared type (otherwise the source column is cast first). The rules "
        "behind them are in [semantics.md](semantics.md); `tests/test_operations.py` checks every "
        "line against a Python reference on DuckDB.",
        "",
        "Contents: " + ", ".join(f"[{s.title}](#{s.title.lower().replace(' ', '-')})" for s in SECTIONS)
        + ", [Declarations](#declarations).",
        "",
    ]
    for section in SECTIONS:
        lines += render_section(section)
    lines += [
        "## Declarations",
        "",
        "Stored with the feature and checked by validation; they do not change the value.",
        "",
        "| Method | Declares |",
        "|---|---|",
        *(f"| {code(text)} | {cell(meaning)} |" for text, meaning in DECLARATIONS),
        "",
    ]
    return "\n".join(lines)


def undocumented() -> list[str]:
    """Public methods of the dtype classes that no section documents."""
    documented = {m for s in SECTIONS for m in s.methods} | DECLARATION_METHODS
    missing = []
    for cls in (Bool, Int64, Float, Float32, String, Date, Timestamp):
        for name in dir(cls):
            if not name.startswith("_") and name not in documented:
                missing.append(f"{cls.__name__}.{name}")
    return missing


def main() -> int:
    missing = undocumented()
    if missing:
        print(f"document these methods in {__file__}: {', '.join(missing)}", file=sys.stderr)
        return 1
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
