"""Warehouses for point-in-time tests: the same tables on DuckDB, PostgreSQL, and Redshift-as-PostgreSQL.

``Warehouse.load(name, frame)`` stores a pandas frame as a table and returns a source for a view.
The Redshift warehouse reads the PostgreSQL tables through redshift-connector and a relay, with
SQL lowered for Redshift and printed as PostgreSQL (``featsql_print_as=postgres``).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pyarrow as pa

from featsql import BatchSource, DuckDBConfig, FeatureStore, PostgreSQLConfig, RedshiftSQLConfig

BACKENDS = ("duckdb", "postgres", "redshift")


class Warehouse:
    """One backend's tables for a test; ``close()`` drops them."""

    def __init__(self, kind: str, tmp_path: Path, postgres_dsn: str | None) -> None:
        self.kind = kind
        self._scratch: Any = None
        self._relay: Any = None
        self._env: str | None = None
        if kind == "duckdb":
            self.path = str(tmp_path / "warehouse.duckdb")
            return
        from postgres_scratch import PostgresScratch

        assert postgres_dsn is not None
        self._scratch = PostgresScratch(postgres_dsn, "pit")
        self.env_var = "FEATSQL_TEST_POSTGRES_DSN"
        if kind == "redshift":
            from redshift_relay import RedshiftToPostgresRelay

            self._relay = RedshiftToPostgresRelay.for_dsn(postgres_dsn)
            self._env = f"FEATSQL_PIT_REDSHIFT_{uuid.uuid4().hex[:8].upper()}"
            parts = urlsplit(postgres_dsn)
            user, database = parts.username or "root", parts.path.lstrip("/") or "test"
            os.environ[self._env] = (
                f"redshift://{user}@127.0.0.1:{self._relay.port}/{database}?featsql_print_as=postgres&ssl=false"
            )
            self.env_var = self._env

    def load(self, name: str, frame: pd.DataFrame) -> BatchSource:
        """Store ``frame`` as table ``name``; a source reading it."""
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self.kind == "duckdb":
            import duckdb

            con = duckdb.connect(self.path)
            try:
                con.register("featsql_frame", table)
                con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM featsql_frame')
            finally:
                con.close()
            return DuckDBConfig(self.path).table(name)
        qualified = self._scratch.load(name, table)
        if self.kind == "postgres":
            return PostgreSQLConfig(self.env_var).table(qualified)
        return RedshiftSQLConfig(self.env_var).table(qualified)

    def table_name(self, name: str) -> str:
        """The name of a loaded table as the warehouse knows it."""
        return name if self.kind == "duckdb" else f"{self._scratch.schema}.{name}"

    def close(self, store: FeatureStore | None = None) -> None:
        if store is not None:
            store.close()
        if self._scratch is not None:
            self._scratch.drop()
        if self._relay is not None:
            self._relay.close()
        if self._env is not None:
            os.environ.pop(self._env, None)
