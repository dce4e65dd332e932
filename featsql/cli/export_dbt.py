"""``featsql export dbt``: the views as a dbt package (models, YAML with contracts and tests, macros).

Adds the ``dbt`` subcommand to the ``featsql export`` group.
"""

from __future__ import annotations

import click

from featsql.cli.common import DIALECT_CHOICE, defs_argument, load
from featsql.cli.export_cmd import group


@group.command("dbt")
@defs_argument
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Directory of the dbt package.")
@click.option(
    "--dialect", type=DIALECT_CHOICE, default=None, help="SQL dialect of the models (default: each source's)."
)
@click.option("--project-name", default="featsql_features", show_default=True, help="The dbt project name.")
@click.option("--profile", default="featsql", show_default=True, help="The dbt profile the project uses.")
def dbt_command(defs: str, out: str, dialect: str | None, project_name: str, profile: str) -> None:
    """Write DEFS as a dbt package: one model per view, YAML with column types, descriptions, an
    enforced contract and the constraints as data tests. Byte-stable; no network needed by dbt."""
    from featsql.cli.errors import DataError
    from featsql.errors import FeatSQLError
    from featsql.export_dbt import export_dbt

    try:
        written = export_dbt(
            load(defs).views, out, dialect=dialect, project_name=project_name, profile=profile
        )
    except (FeatSQLError, ValueError) as error:
        raise DataError(str(error)) from error
    click.echo(f"wrote {len(written)} files to {out}", err=True)


command = group
