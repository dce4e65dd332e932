"""A lint for generated Redshift SQL: rejects tree shapes Amazon Redshift does not run.

featsql has no Redshift cluster in its test suite, so the Redshift lowering is checked twice
without one: it is executed on PostgreSQL (``compile_sql(view, "redshift", output_dialect=
"postgres")``), and this lint walks the same sqlglot tree and rejects what PostgreSQL accepts
but Redshift does not. Each rule cites the Redshift documentation it comes from (Developer Guide:
"Unsupported PostgreSQL features", "Unsupported PostgreSQL functions", "Window functions",
"POSIX operators", "Character types").

``lint_redshift(tree)`` returns the problems as readable sentences (empty when the tree is fine);
:func:`featsql.compiler.compile_select` raises ``UnsupportedOperationError`` with them.
"""

from __future__ import annotations

from typing import Callable

from sqlglot import exp

__all__ = ["lint_redshift", "UNSUPPORTED_FUNCTIONS"]

# PostgreSQL functions Redshift rejects on compute nodes (docs: "Unsupported PostgreSQL functions",
# and the regex functions Redshift lacks: it has REGEXP_COUNT/INSTR/REPLACE/SUBSTR and `~` only).
UNSUPPORTED_FUNCTIONS: dict[str, str] = {
    "REGEXP_MATCHES": "Redshift has no REGEXP_MATCHES; use `~` or REGEXP_COUNT",
    "REGEXP_MATCH": "Redshift has no REGEXP_MATCH; use REGEXP_SUBSTR",
    "REGEXP_SPLIT_TO_TABLE": "Redshift has no REGEXP_SPLIT_TO_TABLE (no set-returning functions)",
    "REGEXP_SPLIT_TO_ARRAY": "Redshift has no arrays (REGEXP_SPLIT_TO_ARRAY)",
    "REGEXP_LIKE": "Redshift has no REGEXP_LIKE; use `~`",
    "GENERATE_SERIES": "GENERATE_SERIES runs on the Redshift leader node only",
    "GENERATE_SUBSCRIPTS": "GENERATE_SUBSCRIPTS is not supported by Redshift",
    "STRING_AGG": "Redshift has no STRING_AGG; use LISTAGG",
    "ARRAY_AGG": "Redshift has no arrays (ARRAY_AGG)",
    "WIDTH_BUCKET": "WIDTH_BUCKET is not supported by Redshift",
    "DIV": "DIV() is not supported by Redshift",
    "OVERLAY": "OVERLAY is not supported by Redshift",
    "BIT_LENGTH": "BIT_LENGTH is not supported by Redshift",
    "CLOCK_TIMESTAMP": "CLOCK_TIMESTAMP is not supported by Redshift",
    "JUSTIFY_DAYS": "JUSTIFY_DAYS is not supported by Redshift",
    "JUSTIFY_HOURS": "JUSTIFY_HOURS is not supported by Redshift",
    "JUSTIFY_INTERVAL": "JUSTIFY_INTERVAL is not supported by Redshift",
    "UNNEST": "UNNEST of arrays is not supported by Redshift",
    "ISODOW": "Redshift has no ISODOW; compute the ISO day from DOW",
}

# Window functions that take no frame: everything else with an ORDER BY needs an explicit ROWS frame.
_RANKING = (
    exp.RowNumber,
    exp.Rank,
    exp.DenseRank,
    exp.PercentRank,
    exp.CumeDist,
    exp.Ntile,
    exp.Lag,
    exp.Lead,
)

# Column types Redshift lacks or changes: TEXT is silently VARCHAR(256) there (truncation).
_BAD_TYPES: dict[exp.DType, str] = {
    exp.DataType.Type.TEXT: "TEXT is VARCHAR(256) in Redshift (longer values fail); use VARCHAR(65535)",
    exp.DataType.Type.JSON: "Redshift has no JSON type (use SUPER)",
    exp.DataType.Type.JSONB: "Redshift has no JSONB type (use SUPER)",
    exp.DataType.Type.UUID: "Redshift has no UUID type",
    exp.DataType.Type.ARRAY: "Redshift has no array types",
    exp.DataType.Type.INTERVAL: "Redshift has no INTERVAL column type (interval literals only)",
}


def _function_name(node: exp.Expr) -> str | None:
    """The name of a function sqlglot does not know (printed as written), else None.

    Known functions are matched by class below: their sqlglot names are not what is printed
    (``RegexpLike`` prints as ``~`` for Redshift).
    """
    if isinstance(node, exp.Anonymous):
        return str(node.this).upper()
    return None


