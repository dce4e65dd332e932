"""The synchronous read path: results are handed over untouched, and unchanged SQL is not recompiled."""

from __future__ import annotations

import pandas as pd

import featsql.compiler
from featsql import Entity, FeatureStore, FeatureView, FeatureViewMetadata, Float, InMemorySource, Int64
from featsql._sync import run_sync


class Loud:
    """A result whose repr is counted (a 1M-row DataFrame's repr costs as much as fetching it)."""

    reprs = 0

    def __repr__(self) -> str:
        Loud.reprs += 1
        return "Loud()"


async def make_loud() -> Loud:
    return Loud()


def test_run_sync_never_formats_the_result() -> None:
    # asyncio.run on Python 3.11 formats repr(main task), result included, when it restores SIGINT
    Loud.reprs = 0
    result = run_sync(make_loud())
    assert isinstance(result, Loud)
    assert Loud.reprs == 0


def test_run_sync_propagates_errors() -> None:
    async def fail() -> None:
        raise ValueError("boom")

    try:
        run_sync(fail())
    except ValueError as error:
        assert str(error) == "boom"
    else:
        raise AssertionError("the error was swallowed")


class Small(FeatureView):
    metadata = FeatureViewMetadata(
        name="small",
        batch_source=InMemorySource.from_pandas(pd.DataFrame({"id": [1, 2], "x": [1.5, None]}), name="small"),
    )
    id = Entity(dtype=Int64())
    x = Float()
    doubled = x.fill_na(0.0) * 2.0


def test_repeated_sql_is_served_from_the_store_cache(monkeypatch) -> None:
    store = FeatureStore.from_definitions([Small])
    first = store.feature_view("small").sql()
    calls = []
    original = featsql.compiler.compile_select
    monkeypatch.setattr(
        featsql.compiler, "compile_select", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    assert store.feature_view("small").sql() == first
    assert store.feature_view("small").all().sql() == first
    assert calls == []
    # a different read is a different key: compiled, and still right
    limited = store.feature_view("small").all(limit=1).sql()
    assert calls == [1] and limited != first
    assert store.feature_view("small").all(limit=1).to_pandas_sync()["doubled"].tolist() == [3.0]
    store.close()


def test_sync_reads_block_on_the_calling_thread_async_reads_leave_the_loop_free() -> None:
    import asyncio
    import threading

    store = FeatureStore.from_definitions([Small])
    engine = store.engine_for(store.view_ir("small").source)
    threads: list[int] = []
    original = engine.fetch_arrow_sync
    engine.fetch_arrow_sync = lambda *args: threads.append(threading.get_ident()) or original(*args)  # type: ignore[method-assign]
    assert store.feature_view("small").all().to_arrow_sync().num_rows == 2
    assert threads == [threading.get_ident()]  # the caller waits anyway: no thread hop

    async def read() -> int:
        return (await store.feature_view("small").all().to_arrow()).num_rows

    assert asyncio.run(read()) == 2
    assert len(threads) == 2 and threads[1] != threading.get_ident()  # off the event loop's thread
    store.close()
