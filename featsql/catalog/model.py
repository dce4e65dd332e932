"""The catalog as plain data: every view and feature with dtype, description, tags, constraints,
source and lineage. The Markdown and HTML renderings are built from this one structure."""

from __future__ import annotations

import json
from typing import Any, Iterable

from featsql import ir
from featsql.catalog.lineage import expression_text, feature_dependencies, source_columns
from featsql.validation.constraints import constraint_label

FORMAT = "featsql.catalog"
VERSION = 1


def source_data(source: ir.Source) -> dict[str, Any]:
    """Where a view reads from (no inline data, no credentials: only the variable's name)."""
    location = "(in-memory DataFrame)" if source.kind == "in_memory" else source.location
    data: dict[str, Any] = {"kind": source.kind, "dialect": source.dialect, "location": location}
    if source.config:
        key = "database" if source.kind == "duckdb_table" else "env_var"
        data[key] = source.config
    if source.mapping_keys:
        data["mapping_keys"] = dict(source.mapping_keys)
    return data


def feature_data(view: ir.View, feature: ir.Feature) -> dict[str, Any]:
    """One feature's catalog entry."""
    is_input = isinstance(feature.expr, ir.Col) or (
        isinstance(feature.expr, ir.Cast) and isinstance(feature.expr.arg, ir.Col)
    )
    return {
        "name": feature.name,
        "dtype": feature.dtype,
        "role": feature.role,
        "kind": "input" if is_input else "derived",
        "description": feature.description,
        "tags": list(feature.tags),
        "constraints": [constraint_label(c) for c in feature.constraints],
        "expression": expression_text(feature.expr),
        "depends_on": feature_dependencies(view, feature.name),
        "source_columns": source_columns(view, feature.name),
    }


def view_data(view: ir.View) -> dict[str, Any]:
    """One view's catalog entry."""
    return {
        "name": view.name,
        "description": view.description,
        "tags": list(view.tags),
        "source": source_data(view.source),
        "entities": [f.name for f in view.entities],
        "event_timestamp": None if view.event_timestamp is None else view.event_timestamp.name,
        "features": [feature_data(view, f) for f in view.features],
    }


def catalog_data(views: Iterable[ir.View]) -> dict[str, Any]:
    """The whole catalog: ``{"format": "featsql.catalog", "version": 1, "views": [...]}``."""
    return {"format": FORMAT, "version": VERSION, "views": [view_data(v) for v in views]}


def to_json(views: Iterable[ir.View]) -> str:
    """The catalog as JSON text (deterministic)."""
    return json.dumps(catalog_data(views), indent=2, ensure_ascii=False) + "\n"
