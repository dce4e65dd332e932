"""Lowering: IR expressions and plans to sqlglot trees for one dialect.

The meaning of every operation lives in the dialect tables (``dialects/*.toml``); this module only
walks the IR, builds nodes, and picks casts for source columns from the source's real schema.
"""

from __future__ import annotations

from typing import Mapping

from sqlglot import exp

from featsql import dtypes, ir
from featsql.compiler.dialect import DialectTable, needs_parens
from featsql.compiler.plan import Plan
from featsql.errors import SchemaMismatchError


def ident(name: str) -> exp.Identifier:
    return exp.Identifier(this=name, quoted=True)


def column(name: str, table: str | None = None) -> exp.Column:
    if table is None:
        return exp.Column(this=ident(name))
    return exp.Column(this=ident(name), table=ident(table))


def alias(node: exp.Expression, name: str) -> exp.Alias:
    return exp.Alias(this=node, alias=ident(name))


_CLASS_NAMES = {
    "bool": "Bool",
    "int8": "Int8",
    "int16": "Int16",
    "int32": "Int32",
    "int64": "Int64",
    "float32": "Float32",
    "float64": "Float64",
    "string": "String",
    "date": "Date",
    "timestamp": "Timestamp",
}


class ExprLowering:
    """Lowers the expressions of one view for one dialect."""

    def __init__(
        self, view: ir.View, table: DialectTable, schema: Mapping[str, str] | None, trivial: frozenset[str]
    ) -> None:
        self.view = view
        self.table = table
        self.schema = schema
        self.trivial = trivial
        self.layer = 0

    def lower(self, node: ir.Expr) -> exp.Expression:
        if isinstance(node, ir.Ref):
            if self.layer == 0 and node.name in self.trivial:
                return self.lower(self.view.feature(node.name).expr)
            return column(node.name)
        if isinstance(node, ir.Col):
            return self.source_column(node)
        if isinstance(node, ir.Lit):
            return self.literal(node)
        if isinstance(node, ir.Call):
            return self.table.op(node.op, [self.lower(a) for a in node.args])
        if isinstance(node, ir.Case):
            ifs = [exp.If(this=self.lower(c), true=self.lower(v)) for c, v in node.whens]
            default = None if node.default is None else self.lower(node.default)
            return exp.Case(ifs=ifs, default=default)
        if isinstance(node, ir.InList):
            arg = self.lower(node.arg)
            if needs_parens(arg, exp.In, "this"):  # (a = b) IN (TRUE), not a = (b IN (TRUE))
                arg = exp.Paren(this=arg)
            if not node.values:
                return exp.Case(
                    ifs=[exp.If(this=exp.Is(this=arg, expression=exp.Null()), true=exp.Null())],
                    default=exp.Boolean(this=False),
                )
            return exp.In(this=arg, expressions=[self.literal(v) for v in node.values])
        if isinstance(node, ir.Cast):
            return self.cast(self.lower(node.arg), node.from_, node.to)
        raise TypeError(f"unknown IR node {node!r}")

    def cast(self, value: exp.Expression, from_: str, to: str) -> exp.Expression:
        if from_ == to:
            return value
        return self.table.cast(value, dtypes.family(from_), to, dtypes.family(to))

    def source_column(self, node: ir.Col) -> exp.Expression:
        source_name = self.view.source.source_column(node.name)
        ref = column(source_name)
        if self.schema is None:
            return exp.Cast(this=ref, to=self.table.data_type(node.dtype))
        found = self.schema.get(source_name)
        if found is None:
            raise SchemaMismatchError(
                f"View '{self.view.name}': the source has no column '{source_name}' "
                f"(feature '{node.name}', declared {node.dtype}); it has: {', '.join(self.schema)}"
            )
        if found == node.dtype:
            return ref
        from_family = dtypes.family(found)
        if from_family not in dtypes.SOURCE_CONVERSIONS[dtypes.family(node.dtype)]:
            raise SchemaMismatchError(
                f"View '{self.view.name}': column '{source_name}' (feature '{node.name}') is "
                f"{found} in the source, which cannot be read as the declared {node.dtype}"
                + (
                    f"; declare it String() and convert explicitly, e.g. .cast({_CLASS_NAMES[node.dtype]}())"
                    if from_family == "string"
                    else ""
                )
            )
        if from_family in ("decimal", "decimal_int"):
            from_family = "float" if from_family == "decimal" else "int"
        return self.table.cast(ref, from_family, node.dtype, dtypes.family(node.dtype))

    def literal(self, node: ir.Lit) -> exp.Expression:
        value = node.value
        if value is None:
            return exp.Cast(this=exp.Null(), to=self.table.data_type(node.dtype))
        if isinstance(value, bool):
            return exp.Boolean(this=value)
        if node.dtype in (dtypes.DATE, dtypes.TIMESTAMP) or (
            isinstance(value, str) and node.dtype in dtypes.FLOAT_TYPES
        ):
            return exp.Cast(this=exp.Literal.string(str(value)), to=self.table.data_type(node.dtype))
        if isinstance(value, (int, float)):
            if isinstance(value, float) and value != value:  # NaN
                return exp.Cast(this=exp.Literal.string("NaN"), to=self.table.data_type(node.dtype))
            if isinstance(value, float) and value in (float("inf"), float("-inf")):
                text = "Infinity" if value > 0 else "-Infinity"
                return exp.Cast(this=exp.Literal.string(text), to=self.table.data_type(node.dtype))
            number: exp.Expression = exp.Literal.number(repr(abs(value)))
            if value < 0:
                number = exp.Neg(this=number)
            if isinstance(value, float):  # a bare 0.5 is DECIMAL/NUMERIC in SQL; featsql floats are doubles
                return exp.Cast(this=number, to=self.table.data_type(node.dtype))
            return number
        return exp.Literal.string(str(value))


