"""Planning: what a request needs from a view, and in which layer each feature is computed.

A feature's *depth* is 0 when it only reads source columns (directly or through trivial features,
which are inlined), else one more than the deepest feature it references. Each depth becomes one
SELECT layer (a CTE) that passes through what later layers need, so SQL grows linearly with the
number of features however often a deep chain reuses earlier features.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from featsql import ir
from featsql.errors import UnknownNameError


@dataclass(frozen=True)
class Plan:
    """The layers of one compiled SELECT over a view."""

    outputs: tuple[str, ...]
    layers: tuple[tuple[str, ...], ...]  # features computed in each layer
    carried: tuple[tuple[str, ...], ...]  # features passed through into each layer
    trivial: frozenset[str]
    source_columns: tuple[str, ...]


def is_trivial(view: ir.View, expr: ir.Expr) -> bool:
    """A source column (maybe cast), a literal, or an alias of one: cheap enough to inline."""
    if isinstance(expr, (ir.Col, ir.Lit)):
        return True
    if isinstance(expr, ir.Cast):
        return isinstance(expr.arg, ir.Col)
    if isinstance(expr, ir.Ref):
        return is_trivial(view, view.feature(expr.name).expr)
    return False


def outputs_for(view: ir.View, select: Sequence[str] | None) -> tuple[str, ...]:
    """Output columns in declaration order: everything, or the entity keys plus ``select``."""
    if select is None:
        return tuple(f.name for f in view.features)
    wanted = set(select)
    unknown = [name for name in select if not view.has_feature(name)]
    if unknown:
        raise UnknownNameError(
            f"View '{view.name}' has no feature {', '.join(repr(u) for u in unknown)}; "
            f"it has: {', '.join(f.name for f in view.features)}"
        )
    return tuple(f.name for f in view.features if f.name in wanted or f.role == "entity")


def make_plan(view: ir.View, outputs: tuple[str, ...]) -> Plan:
    needed: dict[str, None] = {}
    stack = list(outputs)
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed[name] = None
        stack.extend(ir.refs(view.feature(name).expr))

    trivial = frozenset(n for n in needed if is_trivial(view, view.feature(n).expr))
    depth: dict[str, int] = {}

    def depth_of(name: str) -> int:
        if name in depth:
            return depth[name]
        deps = [d for d in ir.refs(view.feature(name).expr) if d not in trivial]
        depth[name] = 0 if not deps else 1 + max(depth_of(d) for d in deps)
        return depth[name]

    order = [f.name for f in view.features if f.name in needed]
    for name in order:
        depth_of(name)
    top = max((depth[n] for n in outputs), default=0)

    # Where each feature is first needed as a column: by a deeper feature, or as an output.
    used_at: dict[str, int] = {}
    for name in order:
        for dep in ir.refs(view.feature(name).expr):
            if depth[name] > 0:
                used_at[dep] = max(used_at.get(dep, -1), depth[name])
    for name in outputs:
        used_at[name] = top + 1

    layers = []
    carried = []
    for k in range(top + 1):
        computed = tuple(
            n for n in order if depth[n] == k and (used_at.get(n, -1) > k or k == top and n in outputs)
        )
        passed = tuple(n for n in order if depth[n] < k and used_at.get(n, -1) >= k and n in _columns_of(layers))
        layers.append(computed)
        carried.append(passed)

    columns: dict[str, None] = {}
    for name in layers[0] if layers else ():
        for col in _source_columns(view, view.feature(name).expr, trivial):
            columns.setdefault(col, None)
    return Plan(outputs, tuple(layers), tuple(carried), trivial, tuple(columns))


def _columns_of(layers: list[tuple[str, ...]]) -> set[str]:
    return {n for layer in layers for n in layer}


def _source_columns(view: ir.View, expr: ir.Expr, trivial: frozenset[str]) -> list[str]:
    out = list(ir.columns(expr))
    for dep in ir.refs(expr):
        if dep in trivial:
            out.extend(_source_columns(view, view.feature(dep).expr, trivial))
    return out
