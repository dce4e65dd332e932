"""The Ibis side of bench_compile.py; runs inside benchmarks/.venv-ibis and prints JSON timings.

Usage (bench_compile.py calls it):  benchmarks/.venv-ibis/bin/python benchmarks/ibis_compile.py N REPS
Builds the same 21-column table and N derived columns (see compile_spec.py) as an Ibis expression
and compiles it to DuckDB SQL with ``ibis.to_sql``.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compile_spec as spec  # noqa: E402
import ibis  # noqa: E402

_IBIS_TYPES = {"int64": "int64", "float64": "float64", "string": "string", "bool": "boolean"}


def build(n_derived: int) -> ibis.Table:
    t = ibis.table({name: _IBIS_TYPES[dtype] for name, dtype in spec.INPUTS}, name="wide")
    cols = [t[name].name(name) for name, _ in spec.INPUTS]
    for name, kind, args in spec.derived(n_derived):
        if kind == "arith":
            expr = (t[args[0]] + t[args[1]]) * 2.0
        elif kind == "fill_na":
            expr = t[args[0]].fill_null(0.0)
        elif kind == "if_else":
            expr = ibis.ifelse(t[args[0]] > 1.0, t[args[1]], 0.0)
        elif kind == "contains":
            expr = t[args[0]].contains(args[1])
        elif kind == "ge":
            expr = t[args[0]] >= t[args[1]]
        else:
            expr = t[args[0]] != args[1]
        cols.append(expr.name(name))
    return t.select(cols)


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        gc.enable()


def main() -> None:
    n, reps = int(sys.argv[1]), int(sys.argv[2])
    for _ in range(3):
        ibis.to_sql(build(n), dialect="duckdb")
    build_and_sql = [timed(lambda: ibis.to_sql(build(n), dialect="duckdb")) for _ in range(reps)]
    expr = build(n)
    to_sql_only = [timed(lambda: ibis.to_sql(expr, dialect="duckdb")) for _ in range(reps)]
    print(json.dumps({
        "version": ibis.__version__,
        "reps": reps,
        "build_and_sql": statistics.median(build_and_sql),
        "to_sql_only": statistics.median(to_sql_only),
        "sql_chars": len(ibis.to_sql(expr, dialect="duckdb")),
    }))


if __name__ == "__main__":
    main()
