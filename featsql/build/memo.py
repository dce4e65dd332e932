"""An on-disk memo of a build's pure renderings, so an unchanged definition builds without
importing sqlglot or jinja2 and without compiling again.

Every entry is the output of a pure function of its key: the probe and the compiled SELECT of a
view (keyed by the view's JSON definition, the dialect and, for the SELECT, the source's column
types the probe just read), and the renderer's fragments and statements (keyed by their inputs).
The whole file is keyed by the featsql version plus the size and modification time of featsql's
own modules, the dialect tables and templates, and sqlglot's version file, so editing or upgrading
any of them starts a fresh memo. Errors are never memoised: a definition that fails to compile fails
every time. The zero-row check, the build itself and the state writes always run.

Location: ``$FEATSQL_CACHE_DIR`` or ``~/.cache/featsql`` (``$XDG_CACHE_HOME/featsql``);
``FEATSQL_BUILD_CACHE=0`` keeps the memo in memory only (nothing read or written on disk).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable

from featsql._paths import dialects_dir, featsql_dir

MAX_CHARS = 1_000_000
"""A memo larger than this keeps only the entries the current run used when it is saved (old
definitions are not kept forever, and loading the file stays a few milliseconds)."""


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _digest(data: Any) -> str:
    return hashlib.sha256(_canonical(data).encode("utf-8")).hexdigest()


def _stamps(folder: Path, suffixes: tuple[str, ...]) -> list[list[Any]]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(suffixes):
                stat = os.stat(os.path.join(root, name))
                out.append(
                    [os.path.relpath(os.path.join(root, name), folder), stat.st_size, stat.st_mtime_ns]
                )
    return out


def code_key() -> str:
    """What every memoised rendering depends on besides its own inputs (see the module docstring)."""
    import importlib.util

    from featsql import __version__

    parts: list[Any] = [
        __version__,
        _stamps(featsql_dir(), (".py",)),
        _stamps(dialects_dir(), (".toml", ".j2")),
    ]
    spec = importlib.util.find_spec("sqlglot")
    if spec is not None and spec.origin:
        for name in ("_version.py", "__init__.py"):
            path = Path(spec.origin).parent / name
            if path.is_file():
                stat = path.stat()
                parts.append([name, stat.st_size, stat.st_mtime_ns])
    return _digest(parts)[:24]


def cache_dir() -> Path:
    """Where the memo lives: ``$FEATSQL_CACHE_DIR``, else ``$XDG_CACHE_HOME/featsql``, else
    ``~/.cache/featsql``."""
    explicit = os.environ.get("FEATSQL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "featsql"


class Memo:
    """Renderings by key; loaded once per process, saved after a build or plan when it grew."""

    def __init__(self, path: Path | None, entries: dict[str, str]) -> None:
        self.path = path
        self.entries = entries
        self.used: set[str] = set()
        self.dirty = False

    @classmethod
    def open(cls) -> Memo:
        """The memo of this featsql install (empty when absent, unreadable or disabled)."""
        if os.environ.get("FEATSQL_BUILD_CACHE", "1").strip().lower() in ("0", "false", "no", "off"):
            return cls(None, {})
        path = cache_dir() / f"build-memo-{code_key()}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        entries = data if isinstance(data, dict) else {}
        return cls(path, {k: v for k, v in entries.items() if isinstance(v, str)})

    def lookup(self, compute: Callable[[], str], *key: Any) -> str:
        """The memoised value of ``key``, computing (and recording) it on a miss."""
        digest = _digest(key)
        self.used.add(digest)
        found = self.entries.get(digest)
        if found is not None:
            return found
        value = compute()
        self.entries[digest] = value
        self.dirty = True
        return value

    def save(self) -> None:
        """Write the memo if it grew (atomically; older memos of other code versions are removed)."""
        if self.path is None or not self.dirty:
            return
        if sum(len(value) for value in self.entries.values()) > MAX_CHARS:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(_canonical(self.entries), encoding="utf-8")
            os.replace(tmp, self.path)
            for stale in self.path.parent.glob("build-memo-*.json"):
                if stale != self.path:
                    stale.unlink(missing_ok=True)
        except OSError:
            return  # a read-only or full cache directory only costs speed
        self.dirty = False


_MEMO: list[Memo] = []


def memo() -> Memo:
    """This process's memo (opened on first use)."""
    if not _MEMO:
        _MEMO.append(Memo.open())
    return _MEMO[0]
