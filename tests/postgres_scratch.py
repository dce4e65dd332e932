"""A scratch schema in the test PostgreSQL: created with a random suffix, filled, dropped at the end."""

from __future__ import annotations

import asyncio
import io
import uuid
from typing import Any

import pyarrow as pa

from featsql.engines.arrow_io import arrow_to_csv
from featsql.engines.ddl import create_table, quote_ident


class PostgresScratch:
    """Schema ``featsql_<topic>_<uuid8>``; tables are loaded from Arrow with COPY."""

    def __init__(self, dsn: str, topic: str) -> None:
        self.dsn = dsn
        self.schema = f"featsql_{topic}_{uuid.uuid4().hex[:8]}"
        self.run(f"CREATE SCHEMA {quote_ident(self.schema)}")

    def run(self, sql: str, *args: Any) -> list[Any]:
        """Run one statement on a fresh connection; its rows."""

        async def go() -> list[Any]:
            import asyncpg

            con = await asyncpg.connect(self.dsn)
            try:
                return list(await con.fetch(sql, *args))
            finally:
                await con.close()

        return asyncio.run(go())

    def load(self, name: str, table: pa.Table) -> str:
        """Create ``<schema>.<name>`` shaped like ``table`` and COPY its rows in; the qualified name."""
        ddl = create_table(name, table.schema, "postgres", db=self.schema)

        async def go() -> None:
            import asyncpg

            con = await asyncpg.connect(self.dsn)
            try:
                await con.execute(ddl)
                if table.num_rows:
                    await con.copy_to_table(
                        name, schema_name=self.schema, source=io.BytesIO(arrow_to_csv(table)), format="csv",
                        columns=table.column_names,
                    )
            finally:
                await con.close()

        asyncio.run(go())
        return f"{self.schema}.{name}"

    def drop(self) -> None:
        """Drop the schema and everything in it."""
        self.run(f"DROP SCHEMA IF EXISTS {quote_ident(self.schema)} CASCADE")
