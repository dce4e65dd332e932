"""The Redshift engine, exercised for real: redshift-connector against the test PostgreSQL.

redshift-connector reaches PostgreSQL through :mod:`redshift_relay` (it drops the driver's
Redshift-only start-up parameters and reports a parseable server version; see
docs/warehouses.md). The SQL keeps the Redshift lowering and is printed as PostgreSQL
(``featsql_print_as=postgres``). A live-cluster test runs when FEATSQL_TEST_REDSHIFT_DSN is set.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import pytest
from postgres_scratch import PostgresScratch
from redshift_relay import RedshiftToPostgresRelay, rewrite_server_message, rewrite_startup

from featsql import (
    Entity,
    FeatSQLError,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    Float,
    Int32,
    RedshiftSQLConfig,
    String,
    Timestamp,
)
from featsql._sync import run_sync
from featsql.compiler import compile_sql
from featsql.engines.redshift_engine import RedshiftEngine, parse_redshift_url

ENV = "FEATSQL_TEST_RS_VIA_PG"
UTC = dt.timezone.utc

PEOPLE = pa.table(
    {
        "id": pa.array([1, 2, 3, 4], pa.int32()),
        "Name": ["Braund, Mr. Owen", "", None, "Zoë 'Q' Allen"],
        "fare": [7.25, None, 0.0, 80.0],
        "seen": pa.array(
            [dt.datetime(2024, 1, 1, 12), dt.datetime(2024, 1, 7), None, dt.datetime(2023, 12, 31, 23, 59)],
            pa.timestamp("us"),
        ),
    }
)


def people_view(source: Any) -> type[FeatureView]:
    class People(FeatureView):
        metadata = FeatureViewMetadata(name="people", description="redshift test view", batch_source=source)
        id = Entity(dtype=Int32())
        Name = String()
        fare = Float()
        seen = Timestamp()
        is_braund = Name.starts_with("Braund")
        has_mr = Name.contains("Mr.")
        fare_or_zero = fare.fill_na(0)
        weekday = seen.day_of_week()
        cheap = fare < 10

    return People


EXPECTED = {
    "id": [1, 2, 3, 4],
    "is_braund": [True, False, None, False],
    "has_mr": [True, False, None, False],
    "fare_or_zero": [7.25, 0.0, 0.0, 80.0],
    "weekday": [1, 7, None, 7],  # ISO: Monday=1 .. Sunday=7
    "cheap": [True, None, True, False],
}


def assert_expected(frame: Any) -> None:
    for column, values in EXPECTED.items():
        got = [None if v is None or (isinstance(v, float) and math.isnan(v)) else v
               for v in frame[column].astype(object).tolist()]
        assert got == values, column


# -- no server needed ------------------------------------------------------------------------
def test_url_parsing() -> None:
    kwargs, print_as = parse_redshift_url(
        "redshift://us%40er:p%2Fss@cluster.example.com:5439/dev?ssl=false&timeout=30&sslmode=verify-full"
    )
    assert kwargs == {"host": "cluster.example.com", "port": 5439, "database": "dev", "user": "us@er",
                      "password": "p/ss", "ssl": False, "timeout": 30, "sslmode": "verify-full"}
    assert print_as == "redshift"
    assert parse_redshift_url("redshift://u@h/db?featsql_print_as=postgres")[1] == "postgres"
    with pytest.raises(FeatSQLError, match="featsql_print_as must be"):
        parse_redshift_url("redshift://u@h/db?featsql_print_as=mysql")
    with pytest.raises(FeatSQLError, match="starts with redshift://"):
        parse_redshift_url("mysql://u@h/db")


def test_missing_env_var_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FEATSQL_NO_SUCH_RS", raising=False)
    with pytest.raises(FeatSQLError, match="'FEATSQL_NO_SUCH_RS' is not set.*redshift://"):
        run_sync(RedshiftEngine("FEATSQL_NO_SUCH_RS").fetch_arrow("SELECT 1"))


def test_relay_rewrites_only_what_postgres_refuses() -> None:
    packet = (196608).to_bytes(4, "big") + (
        b"user\x00root\x00client_protocol_version\x002\x00database\x00t\x00"
        b"driver_version\x00x\x00os_version\x00y\x00driver_discovery_version\x001\x00\x00"
    )
    rewritten = rewrite_startup(packet)
    assert rewritten[8:] == b"user\x00root\x00database\x00t\x00\x00"
    assert int.from_bytes(rewritten[:4], "big") == len(rewritten)
    message = rewrite_server_message(b"S", b"server_version\x0015.20 (Debian 15.20-0+deb12u1)\x00")
    assert message[5:] == b"server_version\x0015.20\x00"
    other = rewrite_server_message(b"S", b"TimeZone\x00UTC\x00")
    assert other[5:] == b"TimeZone\x00UTC\x00"


# -- redshift-connector against the test PostgreSQL ----------------------------------------------
@pytest.fixture(scope="module")
def relay(postgres_dsn: str) -> Iterator[RedshiftToPostgresRelay]:
    box = RedshiftToPostgresRelay.for_dsn(postgres_dsn)
    try:
        yield box
    finally:
        box.close()


@pytest.fixture(scope="module")
def scratch(postgres_dsn: str) -> Iterator[PostgresScratch]:
    box = PostgresScratch(postgres_dsn, "redshift")
    try:
        yield box
    finally:
        box.drop()


@pytest.fixture(scope="module")
def people(scratch: PostgresScratch) -> str:
    return scratch.load("People", PEOPLE)


@pytest.fixture()
def redshift_env(monkeypatch: pytest.MonkeyPatch, postgres_dsn: str, relay: RedshiftToPostgresRelay) -> str:
    parts = urlsplit(postgres_dsn)
    auth = parts.netloc.rsplit("@", 1)[0] if "@" in parts.netloc else "root"
    url = f"redshift://{auth}@127.0.0.1:{relay.port}{parts.path}?ssl=false&featsql_print_as=postgres"
    monkeypatch.setenv(ENV, url)
    return ENV


@pytest.fixture()
def engine(redshift_env: str) -> Iterator[RedshiftEngine]:
    eng = RedshiftEngine(redshift_env)
    try:
        yield eng
    finally:
        eng.close()


def test_fetch_keeps_types_names_nulls_and_empty_strings(engine: RedshiftEngine) -> None:
    table = run_sync(engine.fetch_arrow(
        """SELECT 1::int4 AS "Age", NULL::text AS "select", ''::text AS "e", 'x%s_{#'::text AS "p",
                  1.5::float8 AS f, '2024-06-01 12:00:00+02'::timestamptz AS tz,
                  current_setting('TimeZone') AS zone,
                  12.50::numeric(10, 2) AS n, true AS b, '2024-02-29'::date AS d"""
    ))
    assert table.column_names == ["Age", "select", "e", "p", "f", "tz", "zone", "n", "b", "d"]
    assert table.schema.field("Age").type == pa.int32()
    assert table.schema.field("tz").type == pa.timestamp("us", tz="UTC")
    assert table.to_pylist() == [{
        "Age": 1, "select": None, "e": "", "p": "x%s_{#", "f": 1.5,
        "tz": dt.datetime(2024, 6, 1, 10, tzinfo=UTC), "zone": "UTC", "n": 12.5, "b": True,
        "d": dt.date(2024, 2, 29),
    }]


def test_relation_schema_through_redshift_connector(engine: RedshiftEngine, people: str) -> None:
    schema = run_sync(engine.relation_schema(
        'SELECT *, 1::numeric(10, 0) AS whole, 1::numeric(10, 3) AS part FROM "{}"."People" LIMIT 0'.format(
            people.split(".")[0])
    ))
    assert schema == {"id": "int32", "Name": "string", "fare": "float64", "seen": "timestamp",
                      "whole": "decimal_int", "part": "decimal"}


def test_temp_tables_are_inserted_with_parameters_and_dropped(engine: RedshiftEngine) -> None:
    rows = 2500  # several INSERT batches
    entities = pa.table({
        "key": pa.array(range(rows), pa.int64()),
        "label": [None if i % 7 == 0 else ("" if i % 7 == 1 else f"it's %s {{# \\ {i}") for i in range(rows)],
        "featsql_row": pa.array(range(rows), pa.int64()),
    })
    result = run_sync(engine.fetch_arrow('SELECT * FROM "featsql_entities" ORDER BY "featsql_row"',
                                         {"featsql_entities": entities}))
    assert result.to_pylist() == entities.to_pylist()
    gone = "SELECT count(*) AS n FROM pg_class WHERE relname = 'featsql_entities' AND relpersistence = 't'"
    assert run_sync(engine.fetch_arrow(gone)).to_pylist() == [{"n": 0}]
    with pytest.raises(Exception, match="division by zero"):
        run_sync(engine.fetch_arrow('SELECT 1 / 0 FROM "featsql_entities"', {"featsql_entities": entities}))
    assert run_sync(engine.fetch_arrow(gone)).to_pylist() == [{"n": 0}]


def test_view_over_redshift_table_runs_end_to_end(redshift_env: str, people: str) -> None:
    source = RedshiftSQLConfig(redshift_env).table(people)
    view = people_view(source)
    store = FeatureStore.from_definitions([view])
    try:
        job = store.feature_view("people").all()
        sql = job.sql()
        schema = run_sync(store.source_schema(view.ir()))
        # the Redshift lowering (STRPOS for starts_with, DOW arithmetic for ISO weekday), printed as
        # PostgreSQL (which spells STRPOS as POSITION)
        assert sql == compile_sql(view.ir(), "redshift", schema=schema, output_dialect="postgres")
        assert "POSITION('Braund' IN \"Name\") = 1" in sql and "EXTRACT(DOW FROM" in sql
        assert sql != compile_sql(view.ir(), "postgres", schema=schema)
        frame = job.to_pandas_sync()
        assert_expected(frame)
        looked_up = store.feature_view("people").select(["has_mr"]).features_for({"id": [4, 99, 1]})
        assert looked_up.to_pandas_sync()["has_mr"].astype(object).tolist() == [False, None, True]
        assert store.to_json().count(redshift_env) == 1 and "127.0.0.1" not in store.to_json()
    finally:
        store.close()


def test_without_print_as_sql_is_redshift(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEATSQL_RS_SPELLING", "redshift://u@cluster.example.com:5439/dev")
    engine = RedshiftEngine("FEATSQL_RS_SPELLING")
    assert engine.output_dialect == "redshift"
    assert RedshiftEngine("FEATSQL_RS_SPELLING", print_as="postgres").output_dialect == "postgres"


# -- a live cluster -------------------------------------------------------------------------------
@pytest.mark.redshift
def test_live_redshift_cluster_runs_a_view() -> None:
    if not os.environ.get("FEATSQL_TEST_REDSHIFT_DSN"):
        pytest.skip("live Redshift test needs FEATSQL_TEST_REDSHIFT_DSN (redshift://user:password@host:5439/db)")
    query = (
        "SELECT 1 AS id, 'Braund, Mr. Owen' AS \"Name\", 7.25::float8 AS fare, "
        "'2024-01-01 12:00'::timestamp AS seen "
        "UNION ALL SELECT 2, '', NULL, '2024-01-07 00:00' "
        "UNION ALL SELECT 3, NULL, 0.0, NULL "
        "UNION ALL SELECT 4, 'Zoë ''Q'' Allen', 80.0, '2023-12-31 23:59'"
    )
    source = RedshiftSQLConfig("FEATSQL_TEST_REDSHIFT_DSN").query(query)
    store = FeatureStore.from_definitions([people_view(source)])
    try:
        frame = store.feature_view("people").all().to_pandas_sync().sort_values("id").reset_index(drop=True)
        assert_expected(frame)
        looked_up = store.feature_view("people").select(["has_mr"]).features_for({"id": [4, 99, 1]})
        assert looked_up.to_pandas_sync()["has_mr"].astype(object).tolist() == [False, None, True]
    finally:
        store.close()
