"""Awkward identifiers and string literals give the same, correct answers on every engine.

Column names that are reserved words (``user``, ``select``) or mixed case (``Age``), with a space
or a double quote in them; string literals with quotes, backslashes, ``%``, ``_``, ``{#``, an SQL
injection attempt and unicode. Run on DuckDB, on PostgreSQL (asyncpg) and through
redshift-connector (Redshift lowering, printed as PostgreSQL), each compared with plain Python.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import pytest
from postgres_scratch import PostgresScratch
from redshift_relay import RedshiftToPostgresRelay

from featsql import (
    Entity,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    Float,
    InMemorySource,
    Int32,
    PostgreSQLConfig,
    RedshiftSQLConfig,
    String,
)

LITERALS = [
    "O'Brien",
    "back\\slash",
    "100%",
    "a_b",
    "{# not a comment #}",
    "naïve ☃ 日本",
    "'); DROP TABLE users; --",
    'say "hi"',
]
USERS = [*LITERALS, "100", "axb", None, "", "o'brien"]
FILL = "it's \\ {# 50%_"

ROWS = len(USERS)
DATA = pa.table(
    {
        "id": pa.array(range(1, ROWS + 1), pa.int32()),
        "user": USERS,
        "select": pa.array([i - 3 for i in range(ROWS)], pa.int32()),
        "Age": [None if i % 4 == 0 else 20.0 + 3 * i for i in range(ROWS)],
        "first name": [None if i % 3 == 0 else f"N{i}'s" for i in range(ROWS)],
        'say "hi"': [LITERALS[i % len(LITERALS)] for i in range(ROWS)],
    }
)
MAPPING = {"first name": "first_name", 'say "hi"': "say_hi"}


def awkward_view(source: Any) -> type[FeatureView]:
    class Awkward(FeatureView):
        metadata = FeatureViewMetadata(name="Awkward View", description="awkward names", batch_source=source)
        id = Entity(dtype=Int32())
        user = String()
        select = Int32()
        Age = Float()
        first_name = String()
        say_hi = String()
        is_obrien, is_backslash, is_percent, is_underscore, is_brace, is_unicode, is_drop, is_quoted = (
            user.one_hot_encode(LITERALS)
        )
        position = user.ordinal_categories(LITERALS)
        has_percent = user.contains("0%")
        has_underscore = user.contains("a_b")
        has_quote = user.contains("'")
        has_backslash = user.contains("\\")
        said_hi = say_hi == 'say "hi"'
        first = first_name.fill_na(FILL)
        select_next = select + 1
        older = Age > 30

    return Awkward


def python_reference() -> dict[str, list[Any]]:
    """What every engine must return, computed in plain Python."""
    rows = DATA.to_pylist()

    def contains(value: str | None, text: str) -> bool | None:
        return None if value is None else text in value

    names = ["is_obrien", "is_backslash", "is_percent", "is_underscore", "is_brace", "is_unicode", "is_drop",
             "is_quoted"]
    out: dict[str, list[Any]] = {"id": [r["id"] for r in rows]}
    for name, literal in zip(names, LITERALS):
        out[name] = [r["user"] == literal for r in rows]
    out["position"] = [LITERALS.index(r["user"]) if r["user"] in LITERALS else None for r in rows]
    out["has_percent"] = [contains(r["user"], "0%") for r in rows]
    out["has_underscore"] = [contains(r["user"], "a_b") for r in rows]
    out["has_quote"] = [contains(r["user"], "'") for r in rows]
    out["has_backslash"] = [contains(r["user"], "\\") for r in rows]
    out["said_hi"] = [r['say "hi"'] == 'say "hi"' for r in rows]
    out["first"] = [FILL if r["first name"] is None else r["first name"] for r in rows]
    out["select_next"] = [r["select"] + 1 for r in rows]
    out["older"] = [None if r["Age"] is None else r["Age"] > 30 for r in rows]
    out["user"] = [r["user"] for r in rows]
    out["Age"] = [r["Age"] for r in rows]
    return out


def check(store: FeatureStore) -> None:
    frame = store.feature_view("Awkward View").all().to_pandas_sync().sort_values("id").reset_index(drop=True)
    expected = python_reference()
    for column, values in expected.items():
        got = [None if v is None or (isinstance(v, float) and math.isnan(v)) else v
               for v in frame[column].astype(object).tolist()]
        assert got == values, column
    assert list(frame.columns)[:6] == ["id", "user", "select", "Age", "first_name", "say_hi"]
    looked_up = store.feature_view("Awkward View").select(["first", "is_quoted"]).features_for(
        {"id": [8, 1, 999]}
    ).to_pandas_sync()
    assert looked_up["first"].tolist()[:2] == [expected["first"][7], expected["first"][0]]
    assert looked_up["is_quoted"].astype(object).tolist() == [True, False, None]


def duckdb_store() -> FeatureStore:
    source = InMemorySource.from_pandas(DATA.to_pandas(), "awkward", MAPPING)
    return FeatureStore.from_definitions([awkward_view(source)])


def test_duckdb() -> None:
    store = duckdb_store()
    try:
        check(store)
    finally:
        store.close()


def test_literals_are_sqlglot_literals_not_formatted_text() -> None:
    store = duckdb_store()
    try:
        import sqlglot
        from sqlglot import exp

        sql = store.feature_view("Awkward View").sql(dialect="postgres")
        tree = sqlglot.parse_one(sql, read="postgres")
        strings = {node.this for node in tree.find_all(exp.Literal) if node.is_string}
        assert set(LITERALS) <= strings and FILL in strings  # each literal parses back intact
        identifiers = {node.this for node in tree.find_all(exp.Identifier)}
        assert {"user", "select", "Age", "first name", 'say "hi"'} <= identifiers
        assert all(node.quoted for node in tree.find_all(exp.Identifier))
    finally:
        store.close()


@pytest.fixture(scope="module")
def scratch(postgres_dsn: str) -> Iterator[PostgresScratch]:
    box = PostgresScratch(postgres_dsn, "identifiers")
    try:
        yield box
    finally:
        box.drop()


@pytest.fixture(scope="module")
def awkward_table(scratch: PostgresScratch) -> str:
    return scratch.load("Select Me", DATA)  # mixed case and a space in the table name too


def test_postgres(monkeypatch: pytest.MonkeyPatch, postgres_dsn: str, awkward_table: str) -> None:
    monkeypatch.setenv("FEATSQL_TEST_IDENT_PG", postgres_dsn)
    store = FeatureStore.from_definitions(
        [awkward_view(PostgreSQLConfig("FEATSQL_TEST_IDENT_PG").table(awkward_table, MAPPING))]
    )
    try:
        check(store)
    finally:
        store.close()


def test_redshift_connector(monkeypatch: pytest.MonkeyPatch, postgres_dsn: str, awkward_table: str) -> None:
    relay = RedshiftToPostgresRelay.for_dsn(postgres_dsn)
    parts = urlsplit(postgres_dsn)
    auth = parts.netloc.rsplit("@", 1)[0] if "@" in parts.netloc else "root"
    url = f"redshift://{auth}@127.0.0.1:{relay.port}{parts.path}?ssl=false&featsql_print_as=postgres"
    monkeypatch.setenv("FEATSQL_TEST_IDENT_RS", url)
    store = FeatureStore.from_definitions(
        [awkward_view(RedshiftSQLConfig("FEATSQL_TEST_IDENT_RS").table(awkward_table, MAPPING))]
    )
    try:
        check(store)
    finally:
        store.close()
        relay.close()
