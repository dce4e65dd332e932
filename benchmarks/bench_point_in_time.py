"""Point-in-time training data: featsql vs Feast vs the best hand-written SQL, same data, same run.

1,000,000 events (10,000 entities, 3 float features, 90 days), TTL 7 days, 100,000 entity rows
(a pandas DataFrame; the result is a pandas DataFrame in input order). Medians of several runs.

    bash benchmarks/setup_feast.sh                     # once: Feast in benchmarks/.venv-feast
    FEATSQL_BENCH_POSTGRES_DSN=postgresql://root@127.0.0.1:5432/test python benchmarks/bench_point_in_time.py

Without the DSN only DuckDB runs; without the Feast venv, Feast is skipped (with a note).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
FEAST_PYTHON = HERE / ".venv-feast" / "bin" / "python"
EVENTS, ENTITIES, ENTITY_ROWS, DAYS = 1_000_000, 10_000, 100_000, 90
REPEATS = int(os.environ.get("FEATSQL_BENCH_REPEATS", "5"))
DSN_VAR = "FEATSQL_BENCH_POSTGRES_DSN"


def make_data() -> tuple[Path, pd.DataFrame]:
    DATA.mkdir(exist_ok=True)
    events_path = DATA / "pit_events.parquet"
    rng = np.random.default_rng(20240601)
    start = pd.Timestamp("2024-01-01")
    if not events_path.exists():
        events = pd.DataFrame(
            {
                "entity_id": rng.integers(0, ENTITIES, EVENTS),
                "event_timestamp": start + pd.to_timedelta(rng.integers(0, DAYS * 86400, EVENTS), unit="s"),
                "f1": rng.normal(size=EVENTS),
                "f2": rng.normal(size=EVENTS),
                "f3": rng.normal(size=EVENTS),
            }
        )
        events["event_timestamp"] = events["event_timestamp"].astype("datetime64[us]")
        events.to_parquet(events_path, index=False)
    rng = np.random.default_rng(7)
    entities = pd.DataFrame(
        {
            "entity_id": rng.integers(0, ENTITIES, ENTITY_ROWS),
            "event_timestamp": (
                start + pd.to_timedelta(rng.integers(0, DAYS * 86400, ENTITY_ROWS), unit="s")
            ),
        }
    )
    entities["event_timestamp"] = entities["event_timestamp"].astype("datetime64[us]")
    entities.to_parquet(DATA / "pit_entities.parquet", index=False)
    return events_path, entities


def timed(fn: Callable[[], pd.DataFrame], repeats: int = REPEATS) -> tuple[float, pd.DataFrame]:
    out = fn()  # warm-up (source schema, connections)
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), out


def featsql_job(source: Any) -> Callable[[pd.DataFrame], pd.DataFrame]:
    from featsql import (
        Entity,
        EventTimestamp,
        FeatureStore,
        FeatureView,
        FeatureViewMetadata,
        Float,
        Int64,
        Model,
    )

    class Events(FeatureView):
        metadata = FeatureViewMetadata(name="events", batch_source=source)
        entity_id = Entity(dtype=Int64())
        event_timestamp = EventTimestamp(ttl=timedelta(days=7))
        f1 = Float()
        f2 = Float()
        f3 = Float()

    model = Model(name="bench", features=[Events.select(lambda v: [v.f1, v.f2, v.f3])])
    store = FeatureStore.from_definitions([Events, model])
    return lambda entities: store.model("bench").features_for(entities).to_pandas_sync()


def with_rows(entities: pd.DataFrame) -> pa.Table:
    table = pa.Table.from_pandas(entities, preserve_index=False)
    return table.append_column("row_id", pa.array(np.arange(len(entities), dtype=np.int64)))


HAND_DUCKDB = """
SELECT e.entity_id, e.event_timestamp,
       CASE WHEN v.event_timestamp >= e.event_timestamp - INTERVAL 7 DAY THEN v.f1 END AS f1,
       CASE WHEN v.event_timestamp >= e.event_timestamp - INTERVAL 7 DAY THEN v.f2 END AS f2,
       CASE WHEN v.event_timestamp >= e.event_timestamp - INTERVAL 7 DAY THEN v.f3 END AS f3
FROM entities AS e
ASOF LEFT JOIN read_parquet('{path}') AS v
  ON e.entity_id = v.entity_id AND e.event_timestamp >= v.event_timestamp
