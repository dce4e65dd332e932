"""The PostgreSQL engine and PostgreSQL sources, against the real server (FEATSQL_TEST_POSTGRES_DSN)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest
from postgres_scratch import PostgresScratch

from featsql import (
    Bool,
    Date,
    Entity,
    FeatSQLError,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    Float,
    Int32,
    PostgreSQLConfig,
    SchemaMismatchError,
    String,
)
from featsql._sync import run_sync
from featsql.engines.postgres_engine import PostgresEngine

ENV = "FEATSQL_TEST_PG_SOURCE"
UTC = dt.timezone.utc

PASSENGERS = pa.table(
    {
        "PassengerId": pa.array([1, 2, 3, 4, 5], pa.int32()),
        "Name": ["Braund, Mr. Owen", "Cumings, Mrs. John", "Heikkinen, Miss. Laina", None,
                 "Allen, Mr. William"],
        "Sex": ["male", "female", "female", None, "unknown"],
        "Survived": pa.array([0, 1, 1, None, 0], pa.int64()),
        "SibSp": pa.array([1, 1, 0, 0, None], pa.int32()),
        "Age": [22.0, 38.0, None, 35.0, float("nan")],
    }
)
MAPPING = {"PassengerId": "passenger_id", "Name": "name", "Sex": "sex", "Survived": "survived",
           "SibSp": "sibsp", "Age": "age"}


def titanic_view(source: Any) -> type[FeatureView]:
    class Titanic(FeatureView):
        metadata = FeatureViewMetadata(name="titanic", description="test view", batch_source=source)
        passenger_id = Entity(dtype=Int32())
        name = String()
        sex = String()
        survived = Bool()
        sibsp = Int32()
        age = Float().fill_na(0)
        has_siblings = sibsp != 0
        is_male, is_female = sex.one_hot_encode(["male", "female"])
        ordinal_sex = sex.ordinal_categories(["male", "female"])
        is_mr = name.contains("Mr.")
        age_ratio = age / (sibsp + 1)

    return Titanic


# What the view must compute for PASSENGERS (the contract, written out by hand).
EXPECTED = {
    "passenger_id": [1, 2, 3, 4, 5],
    "has_siblings": [True, True, False, False, None],
    "is_male": [True, False, False, False, False],
    "is_female": [False, True, True, False, False],
    "ordinal_sex": [0, 1, 1, None, None],
    "is_mr": [True, False, False, None, True],
    "age": [22.0, 38.0, 0.0, 35.0, math.nan],
}


@pytest.fixture(scope="module")
def scratch(postgres_dsn: str) -> Iterator[PostgresScratch]:
    box = PostgresScratch(postgres_dsn, "pgengine")
    try:
        yield box
    finally:
        box.drop()


@pytest.fixture(scope="module")
def passengers(scratch: PostgresScratch) -> str:
    return scratch.load("Passengers", PASSENGERS)


@pytest.fixture()
def source_env(monkeypatch: pytest.MonkeyPatch, postgres_dsn: str) -> str:
    monkeypatch.setenv(ENV, postgres_dsn)
    return ENV


@pytest.fixture()
def engine(source_env: str) -> Iterator[PostgresEngine]:
    eng = PostgresEngine(source_env, max_connections=1)  # one connection: temp-table leaks would show
    try:
        yield eng
    finally:
        eng.close()


def fetch(engine: PostgresEngine, sql: str, temp: dict[str, pa.Table] | None = None) -> pa.Table:
    return run_sync(engine.fetch_arrow(sql, temp))


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


# -- configuration errors (no server needed) --------------------------------------------------------
def test_missing_env_var_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FEATSQL_NO_SUCH_PG", raising=False)
    engine = PostgresEngine("FEATSQL_NO_SUCH_PG")
    try:
        with pytest.raises(FeatSQLError, match="'FEATSQL_NO_SUCH_PG' is not set.*postgresql://"):
            run_sync(engine.fetch_arrow("SELECT 1"))
    finally:
        engine.close()


def test_missing_env_var_through_the_store_names_view_and_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FEATSQL_NO_SUCH_PG", raising=False)
    store = FeatureStore.from_definitions([titanic_view(PostgreSQLConfig("FEATSQL_NO_SUCH_PG").table("t"))])
    try:
        with pytest.raises(FeatSQLError, match="View 'titanic'.*'FEATSQL_NO_SUCH_PG' is not set"):
            store.feature_view("titanic").all().to_pandas_sync()
    finally:
        store.close()


def test_json_stores_only_the_env_var_name(postgres_dsn: str) -> None:
    store = FeatureStore.from_definitions([titanic_view(PostgreSQLConfig(ENV).table("public.t"))])
    text = store.to_json()
    assert ENV in text
    assert "postgresql://" not in text and "127.0.0.1" not in text
    again = FeatureStore.from_json(text)
    assert again.view_ir("titanic").source.config == ENV


# -- the engine: types, NULLs, the two transfer paths --------------------------------------------
TYPES_SQL = """
SELECT i2::int2, i4::int4, i8::int8, f4::float4, f8::float8, b::bool, s::text, d::date, ts::timestamp,
       tstz::timestamptz, n::numeric(10, 2), j::jsonb, vc::varchar(3), ch::char(2)
