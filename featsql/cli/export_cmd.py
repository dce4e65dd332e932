"""``featsql export``: the definitions in other forms. ``export json`` writes the repository JSON."""

from __future__ import annotations

import click

from featsql.cli.common import defs_argument, emit, load


@click.group("export")
def group() -> None:
    """Export the definitions (see the subcommands)."""


@group.command("json")
@defs_argument
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
def json_command(defs: str, out: str | None) -> None:
    """The JSON repository definition of DEFS (versioned plain data, no credentials)."""
    from featsql.repository import views_to_json

    emit(views_to_json(load(defs).views), out)


command = group
