"""``featsql show``: one view's schema (features, dtypes, constraints) and its SQL."""

from __future__ import annotations

import click

from featsql.cli.common import DIALECT_CHOICE, data_errors, defs_argument, load


@click.command("show")
@defs_argument
@click.argument("view_name", metavar="VIEW")
@click.option("--dialect", type=DIALECT_CHOICE, help="Show the SQL for this dialect (default: the source's).")
def command(defs: str, view_name: str, dialect: str | None) -> None:
    """Show VIEW of DEFS: its source, its features (schema) and the SQL computing it."""
    from featsql.catalog import catalog_data
    from featsql.compiler import compile_sql

    view = load(defs).view(view_name)
    data = catalog_data([view])["views"][0]
    source = data["source"]
    click.echo(f"view {view.name}" + (f": {view.description}" if view.description else ""))
    click.echo(f"source: {source['kind']} {source['location']} ({source['dialect']})")
    rows = [("feature", "dtype", "role", "constraints", "description")]
    for f in data["features"]:
        rows.append((f["name"], f["dtype"], f["role"], ", ".join(f["constraints"]), f["description"] or ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    click.echo("")
    for index, row in enumerate(rows):
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        if index == 0:
            click.echo("  ".join("-" * w for w in widths))
    with data_errors():
        sql = compile_sql(view, dialect or view.source.dialect, pretty=True)
    click.echo("")
    click.echo(f"-- SQL ({dialect or view.source.dialect})")
    click.echo(f"{sql};")
