"""`featsql export dbt`: byte-stable package, Jinja escaped in literals, contracts and data tests."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from featsql import DuckDBConfig, Entity, FeatureView, FeatureViewMetadata, FileSource, Float, Int64, String
from featsql.build import Table
from featsql.export_dbt import escape_jinja, export_dbt, render_package


def people_view(db: str = "wh.duckdb") -> object:
    class People(FeatureView):
        metadata = FeatureViewMetadata(
            name="people",
            description="People {{ not_jinja }} {# nor #}",
            batch_source=DuckDBConfig(db).table("main.raw_people"),
            materialization=Table(),
        )
        person_id = Entity(dtype=Int64()).is_unique()
        name = String().description("The name {% raw %}").is_required()
        age = Float().fill_na(0).lower_bound(0).upper_bound(150)
        city = String().accepted_values(["Paris", "O'Brien {{x}}"])
        has_brace = name.contains("{{")
        code = String().max_length(3)

    return People.ir()


@pytest.mark.parametrize(
    "text", ["plain", "{{ x }}", "{%", "{#", "a{{{b", "}} {%- x -%} {#", "'{{'", "{{ '{{' }}"]
)
def test_escape_renders_back_to_the_text(text: str) -> None:
    assert jinja2.Environment().from_string(escape_jinja(text)).render() == text


def test_package_is_byte_stable_and_complete(tmp_path: Path) -> None:
    views = [people_view()]
    a, b = tmp_path / "a", tmp_path / "b"
    export_dbt(views, a)
    export_dbt(views, b)
    files = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    assert files == [
        "dbt_project.yml",
        "macros/featsql_tests.sql",
        "models/featsql_models.yml",
        "models/featsql_sources.yml",
        "models/people.sql",
    ]
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes()

    model = (a / "models/people.sql").read_text()
    assert model.startswith("{{ config(materialized='table') }}\n")
    assert "FROM {{ source('featsql_main', 'raw_people') }}" in model
    assert "CONTAINS(CAST(\"name\" AS TEXT), '{{ '{{' }}')" in model
    # what dbt's Jinja renders is exactly featsql's SQL
    rendered = (
        jinja2.Environment()
        .from_string(model)
        .render(config=lambda **kw: "", source=lambda s, t: f'"{s}"."{t}"')
    )
    assert "CONTAINS(CAST(\"name\" AS TEXT), '{{')" in rendered


def test_yaml_has_contract_types_descriptions_and_tests() -> None:
    import yaml

    files = render_package([people_view()])
    doc = yaml.safe_load(files["models/featsql_models.yml"])
    (model,) = doc["models"]
    assert model["config"] == {"contract": {"enforced": True}}
    assert model["description"] == "People {{ '{{' }} not_jinja }} {{ '{#' }} nor #}"
    columns = {c["name"]: c for c in model["columns"]}
    assert list(columns) == ["person_id", "name", "age", "city", "has_brace", "code"]
    assert columns["age"]["data_type"] == "DOUBLE" and columns["person_id"]["data_type"] == "BIGINT"
    assert columns["person_id"]["data_tests"] == ["unique"]
    assert columns["name"]["data_tests"] == ["not_null"]
    assert columns["age"]["data_tests"] == [{"featsql_range": {"min_value": "0", "max_value": "150"}}]
    check = columns["city"]["data_tests"][0]["featsql_check"]
    assert check["condition"] == "NOT (\"city\" IN ('Paris', 'O''Brien {{ '{{' }}x}}'))"
    sources = yaml.safe_load(files["models/featsql_sources.yml"])["sources"]
    assert sources == [
        {
            "name": "featsql_main",
            "schema": "main",
            "quoting": {"identifier": True},
            "tables": [{"name": "raw_people"}],
        }
    ]


def test_file_sources_and_refs_between_views() -> None:
    class Raw(FeatureView):
        metadata = FeatureViewMetadata(name="raw_people", batch_source=FileSource.csv_at("data/people.csv"))
        person_id = Entity(dtype=Int64())

    class Derived(FeatureView):
        metadata = FeatureViewMetadata(
            name="derived", batch_source=DuckDBConfig("wh.duckdb").table("raw_people")
        )
        person_id = Entity(dtype=Int64())

    files = render_package([Raw.ir(), Derived.ir()])
    assert "FROM {{ source('featsql_files', 'raw_people_source') }}" in files["models/raw_people.sql"]
    assert "FROM {{ ref('raw_people') }}" in files["models/derived.sql"]
    assert "external_location: \"read_csv_auto('data/people.csv')\"" in files["models/featsql_sources.yml"]
