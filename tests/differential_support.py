"""Helpers of the differential tests: one data table on DuckDB and on PostgreSQL, views over it,
their rows on every engine, and a type-aware row comparison.

The PostgreSQL side uses asyncpg directly (a private event loop and one connection, session time
zone UTC) in a scratch schema ``featsql_diff_<uuid8>`` dropped at the end; the DuckDB side is an
in-memory database with a schema of the same name, so one compiled view text names the same table
on both. DDL and INSERTs are sqlglot trees; values travel as bind parameters / binary COPY.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import uuid
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

import sqlglot
from sqlglot import exp

from featsql import FeatureView, FeatureViewMetadata, PostgreSQLConfig, ir
from featsql.compiler import compile_sql
from featsql.compiler.dialect import load

# The data table every differential view reads: column -> featsql dtype.
COLUMNS: dict[str, str] = {
    "id": "int64",
    "i32": "int32",
    "i64": "int64",
    "f64": "float64",
    "f32": "float32",
    "s1": "string",
    "s2": "string",
    "b1": "bool",
    "t1": "timestamp",
    "t2": "timestamp",
    "d1": "date",
}
TABLE = "data"
DSN_ENV = "FEATSQL_TEST_POSTGRES_DSN"

Row = tuple[Any, ...]


def _ident(name: str) -> exp.Identifier:
    return exp.Identifier(this=name, quoted=True)


def _table(schema: str, name: str) -> exp.Table:
    return exp.Table(this=_ident(name), db=_ident(schema))


# Source column types that are not featsql dtypes (what a source may hold; read through a cast).
_RAW_TYPES = {"timestamptz": "TIMESTAMP WITH TIME ZONE"}


def create_table_sql(schema: str, name: str, columns: Mapping[str, str], dialect: str) -> str:
    """``CREATE TABLE schema.name (...)`` with the dialect's types for featsql dtypes."""
    table = load(dialect)

    def sql_type(dtype: str) -> exp.DataType:
        if dtype in table.types:
            return table.data_type(dtype)
        return exp.DataType.build(_RAW_TYPES[dtype], dialect=table.sqlglot_dialect)

    defs = [exp.ColumnDef(this=_ident(col), kind=sql_type(dtype)) for col, dtype in columns.items()]
    create = exp.Create(this=exp.Schema(this=_table(schema, name), expressions=defs), kind="TABLE")
    return create.sql(dialect=table.sqlglot_dialect, identify=True)


def _drop_table_sql(schema: str, name: str, dialect: str) -> str:
    drop = exp.Drop(tables=[_table(schema, name)], kind="TABLE", exists=True)
    return drop.sql(dialect=load(dialect).sqlglot_dialect, identify=True)


class PostgresSide:
    """A scratch schema on the test PostgreSQL, reached with asyncpg (session time zone UTC)."""

    def __init__(self, dsn: str, schema: str) -> None:
        import asyncpg

        self.schema = schema
        self._loop = asyncio.new_event_loop()
        self._con = self._run(asyncpg.connect(dsn, server_settings={"timezone": "UTC"}))
        self.execute(
            exp.Create(this=exp.Table(this=_ident(schema)), kind="SCHEMA").sql(
                dialect="postgres", identify=True
            )
        )

    def _run(self, coro: Any) -> Any:
        return self._loop.run_until_complete(coro)

    def execute(self, sql: str) -> None:
        self._run(self._con.execute(sql))

    def fetch(self, sql: str) -> list[Row]:
        return [tuple(record) for record in self._run(self._con.fetch(sql))]

    def load(self, name: str, columns: Mapping[str, str], rows: Sequence[Row]) -> None:
        """(Re)create ``schema.name`` and COPY ``rows`` into it (binary: NaN, unicode, quotes as is)."""
        self.execute(_drop_table_sql(self.schema, name, "postgres"))
        self.execute(create_table_sql(self.schema, name, columns, "postgres"))
        if rows:
            self._run(
                self._con.copy_records_to_table(
                    name, schema_name=self.schema, records=list(rows), columns=list(columns)
                )
            )

    def close(self) -> None:
        drop = exp.Drop(
            tables=[exp.Table(this=_ident(self.schema))], kind="SCHEMA", exists=True, cascade=True
        )
        try:
            self.execute(drop.sql(dialect="postgres", identify=True))
        finally:
            self._run(self._con.close())
            self._loop.close()


class DuckDBSide:
    """An in-memory DuckDB (time zone UTC) with a schema named like the PostgreSQL one."""

    def __init__(self, schema: str) -> None:
        import duckdb

        self.schema = schema
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute(
            exp.Create(this=exp.Table(this=_ident(schema)), kind="SCHEMA").sql(
                dialect="duckdb", identify=True
            )
        )

    def load(self, name: str, columns: Mapping[str, str], rows: Sequence[Row]) -> None:
        self.con.execute(_drop_table_sql(self.schema, name, "duckdb"))
        self.con.execute(create_table_sql(self.schema, name, columns, "duckdb"))
        if rows:
            insert = exp.insert(
                exp.Values(expressions=[exp.Tuple(expressions=[exp.Placeholder() for _ in columns])]),
                _table(self.schema, name),
            )
            self.con.executemany(insert.sql(dialect="duckdb", identify=True), [list(r) for r in rows])

    def fetch(self, sql: str) -> list[Row]:
        return [tuple(r) for r in self.con.execute(sql).fetchall()]

    def close(self) -> None:
        self.con.close()


