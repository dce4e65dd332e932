"""Fingerprints: what identifies a deployed definition, per view and per column.

``fingerprint`` covers everything a build writes (the rendered statements and the materialisation);
``data_fingerprint`` only what changes the rows (the compiled SELECT and the table layout); a
column's hash covers its expression with every referenced feature expanded, its dtype and the
source, so the planner can tell *added columns only* from *breaking* changes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from featsql import ir
from featsql.repository import expr_to_json, materialization_to_json


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical(data: Any) -> str:
    """Deterministic JSON (sorted keys, no spaces)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def materialization_json(m: ir.Materialization) -> str:
    return canonical(materialization_to_json(m))


def definition_fingerprint(definition_sql: str, m: ir.Materialization) -> str:
    return sha256(definition_sql + "\n" + materialization_json(m))


def data_fingerprint(select_sql: str, m: ir.Materialization) -> str:
    layout = {
        "kind": m.kind,
        "window_seconds": m.window_seconds,
        "dist_key": m.dist_key,
        "sort_keys": list(m.sort_keys),
    }
    return sha256(select_sql + "\n" + canonical(layout))


def column_hashes(view: ir.View) -> dict[str, str]:
    """Feature name -> hash of its meaning (expression with references expanded, dtype, source)."""
    source = view.source
    source_key = canonical([source.kind, source.location, list(source.mapping_keys), source.config])
    memo: dict[str, str] = {}

    def expand(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {"ref"}:
                return {"ref_hash": feature_hash(node["ref"])}
            return {k: expand(v) for k, v in node.items()}
        if isinstance(node, list):
            return [expand(v) for v in node]
        return node

    def feature_hash(name: str) -> str:
        if name not in memo:
            feature = view.feature(name)
            memo[name] = sha256(canonical([feature.dtype, expand(expr_to_json(feature.expr)), source_key]))
        return memo[name]

    return {f.name: feature_hash(f.name) for f in view.features}
