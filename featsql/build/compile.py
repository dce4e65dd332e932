"""A view made ready to build on a target: its compiled SELECT (checked with a zero-row query),
its columns, the statements a fresh build renders, and its fingerprints.

The probe and the compiled SELECT go through the build memo (:mod:`featsql.build.memo`), keyed by
the view's JSON definition (and, for the SELECT, the source's column types the probe just read):
an unchanged definition is not compiled again and sqlglot is not imported. The zero-row check
always runs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from featsql import ir
from featsql.build import fingerprint as fp
from featsql.build.materializations import check_materialization, materialization_of
from featsql.build.memo import memo
from featsql.build.render import Renderer
from featsql.build.targets import Target
from featsql.build.warehouse import Warehouse
from featsql.errors import FeatSQLError
from featsql.repository import view_to_json


@dataclass(frozen=True)
class ColumnInfo:
    """An output column: its name, featsql dtype, SQL type and meaning hash."""

    name: str
    dtype: str
    sql_type: str
    hash: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "dtype": self.dtype, "sql_type": self.sql_type, "hash": self.hash}


@dataclass(frozen=True)
class CompiledView:
    """Everything a build or a plan needs to know about one view on one target."""

    view: ir.View
    materialization: ir.Materialization
    renderer: Renderer
    schema: str
    select_sql: str
    columns: tuple[ColumnInfo, ...]
    definition_sql: str
    fingerprint: str
    data_fingerprint: str

    @property
    def name(self) -> str:
        return self.view.name

    @property
    def relation(self) -> str:
        """The quoted, schema-qualified relation the view builds."""
        return self.renderer.relation(self.schema, self.view.name)

    @property
    def display_name(self) -> str:
        return f"{self.schema}.{self.view.name}"

    @property
    def tmp_name(self) -> str:
        """A short temporary name, unique per view (PostgreSQL truncates names at 63 bytes)."""
        return "featsql_tmp_" + hashlib.sha256(self.view.name.encode("utf-8")).hexdigest()[:16]

    @property
    def tmp_relation(self) -> str:
        return self.renderer.relation(self.schema, self.tmp_name)

    @property
    def kind_keyword(self) -> str:
        return "VIEW" if self.materialization.kind == "view" else "TABLE"

    def columns_json(self) -> str:
        return fp.canonical([c.to_json() for c in self.columns])

    # -- statements of a fresh build, with the final name (for plans and diffs) -------------------
    def create_statement(self, relation: str) -> str:
        r, m = self.renderer, self.materialization
        if m.kind == "view":
            return r.render("create_view", relation=relation, select=self.select_sql)
        return r.render(
            "create_table_as",
            relation=relation,
            select=self.select_sql,
            dist_key=r.ident(m.dist_key) if m.dist_key else None,
            sort_keys=[r.ident(k) for k in m.sort_keys],
        )

    def metadata_statements(self) -> list[str]:
        """COMMENT statements from the descriptions, and GRANTs, on the final relation."""
        r, out = self.renderer, []
        if self.view.description:
            out.append(
                r.render(
                    "comment_relation",
                    kind=self.kind_keyword,
                    relation=self.relation,
                    text=r.string(self.view.description),
                )
            )
        for column in self.columns:
            description = self.view.feature(column.name).description
            if description:
                out.append(
                    r.render(
                        "comment_column",
                        relation=self.relation,
                        column=r.ident(column.name),
                        text=r.string(description),
                    )
                )
        for grantee in self.materialization.grants:
            out.append(r.render("grant", relation=self.relation, grantee=r.ident(grantee)))
        return [s for s in out if s]


async def compile_view(view: ir.View, target: Target, renderer: Renderer, wh: Warehouse) -> CompiledView:
    """Compile ``view`` for ``target``: read the source's columns, compile, run the zero-row check."""
    check_materialization(view)
    target.check_serves(view)
    definition = fp.sha256(fp.canonical(view_to_json(view)))
    probe_sql = memo().lookup(lambda: _probe_sql(view, renderer), "probe", renderer.dialect, definition)
    try:
        source_schema = await wh.column_types(probe_sql)
    except Exception as error:
        raise FeatSQLError(
            f"View '{view.name}': cannot read its source in target '{target.name}': {error}"
        ) from error
    select_sql = memo().lookup(
        lambda: _select_sql(view, target.dialect, source_schema, renderer),
        "select",
        target.dialect,
        definition,
        source_schema,
    )
    try:
        await wh.fetch(renderer.render("check", select=select_sql))
    except Exception as error:
        raise FeatSQLError(f"View '{view.name}': the zero-row check failed: {error}") from error
    m = materialization_of(view)
    hashes = fp.column_hashes(view)
    names = [f.name for f in view.features]  # every output, in declaration order
    columns = tuple(
        ColumnInfo(n, view.feature(n).dtype, renderer.sql_type(view.feature(n).dtype), hashes[n])
        for n in names
    )
    schema = target.schema or renderer.default_schema
    partial = CompiledView(view, m, renderer, schema, select_sql, columns, "", "", "")
    statements = [partial.create_statement(partial.relation), *partial.metadata_statements()]
    definition_sql = ";\n\n".join(statements) + ";\n"
    return CompiledView(
        view,
        m,
        renderer,
        schema,
        select_sql,
        columns,
        definition_sql,
        fp.definition_fingerprint(definition_sql, m),
        fp.data_fingerprint(select_sql, m),
    )


def _probe_sql(view: ir.View, renderer: Renderer) -> str:
    """``SELECT * FROM <source> LIMIT 0``: reads the source's column types without rows."""
    from sqlglot import exp

    from featsql.compiler.lower import source_relation

    probe = exp.Select(expressions=[exp.Star()]).from_(source_relation(view, renderer.table), copy=False)
    probe = probe.limit(exp.Literal.number(0), copy=False)
    return str(probe.sql(dialect=renderer.sqlglot_dialect, identify=True))


def _select_sql(view: ir.View, dialect: str, source_schema: dict[str, str], renderer: Renderer) -> str:
    from featsql.compiler import compile_select

    select = compile_select(view, dialect, schema=source_schema)
    return str(select.sql(dialect=renderer.sqlglot_dialect, identify=True, pretty=True))


def columns_from_json(text: str) -> tuple[ColumnInfo, ...]:
    data: Any = json.loads(text)
    return tuple(ColumnInfo(c["name"], c["dtype"], c["sql_type"], c["hash"]) for c in data)
