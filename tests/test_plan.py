"""Planning and compiling: dependency pulling, column order, determinism, deep chains, the cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from sqlglot import exp

from featsql import (
    Entity,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    FileSource,
    Float,
    InMemorySource,
    Int32,
    Int64,
    String,
    UnknownNameError,
    ir,
)
from featsql.compiler import compile_sql
from featsql.compiler.plan import make_plan, outputs_for

ROOT = Path(__file__).resolve().parent.parent
TITANIC_CSV = ROOT / "examples" / "data" / "titanic.csv"
DIALECTS = ["duckdb", "postgres", "redshift"]


def titanic_view() -> type[FeatureView]:
    """A fresh class each call (same definitions, new objects)."""

    class Titanic(FeatureView):
        metadata = FeatureViewMetadata(
            name="titanic",
            batch_source=FileSource.csv_at(
                TITANIC_CSV,
                mapping_keys={"PassengerId": "passenger_id", "Name": "name", "Sex": "sex", "Age": "age",
                              "Fare": "fare", "SibSp": "sibsp", "Parch": "parch"},
            ),
        )
        passenger_id = Entity(dtype=Int32())
        name = String()
        sex = String()
        age = Float().fill_na(0)
        fare = Float()
        sibsp = Int32()
        parch = Int32()
        fare_pp = fare / (sibsp + 1)
        is_mr = name.contains("Mr.")
        family = sibsp + parch
        pricey = fare_pp > 50
        pricey_family = pricey & (family > 2)
        is_male, is_female = sex.one_hot_encode(["male", "female"])

    return Titanic


def source_columns_read(sql: str, dialect: str = "duckdb") -> set[str]:
    """Names of the file's columns the SQL reads (columns referenced inside the innermost FROM)."""
    tree = sqlglot.parse_one(sql, read=dialect)
    innermost = [s for s in tree.find_all(exp.Select) if not isinstance(s.args["from_"].this, exp.Subquery)
                 and not _reads_cte(s, tree)]
    assert len(innermost) == 1, sql
    return {c.name for c in innermost[0].find_all(exp.Column)}


def _reads_cte(select: exp.Select, tree: exp.Expression) -> bool:
    ctes = {cte.alias for cte in tree.find_all(exp.CTE)}
    source = select.args["from_"].this
    return isinstance(source, exp.Table) and source.name in ctes


def output_columns(sql: str, dialect: str = "duckdb") -> list[str]:
    return [e.alias_or_name for e in sqlglot.parse_one(sql, read=dialect).expressions]


# -- dependency pulling -------------------------------------------------------------------------
def test_a_derived_feature_selected_alone_reads_exactly_its_source_columns() -> None:
    view = titanic_view().ir()
    plan = make_plan(view, outputs_for(view, ["fare_pp"]))
    assert plan.outputs == ("passenger_id", "fare_pp")
    assert set(plan.source_columns) == {"passenger_id", "fare", "sibsp"}
    for dialect in DIALECTS:
        sql = compile_sql(view, dialect, select=["fare_pp"])
        assert source_columns_read(sql, dialect) == {"PassengerId", "Fare", "SibSp"}
        assert output_columns(sql, dialect) == ["passenger_id", "fare_pp"]


def test_the_sql_that_runs_reads_only_those_columns_and_computes_the_right_values() -> None:
    store = FeatureStore.from_definitions([titanic_view()])
    job = store.feature_view("titanic").select(["fare_pp"]).all()
    sql = job.sql()
    assert source_columns_read(sql) == {"PassengerId", "Fare", "SibSp"}
    df = job.to_pandas_sync()
    assert list(df.columns) == ["passenger_id", "fare_pp"]
    import pandas as pd

    raw = pd.read_csv(TITANIC_CSV)
    expected = raw["Fare"] / (raw["SibSp"] + 1)
    assert df["passenger_id"].tolist() == raw["PassengerId"].tolist()
    assert df["fare_pp"].tolist() == pytest.approx(expected.tolist())


