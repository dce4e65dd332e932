"""`dbt build` (dbt-core + dbt-duckdb, in their own venv) on the exported package: models, contract
and data tests pass on good data; a broken row makes them fail.

dbt comes from $FEATSQL_DBT (the dbt executable) or benchmarks/.venv-dbt (made by
benchmarks/setup_dbt.sh; .ci/run makes it). Skipped when absent, failed when FEATSQL_REQUIRE_DBT=1.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT
from tests.test_dbt_export import people_view

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dbt() -> str:
    path = os.environ.get("FEATSQL_DBT") or str(ROOT / "benchmarks" / ".venv-dbt" / "bin" / "dbt")
    if Path(path).is_file():
        return path
    if os.environ.get("FEATSQL_REQUIRE_DBT") == "1":
        pytest.fail(f"FEATSQL_REQUIRE_DBT=1 but there is no dbt at {path}")
    pytest.skip(f"dbt is not installed ({path}); run `bash benchmarks/setup_dbt.sh` or set FEATSQL_DBT")


def run_dbt(dbt: str, project: Path, profiles: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    return subprocess.run(
        [dbt, "build", "--project-dir", str(project), "--profiles-dir", str(profiles), "--no-use-colors"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=project,
    )


def test_dbt_build_passes_then_fails_on_a_broken_row(dbt: str, tmp_path: Path) -> None:
    from featsql.export_dbt import export_dbt

    db = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE raw_people AS SELECT * FROM (VALUES "
        "(1, 'Ann {{', 30.5, 'Paris', 'ab'), (2, 'Bob', NULL, 'O''Brien {{x}}', 'abc'), "
        "(3, 'Cy', 150.0, NULL, NULL)) t(person_id, name, age, city, code)"
    )
    con.close()
    project = tmp_path / "pkg"
    export_dbt([people_view(str(db))], project)
    (tmp_path / "profiles.yml").write_text(
        "featsql:\n  target: dev\n  outputs:\n    dev:\n"
        f'      type: duckdb\n      path: "{db}"\n      threads: 1\n'
    )
    ok = run_dbt(dbt, project, tmp_path)
    assert ok.returncode == 0, ok.stdout[-3000:]
    assert "PASS=6 WARN=0 ERROR=0" in ok.stdout  # the model and its 5 data tests
    con = duckdb.connect(str(db))
    rows = con.execute("SELECT person_id, age, city, has_brace FROM main.people ORDER BY 1").fetchall()
    assert rows == [(1, 30.5, "Paris", True), (2, 0.0, "O'Brien {{x}}", False), (3, 150.0, None, False)]
    con.execute("INSERT INTO raw_people VALUES (4, 'Dee', -1.0, 'Rome', 'abcd')")
    con.close()
    broken = run_dbt(dbt, project, tmp_path)
    assert broken.returncode != 0
    for test in ("featsql_range_people", "featsql_check_people__city", "featsql_check_people__code"):
        assert any(test in line and "FAIL 1" in line for line in broken.stdout.splitlines()), broken.stdout[
            -3000:
        ]