ORDER BY e.row_id
"""

HAND_POSTGRES = """
SELECT e.entity_id, e.event_timestamp, v.f1, v.f2, v.f3
FROM entities AS e
LEFT JOIN LATERAL (
  SELECT ev.f1, ev.f2, ev.f3 FROM {table} AS ev
  WHERE ev.entity_id = e.entity_id AND ev.event_timestamp <= e.event_timestamp
    AND ev.event_timestamp >= e.event_timestamp - INTERVAL '7 days'
  ORDER BY ev.event_timestamp DESC LIMIT 1
) AS v ON TRUE
ORDER BY e.row_id
"""


def run_feast(store: str, extra: list[str], repeats: int) -> float | None:
    if not FEAST_PYTHON.exists():
        print(
            f"  (Feast skipped: run `bash benchmarks/setup_feast.sh` to create {FEAST_PYTHON.parent.parent})"
        )
        return None
    command = [
        str(FEAST_PYTHON),
        str(HERE / "feast_point_in_time.py"),
        store,
        str(DATA),
        str(repeats + 1),
        *extra,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=3000)
    if result.returncode != 0:
        print(f"  (Feast {store} failed: {result.stderr.strip().splitlines()[-1:]})")
        return None
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"  feast {store}: rows={report['rows']} non-null f1={report['non_null']}")
    return statistics.median(report["seconds"][1:])  # the first run warms Feast up


def same_result(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return all(
        np.allclose(a[c].to_numpy(float), b[c].to_numpy(float), equal_nan=True) for c in ("f1", "f2", "f3")
    )


def bench_duckdb(events_path: Path, entities: pd.DataFrame) -> dict[str, float | None]:
    import duckdb

    from featsql import FileSource
    from featsql.engines.duckdb_engine import to_arrow

    job = featsql_job(FileSource.parquet_at(events_path))
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    sql = HAND_DUCKDB.format(path=str(events_path).replace("'", "''"))

    def hand() -> pd.DataFrame:
        cursor = con.cursor()
        cursor.register("entities", with_rows(entities))
        try:
            return to_arrow(cursor.sql(sql)).to_pandas()
        finally:
            cursor.close()

    ours_s, ours = timed(lambda: job(entities))
    hand_s, theirs = timed(hand)
    assert same_result(ours, theirs), "featsql and the hand SQL disagree on DuckDB"
    print(f"  duckdb: rows={len(ours)} non-null f1={int(ours['f1'].notna().sum())}")
    return {"featsql": ours_s, "hand": hand_s, "feast": run_feast("duckdb", [], REPEATS)}


def bench_postgres(dsn: str, events_path: Path, entities: pd.DataFrame) -> dict[str, float | None]:
    import asyncpg

    from featsql import PostgreSQLConfig
    from featsql.engines.postgres_engine import PostgresEngine, upload_temp_table

    schema = f"featsql_bench_pit_{uuid.uuid4().hex[:8]}"
    table = f'"{schema}"."events"'

    async def setup() -> None:
        con = await asyncpg.connect(dsn)
        try:
            await con.execute(f'CREATE SCHEMA "{schema}"')
            await con.execute(f'SET search_path TO "{schema}"')
            events = pq.read_table(events_path)
            await upload_temp_table(con, "events_load", events)
            await con.execute(f"CREATE TABLE {table} AS SELECT * FROM pg_temp.events_load")
            await con.execute(f"CREATE INDEX ON {table} (entity_id, event_timestamp DESC)")
            await con.execute(f"ANALYZE {table}")
        finally:
            await con.close()

    async def teardown() -> None:
        con = await asyncpg.connect(dsn)
        try:
            await con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        finally:
            await con.close()

    asyncio.run(setup())
    os.environ.setdefault(DSN_VAR, dsn)
    try:
        job = featsql_job(PostgreSQLConfig(DSN_VAR).table(f"{schema}.events"))
        engine = PostgresEngine(DSN_VAR)
        sql = HAND_POSTGRES.format(table=table)

        def hand() -> pd.DataFrame:
            from featsql._sync import run_sync

            return run_sync(engine.fetch_arrow(sql, {"entities": with_rows(entities)})).to_pandas()

        ours_s, ours = timed(lambda: job(entities))
        hand_s, theirs = timed(hand)
        engine.close()
        assert same_result(ours, theirs), "featsql and the hand SQL disagree on PostgreSQL"
        print(f"  postgres: rows={len(ours)} non-null f1={int(ours['f1'].notna().sum())}")
        feast = run_feast("postgres", [dsn, f"{schema}.events"], max(2, REPEATS // 2))
        return {"featsql": ours_s, "hand": hand_s, "feast": feast}
    finally:
        asyncio.run(teardown())


def report(name: str, r: dict[str, float | None]) -> None:
    ours, hand, feast = r["featsql"], r["hand"], r["feast"]
    assert ours is not None and hand is not None
    line = f"{name:<10} featsql {ours:6.3f} s | hand SQL {hand:6.3f} s (featsql/hand {ours / hand:4.2f}x)"
    if feast is not None:
        line += f" | Feast {feast:6.3f} s (Feast/featsql {feast / ours:4.1f}x)"
    print(line)


def main() -> None:
    events_path, entities = make_data()
    print(
        f"{EVENTS:,} events, {ENTITIES:,} entities, 3 features, TTL 7 days, {ENTITY_ROWS:,} entity rows; "
        f"median of {REPEATS} runs"
    )
    results = {"duckdb": bench_duckdb(events_path, entities)}
    dsn = os.environ.get(DSN_VAR)
    if dsn:
        results["postgres"] = bench_postgres(dsn, events_path, entities)
    else:
        print(f"  (PostgreSQL skipped: set {DSN_VAR})")
    for name, r in results.items():
        report(name, r)


if __name__ == "__main__":
    sys.exit(main())
