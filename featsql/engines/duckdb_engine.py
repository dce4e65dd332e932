"""The embedded DuckDB engine (the default): in-process, results handed over as Arrow."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa

T = TypeVar("T")

_DUCKDB_TYPES = {
    "BOOLEAN": "bool",
    "TINYINT": "int8",
    "SMALLINT": "int16",
    "INTEGER": "int32",
    "BIGINT": "int64",
    "HUGEINT": "int64",
    "UTINYINT": "int16",
    "USMALLINT": "int32",
    "UINTEGER": "int64",
    "UBIGINT": "int64",
    "FLOAT": "float32",
    "DOUBLE": "float64",
    "VARCHAR": "string",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


def duckdb_dtype(type_name: str) -> str:
    """A featsql dtype (or conversion family) for a DuckDB column type."""
    upper = type_name.upper()
    if upper in _DUCKDB_TYPES:
        return _DUCKDB_TYPES[upper]
    if upper.startswith("DECIMAL"):
        scale = upper.rstrip(")").split(",")[-1].strip() if "," in upper else "0"
        return "decimal_int" if scale == "0" else "decimal"
    return f"other:{type_name}"


def to_arrow(relation: Any) -> pa.Table:
    """Fetch a DuckDB relation as an Arrow table across DuckDB 1.x and 2.x."""
    method = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    table: pa.Table = method()
    return table


class DuckDBEngine:
    """One DuckDB database (``":memory:"`` by default), session time zone UTC."""

    dialect = "duckdb"

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._con: Any = None
        self._lock = threading.Lock()
        self._registered: dict[str, Any] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._executor_lock = threading.Lock()

    @property
    def connection(self) -> Any:
        if self._con is None:
            import duckdb

            self._con = duckdb.connect(self.path)
            self._con.execute("SET TimeZone = 'UTC'")
        return self._con

    def register(self, name: str, data: Any) -> None:
        """Make a DataFrame / Arrow table visible as ``name`` for the engine's lifetime.

        A registration is local to one DuckDB connection, and every query runs on its own cursor,
        so the data is kept here and registered on each cursor.
        """
        with self._lock:
            self._registered[name] = data

    def is_registered(self, name: str) -> bool:
        return name in self._registered

    def _cursor(self) -> Any:
        cursor = self.connection.cursor()
        for name, data in self._registered.items():
            cursor.register(name, data)
        return cursor

    def fetch_arrow_sync(self, sql: str, temp_tables: dict[str, pa.Table] | None = None) -> pa.Table:
        with self._lock:
            cursor = self._cursor()
            try:
                for name, table in (temp_tables or {}).items():
                    cursor.register(name, table)
                return to_arrow(cursor.sql(sql))
            finally:
                cursor.close()

    async def fetch_arrow(self, sql: str, temp_tables: dict[str, pa.Table] | None = None) -> pa.Table:
        return await self._in_worker(self.fetch_arrow_sync, sql, temp_tables)

    def relation_schema_sync(self, relation_sql: str) -> dict[str, str]:
        """Column types of a query (``SELECT * FROM source``), read without running it."""
        with self._lock:
            cursor = self._cursor()
            try:
                relation = cursor.sql(relation_sql)
                return {name: duckdb_dtype(str(t)) for name, t in zip(relation.columns, relation.types)}
            finally:
                cursor.close()

    async def relation_schema(self, relation_sql: str) -> dict[str, str]:
        return await self._in_worker(self.relation_schema_sync, relation_sql)

    def execute_sync(self, sql: str) -> None:
        with self._lock:
            self.connection.execute(sql)

    async def execute(self, sql: str) -> None:
        await self._in_worker(self.execute_sync, sql)

    async def _in_worker(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking call on the engine's one long-lived worker thread.

        Queries are serialised by the engine's lock anyway; reusing one thread (instead of a new
        one per event loop, as ``asyncio.to_thread`` under ``asyncio.run`` gives) also reuses its
        memory, which saves page faults on every 1M-row result. (asyncio and the executor are
        imported here, so ``featsql build``, which only needs :func:`duckdb_dtype`, skips them.)
        """
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        from featsql._sync import blocking_allowed

        if blocking_allowed():  # a synchronous read (``to_pandas_sync``): the caller waits anyway
            return fn(*args)
        with self._executor_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="featsql-duckdb")
            executor = self._executor
        return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)

    def close(self) -> None:
        with self._executor_lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None
        if self._con is not None:
            self._con.close()
            self._con = None
