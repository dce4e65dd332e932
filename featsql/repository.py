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

from featsql import dtypes, ir
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


def expr_from_json(data: Any, where: str = "expr") -> ir.Expr:
    """Decode one expression node; ``where`` is its path in the document, for error messages."""
    node = _object(data, where)
    kinds = [key for key in _NODE_KEYS if key in node]
    if len(kinds) != 1:
        raise RepositoryFormatError(
            f"{where}: an expression node has exactly one of the keys {', '.join(_NODE_KEYS)}; "
            f"got keys {', '.join(sorted(node)) or 'none'}"
        )
    kind = kinds[0]
    if kind == "col":
        return ir.Col(_string(node, "col", where), _dtype(node, "dtype", where))
    if kind == "ref":
        return ir.Ref(_string(node, "ref", where))
    if kind == "lit":
        value = node["lit"]
        if value is not None and not isinstance(value, (bool, int, float, str)):
            raise RepositoryFormatError(f"{where}.lit: expected null, a boolean, a number or a string")
        return ir.Lit(value, _dtype(node, "dtype", where))
    if kind == "call":
        args = _array(node, "args", where)
        op = _string(node, "call", where)
        return ir.Call(op, tuple(expr_from_json(a, f"{where}.args[{i}]") for i, a in enumerate(args)))
    if kind == "case":
        whens = []
        for i, pair in enumerate(_array(node, "case", where)):
            if not isinstance(pair, list) or len(pair) != 2:
                raise RepositoryFormatError(f"{where}.case[{i}]: expected a [condition, value] pair")
            whens.append(
                (
                    expr_from_json(pair[0], f"{where}.case[{i}][0]"),
                    expr_from_json(pair[1], f"{where}.case[{i}][1]"),
                )
            )
        default = node.get("else")
        return ir.Case(tuple(whens), None if default is None else expr_from_json(default, f"{where}.else"))
    if kind == "in":
        values = []
        for i, item in enumerate(_array(node, "values", where)):
            value = expr_from_json(item, f"{where}.values[{i}]")
            if not isinstance(value, ir.Lit):
                raise RepositoryFormatError(f'{where}.values[{i}]: expected a literal node {{"lit": ...}}')
            values.append(value)
        return ir.InList(expr_from_json(node["in"], f"{where}.in"), tuple(values))
    return ir.Cast(
        expr_from_json(node["cast"], f"{where}.cast"), _dtype(node, "from", where), _dtype(node, "to", where)
    )


_NODE_KEYS = ("col", "ref", "lit", "call", "case", "in", "cast")
ROLES = ("entity", "event_timestamp", "created_timestamp", "feature")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    for kind, name in (
        (bool, "a boolean"),
        (int, "a number"),
        (float, "a number"),
        (str, "a string"),
        (list, "an array"),
        (dict, "an object"),
    ):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RepositoryFormatError(f"{where}: expected an object, got {_type_name(value)}")
    return value


