"""``featsql plan``: what a build would change, per view, with a diff of the SQL; writes nothing."""

from __future__ import annotations

import datetime as _dt

import click

from featsql.cli.build import target_options, window_options
from featsql.cli.common import defs_argument, load


@click.command("plan")
@defs_argument
@window_options
@target_options
@click.option("--no-diff", is_flag=True, help="Labels and actions only, without the SQL diffs.")
def command(
    defs: str,
    select: tuple[str, ...],
    full_refresh: bool,
    start: _dt.datetime | None,
    end: _dt.datetime | None,
    target: str | None,
    targets_file: str | None,
    no_diff: bool,
) -> None:
    """Compare DEFS with what is deployed in the target (the featsql_state table).

    Labels each view new, unchanged, metadata only, added columns only or breaking, lists the
    actions a build would take and prints a unified diff of the SQL. Writes nothing.
    Exit code: 0 nothing to change, 5 changes, 6 at least one breaking change, 1 a view cannot be
    compiled or checked, 2 usage error, 3 definitions could not be loaded, 4 target unreachable.
    """
    from featsql.build.runner import Builder
    from featsql.cli.errors import DataError
    from featsql.errors import FeatSQLError, UnknownNameError

    definitions = load(defs)
    try:
        from featsql.build.targets import resolve_target

        chosen = resolve_target(target, definitions.views, targets_file)
        plan = Builder(definitions.views, chosen).plan_sync(
            select, full_refresh=full_refresh, start=start, end=end
        )
    except UnknownNameError as error:
        raise click.UsageError(str(error)) from error
    except FeatSQLError as error:
        raise DataError(str(error)) from error
    click.echo(plan.render(diffs=not no_diff), nl=False)
    if plan.exit_code:
        raise click.exceptions.Exit(plan.exit_code)
