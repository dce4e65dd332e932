"""``featsql validate``: every constraint of every view, checked in SQL; exit 1 when one fails."""

from __future__ import annotations

import json

import click

from featsql.cli.common import data_errors, defs_argument, load, selected_views
from featsql.cli.errors import ValidationFailed


@click.command("validate")
@defs_argument
@click.option("--select", "select", multiple=True, metavar="VIEW", help="Only these views (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format on stdout.",
)
@click.option(
    "--examples",
    type=click.IntRange(0, 100),
    default=5,
    show_default=True,
    help="Example entity keys per failed constraint.",
)
def command(defs: str, select: tuple[str, ...], fmt: str, examples: int) -> None:
    """Check the constraints of DEFS's views where the data lives (one query per view).

    Exit code 0 when every constraint holds, 1 when one fails, 4 when a source does not match its
    view (the message names the view, the column, the expected and the found type).
    """
    definitions = load(defs)
    chosen = selected_views(definitions, tuple(s.partition(":")[0] for s in select))
    store = definitions.store()
    reports = []
    try:
        with data_errors():
            for view, _ in chosen:
                report = store.feature_view(view.name).validate_sync(examples)
                reports.append(report)
                if fmt == "text":
                    click.echo(str(report))
                    click.echo("")
    finally:
        store.close()
    failed = [r for r in reports if not r.ok]
    n_failed = sum(len(r.failures) for r in reports)
    n_total = sum(len(r.results) for r in reports)
    if fmt == "json":
        document = {"ok": not failed, "views": [r.to_dict() for r in reports]}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        for report in reports:
            click.echo(("PASS " if report.ok else "FAIL ") + report.summary())
    if failed:
        raise ValidationFailed(
            f"validation failed: {n_failed} of {n_total} constraints in {len(failed)} view(s)"
        )
    click.echo(f"validation passed: {n_total} constraints in {len(reports)} view(s)", err=True)
