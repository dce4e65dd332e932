"""Shared fixtures: paths to the shipped data, and the PostgreSQL DSN (required in CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
EXAMPLE_DATA = ROOT / "examples" / "data"


@pytest.fixture(scope="session")
def titanic_csv() -> Path:
    return EXAMPLE_DATA / "titanic.csv"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data is not beside this checkout ({SHARED_DATA})")
    return SHARED_DATA


def postgres_dsn_or_skip() -> str:
    """The test PostgreSQL DSN; skip without it, but fail when CI requires PostgreSQL."""
    dsn = os.environ.get("FEATSQL_TEST_POSTGRES_DSN")
    if dsn:
        return dsn
    if os.environ.get("FEATSQL_REQUIRE_POSTGRES") == "1":
        pytest.fail("FEATSQL_REQUIRE_POSTGRES=1 but FEATSQL_TEST_POSTGRES_DSN is not set")
    pytest.skip(
        "PostgreSQL tests need FEATSQL_TEST_POSTGRES_DSN "
        "(e.g. postgresql://root@127.0.0.1:5432/test); skipped on this machine"
    )


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    return postgres_dsn_or_skip()