def test_a_chain_pulls_its_whole_closure_and_nothing_else() -> None:
    view = titanic_view().ir()
    plan = make_plan(view, outputs_for(view, ["pricey_family"]))
    assert set(plan.source_columns) == {"passenger_id", "fare", "sibsp", "parch"}
    computed = {name for layer in plan.layers for name in layer}
    assert computed == {"passenger_id", "fare_pp", "family", "pricey", "pricey_family"}
    sql = compile_sql(view, "duckdb", select=["pricey_family"])
    assert source_columns_read(sql) == {"PassengerId", "Fare", "SibSp", "Parch"}
    for unrelated in ("Name", "Sex", "Age", "is_mr", "is_male"):
        assert f'"{unrelated}"' not in sql


def test_a_feature_used_only_inside_a_layer_is_not_carried_further() -> None:
    view = titanic_view().ir()
    plan = make_plan(view, outputs_for(view, ["pricey_family"]))
    # fare_pp is needed to compute pricey (layer 1) but not by the final layer
    assert "fare_pp" not in plan.carried[-1]
    assert plan.layers[-1] == ("pricey_family",)


# -- output order -------------------------------------------------------------------------------
def test_output_columns_come_in_declaration_order_whatever_the_selection_order() -> None:
    view = titanic_view().ir()
    sql = compile_sql(view, "duckdb", select=["is_female", "fare_pp", "name", "pricey_family"])
    assert output_columns(sql) == ["passenger_id", "name", "fare_pp", "pricey_family", "is_female"]
    everything = compile_sql(view, "duckdb")
    assert output_columns(everything) == [f.name for f in view.features]


def test_selected_output_order_holds_in_the_dataframe() -> None:
    store = FeatureStore.from_definitions([titanic_view()])
    df = store.feature_view("titanic").select(["is_male", "age"]).all(limit=3).to_pandas_sync()
    assert list(df.columns) == ["passenger_id", "age", "is_male"]


# -- determinism --------------------------------------------------------------------------------
@pytest.mark.parametrize("dialect", DIALECTS)
def test_identical_definitions_give_identical_sql(dialect: str) -> None:
    first, second = titanic_view().ir(), titanic_view().ir()
    assert first is not second and first == second
    for select in (None, ["pricey_family"], ["is_mr", "fare_pp"]):
        a = compile_sql(first, dialect, select=select, pretty=True)
        b = compile_sql(second, dialect, select=select, pretty=True)
        assert a == b


PRINT_SQL = """
import sys
sys.path.insert(0, {tests!r})
from test_plan import titanic_view
from featsql.compiler import compile_sql
view = titanic_view().ir()
for d in ("duckdb", "postgres", "redshift"):
    print(compile_sql(view, d, select=["pricey_family", "is_male"]))
    print(compile_sql(view, d))
"""


def test_sql_does_not_depend_on_hash_seeds() -> None:
    code = PRINT_SQL.format(tests=str(ROOT / "tests"))
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                              cwd=ROOT, check=True, timeout=120)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count("SELECT") >= 6


# -- deep chains --------------------------------------------------------------------------------
def chain_view(depth: int) -> type[FeatureView]:
    """f0 = x; f(k+1) uses f(k) three times: f(k+1) = f(k) * 0.5 + f(k) * 0.25 + f(k) / 4 + 1."""
    body: dict[str, Any] = {
        "metadata": FeatureViewMetadata(
            name="chain",
            batch_source=InMemorySource.from_pandas(
                __import__("pandas").DataFrame({"k": [1, 2, 3, 4], "f0": [0.0, 1.5, -2.0, None]})
            ),
        ),
        "k": Entity(dtype=Int64()),
        "f0": Float(),
    }
    previous = body["f0"]
    for i in range(1, depth + 1):
        previous = previous * 0.5 + previous * 0.25 + previous / 4 + 1
        body[f"f{i}"] = previous
    return type("Chain", (FeatureView,), body)


def python_chain(x: float | None, depth: int) -> float | None:
    if x is None:
        return None
    for _ in range(depth):
        x = x * 0.5 + x * 0.25 + x / 4 + 1
    return x


def chain_sql_lengths(dialect: str, select_last: bool) -> list[int]:
    out = []
    for n in (20, 40, 60):
        view = chain_view(n).ir()
        out.append(len(compile_sql(view, dialect, select=[f"f{n}"] if select_last else None)))
    return out


