"""Static typing: type checkers accept correct featsql code and reject misuse before anything runs.

``tests/typecheck/good.py`` must type-check without a single error; every line of
``tests/typecheck/bad.py`` marked ``# E: <mypy error code>`` must get an error (with that code,
for mypy), and no other line may. mypy always runs; pyright runs as a second checker when it can
start (it fetches its Node.js package on first use).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TYPECHECK = ROOT / "tests" / "typecheck"
GOOD, BAD = TYPECHECK / "good.py", TYPECHECK / "bad.py"
MARKER = re.compile(r"#\s*E:\s*([a-z][a-z-]*)\s*$")
MYPY_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[a-z-]+)\]$")

pytestmark = pytest.mark.slow


def expected_errors(path: Path) -> dict[int, str]:
    """``{line: mypy error code}`` from the ``# E:`` markers."""
    out = {}
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = MARKER.search(text)
        if match:
            out[number] = match.group(1)
    return out


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[int, set[str]]]:
    """mypy --strict over both files in one run: ``{file name: {line: {codes}}}``."""
    cache = tmp_path_factory.mktemp("mypy-cache")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--show-error-codes",
         "--no-error-summary", "--no-pretty", "--cache-dir", str(cache), str(GOOD), str(BAD)],
        capture_output=True, text=True, cwd=cache, timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr or done.stdout  # 2 = mypy itself failed
    errors: dict[str, dict[int, set[str]]] = {GOOD.name: {}, BAD.name: {}}
    for line in done.stdout.splitlines():
        match = MYPY_LINE.match(line)
        if match:
            name = Path(match["file"]).name
            errors.setdefault(name, {}).setdefault(int(match["line"]), set()).add(match["code"])
        elif ": error:" in line:
            pytest.fail(f"unparsed mypy error: {line}")
    return errors


def test_the_bad_file_marks_many_kinds_of_misuse() -> None:
    expected = expected_errors(BAD)
    assert len(expected) >= 40
    assert set(expected.values()) >= {"attr-defined", "operator", "arg-type", "list-item", "assignment",
                                      "type-var"}
    assert expected_errors(GOOD) == {}


def test_mypy_accepts_the_correct_code(mypy_errors: dict[str, dict[int, set[str]]]) -> None:
    assert mypy_errors[GOOD.name] == {}


def test_mypy_rejects_exactly_the_marked_lines(mypy_errors: dict[str, dict[int, set[str]]]) -> None:
    expected = expected_errors(BAD)
    got = mypy_errors[BAD.name]
    missing = sorted(set(expected) - set(got))
    unexpected = sorted(set(got) - set(expected))
    assert not missing and not unexpected, f"missing errors on lines {missing}; unexpected on {unexpected}"
    wrong_code = {line: (code, got[line]) for line, code in expected.items() if code not in got[line]}
    assert not wrong_code, wrong_code


def _pyright_command() -> list[str]:
    try:
        import pyright  # noqa: F401
    except ImportError:
        pytest.skip("pyright is not installed (pip install pyright); mypy covers the same files")
    return [sys.executable, "-m", "pyright"]


def test_pyright_agrees(tmp_path: Path) -> None:
    command = _pyright_command()
    if shutil.which("node") is None:
        pytest.skip("pyright needs Node.js, which is not on PATH")
    # "standard", not "strict": pyarrow ships no type information, so strict mode flags every
    # Arrow table a user touches as "unknown" (a third-party gap, not a featsql one).
    config = tmp_path / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "standard", "pythonVersion": "3.10"}), encoding="utf-8")
    done = subprocess.run(
        [*command, "--outputjson", "--project", str(config), "--pythonpath", sys.executable,
         str(GOOD), str(BAD)],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        pytest.skip(f"pyright could not start here (it downloads its Node.js package): {done.stderr[-500:]}")
    lines: dict[str, set[int]] = {GOOD.name: set(), BAD.name: set()}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            line = diagnostic["range"]["start"]["line"] + 1  # pyright counts from 0
            lines.setdefault(Path(diagnostic["file"]).name, set()).add(line)
    assert lines[GOOD.name] == set()
    assert lines[BAD.name] == set(expected_errors(BAD))
