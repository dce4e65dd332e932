"""Train / test / validation splits computed in SQL, the same on every engine.

A split assigns each output row a ``featsql_split`` label (``train``, ``test`` or ``validation``):

- *random*: by a seeded hash of the entity keys, ``hash_bucket(seed | key1 | key2 ...)``, an
  integer in ``[0, 2^32)`` from the first 8 hex digits of ``MD5`` (the ``hash_bucket`` op of
  the dialect tables). Rows with the same keys always land in the same split. Test takes the
  buckets below ``fraction * 2^32``; validation the next ``fraction * 2^32`` buckets.
- *stratified* random: within each value of a target column, rows are ranked by bucket (then
  row number) and the first ``ceil(n * fraction)`` go to test, the next ones to validation, so
  each class keeps its share. Integer arithmetic only, so no rounding rule differs by engine.
- *by time*: rows whose timestamp is at or after the cutoff go to test (or validation);
  rows without a timestamp stay in train.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence, Union

from sqlglot import exp

from featsql.compiler.dialect import load
from featsql.compiler.lower import alias, column, ident

SPLIT_COLUMN = "featsql_split"
HASH_KEY_COLUMN = "featsql_hash_key"
BUCKET_COLUMN = "featsql_bucket"
STRATUM_RANK = "featsql_stratum_rank"
STRATUM_SIZE = "featsql_stratum_size"
BUCKETS = 2**32
DENOMINATOR = 1_000_000


@dataclass(frozen=True)
class RandomSplit:
    """A share of the rows, chosen by the seeded key hash (``0 < fraction < 1``)."""

    fraction: float


@dataclass(frozen=True)
class TimeSplit:
    """The rows at or after ``after`` (UTC)."""

    after: _dt.datetime


SplitRule = Union[RandomSplit, TimeSplit]


@dataclass(frozen=True)
class SplitSpec:
    """Which rows go to test and validation; the rest is train."""

    test: SplitRule | None
    validation: SplitRule | None
    keys: tuple[str, ...]
    timestamp: str | None
    seed: int = 0
    stratify_by: str | None = None

    @property
    def rules(self) -> tuple[SplitRule, ...]:
        return tuple(r for r in (self.test, self.validation) if r is not None)


def split_select(
    rows: exp.Select, columns: Sequence[str], row_column: str, spec: SplitSpec, dialect: str
) -> exp.Select:
    """``SELECT columns, <label> AS featsql_split FROM (rows) ORDER BY row_column``.

    ``rows`` must output ``columns`` and ``row_column`` (see ``point_in_time_select``).
    """
    table = load(dialect)
    relation: exp.Select = rows
    needs_bucket = any(isinstance(r, RandomSplit) for r in spec.rules)
    if needs_bucket:
        # the key text gets its own column first: a template may use its argument more than once
        key_text = _key_text(spec, table.data_type("string"))
        relation = _extend(relation, "featsql_keyed", [alias(key_text, HASH_KEY_COLUMN)])
        bucket = table.op("hash_bucket", [column(HASH_KEY_COLUMN)])
        relation = _extend(relation, "featsql_hashed", [alias(bucket, BUCKET_COLUMN)])
    if spec.stratify_by is not None:
        order = [exp.Ordered(this=column(BUCKET_COLUMN if needs_bucket else row_column), nulls_first=False)]
        order.append(exp.Ordered(this=column(row_column), nulls_first=False))
        rank = exp.Window(
            this=exp.RowNumber(), partition_by=[column(spec.stratify_by)], order=exp.Order(expressions=order)
        )
        size = exp.Window(this=exp.Count(this=exp.Star()), partition_by=[column(spec.stratify_by)])
        relation = _extend(relation, "featsql_ranked", [alias(rank, STRATUM_RANK), alias(size, STRATUM_SIZE)])
    whens = []
    used = Fraction(0)
    for label, rule in (("test", spec.test), ("validation", spec.validation)):
        if rule is None:
            continue
        if isinstance(rule, TimeSplit):
            assert spec.timestamp is not None
            cutoff = exp.Cast(this=exp.Literal.string(_utc_text(rule.after)), to=table.data_type("timestamp"))
            condition: exp.Expression = exp.GTE(this=column(spec.timestamp), expression=cutoff)
        else:
            used += Fraction(round(rule.fraction * DENOMINATOR), DENOMINATOR)
            condition = _random_condition(spec, used)
        whens.append(exp.If(this=condition, true=exp.Literal.string(label)))
    label_expr = exp.Case(ifs=whens, default=exp.Literal.string("train"))
    out = exp.Select(expressions=[*(column(c) for c in columns), alias(label_expr, SPLIT_COLUMN)])
    out = out.from_(_subquery(relation, "featsql_labelled"), copy=False)
    return out.order_by(exp.Ordered(this=column(row_column), nulls_first=False), copy=False)


def _extend(rows: exp.Select, name: str, columns: list[exp.Expression]) -> exp.Select:
    """``SELECT *, columns FROM (rows) AS name``: each layer may use the previous layer's columns."""
    return exp.Select(expressions=[exp.Star(), *columns]).from_(_subquery(rows, name), copy=False)


def _random_condition(spec: SplitSpec, cumulative: Fraction) -> exp.Expression:
    """Stratified: ``(rank - 1) * D < size * N``; else ``bucket < floor(cumulative * 2^32)``."""
    if spec.stratify_by is not None:
        numerator = cumulative.numerator * (DENOMINATOR // cumulative.denominator)
        left = exp.Mul(
            this=exp.Paren(this=exp.Sub(this=column(STRATUM_RANK), expression=exp.Literal.number(1))),
            expression=exp.Literal.number(DENOMINATOR),
        )
        right = exp.Mul(this=column(STRATUM_SIZE), expression=exp.Literal.number(numerator))
        return exp.LT(this=left, expression=right)
    threshold = (cumulative.numerator * BUCKETS) // cumulative.denominator
    return exp.LT(this=column(BUCKET_COLUMN), expression=exp.Literal.number(threshold))


def _key_text(spec: SplitSpec, text_type: exp.DataType) -> exp.Expression:
    """``'<seed>' || '|' || COALESCE(CAST(key1 AS text), '') || '|' || ...``."""
    text: exp.Expression = exp.Literal.string(str(spec.seed))
    for key in spec.keys:
        cast = exp.Cast(this=column(key), to=text_type.copy())
        part = exp.Coalesce(this=cast, expressions=[exp.Literal.string("")])
        text = exp.DPipe(this=exp.DPipe(this=text, expression=exp.Literal.string("|")), expression=part)
    return text


def _utc_text(value: _dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value.isoformat(sep=" ")


def _subquery(query: exp.Expression, name: str) -> exp.Subquery:
    return exp.Subquery(this=query, alias=exp.TableAlias(this=ident(name)))
