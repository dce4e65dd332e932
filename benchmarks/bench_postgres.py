"""PostgreSQL benchmark: 1,000,000 rows x 10 derived features, computed in PostgreSQL, fetched to pandas.

Run from the repository root (PostgreSQL at FEATSQL_TEST_POSTGRES_DSN, default
postgresql://root@127.0.0.1:5432/test; needs the ``bench`` extra: SQLAlchemy + psycopg):

    python benchmarks/bench_postgres.py [--reps 5] [--rows 1000000]

The data is benchmarks/make_data.py's seeded people table (the compute benchmark's), loaded with
COPY into a scratch schema that is dropped at the end. Compared in one run, repetitions interleaved
(the order rotated each repetition):

* featsql: ``PostgreSQLConfig(...).table(...)`` view, features computed in PostgreSQL, result
  streamed back as parallel COPY streams (TID ranges of the table, one snapshot, up to 4
  connections) -> Arrow -> pandas (``to_pandas``), a fresh store (and connections) per run;
* featsql with one COPY stream (``copy_streams=1``), to show what the ranges buy;
* featsql with ``transfer="rows"`` (asyncpg ``fetch()`` then Arrow), to show what COPY buys;
* the standard pandas path: ``pandas.read_sql`` of the raw table through SQLAlchemy + psycopg 3,
  then the same 10 features computed in pandas (a fresh SQLAlchemy engine per run).

Before timing, featsql's PostgreSQL result is checked row by row against the same view computed by
DuckDB over the Parquet file.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import io
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pandas as pd  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from compute_features import VIEW_NAME, define_view, pandas_features  # noqa: E402
from make_data import ROWS, ensure_data  # noqa: E402

from featsql import FeatureStore, FileSource, PostgreSQLConfig  # noqa: E402
from featsql.engines.arrow_io import arrow_to_csv  # noqa: E402
from featsql.engines.ddl import create_table, quote_ident  # noqa: E402

ENV = "FEATSQL_BENCH_PG"
FEATSQL = "featsql (parallel COPY ranges -> Arrow -> pandas)"
DEFAULT_DSN = "postgresql://root@127.0.0.1:5432/test"


def load_table(dsn: str, schema: str, parquet: Path) -> str:
    """Create ``schema.people`` and COPY the Parquet rows in; the qualified table name."""
    import asyncpg

    table = pq.read_table(parquet)

    async def go() -> None:
        con = await asyncpg.connect(dsn)
        try:
            await con.execute(f"CREATE SCHEMA {quote_ident(schema)}")
            await con.execute(create_table("people", table.schema, "postgres", db=schema))
            await con.copy_to_table("people", schema_name=schema, source=io.BytesIO(arrow_to_csv(table)),
                                    format="csv")
            await con.execute(f"ANALYZE {quote_ident(schema)}.{quote_ident('people')}")
        finally:
            await con.close()

    asyncio.run(go())
    return f"{schema}.people"


def drop_schema(dsn: str, schema: str) -> None:
    import asyncpg

    async def go() -> None:
        con = await asyncpg.connect(dsn)
        try:
            await con.execute(f"DROP SCHEMA IF EXISTS {quote_ident(schema)} CASCADE")
        finally:
            await con.close()

    asyncio.run(go())


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def check_against_duckdb(pg_frame: pd.DataFrame, parquet: Path) -> None:
    """featsql on PostgreSQL and featsql on DuckDB agree on every row (floats to 1e-12)."""
    store = FeatureStore.from_definitions([define_view(FileSource.parquet_at(str(parquet)))])
    try:
        duck = store.feature_view(VIEW_NAME).all().to_pandas_sync()
    finally:
        store.close()
    left = pg_frame.sort_values("id").reset_index(drop=True)
    right = duck.sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False, rtol=1e-12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()

    import sqlalchemy

    dsn = os.environ.get("FEATSQL_TEST_POSTGRES_DSN", DEFAULT_DSN)
    os.environ[ENV] = dsn
    parquet = ensure_data(args.rows)
    schema = f"featsql_bench_{uuid.uuid4().hex[:8]}"
    print(f"loading {args.rows:,} rows into {schema}.people ...", flush=True)
    qualified = load_table(dsn, schema, parquet)
    sqlalchemy_url = dsn.replace("postgresql://", "postgresql+psycopg://", 1)
    raw_sql = f"SELECT * FROM {quote_ident(schema)}.{quote_ident('people')}"

    def featsql_run(transfer: str, streams: int | None = None) -> Callable[[], pd.DataFrame]:
        def run() -> pd.DataFrame:
            store = FeatureStore.from_definitions([define_view(PostgreSQLConfig(ENV).table(qualified))])
            try:
                engine = store.engine_for(store.view_ir(VIEW_NAME).source)
                engine.transfer = transfer  # type: ignore[attr-defined]
                if streams is not None:
                    engine.copy_streams = streams  # type: ignore[attr-defined]
                return store.feature_view(VIEW_NAME).all().to_pandas_sync()
            finally:
                store.close()

        return run

    def read_sql_pandas() -> pd.DataFrame:
        engine = sqlalchemy.create_engine(sqlalchemy_url)
        try:
            with engine.connect() as con:
                df = pd.read_sql(sqlalchemy.text(raw_sql), con)
        finally:
            engine.dispose()
        return pandas_features(df)

    try:
        for streams in (None, 1):
            check_against_duckdb(featsql_run("copy", streams)(), parquet)
        print("check: featsql on PostgreSQL (ranges, one stream) == featsql on DuckDB, every row", flush=True)
        contenders: dict[str, Callable[[], object]] = {
            FEATSQL: featsql_run("copy"),
            "featsql, one COPY stream (copy_streams=1)": featsql_run("copy", 1),
            "featsql (asyncpg fetch() -> Arrow -> pandas)": featsql_run("rows"),
            "pandas.read_sql (SQLAlchemy + psycopg 3) + pandas features": read_sql_pandas,
        }
        times: dict[str, list[float]] = {name: [] for name in contenders}
        names = list(contenders)
        for rep in range(args.reps):
            for name in names[rep % len(names):] + names[: rep % len(names)]:  # rotated: no fixed position
                times[name].append(timed(contenders[name]))
            print(f"rep {rep + 1}/{args.reps} done", flush=True)
    finally:
        drop_schema(dsn, schema)

    medians = {name: statistics.median(ts) for name, ts in times.items()}
    baseline = medians["pandas.read_sql (SQLAlchemy + psycopg 3) + pandas features"]
    print(f"\n{args.rows:,} rows x 10 features, PostgreSQL -> pandas; median of {args.reps} runs")
    print(f"{'contender':62} {'median s':>9} {'min s':>7} {'vs read_sql':>12}")
    for name, ts in times.items():
        print(f"{name:62} {medians[name]:9.3f} {min(ts):7.3f} {baseline / medians[name]:11.2f}x")
    ratio = baseline / medians[FEATSQL]
    verdict = "MET" if ratio >= 2 else "NOT MET"
    print(f"\ngoal: featsql >= 2x faster than read_sql + pandas: {ratio:.2f}x -> {verdict}")


if __name__ == "__main__":
    main()
