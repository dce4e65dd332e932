"""Connections a build runs on: one connection, explicit transactions, plain SQL text.

The read engines (featsql.engines) serve queries from pools; a build needs one connection on
which several statements commit or roll back together, so it has this small interface of its
own. Drivers (and asyncio, for the drivers that need it) are imported only when a build connects.

A *blocking* warehouse (DuckDB: every call finishes before it returns) never suspends a coroutine,
so a build on it runs without an event loop (:func:`run_blocking`).
"""

from __future__ import annotations

from typing import Any, Coroutine, Protocol, TypeVar

from featsql.build.targets import Target, TargetError
from featsql.engines.pg_types import PG_TYPE_NAMES_BY_OID, pg_dtype

Row = tuple[Any, ...]
T = TypeVar("T")


class Warehouse(Protocol):
    """One connection to the target warehouse."""

    dialect: str
    blocking: bool
    """True when no call ever suspends (the build may run without an event loop)."""

    async def execute(self, sql: str) -> None:
        """Run one statement that returns no rows."""
        ...

    async def fetch(self, sql: str) -> list[Row]:
        """Run a query; its rows as tuples."""
        ...

    async def column_types(self, sql: str) -> dict[str, str]:
        """Column name -> featsql dtype (or family) of a query's result, without reading rows."""
        ...

    async def begin(self) -> None:
        """Start a transaction."""
        ...

    async def commit(self) -> None:
        """Commit the transaction."""
        ...

    async def rollback(self) -> None:
        """Roll the transaction back."""
        ...

    async def close(self) -> None:
        """Close the connection."""
        ...


class DuckDBWarehouse:
    """A DuckDB database file (session time zone UTC)."""

    dialect = "duckdb"
    blocking = True

    def __init__(self, path: str) -> None:
        import duckdb

        self.con = duckdb.connect(path)
        self.con.execute("SET TimeZone = 'UTC'")

    async def execute(self, sql: str) -> None:
        self.con.execute(sql)

    async def fetch(self, sql: str) -> list[Row]:
        return list(self.con.execute(sql).fetchall())

    async def column_types(self, sql: str) -> dict[str, str]:
        from featsql.engines.duckdb_engine import duckdb_dtype

        relation = self.con.sql(sql)
        return {name: duckdb_dtype(str(t)) for name, t in zip(relation.columns, relation.types)}

    async def begin(self) -> None:
        self.con.begin()

    async def commit(self) -> None:
        self.con.commit()

    async def rollback(self) -> None:
        self.con.rollback()

    async def close(self) -> None:
        self.con.close()


class PostgresWarehouse:
    """PostgreSQL through asyncpg (session time zone UTC)."""

    dialect = "postgres"
    blocking = False

    def __init__(self, con: Any) -> None:
        self.con = con
        self._transaction: Any = None

    @classmethod
    async def connect(cls, dsn: str) -> PostgresWarehouse:
        import asyncpg

        con = await asyncpg.connect(
            dsn, server_settings={"TimeZone": "UTC", "application_name": "featsql-build"}
        )
        return cls(con)

    async def execute(self, sql: str) -> None:
        await self.con.execute(sql)

    async def fetch(self, sql: str) -> list[Row]:
        return [tuple(record) for record in await self.con.fetch(sql)]

    async def column_types(self, sql: str) -> dict[str, str]:
        statement = await self.con.prepare(sql)
        return {a.name: pg_dtype(a.type.name) for a in statement.get_attributes()}

    async def begin(self) -> None:
        self._transaction = self.con.transaction()
        await self._transaction.start()

    async def commit(self) -> None:
        await self._transaction.commit()
        self._transaction = None

    async def rollback(self) -> None:
        if self._transaction is not None:
            await self._transaction.rollback()
            self._transaction = None

    async def close(self) -> None:
        await self.con.close()


class RedshiftWarehouse:
    """Amazon Redshift through redshift-connector (DB-API; calls run in a worker thread)."""

    dialect = "redshift"
    blocking = False

    def __init__(self, con: Any) -> None:
        self.con = con

    @classmethod
    async def connect(cls, dsn: str) -> RedshiftWarehouse:
        import asyncio
        from urllib.parse import unquote, urlparse

        import redshift_connector

        url = urlparse(dsn)
        con = await asyncio.to_thread(
            redshift_connector.connect,
            host=url.hostname or "localhost",
            port=url.port or 5439,
            database=(url.path or "/dev").lstrip("/") or "dev",
            user=unquote(url.username or ""),
            password=unquote(url.password or ""),
        )
        con.autocommit = True
        return cls(con)

    def _run(self, sql: str, fetch: bool) -> Any:
        cursor = self.con.cursor()
        try:
            cursor.execute(sql)
            if fetch:
                return [tuple(row) for row in cursor.fetchall()], cursor.description
            return None
        finally:
            cursor.close()

    async def execute(self, sql: str) -> None:
        await _to_thread(self._run, sql, False)

    async def fetch(self, sql: str) -> list[Row]:
        rows, _ = await _to_thread(self._run, sql, True)
        return rows  # type: ignore[no-any-return]

    async def column_types(self, sql: str) -> dict[str, str]:
        _, description = await _to_thread(self._run, f"SELECT * FROM ({sql}) AS featsql_probe LIMIT 0", True)
        return {d[0]: pg_dtype(PG_TYPE_NAMES_BY_OID.get(d[1], f"oid{d[1]}")) for d in description or ()}

    async def begin(self) -> None:
        self.con.autocommit = False

    async def commit(self) -> None:
        await _to_thread(self.con.commit)
        self.con.autocommit = True

    async def rollback(self) -> None:
        await _to_thread(self.con.rollback)
        self.con.autocommit = True

    async def close(self) -> None:
        self.con.close()


async def _to_thread(function: Any, *args: Any) -> Any:
    import asyncio

    return await asyncio.to_thread(function, *args)


WAREHOUSES: dict[str, type[DuckDBWarehouse] | type[PostgresWarehouse] | type[RedshiftWarehouse]] = {
    "duckdb": DuckDBWarehouse,
    "postgres": PostgresWarehouse,
    "redshift": RedshiftWarehouse,
}
"""The warehouse class of each dialect a build supports."""


def is_blocking(target: Target) -> bool:
    """Whether ``target``'s warehouse never suspends (see :func:`run_blocking`)."""
    cls = WAREHOUSES.get(target.dialect)
    return cls is not None and cls.blocking


def run_blocking(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends (a build on a blocking warehouse) without an event loop.

    Saves importing asyncio and starting a loop (~20 ms per ``featsql build``). Raises
    RuntimeError if the coroutine does suspend (it awaited something that is not blocking).
    """
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coro.close()
    raise RuntimeError("a build on a blocking warehouse awaited something that suspends")


async def connect(target: Target) -> Warehouse:
    """A connection to ``target``."""
    dsn = target.dsn()
    try:
        if target.dialect == "duckdb":
            return DuckDBWarehouse(dsn)
        if target.dialect == "postgres":
            return await PostgresWarehouse.connect(dsn)
        if target.dialect == "redshift":
            return await RedshiftWarehouse.connect(dsn)
    except ImportError as error:
        raise TargetError(
            f"target '{target.name}' needs the {target.dialect} driver: "
            f"pip install 'featsql[{target.dialect}]'"
        ) from error
    except Exception as error:
        raise TargetError(f"cannot connect to target '{target.name}': {error}") from error
    raise TargetError(f"target '{target.name}': no build support for dialect '{target.dialect}'")
