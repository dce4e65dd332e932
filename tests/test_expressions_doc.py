"""docs/expressions.md is generated from the typed API and the dialect tables: keep it current.

Regenerate with ``python docs/_generate_expressions.py`` after changing an operation or a template.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "expressions.md"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    path = ROOT / "docs" / "_generate_expressions.py"
    spec = importlib.util.spec_from_file_location("_generate_expressions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_public_method_is_documented(generator: ModuleType) -> None:
    assert generator.undocumented() == []


def test_the_page_is_up_to_date(generator: ModuleType) -> None:
    assert DOC.read_text(encoding="utf-8") == generator.render(), (
        "docs/expressions.md is stale: run `python docs/_generate_expressions.py`"
    )


def test_the_page_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    block = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block is not None
    monkeypatch.chdir(ROOT)
    exec(compile(block.group(1), str(DOC), "exec"), {"__name__": "doc_example"})  # noqa: S102
    printed = capsys.readouterr().out
    assert 'AS "fare_per_person"' in printed and "POSITION(" in printed
