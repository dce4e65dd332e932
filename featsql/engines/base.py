"""The engine interface every warehouse implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pyarrow as pa


class Engine(Protocol):
    """Runs SQL of one dialect and hands results back as Arrow."""

    dialect: str

    async def fetch_arrow(self, sql: str, temp_tables: dict[str, pa.Table] | None = None) -> pa.Table:
        """Run a query; ``temp_tables`` are made visible under their names for that query only."""
        ...

    async def relation_schema(self, relation_sql: str) -> dict[str, str]:
        """Column name -> featsql dtype (or a family such as ``decimal``) of a query's result."""
        ...

    async def execute(self, sql: str) -> None:
        """Run a statement that returns no rows."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
