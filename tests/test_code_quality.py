"""The project's static checks are part of the suite: ``mypy --strict`` over the package and ruff's
lint over the package and the tests (configuration in pyproject.toml). Both tools come with the
``dev`` extra; a test skips, naming the tool, only when that tool is not installed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m <module> args`` from the repository root (so pyproject's settings apply)."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[dev]' installs it)")
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_mypy_strict_accepts_the_package(tmp_path: Path) -> None:
    done = run_module("mypy", "--strict", "--cache-dir", str(tmp_path / "mypy-cache"), "featsql")
    assert done.returncode == 0, f"mypy --strict featsql:\n{done.stdout}{done.stderr}"
    assert "Success: no issues found" in done.stdout


def test_ruff_lint_accepts_the_package_and_the_tests() -> None:
    done = run_module("ruff", "check", "--no-cache", "featsql", "tests")
    assert done.returncode == 0, f"ruff check featsql tests:\n{done.stdout}{done.stderr}"