class Engines:
    """The data table on both engines, and every way of running a view over it."""

    def __init__(self, dsn: str) -> None:
        self.schema = f"featsql_diff_{uuid.uuid4().hex[:8]}"
        self.duckdb = DuckDBSide(self.schema)
        self.postgres = PostgresSide(dsn, self.schema)

    @property
    def table_name(self) -> str:
        return f"{self.schema}.{TABLE}"

    def load(self, rows: Sequence[Row], columns: Mapping[str, str] = COLUMNS, name: str = TABLE) -> None:
        self.duckdb.load(name, columns, rows)
        self.postgres.load(name, columns, rows)

    def run_all(self, view: ir.View, schema: Mapping[str, str] | None = COLUMNS) -> dict[str, list[Row]]:
        """The view's rows (sorted by the first column, the entity key) on each execution path."""
        sql = {
            "duckdb": compile_sql(view, "duckdb", schema=schema),
            "postgres": compile_sql(view, "postgres", schema=schema),
            "redshift-on-postgres": compile_sql(view, "redshift", schema=schema, output_dialect="postgres"),
        }
        out = {
            "duckdb": self.duckdb.fetch(sql["duckdb"]),
            "postgres": self.postgres.fetch(sql["postgres"]),
            "redshift-on-postgres": self.postgres.fetch(sql["redshift-on-postgres"]),
        }
        return {name: sorted(rows, key=lambda r: r[0]) for name, rows in out.items()}

    def close(self) -> None:
        try:
            self.postgres.close()
        finally:
            self.duckdb.close()


def make_view(
    name: str, source_table: str, features: Mapping[str, Any], mapping_keys: Mapping[str, str] | None = None
) -> type[FeatureView]:
    """A FeatureView class built with ``type(...)`` over ``source_table`` (a PostgreSQL table name)."""
    source = PostgreSQLConfig(DSN_ENV).table(source_table, mapping_keys=mapping_keys)
    attrs: dict[str, Any] = {"metadata": FeatureViewMetadata(name=name, batch_source=source)}
    attrs.update(features)
    return type(name, (FeatureView,), attrs)


# -- comparison ------------------------------------------------------------------------------------
REL_TOL = 1e-9
ABS_TOL = 1e-12

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (float,),
    "bool": (bool,),
    "string": (str,),
    "date": (dt.date,),
    "timestamp": (dt.datetime,),
}


def _family(dtype: str) -> str:
    if dtype.startswith("int"):
        return "int"
    if dtype.startswith("float"):
        return "float"
    return dtype


def value_problem(a: Any, b: Any, dtype: str) -> str | None:
    """Why ``a`` and ``b`` differ as values of ``dtype`` (None when they agree).

    Type-aware: a Float must come back as a float (not a Decimal or an int), a Date as a date (not
    a datetime), an integer as an int (not a bool). Floats agree within a relative 1e-9 (absolute
    1e-12 near zero); NaN equals NaN, NULL equals NULL.
    """
    family = _family(dtype)
    for value in (a, b):
        if value is None:
            continue
        if isinstance(value, Decimal) or not isinstance(value, _PY_TYPES[family]):
            return f"type {type(value).__name__} for a {dtype} value"
        if family == "int" and isinstance(value, bool):
            return f"type bool for a {dtype} value"
        if family == "date" and isinstance(value, dt.datetime):
            return f"type datetime for a {dtype} value"
    if a is None or b is None:
        return None if a is None and b is None else "NULL vs a value"
    if family == "float":
        if math.isnan(a) or math.isnan(b):
            return None if math.isnan(a) and math.isnan(b) else "NaN vs a number"
        if a == b or math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            return None
        return "floats differ"
    return None if a == b else "values differ"


def mismatches(
    names: Sequence[str],
    dtypes_: Sequence[str],
    left: Sequence[Row],
    right: Sequence[Row],
    labels: tuple[str, str],
    context: Iterable[Row] | None = None,
) -> list[str]:
    """Every cell where ``left`` and ``right`` (rows in the same order) disagree, described."""
    out: list[str] = []
    if len(left) != len(right):
        return [f"{labels[0]} has {len(left)} rows, {labels[1]} has {len(right)}"]
    inputs = list(context) if context is not None else [None] * len(left)
    for row_l, row_r, source in zip(left, right, inputs):
        for name, dtype, a, b in zip(names, dtypes_, row_l, row_r):
            problem = value_problem(a, b, dtype)
            if problem is not None:
                out.append(
                    f"{name} ({dtype}), row id={row_l[0]!r}: {labels[0]}={a!r} {labels[1]}={b!r} "
                    f"[{problem}]" + (f" input={source!r}" if source is not None else "")
                )
    return out


def view_columns(view: ir.View) -> tuple[list[str], list[str]]:
    """Output names and dtypes in declaration order."""
    return [f.name for f in view.features], [f.dtype for f in view.features]


def parse_back(sql: str, dialect: str) -> exp.Expression:
    """Parse generated SQL back (it must be valid for sqlglot in its own dialect)."""
    return sqlglot.parse_one(sql, read=load(dialect).sqlglot_dialect)
