"""Nested operations keep their meaning: an operator under another operator is parenthesised.

Each operation is a template in the dialect tables (``mul = "_0 * _1"``); putting ``a + b`` into
``_0`` must give ``("a" + "b") * 2.0``, not ``"a" + "b" * 2.0``. Checked on the SQL text and on
DuckDB's results against Python.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from featsql import Entity, FeatureStore, FeatureView, FeatureViewMetadata, Float, InMemorySource, Int64

ROWS = pd.DataFrame(
    {
        "id": [1, 2, 3, 4],
        "a": [1.0, 2.0, -3.0, 0.5],
        "b": [4.0, 0.5, 2.0, 3.0],
        "c": [7.0, 1.0, 0.25, 2.0],
        "i": [1, 2, 3, 7],
        "j": [4, 5, 6, 2],
    }
)


class Nested(FeatureView):
    metadata = FeatureViewMetadata(
        name="nested", batch_source=InMemorySource.from_pandas(ROWS, name="nested")
    )
    id = Entity(dtype=Int64())
    a = Float()
    b = Float()
    c = Float()
    i = Int64()
    j = Int64()
    sum_times = (a + b) * 2.0
    times_sum = 2.0 * (a + b)
    sub_of_sub = a - (b - c)
    sub_then_sub = (a - b) - c
    div_of_div = a / (b / c)
    neg_sum = -(a + b)
    int_mod_sum = (i + j) % 4
    cmp_eq_cmp = (a > b) == (b > c)
    not_and = ~((a > 0.0) & (b > 1.0))
    or_and = (a > 0.0) | ((b > 1.0) & (c > 0.5))
    and_or = ((a > 0.0) | (b > 1.0)) & (c > 0.5)
    cmp_in = (a > b).is_in([True])
    sum_in = (i + j).is_in([5, 9])


EXPECTED = {
    "sum_times": lambda r: (r.a + r.b) * 2.0,
    "times_sum": lambda r: 2.0 * (r.a + r.b),
    "sub_of_sub": lambda r: r.a - (r.b - r.c),
    "sub_then_sub": lambda r: (r.a - r.b) - r.c,
    "div_of_div": lambda r: r.a / (r.b / r.c),
    "neg_sum": lambda r: -(r.a + r.b),
    "int_mod_sum": lambda r: (r.i + r.j) % 4,
    "cmp_eq_cmp": lambda r: (r.a > r.b) == (r.b > r.c),
    "not_and": lambda r: not (r.a > 0.0 and r.b > 1.0),
    "or_and": lambda r: r.a > 0.0 or (r.b > 1.0 and r.c > 0.5),
    "and_or": lambda r: (r.a > 0.0 or r.b > 1.0) and r.c > 0.5,
    "cmp_in": lambda r: (r.a > r.b) in (True,),
    "sum_in": lambda r: (r.i + r.j) in (5, 9),
}


@pytest.fixture(scope="module")
def result() -> pd.DataFrame:
    store = FeatureStore.from_definitions([Nested])
    try:
        return store.feature_view("nested").all().to_pandas_sync()
    finally:
        store.close()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nested_operation_matches_python(result: pd.DataFrame, name: str) -> None:
    for row, got in zip(ROWS.itertuples(), result[name]):
        want = EXPECTED[name](row)
        if isinstance(want, bool):
            assert bool(got) is want, (name, row)
        else:
            assert math.isclose(float(got), float(want), rel_tol=1e-12), (name, row, got, want)


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "redshift"])
def test_operator_arguments_are_parenthesised(dialect: str) -> None:
    sql = FeatureStore.from_definitions([Nested]).feature_view("nested").sql(dialect=dialect)
    sql = re.sub(r'CAST\(("\w+") AS [A-Z ]+\)', r"\1", sql)  # without a schema, inputs are cast
    assert '("a" + "b") * ' in sql
    assert ' * ("a" + "b")' in sql
    assert '"a" - ("b" - "c")' in sql
    assert '-("a" + "b")' in sql
    assert 'NOT (' in sql
    assert '"a" > "b") IN (' in sql
