"""Batch sources: where a view's rows come from.

A source is a thin, typed wrapper around :class:`featsql.ir.Source` (plain data). Credentials are
never stored: a database config names the environment variable that holds the connection string.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from featsql import ir

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from featsql.store import FeatureStore


def _mapping(mapping_keys: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in (mapping_keys or {}).items())


class BatchSource:
    """A source of rows for a feature view. Build one with the constructors below."""

    __slots__ = ("ir",)

    def __init__(self, source: ir.Source) -> None:
        self.ir = source

    @property
    def dialect(self) -> str:
        """The SQL dialect the source's queries run in (``duckdb``, ``postgres``, ``redshift``)."""
        return self.ir.dialect

    def __repr__(self) -> str:
        return f"BatchSource({self.ir.kind}, {self.ir.location!r})"


class FileSource:
    """Files read by the embedded DuckDB engine, and the JSON repository definition."""

    @staticmethod
    def csv_at(path: str | Path, mapping_keys: Mapping[str, str] | None = None) -> BatchSource:
        """A CSV file with a header row. ``mapping_keys`` renames file columns to feature names."""
        return BatchSource(ir.Source("csv", str(path), _mapping(mapping_keys)))

    @staticmethod
    def parquet_at(path: str | Path, mapping_keys: Mapping[str, str] | None = None) -> BatchSource:
        """A Parquet file (or a glob of files)."""
        return BatchSource(ir.Source("parquet", str(path), _mapping(mapping_keys)))

    @staticmethod
    def json_at(path: str | Path) -> RepositoryFile:
        """A JSON repository definition written by :meth:`FeatureStore.write_json`."""
        return RepositoryFile(Path(path))


class RepositoryFile:
    """A JSON repository definition on disk; turn it into a :class:`FeatureStore`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def feature_store(self) -> FeatureStore:
        """Load the store (no Python classes needed)."""
        return self.feature_store_sync()

    def feature_store_sync(self) -> FeatureStore:
        """Load the store, synchronously."""
        from featsql.store import FeatureStore

        return FeatureStore.from_json(self.path.read_text(encoding="utf-8"))


class DuckDBConfig:
    """A DuckDB database file (``":memory:"`` for the store's in-memory database)."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)

    def table(self, name: str, mapping_keys: Mapping[str, str] | None = None) -> BatchSource:
        """A table (or view) of the database, optionally schema-qualified (``"main.titanic"``)."""
        return BatchSource(ir.Source("duckdb_table", name, _mapping(mapping_keys), self.path))


class _EnvConfig:
    _kind = ""

    def __init__(self, env_var: str) -> None:
        if not env_var or not isinstance(env_var, str):
            raise ValueError("give the NAME of the environment variable that holds the connection string")
        self.env_var = env_var

    def table(self, name: str, mapping_keys: Mapping[str, str] | None = None) -> BatchSource:
        """A table or view, optionally schema-qualified (``"public.titanic"``)."""
        return BatchSource(ir.Source(f"{self._kind}_table", name, _mapping(mapping_keys), self.env_var))

    def query(self, sql: str, mapping_keys: Mapping[str, str] | None = None) -> BatchSource:
        """The rows of a SELECT written in the warehouse's own SQL."""
        return BatchSource(ir.Source(f"{self._kind}_query", sql, _mapping(mapping_keys), self.env_var))


class PostgreSQLConfig(_EnvConfig):
    """PostgreSQL, through asyncpg. ``env_var`` names the variable holding a ``postgresql://`` URL."""

    _kind = "postgres"


class RedshiftSQLConfig(_EnvConfig):
    """Amazon Redshift, through redshift-connector. ``env_var`` names the variable holding the URL."""

    _kind = "redshift"


class InMemorySource:
    """A pandas DataFrame (or an Arrow table), served by the embedded DuckDB engine.

    For tests and notebooks. The data travels inside the JSON repository definition as an Arrow IPC
    stream in base64 (an open format every Arrow implementation reads; types are kept exactly), so
    keep it small.
    """

    @staticmethod
    def from_pandas(
        df: pd.DataFrame, name: str = "data", mapping_keys: Mapping[str, str] | None = None
    ) -> BatchSource:
        import pyarrow as pa

        return InMemorySource.from_arrow(pa.Table.from_pandas(df, preserve_index=False), name, mapping_keys)

    @staticmethod
    def from_arrow(
        table: pa.Table, name: str = "data", mapping_keys: Mapping[str, str] | None = None
    ) -> BatchSource:
        import base64

        import pyarrow as pa

        # featsql's (and the warehouses') time resolution is the microsecond
        fields = [
            pa.field(f.name, pa.timestamp("us", f.type.tz)) if pa.types.is_timestamp(f.type) else f
            for f in table.schema
        ]
        table = table.replace_schema_metadata(None).cast(pa.schema(fields))
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        data = base64.b64encode(sink.getvalue().to_pybytes()).decode("ascii")
        options = (("arrow_ipc_base64", data),)
        return BatchSource(ir.Source("in_memory", name, _mapping(mapping_keys), None, options))


def in_memory_frame(source: ir.Source) -> pa.Table:
    """The Arrow table behind an ``in_memory`` source."""
    import base64

    import pyarrow as pa

    data = base64.b64decode(dict(source.options)["arrow_ipc_base64"])
    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()
