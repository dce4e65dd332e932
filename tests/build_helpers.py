"""Helpers for the build tests: a DuckDB file or a PostgreSQL schema holding source tables."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from featsql import DuckDBConfig, PostgreSQLConfig
from featsql.build import Target
from featsql.sources import BatchSource

PG_ENV = "FEATSQL_TEST_BUILD_DSN"


class Backend:
    """Run setup SQL and read rows on the warehouse the build targets."""

    name = ""
    schema = ""

    def execute(self, sql: str) -> None:
        raise NotImplementedError

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def source(self, table: str) -> BatchSource:
        raise NotImplementedError

    def target(self) -> Target:
        raise NotImplementedError

    def rel(self, name: str) -> str:
        return f'"{self.schema}"."{name}"'

    def close(self) -> None:
        pass


class DuckDBBackend(Backend):
    name = "duckdb"
    schema = "main"

    def __init__(self, tmp_path: Path) -> None:
        import duckdb

        self.path = str(tmp_path / "warehouse.duckdb")
        self.con = duckdb.connect(self.path)

    def execute(self, sql: str) -> None:
        self.con.execute(sql)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def source(self, table: str) -> BatchSource:
        return DuckDBConfig(self.path).table(f"main.{table}")

    def target(self) -> Target:
        return Target.duckdb(self.path)

    def close(self) -> None:
        self.con.close()


class PostgresBackend(Backend):
    name = "postgres"

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.schema = f"featsql_build_{uuid.uuid4().hex[:8]}"
        self.execute(f'CREATE SCHEMA "{self.schema}"')

    async def _run(self, sql: str, fetch: bool) -> Any:
        import asyncpg

        con = await asyncpg.connect(self.dsn, server_settings={"TimeZone": "UTC"})
        try:
            if fetch:
                return [tuple(r) for r in await con.fetch(sql)]
            await con.execute(sql)
            return None
        finally:
            await con.close()

    def execute(self, sql: str) -> None:
        asyncio.run(self._run(sql, False))

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return asyncio.run(self._run(sql, True))  # type: ignore[no-any-return]

    def source(self, table: str) -> BatchSource:
        return PostgreSQLConfig(PG_ENV).table(f"{self.schema}.{table}")

    def target(self) -> Target:
        return Target.postgres(PG_ENV, schema=self.schema)

    def close(self) -> None:
        self.execute(f'DROP SCHEMA "{self.schema}" CASCADE')


def events_sql(backend: Backend, table: str, rows: list[tuple[int, dt.datetime, float]]) -> str:
    """INSERT of (user_id, ts, amount) rows (test data only: ints, datetimes and floats)."""
    values = ", ".join(f"({u}, TIMESTAMP '{t.isoformat(sep=' ')}', {a!r})" for u, t, a in rows)
    return f"INSERT INTO {backend.rel(table)} (user_id, ts, amount) VALUES {values}"
