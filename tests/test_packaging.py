"""The wheel ships what an installed featsql needs: the dialect tables, the statement templates,
the catalog page and py.typed; and featsql compiles from the unpacked wheel (no checkout around)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (path,) = out.glob("featsql-*.whl")
    return path


def test_wheel_contains_dialects_templates_and_typing_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for dialect in ("duckdb", "postgres", "redshift"):
        assert f"featsql/_dialects/{dialect}.toml" in names
        assert f"featsql/_dialects/templates/{dialect}/create_table_as.sql.j2" in names
    assert "featsql/py.typed" in names
    assert "featsql/catalog/page.html.j2" in names


def test_unpacked_wheel_compiles_every_dialect_without_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "from featsql import *\n"
        "from featsql.compiler import compile_sql\n"
        "from featsql.compiler.dialect import dialects_dir\n"
        "class V(FeatureView):\n"
        "    metadata = FeatureViewMetadata(name='v', batch_source=FileSource.csv_at('x.csv'))\n"
        "    k = Entity(dtype=Int32())\n"
        "    s = String()\n"
        "    m = s.contains('Mr.')\n"
        "print(dialects_dir())\n"
        "for d in ('duckdb', 'postgres', 'redshift'):\n"
        "    print(compile_sql(V.ir(), d))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == str(site / "featsql" / "_dialects")
    assert "CONTAINS(" in lines[1] and "POSITION('Mr.' IN" in lines[2] and "POSITION('Mr.' IN" in lines[3]
