"""The PostgreSQL engine (asyncpg): features computed in the server, results streamed back as Arrow.

Results come back through ``COPY (query) TO STDOUT (FORMAT csv)``, parsed by Arrow's CSV reader
on a worker thread while the rows are still arriving, with column types taken from the
statement's row description; that is several times faster than fetching rows into Python (see
docs/performance.md). Values Arrow cannot parse (``infinity`` dates, BC dates) make that one
query fall back to the row path. Entity rows for ``features_for`` are uploaded with
``COPY ... FROM STDIN`` into a TEMP table on the same connection, inside a transaction that is
rolled back afterwards, so the table never outlives the query.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal

from featsql.engines.arrow_io import (
    CsvStream,
    arrow_to_csv,
    csv_stream_to_arrow,
    pg_arrow_type,
    pg_dtype,
    rows_to_arrow,
)
from featsql.engines.background_loop import BackgroundLoop
from featsql.engines.ddl import analyze, create_temp_table, quote_ident
from featsql.errors import FeatSQLError

if TYPE_CHECKING:
    import pyarrow as pa

Transfer = Literal["copy", "rows"]

# Session settings every connection starts with: UTC timestamps, ISO dates, exact float text.
SESSION_SETTINGS = {
    "TimeZone": "UTC",
    "DateStyle": "ISO, YMD",
    "extra_float_digits": "3",
    "application_name": "featsql",
}

_PROBE_VIEW = "featsql_schema_probe"
_CREATE_PROBE = f"CREATE TEMPORARY VIEW {quote_ident(_PROBE_VIEW)} AS "
_PROBE_COLUMNS = """
SELECT a.attname, COALESCE(b.typname, t.typname) AS typname,
       CASE WHEN b.oid IS NULL THEN a.atttypmod ELSE t.typtypmod END AS typmod
FROM pg_catalog.pg_attribute AS a
JOIN pg_catalog.pg_type AS t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type AS b ON t.typtype = 'd' AND b.oid = t.typbasetype
WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""


def connection_url(env_var: str, warehouse: str, example: str) -> str:
    """The connection URL held by ``env_var``; a clear error naming the variable when it is unset."""
    url = os.environ.get(env_var, "")
    if not url:
        raise FeatSQLError(
            f"the environment variable '{env_var}' is not set; it must hold the {warehouse} "
            f"connection URL, e.g. {example}"
        )
    return url


