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

import asyncio
import contextlib
import os
from typing import TYPE_CHECKING, Any, AsyncIterator, Literal, Sequence

from sqlglot import exp

from featsql.engines.arrow_io import (
    CsvStream,
    arrow_to_csv,
    csv_stream_to_arrow,
    pg_arrow_type,
    rows_to_arrow,
)
from featsql.engines.background_loop import BackgroundLoop
from featsql.engines.ddl import analyze, create_temp_table, quote_ident
from featsql.engines.pg_types import pg_dtype
from featsql.engines.tid_ranges import RANGE_PAGES, TableScan, table_scan
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


# Pages of a plain table (or materialized view) on a server with TID range scans; no row otherwise.
_SPLITTABLE_PAGES = """
SELECT pg_catalog.pg_relation_size(c.oid) / pg_catalog.current_setting('block_size')::int
FROM pg_catalog.pg_class AS c
WHERE c.oid = pg_catalog.to_regclass($1) AND c.relkind IN ('r', 'm')
  AND pg_catalog.current_setting('server_version_num')::int >= 140000
"""
_SET_SNAPSHOT = "SET TRANSACTION SNAPSHOT "


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
    into Python instead of using COPY (kept for measurement; ``"copy"`` is faster). A query over
    one plain table is read as up to ``copy_streams`` TID ranges of at least ``range_min_pages``
    pages, on as many connections (those free at the time) in one snapshot, so the server
    computes and formats the result in parallel.
    """

    dialect = "postgres"
    output_dialect = "postgres"

    def __init__(
        self, env_var: str, *, transfer: Transfer = "copy", max_connections: int = 4, copy_streams: int = 4
    ) -> None:
        self.env_var = env_var
        self.transfer: Transfer = transfer
        self.max_connections = max_connections
        self.copy_streams = copy_streams
        self.range_min_pages = RANGE_PAGES
        self._loop = BackgroundLoop(f"featsql-postgres-{env_var}")
        self._pool: Any = None
        self._slots: asyncio.Semaphore | None = None
        self._creating: asyncio.Lock | None = None

    # -- connections -------------------------------------------------------------------------
    async def _get_pool(self) -> Any:
        if self._pool is None:
            if self._creating is None:
                self._creating = asyncio.Lock()
            async with self._creating:  # concurrent first reads open one pool, not one each
                if self._pool is None:
                    import asyncpg

                    url = connection_url(
                        self.env_var, "PostgreSQL", "postgresql://user:password@host:5432/dbname"
                    )
                    self._pool = await asyncpg.create_pool(
                        url, min_size=1, max_size=self.max_connections, server_settings=SESSION_SETTINGS
                    )
        return self._pool

    def _free_slots(self) -> asyncio.Semaphore:
        # Every connection is taken through these slots (as many as the pool's size), so a read
        # that adds connections for a parallel COPY takes only free ones and never waits for them.
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.max_connections)
        return self._slots

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[Any]:
        pool = await self._get_pool()
        async with self._free_slots(), pool.acquire() as con:
            yield con

    @contextlib.asynccontextmanager
    async def _spare_connections(self, wanted: int) -> AsyncIterator[list[Any]]:
        """Up to ``wanted`` more connections, only those free right now (maybe none)."""
        pool, slots = await self._get_pool(), self._free_slots()
        cons: list[Any] = []
        try:
            while len(cons) < wanted and not slots.locked():
                await slots.acquire()
                try:
                    cons.append(await pool.acquire())
                except BaseException:
                    slots.release()
                    raise
            yield cons
        finally:
            for con in cons:
                try:
                    await pool.release(con)
                finally:
                    slots.release()

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
        self._slots = self._creating = None  # both belong to the stopped loop

    # -- on the private loop ---------------------------------------------------------------------
    async def _fetch_arrow(self, sql: str, temp_tables: dict[str, pa.Table]) -> pa.Table:
        async with self._connection() as con:
            if temp_tables:
                transaction = con.transaction()
                await transaction.start()
                try:
                    for name, table in temp_tables.items():
                        await upload_temp_table(con, name, table)
                    return await query_arrow(con, sql, self.transfer)
                finally:
                    await transaction.rollback()  # drops the TEMP tables, on success and on error
            scan = table_scan(sql) if self.transfer == "copy" and self.copy_streams > 1 else None
            if scan is None:
                return await query_arrow(con, sql, self.transfer)
            return await self._fetch_ranges(con, sql, scan)

    async def _fetch_ranges(self, con: Any, sql: str, scan: TableScan) -> pa.Table:
        """A one-table query read as TID ranges over several connections sharing ``con``'s snapshot.

        One stream when the table is small, not a plain table, the server older than PostgreSQL 14
        (no TID range scans), no other connection is free or the snapshot cannot be exported.
        """
        import asyncpg

        pages = await con.fetchval(_SPLITTABLE_PAGES, scan.relation)
        streams = min(self.copy_streams, (pages or 0) // max(self.range_min_pages, 1))
        if streams < 2:
            return await query_arrow(con, sql)
        async with self._spare_connections(streams - 1) as spare:
            if not spare:
                return await query_arrow(con, sql)
            transaction = con.transaction(isolation="repeatable_read", readonly=True)
            await transaction.start()
            try:
                snapshot = await con.fetchval("SELECT pg_catalog.pg_export_snapshot()")
            except asyncpg.PostgresError:
                await transaction.rollback()
                return await query_arrow(con, sql)
            set_snapshot = _SET_SNAPSHOT + exp.Literal.string(snapshot).sql(dialect="postgres")
            try:
                async with contextlib.AsyncExitStack() as transactions:
                    for other in spare:
                        await transactions.enter_async_context(
                            other.transaction(isolation="repeatable_read", readonly=True)
                        )
                        await other.execute(set_snapshot)
                    return await query_ranges_arrow([con, *spare], sql, scan.ranges(pages, 1 + len(spare)))
            finally:
                await transaction.rollback()

    async def _relation_schema(self, relation_sql: str) -> dict[str, str]:
        import asyncpg

        async with self._connection() as con:
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
        async with self._connection() as con:
            await con.execute(sql)


async def query_arrow(con: Any, sql: str, transfer: Transfer = "copy") -> pa.Table:
    """Run a SELECT on an asyncpg connection; the result as Arrow (COPY CSV, else the row path)."""
    import asyncpg
    import pyarrow as pa

    statement = await con.prepare(sql)
    names, types = _columns(statement)
    if transfer == "copy":
        try:
            return await copy_arrow(con, sql, names, types)
        except asyncpg.PostgresSyntaxError:
            pass  # it prepared, so it is valid but not a query COPY takes (SHOW, ...): the row path
        except pa.ArrowInvalid:
            pass  # a value Arrow's CSV reader does not parse: take the row path for this query
    return rows_to_arrow(await statement.fetch(), names, types)


async def query_ranges_arrow(cons: Sequence[Any], sql: str, range_sqls: Sequence[str]) -> pa.Table:
    """``sql`` read as one COPY per range query, each on its own connection, concatenated in order.

    The connections must share one snapshot. A value Arrow cannot parse sends the whole query to
    the row path on the first connection.
    """
    import asyncio

    import pyarrow as pa

    statement = await cons[0].prepare(sql)
    names, types = _columns(statement)
    tasks = [
        asyncio.ensure_future(copy_arrow(con, part, names, types)) for con, part in zip(cons, range_sqls)
    ]
    try:
        parts = await asyncio.gather(*tasks)
    except pa.ArrowInvalid:
        await _cancel(tasks)
        return rows_to_arrow(await statement.fetch(), names, types)
    except BaseException:
        await _cancel(tasks)
        raise
    return pa.concat_tables(parts)


async def _cancel(tasks: Sequence[Any]) -> None:
    import asyncio

    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _columns(statement: Any) -> tuple[list[str], list[pa.DataType]]:
    attributes = statement.get_attributes()
    return [a.name for a in attributes], [pg_arrow_type(a.type.name) for a in attributes]


async def copy_arrow(con: Any, sql: str, names: Sequence[str], types: Sequence[pa.DataType]) -> pa.Table:
    """``COPY (sql) TO STDOUT (FORMAT csv)`` parsed into Arrow on a worker thread as the bytes arrive.

    Raises ``asyncpg.PostgresSyntaxError`` for statements COPY does not take and
    ``pyarrow.ArrowInvalid`` for values Arrow's CSV reader does not parse.
    """
    import asyncio

    stream = CsvStream()
    parsing = asyncio.get_running_loop().run_in_executor(None, csv_stream_to_arrow, stream, names, types)

    async def collect(data: bytes) -> None:
        stream.feed(data)

    try:
        await con.copy_from_query(sql, output=collect, format="csv")
    except BaseException:
        stream.end()
        await asyncio.gather(parsing, return_exceptions=True)
        raise
    stream.end()
    return await parsing


async def upload_temp_table(con: Any, name: str, table: pa.Table) -> None:
    """Create TEMP table ``name`` shaped like ``table`` and fill it with ``COPY ... FROM STDIN``."""
    import io

    await con.execute(create_temp_table(name, table.schema, "postgres"))
    if table.num_rows:
        await con.copy_to_table(
            name,
            source=io.BytesIO(arrow_to_csv(table)),
            columns=table.column_names,
            format="csv",
            schema_name="pg_temp",
        )
    await con.execute(analyze(name, "postgres"))
