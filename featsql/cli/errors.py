"""Exit codes of the ``featsql`` command and the errors that carry them (see docs/cli.md)."""

from __future__ import annotations

import click

OK = 0
VALIDATION_FAILED = 1
USAGE = 2
DEFINITIONS = 3
DATA = 4


class DefinitionsError(click.ClickException):
    """The definitions could not be loaded: missing file, import error, bad view, bad JSON."""

    exit_code = DEFINITIONS


class DataError(click.ClickException):
    """The data did not fit the definitions or a query failed: schema mismatch, unreadable source."""

    exit_code = DATA


class ValidationFailed(click.ClickException):
    """At least one constraint has violating rows (the report was already printed)."""

    exit_code = VALIDATION_FAILED

    def show(self, file: object = None) -> None:  # the report already said it all
        click.echo(self.format_message(), err=True)
