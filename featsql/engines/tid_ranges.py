"""Splitting a query over one plain table into TID ranges, so several connections read it in parallel.

PostgreSQL (14+) scans ``ctid >= '(p,0)' AND ctid < '(q,0)'`` as a TID range scan that touches only
pages ``p .. q-1``. A query that maps each row of one table to at most one output row, on its own
(no aggregate, window, DISTINCT, LIMIT, join, subquery, set operation or time/volatile function),
gives the same rows when it runs once per page range and the results are concatenated in range
order, provided every range reads the same snapshot (the engine exports one to the other
connections). The SQL stays a sqlglot tree: the range condition is added with ``.where()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from sqlglot import exp, parse_one
from sqlglot.errors import ParseError

# Pages (8 kB) each range reads at least (16 MB): below that a connection costs more than it saves.
RANGE_PAGES = 2048

# Functions whose value depends on the transaction or the call (not only on the row).
_NOT_PER_ROW = (
    exp.AggFunc,
    exp.Window,
    exp.Select,
    exp.CurrentDate,
    exp.CurrentTime,
    exp.CurrentTimestamp,
    exp.CurrentTimestampLTZ,
    exp.CurrentDatetime,
    exp.Rand,
    exp.Randn,
    exp.Uuid,
)
_UNSPLITTABLE_CLAUSES = (
    "with",
    "joins",
    "laterals",
    "group",
    "having",
    "qualify",
    "distinct",
    "order",
    "limit",
    "offset",
    "windows",
    "into",
    "locks",
    "sample",
    "prewhere",
    "connect",
    "match",
    "for",
    "distribute",
    "sort",
    "cluster",
    "settings",
    "options",
)


@dataclass(frozen=True)
class TableScan:
    """A splittable query: its parsed tree and the one table it reads."""

    select: exp.Select
    table: exp.Table

    @property
    def relation(self) -> str:
        """The table's name as PostgreSQL's ``to_regclass`` reads it (quoted, schema-qualified)."""
        bare = exp.Table(
            this=self.table.this, db=self.table.args.get("db"), catalog=self.table.args.get("catalog")
        )
        return bare.sql(dialect="postgres", identify=True)

    def ranges(self, pages: int, parts: int) -> list[str]:
        """The query once per page range, ``parts`` ranges covering every page (the last is open)."""
        bounds = [pages * i // parts for i in range(parts + 1)]
        return [self._range(bounds[i], bounds[i + 1] if i < parts - 1 else None) for i in range(parts)]

    def _range(self, first_page: int, end_page: int | None) -> str:
        ctid = exp.column("ctid", table=self.table.alias_or_name)
        lower = exp.GTE(this=ctid, expression=_tid(first_page))
        if end_page is None:
            return self.select.copy().where(lower).sql(dialect="postgres", identify=True)
        condition = exp.and_(lower, exp.LT(this=ctid.copy(), expression=_tid(end_page)))
        return self.select.copy().where(condition).sql(dialect="postgres", identify=True)


def _tid(page: int) -> exp.Expression:
    literal = exp.Literal.string(f"({int(page)},0)")
    return exp.cast(literal, exp.DataType.build("tid", dialect="postgres", udt=True))


def table_scan(sql: str) -> TableScan | None:
    """The query's table when the query can be split into TID ranges, else ``None``.

    ``sql`` must be what sqlglot prints for it (featsql's own non-pretty PostgreSQL output), so the
    range queries differ from it by the added condition only.
    """
    try:
        tree = parse_one(sql, read="postgres")
    except ParseError:
        return None
    if not isinstance(tree, exp.Select) or any(
        tree.args.get(k) or tree.args.get(f"{k}_") for k in _UNSPLITTABLE_CLAUSES
    ):
        return None
    source = tree.args.get("from_") or tree.args.get("from")
    table = source.this if source is not None else None
    if not isinstance(table, exp.Table) or not isinstance(table.this, exp.Identifier):
        return None
    if table.args.get("joins") or table.args.get("pivots") or table.args.get("laterals"):
        return None
    if any(_not_per_row(node) for node in _expressions(tree)):
        return None
    if tree.sql(dialect="postgres", identify=True) != sql:
        return None  # only SQL that sqlglot prints back unchanged: the ranges add the WHERE and nothing else
    return TableScan(tree, table)


def _expressions(tree: exp.Select) -> Iterator[exp.Expression]:
    where = tree.args.get("where")
    for part in [*tree.expressions, *([where] if where is not None else [])]:
        yield from part.walk()


def _not_per_row(node: exp.Expression) -> bool:
    if isinstance(node, _NOT_PER_ROW):
        return True
    # functions sqlglot does not model (random(), now(), nextval() ...): only a known per-row few
    return isinstance(node, exp.Anonymous) and str(node.this).lower() not in _PER_ROW_ANONYMOUS


# Functions featsql's PostgreSQL templates print that sqlglot keeps as anonymous calls.
_PER_ROW_ANONYMOUS = frozenset(
    {
        "ln",
        "log",
        "exp",
        "sqrt",
        "cbrt",
        "power",
        "abs",
        "sign",
        "trunc",
        "floor",
        "ceil",
        "ceiling",
        "round",
        "width_bucket",
        "position",
        "strpos",
        "length",
        "char_length",
        "lower",
        "upper",
        "btrim",
        "ltrim",
        "rtrim",
        "replace",
        "substr",
        "substring",
        "left",
        "right",
        "lpad",
        "rpad",
        "concat",
        "concat_ws",
        "coalesce",
        "nullif",
        "greatest",
        "least",
        "date_part",
        "date_trunc",
        "extract",
        "to_char",
        "make_date",
        "make_timestamp",
        "make_timestamptz",
        "isfinite",
        "mod",
        "div",
        "md5",
        "reverse",
        "split_part",
        "starts_with",
        "timezone",
        "to_timestamp",
    }
)
