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
    # Each needed feature's direct references, computed once (the IR walk is the costly part).
    deps: dict[str, list[str]] = {}
    stack = list(outputs)
    while stack:
        name = stack.pop()
        if name in deps:
            continue
        found = ir.refs(view.feature(name).expr)
        deps[name] = found
        stack.extend(found)

    trivial = frozenset(n for n in deps if is_trivial(view, view.feature(n).expr))
    depth: dict[str, int] = {}

    def depth_of(name: str) -> int:
        if name in depth:
            return depth[name]
        inner = [d for d in deps[name] if d not in trivial]
        depth[name] = 0 if not inner else 1 + max(depth_of(d) for d in inner)
        return depth[name]

    order = [f.name for f in view.features if f.name in deps]
    for name in order:
        depth_of(name)
    top = max((depth[n] for n in outputs), default=0)

    # Where each feature is first needed as a column: by a deeper feature, or as an output.
    used_at: dict[str, int] = {}
    for name in order:
        if depth[name] > 0:
            for dep in deps[name]:
                used_at[dep] = max(used_at.get(dep, -1), depth[name])
    for name in outputs:
        used_at[name] = top + 1

    wanted = set(outputs)
    layers: list[tuple[str, ...]] = []
    carried: list[tuple[str, ...]] = []
    computed_so_far: set[str] = set()
    for k in range(top + 1):
        computed = tuple(
            n for n in order if depth[n] == k and (used_at.get(n, -1) > k or k == top and n in wanted)
        )
        passed = tuple(n for n in order if depth[n] < k and used_at.get(n, -1) >= k and n in computed_so_far)
        layers.append(computed)
        carried.append(passed)
        computed_so_far.update(computed)

    columns: dict[str, None] = {}
    for name in layers[0] if layers else ():
        for col in _source_columns(view, name, deps, trivial):
            columns.setdefault(col, None)
    return Plan(outputs, tuple(layers), tuple(carried), trivial, tuple(columns))


def _source_columns(
    view: ir.View, name: str, deps: dict[str, list[str]], trivial: frozenset[str]
) -> list[str]:
    out = ir.columns(view.feature(name).expr)
    for dep in deps[name]:
        if dep in trivial:
            out.extend(_source_columns(view, dep, deps, trivial))
    return out
