"""Crafted rows for the validation tests: every constraint type, NULLs and values on the bounds.

``EXPECTED`` maps (feature, constraint label) to the ids of the rows that violate it; a value equal
to a bound passes, NULL violates only ``required`` (and ``filled``'s NULL becomes -1 by fill_na).
"""

from __future__ import annotations

import uuid
from typing import Any

from featsql import Entity, FeatureView, FeatureViewMetadata, Float, Int64, String
from featsql.sources import BatchSource

COLUMNS = ("id", "req", "lo", "hi", "cat", "code", "email", "uniq", "filled")
SQL_TYPES = {
    "id": "BIGINT",
    "req": "BIGINT",
    "lo": "DOUBLE PRECISION",
    "hi": "BIGINT",
    "cat": "TEXT",
    "code": "TEXT",
    "email": "TEXT",
    "uniq": "BIGINT",
    "filled": "DOUBLE PRECISION",
}
ROWS: list[tuple[Any, ...]] = [
    # id  req   lo    hi    cat   code     email        uniq  filled
    (1, 1, 0.0, 10, "a", "ab", "ann@x", 1, 0.0),  # every value on its bound: valid
    (2, None, None, None, None, None, None, None, None),  # NULLs: only req and filled fail
    (3, 3, -0.5, 11, "c", "abcde", "bob@y", 3, 5.0),  # lo, hi, derived, cat, max_length
    (4, 4, 7.5, -3, "b", "a", "Bad@x", 3, 1.0),  # min_length, must_match, uniq dup
    (5, 5, 1e9, 5, "b", "abcd", "eve@z", 5, 0.5),  # max_length on the bound, derived = 10
]
EXPECTED: dict[tuple[str, str], set[int]] = {
    ("req", "required"): {2},
    ("lo", "lower_bound(0)"): {3},
    ("hi", "upper_bound(10)"): {3},
    ("cat", "accepted_values(['a', 'b'])"): {3},
    ("code", "min_length(2)"): {4},
    ("code", "max_length(4)"): {3},
    ("email", "matches('^[a-z]+@[a-z]+$')"): {4},
    ("uniq", "unique"): {3, 4},
    ("filled", "lower_bound(0)"): {2},
    ("doubled", "upper_bound(20)"): {3},
}
VALID_IDS = {1, 5}


def checked_view(source: BatchSource, name: str = "checked") -> type[FeatureView]:
    """A view declaring every constraint kind on input and derived features."""

    class Checked(FeatureView):
        metadata = FeatureViewMetadata(name=name, batch_source=source, description="validation test view")
        id = Entity(dtype=Int64())
        req = Int64().is_required()
        lo = Float().lower_bound(0)
        hi = Int64().upper_bound(10)
        cat = String().accepted_values(["a", "b"])
        code = String().min_length(2).max_length(4)
        email = String().must_match("^[a-z]+@[a-z]+$")
        uniq = Int64().is_unique()
        filled = Float().fill_na(-1).lower_bound(0)
        doubled = (hi * 2).upper_bound(20)

    return Checked


def duckdb_database(path: str) -> None:
    """Write ROWS into table ``checked`` of a DuckDB database file."""
    import duckdb

    con = duckdb.connect(path)
    try:
        types = ", ".join(f'"{c}" {SQL_TYPES[c].replace("DOUBLE PRECISION", "DOUBLE")}' for c in COLUMNS)
        con.execute(f"CREATE TABLE checked ({types})")
        con.executemany(f"INSERT INTO checked VALUES ({', '.join('?' for _ in COLUMNS)})", ROWS)
    finally:
        con.close()


def schema_name() -> str:
    return f"featsql_validation_{uuid.uuid4().hex[:8]}"


async def postgres_table(dsn: str, schema: str) -> None:
    """Create ``<schema>.checked`` holding ROWS on the PostgreSQL server."""
    import asyncpg

    con = await asyncpg.connect(dsn)
    try:
        await con.execute(f'CREATE SCHEMA "{schema}"')
        types = ", ".join(f'"{c}" {SQL_TYPES[c]}' for c in COLUMNS)
        await con.execute(f'CREATE TABLE "{schema}".checked ({types})')
        await con.copy_records_to_table("checked", schema_name=schema, records=ROWS)
    finally:
        await con.close()


async def drop_schema(dsn: str, schema: str) -> None:
    import asyncpg

    con = await asyncpg.connect(dsn)
    try:
        await con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await con.close()