def assert_linear(lengths: list[int]) -> None:
    step1, step2 = lengths[1] - lengths[0], lengths[2] - lengths[1]
    # each 20 more features add the same amount of SQL (give or take the growing layer numbers)
    assert abs(step2 - step1) <= 0.05 * step1, lengths
    # and a small amount per feature: earlier features are referenced, never re-inlined
    assert step1 / 20 < 400, lengths


@pytest.mark.parametrize("dialect", DIALECTS)
def test_deep_chain_sql_grows_linearly(dialect: str) -> None:
    assert_linear(chain_sql_lengths(dialect, select_last=True))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_deep_chain_sql_with_every_feature_as_output_grows_linearly(dialect: str) -> None:
    assert_linear(chain_sql_lengths(dialect, select_last=False))


def test_deep_chain_sql_stays_far_from_exponential_even_with_every_output() -> None:
    lengths = chain_sql_lengths("duckdb", select_last=False)
    # 3 uses per level would give 3**60 copies if inlined; the pass-through lists are quadratic at most
    assert lengths[2] < 6 * lengths[0], lengths


def test_deep_chain_selected_at_the_end_computes_the_right_values_on_duckdb() -> None:
    depth = 60
    view_class = chain_view(depth)
    store = FeatureStore.from_definitions([view_class])
    whole = store.feature_view("chain").all().to_pandas_sync()
    assert list(whole.columns) == ["k", *(f"f{i}" for i in range(depth + 1))]
    last = store.feature_view("chain").select([f"f{depth}"]).all().to_pandas_sync()
    assert list(last.columns) == ["k", f"f{depth}"]
    xs = [0.0, 1.5, -2.0, None]
    for frame in (whole, last):
        got = frame[f"f{depth}"].tolist()
        for value, x in zip(got, xs):
            expected = python_chain(x, depth)
            if expected is None:
                assert value != value or value is None  # NaN from pandas for a NULL
            else:
                assert value == pytest.approx(expected, rel=1e-12)
                assert value == pytest.approx(x + depth)  # the recurrence adds 1 per level
    middle = whole["f30"].tolist()
    assert middle[:3] == pytest.approx([30.0, 31.5, 28.0])


def test_deep_chain_layers_are_one_per_depth() -> None:
    view = chain_view(60).ir()
    plan = make_plan(view, outputs_for(view, None))
    assert len(plan.layers) == 60  # f0 and f1 are computed from the source in layer 0
    sql = compile_sql(view, "duckdb")
    assert sql.count("chain__layer") >= 59


# -- unknown names and the cache ----------------------------------------------------------------
def test_unknown_feature_in_select_lists_the_views_features() -> None:
    store = FeatureStore.from_definitions([titanic_view()])
    with pytest.raises(UnknownNameError) as info:
        store.feature_view("titanic").select(["fare_pp", "fare_per_person"])
    message = str(info.value)
    assert message.startswith("View 'titanic' has no feature 'fare_per_person'; it has: passenger_id, name,")
    assert "fare_pp" in message and "pricey_family" in message
    with pytest.raises(UnknownNameError, match="View 'titanic' has no feature 'x', 'y'"):
        compile_sql(titanic_view().ir(), "duckdb", select=["x", "y"])


def test_a_cached_recompile_returns_the_same_string() -> None:
    view = titanic_view().ir()
    first = compile_sql(view, "postgres", select=["fare_pp"])
    again = compile_sql(view, "postgres", select=["fare_pp"])
    assert again is first
    # a different request is not served from the same entry
    assert compile_sql(view, "postgres", select=["is_mr"]) != first
    assert compile_sql(view, "redshift", select=["fare_pp"]) != first


def test_the_cache_never_serves_a_changed_view() -> None:
    view = titanic_view().ir()
    before = compile_sql(view, "duckdb")
    changed = ir.View(view.name, view.source, view.features[:-1], view.description, view.tags)
    after = compile_sql(changed, "duckdb")
    assert after != before and '"is_female"' not in after
