"""Point-in-time joins: each entity row gets, from each view, the latest row known at its time.

For an entity row with keys ``k`` and timestamp ``t``, a view contributes its row with the same keys
whose event time is the latest at or before ``t`` (and not older than the view's TTL); among rows
with that event time, the one with the latest created timestamp. No match gives NULL features; the
row is kept. Without an entity timestamp (or a view event timestamp), the view's latest row counts.

The join shape is per dialect and chosen by the ``pit_strategy`` key of ``dialects/<name>.toml``:

- ``asof``: ``ASOF LEFT JOIN`` (DuckDB); the TTL is applied to the matched row.
- ``lateral``: ``LEFT JOIN LATERAL (... ORDER BY ts DESC LIMIT 1)`` (PostgreSQL), which an index on
  the source's ``(key, ts DESC)`` answers with one index probe per entity row.
- ``rank``: an inner join on the keys and the time window, then ``ROW_NUMBER() = 1`` per entity row
  (Redshift has no LATERAL).

Each view's rows come from :func:`featsql.compiler.compile_select`, so derived features (and the
source columns they need, selected or not) are computed in SQL with the view's own definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Callable, Mapping, Sequence

from sqlglot import exp

from featsql import ir
from featsql.compiler import compile_select
from featsql.compiler.dialect import load
from featsql.compiler.lower import alias, column, ident
from featsql.errors import FeatSQLError

ENTITY_ALIAS = "featsql_e"
RANK_COLUMN = "featsql_rank"


@dataclass(frozen=True)
class ViewJoin:
    """One view's part of a point-in-time join: which of its features the output needs."""

    view: ir.View
    features: tuple[str, ...]
    schema: Mapping[str, str] | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.view.entities)

    @property
    def event_timestamp(self) -> str | None:
        ts = self.view.event_timestamp
        return None if ts is None else ts.name

    @property
    def created_timestamp(self) -> str | None:
        created = self.view.created_timestamp
        return None if created is None else created.name

    @property
    def ttl_seconds(self) -> float | None:
        ts = self.view.event_timestamp
        return None if ts is None else ts.ttl_seconds


@dataclass(frozen=True)
class EntityRelation:
    """The entity rows: a table name, or a query numbered on the fly.

    ``columns`` are the columns passed through to the output; ``row_column`` numbers the rows
    (the output is ordered by it); ``timestamp`` is the column holding each row's time, if any.
    With ``query`` set, the rows are ``query`` numbered by ``ROW_NUMBER() OVER (ORDER BY keys, ts)``
    and made visible as a CTE named ``name``.
    """

    name: str
    columns: tuple[str, ...]
    row_column: str
    timestamp: str | None = None
    query: exp.Expression | None = None
    order_by: tuple[str, ...] = ()


@cache
def pit_strategy(dialect: str) -> str:
    """The point-in-time join shape of ``dialect`` (the ``pit_strategy`` key of its table)."""
    strategy = load(dialect).settings.get("pit_strategy")
    if strategy not in _STRATEGIES:
        raise FeatSQLError(
            f"dialects/{dialect}.toml: pit_strategy must be one of {', '.join(_STRATEGIES)}, got {strategy!r}"
        )
    return str(strategy)


def point_in_time_select(
    joins: Sequence[ViewJoin],
    entities: EntityRelation,
    dialect: str,
    *,
    order: Sequence[str] | None = None,
    keep_row_column: bool = False,
    ordered: bool = True,
) -> exp.Select:
    """The SELECT of every entity row (input order) with the joined features of every view.

    Output columns: the entity columns, then the features in ``order`` (default: view by view),
    then the row column when ``keep_row_column``. ``ordered`` adds ``ORDER BY`` the row column.
    """
    strategy = _STRATEGIES[pit_strategy(dialect)]
    outputs: dict[str, exp.Expression] = {}
    select = exp.Select(expressions=[column(c, ENTITY_ALIAS) for c in entities.columns])
    select = select.from_(_entity_table(entities, ENTITY_ALIAS), copy=False)
    for index, join in enumerate(joins):
        name = f"featsql_v{index}"
        rows = _view_rows(join, dialect)
        if entities.timestamp is None or join.event_timestamp is None:
            values = _latest_join(select, join, rows, name, entities)
        else:
            values = strategy(select, join, rows, name, entities)
        outputs.update(values)
    names = list(order) if order is not None else list(outputs)
    select.set("expressions", [*select.expressions, *(alias(outputs[n], n) for n in names)])
    if keep_row_column:
        select.set("expressions", [*select.expressions, column(entities.row_column, ENTITY_ALIAS)])
    if entities.query is not None:
        select.set("with_", exp.With(expressions=[_entity_cte(entities)]))
    if ordered:
        select = select.order_by(_ordered(column(entities.row_column, ENTITY_ALIAS)), copy=False)
    return select


# -- per-view rows ------------------------------------------------------------------------------


def _view_rows(join: ViewJoin, dialect: str) -> exp.Expression:
    """The view's rows with its keys, times and the requested features, as computed by the view."""
    wanted = [*join.features]
    for extra in (join.event_timestamp, join.created_timestamp):
        if extra is not None and extra not in wanted:
            wanted.append(extra)
    return compile_select(join.view, dialect, select=wanted, schema=join.schema)


