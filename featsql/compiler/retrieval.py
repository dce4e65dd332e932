"""SQL around a view's SELECT for reads: entity lookups (``features_for``) and limits."""

from __future__ import annotations

from typing import Sequence

from sqlglot import exp

from featsql import ir
from featsql.compiler.lower import alias, column, ident

ENTITY_TABLE = "featsql_entities"
ROW_COLUMN = "featsql_row"


def latest_per_entity(view: ir.View, select: exp.Select, columns: Sequence[str]) -> exp.Select:
    """Keep each entity's latest row by event time (NULL times last); others pass unchanged."""
    timestamp = view.event_timestamp
    keys = [f.name for f in view.entities]
    if timestamp is None or not keys or timestamp.name not in columns:
        return select
    order = exp.Ordered(this=column(timestamp.name), desc=True, nulls_first=False)
    window = exp.Window(
        this=exp.RowNumber(),
        partition_by=[column(k) for k in keys],
        order=exp.Order(expressions=[order]),
    )
    ranked = exp.Select(expressions=[*(column(c) for c in columns), alias(window, "featsql_rank")])
    ranked = ranked.from_(
        exp.Subquery(this=select, alias=exp.TableAlias(this=ident("featsql_ranked"))), copy=False
    )
    outer = exp.Select(expressions=[column(c) for c in columns])
    outer = outer.from_(
        exp.Subquery(this=ranked, alias=exp.TableAlias(this=ident("featsql_latest"))), copy=False
    )
    return outer.where(exp.EQ(this=column("featsql_rank"), expression=exp.Literal.number(1)), copy=False)


def entity_lookup(
    view: ir.View, features: exp.Select, columns: Sequence[str], entity_table: exp.Table
) -> exp.Select:
    """Every entity row, in input order, with its features (all NULL for unknown entities)."""
    keys = [f.name for f in view.entities]
    latest = latest_per_entity(view, features, columns)
    values = [c for c in columns if c not in keys]
    out = exp.Select(expressions=[*(column(k, "e") for k in keys), *(column(c, "f") for c in values)])
    entity_table.set("alias", exp.TableAlias(this=ident("e")))
    out = out.from_(entity_table, copy=False)
    condition: exp.Expression | None = None
    for key in keys:
        eq = exp.EQ(this=column(key, "e"), expression=column(key, "f"))
        condition = eq if condition is None else exp.And(this=condition, expression=eq)
    joined = exp.Subquery(this=latest, alias=exp.TableAlias(this=ident("f")))
    out = out.join(joined, on=condition, join_type="left", copy=False)
    order = exp.Ordered(this=column(ROW_COLUMN, "e"), nulls_first=False)
    return out.order_by(order, copy=False)


def with_limit(select: exp.Select, limit: int | None) -> exp.Select:
    if limit is None:
        return select
    return select.limit(exp.Literal.number(int(limit)), copy=False)
