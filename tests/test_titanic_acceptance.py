"""Acceptance: the README's Titanic view over all 891 rows equals an independent pandas computation.

The expected frame is computed with plain pandas from the CSV, without featsql; the comparison is
column by column with exact dtypes (NULL / NaN handled).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pandas as pd
import pyarrow as pa
import pytest

from featsql import (
    Bool,
    Entity,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    FileSource,
    Float,
    Int32,
    String,
)

MAPPING = {"PassengerId": "passenger_id", "Name": "name", "Sex": "sex", "Survived": "survived",
           "SibSp": "sibsp", "Age": "age"}


def titanic_view(csv: Path) -> type[FeatureView]:
    class TitanicPassenger(FeatureView):
        metadata = FeatureViewMetadata(name="titanic", description="Features from the titanic dataset",
                                       batch_source=FileSource.csv_at(csv, mapping_keys=MAPPING))
        passenger_id = Entity(dtype=Int32())
        name = String()
        sex = String().accepted_values(["male", "female"])
        survived = Bool().description("If the passenger survived").is_required()
        sibsp = Int32().description("Number of siblings on titanic").lower_bound(0)
        age = Float().fill_na(0).description("A float as some have decimals").lower_bound(0).upper_bound(150)
        has_siblings = (sibsp != 0).description("Can not be negative, so if not 0 means they have a sibling")
        is_male, is_female = sex.one_hot_encode(["male", "female"])
        ordinal_sex = sex.ordinal_categories(["male", "female"])
        is_mr = name.contains("Mr.")

    return TitanicPassenger


COLUMNS = ["passenger_id", "name", "sex", "survived", "sibsp", "age", "has_siblings", "is_male",
           "is_female", "ordinal_sex", "is_mr"]
ARROW_TYPES = [pa.int32(), pa.string(), pa.string(), pa.bool_(), pa.int32(), pa.float64(), pa.bool_(),
               pa.bool_(), pa.bool_(), pa.int32(), pa.bool_()]


def pandas_features(csv: Path) -> pd.DataFrame:
    """The same features, computed independently with pandas."""
    raw = pd.read_csv(csv)
    return pd.DataFrame({
        "passenger_id": raw["PassengerId"].astype("int32"),
        "name": raw["Name"],
        "sex": raw["Sex"],
        "survived": raw["Survived"].astype(bool),
        "sibsp": raw["SibSp"].astype("int32"),
        "age": raw["Age"].fillna(0.0).astype("float64"),
        "has_siblings": raw["SibSp"] != 0,
        "is_male": (raw["Sex"] == "male").fillna(False),
        "is_female": (raw["Sex"] == "female").fillna(False),
        "ordinal_sex": raw["Sex"].map({"male": 0, "female": 1}).astype("Int32"),
        "is_mr": raw["Name"].str.contains("Mr.", regex=False),
    })


@pytest.fixture(scope="module")
def store(titanic_csv: Path) -> Iterator[FeatureStore]:
    store = FeatureStore.from_definitions([titanic_view(titanic_csv)])
    yield store
    store.close()


@pytest.fixture(scope="module")
def expected(titanic_csv: Path) -> pd.DataFrame:
    return pandas_features(titanic_csv)


def test_the_csv_is_the_shared_titanic(titanic_csv: Path, shared_data: Path) -> None:
    assert titanic_csv.read_bytes() == (shared_data / "titanic.csv").read_bytes()


def test_all_rows_equal_pandas_column_by_column(store: FeatureStore, expected: pd.DataFrame) -> None:
    table = store.feature_view("titanic").all().to_arrow_sync()
    assert table.column_names == COLUMNS, "declaration order"
    assert [f.type for f in table.schema] == ARROW_TYPES
    assert table.num_rows == 891
    got = table.to_pandas().sort_values("passenger_id", ignore_index=True)
    want = expected.sort_values("passenger_id", ignore_index=True)
    for column in COLUMNS:
        actual = got[column]
        if column == "ordinal_sex":  # no NULL in the data: Arrow int32 arrives as int32
            actual = actual.astype("Int32")
        pd.testing.assert_series_equal(actual, want[column], check_names=True, obj=column)


def test_facts_that_make_the_comparison_meaningful(expected: pd.DataFrame, titanic_csv: Path) -> None:
    raw = pd.read_csv(titanic_csv)
    assert raw["Age"].isna().sum() == 177, "fill_na has NULL ages to replace"
    assert (expected["age"] == 0).sum() == 177
    # "Mr." must not match "Mrs.": a regex or a LIKE would count the Mrs. too
    assert expected["is_mr"].sum() == 517
    assert raw["Name"].str.contains("Mrs.", regex=False).sum() == 125
    assert raw["Name"].str.contains("Mr.").sum() == 647  # as a regex, "." matches anything


def test_pandas_result_dtypes(store: FeatureStore) -> None:
    df = store.feature_view("titanic").all(limit=5).to_pandas_sync()
    assert len(df) == 5
    assert str(df["passenger_id"].dtype) == "int32"
    assert str(df["survived"].dtype) == "bool"
    assert str(df["age"].dtype) == "float64"
    assert str(df["ordinal_sex"].dtype) == "int32"


def test_features_for_keeps_order_duplicates_and_unknown_ids(
    store: FeatureStore, expected: pd.DataFrame
) -> None:
    ids = [3, 99999, 1, 3, 0, 891]
    table = store.feature_view("titanic").features_for({"passenger_id": ids}).to_arrow_sync()
    assert table.column_names == COLUMNS
    rows = table.to_pylist()
    assert [r["passenger_id"] for r in rows] == ids
    by_id = expected.set_index("passenger_id")
    for row in rows:
        pid = row["passenger_id"]
        if pid in (99999, 0):  # unknown: every feature NULL, fill_na and one_hot_encode not applied
            assert all(row[c] is None for c in COLUMNS if c != "passenger_id"), row
            continue
        want = by_id.loc[pid]
        for column in COLUMNS[1:]:
            assert row[column] == want[column], (pid, column)
    assert rows[0] == rows[3], "a duplicated id gets the same features twice"
    assert rows[0]["age"] == 26.0 and rows[0]["is_female"] is True and rows[0]["is_mr"] is False


def test_select_has_siblings(store: FeatureStore, expected: pd.DataFrame) -> None:
    job = store.feature_view("titanic").select(["has_siblings"]).all()
    table = job.to_arrow_sync()
    assert table.column_names == ["passenger_id", "has_siblings"]
    assert [f.type for f in table.schema] == [pa.int32(), pa.bool_()]
    got = dict(zip(table.column("passenger_id").to_pylist(), table.column("has_siblings").to_pylist()))
    assert got == dict(zip(expected["passenger_id"].tolist(), expected["has_siblings"].tolist()))
    sql = job.sql()
    assert '"SibSp"' in sql and '"Name"' not in sql and '"Age"' not in sql, "reads only what it needs"
