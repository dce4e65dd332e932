"""The SQL of validation: every constraint of a view in one aggregate query over the view's SELECT.

Shape (one scan of the source; identifiers quoted, literals built by sqlglot)::

    SELECT SUM(featsql_rows) AS featsql_rows,
           SUM(CASE WHEN featsql_flag_0 THEN featsql_rows ELSE 0 END) AS featsql_violations_0,
           <example keys of the groups where featsql_flag_0>          AS featsql_examples_0, ...
    FROM (SELECT featsql_flag_0, ..., COUNT(*) AS featsql_rows,
                 <keys_low(featsql_key)> AS featsql_keys_low, <keys_high(...)> AS featsql_keys_high
          FROM (SELECT <entity key> AS featsql_key, <violation 0> AS featsql_flag_0, ...
                FROM (SELECT *, COUNT(*) OVER (PARTITION BY u) AS featsql_dup_k   -- only with is_unique
                      FROM (<the view's SELECT>) AS featsql_view) AS featsql_checked) AS featsql_flags
          GROUP BY featsql_flag_0, ...) AS featsql_groups

The rows are first grouped by their combination of violation flags (a few hundred groups at most in
practice), then each constraint is summed over the groups. Grouping makes the database compute each
violation once per row: PostgreSQL inlines the flag subquery into every aggregate that reads a flag
(count, smallest and largest key), so a regex ran three times per row, while a GROUP BY key is
computed once below the (parallel) aggregate.

The aggregates come from the dialect tables (``validation_count``, ``validation_keys_low``,
``validation_keys_high``, ``validation_examples``): ``SUM(CASE ...)`` everywhere, since Redshift
has no ``FILTER``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from sqlglot import exp

from featsql import dtypes, ir
from featsql.compiler import compile_select
from featsql.compiler.dialect import DialectTable, load
from featsql.compiler.lower import ExprLowering, alias, column, ident
from featsql.validation.constraints import CheckedConstraint, violation

ROWS_COLUMN = "featsql_rows"
KEY_COLUMN = "featsql_key"
EXAMPLE_LIMIT = 5
EXAMPLE_SEPARATOR = "\x1f"
"""Joins the example keys in the result (``CHR(31)`` in the dialect tables' ``validation_examples``)."""


@dataclass(frozen=True)
class ValidationQuery:
    """The validation SELECT and, per constraint, the result columns holding its counts and examples."""

    select: exp.Select
    checks: tuple[CheckedConstraint, ...]
    violation_columns: tuple[str, ...]
    example_columns: tuple[str | None, ...]
    dialect: str
    examples: int = EXAMPLE_LIMIT

    def sql(self, pretty: bool = False) -> str:
        """The query text in the view's dialect."""
        return self.select.sql(dialect=load(self.dialect).sqlglot_dialect, identify=True, pretty=pretty)


def validation_query(
    view: ir.View,
    dialect: str,
    checks: list[CheckedConstraint],
    schema: Mapping[str, str] | None,
    examples: int = EXAMPLE_LIMIT,
) -> ValidationQuery:
    """The single aggregate query checking ``checks`` over every row of ``view``."""
    table = load(dialect)
    view_select = compile_select(view, dialect, schema=schema)
    relation: exp.Expression = exp.Subquery(
        this=view_select, alias=exp.TableAlias(this=ident("featsql_view"))
    )
    uniques = [i for i, check in enumerate(checks) if check.kind == "unique"]
    if uniques:
        windows: list[exp.Expression] = [exp.Star()]
        for i in uniques:
            count = exp.Window(this=exp.Count(this=exp.Star()), partition_by=[column(checks[i].feature.name)])
            windows.append(alias(count, f"featsql_dup_{i}"))
        inner = exp.Select(expressions=windows).from_(relation, copy=False)
        relation = exp.Subquery(this=inner, alias=exp.TableAlias(this=ident("featsql_checked")))

    lowering = ExprLowering(view, table, None, frozenset())
    lowering.layer = 1
    key = _example_key(view, table) if examples > 0 else None
    flags: list[exp.Expression] = [] if key is None else [alias(key, KEY_COLUMN)]
    for i, check in enumerate(checks):
        flags.append(alias(_violation_sql(check, i, lowering), f"featsql_flag_{i}"))
    if not flags:
        flags.append(alias(exp.Literal.number(1), "featsql_row"))
    inner = exp.Select(expressions=flags).from_(relation, copy=False)
    relation = exp.Subquery(this=inner, alias=exp.TableAlias(this=ident("featsql_flags")))

    # One row per combination of flags: each violation is computed once per row (a GROUP BY key).
    limit = exp.Literal.number(int(examples))
    flag_columns = [column(f"featsql_flag_{i}") for i in range(len(checks))]
    groups: list[exp.Expression] = [c.copy() for c in flag_columns]
    groups.append(alias(exp.Count(this=exp.Star()), ROWS_COLUMN))
    if key is not None:
        for bound in ("low", "high"):
            keys = table.op(f"validation_keys_{bound}", [column(KEY_COLUMN), limit.copy()])
            groups.append(alias(keys, f"featsql_keys_{bound}"))
    grouped = exp.Select(expressions=groups).from_(relation, copy=False)
    if flag_columns:
        grouped = grouped.group_by(*[c.copy() for c in flag_columns], copy=False)
    relation = exp.Subquery(this=grouped, alias=exp.TableAlias(this=ident("featsql_groups")))

    rows = column(ROWS_COLUMN)
    outputs: list[exp.Expression] = [alias(exp.Sum(this=rows.copy()), ROWS_COLUMN)]
    violation_columns: list[str] = []
    example_columns: list[str | None] = []
    for i, flag in enumerate(flag_columns):
        name = f"featsql_violations_{i}"
        outputs.append(alias(table.op("validation_count", [flag, rows.copy()]), name))
        violation_columns.append(name)
        if key is not None:
            ex_name = f"featsql_examples_{i}"
            args = [column("featsql_keys_low"), flag.copy(), limit.copy(), column("featsql_keys_high")]
            outputs.append(alias(table.op("validation_examples", args), ex_name))
            example_columns.append(ex_name)
        else:
            example_columns.append(None)
    select = exp.Select(expressions=outputs).from_(relation, copy=False)
    return ValidationQuery(
        select, tuple(checks), tuple(violation_columns), tuple(example_columns), dialect, examples
    )


def _violation_sql(check: CheckedConstraint, index: int, lowering: ExprLowering) -> exp.Expression:
    if check.kind == "unique":
        value = column(check.feature.name)
        not_null = exp.Not(this=exp.Is(this=value, expression=exp.Null()))
        duplicated = exp.GT(this=column(f"featsql_dup_{index}"), expression=exp.Literal.number(1))
        return exp.And(this=exp.Paren(this=not_null), expression=duplicated)
    return exp.Paren(this=lowering.lower(violation(check)))


def _example_key(view: ir.View, table: DialectTable) -> exp.Expression | None:
    """The entity key (several keys: as text joined by ``", "``); None without an entity.

    A single key stays typed: the dialect's ``validation_examples`` aggregates it and casts the few
    results to text, which is much cheaper than casting (and collating) every violating row's key.
    """
    keys = view.entities
    if not keys:
        return None
    if len(keys) == 1:
        return column(keys[0].name)
    text = table.data_type(dtypes.STRING)
    parts: list[exp.Expression] = [exp.Cast(this=column(k.name), to=text.copy()) for k in keys]
    key = parts[0]
    for part in parts[1:]:
        key = table.op("concat", [table.op("concat", [key, exp.Literal.string(", ")]), part])
    return key


def valid_rows_condition(
    view: ir.View, dialect: str, checks: list[CheckedConstraint], qualifier: str | None = None
) -> exp.Expression | None:
    """``NOT (COALESCE(v0, FALSE) OR ...)`` over the row constraints: TRUE where every one holds.

    ``qualifier`` prefixes the feature columns with a table alias. None when nothing is checked.
    """
    table = load(dialect)
    lowering = ExprLowering(view, table, None, frozenset())
    lowering.layer = 1
    any_violation: exp.Expression | None = None
    for check in checks:
        if check.kind == "unique":
            continue
        lowered = lowering.lower(violation(check))
        if qualifier is not None:
            lowered = _qualify(lowered, qualifier)
        term = table.op("coalesce", [exp.Paren(this=lowered), exp.Boolean(this=False)])
        any_violation = term if any_violation is None else table.op("or", [any_violation, term])
    if any_violation is None:
        return None
    return table.op("not", [exp.Paren(this=any_violation)])


def _qualify(node: exp.Expression, qualifier: str) -> exp.Expression:
    def add_table(n: exp.Expression) -> exp.Expression:
        if isinstance(n, exp.Column) and not n.table:
            return column(n.name, qualifier)
        return n

    return node.transform(add_table, copy=False)
