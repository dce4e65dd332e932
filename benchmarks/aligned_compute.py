"""The Aligned side of bench_compute.py; runs inside benchmarks/.venv-aligned and prints JSON timings.

Usage (bench_compute.py calls it):
    benchmarks/.venv-aligned/bin/python benchmarks/aligned_compute.py PATH REPS
The same 7 inputs and 10 derived features as bench_compute.py (benchmarks/compute_features.py),
declared with Aligned, read from the same Parquet file, computed in-process by Polars. Aligned's
``contains`` is a regex: the pattern ``"Mr"`` has no metacharacters, so it means the same as
featsql's literal substring test.
"""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import statistics
import sys
import time

from aligned import ContractStore, FileSource, Float, Int32, Int64, String, feature_view
from compute_features import FEATURES, INPUTS, VIEW_NAME, derived_features


def make_store(path: str) -> ContractStore:
    """Aligned's view ``people`` over the Parquet file: the inputs in Aligned's types, the derived
    features from compute_features (the same declarations as featsql's)."""
    name, sex, age, sibsp, fare, pclass = String(), String(), Float(), Int32(), Float(), Int32()
    namespace = {
        "id": Int64().as_entity(),
        "name": name, "sex": sex, "age": age, "sibsp": sibsp, "fare": fare, "pclass": pclass,
        **derived_features(name=name, sex=sex, age=age, sibsp=sibsp, fare=fare),
    }
    people = feature_view(name=VIEW_NAME, source=FileSource.parquet_at(path))(type("People", (), namespace))
    store = ContractStore.empty()
    store.add_feature_view(people)
    return store


async def main() -> None:
    path, reps = sys.argv[1], int(sys.argv[2])
    store = make_store(path)
    view = store.feature_view(VIEW_NAME)
    pandas_frame = await view.all().to_pandas()  # warm-up, and the shape for the report
    polars_frame = await view.all().to_polars()
    assert sorted(pandas_frame.columns) == sorted(INPUTS + FEATURES), list(pandas_frame.columns)
    timings: dict[str, list[float]] = {"pandas": [], "polars": []}
    cpu: dict[str, list[float]] = {"pandas": [], "polars": []}
    for _ in range(reps):  # interleaved
        for kind in ("pandas", "polars"):
            gc.collect()
            cpu_start, start = cpu_seconds(), time.perf_counter()
            if kind == "pandas":
                await view.all().to_pandas()
            else:
                await view.all().to_polars()
            timings[kind].append(time.perf_counter() - start)
            cpu[kind].append(cpu_seconds() - cpu_start)
    print(json.dumps({
        "version": _dist_version("aligned"),  # aligned.__version__ lags the release
        "polars": _dist_version("polars"),
        "reps": reps,
        "pandas": statistics.median(timings["pandas"]),
        "polars_s": statistics.median(timings["polars"]),
        "pandas_cpu": statistics.median(cpu["pandas"]),
        "polars_cpu": statistics.median(cpu["polars"]),
        "pandas_all": timings["pandas"],
        "polars_all": timings["polars"],
        "shape": list(pandas_frame.shape),
        "polars_shape": list(polars_frame.shape),
        "columns": list(pandas_frame.columns),
    }))


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _dist_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    asyncio.run(main())
