"""Every Python block of docs/getting-started.md runs, in order, in one namespace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "getting-started.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def test_the_page_has_python_blocks() -> None:
    assert len(BLOCK.findall(PAGE.read_text(encoding="utf-8"))) >= 8


def test_every_python_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    # run from a scratch directory that looks like the repository root (examples/data is there)
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "data").symlink_to(ROOT / "examples" / "data")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "getting_started"}
    for number, block in enumerate(BLOCK.findall(PAGE.read_text(encoding="utf-8")), start=1):
        code = compile(block, f"{PAGE.name}, python block {number}", "exec")
        exec(code, namespace)  # noqa: S102 - the documentation's own examples
    out = capsys.readouterr().out
    # the outputs the page shows as comments
    assert "View 'broken', feature 'is_one': 'eq' cannot combine String with int literal 1" in out
    assert "35.64165" in out and "Heikkinen, Miss. Laina" in out
    assert (tmp_path / "feature-store.json").is_file()
    assert "['titanic']" in out
