"""The compute benchmarks' feature definition: 7 inputs, 10 derived features, one place.

Shared by bench_compute.py, bench_postgres.py (featsql) and aligned_compute.py (Aligned, in
benchmarks/.venv-aligned where featsql is not installed: so this module imports only pandas and
numpy at the top, and featsql inside :func:`define_view`).

The derived features: fill_na, !=, two one-hot, contains, /, log1p, clip, ordinal, <. featsql's
feature API spells them as Aligned's does, so :func:`derived_features` declares them once for both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from featsql import FeatureView

VIEW_NAME = "people"
INPUTS = ["id", "name", "sex", "age", "sibsp", "fare", "pclass"]
FEATURES = ["age_filled", "has_siblings", "is_male", "is_female", "is_mr", "fare_per_person", "log_fare",
            "age_clipped", "sex_ordinal", "is_child"]


def derived_features(name: Any, sex: Any, age: Any, sibsp: Any, fare: Any) -> dict[str, Any]:
    """The 10 derived features, in output order, from typed input features (featsql's or Aligned's)."""
    is_male, is_female = sex.one_hot_encode(["male", "female"])
    derived = {
        "age_filled": age.fill_na(0.0),
        "has_siblings": sibsp != 0,
        "is_male": is_male,
        "is_female": is_female,
        "is_mr": name.contains("Mr"),
        "fare_per_person": fare / (sibsp + 1),
        "log_fare": fare.log1p(),
        "age_clipped": age.clip(0.0, 80.0),
        "sex_ordinal": sex.ordinal_categories(["male", "female"]),
        "is_child": age < 18.0,
    }
    assert list(derived) == FEATURES
    return derived


def define_view(source: Any) -> type[FeatureView]:
    """The featsql view ``people`` over ``source`` (a featsql batch source): 7 inputs, 10 derived features."""
    from featsql import Entity, FeatureView, FeatureViewMetadata, Float, Int32, Int64, String

    name, sex, age, sibsp, fare, pclass = String(), String(), Float(), Int32(), Float(), Int32()
    namespace = {
        "metadata": FeatureViewMetadata(name=VIEW_NAME, batch_source=source),
        "id": Entity(dtype=Int64()),
        "name": name, "sex": sex, "age": age, "sibsp": sibsp, "fare": fare, "pclass": pclass,
        **derived_features(name=name, sex=sex, age=age, sibsp=sibsp, fare=fare),
    }
    return cast("type[FeatureView]", type("People", (FeatureView,), namespace))


def pandas_features(df: pd.DataFrame) -> pd.DataFrame:
    """The same features written in idiomatic pandas, added to ``df`` in place (NaN stands for NULL,
    comparisons with it are False); returns ``df``."""
    age, sex, sibsp, fare = df["age"], df["sex"], df["sibsp"], df["fare"]
    df["age_filled"] = age.fillna(0.0)
    df["has_siblings"] = sibsp != 0
    df["is_male"] = sex == "male"
    df["is_female"] = sex == "female"
    df["is_mr"] = df["name"].str.contains("Mr", regex=False)
    df["fare_per_person"] = fare / (sibsp + 1)
    df["log_fare"] = np.log1p(fare)
    df["age_clipped"] = age.clip(0.0, 80.0)
    df["sex_ordinal"] = sex.map({"male": 0, "female": 1})
    df["is_child"] = age < 18.0
    return df
