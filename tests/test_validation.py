"""Validation in SQL on DuckDB and PostgreSQL: crafted bad rows for every constraint kind, NULLs,
bounds (a value equal to the bound passes), one scan per view, drop_invalid, schema errors."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from validation_data import (
    EXPECTED,
    VALID_IDS,
    checked_view,
    drop_schema,
    duckdb_database,
    postgres_table,
    schema_name,
)

from featsql import DuckDBConfig, FeatureStore, PostgreSQLConfig, SchemaMismatchError
from featsql.store import FeatureViewStore

ENV = "FEATSQL_TEST_VALIDATION_DSN"


class QueryCounter:
    """Counts the queries a store's engine receives (schema probes are counted apart)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, engine: Any) -> None:
        self.queries: list[str] = []
        self.probes = 0
        fetch, probe = engine.fetch_arrow, engine.relation_schema

        async def counted_fetch(sql: str, temp_tables: Any = None) -> Any:
            self.queries.append(sql)
            return await fetch(sql, temp_tables)

        async def counted_probe(sql: str) -> Any:
            self.probes += 1
            return await probe(sql)

        monkeypatch.setattr(engine, "fetch_arrow", counted_fetch)
        monkeypatch.setattr(engine, "relation_schema", counted_probe)


@pytest.fixture(params=["duckdb", "postgres"])
def checked(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FeatureViewStore]:
    if request.param == "duckdb":
        path = str(tmp_path / "checked.duckdb")
        duckdb_database(path)
        source = DuckDBConfig(path).table("checked")
        schema = None
    else:
        from conftest import postgres_dsn_or_skip

        dsn = postgres_dsn_or_skip()
        schema = schema_name()
        asyncio.run(postgres_table(dsn, schema))
        monkeypatch.setenv(ENV, dsn)
        source = PostgreSQLConfig(ENV).table(f"{schema}.checked")
    store = FeatureStore.from_definitions([checked_view(source)])
    try:
        yield store.feature_view("checked")
    finally:
        store.close()
        if schema is not None:
            asyncio.run(drop_schema(dsn, schema))


def test_every_constraint_kind_counts_the_crafted_bad_rows(checked: FeatureViewStore) -> None:
    report = checked.validate_sync()
    found = {(r.feature, r.constraint): r for r in report.results}
    assert set(found) == set(EXPECTED)
    for key, ids in EXPECTED.items():
        result = found[key]
        assert result.rows_checked == 5, key
        assert result.rows_violating == len(ids), key
        assert {int(k) for k in result.example_keys} == ids, key
    assert not report.ok
    assert report.rows == 5


def test_validation_is_one_query(checked: FeatureViewStore, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = checked.store.engine_for(checked.view.source)
    counter = QueryCounter(monkeypatch, engine)
    checked.validate_sync()
    assert len(counter.queries) == 1  # every constraint, uniqueness included, in one aggregate query
    assert counter.probes <= 1  # the LIMIT 0 schema probe, read once
    assert "featsql_violations_9" in counter.queries[0]


def test_drop_invalid_keeps_rows_where_every_row_constraint_holds(checked: FeatureViewStore) -> None:
    everything = checked.all().to_pandas_sync()
    valid = checked.all().drop_invalid().to_pandas_sync()
    assert len(everything) == 5
    # rows 2, 3, 4 break a row constraint; uniqueness is validate()'s business, not a row filter
    assert set(valid["id"]) == VALID_IDS
    assert "WHERE" in checked.all().drop_invalid().sql()


def test_drop_invalid_on_a_selection_checks_only_the_selected_features(checked: FeatureViewStore) -> None:
    only_lo = checked.select(["lo"]).all().drop_invalid().to_pandas_sync()
    assert set(only_lo["id"]) == {1, 2, 4, 5}  # only row 3 has lo < 0; NULL passes


def test_drop_invalid_on_features_for_drops_violating_entity_rows(checked: FeatureViewStore) -> None:
    frame = checked.features_for({"id": [5, 3, 1]}).drop_invalid().to_pandas_sync()
    assert list(frame["id"]) == [5, 1]  # input order kept


def test_report_table_pandas_and_json(checked: FeatureViewStore) -> None:
    report = checked.validate_sync(examples=1)
    text = str(report)
    assert "Validation of view 'checked'" in text and "FAIL" in text and "required" in text
    assert report.summary() == "checked: 10 of 10 constraints failed over 5 rows"
    frame = report.to_pandas()
    assert list(frame.columns) == [
        "feature",
        "constraint",
        "kind",
        "rows_checked",
        "rows_violating",
        "ok",
        "example_keys",
    ]
    assert frame["rows_violating"].sum() == sum(len(v) for v in EXPECTED.values())
    assert all(len(keys) <= 1 for keys in frame["example_keys"])  # examples=1 limits the examples
    document = json.loads(report.to_json())
    assert document["view"] == "checked" and document["ok"] is False
    assert len(document["results"]) == len(EXPECTED)


def test_all_valid_rows_give_an_ok_report(checked: FeatureViewStore) -> None:
    store = checked.store
    view = checked.view
    from featsql import ir

    # the same source filtered to the valid rows through a view whose constraints hold everywhere
    kept = tuple(f for f in view.features if f.name != "uniq")
    loose = ir.View("loose", view.source, tuple(ir.Feature(f.name, f.dtype, f.expr, f.role) for f in kept))
    store.add_view(loose)
    report = store.feature_view("loose").validate_sync()
    assert report.ok and report.results == () and report.rows == 5


def test_schema_mismatch_names_view_column_and_types(checked: FeatureViewStore) -> None:
    from featsql import Bool, Entity, FeatureView, FeatureViewMetadata, Int64
    from featsql.sources import BatchSource

    source = BatchSource(checked.view.source)

    class Wrong(FeatureView):
        metadata = FeatureViewMetadata(name="wrong", batch_source=source)
        id = Entity(dtype=Int64())
        lo = Bool().is_required()

    class Missing(FeatureView):
        metadata = FeatureViewMetadata(name="missing", batch_source=source)
        id = Entity(dtype=Int64())
        nowhere = Bool().is_required()

    store = checked.store
    store.add_view(Wrong.ir())
    store.add_view(Missing.ir())
    engine = store.engine_for(checked.view.source)
    with pytest.raises(SchemaMismatchError) as wrong:
        store.feature_view("wrong").validate_sync()
    message = str(wrong.value)
    assert "'wrong'" in message and "'lo'" in message and "float64" in message and "bool" in message
    with pytest.raises(SchemaMismatchError) as missing:
        store.feature_view("missing").validate_sync()
    assert (
        "'missing'" in str(missing.value)
        and "'nowhere'" in str(missing.value)
        and "bool" in str(missing.value)
    )
    assert engine is store.engine_for(checked.view.source)


def test_redshift_validation_sql_avoids_filter_and_arrays() -> None:
    from featsql.sources import BatchSource, RedshiftSQLConfig
    from featsql.validation import validation_query, view_constraints

    view = checked_view(RedshiftSQLConfig("FEATSQL_UNUSED").table("public.checked")).ir()
    query = validation_query(view, "redshift", view_constraints(view), schema=None)
    sql = query.sql()
    assert "FILTER" not in sql.upper() and "ARRAY" not in sql.upper()
    assert "SUM(CASE WHEN" in sql and 'COUNT(*) OVER (PARTITION BY "uniq")' in sql
    import sqlglot

    sqlglot.parse_one(sql, read="redshift")
    assert isinstance(BatchSource(view.source), BatchSource)
