"""The README's example is real: it is examples/titanic.py, and it runs on the shipped data."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


def test_readme_example_is_the_example_file() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block is not None
    example = (ROOT / "examples" / "titanic.py").read_text(encoding="utf-8")
    assert block.group(1) in example


def test_readme_example_runs_from_the_repository_root() -> None:
    result = subprocess.run(
        [sys.executable, "examples/titanic.py"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'CONTAINS("Name", \'Mr.\')' in out  # the feature is computed in DuckDB's SQL
    assert "POSITION('Mr.' IN" in out  # and inspectable for PostgreSQL
    assert "[5 rows x 11 columns]" in out
