"""Statements the engines run around a query (temp tables, inserts), built as sqlglot trees.

Identifiers are always quoted and values always travel as bind parameters or COPY data, never
as SQL text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from sqlglot import exp

from featsql.engines.arrow_io import sql_type_for_arrow

if TYPE_CHECKING:
    import pyarrow as pa


def _ident(name: str) -> exp.Identifier:
    return exp.Identifier(this=name, quoted=True)


def _table(name: str) -> exp.Table:
    return exp.Table(this=_ident(name))


def _create(name: str, schema: pa.Schema, db: str | None, temporary: bool) -> exp.Create:
    columns = [
        exp.ColumnDef(
            this=_ident(field.name),
            kind=exp.DataType.build(sql_type_for_arrow(field.type, field.name), dialect="postgres"),
        )
        for field in schema
    ]
    table = _table(name)
    if db is not None:
        table.set("db", _ident(db))
    properties = exp.Properties(expressions=[exp.TemporaryProperty()]) if temporary else None
    return exp.Create(this=exp.Schema(this=table, expressions=columns), kind="TABLE", properties=properties)


def create_table(name: str, schema: pa.Schema, sqlglot_dialect: str, *, db: str | None = None) -> str:
    """``CREATE TABLE [db.]name (...)`` with a column per Arrow field."""
    return _create(name, schema, db, temporary=False).sql(dialect=sqlglot_dialect, identify=True)


def create_temp_table(name: str, schema: pa.Schema, sqlglot_dialect: str) -> str:
    """``CREATE TEMPORARY TABLE "name" (...)`` with a column per Arrow field."""
    return _create(name, schema, None, temporary=True).sql(dialect=sqlglot_dialect, identify=True)


def analyze(name: str, sqlglot_dialect: str) -> str:
    """``ANALYZE "name"`` (statistics for the planner on a freshly loaded table)."""
    return exp.Analyze(tables=[_table(name)]).sql(dialect=sqlglot_dialect, identify=True)


def insert_rows(name: str, columns: Sequence[str], row_count: int, sqlglot_dialect: str) -> str:
    """``INSERT INTO "name" ("a", ...) VALUES (?, ...), ...`` with ``row_count`` rows of ``?`` parameters."""
    row = exp.Tuple(expressions=[exp.Placeholder() for _ in columns])
    insert = exp.Insert(
        this=exp.Schema(this=_table(name), expressions=[_ident(c) for c in columns]),
        expression=exp.Values(expressions=[row.copy() for _ in range(row_count)]),
    )
    return insert.sql(dialect=sqlglot_dialect, identify=True)


def quote_ident(name: str) -> str:
    """``name`` as a double-quoted identifier (embedded quotes doubled)."""
    return _ident(name).sql(dialect="postgres")
