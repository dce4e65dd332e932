"""``featsql compile``: the SQL of every view, to stdout or one file per view plus a manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click

from featsql.cli.common import (
    DIALECT_CHOICE,
    data_errors,
    defs_argument,
    load,
    selected_views,
    write_text_atomic,
)


@click.command("compile")
@defs_argument
@click.option(
    "--dialect", type=DIALECT_CHOICE, help="Compile for this dialect (default: each view's source dialect)."
)
@click.option(
    "--select",
    "select",
    multiple=True,
    metavar="VIEW[:F1,F2]",
    help="Only these views (repeatable), optionally only some features.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False),
    help="Write DIR/<view>.sql and DIR/manifest.json instead of printing.",
)
@click.option(
    "--read-schema",
    is_flag=True,
    help="Read each source's real schema (casts only where types differ); needs access to the data.",
)
@click.option("--pretty/--compact", default=True, show_default=True, help="Indent the SQL.")
def command(
    defs: str, dialect: str | None, select: tuple[str, ...], out: str | None, read_schema: bool, pretty: bool
) -> None:
    """Compile DEFS (a .py file, a module or a JSON repository) to SQL, one SELECT per view.

    Without --read-schema no data is touched: every source column is cast to its declared type.
    """
    from featsql.compiler import compile_sql

    definitions = load(defs)
    chosen = selected_views(definitions, select)
    compiled = []
    with data_errors():
        store = definitions.store() if read_schema else None
        for view, features in chosen:
            target = dialect or view.source.dialect
            if store is not None and target == view.source.dialect:
                view_store = store.feature_view(view.name)
                if features:
                    view_store = view_store.select(features)
                sql = view_store.sql(pretty=pretty)
            else:
                sql = compile_sql(view, target, select=features, pretty=pretty)
            compiled.append((view, target, features, sql))
        if store is not None:
            store.close()
    if out is None:
        for view, target, _, sql in compiled:
            click.echo(f"-- view: {view.name} ({target})")
            click.echo(f"{sql};\n")
        return
    directory = Path(out)
    entries = []
    for view, target, features, sql in compiled:
        text = f"-- featsql: view {view.name} ({target})\n{sql};\n"
        entries.append((view, target, features, f"{view.name}.sql", text))
    manifest = {
        "format": "featsql.manifest",
        "version": 1,
        "views": [
            {
                "name": view.name,
                "dialect": target,
                "file": file,
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "source": {
                    "kind": view.source.kind,
                    "location": view.source.location if view.source.kind != "in_memory" else None,
                },
                "features": features or [f.name for f in view.features],
            }
            for view, target, features, file, text in entries
        ],
    }
    for _, _, _, file, text in entries:
        write_text_atomic(directory / file, text)
    write_text_atomic(directory / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    click.echo(f"wrote {len(entries)} view(s) and manifest.json to {directory}", err=True)
