"""Which engine serves which source kind. Drivers are imported only when first used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from featsql import ir

if TYPE_CHECKING:
    from featsql.engines.base import Engine


def engine_key(source: ir.Source) -> tuple[str, str | None]:
    """Sources with the same key share one engine (and its connections)."""
    if source.kind in ("csv", "parquet", "in_memory"):
        return ("duckdb", ":memory:")
    if source.kind == "duckdb_table":
        return ("duckdb", source.config or ":memory:")
    return (source.dialect, source.config)


def make_engine(source: ir.Source) -> Engine:
    dialect, config = engine_key(source)
    if dialect == "duckdb":
        from featsql.engines.duckdb_engine import DuckDBEngine

        return DuckDBEngine(config or ":memory:")
    if dialect == "postgres":
        from featsql.engines.postgres_engine import PostgresEngine

        return PostgresEngine(config or "")
    if dialect == "redshift":
        from featsql.engines.redshift_engine import RedshiftEngine

        return RedshiftEngine(config or "")
    raise ValueError(f"no engine for source kind '{source.kind}'")