def _deduplicated(join: ViewJoin, rows: exp.Expression) -> exp.Expression:
    """With a created timestamp: one row per (keys, event time), the one created last."""
    created, ts = join.created_timestamp, join.event_timestamp
    if created is None or ts is None:
        return rows
    window = exp.Window(
        this=exp.RowNumber(),
        partition_by=[column(k) for k in (*join.keys, ts)],
        order=exp.Order(expressions=[_ordered(column(created), desc=True)]),
    )
    ranked = exp.Select(expressions=[exp.Star(), alias(window, RANK_COLUMN)])
    ranked = ranked.from_(_subquery(rows, "featsql_created"), copy=False)
    outer = exp.Select(expressions=[exp.Star()]).from_(_subquery(ranked, "featsql_dedup"), copy=False)
    return outer.where(_rank_is_one(None), copy=False)


# -- strategies ---------------------------------------------------------------------------------

Strategy = Callable[[exp.Select, ViewJoin, exp.Expression, str, EntityRelation], dict[str, exp.Expression]]


def _asof(
    select: exp.Select, join: ViewJoin, rows: exp.Expression, name: str, entities: EntityRelation
) -> dict[str, exp.Expression]:
    """``ASOF LEFT JOIN``: the latest row at or before the entity time; then the TTL check."""
    ts = join.event_timestamp
    assert ts is not None and entities.timestamp is not None
    rows = _deduplicated(join, rows)
    condition = _keys_equal(join.keys, ENTITY_ALIAS, name)
    condition = exp.And(
        this=condition,
        expression=exp.GTE(this=column(entities.timestamp, ENTITY_ALIAS), expression=column(ts, name)),
    )
    joined = exp.Join(this=_subquery(rows, name), on=condition, side="LEFT", method="ASOF")
    select.append("joins", joined)
    fresh = _within_ttl(column(ts, name), column(entities.timestamp, ENTITY_ALIAS), join.ttl_seconds)
    out: dict[str, exp.Expression] = {}
    for feature in join.features:
        value: exp.Expression = column(feature, name)
        if fresh is not None:
            value = exp.Case(ifs=[exp.If(this=fresh.copy(), true=value)])
        out[feature] = value
    return out


def _lateral(
    select: exp.Select, join: ViewJoin, rows: exp.Expression, name: str, entities: EntityRelation
) -> dict[str, exp.Expression]:
    """``LEFT JOIN LATERAL (... WHERE key = e.key AND ts <= e.ts ORDER BY ts DESC LIMIT 1)``."""
    inner_alias = f"{name}_rows"
    inner = exp.Select(expressions=[column(f, inner_alias) for f in join.features])
    inner = inner.from_(_subquery(rows, inner_alias), copy=False)
    inner = inner.where(_window_condition(join, inner_alias, entities), copy=False)
    inner = inner.order_by(*_latest_first(join, inner_alias, filtered=True), copy=False)
    inner = inner.limit(exp.Literal.number(1), copy=False)
    lateral = exp.Lateral(this=exp.Subquery(this=inner), alias=exp.TableAlias(this=ident(name)))
    select.append("joins", exp.Join(this=lateral, on=exp.Boolean(this=True), side="LEFT"))
    return {f: column(f, name) for f in join.features}


def _rank(
    select: exp.Select, join: ViewJoin, rows: exp.Expression, name: str, entities: EntityRelation
) -> dict[str, exp.Expression]:
    """Join on keys and time window, keep ``ROW_NUMBER() = 1`` per entity row (no LATERAL)."""
    inner_alias, entity_alias = f"{name}_rows", f"{name}_e"
    window = exp.Window(
        this=exp.RowNumber(),
        partition_by=[column(entities.row_column, entity_alias)],
        order=exp.Order(expressions=_latest_first(join, inner_alias, filtered=True)),
    )
    ranked = exp.Select(
        expressions=[
            column(entities.row_column, entity_alias),
            *(column(f, inner_alias) for f in join.features),
            alias(window, RANK_COLUMN),
        ]
    )
    ranked = ranked.from_(_entity_table(entities, entity_alias), copy=False)
    condition = _window_condition(join, inner_alias, entities, entity_alias)
    ranked = ranked.join(_subquery(rows, inner_alias), on=condition, join_type="inner", copy=False)
    matched = exp.Select(expressions=[column(entities.row_column), *(column(f) for f in join.features)])
    matched = matched.from_(_subquery(ranked, f"{name}_ranked"), copy=False)
    matched = matched.where(_rank_is_one(None), copy=False)
    on = exp.EQ(this=column(entities.row_column, name), expression=column(entities.row_column, ENTITY_ALIAS))
    select.append("joins", exp.Join(this=_subquery(matched, name), on=on, side="LEFT"))
    return {f: column(f, name) for f in join.features}


