"""The catalog: lineage through derived features, JSON / Markdown content, and the HTML page."""

from __future__ import annotations

import json

from featsql import Entity, FeatureView, FeatureViewMetadata, FileSource, Float, Int32, String
from featsql.catalog import catalog_data, source_columns, to_html, to_json, to_markdown
from featsql.catalog.lineage import feature_dependencies

SOURCE = FileSource.csv_at(
    "people.csv", mapping_keys={"PersonId": "person_id", "Fare": "fare", "SibSp": "sibsp"}
)


class People(FeatureView):
    metadata = FeatureViewMetadata(
        name="people", batch_source=SOURCE, description="People <b>and</b> fares", tags=["demo"]
    )
    person_id = Entity(dtype=Int32())
    fare = Float().fill_na(0).description("Ticket price").tags("money").lower_bound(0)
    sibsp = Int32()
    name = String().description("<script>alert(1)</script>").max_length(80).must_match("^[A-Z]")
    family = (sibsp + 1).description("People travelling together")
    fare_pp = (fare / family).description("Fare per person").tags("money", "derived")
    expensive = fare_pp > 100


def test_lineage_is_transitive_and_uses_source_column_names() -> None:
    view = People.ir()
    assert feature_dependencies(view, "fare_pp") == ["fare", "sibsp", "family"]
    assert source_columns(view, "fare_pp") == ["Fare", "SibSp"]
    assert source_columns(view, "expensive") == ["Fare", "SibSp"]
    assert source_columns(view, "name") == ["name"]


def test_json_catalog_holds_every_view_and_feature() -> None:
    data = json.loads(to_json([People.ir()]))
    assert data["format"] == "featsql.catalog" and data["version"] == 1
    view = data["views"][0]
    assert view["name"] == "people" and view["tags"] == ["demo"] and view["entities"] == ["person_id"]
    assert view["source"] == {
        "kind": "csv",
        "dialect": "duckdb",
        "location": "people.csv",
        "mapping_keys": {"PersonId": "person_id", "Fare": "fare", "SibSp": "sibsp"},
    }
    features = {f["name"]: f for f in view["features"]}
    assert list(features) == ["person_id", "fare", "sibsp", "name", "family", "fare_pp", "expensive"]
    assert features["fare"]["constraints"] == ["lower_bound(0)"] and features["fare"]["tags"] == ["money"]
    assert features["name"]["constraints"] == ["max_length(80)", "matches('^[A-Z]')"]
    assert features["fare_pp"]["kind"] == "derived" and features["sibsp"]["kind"] == "input"
    assert features["fare_pp"]["depends_on"] == ["fare", "sibsp", "family"]
    assert features["person_id"]["role"] == "entity"
    assert catalog_data([People.ir()]) == data


def test_markdown_catalog_has_a_table_row_per_feature() -> None:
    text = to_markdown([People.ir()])
    assert text.startswith("# Feature catalog")
    assert "## people" in text
    assert (
        "| `fare_pp` | float64 | Fare per person | money, derived |  "
        "| source: `Fare`, `SibSp`; uses: `fare`, `sibsp`, `family` |"
        in text
    )
    assert text.count("\n| `") == 7


def test_html_catalog_is_self_contained_and_escaped() -> None:
    page = to_html([People.ir()], title="Catalog")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for needle in ("http://", "https://", "<link", "src="):
        assert needle not in page, needle
    assert page.count('<tr class="feature"') == 7
    assert 'id="search"' in page
