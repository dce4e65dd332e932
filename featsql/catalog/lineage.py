"""Lineage: which features and source columns each feature depends on, transitively."""

from __future__ import annotations

from featsql import ir


def feature_dependencies(view: ir.View, name: str) -> list[str]:
    """Every feature ``name`` uses, directly or through others, in declaration order."""
    seen: set[str] = set()
    stack = list(ir.refs(view.feature(name).expr))
    while stack:
        dep = stack.pop()
        if dep in seen:
            continue
        seen.add(dep)
        stack.extend(ir.refs(view.feature(dep).expr))
    return [f.name for f in view.features if f.name in seen]


def source_columns(view: ir.View, name: str) -> list[str]:
    """The source's own column names (before ``mapping_keys``) that ``name`` reads, transitively."""
    out: dict[str, None] = {}
    for feature in [name, *feature_dependencies(view, name)]:
        for col in ir.columns(view.feature(feature).expr):
            out.setdefault(view.source.source_column(col), None)
    return sorted(out)


def expression_text(node: ir.Expr) -> str:
    """A compact, readable form of an expression: ``coalesce(column Age, 0)``."""
    if isinstance(node, ir.Col):
        return f"column {node.name}"
    if isinstance(node, ir.Ref):
        return node.name
    if isinstance(node, ir.Lit):
        return "NULL" if node.value is None else repr(node.value)
    if isinstance(node, ir.Call):
        return f"{node.op}({', '.join(expression_text(a) for a in node.args)})"
    if isinstance(node, ir.Case):
        whens = " ".join(f"when {expression_text(c)} then {expression_text(v)}" for c, v in node.whens)
        default = "" if node.default is None else f" else {expression_text(node.default)}"
        return f"case {whens}{default} end"
    if isinstance(node, ir.InList):
        return f"{expression_text(node.arg)} in [{', '.join(expression_text(v) for v in node.values)}]"
    if isinstance(node, ir.Cast):
        return f"cast({expression_text(node.arg)} as {node.to})"
    raise TypeError(f"unknown IR node {node!r}")
