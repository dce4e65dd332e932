"""Dialect tables: the data in ``dialects/<name>.toml``, parsed once into sqlglot templates.

A template is SQL in the dialect with placeholders ``_0``, ``_1`` ... for the operation's
arguments. It is parsed by sqlglot once, then *instantiated* per use by rebuilding the small
template tree with the lowered arguments in place of the placeholders; no SQL text is ever
assembled from values.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Callable, Sequence

import sqlglot
from sqlglot import exp

from featsql._paths import dialects_dir
from featsql.errors import UnsupportedOperationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DIALECTS = ("duckdb", "postgres", "redshift")


_PLACEHOLDERS = {f"_{i}": i for i in range(10)}


@dataclass
class DialectTable:
    """One dialect's tables, with templates parsed lazily and cached."""

    name: str
    sqlglot_dialect: str
    types: dict[str, str]
    ops: dict[str, str]
    unsupported: dict[str, str]
    casts: dict[str, str]
    sources: dict[str, str]
    settings: dict[str, Any] = field(default_factory=dict)  # top-level keys: pit_strategy, hash_bucket ...
    _parsed: dict[str, exp.Expression] = field(default_factory=dict)
    _types: dict[str, exp.DataType] = field(default_factory=dict)

    def template(self, key: str, text: str) -> exp.Expression:
        tree = self._parsed.get(key)
        if tree is None:
            parsed = sqlglot.parse_one(text, read=self.sqlglot_dialect)
            if not isinstance(parsed, exp.Expression):  # every concrete sqlglot node is one
                raise TypeError(f"{self.name} dialect table: {key} is not an SQL expression: {text}")
            tree = self._parsed[key] = parsed
        return tree

    def op(self, op: str, args: Sequence[exp.Expression]) -> exp.Expression:
        text = self.ops.get(op)
        if text is None:
            reason = self.unsupported.get(op, "no entry in the dialect table")
            raise UnsupportedOperationError(f"operation '{op}' is not supported on {self.name}: {reason}")
        return instantiate(self.template(op, text), args)

    def data_type(self, dtype: str) -> exp.DataType:
        node = self._types.get(dtype)
        if node is None:
            node = exp.DataType.build(self.types[dtype], dialect=self.sqlglot_dialect)
            self._types[dtype] = node
        return node

    def cast(self, value: exp.Expression, from_family: str, to_dtype: str, to_family: str) -> exp.Expression:
        """``CAST(value AS <to_dtype>)``, through the ``[casts]`` template for the conversion if any.

        A template keyed by the exact target dtype (``"float->int32"``) wins over one keyed by the
        target family (``"float->int"``): range checks depend on the target's width.
        """
        for key in (f"{from_family}->{to_dtype}", f"{from_family}->{to_family}"):
            text = self.casts.get(key)
            if text is not None:
                value = instantiate(self.template(f"cast:{key}", text), [value])
                break
        return exp.Cast(this=value, to=self.data_type(to_dtype))

    def source(self, kind: str, location: exp.Expression) -> exp.Expression | None:
        text = self.sources.get(kind)
        if text is None:
            return None
        return instantiate(self.template(f"source:{kind}", text), [location])


def instantiate(template: exp.Expression, args: Sequence[exp.Expression]) -> exp.Expression:
    """A fresh copy of ``template`` with ``_i`` placeholders replaced by ``args[i]``.

    An argument used twice is copied for its second use, so every node has one parent. An
    argument that is itself an operator (``a + b``) is parenthesised where the template puts it
    under another operator, so ``(a + b) * 2`` keeps its meaning.
    """
    return _builder(template)(args, set())


# Builders: a template is walked once and turned into a function that constructs its tree
# directly; instantiating is then just node constructors (no tree walk, no isinstance chain).
_Builder = Callable[[Sequence[exp.Expression], "set[int]"], exp.Expression]
_BUILDERS: dict[int, tuple[exp.Expression, _Builder]] = {}

# Nodes printed as operators: an operator argument placed under one needs parentheses.
_OPERATORS = (exp.Binary, exp.Unary, exp.Between, exp.In)
# Left-associative operators: ``(a + b) + c`` prints as ``a + b + c`` without changing meaning.
_LEFT_ASSOCIATIVE = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.And, exp.Or, exp.DPipe)


