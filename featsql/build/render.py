"""Statement rendering: the jinja2 templates of ``dialects/templates/<dialect>/`` filled with SQL
fragments that sqlglot printed.

Templates only place fragments; they never see a raw user string. Identifiers are quoted by
sqlglot (:meth:`Renderer.ident`, :meth:`Renderer.relation`), values become sqlglot literals
(:meth:`Renderer.string`, :meth:`Renderer.timestamp`), and the SELECT comes from the compiler.
"""

from __future__ import annotations

import datetime as _dt
import sys
from functools import cache
from typing import Any

import jinja2
from sqlglot import exp

from featsql.compiler.dialect import DialectTable, dialects_dir, load

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

STATE_TABLE = "featsql_state"
WINDOWS_TABLE = "featsql_state_windows"


class Renderer:
    """Renders one dialect's build statements."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.table: DialectTable = load(dialect)
        self.sqlglot_dialect = self.table.sqlglot_dialect
        folder = dialects_dir() / "templates" / dialect
        self.settings: dict[str, Any] = tomllib.loads((folder / "build.toml").read_text(encoding="utf-8"))
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder)),
            autoescape=False,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )

    @property
    def default_schema(self) -> str:
        return str(self.settings["default_schema"])

    def render(self, name: str, **fragments: Any) -> str:
        """The statement of template ``<name>.sql.j2`` (empty when the dialect renders nothing)."""
        return self.env.get_template(f"{name}.sql.j2").render(**fragments).strip()

    # -- fragments -------------------------------------------------------------------------------
    def ident(self, name: str) -> str:
        return exp.Identifier(this=name, quoted=True).sql(dialect=self.sqlglot_dialect)

    def relation(self, schema: str, name: str) -> str:
        table = exp.Table(
            this=exp.Identifier(this=name, quoted=True), db=exp.Identifier(this=schema, quoted=True)
        )
        return table.sql(dialect=self.sqlglot_dialect, identify=True)

    def string(self, value: str | None) -> str:
        node: exp.Expression = exp.Null() if value is None else exp.Literal.string(value)
        return node.sql(dialect=self.sqlglot_dialect)

    def number(self, value: int | float | None) -> str:
        if value is None:
            return exp.Null().sql(dialect=self.sqlglot_dialect)
        return exp.Literal.number(value).sql(dialect=self.sqlglot_dialect)

    def timestamp(self, value: _dt.datetime) -> str:
        """A UTC timestamp literal of the dialect's ``timestamp`` type."""
        text = to_utc_naive(value).isoformat(sep=" ")
        node = exp.Cast(this=exp.Literal.string(text), to=self.table.data_type("timestamp").copy())
        return node.sql(dialect=self.sqlglot_dialect)

    def epoch_seconds(self, column_name: str) -> str:
        """Seconds since the Unix epoch of a timestamp column (the dialect table's ``epoch_seconds``)."""
        column = exp.Column(this=exp.Identifier(this=column_name, quoted=True))
        return self.table.op("epoch_seconds", [column]).sql(dialect=self.sqlglot_dialect, identify=True)

    def sql_type(self, dtype: str) -> str:
        return self.table.data_type(dtype).sql(dialect=self.sqlglot_dialect)


def to_utc_naive(value: _dt.datetime) -> _dt.datetime:
    """Naive datetimes are UTC already; aware ones are converted to UTC and made naive."""
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value


@cache
def renderer(dialect: str) -> Renderer:
    """The (cached) renderer of ``dialect``."""
    return Renderer(dialect)
