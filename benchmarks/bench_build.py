"""Benchmark: `featsql build` of one table view (20 derived columns, 1,000,000 rows, DuckDB) against
`dbt run` of the exported model (dbt-core + dbt-duckdb in benchmarks/.venv-dbt) and a bare Python
process running the same CREATE TABLE AS through duckdb. End to end, as processes, same run,
rounds interleaved; every run writes a fresh database file.

    python benchmarks/bench_build.py [--rows 1000000] [--rounds 5]

dbt is skipped (with a note) when benchmarks/.venv-dbt is missing: `bash benchmarks/setup_dbt.sh`.

featsql runs through the `featsql` script next to this interpreter (the bare process runs this
interpreter directly too; a pyenv shim on PATH would add ~50 ms of bash + `pyenv exec` to featsql
alone). "featsql build" is the usual case, an unchanged definition (the build memo is warm after
the first run); "featsql build, no memo" sets FEATSQL_BUILD_CACHE=0 and compiles every time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"

DEFS = """
from featsql import (
    Entity,
    FeatureView,
    FeatureViewMetadata,
    FileSource,
    Float,
    Int32,
    Int64,
    String,
    Timestamp,
)
from featsql.build import Table

source = FileSource.parquet_at({parquet!r})


class Orders(FeatureView):
    metadata = FeatureViewMetadata(name="order_features", batch_source=source, materialization=Table())
    id = Entity(dtype=Int64())
    user_id = Int32()
    amount = Float()
    qty = Int32()
    price = Float()
    category = String()
    name = String()
    ts = Timestamp()
    amount_filled = amount.fill_na(0)
    total = qty * price
    discount = amount_filled - total
    amount_per_item = amount_filled / qty
    is_big = amount_filled > 500
    is_small = amount_filled < 10
    qty_clipped = qty.clip(0, 10)
    price_log = price.log1p()
    price_rounded = price.round()
    is_books = category == "books"
    is_toys = category == "toys"
    name_has_pro = name.contains("pro")
    name_upper = name.upper()
    name_length = name.length()
    hour = ts.hour()
    day_of_week = ts.day_of_week()
    month = ts.month()
    big_books = is_big & is_books
    user_bucket = user_id % 100
    amount_sq = amount_filled * amount_filled
