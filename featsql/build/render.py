"""Statement rendering: the jinja2 templates of ``dialects/templates/<dialect>/`` filled with SQL
fragments that sqlglot printed.

Templates only place fragments; they never see a raw user string. Identifiers are quoted by
sqlglot (:meth:`Renderer.ident`, :meth:`Renderer.relation`), values become sqlglot literals
(:meth:`Renderer.string`, :meth:`Renderer.timestamp`), and the SELECT comes from the compiler.

Every rendering is a pure function of its inputs and goes through the build memo
(:mod:`featsql.build.memo`): sqlglot, the dialect table and jinja2 load only on a miss, so
rebuilding an unchanged definition imports neither.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import sys
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from featsql._paths import dialects_dir
from featsql.build.memo import memo

if TYPE_CHECKING:
    import jinja2

    from featsql.compiler.dialect import DialectTable

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
        self.folder = dialects_dir() / "templates" / dialect
        self.settings: dict[str, Any] = tomllib.loads(
            (self.folder / "build.toml").read_text(encoding="utf-8")
        )

    @cached_property
    def table(self) -> DialectTable:
        """The dialect table (imports the compiler and sqlglot on first use)."""
        from featsql.compiler.dialect import load

        return load(self.dialect)

    @cached_property
    def sqlglot_dialect(self) -> str:
        return self.table.sqlglot_dialect

    @cached_property
    def env(self) -> jinja2.Environment:
        """The templates' jinja2 environment (imports jinja2 on first use)."""
        import jinja2

        return jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.folder)),
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
        return memo().lookup(
            lambda: self.render_now(name, **fragments), "render", self.dialect, name, fragments
        )

    def render_now(self, name: str, **fragments: Any) -> str:
        """:meth:`render` without the memo, for statements that differ every run (window bounds)."""
        return self.env.get_template(f"{name}.sql.j2").render(**fragments).strip()

    def render_late(self, name: str, late: dict[str, str], **fragments: Any) -> str:
        """:meth:`render` of a statement with ``late`` fragments that change every run (a row count,
        a build time) and that the template only places: the text around them is memoised, so the
        statement is assembled without jinja2 on a hit."""

        def split() -> str:
            text = self.render_now(name, **fragments, **{key: _LATE.format(key) for key in late})
            parts = _LATE_SPLIT.split(text)  # text, key, text, key, ..., text
            if sorted(parts[1::2]) != sorted(late):
                raise ValueError(f"template {name}.sql.j2 must place each of {sorted(late)} exactly once")
            return json.dumps(parts)

        pieces = json.loads(memo().lookup(split, "render_late", self.dialect, name, sorted(late), fragments))
        return "".join(late[p] if i % 2 else p for i, p in enumerate(pieces))

    # -- fragments (sqlglot prints them on a memo miss) ------------------------------------------
    def ident(self, name: str) -> str:
        return memo().lookup(lambda: self._print(_identifier(name)), "ident", self.dialect, name)

    def relation(self, schema: str, name: str) -> str:
        def build() -> str:
            from sqlglot import exp

            table = exp.Table(this=_identifier(name), db=_identifier(schema))
            return self._print(table, identify=True)

        return memo().lookup(build, "relation", self.dialect, schema, name)

    def string(self, value: str | None) -> str:
        def build() -> str:
            from sqlglot import exp

            return self._print(exp.Null() if value is None else exp.Literal.string(value))

        return memo().lookup(build, "string", self.dialect, value)

    def number(self, value: int | float | None) -> str:
        if type(value) is int and value >= 0:
            return str(value)  # a count: digits only, exactly what sqlglot prints (see tests)

        def build() -> str:
            from sqlglot import exp

            return self._print(exp.Null() if value is None else exp.Literal.number(value))

        return memo().lookup(build, "number", self.dialect, value)

    def timestamp(self, value: _dt.datetime) -> str:
        """A UTC timestamp literal of the dialect's ``timestamp`` type.

        Build times change every run, so this one is not memoised: the text of a ``datetime``
        (digits, ``-``, ``:``, ``.``, a space; checked) is quoted into the dialect's CAST, whose
        type name is memoised; the result equals sqlglot's rendering (see tests).
        """
        text = to_utc_naive(value).isoformat(sep=" ")
        if not _TIMESTAMP_TEXT.fullmatch(text):  # pragma: no cover - datetime.isoformat guarantees it
            raise ValueError(f"unexpected timestamp text {text!r}")
        return f"CAST('{text}' AS {self.sql_type('timestamp')})"

    def epoch_seconds(self, column_name: str) -> str:
        """Seconds since the Unix epoch of a timestamp column (the dialect table's ``epoch_seconds``)."""

        def build() -> str:
            from sqlglot import exp

            column = exp.Column(this=_identifier(column_name))
            return self._print(self.table.op("epoch_seconds", [column]), identify=True)

        return memo().lookup(build, "epoch_seconds", self.dialect, column_name)

    def sql_type(self, dtype: str) -> str:
        return memo().lookup(
            lambda: self._print(self.table.data_type(dtype)), "sql_type", self.dialect, dtype
        )

    def _print(self, node: Any, identify: bool = False) -> str:
        return str(node.sql(dialect=self.sqlglot_dialect, identify=identify))


def _identifier(name: str) -> Any:
    from sqlglot import exp

    return exp.Identifier(this=name, quoted=True)


_LATE = "\x00featsql-late:{}\x00"
_LATE_SPLIT = re.compile("\x00featsql-late:([A-Za-z_]+)\x00")
_TIMESTAMP_TEXT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?")


def to_utc_naive(value: _dt.datetime) -> _dt.datetime:
    """Naive datetimes are UTC already; aware ones are converted to UTC and made naive."""
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value


@cache
def renderer(dialect: str) -> Renderer:
    """The (cached) renderer of ``dialect``."""
    return Renderer(dialect)
