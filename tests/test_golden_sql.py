"""Golden SQL: every operation of tests/test_operations.py compiled for DuckDB, PostgreSQL and Redshift.

One view per operation group (arithmetic, comparisons, strings, ...), one file per group and
dialect: ``tests/golden/<group>.<dialect>.sql``. Each file is a short header naming each feature's
expression, then the SQL exactly as ``compile_sql(view, dialect, pretty=True)`` prints it (no
schema, so every source column is cast: deterministic). The test compares the files byte for byte
and parses every one back with sqlglot in its own dialect.

A change of lowering or of a dialect table shows up here as a diff to review. After an intended
change, regenerate the files and review them with ``git diff tests/golden``::

    FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlglot
from sqlglot import exp
from test_operations import GROUPS, INPUTS, SOURCE, Op

from featsql import Entity, FeatureView, FeatureViewMetadata, Int64, ir
from featsql.compiler import DIALECTS, compile_sql
from featsql.compiler.dialect import load

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("FEATSQL_UPDATE_GOLDEN") == "1"


def feature_name(index: int) -> str:
    return f"op{index:02d}"


def group_view(group: str, ops: list[Op]) -> ir.View:
    """One view computing every operation of ``group`` over the shared inputs."""
    inputs = {column: make() for column, make in INPUTS.items()}
    namespace: dict[str, Any] = {
        "metadata": FeatureViewMetadata(name=group, batch_source=SOURCE),
        "id": Entity(Int64()),
        **inputs,
    }
    variables = SimpleNamespace(**inputs)
    for index, op in enumerate(ops):
        namespace[feature_name(index)] = op.build(variables)
    view: type[FeatureView] = type(group, (FeatureView,), namespace)
    return view.ir()


def golden_text(group: str, dialect: str) -> str:
    ops = GROUPS[group]
    view = group_view(group, ops)
    outputs = ["id", *(feature_name(i) for i in range(len(ops)))]
    header = [
        f"-- featsql golden SQL: operation group '{group}' for {dialect}.",
        "-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py",
        *(f"-- {feature_name(i)}: {op.text}" for i, op in enumerate(ops)),
    ]
    sql = compile_sql(view, dialect, select=outputs, pretty=True)
    return "\n".join(header) + "\n" + sql + "\n"


CASES = [(group, dialect) for group in GROUPS for dialect in DIALECTS]


@pytest.mark.parametrize(("group", "dialect"), CASES, ids=[f"{g}.{d}" for g, d in CASES])
def test_golden_sql(group: str, dialect: str) -> None:
    path = GOLDEN / f"{group}.{dialect}.sql"
    text = golden_text(group, dialect)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path.name} is missing; run FEATSQL_UPDATE_GOLDEN=1 pytest {__file__}"
    assert path.read_text(encoding="utf-8") == text, (
        f"{path.name} differs from the SQL featsql now generates; review, then regenerate with "
        "FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py"
    )


@pytest.mark.parametrize(("group", "dialect"), CASES, ids=[f"{g}.{d}" for g, d in CASES])
def test_golden_sql_parses_in_its_dialect(group: str, dialect: str) -> None:
    text = (GOLDEN / f"{group}.{dialect}.sql").read_text(encoding="utf-8")
    tree = sqlglot.parse_one(text, read=load(dialect).sqlglot_dialect)
    assert isinstance(tree, exp.Select)
    names = [e.alias_or_name for e in tree.expressions]
    assert names == ["id", *(feature_name(i) for i in range(len(GROUPS[group])))]


def test_no_stray_golden_files() -> None:
    """A golden file whose group or dialect no longer exists would never be checked again."""
    expected = {f"{group}.{dialect}.sql" for group, dialect in CASES}
    stray = sorted(p.name for p in GOLDEN.glob("*.sql") if p.name not in expected)
    assert not stray, f"remove stale golden files: {stray}"


def test_compiling_twice_gives_identical_sql() -> None:
    group = "strings"
    first = compile_sql(group_view(group, GROUPS[group]), "postgres", pretty=True)
    second = compile_sql(group_view(group, GROUPS[group]), "postgres", pretty=True)
    assert first == second
