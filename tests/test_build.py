"""featsql build on a DuckDB file and on the real PostgreSQL: tables, views, plans, atomic swaps,
failures that leave the old version in place, and incremental windows with late data."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

import pytest

from featsql import Entity, EventTimestamp, FeatureView, FeatureViewMetadata, Float, Int64
from featsql.build import Builder, Incremental, Table, View
from featsql.build.planner import EXIT_BREAKING, EXIT_CHANGES, EXIT_NO_CHANGES
from featsql.sources import BatchSource
from tests.build_helpers import PG_ENV, Backend, DuckDBBackend, PostgresBackend, events_sql

DAY = dt.timedelta(days=1)
D1 = dt.datetime(2024, 3, 1)


@pytest.fixture(params=["duckdb", "postgres"])
def backend(
    request: pytest.FixtureRequest, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Backend]:
    if request.param == "duckdb":
        b: Backend = DuckDBBackend(tmp_path)
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        monkeypatch.setenv(PG_ENV, dsn)
        b = PostgresBackend(dsn)
    b.execute(f"CREATE TABLE {b.rel('raw_people')} (person_id BIGINT, age DOUBLE PRECISION)")
    b.execute(f"INSERT INTO {b.rel('raw_people')} VALUES (1, 30.0), (2, NULL), (3, 12.5)")
    b.execute(f"CREATE TABLE {b.rel('raw_events')} (user_id BIGINT, ts TIMESTAMP, amount DOUBLE PRECISION)")
    try:
        yield b
    finally:
        b.close()


def people(src: BatchSource, materialization: Any, variant: str = "base", name: str = "people") -> Any:
    class People(FeatureView):
        metadata = FeatureViewMetadata(
            name=name, description="People, one row each", batch_source=src, materialization=materialization
        )
        person_id = Entity(dtype=Int64())
        age = Float().fill_na(0).description("Age in years").lower_bound(0)
        if variant == "changed":
            is_adult = age >= 21
        else:
            is_adult = age >= 18
        if variant == "added":
            age_months = age * 12

    return People.ir()


def spend(src: BatchSource, lookback: int = 1) -> Any:
    class Spend(FeatureView):
        metadata = FeatureViewMetadata(
            name="spend", batch_source=src, materialization=Incremental(window=DAY, lookback=lookback)
        )
        user_id = Entity(dtype=Int64())
        ts = EventTimestamp()
        amount = Float()
        big = amount > 100

    return Spend.ir()


def build(b: Backend, views: list[Any], **options: Any) -> Any:
    return Builder(views, b.target(), validation=options.pop("validation", "block")).build_sync(**options)


def test_build_then_unchanged_is_a_no_op(backend: Backend) -> None:
    b = backend
    views = [people(b.source("raw_people"), Table()), people(b.source("raw_people"), View(), name="people_v")]
    first = build(b, views)
    assert first.ok and [r.status for r in first.results] == ["OK", "OK"]
    assert sorted(b.rows(f"SELECT person_id, age, is_adult FROM {b.rel('people')}")) == [
        (1, 30.0, True),
        (2, 0.0, False),
        (3, 12.5, False),
    ]
    assert b.rows(f"SELECT COUNT(*) FROM {b.rel('people_v')}") == [(3,)]
    built_at = b.rows(
        f"SELECT view_name, built_at, row_count FROM {b.rel('featsql_state')} ORDER BY view_name"
    )
    assert [(r[0], r[2]) for r in built_at] == [("people", 3), ("people_v", None)]

    plan = Builder(views, b.target()).plan_sync()
    assert [v.label for v in plan.views] == ["unchanged", "unchanged"] and plan.exit_code == EXIT_NO_CHANGES
    again = build(b, views)
    assert [r.status for r in again.results] == ["SKIP", "SKIP"]
    assert all(not r.statements for r in again.results)
    assert (
        b.rows(f"SELECT view_name, built_at, row_count FROM {b.rel('featsql_state')} ORDER BY view_name")
        == built_at
    )


def test_changed_feature_is_planned_then_swapped(backend: Backend) -> None:
    b = backend
    src = b.source("raw_people")
    assert build(b, [people(src, Table())]).ok

    added = Builder([people(src, Table(), "added")], b.target()).plan_sync()
    assert added.views[0].label == "added columns only" and added.exit_code == EXIT_CHANGES

    plan = Builder([people(src, Table(), "changed")], b.target()).plan_sync()
    (vp,) = plan.views
    assert vp.label == "breaking" and "changed is_adult" in vp.reason and plan.exit_code == EXIT_BREAKING
    assert vp.action == "rebuild"
    diff = vp.diff()
    assert "-" in diff and any(line.startswith("+") and ">= 21" in line for line in diff.splitlines())
    assert any(line.startswith("-") and ">= 18" in line for line in diff.splitlines())
    # the plan wrote nothing
    assert sorted(b.rows(f"SELECT person_id, is_adult FROM {b.rel('people')}")) == [
        (1, True),
        (2, False),
        (3, False),
    ]

    result = build(b, [people(src, Table(), "changed")])
    assert result.ok and result.results[0].action == "rebuild"
    b.execute(f"INSERT INTO {b.rel('raw_people')} VALUES (4, 19.0)")
    assert build(b, [people(src, Table(), "changed")]).results[0].status == "SKIP"
    assert sorted(b.rows(f"SELECT person_id, is_adult FROM {b.rel('people')}")) == [
        (1, True),
        (2, False),
        (3, False),
    ]
    refreshed = build(b, [people(src, Table(), "changed")], full_refresh=True)
    assert refreshed.results[0].rows == 4
    assert (4, False) in b.rows(f"SELECT person_id, is_adult FROM {b.rel('people')}")


def test_description_change_is_metadata_only(backend: Backend) -> None:
    b = backend
    src = b.source("raw_people")
    assert build(b, [people(src, Table())]).ok
    view = people(src, Table())
    renamed = type(view)(
        view.name, view.source, view.features, "People, described anew", view.tags, view.materialization
    )
    plan = Builder([renamed], b.target()).plan_sync()
    assert plan.views[0].label == "metadata only" and plan.views[0].action == "metadata"
    assert "People, described anew" in plan.views[0].diff()
    assert build(b, [renamed]).ok
    assert Builder([renamed], b.target()).plan_sync().views[0].label == "unchanged"


@pytest.mark.parametrize("failing", ["RENAME", "INSERT INTO"])
def test_failing_statement_midway_leaves_the_old_table(
    backend: Backend, failing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = backend
    src = b.source("raw_people")
    assert build(b, [people(src, Table())]).ok
    state_before = b.rows(f"SELECT fingerprint, built_at FROM {b.rel('featsql_state')}")

    from featsql.build import runner

    original = runner._Executor.execute

    async def failing_execute(self: Any, sql: str) -> None:
        if sql.startswith(("ALTER TABLE", "INSERT INTO")) and failing in sql:
            raise RuntimeError(f"simulated failure in: {sql.split(chr(10))[0]}")
        await original(self, sql)

    monkeypatch.setattr(runner._Executor, "execute", failing_execute)
    result = build(b, [people(src, Table(), "changed")])
    assert not result.ok and result.exit_code == 1
    assert "simulated failure" in result.results[0].message
    assert sorted(b.rows(f"SELECT person_id, is_adult FROM {b.rel('people')}")) == [
        (1, True),
        (2, False),
        (3, False),
    ]
    assert b.rows(f"SELECT fingerprint, built_at FROM {b.rel('featsql_state')}") == state_before
    tables = [
        r[0]
        for r in b.rows(f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{b.schema}'")
    ]
    assert not [t for t in tables if t.startswith("featsql_tmp_")]


def test_failing_validation_blocks_the_swap(backend: Backend) -> None:
    b = backend
    src = b.source("raw_people")
    assert build(b, [people(src, Table())]).ok
    b.execute(f"INSERT INTO {b.rel('raw_people')} VALUES (9, -5.0)")
    blocked = build(b, [people(src, Table(), "changed")])
    assert not blocked.ok and "validation failed" in blocked.results[0].message
    assert "age lower_bound(0): 1 of 4 rows" in blocked.results[0].message
    assert b.rows(f"SELECT COUNT(*) FROM {b.rel('people')}") == [(3,)]
    warned = build(b, [people(src, Table(), "changed")], validation="warn")
    assert warned.ok and b.rows(f"SELECT COUNT(*) FROM {b.rel('people')}") == [(4,)]


def _expected_spend(b: Backend) -> list[tuple[Any, ...]]:
    return sorted(b.rows(f"SELECT user_id, ts, amount, amount > 100 FROM {b.rel('raw_events')}"))


def _spend(b: Backend) -> list[tuple[Any, ...]]:
    return sorted(b.rows(f"SELECT user_id, ts, amount, big FROM {b.rel('spend')}"))


def _windows(b: Backend) -> list[tuple[Any, ...]]:
    return b.rows(
        f"SELECT window_start, window_end, row_count FROM {b.rel('featsql_state_windows')} "
        "WHERE view_name = 'spend' ORDER BY window_start"
    )


def test_incremental_adds_windows_and_rebuilds_late_ones(backend: Backend) -> None:
    b = backend
    view = spend(b.source("raw_events"), lookback=1)
    b.execute(
        events_sql(
            b,
            "raw_events",
            [
                (1, D1 + dt.timedelta(hours=1), 50.0),
                (2, D1 + dt.timedelta(hours=5), 150.0),
                (1, D1 + DAY, 10.0),
            ],
        )
    )
    first = build(b, [view])
    assert first.ok and first.results[0].action == "create"
    assert _spend(b) == _expected_spend(b)
    assert _windows(b) == [(D1, D1 + DAY, 2), (D1 + DAY, D1 + 2 * DAY, 1)]

    # a new day arrives, plus a late row for the previous day (within the lookback)
    b.execute(
        events_sql(
            b,
            "raw_events",
            [
                (3, D1 + 2 * DAY + dt.timedelta(hours=3), 500.0),
                (2, D1 + DAY + dt.timedelta(hours=23, minutes=59), 101.0),
            ],
        )
    )
    plan = Builder([view], b.target()).plan_sync()
    assert plan.views[0].label == "unchanged" and plan.views[0].action == "windows"
    assert [w.start for w in plan.views[0].windows] == [D1 + DAY, D1 + 2 * DAY]
    second = build(b, [view])
    assert second.ok and second.results[0].rows == 3
    assert _spend(b) == _expected_spend(b)  # nothing lost, nothing duplicated
    assert _windows(b) == [(D1, D1 + DAY, 2), (D1 + DAY, D1 + 2 * DAY, 2), (D1 + 2 * DAY, D1 + 3 * DAY, 1)]

    # a row later than the lookback is only picked up by an explicit window range
    b.execute(events_sql(b, "raw_events", [(4, D1 + dt.timedelta(hours=7), 7.0)]))
    assert build(b, [view]).ok
    assert len(_spend(b)) == len(_expected_spend(b)) - 1
    ranged = build(b, [view], start=D1, end=D1 + dt.timedelta(hours=1))
    assert ranged.ok and ranged.results[0].rows == 3
    assert _spend(b) == _expected_spend(b)
    assert _windows(b)[0] == (D1, D1 + DAY, 3)
    state_rows = b.rows(f"SELECT row_count FROM {b.rel('featsql_state')} WHERE view_name = 'spend'")
    assert state_rows == [(len(_expected_spend(b)),)]


def test_dry_run_writes_nothing(backend: Backend) -> None:
    b = backend
    result = build(b, [people(b.source("raw_people"), Table())], dry_run=True)
    assert result.ok and result.dry_run
    statements = result.results[0].statements
    assert any(s.startswith("CREATE TABLE") for s in statements) and any("RENAME TO" in s for s in statements)
    tables = [
        r[0]
        for r in b.rows(f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{b.schema}'")
    ]
    assert sorted(tables) == ["raw_events", "raw_people"]


def test_foreign_relation_is_not_overwritten(backend: Backend) -> None:
    b = backend
    b.execute(f"CREATE TABLE {b.rel('people')} (x INTEGER)")
    result = build(b, [people(b.source("raw_people"), Table())])
    assert not result.ok and "featsql did not build it" in result.results[0].message
    assert build(b, [people(b.source("raw_people"), Table())], full_refresh=True).ok


def test_store_build_and_plan_from_python(backend: Backend) -> None:
    from featsql import FeatureStore

    b = backend
    store = FeatureStore([people(b.source("raw_people"), Table())])
    assert store.plan_sync(b.target()).views[0].label == "new"
    result = store.build_sync(b.target(), select=["peo*"])
    assert result.ok and result.results[0].rows == 3
    assert store.plan_sync(b.target()).exit_code == 0