def _field(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise RepositoryFormatError(f'{where}: missing the field "{key}"')
    return data[key]


def _string(data: dict[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    value = data.get(key) if optional else _field(data, key, where)
    if not isinstance(value, str) and not (optional and value is None):
        raise RepositoryFormatError(f"{where}.{key}: expected a string, got {_type_name(value)}")
    return value


def _array(data: dict[str, Any], key: str, where: str, *, optional: bool = False) -> list[Any]:
    value = data.get(key, []) if optional else _field(data, key, where)
    if not isinstance(value, list):
        raise RepositoryFormatError(f"{where}.{key}: expected an array, got {_type_name(value)}")
    return value


def _strings(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _array(data, key, where, optional=True)
    if not all(isinstance(v, str) for v in values):
        raise RepositoryFormatError(f"{where}.{key}: expected an array of strings")
    return tuple(values)


def _string_map(data: dict[str, Any], key: str, where: str) -> tuple[tuple[str, str], ...]:
    value = _object(data.get(key, {}), f"{where}.{key}")
    if not all(isinstance(v, str) for v in value.values()):
        raise RepositoryFormatError(f"{where}.{key}: expected an object of strings")
    return tuple(value.items())


def _dtype(data: dict[str, Any], key: str, where: str) -> str:
    value = _string(data, key, where)
    if value not in dtypes.ALL_TYPES:
        raise RepositoryFormatError(
            f"{where}.{key}: unknown dtype {value!r}; expected one of {', '.join(sorted(dtypes.ALL_TYPES))}"
        )
    return value  # type: ignore[no-any-return]


def _constraint_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def materialization_to_json(m: ir.Materialization) -> dict[str, Any]:
    """``{"kind": ..., "window_seconds": ..., "lookback": ..., "grants": [...], ...}``."""
    return {
        "kind": m.kind,
        "window_seconds": m.window_seconds,
        "lookback": m.lookback,
        "grants": list(m.grants),
        "dist_key": m.dist_key,
        "sort_keys": list(m.sort_keys),
    }


def materialization_from_json(data: dict[str, Any]) -> ir.Materialization:
    try:
        return ir.Materialization(
            kind=data["kind"],
            window_seconds=data.get("window_seconds"),
            lookback=int(data.get("lookback", 0)),
            grants=tuple(data.get("grants", ())),
            dist_key=data.get("dist_key"),
            sort_keys=tuple(data.get("sort_keys", ())),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RepositoryFormatError(f"malformed materialization {data!r}: {error}") from error


def view_to_json(view: ir.View) -> dict[str, Any]:
    data = _view_to_json(view)
    if view.materialization is not None:  # only when set, so documents without one are unchanged
        data["materialization"] = materialization_to_json(view.materialization)
    return data


def _view_to_json(view: ir.View) -> dict[str, Any]:
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
                "constraints": [{"kind": c.kind, "value": _constraint_value(c.value)} for c in f.constraints],
                "ttl_seconds": f.ttl_seconds,
                "expr": expr_to_json(f.expr),
            }
            for f in view.features
        ],
    }


def view_from_json(data: Any, where: str = "view") -> ir.View:
    """Decode and check one view: known dtypes and roles, unique names, references that resolve, no cycles."""
    data = _object(data, where)
    name = _string(data, "name", where)
    where = f"{where} ('{name}')"
    src = _object(_field(data, "source", where), f"{where}.source")
    source = ir.Source(
        kind=_string(src, "kind", f"{where}.source"),
        location=_string(src, "location", f"{where}.source"),
        mapping_keys=_string_map(src, "mapping_keys", f"{where}.source"),
        config=_string(src, "config", f"{where}.source", optional=True),
        options=_string_map(src, "options", f"{where}.source"),
    )
    if source.kind not in ir.SOURCE_DIALECTS:
        raise RepositoryFormatError(
            f"{where}.source.kind: unknown source kind '{source.kind}'; "
            f"expected one of {', '.join(ir.SOURCE_DIALECTS)}"
        )
    features = tuple(
        _feature_from_json(f, f"{where}.features[{i}]") for i, f in enumerate(_array(data, "features", where))
    )
    materialization = data.get("materialization")
    view = ir.View(
        name,
        source,
        features,
        _string(data, "description", where, optional=True),
        _strings(data, "tags", where),
        None if materialization is None else materialization_from_json(materialization),
    )
    _check_view(view, where)
    return view


def _feature_from_json(data: Any, where: str) -> ir.Feature:
    data = _object(data, where)
    name = _string(data, "name", where)
    where = f"{where} ('{name}')"
    role = data.get("role", "feature")
    if role not in ROLES:
        raise RepositoryFormatError(
            f"{where}.role: unknown role {role!r}; expected one of {', '.join(ROLES)}"
        )
    constraints = []
    for i, item in enumerate(_array(data, "constraints", where, optional=True)):
        item = _object(item, f"{where}.constraints[{i}]")
        value = item.get("value")
        if isinstance(value, list):
            value = tuple(value)
        constraints.append(ir.Constraint(_string(item, "kind", f"{where}.constraints[{i}]"), value))
    ttl = data.get("ttl_seconds")
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, (int, float))):
        raise RepositoryFormatError(f"{where}.ttl_seconds: expected a number or null, got {_type_name(ttl)}")
    return ir.Feature(
        name=name,
        dtype=_dtype(data, "dtype", where),
        expr=expr_from_json(_field(data, "expr", where), f"{where}.expr"),
        role=role,
        description=_string(data, "description", where, optional=True),
        tags=_strings(data, "tags", where),
        constraints=tuple(constraints),
        ttl_seconds=None if ttl is None else float(ttl),
    )


