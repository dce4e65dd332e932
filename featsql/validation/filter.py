"""``drop_invalid``: keep only the rows of a read where every row constraint holds, in SQL."""

from __future__ import annotations

from typing import Sequence

from sqlglot import exp

from featsql import ir
from featsql.compiler.lower import column, ident
from featsql.compiler.plan import outputs_for
from featsql.compiler.retrieval import ROW_COLUMN
from featsql.validation.constraints import view_constraints
from featsql.validation.query import valid_rows_condition


def keep_valid_rows(
    view: ir.View, dialect: str, select: exp.Select, selection: Sequence[str] | None, *, lookup: bool
) -> exp.Select:
    """``select`` narrowed to valid rows, checking the constraints of its output features.

    A plain read is wrapped (``SELECT cols FROM (read) WHERE valid``); an entity lookup gets the
    condition on its joined feature columns (alias ``f``), which keeps its ORDER BY in place.
    """
    outputs = outputs_for(view, selection)
    checks = view_constraints(view, outputs)
    if lookup:
        keys = {f.name for f in view.entities}
        checks = [c for c in checks if c.feature.name not in keys]
        condition = valid_rows_condition(view, dialect, checks, qualifier="f")
        return select if condition is None else select.where(condition, copy=False)
    condition = valid_rows_condition(view, dialect, checks)
    if condition is None:
        return select
    wrapped = exp.Subquery(this=select, alias=exp.TableAlias(this=ident("featsql_valid")))
    outer = exp.Select(expressions=[column(name) for name in outputs if name != ROW_COLUMN])
    return outer.from_(wrapped, copy=False).where(condition, copy=False)