def _in_insert(node: exp.Expr) -> bool:
    return isinstance(node.parent, exp.Insert)


def _is_cast_target(node: exp.DataType) -> bool:
    """A type inside a CAST (or column definition) rather than a nested parameter of one."""
    return not isinstance(node.parent, exp.DataType)


Rule = Callable[[exp.Expr], "str | None"]


def _lateral(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Lateral):
        return "LATERAL joins and subqueries are not supported by Redshift"
    return None


def _null_safe(node: exp.Expr) -> str | None:
    if isinstance(node, exp.NullSafeEQ):
        return (
            "IS NOT DISTINCT FROM is not supported by Redshift; expand it (a = b OR a IS NULL AND b IS NULL)"
        )
    if isinstance(node, exp.NullSafeNEQ):
        return "IS DISTINCT FROM is not supported by Redshift; expand it"
    return None


def _values_table(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Values) and not _in_insert(node):
        return "a VALUES list used as a table is not supported by Redshift"
    return None


def _arrays(node: exp.Expr) -> str | None:
    if isinstance(node, (exp.Any, exp.All)):
        return f"{node.key.upper()} (...) over a list or array (e.g. ILIKE ANY) is not supported by Redshift"
    if isinstance(node, exp.Array):
        return "array constructors are not supported by Redshift"
    if isinstance(node, exp.Unnest):
        return "UNNEST of arrays is not supported by Redshift"
    return None


def _set_returning(node: exp.Expr) -> str | None:
    if isinstance(node, (exp.GenerateSeries, exp.ExplodingGenerateSeries)):
        return "GENERATE_SERIES runs on the Redshift leader node only; it cannot feed a query over tables"
    return None


def _functions(node: exp.Expr) -> str | None:
    if isinstance(node, exp.RegexpILike):
        return "`~*` is not supported by Redshift (POSIX operators are `~` and `!~`)"
    if isinstance(node, exp.RegexpSplit):
        return UNSUPPORTED_FUNCTIONS["REGEXP_SPLIT_TO_ARRAY"]
    if isinstance(node, exp.ArrayAgg):
        return UNSUPPORTED_FUNCTIONS["ARRAY_AGG"]
    name = _function_name(node)
    if name is not None and name in UNSUPPORTED_FUNCTIONS:
        return f"{name}: {UNSUPPORTED_FUNCTIONS[name]}"
    if isinstance(node, exp.Extract) and str(node.this.name).upper() == "ISODOW":
        return f"ISODOW: {UNSUPPORTED_FUNCTIONS['ISODOW']}"
    return None


def _windows(node: exp.Expr) -> str | None:
    if not isinstance(node, exp.Window):
        return None
    spec = node.args.get("spec")
    if spec is not None and str(spec.args.get("kind") or "").upper() in ("RANGE", "GROUPS"):
        return f"{str(spec.args['kind']).upper()} window frames are not supported by Redshift (ROWS only)"
    if node.args.get("order") is not None and spec is None and not isinstance(node.this, _RANKING):
        name = _function_name(node.this) or node.this.key.upper()
        return (
            f"window aggregate {name} with ORDER BY needs an explicit ROWS frame on Redshift "
            "(Redshift has no default frame)"
        )
    return None


def _misc(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Join) and str(node.args.get("method") or "").upper() == "ASOF":
        return "ASOF joins are not supported by Redshift"
    if isinstance(node, exp.Filter):
        return "aggregate FILTER (WHERE ...) is not supported by Redshift; use CASE inside the aggregate"
    if isinstance(node, exp.Distinct) and node.args.get("on") is not None:
        return "SELECT DISTINCT ON is not supported by Redshift"
    if isinstance(node, exp.Collate):
        return "COLLATE clauses are not supported by Redshift"
    if isinstance(node, exp.DataType) and _is_cast_target(node) and node.this in _BAD_TYPES:
        return _BAD_TYPES[node.this]
    return None


_RULES: tuple[Rule, ...] = (
    _lateral,
    _null_safe,
    _values_table,
    _arrays,
    _set_returning,
    _functions,
    _windows,
    _misc,
)


def lint_redshift(tree: exp.Expr) -> list[str]:
    """The Redshift problems in a generated sqlglot tree, one sentence each, without repeats.

    An empty list means every shape in the tree is one Redshift supports (as far as featsql's
    rules know; see docs/redshift.md for what is verified how).
    """
    problems: dict[str, None] = {}
    for node in tree.walk():
        for rule in _RULES:
            problem = rule(node)
            if problem is not None:
                problems.setdefault(problem, None)
    return list(problems)
