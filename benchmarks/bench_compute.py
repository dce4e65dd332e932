"""Compute benchmark: 1,000,000 rows x 10 derived features, Parquet -> pandas / polars.

Run from the repository root:  python benchmarks/bench_compute.py  [--reps N] [--no-aligned]
(the data is written by benchmarks/make_data.py on first use; Aligned runs in benchmarks/.venv-aligned,
created by benchmarks/setup_aligned.sh, as a subprocess.)

Compares, in one run with interleaved repetitions: featsql (FeatureStore over FileSource.parquet_at),
the best hand-written DuckDB SQL for the same features, hand-written pandas, and Aligned. Before
timing, it checks that featsql's generated SQL computes the same values as the hand-written SQL.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
from compute_features import FEATURES, INPUTS, VIEW_NAME, define_view, pandas_features  # noqa: E402
from make_data import ROWS, ensure_data  # noqa: E402

import featsql  # noqa: E402
from featsql import FeatureStore, FileSource  # noqa: E402

# The best hand-written DuckDB SQL for the same features, written by someone who knows the data:
# fare >= 0 (so LN(1 + fare) needs no guard) and sibsp >= 0 (so sibsp + 1 is never 0). Not
# GREATEST/LEAST for clip: they ignore NULLs and would turn a NULL age into 0.
HAND_SQL = """
SELECT id, name, sex, age, sibsp, fare, pclass,
       COALESCE(age, 0) AS age_filled,
       sibsp <> 0 AS has_siblings,
       COALESCE(sex = 'male', FALSE) AS is_male,
       COALESCE(sex = 'female', FALSE) AS is_female,
       CONTAINS(name, 'Mr') AS is_mr,
       fare / (sibsp + 1) AS fare_per_person,
       LN(1 + fare) AS log_fare,
       CASE WHEN age < 0 THEN 0 WHEN age > 80 THEN 80 ELSE age END AS age_clipped,
       CASE sex WHEN 'male' THEN 0 WHEN 'female' THEN 1 END AS sex_ordinal,
       age < 18 AS is_child
FROM read_parquet($path)
"""


def arrow_of(relation: Any) -> pa.Table:
    method = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    return method()  # type: ignore[no-any-return]


def hand_pandas(path: str) -> pd.DataFrame:
    """The same features written in idiomatic pandas, over the Parquet file."""
    return pandas_features(pd.read_parquet(path))


def assert_same_values(generated: pa.Table, hand: pa.Table) -> None:
    """featsql's SQL and the hand SQL agree on every row: same NULLs, same values (floats to 1e-12)."""
    assert generated.column_names == hand.column_names, (generated.column_names, hand.column_names)
    assert generated.num_rows == hand.num_rows
    for name in generated.column_names:
        a, b = generated[name], hand[name]
        if a.type != b.type:
            b = b.cast(a.type)
        if not pc.all(pc.equal(pc.is_null(a), pc.is_null(b))).as_py():
            raise AssertionError(f"{name}: NULLs differ between the generated and the hand-written SQL")
        if pa.types.is_floating(a.type):
            close = pc.less_equal(pc.abs(pc.subtract(a, b)), pc.multiply(pc.add(pc.abs(a), 1.0), 1e-12))
            ok = pc.all(close).as_py()
        else:
            ok = pc.all(pc.equal(a, b)).as_py()
        if ok is False:
            raise AssertionError(f"{name}: values differ between the generated and the hand-written SQL")


