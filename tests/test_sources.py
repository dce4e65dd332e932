"""Sources: CSV, Parquet, a DuckDB database file and an in-memory DataFrame, with ``mapping_keys``.

Declared types are enforced: a conversion that is safe and meaningful is a cast in the SQL (the
Titanic CSV's 0/1 ``Survived`` read as Bool, an integer read as Float, BIGINT ids read as Int32);
a missing column or an impossible conversion fails before anything runs, with a message naming
the view, the column, the declared and the found type.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from featsql import (
    Bool,
    Date,
    DuckDBConfig,
    Entity,
    FeatSQLError,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    FileSource,
    Float,
    InMemorySource,
    Int32,
    Int64,
    SchemaMismatchError,
    String,
    Timestamp,
)
from featsql.sources import BatchSource


def view_over(source: BatchSource, view: str = "v", **features: Any) -> type[FeatureView]:
    """A view named ``view`` over ``source`` with the given features (in this order)."""
    namespace: dict[str, Any] = {"metadata": FeatureViewMetadata(name=view, batch_source=source), **features}
    return type(view, (FeatureView,), namespace)


def run(view: type[FeatureView]) -> pa.Table:
    store = FeatureStore.from_definitions([view])
    try:
        return store.feature_view(view.metadata.name).all().to_arrow_sync()
    finally:
        store.close()


def sql_of(view: type[FeatureView]) -> str:
    store = FeatureStore.from_definitions([view])
    try:
        return store.feature_view(view.metadata.name).all().sql()
    finally:
        store.close()


# -- one typed file, written three ways ---------------------------------------------------------
TYPED = pa.table({
    "Id": pa.array([10, 20, 30], pa.int64()),
    "Flag": pa.array([1, 0, None], pa.int64()),
    "Count": pa.array([3, -1, 0], pa.int32()),
    "Price": pa.array([1.5, None, -2.25], pa.float64()),
    "Label": pa.array(["a", "", None], pa.string()),
    "Day": pa.array([dt.date(2024, 2, 29), None, dt.date(1970, 1, 1)], pa.date32()),
    "At": pa.array(
        [dt.datetime(2024, 1, 1, 12), None, dt.datetime(1999, 12, 31, 23, 59, 59)], pa.timestamp("us")
    ),
})
MAPPING = {
    "Id": "id", "Flag": "flag", "Count": "count", "Price": "price", "Label": "label", "Day": "day", "At": "at"
}


def typed_view(source: BatchSource) -> type[FeatureView]:
    price, count = Float(), Float()
    return view_over(
        source,
        id=Entity(Int32()),  # BIGINT read as Int32
        flag=Bool(),  # 0/1 integers read as Bool
        count=count,  # an integer column read as Float
        price=price,
        label=String(),
        day=Date(),
        at=Timestamp(),
        price_per_count=price / count,
    )


EXPECTED_TYPES = [pa.int32(), pa.bool_(), pa.float64(), pa.float64(), pa.string(), pa.date32(),
                  pa.timestamp("us"), pa.float64()]
EXPECTED_ROWS = [
    {"id": 10, "flag": True, "count": 3.0, "price": 1.5, "label": "a", "day": dt.date(2024, 2, 29),
     "at": dt.datetime(2024, 1, 1, 12), "price_per_count": 0.5},
    {"id": 20, "flag": False, "count": -1.0, "price": None, "label": "", "day": None, "at": None,
     "price_per_count": None},
    {"id": 30, "flag": None, "count": 0.0, "price": -2.25, "label": None, "day": dt.date(1970, 1, 1),
     "at": dt.datetime(1999, 12, 31, 23, 59, 59), "price_per_count": None},
]


def typed_frame() -> pd.DataFrame:
    """TYPED as pandas, with nullable integers (a plain int column with a gap would become float)."""
    frame = TYPED.to_pandas()
    for name in ("Id", "Flag", "Count"):
        frame[name] = pd.array(TYPED.column(name).to_pylist(), dtype="Int64")
    return frame


def check_typed(table: pa.Table, expected: list[dict[str, Any]] = EXPECTED_ROWS) -> None:
    assert [f.type for f in table.schema] == EXPECTED_TYPES
    assert sorted(table.to_pylist(), key=lambda r: r["id"]) == expected


@pytest.fixture
def parquet_file(tmp_path: Path) -> Path:
    path = tmp_path / "typed.parquet"
    pq.write_table(TYPED, path)
    return path


@pytest.fixture
def duckdb_file(tmp_path: Path) -> Path:
    path = tmp_path / "typed.duckdb"
    con = duckdb.connect(str(path))
    con.register("typed_arrow", TYPED)
    con.execute("CREATE SCHEMA sales")
    con.execute("CREATE TABLE sales.typed AS SELECT * FROM typed_arrow")
    con.close()
    return path


def test_parquet_at_with_mapping_keys_and_declared_types(parquet_file: Path) -> None:
    check_typed(run(typed_view(FileSource.parquet_at(parquet_file, mapping_keys=MAPPING))))


def test_duckdb_table_with_schema_qualified_name(duckdb_file: Path) -> None:
    source = DuckDBConfig(duckdb_file).table("sales.typed", mapping_keys=MAPPING)
    check_typed(run(typed_view(source)))


def test_in_memory_source_from_pandas() -> None:
    frame = typed_frame()
    check_typed(run(typed_view(InMemorySource.from_pandas(frame, mapping_keys=MAPPING))))


def test_csv_at(tmp_path: Path) -> None:
    path = tmp_path / "typed.csv"
    typed_frame().to_csv(path, index=False)
    # CSV has no NULL marker: an empty field reads as NULL, so the empty label comes back NULL
    expected = [{**row, "label": row["label"] or None} for row in EXPECTED_ROWS]
    check_typed(run(typed_view(FileSource.csv_at(path, mapping_keys=MAPPING))), expected)


def test_safe_conversions_are_casts_and_matching_types_are_not(parquet_file: Path) -> None:
    sql = sql_of(typed_view(FileSource.parquet_at(parquet_file, mapping_keys=MAPPING)))
    assert re.search(r'CAST\(.*"Id".* AS INT\) AS "id"', sql), "BIGINT read as Int32"
    assert '"Flag" <> 0' in sql
    assert 'CAST("Count" AS DOUBLE) AS "count"' in sql
    assert '"Price" AS "price"' in sql and 'CAST("Price" AS DOUBLE) AS "price"' not in sql, "DOUBLE as Float"
    assert 'CAST("Day"' not in sql and 'CAST("At"' not in sql


def test_titanic_csv_survived_as_bool_and_ids(titanic_csv: Path) -> None:
    view = view_over(
        FileSource.csv_at(titanic_csv, mapping_keys={"PassengerId": "passenger_id", "Survived": "survived",
                                                     "Fare": "fare"}),
        passenger_id=Entity(Int32()), survived=Bool(), fare=Float(),
    )
    table = run(view)
    assert table.num_rows == 891
    assert [f.type for f in table.schema] == [pa.int32(), pa.bool_(), pa.float64()]
    raw = pd.read_csv(titanic_csv)
    assert table.column("survived").to_pylist() == [bool(v) for v in raw["Survived"]]
    assert sum(table.column("survived").to_pylist()) == 342


def test_in_memory_pandas_nan_is_null() -> None:
    """pandas marks a missing float with NaN; it reaches the engine as NULL (so fill_na applies)."""
    frame = pd.DataFrame({"id": [1, 2], "x": [np.nan, 1.5], "x0": [np.nan, 1.5]})
    view = view_over(
        InMemorySource.from_pandas(frame), id=Entity(Int64()), x=Float(), x0=Float().fill_na(0.0)
    )
    rows = run(view).to_pylist()
    assert rows == [{"id": 1, "x": None, "x0": 0.0}, {"id": 2, "x": 1.5, "x0": 1.5}]


# -- failures before running --------------------------------------------------------------------
MISMATCHES = [
    # feature declared, source column, found type in the message
    ("price", Int32(), "Price", "float64"),
    ("day", Bool(), "Day", "date"),
    ("at", Int64(), "At", "timestamp"),
    ("flag", Date(), "Flag", "int64"),
]


@pytest.mark.parametrize(("feature", "declared", "column", "found"), MISMATCHES,
                         ids=[f"{m[2]} as {type(m[1]).__name__}" for m in MISMATCHES])
def test_impossible_conversion_fails_before_running(
    parquet_file: Path, feature: str, declared: Any, column: str, found: str
) -> None:
    view = view_over(FileSource.parquet_at(parquet_file, mapping_keys=MAPPING), view="shop",
                     id=Entity(Int64()), **{feature: declared})
    store = FeatureStore.from_definitions([view])
    job = store.feature_view("shop").all()
    with pytest.raises(SchemaMismatchError) as error:
        job.sql()  # compiling, not running, already fails
    message = str(error.value)
    assert "'shop'" in message and f"'{column}'" in message
    assert declared.dtype in message and found in message
    with pytest.raises(SchemaMismatchError):
        job.to_pandas_sync()
    store.close()


def test_missing_column_fails_before_running(parquet_file: Path) -> None:
    view = view_over(FileSource.parquet_at(parquet_file, mapping_keys=MAPPING), view="shop",
                     id=Entity(Int64()), discount=Float())
    store = FeatureStore.from_definitions([view])
    with pytest.raises(SchemaMismatchError, match=r"View 'shop'.*no column 'discount'.*float64.*it has: Id"):
        store.feature_view("shop").all().sql()
    store.close()


def test_missing_mapped_column_names_the_source_column(parquet_file: Path) -> None:
    view = view_over(FileSource.parquet_at(parquet_file, mapping_keys={"Cost": "cost", "Id": "id"}),
                     view="shop", id=Entity(Int64()), cost=Float())
    with pytest.raises(SchemaMismatchError, match=r"no column 'Cost' \(feature 'cost'"):
        sql_of(view)


def test_missing_file_names_the_view(tmp_path: Path) -> None:
    view = view_over(FileSource.parquet_at(tmp_path / "nope.parquet"), view="ghost", id=Entity(Int64()))
    with pytest.raises(FeatSQLError, match=r"View 'ghost': cannot read its source"):
        sql_of(view)


@pytest.mark.parametrize("declared", [Int32(), Float(), Bool(), Date(), Timestamp()])
def test_text_is_never_read_as_another_type(titanic_csv: Path, declared: Any) -> None:
    """Whether text converts depends on every row, so it fails before running, with the fix named."""
    view = view_over(
        FileSource.csv_at(titanic_csv, mapping_keys={"PassengerId": "passenger_id", "Name": "name"}),
        view="names", passenger_id=Entity(Int32()), name=declared,
    )
    store = FeatureStore.from_definitions([view])
    with pytest.raises(SchemaMismatchError, match=r"View 'names': column 'Name' \(feature 'name'\) is string "
                       r"in the source.*declare it String\(\) and convert explicitly, e.g. \.cast\("):
        store.feature_view("names").all().sql()
    store.close()


def test_text_converted_explicitly_fails_at_run_time_naming_the_view(titanic_csv: Path) -> None:
    name = String()
    view = view_over(
        FileSource.csv_at(titanic_csv, mapping_keys={"PassengerId": "passenger_id", "Name": "name"}),
        view="names_as_ints", passenger_id=Entity(Int32()), name=name, as_int=name.cast(Int32()),
    )
    store = FeatureStore.from_definitions([view])
    with pytest.raises(FeatSQLError, match=r"View 'names_as_ints'"):
        store.feature_view("names_as_ints").all().to_pandas_sync()
    store.close()