def source_relation(view: ir.View, table: DialectTable) -> exp.Expression:
    """The FROM clause item that reads the view's source in this dialect."""
    source = view.source
    if source.kind.endswith("_query") and source.dialect == table.name:
        import sqlglot

        query = sqlglot.parse_one(source.location, read=table.sqlglot_dialect)
        return exp.Subquery(this=query, alias=exp.TableAlias(this=ident("source")))
    if source.kind in ("duckdb_table", "postgres_table", "redshift_table"):
        return table_ref(source.location)
    if source.kind == "in_memory":
        return table_ref(in_memory_name(source))
    relation = table.source(source.kind, exp.Literal.string(source.location))
    if relation is not None:
        return relation
    # Inspecting a file or foreign source in another dialect: read it as a table named like the view.
    return table_ref(view.name)


def in_memory_name(source: ir.Source) -> str:
    return f"featsql_in_memory__{source.location}"


def table_ref(name: str) -> exp.Table:
    parts = name.split(".")
    table = exp.Table(this=ident(parts[-1]))
    if len(parts) >= 2:
        table.set("db", ident(parts[-2]))
    if len(parts) >= 3:
        table.set("catalog", ident(parts[-3]))
    return table


def build_select(
    view: ir.View, table: DialectTable, plan: Plan, schema: Mapping[str, str] | None
) -> exp.Select:
    """The SELECT computing ``plan.outputs`` from the view's source, layered into CTEs by depth."""
    lowering = ExprLowering(view, table, schema, plan.trivial)
    top = len(plan.layers) - 1
    relation: exp.Expression = source_relation(view, table)
    ctes: list[exp.CTE] = []
    final: exp.Select | None = None
    for k, computed in enumerate(plan.layers):
        lowering.layer = k
        exprs: dict[str, exp.Expression] = {}
        for name in plan.carried[k]:
            exprs[name] = column(name)
        for name in computed:
            exprs[name] = alias(lowering.lower(view.feature(name).expr), name)
        if k < top:
            # Inner layers pass earlier features through with *, so SQL stays linear in the
            # number of features even when every feature of a deep chain is an output.
            items: list[exp.Expression] = [exp.Star()] if k > 0 else []
            items.extend(exprs[n] for n in computed)
            select = exp.Select(expressions=items).from_(relation, copy=False)
            cte_name = f"{view.name}__layer{k}"
            ctes.append(exp.CTE(this=select, alias=exp.TableAlias(this=ident(cte_name))))
            relation = exp.Table(this=ident(cte_name))
        else:
            final = exp.Select(expressions=[exprs[n] for n in plan.outputs]).from_(relation, copy=False)
    assert final is not None
    if ctes:
        final.set("with_", exp.With(expressions=ctes))
    return final
