"""Live Redshift: the golden corpus and generated differential views executed on a real cluster.

Marked ``redshift`` and skipped unless ``FEATSQL_TEST_REDSHIFT_DSN`` holds a URL such as
``redshift://user:password@cluster.region.redshift.amazonaws.com:5439/dev``. Until this runs on a
cluster, featsql's Redshift support is *SQL-verified, not execution-verified* (docs/redshift.md).

What runs, through redshift-connector, in a scratch schema dropped at the end:

1. every golden Redshift file (tests/golden/*.redshift.sql) over the operations table of
   tests/test_operations.py, compared row by row with the DuckDB golden file over the same rows;
2. views generated like tests/test_differential.py's property test, compared with DuckDB and with
   the Python reference.

The URL option ``featsql_print_as=postgres`` (see featsql/engines/redshift_engine.py) lets the same
module run through redshift-connector against PostgreSQL (tests/redshift_relay.py): SQL is then
the Redshift lowering printed as PostgreSQL, and the golden Redshift *spellings* are not run.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

pytestmark = pytest.mark.redshift

DSN = os.environ.get("FEATSQL_TEST_REDSHIFT_DSN")
if not DSN:
    pytest.skip(
        "live Redshift tests need FEATSQL_TEST_REDSHIFT_DSN (redshift://user:password@host:5439/db); "
        "Redshift is SQL-verified, not execution-verified, without it",
        allow_module_level=True,
    )

from differential_reference import Evaluator, OutOfDomain  # noqa: E402
from differential_support import (  # noqa: E402
    COLUMNS,
    DuckDBSide,
    create_table_sql,
    make_view,
    mismatches,
    view_columns,
)
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from sqlglot import exp  # noqa: E402

from featsql.compiler import compile_sql  # noqa: E402
from featsql.engines.redshift_engine import parse_redshift_url  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden"
OPERATIONS_TABLE = "featsql_in_memory__operations"
OPERATION_TYPES: dict[str, str] = {
    "i": "int64",
    "j": "int64",
    "f": "float64",
    "g": "float64",
    "s": "string",
    "s2": "string",
    "b": "bool",
    "c": "bool",
    "d": "date",
    "t": "timestamp",
    "u": "timestamp",
    "n": "string",
    "bt": "string",
    "dt": "string",
    "tt": "string",
}


def _ident(name: str) -> exp.Identifier:
    return exp.Identifier(this=name, quoted=True)


class RedshiftSide:
    """A scratch schema on the cluster, reached with redshift-connector (autocommit)."""

    def __init__(self, url: str) -> None:
        import redshift_connector

        kwargs, self.print_as = parse_redshift_url(url)
        self.con = redshift_connector.connect(**kwargs)
        self.con.autocommit = True
        self.schema = f"featsql_rslive_{uuid.uuid4().hex[:8]}"
        self.execute(
            exp.Create(this=exp.Table(this=_ident(self.schema)), kind="SCHEMA").sql(
                dialect="redshift", identify=True
            )
        )
        self.execute(f"SET search_path TO {exp.Identifier(this=self.schema, quoted=True).sql('redshift')}")
        self.execute("SET timezone TO 'UTC'")
        if self.print_as == "redshift":  # featsql quotes every identifier and means it ("Age" is not age)
            self.execute("SET enable_case_sensitive_identifier TO true")

    def execute(self, sql: str, rows: Sequence[Sequence[Any]] | None = None) -> None:
        cursor = self.con.cursor()
        try:
            if rows is None:
                cursor.execute(sql)
            else:
                cursor.executemany(sql, [list(r) for r in rows])
        finally:
            cursor.close()

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        cursor = self.con.cursor()
        try:
            cursor.execute(sql)
            return [tuple(r) for r in cursor.fetchall()]
        finally:
            cursor.close()

    def load(self, name: str, columns: Mapping[str, str], rows: Sequence[Sequence[Any]]) -> None:
        table = exp.Table(this=_ident(name), db=_ident(self.schema))
        self.execute(
            exp.Drop(tables=[table], kind="TABLE", exists=True).sql(dialect="redshift", identify=True)
        )
        self.execute(create_table_sql(self.schema, name, columns, "redshift"))
        if rows:
            values = exp.Values(expressions=[exp.Tuple(expressions=[exp.Placeholder() for _ in columns])])
            self.execute(exp.insert(values, table).sql(dialect="redshift", identify=True), rows)

    def sql_for(self, view: Any) -> str:
        """The view's Redshift SQL, printed in the spelling of the server behind the URL."""
        out = None if self.print_as == "redshift" else self.print_as
        return compile_sql(view, "redshift", schema=COLUMNS, output_dialect=out)

    def close(self) -> None:
        drop = exp.Drop(
            tables=[exp.Table(this=_ident(self.schema))], kind="SCHEMA", exists=True, cascade=True
        )
        try:
            self.execute(drop.sql(dialect="redshift", identify=True))
        finally:
            self.con.close()


