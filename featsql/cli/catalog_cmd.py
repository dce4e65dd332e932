"""``featsql catalog``: every view and feature, as JSON, Markdown or a self-contained HTML page."""

from __future__ import annotations

import click

from featsql.cli.common import defs_argument, emit, load, selected_views


@click.command("catalog")
@defs_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "json"]),
    default="html",
    show_default=True,
    help="Output format.",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--select", "select", multiple=True, metavar="VIEW", help="Only these views (repeatable).")
@click.option("--title", default="featsql feature catalog", show_default=True, help="Page title (html).")
def command(defs: str, fmt: str, out: str | None, select: tuple[str, ...], title: str) -> None:
    """Document DEFS's views: dtype, description, tags, constraints, source and lineage per feature."""
    from featsql import catalog

    definitions = load(defs)
    views = [v for v, _ in selected_views(definitions, tuple(s.partition(":")[0] for s in select))]
    if fmt == "json":
        text = catalog.to_json(views)
    elif fmt == "md":
        text = catalog.to_markdown(views)
    else:
        text = catalog.to_html(views, title=title)
    emit(text, out)
