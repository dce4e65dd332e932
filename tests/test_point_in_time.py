"""Point-in-time correctness, hand-computed, on DuckDB, PostgreSQL and the Redshift lowering (run as PG)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

import pandas as pd
import pytest
from conftest import postgres_dsn_or_skip
from point_in_time_backends import BACKENDS, Warehouse

import featsql
from featsql import (
    CreatedTimestamp,
    Entity,
    EventTimestamp,
    FeatSQLError,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    Float,
    Int64,
    Model,
    String,
)

T = pd.Timestamp


@pytest.fixture(params=BACKENDS)
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Warehouse]:
    dsn = None if request.param == "duckdb" else postgres_dsn_or_skip()
    wh = Warehouse(request.param, tmp_path, dsn)
    yield wh
    wh.close()


CUSTOMERS = pd.DataFrame(
    {
        "customer_id": [1, 1, 1, 2, 3],
        "event_timestamp": [
            T("2024-01-01"),
            T("2024-01-03"),
            T("2024-01-03"),
            T("2024-01-02"),
            T("2024-01-10"),
        ],
        "created": [
            T("2024-01-01"),
            T("2024-01-03 05:00"),
            T("2024-01-03 01:00"),
            T("2024-01-02"),
            T("2024-01-10"),
        ],
        "balance": [10.0, 25.0, 20.0, 100.0, 7.0],
        "bonus": [1.0, 3.0, 2.0, 0.0, 1.0],
        "tier": ["a", "c", "b", "z", "q"],
    }
)
ORDERS = pd.DataFrame(
    {
        "customer_id": [1, 1, 2],
        "order_time": [T("2024-01-02 12:00"), T("2024-01-05"), T("2024-01-01")],
        "amount": [5, 6, 50],
    }
)
# Each row: (customer_id, time) -> expected (score, tier, amount); score = balance * 2 + bonus.
EXPECTED = [
    (1, T("2024-01-02"), 21.0, "a", None),  # 01-01 row, 1 day old; no order yet (01-02 12:00 is later)
    (1, T("2024-01-03"), 53.0, "c", 5),  # two rows at 01-03: the one created last (05:00) wins
    (1, T("2024-01-06"), None, None, 6),  # 01-03 row is 3 days old: past the 2-day TTL; orders: no TTL
    (2, T("2023-12-31"), None, None, None),  # before any event
    (1, T("2024-01-03"), 53.0, "c", 5),  # a duplicate entity row gets the same answer
    (2, T("2024-01-04"), 200.0, "z", 50),  # exactly 2 days old: still within the TTL
    (4, T("2024-01-05"), None, None, None),  # unknown entity
    (3, T("2024-01-10"), 15.0, "q", None),  # event at exactly the row's time counts
    (1, T("2024-01-05"), 53.0, "c", 6),  # order at exactly the row's time counts
]


def make_views(wh: Warehouse) -> tuple[type[FeatureView], type[FeatureView]]:
    customer_source = wh.load("customers", CUSTOMERS)
    order_source = wh.load("orders", ORDERS)

    class Customer(FeatureView):
        metadata = FeatureViewMetadata(name="customer", batch_source=customer_source)
        customer_id = Entity(dtype=Int64())
        event_timestamp = EventTimestamp(ttl=timedelta(days=2))
        created = CreatedTimestamp()
        balance = Float()
        bonus = Float()
        tier = String()
        score = balance * 2 + bonus

    class Orders(FeatureView):
        metadata = FeatureViewMetadata(name="orders", batch_source=order_source)
        customer_id = Entity(dtype=Int64())
        order_time = EventTimestamp()
        amount = Int64()

    return Customer, Orders


def make_store(wh: Warehouse) -> FeatureStore:
    Customer, Orders = make_views(wh)
    model = Model(
        name="churn",
        features=[Customer.select(lambda v: [v.score, v.tier])],  # score needs balance and bonus
        targets=Orders().amount,
    )
    return FeatureStore.from_definitions([Customer, Orders, model])


def entity_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"customer_id": [r[0] for r in EXPECTED], "event_timestamp": [r[1] for r in EXPECTED]}
    )


def assert_rows(frame: pd.DataFrame, expected: list[tuple[Any, ...]]) -> None:
    assert list(frame.columns) == ["customer_id", "event_timestamp", "score", "tier", "amount"]
    assert len(frame) == len(expected)
    for (_, row), want in zip(frame.iterrows(), expected):
        got = (row["customer_id"], row["event_timestamp"], row["score"], row["tier"], row["amount"])
        normalised = tuple(None if (v is None or (not isinstance(v, str) and pd.isna(v))) else v for v in got)
        assert normalised == want, f"{normalised} != {want}"


def test_point_in_time_hand_computed(warehouse: Warehouse) -> None:
    store = make_store(warehouse)
    try:
        frame = store.model("churn").features_for(entity_frame()).to_pandas_sync()
        assert_rows(frame, EXPECTED)
    finally:
        store.close()


def test_without_timestamp_each_view_gives_its_latest_row(warehouse: Warehouse) -> None:
    store = make_store(warehouse)
    try:
        frame = store.model("churn").features_for({"customer_id": [3, 1, 9, 2]}).to_pandas_sync()
        assert list(frame["customer_id"]) == [3, 1, 9, 2]
        assert frame["score"].tolist()[:2] == [15.0, 53.0]  # customer 1: 01-03, created last
        assert pd.isna(frame["score"][2])
        assert frame["amount"].tolist()[1] == 6 and frame["amount"].tolist()[3] == 50
    finally:
        store.close()


def test_entity_rows_from_a_warehouse_table_and_query(warehouse: Warehouse) -> None:
    store = make_store(warehouse)
    entity_rows = entity_frame()
    entity_rows["label"] = range(len(entity_rows))
    warehouse.load("labels", entity_rows)
    try:
        name = warehouse.table_name("labels")
        frame = store.model("churn").features_for(featsql.table(name)).to_pandas_sync()
        # warehouse rows have no order of their own: sorted by keys, then time
        expected = sorted(EXPECTED, key=lambda r: (r[0], r[1]))
        assert list(frame.columns) == ["customer_id", "event_timestamp", "label", "score", "tier", "amount"]
        assert_rows(frame.drop(columns=["label"]), expected)
        query = featsql.sql(f"SELECT customer_id, event_timestamp FROM {name} WHERE label < 3")
        frame = store.model("churn").features_for(query).to_pandas_sync()
        assert_rows(frame, sorted(EXPECTED[:3], key=lambda r: (r[0], r[1])))
    finally:
        store.close()


def test_polars_arrow_and_dict_inputs_agree(warehouse: Warehouse) -> None:
    import polars as pl
    import pyarrow as pa

    store = make_store(warehouse)
    try:
        job = store.model("churn")
        frame = entity_frame()
        as_pandas = job.features_for(frame).to_pandas_sync()
        as_polars = job.features_for(pl.from_pandas(frame)).to_polars_sync()
        as_arrow = job.features_for(pa.Table.from_pandas(frame)).to_arrow_sync()
        as_dict = job.features_for({c: frame[c].tolist() for c in frame.columns}).to_pandas_sync()
        pd.testing.assert_frame_equal(as_pandas, as_polars.to_pandas(), check_dtype=False)
        pd.testing.assert_frame_equal(as_pandas, as_arrow.to_pandas())
        pd.testing.assert_frame_equal(as_pandas, as_dict)
    finally:
        store.close()


def test_time_zone_aware_entity_times_are_read_as_utc(tmp_path: Path) -> None:
    wh = Warehouse("duckdb", tmp_path, None)
    store = make_store(wh)
    try:
        frame = entity_frame()
        frame["event_timestamp"] = (
            frame["event_timestamp"].dt.tz_localize("UTC").dt.tz_convert("Europe/Paris")
        )
        out = store.model("churn").features_for(frame).to_pandas_sync()
        assert out["score"].tolist()[:2] == [21.0, 53.0]
    finally:
        store.close()


def test_errors_name_the_model_and_what_is_missing(tmp_path: Path) -> None:
    wh = Warehouse("duckdb", tmp_path, None)
    store = make_store(wh)
    try:
        with pytest.raises(
            FeatSQLError, match=r"Model 'churn': view 'customer' needs the entity key\(s\) customer_id"
        ):
            store.model("churn").features_for({"id": [1]}).to_pandas_sync()
        with pytest.raises(FeatSQLError, match="event_timestamp_column 'when'"):
            store.model("churn").features_for({"customer_id": [1]}, event_timestamp_column="when").sql()
        with pytest.raises(FeatSQLError, match="entity rows have column.* score"):
            store.model("churn").features_for({"customer_id": [1], "score": [1.0]}).sql()
        with pytest.raises(featsql.UnknownNameError, match="no model named 'nope'"):
            store.model("nope")
    finally:
        store.close()


def test_event_timestamp_column_renames_the_entity_time(tmp_path: Path) -> None:
    wh = Warehouse("duckdb", tmp_path, None)
    store = make_store(wh)
    try:
        frame = entity_frame().rename(columns={"event_timestamp": "label_time"})
        out = store.model("churn").features_for(frame, event_timestamp_column="label_time").to_pandas_sync()
        assert out["score"].tolist()[:2] == [21.0, 53.0]
    finally:
        store.close()


# -- the Feast sample data ------------------------------------------------------------------------


def feast_views(wh: Warehouse, shared_data: Path) -> tuple[type[FeatureView], type[FeatureView]]:
    credit_source = wh.load("credit_history", pd.read_csv(shared_data / "credit_history.csv"))
    loan_source = wh.load("loan", pd.read_csv(shared_data / "loan.csv"))

    class CreditHistory(FeatureView):
        metadata = FeatureViewMetadata(name="credit_history", batch_source=credit_source)
        dob_ssn = Entity(dtype=String())
        event_timestamp = EventTimestamp(ttl=timedelta(days=1), dtype=Int64().as_timestamp("us"))
        credit_card_due = Int64()
        student_loan_due = Int64()
        bankruptcies = Int64()
        total_debt_due = credit_card_due + student_loan_due

    class Loan(FeatureView):
        metadata = FeatureViewMetadata(name="loan", batch_source=loan_source)
        loan_id = Entity(dtype=Int64())
        event_timestamp = EventTimestamp(ttl=timedelta(days=1), dtype=Int64().as_timestamp("us"))
        loan_amount = Int64()
        personal_income = Int64()
        loan_status = featsql.Bool()

    return CreditHistory, Loan


def test_feast_sample_data(warehouse: Warehouse, shared_data: Path) -> None:
    CreditHistory, Loan = feast_views(warehouse, shared_data)
    model = Model(
        name="credit_model",
        features=[
            CreditHistory.select(lambda v: [v.total_debt_due, v.bankruptcies]),
            Loan.select(lambda v: [v.loan_amount, v.personal_income]),
        ],
        targets=Loan().loan_status,
    )
    store = FeatureStore.from_definitions([CreditHistory, Loan, model])
    t1 = datetime(2020, 4, 26, 18, 1, 4, 746575)  # 1587924064746575 us
    t2 = datetime(2020, 4, 27, 18, 1, 4, 746575)  # 1588010464746575 us
    entities = pd.DataFrame(
        {
            "dob_ssn": ["19530219_5179", "19520816_8737", "19860413_2537", "19530219_5179", "19860413_2537"],
            "loan_id": [10000, 10001, 10002, 10002, 10002],
            "event_timestamp": [
                t1,  # exactly the first event
                datetime(2020, 4, 27, 20),  # after the second events
                t1 - timedelta(microseconds=1),  # one microsecond before any event
                datetime(2020, 4, 30),  # second events are 2+ days old: TTL 1 day
                t2 + timedelta(days=1),  # exactly one day after the second events: still counts
            ],
        }
    )
    try:
        out = store.model("credit_model").features_for(entities).to_pandas_sync()
        got = [
            tuple(None if pd.isna(v) else v for v in row)
            for row in out[
                ["total_debt_due", "bankruptcies", "loan_amount", "personal_income", "loan_status"]
            ]
            .astype(object)
            .itertuples(index=False)
        ]
        assert got == [
            (8419 + 22328, 0, 35000, 59000, True),
            (1575 + 9501, 0, 35000, 54400, True),
            (None, None, None, None, None),
            (None, None, None, None, None),
            (6263 + 35510, 0, 2500, 9900, True),
        ]
        assert list(out["dob_ssn"]) == list(entities["dob_ssn"])
    finally:
        store.close()


def test_redshift_lowering_has_no_lateral_and_postgres_uses_it(tmp_path: Path) -> None:
    from featsql.compiler.point_in_time import EntityRelation, ViewJoin, point_in_time_select

    wh = Warehouse("duckdb", tmp_path, None)
    Customer, _ = make_views(wh)
    entities = EntityRelation(
        "featsql_entities", ("customer_id", "event_timestamp"), "featsql_row", "event_timestamp"
    )
    join = ViewJoin(Customer.ir(), ("score",))
    sql = {d: point_in_time_select([join], entities, d).sql(d, identify=True) for d in BACKENDS}
    assert "ASOF LEFT JOIN" in sql["duckdb"]
    assert "LATERAL" in sql["postgres"] and "LIMIT 1" in sql["postgres"]
    assert "LATERAL" not in sql["redshift"] and "ROW_NUMBER()" in sql["redshift"]
    assert "INTERVAL '172800 SECOND'" in sql["redshift"]
