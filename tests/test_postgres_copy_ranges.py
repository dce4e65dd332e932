"""Reading one-table queries as parallel TID-range COPY streams (featsql.engines.tid_ranges).

The split must be invisible: same rows, same order, same types, NULL vs '' kept, errors raised,
fallbacks taken, no connection left behind. The SQL checks need no server; the rest runs on the
real PostgreSQL (FEATSQL_TEST_POSTGRES_DSN).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator

import pyarrow as pa
import pytest
from postgres_scratch import PostgresScratch
from sqlglot import exp, parse_one

from featsql import FeatureStore, PostgreSQLConfig
from featsql._sync import run_sync
from featsql.engines.postgres_engine import PostgresEngine
from featsql.engines.tid_ranges import table_scan

ENV = "FEATSQL_TEST_PG_RANGES"
ROWS = 20_000


def printed(sql: str) -> str:
    """``sql`` as featsql hands it to the engine: printed by sqlglot, identifiers quoted."""
    return parse_one(sql, read="postgres").sql(dialect="postgres", identify=True)


# -- which queries split (no server) -------------------------------------------------------------
def test_a_per_row_query_over_one_table_splits_into_covering_ranges() -> None:
    scan = table_scan(printed("SELECT a, b + 1 AS c FROM s.t WHERE a > 0"))
    assert scan is not None and scan.relation == '"s"."t"'
    first, middle, last = (parse_one(part, read="postgres") for part in scan.ranges(90, 3))
    conditions = [part.args["where"].this.sql(dialect="postgres") for part in (first, middle, last)]
    assert conditions == [
        '"a" > 0 AND ("t"."ctid" >= CAST(\'(0,0)\' AS tid) AND "t"."ctid" < CAST(\'(30,0)\' AS tid))',
        '"a" > 0 AND ("t"."ctid" >= CAST(\'(30,0)\' AS tid) AND "t"."ctid" < CAST(\'(60,0)\' AS tid))',
        '"a" > 0 AND "t"."ctid" >= CAST(\'(60,0)\' AS tid)',  # the last range is open: rows added later count
    ]
    assert all(part.expressions == first.expressions for part in (middle, last))


def test_an_aliased_table_is_ranged_through_its_alias() -> None:
    scan = table_scan(printed("SELECT x.a FROM t AS x"))
    assert scan is not None
    assert '"x"."ctid" >= ' in scan.ranges(10, 2)[1]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT a FROM t LIMIT 3",
        "SELECT a FROM t ORDER BY a",
        "SELECT DISTINCT a FROM t",
        "SELECT SUM(a) FROM t",
        "SELECT a, COUNT(*) FROM t GROUP BY a",
        "SELECT a, ROW_NUMBER() OVER (ORDER BY a) FROM t",
        "SELECT a FROM t JOIN u ON t.a = u.a",
        "SELECT a FROM t, u",
        "SELECT a FROM (SELECT a FROM t) AS s",
        "SELECT a FROM t WHERE a IN (SELECT b FROM u)",
        "SELECT a FROM t UNION ALL SELECT a FROM t",
        "WITH w AS (SELECT a FROM t) SELECT a FROM w",
        "SELECT RANDOM() AS r FROM t",
        "SELECT NOW() AS n FROM t",
        "SELECT CURRENT_TIMESTAMP AS n FROM t",
        "SELECT NEXTVAL('seq') AS n FROM t",
        "SELECT 1 AS one",
    ],
)
def test_queries_whose_rows_depend_on_more_than_one_row_do_not_split(sql: str) -> None:
    assert table_scan(printed(sql)) is None


def test_sql_that_sqlglot_would_reprint_differently_does_not_split() -> None:
    assert table_scan('SELECT "a" FROM "t"') is not None
    assert table_scan("select a from t") is None  # not featsql's own printing: left untouched


# -- on the server -----------------------------------------------------------------------------------
def data(rows: int) -> pa.Table:
    ids = list(range(rows))
    return pa.table(
        {
            "id": pa.array(ids, pa.int64()),
            "name": [None if i % 7 == 0 else "" if i % 7 == 1 else f'näme, "{i}"\n{i % 13}' for i in ids],
            "score": [None if i % 5 == 0 else float("nan") if i % 5 == 1 else i / 3 for i in ids],
            "flag": [None if i % 11 == 0 else i % 2 == 0 for i in ids],
            "day": pa.array([dt.date(2024, 1, 1) + dt.timedelta(days=i % 400) for i in ids], pa.date32()),
        }
    )


@pytest.fixture(scope="module")
def scratch(postgres_dsn: str) -> Iterator[PostgresScratch]:
    box = PostgresScratch(postgres_dsn, "copyranges")
    try:
        yield box
    finally:
        box.drop()


@pytest.fixture(scope="module")
def people(scratch: PostgresScratch) -> str:
    name = scratch.load("people", data(ROWS))
    scratch.run(f'ANALYZE "{scratch.schema}"."people"')
    return name


@pytest.fixture()
def source_env(monkeypatch: pytest.MonkeyPatch, postgres_dsn: str) -> str:
    monkeypatch.setenv(ENV, postgres_dsn)
    return ENV


def ranged_engine(env: str, streams: int = 2, max_connections: int = 4) -> PostgresEngine:
    engine = PostgresEngine(env, copy_streams=streams, max_connections=max_connections)
    engine.range_min_pages = 1  # the test table is small: split it anyway
    return engine


def query(scratch: PostgresScratch, columns: str = '"id", "name", "score", "flag", "day"') -> str:
    return printed(
        f'SELECT {columns}, "score" * 2 AS "twice" FROM "{scratch.schema}"."people" WHERE "id" >= 0'
    )


def values(table: pa.Table) -> list[list[object]]:
    """Column values with NaN made comparable (NULL stays None)."""
    return [["NaN" if v != v else v for v in column.to_pylist()] for column in table.columns]


def pool_size(engine: PostgresEngine) -> int:
    return int(engine._pool.get_size())


def test_ranges_give_the_single_stream_result_row_for_row(
    source_env: str, scratch: PostgresScratch, people: str
) -> None:
    single, ranged = PostgresEngine(source_env, copy_streams=1), ranged_engine(source_env, streams=3)
    try:
        expected = run_sync(single.fetch_arrow(query(scratch)))
        got = run_sync(ranged.fetch_arrow(query(scratch)))
        assert pool_size(single) == 1 and pool_size(ranged) == 3  # the read really was split
    finally:
        single.close()
        ranged.close()
    assert got.num_rows == ROWS and got.schema == expected.schema
    assert values(got) == values(expected)  # same order too: ranges are concatenated in page order
    names = got.column("name").to_pylist()
    assert names[0] is None and names[1] == "" and names[2] == 'näme, "2"\n2'


def test_a_store_reads_a_table_view_through_ranges(
    source_env: str, scratch: PostgresScratch, people: str
) -> None:
    from featsql import Entity, FeatureView, FeatureViewMetadata, Float, Int64, String

    class People(FeatureView):
        metadata = FeatureViewMetadata(name="people", batch_source=PostgreSQLConfig(ENV).table(people))
        id = Entity(dtype=Int64())
        name = String()
        score = Float()
        has_name = name.fill_na("?") != ""
        score_filled = score.fill_na(-1.0)

    store = FeatureStore.from_definitions([People])
    try:
        engine = store.engine_for(store.view_ir("people").source)
        engine.range_min_pages = 1  # type: ignore[attr-defined]
        frame = store.feature_view("people").all().to_pandas_sync()
        assert pool_size(engine) == 4  # type: ignore[arg-type]  # copy_streams defaults to 4
    finally:
        store.close()
    assert sorted(frame["id"]) == list(range(ROWS))
    by_id = frame.set_index("id")
    assert by_id.loc[[0, 1, 2], "has_name"].tolist() == [True, False, True]
    assert by_id.loc[0, "score_filled"] == -1.0


def test_an_error_in_one_range_fails_the_read_and_leaves_the_engine_usable(
    source_env: str, scratch: PostgresScratch, people: str
) -> None:
    failing = printed(f'SELECT "id", 1 / ("id" - {ROWS - 10}) AS "x" FROM "{scratch.schema}"."people"')
    engine = ranged_engine(source_env, max_connections=2)
    try:
        with pytest.raises(Exception, match="division by zero"):
            run_sync(engine.fetch_arrow(failing))
        for _ in range(3):  # every connection came back, out of its transaction
            assert run_sync(engine.fetch_arrow(query(scratch))).num_rows == ROWS
        assert pool_size(engine) == 2
    finally:
        engine.close()


def test_a_value_arrow_cannot_parse_sends_the_whole_read_to_the_row_path(
    source_env: str, scratch: PostgresScratch, people: str
) -> None:
    days = printed(
        f"""SELECT "id", CASE WHEN "id" = {ROWS - 1} THEN CAST('infinity' AS DATE) ELSE "day" END AS "d"
            FROM "{scratch.schema}"."people" """
    )
    single, ranged = PostgresEngine(source_env, copy_streams=1), ranged_engine(source_env)
    try:
        expected = run_sync(single.fetch_arrow(days))
        got = run_sync(ranged.fetch_arrow(days))
        assert pool_size(ranged) == 2
    finally:
        single.close()
        ranged.close()
    assert got.num_rows == ROWS and values(got) == values(expected)
    by_id = dict(zip(got.column("id").to_pylist(), got.column("d").to_pylist()))
    assert by_id[0] == dt.date(2024, 1, 1) and by_id[ROWS - 1] == dt.date.max  # asyncpg's infinity


def test_concurrent_reads_share_a_small_pool_without_waiting_on_each_other(
    source_env: str, scratch: PostgresScratch, people: str
) -> None:
    engine = ranged_engine(source_env, streams=2, max_connections=2)

    async def five() -> list[pa.Table]:
        reads = [engine.fetch_arrow(query(scratch)) for _ in range(5)]
        return list(await asyncio.wait_for(asyncio.gather(*reads), timeout=60))

    try:
        tables = asyncio.run(five())
        assert pool_size(engine) == 2  # one pool, however many reads arrive first
    finally:
        engine.close()
    assert all(values(t) == values(tables[0]) and t.num_rows == ROWS for t in tables)


def test_all_ranges_read_the_first_connections_snapshot(
    source_env: str, scratch: PostgresScratch, postgres_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changes committed once the snapshot is exported are seen by no range (not even a later one)."""
    import asyncpg

    import featsql.engines.postgres_engine as postgres_engine

    table = scratch.load("growing", data(ROWS))
    real = postgres_engine.query_ranges_arrow

    async def change_then_read(cons: list[object], sql: str, parts: list[str]) -> pa.Table:
        other = await asyncpg.connect(postgres_dsn)
        try:  # the last pages are read by the spare connection: a late snapshot there would see these
            await other.execute(
                f'INSERT INTO {table} ("id") SELECT g FROM generate_series({ROWS}, {ROWS + 99}) AS g'
            )
            await other.execute(f'DELETE FROM {table} WHERE "id" IN (0, {ROWS - 1})')
        finally:
            await other.close()
        return await real(cons, sql, parts)

    monkeypatch.setattr(postgres_engine, "query_ranges_arrow", change_then_read)
    engine = ranged_engine(source_env)
    try:
        got = run_sync(engine.fetch_arrow(printed(f'SELECT "id" FROM {table}')))
        assert pool_size(engine) == 2
    finally:
        engine.close()
    assert sorted(got.column("id").to_pylist()) == list(range(ROWS))
    assert scratch.run(f"SELECT count(*) FROM {table}")[0][0] == ROWS - 2 + 100  # the changes did commit


def test_without_a_spare_connection_the_read_takes_one_stream(
    source_env: str, scratch: PostgresScratch, people: str
) -> None:
    engine = ranged_engine(source_env, max_connections=1)
    try:
        assert run_sync(engine.fetch_arrow(query(scratch))).num_rows == ROWS
        assert pool_size(engine) == 1
    finally:
        engine.close()


def test_printed_range_condition_is_a_tid_range_scan(scratch: PostgresScratch, people: str) -> None:
    scan = table_scan(query(scratch))
    assert scan is not None
    plan = scratch.run("EXPLAIN " + scan.ranges(100, 2)[0])
    assert any("Tid Range Scan" in row[0] for row in plan)
    assert isinstance(parse_one(scan.ranges(100, 2)[0], read="postgres"), exp.Select)
