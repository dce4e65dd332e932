"""The JSON repository definition: every view as plain data, versioned, readable by any language.

The document is ``{"format": "featsql.repository", "version": 1, "views": [...]}``; the JSON
Schema is published in docs/repository.schema.json. Expressions are encoded one node per object:

``{"col": name, "dtype": d}`` a source column, ``{"ref": name}`` another feature,
``{"lit": value, "dtype": d}`` a literal, ``{"call": op, "args": [...]}`` an operation,
``{"case": [[cond, value], ...], "else": expr|null}``, ``{"in": expr, "values": [lit, ...]}``,
``{"cast": expr, "from": d, "to": d}``.

Credentials are never written: a database source stores the *name* of its environment variable.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from featsql import ir
from featsql.errors import RepositoryFormatError

FORMAT = "featsql.repository"
VERSION = 1


def expr_to_json(node: ir.Expr) -> dict[str, Any]:
    if isinstance(node, ir.Col):
        return {"col": node.name, "dtype": node.dtype}
    if isinstance(node, ir.Ref):
        return {"ref": node.name}
    if isinstance(node, ir.Lit):
        return {"lit": node.value, "dtype": node.dtype}
    if isinstance(node, ir.Call):
        return {"call": node.op, "args": [expr_to_json(a) for a in node.args]}
    if isinstance(node, ir.Case):
        return {
            "case": [[expr_to_json(c), expr_to_json(v)] for c, v in node.whens],
            "else": None if node.default is None else expr_to_json(node.default),
        }
    if isinstance(node, ir.InList):
        return {"in": expr_to_json(node.arg), "values": [expr_to_json(v) for v in node.values]}
    if isinstance(node, ir.Cast):
        return {"cast": expr_to_json(node.arg), "from": node.from_, "to": node.to}
    raise TypeError(f"not an IR expression: {node!r}")


def expr_from_json(data: Any) -> ir.Expr:
    try:
        if "col" in data:
            return ir.Col(data["col"], data["dtype"])
        if "ref" in data:
            return ir.Ref(data["ref"])
        if "lit" in data:
            return ir.Lit(data["lit"], data["dtype"])
        if "call" in data:
            return ir.Call(data["call"], tuple(expr_from_json(a) for a in data["args"]))
        if "case" in data:
            whens = tuple((expr_from_json(c), expr_from_json(v)) for c, v in data["case"])
            default = None if data.get("else") is None else expr_from_json(data["else"])
            return ir.Case(whens, default)
        if "in" in data:
            values = tuple(_lit(expr_from_json(v)) for v in data["values"])
            return ir.InList(expr_from_json(data["in"]), values)
        if "cast" in data:
            return ir.Cast(expr_from_json(data["cast"]), data["from"], data["to"])
    except (KeyError, TypeError, ValueError) as error:
        raise RepositoryFormatError(f"malformed expression {data!r}: {error}") from error
    raise RepositoryFormatError(f"unknown expression node {data!r}")


def _lit(node: ir.Expr) -> ir.Lit:
    if not isinstance(node, ir.Lit):
        raise RepositoryFormatError(f"expected a literal, got {node!r}")
    return node


def _constraint_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def view_to_json(view: ir.View) -> dict[str, Any]:
    source = view.source
    return {
        "name": view.name,
        "description": view.description,
        "tags": list(view.tags),
        "source": {
            "kind": source.kind,
            "location": source.location,
            "mapping_keys": dict(source.mapping_keys),
            "config": source.config,
            "options": dict(source.options),
        },
        "features": [
            {
                "name": f.name,
                "dtype": f.dtype,
                "role": f.role,
                "description": f.description,
                "tags": list(f.tags),
                "constraints": [
                    {"kind": c.kind, "value": _constraint_value(c.value)} for c in f.constraints
                ],
                "ttl_seconds": f.ttl_seconds,
                "expr": expr_to_json(f.expr),
            }
            for f in view.features
        ],
    }


def view_from_json(data: dict[str, Any]) -> ir.View:
    try:
        src = data["source"]
        source = ir.Source(
            kind=src["kind"],
            location=src["location"],
            mapping_keys=tuple(src.get("mapping_keys", {}).items()),
            config=src.get("config"),
            options=tuple(src.get("options", {}).items()),
        )
        if source.kind not in ir.SOURCE_DIALECTS:
            raise RepositoryFormatError(f"view '{data['name']}': unknown source kind '{source.kind}'")
        features = tuple(
            ir.Feature(
                name=f["name"],
                dtype=f["dtype"],
                expr=expr_from_json(f["expr"]),
                role=f.get("role", "feature"),
                description=f.get("description"),
                tags=tuple(f.get("tags", ())),
                constraints=tuple(
                    ir.Constraint(c["kind"], tuple(c["value"]) if isinstance(c.get("value"), list) else c.get("value"))
                    for c in f.get("constraints", ())
                ),
                ttl_seconds=f.get("ttl_seconds"),
            )
            for f in data["features"]
        )
        return ir.View(data["name"], source, features, data.get("description"), tuple(data.get("tags", ())))
    except KeyError as error:
        raise RepositoryFormatError(f"a view definition lacks the field {error}") from error


def views_to_json(views: Iterable[ir.View]) -> str:
    document = {"format": FORMAT, "version": VERSION, "views": [view_to_json(v) for v in views]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def views_from_json(text: str) -> list[ir.View]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise RepositoryFormatError(f"not valid JSON: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RepositoryFormatError(f"not a featsql repository (expected \"format\": \"{FORMAT}\")")
    version = document.get("version")
    if version != VERSION:
        raise RepositoryFormatError(
            f"repository version {version!r} is not supported; this featsql reads version {VERSION}"
        )
    return [view_from_json(v) for v in document.get("views", [])]
