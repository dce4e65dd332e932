"""Pieces shared by the subcommands: the DEFS argument, selections, output files, error mapping."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import click

from featsql import ir
from featsql.cli.errors import DataError
from featsql.cli.loading import Definitions, load_definitions
from featsql.errors import FeatSQLError, UnknownNameError

F = TypeVar("F", bound=Callable[..., Any])

DIALECT_CHOICE = click.Choice(["duckdb", "postgres", "redshift"])


def defs_argument(function: F) -> F:
    """The DEFS positional argument: a .py file, a module name, or a JSON repository."""
    return click.argument("defs", metavar="DEFS")(function)


def selected_views(defs: Definitions, select: tuple[str, ...]) -> list[tuple[ir.View, list[str] | None]]:
    """``--select VIEW`` or ``--select VIEW:feat1,feat2`` (repeatable); all views when empty."""
    if not select:
        return [(v, None) for v in defs.views]
    out = []
    for item in select:
        name, _, features = item.partition(":")
        view = defs.view(name)
        chosen = [f.strip() for f in features.split(",") if f.strip()] if features else None
        if chosen:
            unknown = [f for f in chosen if not view.has_feature(f)]
            if unknown:
                raise click.UsageError(
                    f"view '{name}' has no feature {', '.join(unknown)}; it has: "
                    f"{', '.join(f.name for f in view.features)}"
                )
        out.append((view, chosen))
    return out


def load(defs: str) -> Definitions:
    """Load DEFS (errors become exit code 3 with a one-line message)."""
    return load_definitions(defs)


@contextlib.contextmanager
def data_errors() -> Iterator[None]:
    """Turn featsql's errors while compiling or querying into exit code 4 (a message, no traceback)."""
    try:
        yield
    except click.ClickException:
        raise
    except UnknownNameError as error:
        raise click.UsageError(str(error)) from error
    except FeatSQLError as error:
        raise DataError(str(error)) from error


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a failure leaves nothing half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def emit(text: str, out: str | None) -> None:
    """Print ``text`` to stdout, or write it to the file ``out``."""
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_text_atomic(Path(out), text)
        click.echo(f"wrote {out}", err=True)
