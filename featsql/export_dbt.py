"""Export the views as a dbt package: one model per view, YAML with columns, types, descriptions,
an enforced contract and the constraints as data tests, and featsql's own test macros.

The output is byte-stable (same definitions, same bytes) and needs no dbt package from the network.
The model SQL is featsql's compiled SELECT with the source replaced by ``{{ source(...) }}`` (or
``{{ ref(...) }}`` when the source is another exported view); any ``{{``, ``{%`` or ``{#`` inside
a literal or identifier is escaped so dbt's Jinja prints it unchanged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from featsql import ir

PLACEHOLDER = "featsql_dbt_source_placeholder"
_JINJA_OPEN = re.compile(r"\{[{%#]")
_MATERIALIZED = {"view": "view", "table": "table", "incremental": "table"}


def escape_jinja(text: str) -> str:
    """``text`` with every ``{{``, ``{%`` and ``{#`` written as a Jinja string expression, so that
    rendering it with Jinja gives ``text`` back."""
    return _JINJA_OPEN.sub(lambda m: "{{ '" + m.group(0) + "' }}", text)


@dataclass(frozen=True)
class DbtSource:
    """Where a model reads its rows in dbt terms."""

    jinja: str  # {{ source('s', 't') }} / {{ ref('v') }}, or "" for an inline query
    source_name: str | None = None
    schema: str | None = None
    table: str | None = None
    external_location: str | None = None


def export_dbt(
    views: Sequence[ir.View],
    out: str | Path,
    *,
    dialect: str | None = None,
    project_name: str = "featsql_features",
    profile: str = "featsql",
) -> list[Path]:
    """Write the dbt package to ``out`` (files are replaced, nothing else is touched); the paths written."""
    files = render_package(views, dialect=dialect, project_name=project_name, profile=profile)
    root = Path(out)
    written = []
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def render_package(
    views: Sequence[ir.View],
    *,
    dialect: str | None = None,
    project_name: str = "featsql_features",
    profile: str = "featsql",
) -> dict[str, str]:
    """The package as ``{relative path: text}``, in a fixed order."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", project_name):
        raise ValueError(f"a dbt project name is letters, digits and underscores, got {project_name!r}")
    names = {v.name for v in views}
    files: dict[str, str] = {"dbt_project.yml": _project_yml(project_name, profile)}
    sources: list[DbtSource] = []
    models: list[dict[str, Any]] = []
    for view in views:
        view_dialect = dialect or view.source.dialect
        source = _dbt_source(view, names, view_dialect)
        if source.source_name is not None and source not in sources:
            sources.append(source)
        files[f"models/{view.name}.sql"] = model_sql(view, view_dialect, source)
        models.append(_model_yml(view, view_dialect))
    files["models/featsql_models.yml"] = to_yaml({"version": 2, "models": models})
    if sources:
        files["models/featsql_sources.yml"] = to_yaml({"version": 2, "sources": _sources_yml(sources)})
    files["macros/featsql_tests.sql"] = TEST_MACROS
    return dict(sorted(files.items()))


# -- models -------------------------------------------------------------------------------------
def _dbt_source(view: ir.View, exported: set[str], dialect: str) -> DbtSource:
    source = view.source
    if source.kind.endswith("_query"):
        return DbtSource("")
    if source.kind in ("csv", "parquet"):
        reader = "read_csv_auto" if source.kind == "csv" else "read_parquet"
        location = f"{reader}('{source.location}')"
        return DbtSource(
            f"{{{{ source('featsql_files', '{view.name}_source') }}}}",
            "featsql_files",
            None,
            f"{view.name}_source",
            location,
        )
    if source.kind == "in_memory":
        raise ValueError(f"View '{view.name}': an in-memory DataFrame source cannot be exported to dbt")
    parts = source.location.split(".")
    table = parts[-1]
    if len(parts) == 1 and table in exported and table != view.name:
        return DbtSource(f"{{{{ ref('{table}') }}}}")
    schema = parts[-2] if len(parts) >= 2 else _default_schema(dialect)
    return DbtSource(f"{{{{ source('featsql_{schema}', '{table}') }}}}", f"featsql_{schema}", schema, table)


def _default_schema(dialect: str) -> str:
    from featsql.build.render import renderer

    return renderer(dialect).default_schema


def model_sql(view: ir.View, dialect: str, source: DbtSource) -> str:
    """The model file: a config block, then the compiled SELECT reading ``source``."""
    from featsql.compiler import compile_sql

    compiled_view = view
    if source.jinja:
        placeholder = ir.Source(f"{dialect}_table", PLACEHOLDER, view.source.mapping_keys)
        compiled_view = ir.View(view.name, placeholder, view.features, view.description, view.tags)
    sql = escape_jinja(compile_sql(compiled_view, dialect, pretty=True))
    if source.jinja:
        from featsql.build.render import renderer

        quoted = renderer(dialect).ident(PLACEHOLDER)
        if sql.count(quoted) != 1:
            raise ValueError(f"View '{view.name}': cannot place the dbt source in the compiled SQL")
        sql = sql.replace(quoted, source.jinja)
    m = view.materialization or ir.Materialization()
    materialized = _MATERIALIZED.get(m.kind, "view")
    header = (
        f"{{{{ config(materialized='{materialized}') }}}}\n"
        f"-- Generated by featsql from the view '{escape_jinja(view.name)}'; "
        "edit the definitions, not this file.\n"
    )
    return header + sql + "\n"


def _model_yml(view: ir.View, dialect: str) -> dict[str, Any]:
    from featsql.build.render import renderer
    from featsql.compiler.plan import outputs_for

    r = renderer(dialect)
    tests = _column_tests(view, dialect)
    columns = []
    for name in outputs_for(view, None):
        feature = view.feature(name)
        column: dict[str, Any] = {"name": name, "quote": True, "data_type": r.sql_type(feature.dtype)}
        if feature.description:
            column["description"] = escape_jinja(feature.description)
        if tests.get(name):
            column["data_tests"] = tests[name]
        columns.append(column)
    model: dict[str, Any] = {"name": view.name}
    if view.description:
        model["description"] = escape_jinja(view.description)
    model["config"] = {"contract": {"enforced": True}}
    model["columns"] = columns
    return model


def _column_tests(view: ir.View, dialect: str) -> dict[str, list[Any]]:
    """dbt data tests per column: not_null / unique, featsql_range for bounds, featsql_check for
    the rest (the violation condition featsql itself checks, in the dialect's SQL)."""
    from featsql.compiler.dialect import load
    from featsql.compiler.lower import ExprLowering
    from featsql.validation.constraints import _literal, view_constraints, violation

    table = load(dialect)
    lowering = ExprLowering(view, table, None, frozenset())
    lowering.layer = 1
    out: dict[str, list[Any]] = {}
    bounds: dict[str, dict[str, str]] = {}
    for check in view_constraints(view):
        name, kind = check.feature.name, check.kind
        tests = out.setdefault(name, [])
        if kind == "required":
            tests.append("not_null")
        elif kind == "unique":
            tests.append("unique")
        elif kind in ("lower_bound", "upper_bound"):
            literal = lowering.literal(_literal(check.feature, check.constraint.value))
            key = "min_value" if kind == "lower_bound" else "max_value"
            if name not in bounds:
                bounds[name] = {}
                tests.append({"featsql_range": bounds[name]})
            bounds[name][key] = escape_jinja(literal.sql(dialect=table.sqlglot_dialect))
        else:
            condition = lowering.lower(violation(check)).sql(dialect=table.sqlglot_dialect, identify=True)
            tests.append(
                {
                    "featsql_check": {
                        "condition": escape_jinja(condition),
                        "constraint": escape_jinja(check.label),
                    }
                }
            )
    for values in bounds.values():  # fixed key order: min_value, then max_value
        ordered = [(k, values[k]) for k in ("min_value", "max_value") if k in values]
        values.clear()
        values.update(ordered)
    return out


def _sources_yml(sources: list[DbtSource]) -> list[dict[str, Any]]:
    grouped: dict[str, list[DbtSource]] = {}
    for s in sources:
        grouped.setdefault(s.source_name or "", []).append(s)
    out = []
    for name, items in grouped.items():
        entry: dict[str, Any] = {"name": name}
        if items[0].schema is not None:
            entry["schema"] = items[0].schema
        entry["quoting"] = {"identifier": True}
        tables = []
        for s in items:
            t: dict[str, Any] = {"name": s.table}
            if s.external_location:
                t["meta"] = {"external_location": s.external_location}
            tables.append(t)
        entry["tables"] = tables
        out.append(entry)
    return out


def _project_yml(project_name: str, profile: str) -> str:
    return to_yaml(
        {
            "name": project_name,
            "version": "1.0.0",
            "config-version": 2,
            "profile": profile,
            "model-paths": ["models"],
            "macro-paths": ["macros"],
            "test-paths": ["tests"],
            "clean-targets": ["target"],
        }
    )


# -- YAML (a small deterministic emitter: JSON-quoted scalars are valid YAML) -------------------------
def to_yaml(data: Any) -> str:
    """Block-style YAML of dicts, lists and scalars; strings double-quoted (JSON escapes)."""
    lines: list[str] = []
    _emit(data, 0, lines)
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    if (
        isinstance(value, str)
        and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]*", value)
        and value.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~")
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def _emit(data: Any, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, (dict, list)) and value:
                lines.append(f"{pad}{_scalar(key)}:")
                _emit(value, indent + 2, lines)
            else:
                text = json.dumps(value) if isinstance(value, (dict, list)) else _scalar(value)
                lines.append(f"{pad}{_scalar(key)}: {text}")
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and item:
                first = True
                for key, value in item.items():
                    prefix = f"{pad}- " if first else f"{pad}  "
                    first = False
                    if isinstance(value, (dict, list)) and value:
                        lines.append(f"{prefix}{_scalar(key)}:")
                        _emit(value, indent + 4, lines)
                    else:
                        text = _scalar(value) if not isinstance(value, (dict, list)) else json.dumps(value)
                        lines.append(f"{prefix}{_scalar(key)}: {text}")
            else:
                lines.append(f"{pad}- {_scalar(item)}")


TEST_MACROS = """\
{#- Generated by featsql: generic data tests used by featsql_models.yml (no packages needed). -#}

{#- Rows outside [min_value, max_value] (inclusive; NULL values pass). Bounds are SQL literals. -#}
{% test featsql_range(model, column_name, min_value=none, max_value=none) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
  and (
    {% if min_value is not none %}{{ column_name }} < {{ min_value }}{% else %}1 = 0{% endif %}
    or {% if max_value is not none %}{{ column_name }} > {{ max_value }}{% else %}1 = 0{% endif %}
  )
{% endtest %}

{#- Rows where featsql's violation condition for a constraint is TRUE (the same SQL featsql checks). -#}
{% test featsql_check(model, column_name, condition, constraint='') %}
select {{ column_name }}
from {{ model }}
where {{ condition }}
{% endtest %}
"""
