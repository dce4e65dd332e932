"""Build targets: which warehouse (and schema) ``featsql build`` writes to.

Credentials never appear in definitions or in the targets file: a PostgreSQL or Redshift target
names the environment variable that holds its connection string, like the sources do. A small
TOML file lists targets; ``--target NAME`` picks one::

    # featsql_targets.toml
    default = "dev"

    [targets.dev]
    dialect = "duckdb"
    path = "warehouse.duckdb"        # relative to this file

    [targets.prod]
    dialect = "postgres"
    env = "FEATSQL_PROD_DSN"         # the variable holding postgresql://...
    schema = "features"
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from featsql import ir
from featsql.errors import FeatSQLError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TARGETS_FILE = "featsql_targets.toml"
TARGETS_ENV = "FEATSQL_TARGETS"
TARGET_ENV = "FEATSQL_TARGET"
BUILD_DIALECTS = ("duckdb", "postgres", "redshift")


class TargetError(FeatSQLError):
    """A target is unknown, malformed, or cannot serve a view."""


@dataclass(frozen=True)
class Target:
    """One warehouse to build in: ``dialect``, a DuckDB ``path`` or the ``env`` variable naming a
    connection string, and the ``schema`` (``None``: the dialect's default, ``main`` / ``public``)."""

    name: str
    dialect: str
    path: str | None = None
    env: str | None = None
    schema: str | None = None

    @staticmethod
    def duckdb(path: str | Path, schema: str | None = None, name: str = "duckdb") -> Target:
        """A DuckDB database file."""
        return Target(name, "duckdb", path=str(path), schema=schema)

    @staticmethod
    def postgres(env: str, schema: str | None = None, name: str = "postgres") -> Target:
        """PostgreSQL; ``env`` names the variable holding the ``postgresql://`` URL."""
        return Target(name, "postgres", env=env, schema=schema)

    @staticmethod
    def redshift(env: str, schema: str | None = None, name: str = "redshift") -> Target:
        """Amazon Redshift; ``env`` names the variable holding the ``redshift://`` URL."""
        return Target(name, "redshift", env=env, schema=schema)

    def dsn(self) -> str:
        """The connection string (read from the environment), or the DuckDB path."""
        if self.dialect == "duckdb":
            return self.path or ":memory:"
        if not self.env:
            raise TargetError(
                f"target '{self.name}' ({self.dialect}) needs `env`, the variable holding its URL"
            )
        value = os.environ.get(self.env)
        if not value:
            raise TargetError(
                f"target '{self.name}': the environment variable {self.env} "
                "(its connection string) is not set"
            )
        return value

    def describe(self) -> str:
        where = self.path if self.dialect == "duckdb" else f"${self.env}"
        return f"{self.name} ({self.dialect} {where}{', schema ' + self.schema if self.schema else ''})"

    def check_serves(self, view: ir.View) -> None:
        """Raise when the view's source cannot be read from inside this warehouse."""
        source = view.source
        reads_files = source.kind in ("csv", "parquet")
        if source.kind == "in_memory":
            raise TargetError(
                f"View '{view.name}': an in-memory DataFrame source lives in this Python process, not in "
                f"a warehouse; load it into a table to build the view in target '{self.name}'"
            )
        if reads_files and self.dialect == "duckdb":
            return
        if source.dialect != self.dialect:
            raise TargetError(
                f"View '{view.name}' reads a {source.kind} source, which target '{self.name}' "
                f"({self.dialect}) cannot read; builds run inside the source's warehouse"
            )
        if source.kind == "duckdb_table" and source.config not in (None, ":memory:"):
            if Path(source.config).resolve() != Path(self.dsn()).resolve():
                raise TargetError(
                    f"View '{view.name}' reads DuckDB file {source.config}, but target '{self.name}' "
                    f"builds in {self.dsn()}; build into the file the source lives in"
                )


def load_targets(path: str | Path) -> tuple[dict[str, Target], str | None]:
    """The targets of a TOML file, and its ``default`` target name."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TargetError(f"cannot read the targets file {path}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise TargetError(f"the targets file {path} is not valid TOML: {error}") from error
    entries = data.get("targets")
    if not isinstance(entries, dict) or not entries:
        raise TargetError(f"the targets file {path} has no [targets.NAME] table")
    targets = {name: _target(name, entry, path.parent) for name, entry in entries.items()}
    default = data.get("default")
    if default is not None and default not in targets:
        raise TargetError(
            f"the targets file {path}: default = '{default}' is not one of {', '.join(targets)}"
        )
    return targets, default


def _target(name: str, entry: Any, base: Path) -> Target:
    if not isinstance(entry, dict):
        raise TargetError(f"target '{name}' must be a table of keys (dialect, path/env, schema)")
    unknown = set(entry) - {"dialect", "path", "env", "schema"}
    if unknown:
        raise TargetError(f"target '{name}': unknown key(s) {', '.join(sorted(unknown))}")
    dialect = entry.get("dialect")
    if dialect not in BUILD_DIALECTS:
        raise TargetError(
            f"target '{name}': dialect must be one of {', '.join(BUILD_DIALECTS)}, got {dialect!r}"
        )
    path = entry.get("path")
    if dialect == "duckdb":
        if not path:
            raise TargetError(f"target '{name}' (duckdb) needs `path`, the database file")
        if path != ":memory:" and not Path(path).is_absolute():
            path = str(base / path)
    elif not entry.get("env"):
        raise TargetError(f"target '{name}' ({dialect}) needs `env`, the variable holding its URL")
    return Target(name, dialect, path=path, env=entry.get("env"), schema=entry.get("schema"))


def resolve_target(
    name: str | None, views: Iterable[ir.View], targets_file: str | Path | None = None
) -> Target:
    """The target called ``name`` (or the default one) from the targets file; without a file and
    a name, the warehouse the views' sources live in."""
    file = (
        targets_file
        or os.environ.get(TARGETS_ENV)
        or (TARGETS_FILE if Path(TARGETS_FILE).is_file() else None)
    )
    name = name or os.environ.get(TARGET_ENV) or None
    if file is not None:
        targets, default = load_targets(file)
        chosen = name or default or (next(iter(targets)) if len(targets) == 1 else None)
        if chosen is None:
            raise TargetError(
                f"choose a target with --target: {file} lists {', '.join(targets)} and no default"
            )
        if chosen not in targets:
            raise TargetError(f"no target named '{chosen}' in {file}; it has: {', '.join(targets)}")
        return targets[chosen]
    if name is not None:
        raise TargetError(
            f"target '{name}' was asked for, but there is no targets file "
            f"({TARGETS_FILE} here, or the path in ${TARGETS_ENV}); see docs/builds.md"
        )
    return _target_from_sources(list(views))


def _target_from_sources(views: list[ir.View]) -> Target:
    keys = {(v.source.dialect, v.source.config) for v in views if v.source.kind not in ("csv", "parquet")}
    if len(keys) == 1:
        dialect, config = keys.pop()
        if dialect == "duckdb" and config not in (None, ":memory:"):
            return Target("source", "duckdb", path=config)
        if dialect != "duckdb" and config:
            return Target("source", dialect, env=config)
    raise TargetError(
        "no build target: write a featsql_targets.toml (see docs/builds.md) and pass --target, "
        "or give views whose sources all live in one database file or warehouse"
    )
