"""Compile benchmark: defining a 50-feature view and compiling it to SQL, against plain sqlglot and Ibis.

Run from the repository root:  python benchmarks/bench_compile.py  [--reps N] [--no-ibis]
(Ibis runs in benchmarks/.venv-ibis, created by benchmarks/setup_ibis.sh, as a subprocess.)

Every builder produces the same SELECT (21 source columns + 50 derived columns over READ_PARQUET);
the plain-sqlglot builders are checked to print byte-identical SQL to featsql's before timing.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import compile_spec as spec  # noqa: E402
import sqlglot  # noqa: E402
from sqlglot import exp  # noqa: E402

import featsql  # noqa: E402
from featsql import (  # noqa: E402
    Bool,
    Entity,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    FileSource,
    Float,
    Int64,
    String,
    if_else,
)
from featsql import compiler as featsql_compiler  # noqa: E402

SCHEMA = dict(spec.INPUTS)  # the source's real column types: equal to the declared ones, so no casts
_DTYPE_CLASSES = {"int64": Int64, "float64": Float, "string": String, "bool": Bool}


# --- (a) featsql: define the FeatureView class and compile it ------------------------------------
def define_view(n_derived: int, path: str = spec.PARQUET_PATH) -> type[FeatureView]:
    """A FeatureView class with the 21 inputs and ``n_derived`` derived features (as a class body would)."""
    ns: dict[str, object] = {
        "metadata": FeatureViewMetadata(name="wide", batch_source=FileSource.parquet_at(path)),
    }
    for name, dtype in spec.INPUTS:
        feature = _DTYPE_CLASSES[dtype]()
        ns[name] = Entity(dtype=feature) if name == "id" else feature
    for name, kind, args in spec.derived(n_derived):
        if kind == "arith":
            ns[name] = (ns[args[0]] + ns[args[1]]) * 2.0  # type: ignore[operator]
        elif kind == "fill_na":
            ns[name] = ns[args[0]].fill_na(0.0)  # type: ignore[attr-defined]
        elif kind == "if_else":
            ns[name] = if_else(ns[args[0]] > 1.0, ns[args[1]], 0.0)  # type: ignore[operator]
        elif kind == "contains":
            ns[name] = ns[args[0]].contains(args[1])  # type: ignore[attr-defined]
        elif kind == "ge":
            ns[name] = ns[args[0]] >= ns[args[1]]  # type: ignore[operator]
        elif kind == "ne":
            ns[name] = ns[args[0]] != args[1]
    return type("Wide", (FeatureView,), ns)  # type: ignore[return-value]


def featsql_define_and_compile(n_derived: int) -> str:
    featsql_compiler._CACHE.clear()
    view = define_view(n_derived).ir()
    return featsql_compiler.compile_sql(view, "duckdb", schema=SCHEMA)


# --- (b) plain sqlglot, copy=False ----------------------------------------------------------------
def _q(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def _num(value: float | int) -> exp.Literal:
    return exp.Literal.number(repr(value))


def _dbl(value: float) -> exp.Expression:
    """A float literal as featsql types it: ``CAST(2.0 AS DOUBLE)`` (a bare 2.0 is a DECIMAL)."""
    return exp.cast(_num(value), "DOUBLE", copy=False)


def _dbl_copy(value: float) -> exp.Expression:
    return exp.cast(_num(value), "DOUBLE")


def _dbl_direct(value: float) -> exp.Expression:
    return exp.Cast(this=_num(value), to=exp.DataType(this=exp.DataType.Type.DOUBLE))


def sqlglot_nocopy(n_derived: int) -> str:
    """The same SELECT built with sqlglot's builders, copy=False wherever a builder takes it."""
    items: list[exp.Expression] = [
        exp.alias_(_q(name), name, quoted=True, copy=False) for name, _ in spec.INPUTS
    ]
    for name, kind, args in spec.derived(n_derived):
        if kind == "arith":
            node: exp.Expression = exp.Mul(
                this=exp.paren(exp.Add(this=_q(args[0]), expression=_q(args[1])), copy=False),
                expression=_dbl(2.0),
            )
        elif kind == "fill_na":
            node = exp.Coalesce(this=_q(args[0]), expressions=[_dbl(0.0)])
        elif kind == "if_else":
            node = (
                exp.case()
                .when(exp.GT(this=_q(args[0]), expression=_dbl(1.0)), _q(args[1]), copy=False)
                .else_(_dbl(0.0), copy=False)
            )
        elif kind == "contains":
            node = exp.Contains(this=_q(args[0]), expression=exp.Literal.string(args[1]))
        elif kind == "ge":
            node = exp.GTE(this=_q(args[0]), expression=_q(args[1]))
        else:
            node = exp.NEQ(this=_q(args[0]), expression=_num(args[1]))
        items.append(exp.alias_(node, name, quoted=True, copy=False))
    source = exp.ReadParquet(expressions=[exp.Literal.string(spec.PARQUET_PATH)])
    select = exp.select(*items, copy=False).from_(source, copy=False)
    return select.sql(dialect="duckdb", identify=True)