"""

BARE = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); con.execute(sys.argv[2]); con.close()"


def make_data(rows: int) -> Path:
    import duckdb

    DATA.mkdir(exist_ok=True)
    path = DATA / f"build_orders_{rows}.parquet"
    if not path.exists():
        con = duckdb.connect()
        con.execute("SELECT setseed(0.42)")
        con.execute(f"""
            COPY (
              SELECT range AS id, CAST(random() * 10000 AS INTEGER) AS user_id,
                     CASE WHEN random() < 0.05 THEN NULL ELSE random() * 1000 END AS amount,
                     CAST(random() * 12 AS INTEGER) AS qty, random() * 100 AS price,
                     (['books', 'toys', 'food', 'tools'])[1 + CAST(floor(random() * 4) AS INTEGER)]
                       AS category,
                     'item ' || CAST(range % 977 AS VARCHAR)
                       || CASE WHEN range % 3 = 0 THEN ' pro' ELSE '' END AS name,
                     TIMESTAMP '2024-01-01' + to_seconds(CAST(random() * 31536000 AS BIGINT)) AS ts
              FROM range({rows})
            ) TO '{path}' (FORMAT parquet)""")
        con.close()
    return path


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(
            f"{command[0]} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
    return seconds


def featsql_command() -> list[str]:
    beside = Path(sys.executable).parent / "featsql"
    script = str(beside) if beside.is_file() else shutil.which("featsql")
    return (
        [script]
        if script
        else [sys.executable, "-c", "import sys; from featsql.cli import main; sys.exit(main())"]
    )


def bare_sql(work: Path) -> str:
    """The CREATE TABLE AS featsql runs (same compiled SELECT, compiled against the source's schema)."""
    import asyncio

    sys.path.insert(0, str(work))
    import defs  # type: ignore[import-not-found]

    from featsql.build.compile import compile_view
    from featsql.build.render import renderer
    from featsql.build.targets import Target
    from featsql.build.warehouse import DuckDBWarehouse

    wh = DuckDBWarehouse(":memory:")
    view = defs.Orders.ir()
    cv = asyncio.run(compile_view(view, Target.duckdb(":memory:"), renderer("duckdb"), wh))
    return cv.create_statement(cv.relation)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    parquet = make_data(args.rows)
    dbt = HERE / ".venv-dbt" / "bin" / "dbt"
    with tempfile.TemporaryDirectory(prefix="featsql-bench-build-") as tmp:
        work = Path(tmp)
        (work / "defs.py").write_text(DEFS.format(parquet=str(parquet)))
        (work / "featsql_targets.toml").write_text(
            '[targets.bench]\ndialect = "duckdb"\npath = "featsql.duckdb"\n'
        )
        sql = bare_sql(work)
        env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
        if dbt.is_file():
            subprocess.run(
                [*featsql_command(), "export", "dbt", "defs.py", "--out", "dbt_pkg"],
                cwd=work,
                check=True,
                capture_output=True,
            )
            (work / "profiles.yml").write_text(
                "featsql:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                f'      path: "{work / "dbt.duckdb"}"\n      threads: 1\n'
            )
        memo_dir = work / "featsql-cache"
        env_memo = {**os.environ, "FEATSQL_CACHE_DIR": str(memo_dir)}
        env_memo.pop("FEATSQL_BUILD_CACHE", None)
        env_no_memo = {**env_memo, "FEATSQL_BUILD_CACHE": "0"}
        featsql_build = [*featsql_command(), "build", "defs.py", "--target", "bench"]
        subprocess.run(featsql_build, cwd=work, check=True, capture_output=True, env=env_memo)  # warm
        runs: dict[str, list[float]] = {
            "bare python + duckdb CTAS": [],
            "featsql build": [],
            "featsql build, no memo": [],
            "dbt run": [],
        }
        for _ in range(args.rounds):
            for name in runs:
                for leftover in ("featsql.duckdb", "bare.duckdb", "dbt.duckdb"):
                    for suffix in ("", ".wal"):
                        (work / (leftover + suffix)).unlink(missing_ok=True)
                if name == "featsql build":
                    runs[name].append(timed(featsql_build, work, env_memo))
                elif name == "featsql build, no memo":
                    runs[name].append(timed(featsql_build, work, env_no_memo))
                elif name == "dbt run":
                    if dbt.is_file():
                        runs[name].append(
                            timed(
                                [str(dbt), "run", "--project-dir", "dbt_pkg", "--profiles-dir", "."],
                                work,
                                env,
                            )
                        )
                else:
                    runs[name].append(
                        timed([sys.executable, "-c", BARE, str(work / "bare.duckdb"), sql], work)
                    )
    bare_times = runs["bare python + duckdb CTAS"]
    bare = statistics.median(bare_times)
    print(
        f"featsql build vs dbt run vs bare CTAS: {args.rows:,} rows, 20+ derived columns, "
        f"{args.rounds} rounds (medians)"
    )
    for name, times in runs.items():
        if not times:
            print(f"  {name:28s} skipped (no benchmarks/.venv-dbt; run benchmarks/setup_dbt.sh)")
            continue
        median = statistics.median(times)
        spread = f"{min(times):.2f}-{max(times):.2f}"
        per_round = sorted(t / b for t, b in zip(times, bare_times))
        print(
            f"  {name:28s} {median:6.2f} s  (range {spread})  {median / bare:5.2f}x bare"
            f"  (fastest/fastest {min(times) / min(bare_times):.2f}x;"
            f" per round: median {statistics.median(per_round):.2f}x)"
        )


if __name__ == "__main__":
    main()
