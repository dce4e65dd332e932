"""Feast's point-in-time join on the benchmark data (run by bench_point_in_time.py in .venv-feast).

Usage: .venv-feast/bin/python feast_point_in_time.py STORE DATA_DIR REPEATS [PG_DSN PG_TABLE]
STORE is ``duckdb`` (FileSource over the events parquet) or ``postgres`` (PostgreSQLSource over a
table). Prints one JSON object: the seconds of each run of get_historical_features(...).to_df()
and a checksum of the last result (rows, non-null feature count).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
from feast import Entity, FeatureStore, FeatureView, Field, FileSource, ValueType
from feast.repo_config import RegistryConfig, RepoConfig
from feast.types import Float64


def main() -> None:
    store_kind, data_dir, repeats = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    repo = Path(tempfile.mkdtemp(prefix="feast_pit_"))
    if store_kind == "duckdb":
        from feast.infra.offline_stores.duckdb import DuckDBOfflineStoreConfig

        offline = DuckDBOfflineStoreConfig()
        source = FileSource(
            name="events", path=str(data_dir / "pit_events.parquet"), timestamp_field="event_timestamp"
        )
    else:
        from feast.infra.offline_stores.contrib.postgres_offline_store.postgres import (
            PostgreSQLOfflineStoreConfig,
        )
        from feast.infra.offline_stores.contrib.postgres_offline_store.postgres_source import (
            PostgreSQLSource,
        )

        dsn, table = sys.argv[4], sys.argv[5]
        parts = urlsplit(dsn)
        offline = PostgreSQLOfflineStoreConfig(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            database=parts.path.lstrip("/"),
            user=parts.username or "root",
            password=parts.password or "",
            sslmode="disable",
        )
        source = PostgreSQLSource(
            name="events", query=f"SELECT * FROM {table}", timestamp_field="event_timestamp"
        )
    config = RepoConfig(
        project="pit_bench",
        provider="local",
        registry=RegistryConfig(path=str(repo / "registry.db")),
        offline_store=offline,
        online_store={"type": "sqlite", "path": str(repo / "online.db")},
        entity_key_serialization_version=3,
        repo_path=repo,
    )
    store = FeatureStore(config=config)
    entity = Entity(name="entity", join_keys=["entity_id"], value_type=ValueType.INT64)
    view = FeatureView(
        name="events",
        entities=[entity],
        ttl=timedelta(days=7),
        schema=[
            Field(name="f1", dtype=Float64),
            Field(name="f2", dtype=Float64),
            Field(name="f3", dtype=Float64),
        ],
        source=source,
    )
    store.apply([entity, view])
    entity_df = pd.read_parquet(data_dir / "pit_entities.parquet")[["entity_id", "event_timestamp"]]
    entity_df["event_timestamp"] = entity_df["event_timestamp"].dt.tz_localize("UTC")
    seconds = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = store.get_historical_features(
            entity_df=entity_df, features=["events:f1", "events:f2", "events:f3"]
        ).to_df()
        seconds.append(time.perf_counter() - start)
    assert result is not None
    print(json.dumps({"seconds": seconds, "rows": len(result), "non_null": int(result["f1"].notna().sum())}))


if __name__ == "__main__":
    main()
