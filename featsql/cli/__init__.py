"""The ``featsql`` command line (click). Each subcommand is one small module registered in
:data:`COMMANDS`; add a command by writing ``featsql/cli/<name>_cmd.py`` with a ``command`` and
listing it there. Exit codes: see :mod:`featsql.cli.errors` and docs/cli.md."""

from __future__ import annotations

import importlib
import sys
from typing import Sequence

import click

COMMANDS: tuple[str, ...] = (
    "featsql.cli.compile_cmd",
    "featsql.cli.validate_cmd",
    "featsql.cli.catalog_cmd",
    "featsql.cli.export_cmd",
    "featsql.cli.show_cmd",
    "featsql.cli.build",
    "featsql.cli.plan",
    "featsql.cli.export_dbt",
)
"""Modules each exposing ``command`` (a click command or group), in ``--help`` order."""


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # registration order, not alphabetical


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="featsql", prog_name="featsql")
def cli() -> None:
    """featsql: compile, validate and document typed feature definitions.

    DEFS is a Python file (defs.py), an importable module (my_pkg.features) or a JSON repository
    definition (repo.json). Exit codes: 0 ok, 1 validation failed, 2 usage error, 3 definitions
    could not be loaded, 4 the data does not match the definitions or a query failed.
    """


def register(module_name: str) -> None:
    """Add the ``command`` of ``module_name`` to the ``featsql`` group.

    A group named like an existing group is merged into it: a module exposing
    ``command = click.Group("export", commands=[dbt])`` adds ``featsql export dbt``.
    """
    module = importlib.import_module(module_name)
    command = module.command
    existing = cli.commands.get(command.name or "")
    if isinstance(existing, click.Group) and isinstance(command, click.Group):
        for sub in command.commands.values():
            existing.add_command(sub)
        return
    cli.add_command(command)


for _name in COMMANDS:
    register(_name)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``featsql`` script; returns the exit code."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="featsql", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
