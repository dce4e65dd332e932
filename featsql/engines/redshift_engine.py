"""The Redshift engine (redshift-connector): features computed in the cluster, results as Arrow.

redshift-connector decodes every value in Python and its ``fetch_dataframe`` is ``fetchall()``
plus a DataFrame (lower-casing the column names), so the engine fetches the rows once and builds
Arrow column by column, keeping names exactly. Redshift's COPY reads only from S3, so entity
rows for ``features_for`` are inserted into a TEMP table with multi-row ``INSERT ... VALUES``
statements carrying bind parameters; the surrounding transaction is rolled back afterwards, which
drops the table whatever happens.

The URL (in the environment variable) is ``redshift://user:password@host:5439/database``, with
connect options as query parameters (``?ssl=false&timeout=30``). ``featsql_print_as=postgres`` is
a testing aid: SQL keeps the Redshift lowering but is printed in PostgreSQL's spelling, for
running through redshift-connector against a PostgreSQL server (see docs/warehouses.md).
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from featsql.engines.arrow_io import pg_arrow_type, rows_to_arrow
from featsql.engines.ddl import analyze, create_temp_table, insert_rows
from featsql.engines.pg_types import PG_TYPE_NAMES_BY_OID, pg_dtype
from featsql.engines.postgres_engine import connection_url
from featsql.errors import FeatSQLError

if TYPE_CHECKING:
    import pyarrow as pa

_BOOL_OPTIONS = frozenset({"ssl", "iam", "is_serverless", "tcp_keepalive", "numeric_to_float", "auto_create"})
_INT_OPTIONS = frozenset(
    {"timeout", "max_prepared_statements", "tcp_keepalive_idle", "tcp_keepalive_interval"}
)
PRINT_AS_OPTION = "featsql_print_as"
_MAX_PARAMETERS = 32767  # the wire protocol counts bind parameters in an Int16
_MAX_ROWS_PER_INSERT = 1000


def parse_redshift_url(url: str) -> tuple[dict[str, Any], str]:
    """redshift-connector ``connect`` keyword arguments, and the dialect SQL is printed in."""
    parts = urlsplit(url)
    if parts.scheme not in ("redshift", "postgresql", "postgres"):
        raise FeatSQLError(
            f"a Redshift URL starts with redshift:// (got '{parts.scheme}://'), "
            "e.g. redshift://user:password@cluster.region.redshift.amazonaws.com:5439/dev"
        )
    kwargs: dict[str, Any] = {
        "host": parts.hostname or "localhost",
        "port": parts.port or 5439,
        "database": unquote(parts.path.lstrip("/")) or "dev",
    }
    if parts.username:
        kwargs["user"] = unquote(parts.username)
    if parts.password is not None:
        kwargs["password"] = unquote(parts.password)
    print_as = "redshift"
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == PRINT_AS_OPTION:
            if value not in ("redshift", "postgres"):
                raise FeatSQLError(f"{PRINT_AS_OPTION} must be 'redshift' or 'postgres', got '{value}'")
            print_as = value
        elif key in _BOOL_OPTIONS:
            kwargs[key] = value.lower() in ("1", "true", "yes", "on")
        elif key in _INT_OPTIONS:
            kwargs[key] = int(value)
        else:
            kwargs[key] = value
    return kwargs, print_as


class RedshiftEngine:
    """Amazon Redshift through redshift-connector; ``env_var`` names the variable holding the URL.

    One connection per engine, used by one call at a time (from a worker thread, so the event
    loop is never blocked). ``print_as="postgres"`` overrides the URL's ``featsql_print_as``.
    """

    dialect = "redshift"

    def __init__(self, env_var: str, *, print_as: str | None = None) -> None:
        self.env_var = env_var
        self._print_as = print_as
        self._con: Any = None
        self._lock = threading.Lock()

    def _settings(self) -> tuple[dict[str, Any], str]:
        url = connection_url(self.env_var, "Redshift", "redshift://user:password@host:5439/dev")
        kwargs, print_as = parse_redshift_url(url)
        return kwargs, self._print_as or print_as

    @property
    def output_dialect(self) -> str:
        """The dialect SQL is printed in: ``redshift``, or ``postgres`` when testing on PostgreSQL."""
        return self._settings()[1]

    @property
    def connection(self) -> Any:
        """The open redshift-connector connection (opened on first use).

        The session runs in UTC and, on Redshift, with ``enable_case_sensitive_identifier`` on, so
        quoted mixed-case names mean what they say.
        """
        if self._con is None:
            import redshift_connector

            kwargs, print_as = self._settings()
            con = redshift_connector.connect(**kwargs)
            cursor = con.cursor()
            cursor.execute("SET timezone TO 'UTC'")
            if print_as == "redshift":
                # featsql quotes every identifier and means it: "Age" is not "age" (as in PostgreSQL)
                cursor.execute("SET enable_case_sensitive_identifier TO true")
            cursor.close()
            con.commit()
            self._con = con
        return self._con

    # -- synchronous work (run on a worker thread) ----------------------------------------------
    def fetch_arrow_sync(self, sql: str, temp_tables: dict[str, pa.Table] | None = None) -> pa.Table:
        """Run ``sql`` with ``temp_tables`` uploaded for it; the result as Arrow."""
        with self._lock:
            con = self.connection
            cursor = con.cursor()
            try:
                for name, table in (temp_tables or {}).items():
                    self._upload(cursor, name, table)
                cursor.execute(sql)
                names = [column[0] for column in cursor.description]
                types = [pg_arrow_type(_type_name(column[1])) for column in cursor.description]
                return rows_to_arrow(cursor.fetchall(), names, types)
            finally:
                self._end(cursor)  # rolls back: read-only work, and it drops the TEMP tables

    def _upload(self, cursor: Any, name: str, table: pa.Table) -> None:
        dialect = self.output_dialect
        cursor.execute(create_temp_table(name, table.schema, dialect))
        columns = table.column_names
        batch_rows = max(1, min(_MAX_ROWS_PER_INSERT, _MAX_PARAMETERS // max(1, len(columns))))
        statements: dict[int, str] = {}
        for batch in table.to_batches(max_chunksize=batch_rows):
            if batch.num_rows == 0:
                continue
            statement = statements.get(batch.num_rows)
            if statement is None:
                statement = statements[batch.num_rows] = insert_rows(name, columns, batch.num_rows, dialect)
            rows = zip(*(column.to_pylist() for column in batch.columns))
            values = [value for row in rows for value in row]
            cursor.execute(statement, values)
        cursor.execute(analyze(name, dialect))

    def relation_schema_sync(self, relation_sql: str) -> dict[str, str]:
        """Column name -> featsql dtype of a query's result (run with LIMIT 0 by the caller)."""
        with self._lock:
            con = self.connection
            cursor = con.cursor()
            try:
                cursor.execute(relation_sql)
                row_desc = (getattr(cursor, "ps", None) or {}).get("row_desc") or []
                typmods = [field.get("type_modifier", -1) for field in row_desc]
                schema: dict[str, str] = {}
                for index, column in enumerate(cursor.description):
                    typmod = typmods[index] if index < len(typmods) else -1
                    schema[column[0]] = pg_dtype(_type_name(column[1]), typmod)
                return schema
            finally:
                self._end(cursor)

    def _end(self, cursor: Any) -> None:
        """Close the cursor and roll back; a connection that cannot roll back is dropped."""
        try:
            cursor.close()
            self._con.rollback()
        except Exception:
            con, self._con = self._con, None
            try:
                con.close()
            except Exception:
                pass

    def execute_sync(self, sql: str) -> None:
        """Run a statement and commit it."""
        with self._lock:
            con = self.connection
            cursor = con.cursor()
            try:
                cursor.execute(sql)
                con.commit()
            except Exception:
                con.rollback()
                raise
            finally:
                cursor.close()

    # -- Engine protocol ---------------------------------------------------------------------
    async def fetch_arrow(self, sql: str, temp_tables: dict[str, pa.Table] | None = None) -> pa.Table:
        """Run a query; ``temp_tables`` are made visible under their names for that query only."""
        return await asyncio.to_thread(self.fetch_arrow_sync, sql, temp_tables)

    async def relation_schema(self, relation_sql: str) -> dict[str, str]:
        """Column name -> featsql dtype of a query's result."""
        return await asyncio.to_thread(self.relation_schema_sync, relation_sql)

    async def execute(self, sql: str) -> None:
        """Run a statement that returns no rows."""
        await asyncio.to_thread(self.execute_sync, sql)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            if self._con is not None:
                try:
                    self._con.close()
                finally:
                    self._con = None


def _type_name(oid: int) -> str:
    return PG_TYPE_NAMES_BY_OID.get(oid, f"oid{oid}")
