"""The compiler: IR views to SQL text for a dialect, with a cache for unchanged definitions."""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from sqlglot import exp

from featsql import ir
from featsql.compiler.dialect import DIALECTS, load
from featsql.compiler.lower import build_select
from featsql.compiler.plan import make_plan, outputs_for
from featsql.compiler.redshift_lint import lint_redshift
from featsql.errors import UnsupportedOperationError

__all__ = ["DIALECTS", "LINTS", "check_dialect", "compile_select", "compile_sql"]

_CACHE: dict[tuple[object, ...], tuple[ir.View, str]] = {}
_CACHE_LIMIT = 4096


def compile_select(
    view: ir.View,
    dialect: str,
    *,
    select: Sequence[str] | None = None,
    schema: Mapping[str, str] | None = None,
) -> exp.Select:
    """The sqlglot SELECT tree for ``view`` in ``dialect`` (see :func:`compile_sql`)."""
    table = load(dialect)
    plan = make_plan(view, outputs_for(view, select))
    tree = build_select(view, table, plan, schema)
    check_dialect(tree, dialect, f"View '{view.name}'")
    return tree


# Dialects whose generated trees are linted before use: dialect -> lint (problems as sentences).
LINTS: dict[str, Callable[[exp.Expression], list[str]]] = {"redshift": lint_redshift}


def check_dialect(tree: exp.Expression, dialect: str, what: str) -> None:
    """Raise ``UnsupportedOperationError`` if ``dialect``'s lint finds shapes it cannot run."""
    lint = LINTS.get(dialect)
    problems = lint(tree) if lint is not None else []
    if problems:
        raise UnsupportedOperationError(
            f"{what}: the SQL generated for {dialect} uses shapes {dialect} does not support: "
            + "; ".join(problems)
        )


def compile_sql(
    view: ir.View,
    dialect: str,
    *,
    select: Sequence[str] | None = None,
    schema: Mapping[str, str] | None = None,
    pretty: bool = False,
    output_dialect: str | None = None,
) -> str:
    """SQL text computing the view's features (or ``select`` plus entity keys) in ``dialect``.

    ``schema`` maps the source's column names to featsql dtypes; with it, casts are emitted only
    where the source type differs from the declared one, and impossible conversions fail here.
    ``output_dialect`` prints the tree lowered for ``dialect`` in another dialect's spelling (the
    test suite runs the Redshift lowering on PostgreSQL this way). Deterministic; cached.
    """
    key = (
        id(view),
        dialect,
        None if select is None else tuple(select),
        None if schema is None else tuple(schema.items()),
        pretty,
        output_dialect,
    )
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is view:
        return hit[1]
    tree = compile_select(view, dialect, select=select, schema=schema)
    out_dialect = load(output_dialect).sqlglot_dialect if output_dialect else load(dialect).sqlglot_dialect
    # The tree is ours and used once: print it without sqlglot's defensive deep copy.
    sql = tree.sql(dialect=out_dialect, identify=True, pretty=pretty, copy=False)
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = (view, sql)
    return sql
