"""Dialect tables: the data in ``dialects/<name>.toml``, parsed once into sqlglot templates.

A template is SQL in the dialect with placeholders ``_0``, ``_1`` ... for the operation's
arguments. It is parsed by sqlglot once, then *instantiated* per use by rebuilding the small
template tree with the lowered arguments in place of the placeholders; no SQL text is ever
assembled from values.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from featsql.errors import UnsupportedOperationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DIALECTS = ("duckdb", "postgres", "redshift")


def dialects_dir() -> Path:
    """Where the dialect tables live: inside the wheel, or at the checkout's top level."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_dialects", here.parent / "dialects"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("featsql's dialect tables (dialects/*.toml) are missing from the install")


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
    _parsed: dict[str, exp.Expression] = field(default_factory=dict)
    _types: dict[str, exp.DataType] = field(default_factory=dict)

    def template(self, key: str, text: str) -> exp.Expression:
        tree = self._parsed.get(key)
        if tree is None:
            tree = sqlglot.parse_one(text, read=self.sqlglot_dialect)
            self._parsed[key] = tree
        return tree

    def op(self, op: str, args: list[exp.Expression]) -> exp.Expression:
        text = self.ops.get(op)
        if text is None:
            reason = self.unsupported.get(op, "no entry in the dialect table")
            raise UnsupportedOperationError(
                f"operation '{op}' is not supported on {self.name}: {reason}"
            )
        return instantiate(self.template(op, text), args)

    def data_type(self, dtype: str) -> exp.DataType:
        node = self._types.get(dtype)
        if node is None:
            node = exp.DataType.build(self.types[dtype], dialect=self.sqlglot_dialect)
            self._types[dtype] = node
        return node

    def cast(self, value: exp.Expression, from_family: str, to_dtype: str, to_family: str) -> exp.Expression:
        text = self.casts.get(f"{from_family}->{to_family}")
        if text is not None:
            value = instantiate(self.template(f"cast:{from_family}->{to_family}", text), [value])
        return exp.Cast(this=value, to=self.data_type(to_dtype))

    def source(self, kind: str, location: exp.Expression) -> exp.Expression | None:
        text = self.sources.get(kind)
        if text is None:
            return None
        return instantiate(self.template(f"source:{kind}", text), [location])


def instantiate(template: exp.Expression, args: list[exp.Expression]) -> exp.Expression:
    """A fresh copy of ``template`` with ``_i`` placeholders replaced by ``args[i]``.

    An argument used twice is copied for its second use, so every node has one parent.
    """
    used: set[int] = set()

    def build(node: exp.Expression) -> exp.Expression:
        if type(node) is exp.Cast and isinstance(node.this, exp.Column):
            # CAST(_i AS T) of an argument that already is CAST(... AS T): keep one cast
            index = _PLACEHOLDERS.get(node.this.name)
            if index is not None and _same_cast(args[index], node.args["to"]):
                return build(node.this)
        if isinstance(node, (exp.Column, exp.Literal, exp.Var)):
            index = _PLACEHOLDERS.get(node.name)
            if index is not None and (not isinstance(node, exp.Column) or not node.table):
                arg = args[index]
                if index in used:
                    return arg.copy()
                used.add(index)
                return arg
        new_args: dict[str, Any] = {}
        for key, value in node.args.items():
            if isinstance(value, exp.Expression):
                new_args[key] = build(value)
            elif isinstance(value, list):
                new_args[key] = [build(v) if isinstance(v, exp.Expression) else v for v in value]
            else:
                new_args[key] = value
        return node.__class__(**new_args)

    return build(template)


def _same_cast(arg: exp.Expression, to: exp.DataType) -> bool:
    return type(arg) is exp.Cast and arg.args["to"] == to


@lru_cache(maxsize=None)
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
    )
