"""The installed ``featsql`` command, run as a subprocess: every subcommand, and the bad-input paths
(exit codes from docs/cli.md, a one-line message, never a traceback)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DEFS = """
from featsql import Entity, FeatureView, FeatureViewMetadata, FileSource, Float, Int64, String

print("defs printing while loading")  # must not reach the stdout of `featsql compile`

class Trips(FeatureView):
    metadata = FeatureViewMetadata(
        name="trips",
        description="Taxi trips",
        batch_source=FileSource.csv_at({csv!r}, mapping_keys={{"TripId": "trip_id"}}),
    )
    trip_id = Entity(dtype=Int64())
    distance = Float().fill_na(0).lower_bound(0).description("Kilometres")
    fare = Float().lower_bound(0)
    kind = String().accepted_values(["street", "app"])
    fare_per_km = (fare / distance).description("Fare per kilometre")

class Drivers(FeatureView):
    metadata = FeatureViewMetadata(name="drivers", batch_source=FileSource.csv_at({drivers!r}))
    driver_id = Entity(dtype=Int64())
    name = String().min_length(1)
"""


def featsql_command() -> str:
    beside = Path(sys.executable).with_name("featsql")
    found = str(beside) if beside.exists() else shutil.which("featsql")
    if found is None:
        pytest.fail("the featsql command is not installed (pip install -e .)")
    return found


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run(
        [featsql_command(), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "trips.csv").write_text("TripId,distance,fare,kind\n1,2.5,10,street\n2,,7,app\n3,4,20,app\n")
    (tmp_path / "drivers.csv").write_text("driver_id,name\n1,Ann\n2,Bob\n")
    (tmp_path / "defs.py").write_text(DEFS.format(csv="trips.csv", drivers="drivers.csv"))
    return tmp_path


def test_help_everywhere(project: Path) -> None:
    top = run("--help", cwd=project)
    assert top.returncode == 0
    for name in ("compile", "validate", "catalog", "export", "show"):
        assert name in top.stdout
    for args in (["compile"], ["validate"], ["catalog"], ["export"], ["export", "json"], ["show"]):
        result = run(*args, "--help", cwd=project)
        assert result.returncode == 0 and "Usage: featsql" in result.stdout, args


def test_compile_to_stdout_is_clean_sql(project: Path) -> None:
    result = run("compile", "defs.py", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "defs printing while loading" in result.stderr and "defs printing" not in result.stdout
    assert result.stdout.startswith("-- view: trips (duckdb)")
    assert "-- view: drivers (duckdb)" in result.stdout
    assert 'CAST("TripId" AS BIGINT) AS "trip_id"' in result.stdout

    postgres = run(
        "compile",
        "defs.py",
        "--dialect",
        "postgres",
        "--select",
        "trips:fare_per_km",
        "--compact",
        cwd=project,
    )
    assert postgres.returncode == 0
    assert "DOUBLE PRECISION" in postgres.stdout and "drivers" not in postgres.stdout
    assert '"kind"' not in postgres.stdout  # only the selected feature, its inputs and the key


def test_compile_out_dir_writes_one_file_per_view_and_a_manifest(project: Path) -> None:
    result = run("compile", "defs.py", "--out", "build/sql", cwd=project)
    assert result.returncode == 0, result.stderr
    out = project / "build" / "sql"
    manifest = json.loads((out / "manifest.json").read_text())
    assert [v["name"] for v in manifest["views"]] == ["trips", "drivers"]
    for entry in manifest["views"]:
        text = (out / entry["file"]).read_text()
        assert hashlib.sha256(text.encode()).hexdigest() == entry["sha256"]
        assert text.startswith(f"-- featsql: view {entry['name']}")
    assert sorted(p.name for p in out.iterdir()) == ["drivers.sql", "manifest.json", "trips.sql"]


def test_json_repository_and_module_name_compile_like_the_file(project: Path) -> None:
    exported = run("export", "json", "defs.py", "--out", "repo.json", cwd=project)
    assert exported.returncode == 0
    assert json.loads((project / "repo.json").read_text())["format"] == "featsql.repository"
    from_file = run("compile", "defs.py", cwd=project).stdout
    assert run("compile", "repo.json", cwd=project).stdout == from_file
    assert run("compile", "defs", cwd=project).stdout == from_file  # a module name, found from the cwd


def test_validate_passes_then_fails_with_exit_code_1(project: Path) -> None:
    ok = run("validate", "defs.py", cwd=project)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "PASS trips: all 3 constraints hold over 3 rows" in ok.stdout

    (project / "trips.csv").write_text("TripId,distance,fare,kind\n1,-1,10,street\n2,,-7,bike\n3,4,20,app\n")
    bad = run("validate", "defs.py", cwd=project)
    assert bad.returncode == 1
    assert "FAIL trips: 3 of 3 constraints failed over 3 rows" in bad.stdout
    assert "PASS drivers" in bad.stdout
    assert "validation failed: 3 of 4 constraints in 1 view(s)" in bad.stderr

    as_json = run("validate", "defs.py", "--format", "json", "--select", "trips", cwd=project)
    assert as_json.returncode == 1
    document = json.loads(as_json.stdout)
    assert document["ok"] is False
    failing = {
        (r["feature"], r["constraint"]): r["example_keys"]
        for r in document["views"][0]["results"]
        if not r["ok"]
    }
    assert failing == {
        ("distance", "lower_bound(0)"): ["1"],
        ("fare", "lower_bound(0)"): ["2"],
        ("kind", "accepted_values(['street', 'app'])"): ["2"],
    }


def test_validate_schema_mismatch_is_exit_code_4_with_a_clear_message(project: Path) -> None:
    (project / "trips.csv").write_text("TripId,distance,fare,kind\n1,2.5,true,street\n")
    result = run("validate", "defs.py", "--select", "trips", cwd=project)
    assert result.returncode == 4
    assert "View 'trips'" in result.stderr and "'fare'" in result.stderr
    assert "bool" in result.stderr and "float64" in result.stderr


def test_catalog_formats(project: Path) -> None:
    md = run("catalog", "defs.py", "--format", "md", cwd=project)
    assert md.returncode == 0 and "## trips" in md.stdout and "`fare_per_km`" in md.stdout
    js = json.loads(run("catalog", "defs.py", "--format", "json", cwd=project).stdout)
    fare_per_km = next(f for f in js["views"][0]["features"] if f["name"] == "fare_per_km")
    assert fare_per_km["source_columns"] == ["distance", "fare"]
    html = run("catalog", "defs.py", "--format", "html", "--out", "docs/catalog.html", cwd=project)
    assert html.returncode == 0 and html.stdout == ""
    assert (project / "docs" / "catalog.html").read_text().startswith("<!DOCTYPE html>")


def test_show_prints_schema_and_sql(project: Path) -> None:
    result = run("show", "defs.py", "trips", "--dialect", "redshift", cwd=project)
    assert result.returncode == 0
    assert "view trips: Taxi trips" in result.stdout
    lines = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line.strip()}
    assert lines["distance"][:4] == ["distance", "float64", "feature", "lower_bound(0)"]
    assert lines["trip_id"][:3] == ["trip_id", "int64", "entity"]
    assert "-- SQL (redshift)" in result.stdout and "SELECT" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["compile", "missing.py"], 3, "no such file: missing.py"),
        (["compile", "not.a.module"], 3, "no file or module named 'not.a.module'"),
        (["compile", "broken.py"], 3, "syntax error at line 1"),
        (["compile", "empty.py"], 3, "defines no FeatureView subclass"),
        (["compile", "badview.py"], 3, "View 'bad', feature 'mixed'"),
        (["compile", "notrepo.json"], 3, "not a featsql repository"),
        (["show", "defs.py", "nope"], 2, "no view named 'nope'"),
        (["compile", "defs.py", "--dialect", "oracle"], 2, "Invalid value for '--dialect'"),
        (["compile", "defs.py", "--select", "trips:nope"], 2, "view 'trips' has no feature nope"),
        (["catalog", "defs.py", "--format", "pdf"], 2, "Invalid value for '--format'"),
        (["frobnicate"], 2, "No such command 'frobnicate'"),
    ],
)
def test_bad_input_gives_a_message_and_an_exit_code(
    project: Path, args: list[str], code: int, message: str
) -> None:
    (project / "broken.py").write_text("class (:\n")
    (project / "empty.py").write_text("x = 1\n")
    (project / "badview.py").write_text(
        "from featsql import FeatureView, FeatureViewMetadata, FileSource, Int64, String\n"
        "class Bad(FeatureView):\n"
        "    metadata = FeatureViewMetadata(name='bad', batch_source=FileSource.csv_at('x.csv'))\n"
        "    a = Int64()\n    b = String()\n    mixed = a + b\n"
    )
    (project / "notrepo.json").write_text('{"views": []}')
    result = run(*args, cwd=project)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert result.stdout == ""
