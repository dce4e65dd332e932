"""``featsql build``: materialise the views in a warehouse (view, table, incremental), safely.

Imports of the build machinery happen inside the command, so ``featsql build`` starts fast.
"""

from __future__ import annotations

import datetime as _dt

import click

from featsql.cli.common import defs_argument, load


def parse_time(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.datetime | None:
    """An ISO date or timestamp (UTC) for --start / --end."""
    if value is None:
        return None
    try:
        parsed = _dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected an ISO date or timestamp such as 2024-05-01, got {value!r}"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return parsed


def target_options(function: click.decorators.FC) -> click.decorators.FC:
    """--target / --targets-file, shared by build and plan."""
    function = click.option(
        "--targets-file",
        type=click.Path(dir_okay=False),
        default=None,
        help="The targets TOML file (default: $FEATSQL_TARGETS or ./featsql_targets.toml).",
    )(function)
    return click.option(
        "--target",
        default=None,
        metavar="NAME",
        help="Target of the targets file (default: its `default`, or $FEATSQL_TARGET).",
    )(function)


def window_options(function: click.decorators.FC) -> click.decorators.FC:
    """--select / --full-refresh / --start / --end, shared by build and plan."""
    for decorator in reversed(
        (
            click.option(
                "--select",
                "select",
                multiple=True,
                metavar="VIEW",
                help="Only these views (repeatable; comma lists and globs such as 'titanic_*').",
            ),
            click.option("--full-refresh", is_flag=True, help="Rebuild every selected view from scratch."),
            click.option(
                "--start",
                callback=parse_time,
                default=None,
                metavar="TIME",
                help="Incremental views: first window to re-build (ISO, UTC; floored to a window).",
            ),
            click.option(
                "--end",
                callback=parse_time,
                default=None,
                metavar="TIME",
                help="Incremental views: end of the windows to re-build (exclusive, rounded up).",
            ),
        )
    ):
        function = decorator(function)
    return function


@click.command("build")
@defs_argument
@window_options
@target_options
@click.option("--dry-run", is_flag=True, help="Check and print every statement; write nothing.")
@click.option(
    "--validation",
    type=click.Choice(["block", "warn", "skip"]),
    default="block",
    show_default=True,
    help="Constraint failures on built rows: roll the view back (block), only report (warn), or skip.",
)
def command(
    defs: str,
    select: tuple[str, ...],
    full_refresh: bool,
    start: _dt.datetime | None,
    end: _dt.datetime | None,
    target: str | None,
    targets_file: str | None,
    dry_run: bool,
    validation: str,
) -> None:
    """Build DEFS's views in the target warehouse, each in its own transaction.

    Every view is first checked with a zero-row query; a failure leaves the previous version in
    place. Exit code 0 when every view built (or was unchanged), 1 when one failed, 2 usage error,
    3 definitions could not be loaded, 4 the target could not be reached.
    """
    import sys

    from featsql.build.runner import Builder
    from featsql.cli.errors import DataError
    from featsql.errors import FeatSQLError, UnknownNameError

    definitions = load(defs)
    try:
        from featsql.build.targets import resolve_target

        chosen = resolve_target(target, definitions.views, targets_file)
        builder = Builder(definitions.views, chosen, out=sys.stdout, validation=validation)
        result = builder.build_sync(select, full_refresh=full_refresh, start=start, end=end, dry_run=dry_run)
    except UnknownNameError as error:
        raise click.UsageError(str(error)) from error
    except FeatSQLError as error:
        raise DataError(str(error)) from error
    if not result.ok:
        raise click.exceptions.Exit(1)
