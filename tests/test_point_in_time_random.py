"""Randomized point-in-time joins against pandas ``merge_asof``: zero mismatches, on every backend."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pytest
from conftest import postgres_dsn_or_skip
from point_in_time_backends import BACKENDS, Warehouse

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

TTL = timedelta(hours=30)


@pytest.fixture(params=BACKENDS)
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Warehouse]:
    dsn = None if request.param == "duckdb" else postgres_dsn_or_skip()
    wh = Warehouse(request.param, tmp_path, dsn)
    yield wh
    wh.close()


def generate(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events with unique (key, time) (ties need a created time) and entity rows, some unknown."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-03-01")
    keys = rng.integers(0, 40, 1500)
    minutes = rng.integers(0, 60 * 24 * 20, 1500)
    events = pd.DataFrame({"key": keys, "ts": start + pd.to_timedelta(minutes, unit="min")})
    events = events.drop_duplicates(["key", "ts"]).reset_index(drop=True)
    events["x"] = rng.normal(size=len(events)).round(6)
    events.loc[rng.random(len(events)) < 0.1, "x"] = np.nan  # NULL values are values too
    events["y"] = rng.integers(-100, 100, len(events))
    entity_minutes = rng.integers(-60 * 24, 60 * 24 * 22, 400)
    entities = pd.DataFrame(
        {"key": rng.integers(0, 45, 400), "ts": start + pd.to_timedelta(entity_minutes, unit="min")}
    )
    return events, entities


def reference(events: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    left = entities.reset_index().sort_values("ts")
    right = events.rename(columns={"ts": "event_ts"}).sort_values("event_ts")
    merged = pd.merge_asof(
        left,
        right,
        left_on="ts",
        right_on="event_ts",
        by="key",
        direction="backward",
        tolerance=pd.Timedelta(TTL),
        allow_exact_matches=True,
    )
    merged = merged.sort_values("index").reset_index(drop=True)
    merged["x_plus_y"] = merged["x"] + merged["y"]
    return merged[["key", "ts", "x", "y", "x_plus_y"]]


@pytest.mark.parametrize("seed", [1, 2])
def test_matches_pandas_merge_asof(warehouse: Warehouse, seed: int) -> None:
    events, entities = generate(seed)
    source = warehouse.load("events", events)

    class Events(FeatureView):
        metadata = FeatureViewMetadata(name="events", batch_source=source)
        key = Entity(dtype=Int64())
        ts = EventTimestamp(ttl=TTL)
        x = Float()
        y = Int64()
        x_plus_y = x + y

    model = Model(name="m", features=[Events.select(lambda v: [v.x, v.y, v.x_plus_y])])
    store = FeatureStore.from_definitions([Events, model])
    try:
        got = store.model("m").features_for(entities).to_pandas_sync()
    finally:
        store.close()
    want = reference(events, entities)
    assert list(got["key"]) == list(want["key"])
    assert (got["ts"].to_numpy() == want["ts"].to_numpy()).all()
    mismatches = 0
    for column in ("x", "y", "x_plus_y"):
        a = got[column].astype("float64").to_numpy()
        b = want[column].astype("float64").to_numpy()
        same = (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=0, atol=1e-9)
        mismatches += int((~same).sum())
    matched = int(want["y"].notna().sum())
    assert 50 < matched < len(want)  # the data exercises both matches and misses
    assert mismatches == 0