def needs_parens(arg: exp.Expression, parent: type[exp.Expression] | None, key: str) -> bool:
    """Whether ``arg`` must be wrapped in parentheses as the ``key`` child of a ``parent`` node."""
    if parent is None or not issubclass(parent, _OPERATORS) or parent is exp.Paren:
        return False
    if not isinstance(arg, _OPERATORS) or isinstance(arg, (exp.Paren, exp.Neg)):
        return False
    return not (key == "this" and type(arg) is parent and issubclass(parent, _LEFT_ASSOCIATIVE))


def _builder(template: exp.Expression) -> _Builder:
    hit = _BUILDERS.get(id(template))
    if hit is None or hit[0] is not template:
        if len(_BUILDERS) >= 4096:  # templates normally live in the dialect tables for good
            _BUILDERS.clear()
        hit = (template, _compile(template, None, ""))
        _BUILDERS[id(template)] = hit
    return hit[1]


def _placeholder(node: exp.Expression) -> int | None:
    if isinstance(node, (exp.Column, exp.Literal, exp.Var)):
        if isinstance(node, exp.Column) and node.table:
            return None
        return _PLACEHOLDERS.get(node.name)
    return None


def _compile(node: exp.Expression, parent: type[exp.Expression] | None, key: str) -> _Builder:
    index = _placeholder(node)
    if index is not None:
        return _take(index, parent, key)
    if type(node) is exp.Cast and _placeholder(node.this) is not None:
        return _cast_builder(node, parent, key)
    return _node_builder(node)


def _node_builder(node: exp.Expression) -> _Builder:
    cls = type(node)
    parts: list[tuple[str, int, Any]] = []
    for arg_key, value in node.args.items():
        if isinstance(value, exp.Expression):
            parts.append((arg_key, 0, _compile(value, cls, arg_key)))
        elif isinstance(value, list):
            items = [
                (True, _compile(v, cls, arg_key)) if isinstance(v, exp.Expression) else (False, v)
                for v in value
            ]
            parts.append((arg_key, 1, items))
        else:
            parts.append((arg_key, 2, value))

    def build(args: Sequence[exp.Expression], used: set[int]) -> exp.Expression:
        kwargs: dict[str, Any] = {}
        for arg_key, kind, payload in parts:
            if kind == 0:
                kwargs[arg_key] = payload(args, used)
            elif kind == 1:
                kwargs[arg_key] = [b(args, used) if is_node else b for is_node, b in payload]
            else:
                kwargs[arg_key] = payload
        return cls(**kwargs)

    return build


def _take(index: int, parent: type[exp.Expression] | None, key: str) -> _Builder:
    def take(args: Sequence[exp.Expression], used: set[int]) -> exp.Expression:
        arg = args[index]
        if index in used:
            arg = arg.copy()
        else:
            used.add(index)
        if needs_parens(arg, parent, key):
            return exp.Paren(this=arg)
        return arg

    return take


def _cast_builder(node: exp.Cast, parent: type[exp.Expression] | None, key: str) -> _Builder:
    """``CAST(_i AS T)`` of an argument that already is ``CAST(... AS T)`` keeps one cast."""
    index = _placeholder(node.this)
    assert index is not None
    to = node.args["to"]
    inner = _take(index, parent, key)
    full = _node_builder(node)

    def build(args: Sequence[exp.Expression], used: set[int]) -> exp.Expression:
        if _same_cast(args[index], to):
            return inner(args, used)
        return full(args, used)

    return build


def _same_cast(arg: exp.Expression, to: exp.DataType) -> bool:
    return type(arg) is exp.Cast and arg.args["to"] == to


@cache
def load(name: str) -> DialectTable:
    """The dialect table ``name`` (``duckdb``, ``postgres`` or ``redshift``)."""
    if name not in DIALECTS:
        raise UnsupportedOperationError(
            f"unknown dialect '{name}'; featsql compiles for: {', '.join(DIALECTS)}"
        )
    data = tomllib.loads((dialects_dir() / f"{name}.toml").read_text(encoding="utf-8"))
    return DialectTable(
        name=data["name"],
        sqlglot_dialect=data["sqlglot"],
        types=dict(data["types"]),
        ops=dict(data["ops"]),
        unsupported=dict(data.get("unsupported", {})),
        casts=dict(data.get("casts", {})),
        sources=dict(data.get("sources", {})),
        settings={k: v for k, v in data.items() if not isinstance(v, dict)},
    )