def _latest_join(
    select: exp.Select, join: ViewJoin, rows: exp.Expression, name: str, entities: EntityRelation
) -> dict[str, exp.Expression]:
    """No time to compare: each entity's latest row (by event, then created time) joined on keys."""
    order = _latest_first(join, None, filtered=False)
    window = exp.Window(
        this=exp.RowNumber(),
        partition_by=[column(k) for k in join.keys],
        order=exp.Order(expressions=order) if order else None,
    )
    ranked = exp.Select(expressions=[exp.Star(), alias(window, RANK_COLUMN)])
    ranked = ranked.from_(_subquery(rows, f"{name}_rows"), copy=False)
    latest = exp.Select(expressions=[*(column(k) for k in join.keys), *(column(f) for f in join.features)])
    latest = latest.from_(_subquery(ranked, f"{name}_ranked"), copy=False)
    latest = latest.where(_rank_is_one(None), copy=False)
    on = _keys_equal(join.keys, ENTITY_ALIAS, name)
    select.append("joins", exp.Join(this=_subquery(latest, name), on=on, side="LEFT"))
    return {f: column(f, name) for f in join.features}


_STRATEGIES: dict[str, Strategy] = {"asof": _asof, "lateral": _lateral, "rank": _rank}


# -- small builders ------------------------------------------------------------------------------


def _window_condition(
    join: ViewJoin, rows_alias: str, entities: EntityRelation, entity_alias: str = ENTITY_ALIAS
) -> exp.Expression:
    """Same keys, event time at or before the entity time, and within the TTL."""
    ts = join.event_timestamp
    assert ts is not None and entities.timestamp is not None
    entity_ts = column(entities.timestamp, entity_alias)
    condition = _keys_equal(join.keys, rows_alias, entity_alias)
    condition = exp.And(this=condition, expression=exp.LTE(this=column(ts, rows_alias), expression=entity_ts))
    fresh = _within_ttl(column(ts, rows_alias), entity_ts.copy(), join.ttl_seconds)
    if fresh is not None:
        condition = exp.And(this=condition, expression=fresh)
    return condition


def _within_ttl(
    event: exp.Expression, at: exp.Expression, ttl_seconds: float | None
) -> exp.Expression | None:
    """``event >= at - INTERVAL ttl`` (an event exactly ``ttl`` old still counts)."""
    if ttl_seconds is None:
        return None
    if float(ttl_seconds).is_integer():
        amount, unit = str(int(ttl_seconds)), "SECOND"
    else:
        amount, unit = str(round(ttl_seconds * 1_000_000)), "MICROSECOND"
    interval = exp.Interval(this=exp.Literal.string(amount), unit=exp.Var(this=unit))
    return exp.GTE(this=event, expression=exp.Sub(this=at, expression=interval))


def _latest_first(join: ViewJoin, table: str | None, *, filtered: bool) -> list[exp.Ordered]:
    """Event time descending, then created time descending (NULL created times last).

    ``filtered``: the rows were already filtered on ``ts <= entity time`` (no NULL event times), so
    the event time is ordered ``DESC NULLS FIRST``, PostgreSQL's default for ``DESC``: an index on
    ``(key, ts DESC)`` then serves the ORDER BY. Unfiltered, NULL event times rank last.
    """
    out = []
    if join.event_timestamp is not None:
        out.append(_ordered(column(join.event_timestamp, table), desc=True, nulls_first=filtered))
    if join.created_timestamp is not None:
        out.append(_ordered(column(join.created_timestamp, table), desc=True))
    return out


def _keys_equal(keys: Sequence[str], left: str, right: str) -> exp.Expression:
    condition: exp.Expression | None = None
    for key in keys:
        eq = exp.EQ(this=column(key, left), expression=column(key, right))
        condition = eq if condition is None else exp.And(this=condition, expression=eq)
    assert condition is not None, "a view joined to entity rows has entity keys"
    return condition


def _ordered(node: exp.Expression, desc: bool = False, nulls_first: bool = False) -> exp.Ordered:
    return exp.Ordered(this=node, desc=desc, nulls_first=nulls_first)


def _subquery(query: exp.Expression, name: str) -> exp.Subquery:
    return exp.Subquery(this=query, alias=exp.TableAlias(this=ident(name)))


def _rank_is_one(table: str | None) -> exp.Expression:
    return exp.EQ(this=column(RANK_COLUMN, table), expression=exp.Literal.number(1))


def _entity_table(entities: EntityRelation, name: str) -> exp.Table:
    return exp.Table(this=ident(entities.name), alias=exp.TableAlias(this=ident(name)))


def _entity_cte(entities: EntityRelation) -> exp.CTE:
    """``name AS (SELECT q.*, ROW_NUMBER() OVER (ORDER BY keys, ts) AS row FROM (query) q)``."""
    assert entities.query is not None
    window = exp.Window(
        this=exp.RowNumber(),
        order=exp.Order(expressions=[_ordered(column(c, "featsql_q")) for c in entities.order_by]),
    )
    numbered = exp.Select(
        expressions=[*(column(c, "featsql_q") for c in entities.columns), alias(window, entities.row_column)]
    )
    numbered = numbered.from_(_subquery(entities.query, "featsql_q"), copy=False)
    return exp.CTE(this=numbered, alias=exp.TableAlias(this=ident(entities.name)))