FROM (VALUES
  ('1', '10', '100', '1.5', 'NaN', 'true', 'plain', '2024-02-29', '2024-12-31 23:59:59.999999',
   '2024-06-01 12:00:00+02', '1.25', '{"a": 1}', 'x', 'ab'),
  (NULL, NULL, NULL, NULL, 'Infinity', 'false', '', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('-1', '-10', '-9223372036854775808', '-0.5', '-Infinity', NULL, E'multi\\nline, "quoted", ''single''',
   '1970-01-01', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00', '-3', 'null', '', 'é')
) AS v(i2, i4, i8, f4, f8, b, s, d, ts, tstz, n, j, vc, ch)
"""


@pytest.mark.parametrize("transfer", ["copy", "rows"])
def test_types_nulls_and_empty_strings_survive(engine: PostgresEngine, transfer: str) -> None:
    engine.transfer = transfer  # type: ignore[assignment]
    table = fetch(engine, TYPES_SQL)
    assert table.schema.types == [
        pa.int16(), pa.int32(), pa.int64(), pa.float32(), pa.float64(), pa.bool_(), pa.string(), pa.date32(),
        pa.timestamp("us"), pa.timestamp("us", tz="UTC"), pa.float64(), pa.string(), pa.string(), pa.string(),
    ]
    rows = table.to_pylist()
    assert rows[0]["i8"] == 100 and rows[2]["i8"] == -9223372036854775808
    assert math.isnan(rows[0]["f8"]) and rows[1]["f8"] == math.inf and rows[2]["f8"] == -math.inf
    assert [r["b"] for r in rows] == [True, False, None]
    assert [r["s"] for r in rows] == ["plain", "", 'multi\nline, "quoted", \'single\'']  # '' is not NULL
    assert [r["vc"] for r in rows] == ["x", None, ""]
    assert rows[0]["d"] == dt.date(2024, 2, 29)
    assert rows[0]["ts"] == dt.datetime(2024, 12, 31, 23, 59, 59, 999999)
    assert rows[0]["tstz"] == dt.datetime(2024, 6, 1, 10, 0, tzinfo=UTC)  # UTC session
    assert rows[0]["n"] == 1.25 and rows[2]["n"] == -3.0
    assert json.loads(rows[0]["j"]) == {"a": 1}
    assert rows[2]["ch"] == "é "


def test_copy_and_row_paths_agree_on_a_larger_result(engine: PostgresEngine) -> None:
    sql = """SELECT g AS "id", g::float8 / 7 AS "f", CASE WHEN g % 3 = 0 THEN NULL WHEN g % 3 = 1 THEN ''
             ELSE 'name ' || g END AS "Name", g % 2 = 0 AS "b" FROM generate_series(1, 5000) AS g"""
    engine.transfer = "copy"
    by_copy = fetch(engine, sql)
    engine.transfer = "rows"
    by_rows = fetch(engine, sql)
    assert by_copy.num_rows == 5000 and by_copy.equals(by_rows)
    assert by_copy.column("Name").null_count == 1666


def test_values_csv_cannot_parse_fall_back_to_rows(engine: PostgresEngine) -> None:
    table = fetch(engine, "SELECT 'infinity'::date AS d, 1 AS x UNION ALL SELECT '2024-01-01', 2")
    assert table.column("x").to_pylist() == [1, 2]
    assert table.column("d")[1].as_py() == dt.date(2024, 1, 1)


def test_empty_result_and_duplicate_column_names(engine: PostgresEngine) -> None:
    empty = fetch(engine, "SELECT 1::int4 AS a, 'x'::text AS b WHERE false")
    assert empty.num_rows == 0 and empty.schema.types == [pa.int32(), pa.string()]
    dup = fetch(engine, 'SELECT 1 AS "a", 2 AS "a"')
    assert dup.column_names == ["a", "a"]
    assert [column.to_pylist() for column in dup.columns] == [[1], [2]]


def test_session_time_zone_is_utc(engine: PostgresEngine) -> None:
    assert fetch(engine, "SHOW TimeZone").column(0).to_pylist() == ["UTC"]


def test_engine_serves_several_event_loops(engine: PostgresEngine) -> None:
    assert fetch(engine, "SELECT 1 AS x").to_pylist() == [{"x": 1}]

    async def two_concurrent() -> list[pa.Table]:
        jobs = (engine.fetch_arrow("SELECT 2 AS x"), engine.fetch_arrow("SELECT 3 AS x"))
        return list(await asyncio.gather(*jobs))

    assert [t.to_pylist() for t in asyncio.run(two_concurrent())] == [[{"x": 2}], [{"x": 3}]]


def test_relation_schema_reads_featsql_dtypes(engine: PostgresEngine, scratch: PostgresScratch) -> None:
    scratch.run(f'CREATE DOMAIN "{scratch.schema}".positive AS int8 CHECK (VALUE > 0)')
    scratch.run(
        f'CREATE TABLE "{scratch.schema}".typed (a int2, b int4, c int8, d float4, e float8, f bool, g text, '
        f'h varchar(5), i date, j timestamp, k timestamptz, l numeric(10, 0), m numeric(10, 2), n numeric, '
        f'o jsonb, p "{scratch.schema}".positive, "Mixed Case" text)'
    )
    schema = run_sync(engine.relation_schema(f'SELECT * FROM "{scratch.schema}"."typed" LIMIT 0'))
    assert schema == {
        "a": "int16", "b": "int32", "c": "int64", "d": "float32", "e": "float64", "f": "bool", "g": "string",
        "h": "string", "i": "date", "j": "timestamp", "k": "timestamptz", "l": "decimal_int", "m": "decimal",
        "n": "decimal", "o": "other:jsonb", "p": "int64", "Mixed Case": "string",
    }
    # duplicate names cannot become a view: the statement's own description is used instead
    assert run_sync(engine.relation_schema('SELECT 1::int4 AS "a", 2::int8 AS "a"')) == {"a": "int64"}


# -- temp tables --------------------------------------------------------------------------------
ENTITIES = pa.table(
    {
        "key": pa.array([3, 1, None, 2], pa.int64()),
        "label": ["it's", "", None, 'a "q", b\nc'],
        "at": pa.array([dt.datetime(2024, 1, 1, tzinfo=UTC)] * 3 + [None], pa.timestamp("us", tz="UTC")),
        "featsql_row": pa.array([0, 1, 2, 3], pa.int64()),
    }
)


def test_temp_tables_are_uploaded_used_and_dropped(engine: PostgresEngine) -> None:
    sql = 'SELECT * FROM "featsql_entities" ORDER BY "featsql_row"'
    result = fetch(engine, sql, {"featsql_entities": ENTITIES})
    assert result.to_pylist() == ENTITIES.to_pylist()
    gone = "SELECT count(*) AS n FROM pg_class WHERE relname = 'featsql_entities' AND relpersistence = 't'"
    assert fetch(engine, gone).to_pylist() == [{"n": 0}]
    with pytest.raises(Exception, match="division by zero"):
        fetch(engine, 'SELECT 1 / 0 FROM "featsql_entities"', {"featsql_entities": ENTITIES})
    assert fetch(engine, gone).to_pylist() == [{"n": 0}]  # cleaned up after a failure too
    no_rows = {"featsql_entities": ENTITIES.slice(0, 0)}
    empty = fetch(engine, 'SELECT count(*) AS n FROM "featsql_entities"', no_rows)
    assert empty.to_pylist() == [{"n": 0}]


# -- sources through the FeatureStore -----------------------------------------------------------
def spy_on(store: FeatureStore, source: Any) -> list[tuple[str, str, int]]:
    """Record every statement the view's engine receives, and how many rows each result had."""
    engine = store.engine_for(source.ir)
    calls: list[tuple[str, str, int]] = []
    fetch_arrow, relation_schema = engine.fetch_arrow, engine.relation_schema

    async def spy_fetch(sql: str, temp: dict[str, pa.Table] | None = None) -> pa.Table:
        table = await fetch_arrow(sql, temp)
        calls.append(("fetch", sql, table.num_rows))
        return table

    async def spy_schema(sql: str) -> dict[str, str]:
        calls.append(("schema", sql, 0))
        return await relation_schema(sql)

    engine.fetch_arrow, engine.relation_schema = spy_fetch, spy_schema  # type: ignore[method-assign]
    return calls


def check_expected(frame: Any) -> None:
    for column, values in EXPECTED.items():
        got = [None if v is None or (isinstance(v, float) and math.isnan(v) and column != "age") else v
               for v in frame[column].astype(object).tolist()]
        assert all(same(g, e) or (e is None and g is None) for g, e in zip(got, values)), (column, got)


def test_table_source_computes_features_in_postgres(source_env: str, passengers: str) -> None:
    source = PostgreSQLConfig(source_env).table(passengers, mapping_keys=MAPPING)
    store = FeatureStore.from_definitions([titanic_view(source)])
    try:
        calls = spy_on(store, source)
        frame = store.feature_view("titanic").all().to_pandas_sync()
        check_expected(frame)
        assert list(frame.columns) == [
            "passenger_id", "name", "sex", "survived", "sibsp", "age", "has_siblings",
            "is_male", "is_female", "ordinal_sex", "is_mr", "age_ratio",
        ]
        assert frame["age_ratio"].tolist()[:2] == [11.0, 19.0]
        kinds = [c[0] for c in calls]
        assert kinds == ["schema", "fetch"]
        assert "LIMIT 0" in calls[0][1]
        sql = calls[1][1]
        # the features are computed by the server: their expressions are in the SQL it receives,
        # and what comes back is exactly the result rows
        assert 'POSITION(\'Mr.\' IN "Name") > 0 AS "is_mr"' in sql
        assert '"SibSp" <> 0 AS "has_siblings"' in sql
        assert 'COALESCE("Sex" = \'male\', FALSE) AS "is_male"' in sql
        assert f'FROM "{passengers.split(".")[0]}"."Passengers"' in sql
        assert calls[1][2] == PASSENGERS.num_rows
    finally:
        store.close()


def test_query_source(source_env: str, passengers: str) -> None:
    schema = passengers.split(".")[0]
    query = f'SELECT * FROM "{schema}"."Passengers" WHERE "PassengerId" <= 3'
    store = FeatureStore.from_definitions([titanic_view(PostgreSQLConfig(source_env).query(query, MAPPING))])
    try:
        frame = store.feature_view("titanic").select(["is_mr", "has_siblings"]).all().to_pandas_sync()
        assert frame.to_dict("list") == {"passenger_id": [1, 2, 3], "is_mr": [True, False, False],
                                         "has_siblings": [True, True, False]}
    finally:
        store.close()


def test_features_for_uploads_entities(source_env: str, passengers: str) -> None:
    source = PostgreSQLConfig(source_env).table(passengers, mapping_keys=MAPPING)
    store = FeatureStore.from_definitions([titanic_view(source)])
    try:
        calls = spy_on(store, source)
        frame = store.feature_view("titanic").select(["is_male", "age"]).features_for(
            {"passenger_id": [5, 1, 42, 1]}
        ).to_pandas_sync()
        assert frame["passenger_id"].tolist() == [5, 1, 42, 1]  # input order, unknown and repeated kept
        assert frame["is_male"].astype(object).tolist()[:2] == [False, True]
        assert frame["is_male"].isna().tolist() == [False, False, True, False]
        assert '"featsql_entities"' in calls[-1][1]
    finally:
        store.close()


def test_schema_check_names_view_column_and_types(source_env: str, passengers: str) -> None:
    source = PostgreSQLConfig(source_env).table(passengers, mapping_keys=MAPPING)

    class Wrong(FeatureView):
        metadata = FeatureViewMetadata(name="wrong", description="bad types", batch_source=source)
        passenger_id = Entity(dtype=Int32())
        sibsp = Date()

    store = FeatureStore.from_definitions([Wrong])
    try:
        with pytest.raises(SchemaMismatchError, match="View 'wrong'.*'SibSp'.*int32.*date"):
            store.feature_view("wrong").all().to_pandas_sync()
    finally:
        store.close()


def test_missing_table_names_the_view(source_env: str, scratch: PostgresScratch) -> None:
    source = PostgreSQLConfig(source_env).table(f"{scratch.schema}.nope")
    store = FeatureStore.from_definitions([titanic_view(source)])
    try:
        with pytest.raises(FeatSQLError, match="View 'titanic': cannot read its source.*nope"):
            store.feature_view("titanic").all().to_pandas_sync()
    finally:
        store.close()