def _check_view(view: ir.View, where: str) -> None:
    seen: set[str] = set()
    for feature in view.features:
        if feature.name in seen:
            raise RepositoryFormatError(f"{where}: two features are named '{feature.name}'")
        seen.add(feature.name)
        for ref in ir.refs(feature.expr):
            if ref not in view._index:
                raise RepositoryFormatError(
                    f"{where}: feature '{feature.name}' refers to '{ref}', which the view does not define"
                )
    if sum(f.role == "event_timestamp" for f in view.features) > 1:
        raise RepositoryFormatError(f"{where}: more than one feature has the role event_timestamp")
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in path[:-1]:
            raise RepositoryFormatError(f"{where}: cyclic features {' -> '.join(path)}")
        for dep in ir.refs(view.feature(name).expr):
            visit(dep, (*path, dep))
        done.add(name)

    for feature in view.features:
        visit(feature.name, (feature.name,))


def views_to_json(views: Iterable[ir.View], models: Iterable[ir.Model] = ()) -> str:
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "views": [view_to_json(v) for v in views],
    }
    model_list = [model_to_json(m) for m in models]
    if model_list:  # optional key: a document without models stays as it was
        document["models"] = model_list
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def views_from_json(text: str) -> list[ir.View]:
    """Read a repository document; raise :class:`RepositoryFormatError` naming what is wrong and where."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise RepositoryFormatError(f"not valid JSON: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RepositoryFormatError(f'not a featsql repository (expected "format": "{FORMAT}")')
    version = document.get("version")
    if version != VERSION:
        raise RepositoryFormatError(
            f"repository version {version!r} is not supported; this featsql reads version {VERSION}"
        )
    views = [view_from_json(v, f"views[{i}]") for i, v in enumerate(_array(document, "views", "document"))]
    names: set[str] = set()
    for view in views:
        if view.name in names:
            raise RepositoryFormatError(f"two views are named '{view.name}'")
        names.add(view.name)
    return views


def model_to_json(model: ir.Model) -> dict[str, Any]:
    """``{"name", "description", "tags", "features": [{"view", "feature"}], "targets": [...]}``."""
    return {
        "name": model.name,
        "description": model.description,
        "tags": list(model.tags),
        "features": [{"view": r.view, "feature": r.name} for r in model.features],
        "targets": [{"view": r.view, "feature": r.name} for r in model.targets],
    }


def model_from_json(data: Any, where: str = "model") -> ir.Model:
    """A model from its JSON object (see :func:`model_to_json`)."""
    data = _object(data, where)
    name = _string(data, "name", where)

    def refs(key: str) -> tuple[ir.FeatureRef, ...]:
        out = []
        for i, item in enumerate(_array(data, key, where, optional=key == "targets")):
            at = f"{where}.{key}[{i}]"
            item = _object(item, at)
            out.append(ir.FeatureRef(_string(item, "view", at), _string(item, "feature", at)))
        return tuple(out)

    return ir.Model(
        name=name,
        features=refs("features"),
        targets=refs("targets"),
        description=_string(data, "description", where, optional=True),
        tags=_strings(data, "tags", where),
    )


def models_from_json(text: str) -> list[ir.Model]:
    """The models of a repository document (none when it has no ``"models"`` key)."""
    views_from_json(text)  # validates the document
    document = json.loads(text)
    models = [
        model_from_json(m, f"models[{i}]")
        for i, m in enumerate(_array(document, "models", "document", optional=True))
    ]
    names: set[str] = set()
    for model in models:
        if model.name in names:
            raise RepositoryFormatError(f"two models are named '{model.name}'")
        names.add(model.name)
    return models
