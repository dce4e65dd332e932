"""Entity rows for point-in-time reads: data from Python, or a table / query in the warehouse.

``features_for`` takes a pandas or polars DataFrame, a dict of columns or an Arrow table (uploaded
to the warehouse for the query, then dropped), or rows already in the warehouse, used in place::

    featsql.table("analytics.labels")                      # a table or view
    featsql.sql("SELECT passenger_id, event_timestamp FROM labels WHERE split_day < 3")

Rows from the warehouse have no order of their own: the output is ordered by the entity keys,
then the timestamp.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from featsql.errors import FeatSQLError

if TYPE_CHECKING:
    import pyarrow as pa

ROW_COLUMN = "featsql_row"
ENTITY_TABLE = "featsql_entities"
RESERVED = frozenset({ROW_COLUMN, "featsql_split", "featsql_bucket"})


@dataclass(frozen=True)
class WarehouseTable:
    """Entity rows in a table (or view) of the model's warehouse, e.g. ``"public.labels"``."""

    name: str


@dataclass(frozen=True)
class WarehouseQuery:
    """Entity rows as a SELECT in the warehouse's own SQL."""

    sql: str


def table(name: str) -> WarehouseTable:
    """Entity rows from a table of the warehouse the model's views live in (used in place)."""
    if not isinstance(name, str) or not name:
        raise FeatSQLError(f"featsql.table() takes a table name, got {name!r}")
    return WarehouseTable(name)


def sql(query: str) -> WarehouseQuery:
    """Entity rows from a SELECT run in the warehouse the model's views live in (used in place)."""
    if not isinstance(query, str) or not query.strip():
        raise FeatSQLError(f"featsql.sql() takes a SELECT statement, got {query!r}")
    return WarehouseQuery(query)


def to_arrow(entities: Any) -> pa.Table:
    """A pandas/polars DataFrame, a dict of columns or an Arrow table, as an Arrow table."""
    import pyarrow as pa

    if isinstance(entities, pa.Table):
        return entities
    if isinstance(entities, Mapping):
        return pa.table({str(k): _column(v) for k, v in entities.items()})
    if hasattr(entities, "to_arrow") and hasattr(entities, "schema"):  # polars
        return entities.to_arrow()
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        pd = None
    if pd is not None and isinstance(entities, pd.DataFrame):
        return pa.Table.from_pandas(entities, preserve_index=False)
    raise FeatSQLError(
        "entities must be a pandas or polars DataFrame, a dict of columns, an Arrow table, "
        f"featsql.table(name) or featsql.sql(query); got {type(entities).__name__}"
    )


def _column(values: Any) -> Any:
    import pyarrow as pa

    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values
    if hasattr(values, "to_arrow"):  # polars Series
        return values.to_arrow()
    if hasattr(values, "dtype") and hasattr(values, "to_numpy"):  # pandas Series / numpy
        return pa.array(values)
    return pa.array(list(values))


def prepare_upload(table: pa.Table, keys: Sequence[str], timestamp: str | None) -> pa.Table:
    """The columns to upload, with the timestamp as naive UTC microseconds and a row number.

    Large strings become strings, time-zone-aware times are converted to UTC, dates become
    midnight. ``keys`` must be present (checked by the caller).
    """
    import pyarrow as pa

    columns, names = [], []
    for name, col in zip(table.column_names, table.columns):
        if name in RESERVED:
            raise FeatSQLError(f"the entity column name '{name}' is reserved by featsql; rename it")
        if pa.types.is_large_string(col.type):
            col = col.cast(pa.string())
        if name == timestamp:
            col = _as_utc_timestamp(name, col)
        columns.append(col)
        names.append(name)
    import numpy as np

    columns.append(pa.array(np.arange(table.num_rows, dtype=np.int64)))
    names.append(ROW_COLUMN)
    return pa.table(columns, names=names)


def _as_utc_timestamp(name: str, col: Any) -> Any:
    import pyarrow as pa

    kind = col.type
    if pa.types.is_timestamp(kind):
        if kind.tz is not None:
            col = col.cast(pa.timestamp("us", tz="UTC"), safe=False)
        return col.cast(pa.timestamp("us"), safe=False)
    if pa.types.is_date(kind):
        return col.cast(pa.timestamp("us"))
    if pa.types.is_null(kind):
        return col.cast(pa.timestamp("us"))
    raise FeatSQLError(
        f"entity column '{name}' is the event timestamp and must hold datetimes (or dates), got {kind}"
    )