@pytest.fixture(scope="module")
def sides() -> Iterator[tuple[RedshiftSide, DuckDBSide]]:
    redshift = RedshiftSide(DSN or "")
    duck = DuckDBSide(redshift.schema)
    try:
        yield redshift, duck
    finally:
        try:
            redshift.close()
        finally:
            duck.close()


def _operation_rows() -> tuple[dict[str, str], list[tuple[Any, ...]]]:
    from test_operations import DATA

    columns = {"id": "int64", **OPERATION_TYPES}
    count = len(next(iter(DATA.values())))
    rows = [tuple([k + 1] + [DATA[c][k] for c in OPERATION_TYPES]) for k in range(count)]
    return columns, rows


def _golden_sql(group: str, dialect: str) -> str:
    text = (GOLDEN / f"{group}.{dialect}.sql").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("--"))


def _groups() -> list[str]:
    return sorted(p.name.split(".")[0] for p in GOLDEN.glob("*.redshift.sql"))


@pytest.mark.parametrize("group", _groups())
def test_golden_corpus_on_redshift(sides: tuple[RedshiftSide, DuckDBSide], group: str) -> None:
    from test_golden_sql import GROUPS, feature_name, group_view

    redshift, duck = sides
    columns, rows = _operation_rows()
    redshift.load(OPERATIONS_TABLE, columns, rows)
    duck.load(OPERATIONS_TABLE, columns, rows)
    duck.con.execute(f"SET search_path = {exp.Literal.string(duck.schema).sql('duckdb')}")
    view = group_view(group, GROUPS[group])
    outputs = ["id", *(feature_name(i) for i in range(len(GROUPS[group])))]
    if redshift.print_as == "redshift":
        redshift_sql = _golden_sql(group, "redshift")
    else:
        redshift_sql = compile_sql(view, "redshift", select=outputs, output_dialect=redshift.print_as)
    got = sorted(redshift.fetch(redshift_sql), key=lambda r: r[0])
    expected = sorted(duck.fetch(_golden_sql(group, "duckdb")), key=lambda r: r[0])
    dtypes = ["int64", *(view.feature(name).dtype for name in outputs[1:])]
    problems = mismatches(outputs, dtypes, expected, got, ("duckdb", "redshift"))
    assert not problems, "\n".join(problems[:20])


def _generated() -> Any:
    from test_differential import generated_views

    return generated_views()


@settings(
    max_examples=int(os.environ.get("FEATSQL_REDSHIFT_EXAMPLES", "40")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(case=_generated())
def test_generated_views_on_redshift(sides: tuple[RedshiftSide, DuckDBSide], case: Any) -> None:
    redshift, duck = sides
    features, rows = case
    view = make_view(f"live_{uuid.uuid4().hex[:6]}", f"{redshift.schema}.data", features).ir()
    evaluator = Evaluator(view)
    try:
        reference = [tuple(evaluator.row(dict(zip(COLUMNS, r))).values()) for r in rows]
    except OutOfDomain:
        assume(False)
    redshift.load("data", COLUMNS, rows)
    duck.load("data", COLUMNS, rows)
    names, dtypes = view_columns(view)
    from_duck = sorted(duck.fetch(compile_sql(view, "duckdb", schema=COLUMNS)), key=lambda r: r[0])
    from_redshift = sorted(redshift.fetch(redshift.sql_for(view)), key=lambda r: r[0])
    problems = mismatches(names, dtypes, from_duck, from_redshift, ("duckdb", "redshift"), rows)
    problems += mismatches(names, dtypes, reference, from_redshift, ("python", "redshift"), rows)
    assert not problems, "\n".join(problems[:20]) + "\n" + redshift.sql_for(view)
