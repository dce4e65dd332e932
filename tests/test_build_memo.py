"""The build memo (featsql.build.memo): renderings without sqlglot equal sqlglot's, an unchanged
definition rebuilds in a fresh process without importing sqlglot or jinja2 (nor asyncio on DuckDB),
a changed definition or source is compiled again, and a broken or disabled memo only costs speed."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sqlglot import exp

from featsql.build import memo as memo_module
from featsql.build.memo import Memo, dialects_dir
from featsql.build.render import Renderer
from featsql.build.warehouse import run_blocking

DIALECTS = ["duckdb", "postgres", "redshift"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_unmemoised_literals_equal_sqlglot(dialect: str) -> None:
    r = Renderer(dialect)
    d = r.sqlglot_dialect
    for value in (
        dt.datetime(2024, 1, 2),
        dt.datetime(2024, 1, 2, 3, 4, 5, 678),
        dt.datetime(1999, 12, 31, 23, 59, 59, 999999),
    ):
        cast = exp.Cast(
            this=exp.Literal.string(value.isoformat(sep=" ")), to=r.table.data_type("timestamp").copy()
        )
        assert r.timestamp(value) == cast.sql(dialect=d)
    aware = dt.datetime(2024, 1, 2, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert r.timestamp(aware) == r.timestamp(dt.datetime(2024, 1, 2, 3))
    for number in (0, 7, 10**12):
        assert r.number(number) == exp.Literal.number(number).sql(dialect=d)
    assert r.number(86400.0) == exp.Literal.number(86400.0).sql(dialect=d)
    assert r.number(None) == "NULL"
    assert r.string("it's") == exp.Literal.string("it's").sql(dialect=d)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_late_fragments_render_like_the_template(dialect: str) -> None:
    r = Renderer(dialect)
    values = [r.string("v"), r.string("it's"), r.string("{{ not jinja }}")]
    for rows, when in ((3, dt.datetime(2024, 5, 1, 2)), (None, dt.datetime(2023, 1, 1, 0, 0, 0, 5))):
        late = {"row_count": r.number(rows), "built_at": r.timestamp(when)}
        expected = r.render_now("state_insert", state=r.relation("s", "featsql_state"), values=values, **late)
        for _ in range(2):  # a miss, then a hit
            got = r.render_late("state_insert", late, state=r.relation("s", "featsql_state"), values=values)
            assert got == expected
    with pytest.raises(ValueError, match="exactly once"):
        r.render_late("count_rows", {"row_count": "1"}, relation=r.relation("s", "t"))


def test_memo_computes_once_and_survives_a_reload(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    m = Memo(path, {})
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        return "SELECT 1"

    assert m.lookup(compute, "k", {"a": [1, None]}) == "SELECT 1"
    assert m.lookup(compute, "k", {"a": [1, None]}) == "SELECT 1"
    assert m.lookup(compute, "k", {"a": [2, None]}) == "SELECT 1"
    assert len(calls) == 2
    m.save()
    again = Memo(path, json.loads(path.read_text()))
    assert again.lookup(compute, "k", {"a": [1, None]}) == "SELECT 1" and len(calls) == 2


def test_a_large_memo_keeps_only_what_the_run_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo_module, "MAX_CHARS", 100)
    path = tmp_path / "memo.json"
    old = {f"old{i}": "x" * 50 for i in range(3)}
    m = Memo(path, dict(old))
    m.lookup(lambda: "SELECT 2", "new")
    m.save()
    assert list(json.loads(path.read_text()).values()) == ["SELECT 2"]


def test_memo_errors_are_not_memoised(tmp_path: Path) -> None:
    m = Memo(tmp_path / "memo.json", {})

    def fail() -> str:
        raise ValueError("bad definition")

    for _ in range(2):
        with pytest.raises(ValueError, match="bad definition"):
            m.lookup(fail, "k")
    assert m.entries == {} and not m.dirty


def test_memo_open_reads_broken_files_as_empty_and_can_be_disabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEATSQL_CACHE_DIR", str(tmp_path))
    opened = Memo.open()
    assert opened.path is not None and opened.path.parent == tmp_path
    opened.path.write_text("{not json")
    assert Memo.open().entries == {}
    monkeypatch.setenv("FEATSQL_BUILD_CACHE", "0")
    disabled = Memo.open()
    disabled.lookup(lambda: "x", "k")
    disabled.save()
    assert disabled.path is None and list(tmp_path.iterdir()) == [opened.path]


def test_code_key_changes_with_featsql_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = memo_module.code_key()
    real_dialects = dialects_dir()
    monkeypatch.setattr(memo_module, "dialects_dir", lambda: real_dialects)
    fake = tmp_path / "featsql"
    (fake / "sub").mkdir(parents=True)
    (fake / "sub" / "mod.py").write_text("x = 1\n")
    monkeypatch.setattr(memo_module, "featsql_dir", lambda: fake)
    key = memo_module.code_key()
    assert key != before
    (fake / "sub" / "mod.py").write_text("x = 22\n")
    assert memo_module.code_key() != key


def test_run_blocking_refuses_a_coroutine_that_suspends() -> None:
    async def blocking() -> int:
        return 3

    assert run_blocking(blocking()) == 3

    class Suspend:
        def __await__(self) -> Any:
            yield None

    async def suspends() -> None:
        await Suspend()

    with pytest.raises(RuntimeError, match="suspends"):
        run_blocking(suspends())


SCRIPT = textwrap.dedent(
    """
    import json, sys
    import duckdb
    from featsql import Entity, FeatureView, FeatureViewMetadata, Float, Int64, DuckDBConfig
    from featsql.build import Builder, Table, Target

    path, variant, out = sys.argv[1], sys.argv[2], sys.argv[3]

    class People(FeatureView):
        metadata = FeatureViewMetadata(
            name="people", batch_source=DuckDBConfig(path).table("main.raw_people"), materialization=Table()
        )
        person_id = Entity(dtype=Int64())
        age = Float().fill_na(0)
        if variant == "changed":
            is_adult = age >= 21
        else:
            is_adult = age >= 18

    result = Builder([People.ir()], Target.duckdb(path)).build_sync(full_refresh=True)
    loaded = [m for m in ("sqlglot", "jinja2", "asyncio") if m in sys.modules]
    con = duckdb.connect(path)
    rows = sorted(con.execute("SELECT person_id, is_adult FROM main.people").fetchall())
    state = con.execute("SELECT row_count FROM main.featsql_state").fetchall()
    con.close()
    with open(out, "w") as f:
        json.dump({"ok": result.ok, "loaded": loaded, "rows": rows, "state": state}, f)
    """
)


def _build_in_process(tmp_path: Path, variant: str) -> dict[str, Any]:
    out = tmp_path / "out.json"
    env = {**os.environ, "FEATSQL_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("FEATSQL_BUILD_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "w.duckdb"), variant, str(out)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def test_unchanged_definition_rebuilds_without_sqlglot(tmp_path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("CREATE TABLE raw_people (person_id BIGINT, age DOUBLE)")
    con.execute("INSERT INTO raw_people VALUES (1, 30.0), (2, NULL), (3, 19.5)")
    con.close()

    first = _build_in_process(tmp_path, "base")
    assert first["ok"] and "sqlglot" in first["loaded"] and "asyncio" not in first["loaded"]
    _build_in_process(tmp_path, "base")  # renders the statements of a rebuild over a built view
    second = _build_in_process(tmp_path, "base")
    assert second["ok"] and second["loaded"] == []
    assert second["rows"] == first["rows"] == [[1, True], [2, False], [3, True]]
    assert second["state"] == [[3]]

    changed = _build_in_process(tmp_path, "changed")  # a new definition is compiled again
    assert changed["ok"] and "sqlglot" in changed["loaded"]
    assert changed["rows"] == [[1, True], [2, False], [3, False]]

    con = duckdb.connect(str(tmp_path / "w.duckdb"))  # the source's columns change type: recompiled
    con.execute("ALTER TABLE raw_people ALTER age TYPE INTEGER")
    con.close()
    retyped = _build_in_process(tmp_path, "changed")
    assert retyped["ok"] and "sqlglot" in retyped["loaded"]
    assert retyped["rows"] == [[1, True], [2, False], [3, False]]
