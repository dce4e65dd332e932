"""`featsql build` and `featsql plan` as a user runs them: subprocesses, a targets file, exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

DEFS = """
from featsql import Entity, FeatureView, FeatureViewMetadata, Float, Int64, DuckDBConfig
from featsql.build import Table, View

src = DuckDBConfig("{path}").table("main.raw_people")

class People(FeatureView):
    metadata = FeatureViewMetadata(name="people", batch_source=src, materialization=Table())
    person_id = Entity(dtype=Int64())
    age = Float().fill_na(0)
    is_adult = age >= {adult}

class PeopleView(FeatureView):
    metadata = FeatureViewMetadata(name="people_v", batch_source=src, materialization=View())
    person_id = Entity(dtype=Int64())
    age = Float()
"""


def featsql(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `featsql` command (or the same entry point through this Python)."""
    script = shutil.which("featsql")
    command = (
        [script]
        if script
        else [sys.executable, "-c", "import sys; from featsql.cli import main; sys.exit(main())"]
    )
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    db = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE raw_people AS SELECT * FROM (VALUES (1, 30.0), (2, NULL)) t(person_id, age)")
    con.close()
    (tmp_path / "defs.py").write_text(DEFS.format(path=db, adult=18))
    (tmp_path / "featsql_targets.toml").write_text(
        'default = "dev"\n[targets.dev]\ndialect = "duckdb"\npath = "wh.duckdb"\n'
    )
    return tmp_path


def test_build_prints_progress_and_plan_exit_codes(project: Path) -> None:
    plan = featsql("plan", "defs.py", cwd=project)
    assert plan.returncode == 5, plan.stderr
    assert "people: new" in plan.stdout and '+CREATE TABLE "main"."people" AS' in plan.stdout

    dry = featsql("build", "defs.py", "--dry-run", cwd=project)
    assert dry.returncode == 0 and "DRY RUN" in dry.stdout
    assert featsql("plan", "defs.py", cwd=project).returncode == 5  # the dry run wrote nothing

    built = featsql("build", "defs.py", "--target", "dev", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    lines = built.stdout.splitlines()
    assert lines[1].startswith("1 of 2 START table people ") and lines[1].endswith("[RUN]")
    assert lines[2].startswith("1 of 2 OK create table main.people, 2 rows ") and "[OK in " in lines[2]
    assert lines[-1] == "Done. PASS=2 SKIP=0 ERROR=0 TOTAL=2"

    unchanged = featsql("plan", "defs.py", cwd=project)
    assert unchanged.returncode == 0 and "people: unchanged" in unchanged.stdout
    assert "Done. PASS=0 SKIP=2 ERROR=0 TOTAL=2" in featsql("build", "defs.py", cwd=project).stdout

    (project / "defs.py").write_text(DEFS.format(path=project / "wh.duckdb", adult=21))
    breaking = featsql("plan", "defs.py", "--select", "people", cwd=project)
    assert breaking.returncode == 6 and "people: breaking (changed is_adult)" in breaking.stdout
    diff = [line.strip() for line in breaking.stdout.splitlines()]
    assert any(line.startswith("-") and ">= 18" in line for line in diff)
    assert any(line.startswith("+") and ">= 21" in line for line in diff)
    rebuilt = featsql("build", "defs.py", "--select", "people", cwd=project)
    assert rebuilt.returncode == 0 and "rebuild table main.people" in rebuilt.stdout


def test_build_errors_exit_non_zero(project: Path) -> None:
    unknown = featsql("build", "defs.py", "--select", "nope", cwd=project)
    assert unknown.returncode == 2 and "matches no view" in unknown.stderr
    no_target = featsql("build", "defs.py", "--target", "prod", cwd=project)
    assert no_target.returncode == 4 and "no target named 'prod'" in no_target.stderr
    bad_time = featsql("build", "defs.py", "--start", "yesterday", cwd=project)
    assert bad_time.returncode == 2 and "ISO date" in bad_time.stderr
    con = duckdb.connect(str(project / "wh.duckdb"))
    con.execute("DROP TABLE raw_people")
    con.close()
    failed = featsql("build", "defs.py", cwd=project)
    assert failed.returncode == 1
    assert "ERROR table people" in failed.stdout and "View 'people': cannot read its source" in failed.stdout
    assert "Done. PASS=0 SKIP=0 ERROR=2 TOTAL=2" in failed.stdout