# --- (b') plain sqlglot, nodes constructed directly (the floor for building a tree) -----------------
def _ident(name: str) -> exp.Identifier:
    return exp.Identifier(this=name, quoted=True)


def _col(name: str) -> exp.Column:
    return exp.Column(this=_ident(name))


def sqlglot_direct(n_derived: int, print_copy: bool = True) -> str:
    """The same SELECT with every node built by its constructor (no builder helpers at all).

    ``print_copy=False`` also skips the deep copy ``.sql()`` makes by default (featsql prints its
    own single-use trees that way): the floor for building and printing this tree with sqlglot.
    """
    items: list[exp.Expression] = [exp.Alias(this=_col(name), alias=_ident(name)) for name, _ in spec.INPUTS]
    for name, kind, args in spec.derived(n_derived):
        if kind == "arith":
            node: exp.Expression = exp.Mul(
                this=exp.Paren(this=exp.Add(this=_col(args[0]), expression=_col(args[1]))),
                expression=_dbl_direct(2.0),
            )
        elif kind == "fill_na":
            node = exp.Coalesce(this=_col(args[0]), expressions=[_dbl_direct(0.0)])
        elif kind == "if_else":
            node = exp.Case(
                ifs=[
                    exp.If(
                        this=exp.GT(this=_col(args[0]), expression=_dbl_direct(1.0)), true=_col(args[1])
                    )
                ],
                default=_dbl_direct(0.0),
            )
        elif kind == "contains":
            node = exp.Contains(this=_col(args[0]), expression=exp.Literal.string(args[1]))
        elif kind == "ge":
            node = exp.GTE(this=_col(args[0]), expression=_col(args[1]))
        else:
            node = exp.NEQ(this=_col(args[0]), expression=_num(args[1]))
        items.append(exp.Alias(this=node, alias=_ident(name)))
    source = exp.ReadParquet(expressions=[exp.Literal.string(spec.PARQUET_PATH)])
    select = exp.Select(expressions=items, **{"from_": exp.From(this=source)})
    return select.sql(dialect="duckdb", identify=True, copy=print_copy)


# --- (c) plain sqlglot with its default (copying) helpers ------------------------------------------
def sqlglot_copy(n_derived: int) -> str:
    """The same SELECT with sqlglot's everyday helpers and operators, which copy their inputs."""
    items: list[exp.Expression] = [exp.alias_(_q(name), name, quoted=True) for name, _ in spec.INPUTS]
    for name, kind, args in spec.derived(n_derived):
        if kind == "arith":
            node: exp.Expression = (_q(args[0]) + _q(args[1])) * _dbl_copy(2.0)
        elif kind == "fill_na":
            node = exp.func("COALESCE", _q(args[0]), _dbl_copy(0.0))
        elif kind == "if_else":
            node = exp.case().when(_q(args[0]) > _dbl_copy(1.0), _q(args[1])).else_(_dbl_copy(0.0))
        elif kind == "contains":
            node = exp.func("CONTAINS", _q(args[0]), exp.Literal.string(args[1]), dialect="duckdb")
        elif kind == "ge":
            node = _q(args[0]) >= _q(args[1])
        else:
            node = _q(args[0]).neq(_num(args[1]))
        items.append(exp.alias_(node, name, quoted=True))
    source = exp.func("READ_PARQUET", exp.Literal.string(spec.PARQUET_PATH), dialect="duckdb")
    return exp.select(*items).from_(source).sql(dialect="duckdb", identify=True)


