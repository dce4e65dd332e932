"""Train/test/validation splits: deterministic by key hash or time, the same on DuckDB, PostgreSQL and
Redshift (its lowering run on PostgreSQL), checked against a Python md5 reference."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pytest
from conftest import postgres_dsn_or_skip
from point_in_time_backends import BACKENDS, Warehouse

from featsql import (
    Bool,
    Entity,
    EventTimestamp,
    FeatSQLError,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    Float,
    Int64,
    Model,
)

N = 400


@pytest.fixture(params=BACKENDS)
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Warehouse]:
    dsn = None if request.param == "duckdb" else postgres_dsn_or_skip()
    wh = Warehouse(request.param, tmp_path, dsn)
    yield wh
    wh.close()


def make_store(wh: Warehouse) -> FeatureStore:
    rng = np.random.default_rng(7)
    rows = pd.DataFrame(
        {
            "passenger_id": np.arange(N),
            "event_timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(N), unit="h"),
            "age": rng.uniform(1, 80, N).round(1),
            "survived": rng.random(N) < 0.3,
        }
    )
    source = wh.load("passengers", rows)

    class Passenger(FeatureView):
        metadata = FeatureViewMetadata(name="passenger", batch_source=source)
        passenger_id = Entity(dtype=Int64())
        event_timestamp = EventTimestamp()
        age = Float()
        survived = Bool()
        is_child = age < 16

    model = Model(
        name="titanic",
        features=[Passenger.select(lambda v: [v.age, v.is_child])],
        targets=Passenger().survived,
    )
    return FeatureStore.from_definitions([Passenger, model])


def entities() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "passenger_id": np.arange(N),
            "event_timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(N), unit="h"),
        }
    )


def python_bucket(seed: int, key: int) -> int:
    """The documented hash: first 8 hex digits of md5('<seed>|<key>') as an integer."""
    return int(hashlib.md5(f"{seed}|{key}".encode()).hexdigest()[:8], 16)


def test_random_split_follows_the_documented_hash(warehouse: Warehouse) -> None:
    store = make_store(warehouse)
    try:
        data = (
            store.model("titanic")
            .features_for(entities())
            .test_split(0.2)
            .validation_split(0.1)
            .to_pandas_sync()
        )
    finally:
        store.close()
    buckets = {k: python_bucket(0, k) for k in range(N)}
    want_test = sorted(k for k, b in buckets.items() if b < int(0.2 * 2**32))
    want_validation = sorted(k for k, b in buckets.items() if int(0.2 * 2**32) <= b < int(0.3 * 2**32))
    assert data.test is not None and data.validation is not None
    assert sorted(data.test.data["passenger_id"]) == want_test
    assert sorted(data.validation.data["passenger_id"]) == want_validation
    assert len(data.train) + len(data.test) + len(data.validation) == N
    assert list(data.train.input.columns) == ["age", "is_child"]
    assert list(data.train.output.columns) == ["survived"]
    # each part keeps input order
    assert list(data.train.data["passenger_id"]) == sorted(data.train.data["passenger_id"])


def test_seed_changes_the_split(tmp_path: Path) -> None:
    store = make_store(Warehouse("duckdb", tmp_path, None))
    try:
        job = store.model("titanic").features_for(entities())
        a = job.test_split(0.3).to_pandas_sync()
        b = job.test_split(0.3).to_pandas_sync()
        c = job.test_split(0.3, seed=42).to_pandas_sync()
    finally:
        store.close()
    assert a.test is not None and b.test is not None and c.test is not None
    assert list(a.test.data["passenger_id"]) == list(b.test.data["passenger_id"])
    assert list(a.test.data["passenger_id"]) != list(c.test.data["passenger_id"])
    want = sorted(k for k in range(N) if python_bucket(42, k) < int(0.3 * 2**32))
    assert sorted(c.test.data["passenger_id"]) == want


def test_stratified_split_keeps_each_class_share(warehouse: Warehouse) -> None:
    store = make_store(warehouse)
    try:
        job = store.model("titanic").features_for(entities())
        data = job.test_split(0.25, target="survived", stratify=True).to_pandas_sync()
        everything = job.to_pandas_sync()
    finally:
        store.close()
    assert data.test is not None
    for value in (True, False):
        n = int((everything["survived"] == value).sum())
        assert int((data.test.output["survived"] == value).sum()) == -(-n // 4)  # ceil(n / 4)
    # within a class, the rows with the smallest key hash are the test rows
    survivors = everything[everything["survived"]]["passenger_id"].tolist()
    ranked = sorted(survivors, key=lambda k: (python_bucket(0, k), k))
    want = sorted(ranked[: -(-len(survivors) // 4)])
    got = sorted(data.test.data[data.test.data["survived"]]["passenger_id"])
    assert got == want


def test_time_split(warehouse: Warehouse) -> None:
    store = make_store(warehouse)
    start = datetime(2024, 1, 1)
    try:
        data = (
            store.model("titanic")
            .features_for(entities())
            .test_split(after=start + timedelta(hours=350))
            .validation_split(after=start + timedelta(hours=300))
            .to_pandas_sync()
        )
    finally:
        store.close()
    assert data.test is not None and data.validation is not None
    assert list(data.test.data["passenger_id"]) == list(range(350, N))
    assert list(data.validation.data["passenger_id"]) == list(range(300, 350))
    assert list(data.train.data["passenger_id"]) == list(range(300))


def test_polars_and_arrow_split_containers(tmp_path: Path) -> None:
    store = make_store(Warehouse("duckdb", tmp_path, None))
    try:
        job = store.model("titanic").features_for(entities()).test_split(0.2)
        pl_data = job.to_polars_sync()
        arrow_data = job.to_arrow_sync()
    finally:
        store.close()
    assert pl_data.validation is None and arrow_data.test is not None
    assert pl_data.train.input.columns == ["age", "is_child"]
    assert arrow_data.test.output.column_names == ["survived"]
    assert pl_data.feature_names == ("age", "is_child") and pl_data.target_names == ("survived",)


def test_split_errors(tmp_path: Path) -> None:
    store = make_store(Warehouse("duckdb", tmp_path, None))
    try:
        job = store.model("titanic").features_for(entities())
        with pytest.raises(FeatSQLError, match="between 0 and 1"):
            job.test_split(1.5)
        with pytest.raises(FeatSQLError, match="already given"):
            job.test_split(0.1).test_split(0.2)
        with pytest.raises(FeatSQLError, match="add up to"):
            job.test_split(0.6).validation_split(0.5)
        with pytest.raises(FeatSQLError, match="stratify works with random splits"):
            job.test_split(after=datetime(2024, 1, 5), stratify=True)
        with pytest.raises(FeatSQLError, match="split by time needs a timestamp"):
            store.model("titanic").features_for({"passenger_id": [1]}).test_split(
                after=datetime(2024, 1, 5)
            ).sql()
        with pytest.raises(FeatSQLError, match="split target nope"):
            job.test_split(0.1, target="nope").sql()
    finally:
        store.close()


def hash_inputs() -> list[str]:
    """Key texts covering every hex digit in every one of the 8 positions, empty and non-ASCII text."""
    texts = [f"{seed}|{key}" for seed in (0, 42) for key in range(200)]
    texts += ["", "|", "é|日本", "0|-1", "0|" + "x" * 1000]
    # texts whose md5 starts with ffffffdc, 00000027, 80000021, 7fffff02: both ends and the middle of
    # [0, 2^32), where a sign or width mistake would show
    extremes = {
        "48240964": "ffffffdc",
        "20412333": "00000027",
        "10904078": "80000021",
        "11539610": "7fffff02",
    }
    assert all(md5_hex(text)[:8] == digits for text, digits in extremes.items())
    return texts + list(extremes)


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def bucket_sql(dialect: str, printed_as: str, table: str) -> str:
    """``SELECT i, hash_bucket(s) FROM table ORDER BY i``, lowered for ``dialect``, printed as ``printed_as``.

    A Redshift query must pass the Redshift lint.
    """
    from sqlglot import exp

    from featsql.compiler.dialect import load
    from featsql.compiler.redshift_lint import lint_redshift

    bucket = load(dialect).op("hash_bucket", [exp.column("s", quoted=True)])
    query = exp.select(exp.column("i", quoted=True), bucket).from_(exp.to_table(table)).order_by("i")
    if dialect == "redshift":
        assert lint_redshift(query) == []
    return query.sql(printed_as, identify=True)


def test_hash_bucket_is_the_same_on_every_engine_and_python() -> None:
    """The hash_bucket templates of DuckDB, PostgreSQL and Redshift (run on PostgreSQL) match md5."""
    import duckdb
    import pyarrow as pa
    from postgres_scratch import PostgresScratch

    texts = hash_inputs()
    want = [int(md5_hex(t)[:8], 16) for t in texts]
    assert {md5_hex(t)[k] for t in texts for k in range(8)} == set("0123456789abcdef")
    table = pa.table({"i": list(range(len(texts))), "s": texts})
    con = duckdb.connect()
    try:
        con.register("hash_input", table)
        assert [b for _, b in con.execute(bucket_sql("duckdb", "duckdb", "hash_input")).fetchall()] == want
    finally:
        con.close()
    scratch = PostgresScratch(postgres_dsn_or_skip(), "splits")
    try:
        name = scratch.load("hash_input", table)
        for dialect in ("postgres", "redshift"):
            rows = scratch.run(bucket_sql(dialect, "postgres", name))
            assert [row[1] for row in rows] == want, dialect
    finally:
        scratch.drop()


def test_redshift_split_sql_runs_on_postgresql_shapes() -> None:
    """Redshift's split SQL uses no STRTOL (PostgreSQL lacks it) and passes the Redshift lint."""
    from sqlglot import exp

    from featsql.compiler.redshift_lint import lint_redshift
    from featsql.compiler.splits import RandomSplit, SplitSpec, split_select

    rows = exp.select("*").from_("t")
    spec = SplitSpec(RandomSplit(0.1), None, ("k",), None)
    tree = split_select(rows, ["k"], "featsql_row", spec, "redshift")
    sql = tree.sql("redshift", identify=True)
    assert lint_redshift(tree) == []
    assert "STRTOL" not in sql.upper()
    assert "'0' || '|' || COALESCE(CAST(\"k\" AS VARCHAR(65535)), '') AS \"featsql_hash_key\"" in sql
    assert (
        "CAST(POSITION(SUBSTRING(MD5(\"featsql_hash_key\") FROM 1 FOR 1) IN '0123456789abcdef')"
        " - 1 AS BIGINT) * 268435456" in sql
    )
    assert '"featsql_bucket" < 429496729' in sql