class PostgresEngine:
    """PostgreSQL through an asyncpg pool; ``env_var`` names the variable holding a ``postgresql://`` URL.

    The pool lives on a private event loop thread, so the engine serves the async API and the
    ``_sync`` twins (which run each call in a fresh loop) alike. ``transfer="rows"`` fetches rows
    into Python instead of using COPY (kept for measurement; ``"copy"`` is faster).
    """

    dialect = "postgres"
    output_dialect = "postgres"

    def __init__(self, env_var: str, *, transfer: Transfer = "copy", max_connections: int = 4) -> None:
        self.env_var = env_var
        self.transfer: Transfer = transfer
        self.max_connections = max_connections
        self._loop = BackgroundLoop(f"featsql-postgres-{env_var}")
        self._pool: Any = None

    # -- connections -------------------------------------------------------------------------
    async def _get_pool(self) -> Any:
        if self._pool is None:
            import asyncpg

            url = connection_url(self.env_var, "PostgreSQL", "postgresql://user:password@host:5432/dbname")
            self._pool = await asyncpg.create_pool(
                url, min_size=1, max_size=self.max_connections, server_settings=SESSION_SETTINGS
            )
        return self._pool

    # -- Engine protocol ---------------------------------------------------------------------
    async def fetch_arrow(self, sql: str, temp_tables: dict[str, pa.Table] | None = None) -> pa.Table:
        """Run ``sql``; ``temp_tables`` are uploaded as TEMP tables visible to it, then dropped."""
        return await self._loop.run(self._fetch_arrow(sql, temp_tables or {}))

    async def relation_schema(self, relation_sql: str) -> dict[str, str]:
        """Column name -> featsql dtype of a query's result, read without running it."""
        return await self._loop.run(self._relation_schema(relation_sql))

    async def execute(self, sql: str) -> None:
        """Run a statement that returns no rows."""
        await self._loop.run(self._execute(sql))

    def close(self) -> None:
        """Close the pool and stop the engine's event loop."""
        if self._loop.running:
            if self._pool is not None:
                try:
                    self._loop.run_blocking(self._pool.close())
                finally:
                    self._pool = None
            self._loop.stop()

    # -- on the private loop ---------------------------------------------------------------------
    async def _fetch_arrow(self, sql: str, temp_tables: dict[str, pa.Table]) -> pa.Table:
        pool = await self._get_pool()
        async with pool.acquire() as con:
            if not temp_tables:
                return await query_arrow(con, sql, self.transfer)
            transaction = con.transaction()
            await transaction.start()
            try:
                for name, table in temp_tables.items():
                    await upload_temp_table(con, name, table)
                return await query_arrow(con, sql, self.transfer)
            finally:
                await transaction.rollback()  # drops the TEMP tables, on success and on error

    async def _relation_schema(self, relation_sql: str) -> dict[str, str]:
        import asyncpg

        pool = await self._get_pool()
        async with pool.acquire() as con:
            transaction = con.transaction()
            await transaction.start()
            try:
                # A TEMP view keeps each column's type modifier (numeric scale); rolled back below.
                await con.execute(_CREATE_PROBE + relation_sql)
                rows = await con.fetch(_PROBE_COLUMNS, f"pg_temp.{quote_ident(_PROBE_VIEW)}")
                return {row["attname"]: pg_dtype(row["typname"], row["typmod"]) for row in rows}
            except asyncpg.PostgresError:
                pass  # read-only server, duplicate column names ...: the statement's description
            finally:
                await transaction.rollback()
            statement = await con.prepare(relation_sql)
            return {a.name: pg_dtype(a.type.name) for a in statement.get_attributes()}

    async def _execute(self, sql: str) -> None:
        pool = await self._get_pool()
        async with pool.acquire() as con:
            await con.execute(sql)


async def query_arrow(con: Any, sql: str, transfer: Transfer = "copy") -> pa.Table:
    """Run a SELECT on an asyncpg connection; the result as Arrow (COPY CSV, else the row path)."""
    import pyarrow as pa

    statement = await con.prepare(sql)
    attributes = statement.get_attributes()
    names = [a.name for a in attributes]
    types = [pg_arrow_type(a.type.name) for a in attributes]
    if transfer == "copy":
        import asyncio

        import asyncpg

        stream = CsvStream()
        parsing = asyncio.get_running_loop().run_in_executor(None, csv_stream_to_arrow, stream, names, types)

        async def collect(data: bytes) -> None:
            stream.feed(data)

        try:
            await con.copy_from_query(sql, output=collect, format="csv")
        except asyncpg.PostgresSyntaxError:
            stream.end()
            await asyncio.gather(parsing, return_exceptions=True)
            # it prepared, so it is valid but not a query COPY takes (SHOW, ...): the row path
            return rows_to_arrow(await statement.fetch(), names, types)
        except BaseException:
            stream.end()
            await asyncio.gather(parsing, return_exceptions=True)
            raise
        stream.end()
        try:
            return await parsing
        except pa.ArrowInvalid:
            pass  # a value Arrow's CSV reader does not parse: take the row path for this query
    rows = await statement.fetch()
    return rows_to_arrow(rows, names, types)


async def upload_temp_table(con: Any, name: str, table: pa.Table) -> None:
    """Create TEMP table ``name`` shaped like ``table`` and fill it with ``COPY ... FROM STDIN``."""
    import io

    await con.execute(create_temp_table(name, table.schema, "postgres"))
    if table.num_rows:
        await con.copy_to_table(
            name, source=io.BytesIO(arrow_to_csv(table)), columns=table.column_names, format="csv",
            schema_name="pg_temp",
        )
    await con.execute(analyze(name, "postgres"))