# --- timing helpers --------------------------------------------------------------------------------
def timed(fn: Callable[[], object]) -> float:
    """Seconds for one call, with the garbage collector off during the call (as timeit does)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        gc.enable()


def interleaved(cases: dict[str, Callable[[], object]], reps: int, warmup: int = 5) -> dict[str, list[float]]:
    """Run every case once per round, ``reps`` rounds, so drift on a shared machine hits all alike."""
    for _ in range(warmup):
        for fn in cases.values():
            fn()
    out: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(reps):
        for name, fn in cases.items():
            out[name].append(timed(fn))
    return out


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.3f} ms"


def import_times(module: str, runs: int) -> list[float]:
    """Seconds to import ``module`` in a fresh interpreter (measured inside it, startup excluded)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return [float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                 text=True).stdout) for _ in range(runs)]


def run_ibis(n_derived: int, reps: int) -> dict[str, float] | None:
    python = HERE / ".venv-ibis" / "bin" / "python"
    if not python.exists():
        print("  (Ibis skipped: run `bash benchmarks/setup_ibis.sh` first)")
        return None
    out = subprocess.run([str(python), str(HERE / "ibis_compile.py"), str(n_derived), str(reps)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200, help="repetitions per case (default 200)")
    parser.add_argument("--no-ibis", action="store_true", help="skip the Ibis subprocess")
    args = parser.parse_args()
    n = 50

    # Same SELECT everywhere: check the text before timing anything.
    reference = featsql_define_and_compile(n)
    for name, fn in (("sqlglot copy=False", sqlglot_nocopy), ("sqlglot direct", sqlglot_direct),
                     ("sqlglot floor", lambda k: sqlglot_direct(k, print_copy=False)),
                     ("sqlglot copying", sqlglot_copy)):
        got = fn(n)
        if got != reference:
            raise SystemExit(f"{name} prints different SQL from featsql:\n{got}\n---\n{reference}")
    sqlglot.parse_one(reference, read="duckdb")
    print(f"featsql {featsql.__version__}, sqlglot {sqlglot.__version__}, python {sys.version.split()[0]}")
    print(
        f"SELECT: {len(spec.INPUTS)} source columns + {n} derived columns, "
        f"{len(reference)} characters of SQL"
    )

    samples = interleaved({
        "featsql": lambda: featsql_define_and_compile(n),
        "sqlglot_nocopy": lambda: sqlglot_nocopy(n),
        "sqlglot_direct": lambda: sqlglot_direct(n),
        "sqlglot_floor": lambda: sqlglot_direct(n, print_copy=False),
        "sqlglot_copy": lambda: sqlglot_copy(n),
    }, args.reps)
    med = {name: statistics.median(values) for name, values in samples.items()}

    # Parts of featsql's figure: the class definition alone, and the compile of a defined view.
    view = define_view(n).ir()

    def compile_only() -> str:
        featsql_compiler._CACHE.clear()
        return featsql_compiler.compile_sql(view, "duckdb", schema=SCHEMA)

    parts = interleaved({"define": lambda: define_view(n), "compile": compile_only}, args.reps)
    med_parts = {name: statistics.median(values) for name, values in parts.items()}

    # (e) cached recompile of unchanged definitions
    featsql_compiler.compile_sql(view, "duckdb", schema=SCHEMA)
    cached = []
    for _ in range(max(args.reps, 1000)):
        start = time.perf_counter()
        featsql_compiler.compile_sql(view, "duckdb", schema=SCHEMA)
        cached.append(time.perf_counter() - start)
    med_cached = statistics.median(cached)

    # (e') the same through the store: store.feature_view(name).sql() on an existing (empty) file
    import pyarrow as pa
    import pyarrow.parquet as pq

    empty = HERE / "data" / "wide_empty.parquet"
    empty.parent.mkdir(exist_ok=True)
    arrow_types = {"int64": pa.int64(), "float64": pa.float64(), "string": pa.string(), "bool": pa.bool_()}
    pq.write_table(pa.schema([(c, arrow_types[t]) for c, t in spec.INPUTS]).empty_table(), empty)
    store = FeatureStore.from_definitions([define_view(n, str(empty))])
    store.feature_view("wide").sql()
    store_cached = []
    for _ in range(max(args.reps, 1000)):
        start = time.perf_counter()
        store.feature_view("wide").sql()
        store_cached.append(time.perf_counter() - start)
    med_store_cached = statistics.median(store_cached)
    store.close()

    # (f) 1,000 features: define + compile
    big = [timed(lambda: featsql_define_and_compile(1000)) for _ in range(max(5, args.reps // 20))]
    med_big = statistics.median(big)

    ibis = None if args.no_ibis else run_ibis(n, max(20, args.reps // 4))

    # (g) imports in fresh processes
    imports = {m: statistics.median(import_times(m, 7)) for m in ("featsql", "sqlglot", "duckdb")}

    print()
    print(f"Compile a {n}-feature view (medians of {args.reps} interleaved runs)")
    print(f"  (a) featsql: define class + compile (no cache)   {ms(med['featsql'])}")
    print(f"        of which: define the class               {ms(med_parts['define'])}")
    print(f"                  compile a defined view         {ms(med_parts['compile'])}")
    print(f"  (b) plain sqlglot, copy=False builders + .sql   {ms(med['sqlglot_nocopy'])}")
    print(f"      plain sqlglot, constructors only + .sql     {ms(med['sqlglot_direct'])}")
    print(f"      same, printed with .sql(copy=False) (floor) {ms(med['sqlglot_floor'])}")
    print(f"  (c) plain sqlglot, default copying helpers      {ms(med['sqlglot_copy'])}")
    if ibis is not None:
        print(f"  (d) Ibis {ibis['version']}: build expression + to_sql     {ms(ibis['build_and_sql'])}"
              f"   (to_sql only {ms(ibis['to_sql_only']).strip()}, {ibis['reps']} runs)")
    print(f"  (e) cached recompile                            {cached_us(med_cached)}")
    print(f"      same via store.feature_view(name).sql()     {cached_us(med_store_cached)}")
    print(f"  (f) 1,000 features: define + compile            {ms(med_big)}  ({len(big)} runs)")
    for module, seconds in imports.items():
        print(f"  (g) import {module:<8} (fresh process, median of 7) {seconds * 1e3:8.1f} ms")
    print()
    ratio = med["featsql"] / med["sqlglot_nocopy"]
    print("Ratios (same run)")
    print(f"  featsql / sqlglot copy=False      {ratio:5.2f}x   goal <= 1.5x   {verdict(ratio <= 1.5)}")
    print(f"  featsql / sqlglot constructors    {med['featsql'] / med['sqlglot_direct']:5.2f}x")
    print(f"  featsql / floor (no print copy)   {med['featsql'] / med['sqlglot_floor']:5.2f}x")
    print(f"  sqlglot copying / featsql         {med['sqlglot_copy'] / med['featsql']:5.2f}x")
    if ibis is not None:
        print(f"  Ibis / featsql                    {ibis['build_and_sql'] / med['featsql']:5.2f}x")
    print(f"  cached recompile                  {cached_us(med_cached)}   goal < 100 us   "
          f"{verdict(med_cached < 1e-4)}")
    print(f"  cached, via the store             {cached_us(med_store_cached)}   goal < 100 us   "
          f"{verdict(med_store_cached < 1e-4)}")
    print(f"  1,000 features                    {ms(med_big)}   goal well under 1 s   "
          f"{verdict(med_big < 0.5)}")
    print(f"  import featsql                    {imports['featsql'] * 1e3:6.1f} ms   goal < 300 ms   "
          f"{verdict(imports['featsql'] < 0.3)}")


def cached_us(seconds: float) -> str:
    return f"{seconds * 1e6:8.2f} us"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    main()
