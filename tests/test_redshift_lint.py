"""The Redshift lint (featsql/compiler/redshift_lint.py) and the completeness of the dialect tables.

No database needed: the lint walks sqlglot trees; the tables are data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import sqlglot

sys.path.insert(0, str(Path(__file__).resolve().parent))

from differential_support import make_view  # noqa: E402

from featsql import Entity, Float, Int64, String, Timestamp  # noqa: E402
from featsql.compiler import compile_select, compile_sql  # noqa: E402
from featsql.compiler.dialect import load  # noqa: E402
from featsql.compiler.redshift_lint import lint_redshift  # noqa: E402
from featsql.errors import UnsupportedOperationError  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden"

# (shape, SQL in the dialect it is read as, a word the problem must mention)
REJECTED = [
    ("lateral join", "postgres", "SELECT * FROM a LEFT JOIN LATERAL (SELECT 1 AS x) AS b ON TRUE", "LATERAL"),
    ("is not distinct from", "postgres", "SELECT a IS NOT DISTINCT FROM b FROM t", "IS NOT DISTINCT FROM"),
    ("is distinct from", "postgres", "SELECT a IS DISTINCT FROM b FROM t", "IS DISTINCT FROM"),
    ("values as a table", "postgres", "SELECT * FROM (VALUES (1), (2)) AS t(x)", "VALUES"),
    ("ilike any", "postgres", "SELECT x ILIKE ANY (ARRAY['a%', 'b%']) FROM t", "ANY"),
    ("generate_series in from", "postgres", "SELECT * FROM GENERATE_SERIES(1, 3)", "GENERATE_SERIES"),
    (
        "range frame",
        "postgres",
        "SELECT SUM(x) OVER (ORDER BY y RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t",
        "RANGE",
    ),
    (
        "ordered aggregate without frame",
        "postgres",
        "SELECT SUM(x) OVER (PARTITION BY k ORDER BY y) FROM t",
        "ROWS frame",
    ),
    ("regexp_matches", "postgres", "SELECT REGEXP_MATCHES(x, 'a') FROM t", "REGEXP_MATCHES"),
    ("case-insensitive regex operator", "postgres", "SELECT x ~* 'a' FROM t", "~*"),
    ("asof join", "duckdb", "SELECT * FROM a ASOF JOIN b ON a.t >= b.t", "ASOF"),
    ("aggregate filter", "postgres", "SELECT COUNT(*) FILTER (WHERE x > 1) FROM t", "FILTER"),
    ("distinct on", "postgres", "SELECT DISTINCT ON (k) k, x FROM t", "DISTINCT ON"),
    ("collate", "postgres", 'SELECT x COLLATE "C" < y FROM t', "COLLATE"),
    ("text type", "postgres", "SELECT CAST(x AS TEXT) FROM t", "VARCHAR(256)"),
    ("array_agg", "postgres", "SELECT ARRAY_AGG(x) FROM t", "ARRAY_AGG"),
    ("isodow", "postgres", "SELECT EXTRACT(ISODOW FROM t) FROM t", "ISODOW"),
]

ACCEPTED = [
    (
        "rows frame",
        "SELECT SUM(x) OVER (PARTITION BY k ORDER BY y "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t",
    ),
    (
        "ranking window without frame",
        "SELECT ROW_NUMBER() OVER (PARTITION BY k ORDER BY y DESC NULLS LAST) FROM t",
    ),
    ("posix regex", "SELECT x ~ '^M' FROM t"),
    ("expanded null-safe equality", "SELECT a = b OR a IS NULL AND b IS NULL FROM t"),
    ("insert values", "INSERT INTO t VALUES (1, 'a')"),
    ("long varchar", "SELECT CAST(x AS VARCHAR(65535)) FROM t"),
    ("unordered aggregate window", "SELECT SUM(x) OVER (PARTITION BY k) FROM t"),
]


@pytest.mark.parametrize("shape, read, sql, word", REJECTED, ids=[r[0] for r in REJECTED])
def test_lint_rejects(shape: str, read: str, sql: str, word: str) -> None:
    problems = lint_redshift(sqlglot.parse_one(sql, read=read))
    assert problems, f"{shape} was not rejected"
    assert any(word in p for p in problems), problems


@pytest.mark.parametrize("shape, sql", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_lint_accepts(shape: str, sql: str) -> None:
    assert lint_redshift(sqlglot.parse_one(sql, read="redshift")) == []


def _golden_redshift_files() -> list[Path]:
    return sorted(GOLDEN.glob("*.redshift.sql"))


@pytest.mark.skipif(not _golden_redshift_files(), reason="no golden Redshift SQL in tests/golden yet")
@pytest.mark.parametrize("path", _golden_redshift_files(), ids=lambda p: p.name)
def test_golden_redshift_sql_passes_the_lint(path: Path) -> None:
    statements = [
        s for s in sqlglot.parse(path.read_text(encoding="utf-8"), read="redshift") if s is not None
    ]
    assert statements
    for statement in statements:
        assert lint_redshift(statement) == [], path.name


def _every_operation_view() -> type:
    """A view using the operations of the expression reference (dates, strings, math, casts ...)."""
    from featsql import Bool, Date, Int32

    i, f, s, t, d, b = Int64(), Float(), String(), Timestamp(), Date(), Bool()
    is_a, is_b = s.one_hot_encode(["a", "b"])
    return make_view(
        "every_op",
        "s.t",
        {
            "id": Entity(dtype=Int64()),
            "i": i,
            "f": f,
            "s": s,
            "t": t,
            "d": d,
            "b": b,
            "arith": (i + 1) * 2 - i // 3 + i % 4,
            "div": i / f,
            "pow": f**0.5,
            "logs": f.log() + f.log(2.0) + f.log1p(),
            "exp": f.exp() + f.sqrt(),
            "rounding": f.round() + f.round(2) + f.floor() + f.ceil() + abs(f) - f,
            "fmod": f // 2 + f % 2,
            "nan": f.is_nan(),
            "clip": f.clip(0, 1),
            "between": i.between(1, 3),
            "text": (s + "x").upper().lower().strip().replace("a", "b"),
            "len": s.length(),
            "tests": s.contains("a") | s.starts_with("b") & s.ends_with("c") | s.matches("^d"),
            "is_a": is_a,
            "is_b": is_b,
            "ordinal": s.ordinal_categories(["a", "b"]),
            "member": s.is_in(["a"]),
            "parts": t.year()
            + t.month()
            + t.day()
            + t.hour()
            + t.minute()
            + t.day_of_week()
            + t.day_of_year()
            + t.week(),
            "epoch": t.epoch_seconds() + t.seconds_since(d),
            "tt": t.truncate("week"),
            "dt": d.truncate("month"),
            "casts": f.cast(Int32()),
            "bool_text": b.cast(String()),
            "nulls": f.fill_na(0).is_null() | ~b,
        },
    )


def test_every_operation_compiles_for_redshift_and_passes_the_lint() -> None:
    view = _every_operation_view().ir()
    tree = compile_select(view, "redshift")  # the lint runs inside
    assert lint_redshift(tree) == []
    printed = compile_sql(view, "redshift", output_dialect="postgres")
    assert "IS NOT DISTINCT FROM" not in printed and "ISODOW" not in printed


def test_a_bad_redshift_shape_fails_at_compile_time(monkeypatch: pytest.MonkeyPatch) -> None:
    table = load("redshift")
    monkeypatch.setitem(table.ops, "eq", "_0 IS NOT DISTINCT FROM _1")
    monkeypatch.setattr(table, "_parsed", {})
    x = Int64()
    view = make_view("bad_shape", "s.t", {"id": Entity(dtype=Int64()), "x": x, "same": x == 1}).ir()
    with pytest.raises(UnsupportedOperationError, match="View 'bad_shape'.*IS NOT DISTINCT FROM"):
        compile_sql(view, "redshift")
    assert compile_sql(view, "postgres")  # the other dialects are not linted


# -- dialect tables: every operation has an entry everywhere -------------------------------------
def test_every_duckdb_operation_has_an_entry_in_postgres_and_redshift() -> None:
    reference = load("duckdb")
    for name in ("postgres", "redshift"):
        table = load(name)
        missing = [op for op in reference.ops if op not in table.ops and op not in table.unsupported]
        assert not missing, f"{name}.toml has no entry (implemented or [unsupported]) for: {missing}"
        for op, reason in table.unsupported.items():
            assert reason.strip(), f"{name}.toml: [unsupported] {op} needs a reason"
            assert op not in table.ops, f"{name}.toml: {op} is both implemented and unsupported"


def test_every_template_parses_in_its_dialect() -> None:
    for name in ("duckdb", "postgres", "redshift"):
        table = load(name)
        for op, text in table.ops.items():
            assert table.template(op, text) is not None, (name, op)
        for key, text in table.casts.items():
            assert table.template(f"cast:{key}", text) is not None, (name, key)


def test_an_unsupported_operation_fails_naming_operation_and_dialect(monkeypatch: pytest.MonkeyPatch) -> None:
    table = load("redshift")
    monkeypatch.delitem(table.ops, "matches")
    monkeypatch.setitem(table.unsupported, "matches", "no regular expressions here")
    s = String()
    view = make_view(
        "unsupported_op", "s.t", {"id": Entity(dtype=Int64()), "s": s, "m": s.matches("^a")}
    ).ir()
    with pytest.raises(
        UnsupportedOperationError, match="operation 'matches' is not supported on redshift: no regular"
    ):
        compile_sql(view, "redshift")


def test_point_in_time_joins_lower_to_shapes_redshift_runs() -> None:
    """The Redshift point-in-time shape passes the lint; PostgreSQL's LATERAL shape would not."""
    import datetime as dt

    from featsql import EventTimestamp
    from featsql.compiler.point_in_time import EntityRelation, ViewJoin, point_in_time_select

    view = make_view(
        "pit",
        "s.t",
        {
            "id": Entity(dtype=Int64()),
            "ts": EventTimestamp(ttl=dt.timedelta(days=2)),
            "x": Float(),
        },
    ).ir()
    entities = EntityRelation(
        name="featsql_entities", columns=("id", "ts"), row_column="featsql_row", timestamp="ts"
    )
    redshift = point_in_time_select([ViewJoin(view, ("x",))], entities, "redshift")
    assert lint_redshift(redshift) == []
    postgres = point_in_time_select([ViewJoin(view, ("x",))], entities, "postgres")
    assert any("LATERAL" in p for p in lint_redshift(postgres))