def run_aligned(path: str, reps: int) -> dict[str, Any] | None:
    python = HERE / ".venv-aligned" / "bin" / "python"
    if not python.exists():
        print("  (Aligned skipped: run `bash benchmarks/setup_aligned.sh` first)")
        return None
    out = subprocess.run([str(python), str(HERE / "aligned_compute.py"), path, str(reps)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def cpu_seconds() -> float:
    """CPU time of this process, all threads (DuckDB's and Polars' workers included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one call. CPU time is steadier on a shared machine."""
    gc.collect()
    cpu, start = cpu_seconds(), time.perf_counter()
    fn()
    return time.perf_counter() - start, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9, help="interleaved repetitions per case (default 9)")
    parser.add_argument("--no-aligned", action="store_true", help="skip the Aligned subprocess")
    args = parser.parse_args()

    path = str(ensure_data(ROWS))
    store = FeatureStore.from_definitions([define_view(FileSource.parquet_at(path))])
    people = store.feature_view(VIEW_NAME)
    generated_sql = people.all().sql()
    con = duckdb.connect()
    params = {"path": path}

    def hand() -> Any:
        return con.sql(HAND_SQL, params=params)

    def generated() -> Any:
        return con.sql(generated_sql)

    # Same values before any timing.
    assert_same_values(arrow_of(generated()), arrow_of(hand()))
    frame = people.all().to_pandas_sync()
    assert list(frame.columns) == INPUTS + FEATURES, list(frame.columns)
    assert frame.shape == (ROWS, len(INPUTS + FEATURES)), frame.shape

    cases: dict[str, Callable[[], object]] = {
        "featsql_pandas": lambda: people.all().to_pandas_sync(),
        "featsql_polars": lambda: people.all().to_polars_sync(),
        "featsql_arrow": lambda: people.all().to_arrow_sync(),
        "gen_sql_arrow": lambda: arrow_of(generated()),
        "hand_sql_arrow": lambda: arrow_of(hand()),
        "hand_sql_pandas": lambda: arrow_of(hand()).to_pandas(),
        "hand_sql_df": lambda: hand().df(),
        "hand_sql_polars": lambda: pl.from_arrow(arrow_of(hand())),
        "hand_sql_pl": lambda: hand().pl(),
        "hand_pandas": lambda: hand_pandas(path),
    }
    for fn in cases.values():  # warm-up: file cache, connections, schema probe
        fn()
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    names, shuffler = list(cases), random.Random(7)
    for _ in range(args.reps):  # a new order each round: no case always follows the same one
        shuffler.shuffle(names)  # (a case run after a memory-hungry one pays for fresh pages)
        for name in names:
            samples[name].append(timed(cases[name]))
    # The SQL comparison alone, in more (cheaper) interleaved pairs: the two queries differ by a few %.
    for _ in range(3 * args.reps):
        for name in ("gen_sql_arrow", "hand_sql_arrow"):
            samples[name].append(timed(cases[name]))
    med = {name: statistics.median(w for w, _ in values) for name, values in samples.items()}
    med_cpu = {name: statistics.median(c for _, c in values) for name, values in samples.items()}

    aligned = None if args.no_aligned else run_aligned(path, args.reps)

    best_hand_pandas = min(med["hand_sql_pandas"], med["hand_sql_df"])
    best_hand_polars = min(med["hand_sql_polars"], med["hand_sql_pl"])
    print(f"featsql {featsql.__version__}, duckdb {duckdb.__version__}, pandas {pd.__version__}, "
          f"polars {pl.__version__}, pyarrow {pa.__version__}")
    print(f"data: {path} ({ROWS:,} rows x {len(INPUTS)} columns); "
          f"output {ROWS:,} rows x {len(INPUTS + FEATURES)} columns")
    print("generated SQL == hand-written SQL on every row and column: checked")
    print()
    print(f"Medians of {args.reps} interleaved runs: wall seconds (process CPU seconds)")
    labels = {
        "featsql_pandas": "featsql -> pandas",
        "featsql_polars": "featsql -> polars",
        "featsql_arrow": "featsql -> arrow",
        "gen_sql_arrow": "generated SQL text -> arrow (same connection as hand SQL) *",
        "hand_sql_arrow": "hand SQL -> arrow *",
        "hand_sql_pandas": "hand SQL -> arrow -> pandas",
        "hand_sql_df": "hand SQL -> DuckDB .df()",
        "hand_sql_polars": "hand SQL -> arrow -> polars",
        "hand_sql_pl": "hand SQL -> DuckDB .pl()",
        "hand_pandas": "hand-written pandas (read_parquet + columns)",
    }
    rows = [(label, med[key], med_cpu[key]) for key, label in labels.items()]
    if aligned is not None:
        name = f"Aligned {aligned['version']} (polars {aligned['polars']})"
        rows += [(f"{name} -> pandas", aligned["pandas"], aligned["pandas_cpu"]),
                 (f"{name} -> polars", aligned["polars_s"], aligned["polars_cpu"])]
    for label, seconds, cpu in rows:
        print(f"  {label:<60} {seconds:7.3f}  ({cpu:6.3f})")
    print(f"  * {4 * args.reps} runs each (interleaved pairs)")
    print()
    print("Ratios (same run)")
    sql_ratio = med["gen_sql_arrow"] / med["hand_sql_arrow"]
    pandas_ratio = med["featsql_pandas"] / best_hand_pandas
    polars_ratio = med["featsql_polars"] / best_hand_polars
    print(f"  generated SQL / hand SQL (both -> arrow)        {sql_ratio:5.2f}x   goal <= 1.1x  "
          f"{verdict(sql_ratio <= 1.1)}")
    print(f"  featsql -> pandas / best hand SQL -> pandas     {pandas_ratio:5.2f}x   goal <= 1.1x  "
          f"{verdict(pandas_ratio <= 1.1)}")
    print(f"  featsql -> polars / best hand SQL -> polars     {polars_ratio:5.2f}x   goal <= 1.1x  "
          f"{verdict(polars_ratio <= 1.1)}")
    hand_pandas_ratio = med["hand_pandas"] / med["featsql_pandas"]
    print(f"  hand pandas / featsql -> pandas                 {hand_pandas_ratio:5.2f}x")
    cpu_sql = med_cpu["gen_sql_arrow"] / med_cpu["hand_sql_arrow"]
    print(f"  same, in CPU time: generated / hand SQL         {cpu_sql:5.2f}x")
    if aligned is not None:
        speedup = aligned["pandas"] / med["featsql_pandas"]
        print(f"  Aligned -> pandas / featsql -> pandas           {speedup:5.2f}x   goal >= 1.5x  "
              f"{verdict(speedup >= 1.5)}")
        polars_speedup = aligned["polars_s"] / med["featsql_polars"]
        print(f"  Aligned -> polars / featsql -> polars           {polars_speedup:5.2f}x")
        cpu_speedup = aligned["pandas_cpu"] / med_cpu["featsql_pandas"]
        print(f"  same, in CPU time: Aligned / featsql -> pandas  {cpu_speedup:5.2f}x")
    store.close()


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    main()
