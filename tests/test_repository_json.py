"""The JSON repository definition: lossless round trip, identical SQL, loading, schema, bad documents."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd
import pytest

from featsql import (
    BatchSource,
    Bool,
    Date,
    DuckDBConfig,
    Entity,
    EventTimestamp,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    FileSource,
    Float,
    InMemorySource,
    Int8,
    Int32,
    Int64,
    PostgreSQLConfig,
    RedshiftSQLConfig,
    RepositoryFormatError,
    String,
    dtypes,
    if_else,
    ir,
)
from featsql.compiler import compile_sql
from featsql.repository import views_from_json, views_to_json

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "repository.schema.json").read_text(encoding="utf-8"))
DIALECTS = ["duckdb", "postgres", "redshift"]

SOURCES: dict[str, BatchSource] = {
    "csv": FileSource.csv_at("data/people.csv", mapping_keys={"Id": "person_id", "Full Name": "name"}),
    "parquet": FileSource.parquet_at("data/people-*.parquet"),
    "duckdb_table": DuckDBConfig("warehouse.duckdb").table("main.people"),
    "postgres_table": PostgreSQLConfig("PEOPLE_PG_DSN").table(
        "public.people", mapping_keys={"id": "person_id"}
    ),
    "postgres_query": PostgreSQLConfig("PEOPLE_PG_DSN").query("SELECT * FROM people WHERE name <> 'x'"),
    "redshift_table": RedshiftSQLConfig("PEOPLE_RS_DSN").table("people"),
    "redshift_query": RedshiftSQLConfig("PEOPLE_RS_DSN").query("SELECT * FROM people"),
    "in_memory": InMemorySource.from_pandas(
        pd.DataFrame({"person_id": [1, 2], "name": ["Ann", None]}), name="people"
    ),
}


def rich_view(kind: str) -> type[FeatureView]:
    """A view using every expression node kind, constraint, role and literal type, over ``kind``."""

    class People(FeatureView):
        metadata = FeatureViewMetadata(
            name=f"people_{kind}",
            batch_source=SOURCES[kind],
            description='Pe\u00f6ple "quoted"',
            tags=["demo", "json"],
        )
        person_id = Entity(dtype=Int64())
        seen_at = EventTimestamp(ttl=dt.timedelta(hours=36))
        name = String().description("Full name").tags("pii").min_length(1).max_length(80).is_required()
        sex = String().accepted_values(["male", "female", "\u00e9 'q'"])
        age = Float().fill_na(0).lower_bound(0).upper_bound(150.5)
        score = Float().fill_na(float("nan"))
        cap = Float().fill_na(float("-inf"))
        children = Int8().fill_na(0).accepted_values([0, 1, 2]).is_unique()
        born = Date().lower_bound(dt.date(1900, 1, 1))
        vip = Bool().accepted_values([True])
        vip_known = vip.fill_na(False)
        age_plus = age + children  # Ref, Call
        wide = children * children  # Cast (int8 -> int64 widening)
        ordinal_sex = sex.ordinal_categories(["male", "female"])  # Case without default
        is_kid = age.is_in([1.5, 2, 3])  # InList
        senior_age = if_else(age > 60, age, -1.0)  # Case with default, negative literal
        as_text = children.cast(String())
        greeting = "Hi " + name.lower() + "!"
        born_before = born < dt.date(1950, 6, 30)
        late = seen_at > dt.datetime(2024, 1, 2, 3, 4, 5, 600000)
        seen_week = seen_at.truncate("week")
        mr = name.contains("Mr.") & ~vip.is_null()
        alias = age_plus

    return People


def json_round_trip(views: list[ir.View]) -> list[ir.View]:
    return views_from_json(views_to_json(views))


# -- lossless round trip ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(SOURCES))
def test_round_trip_is_lossless_for_every_source_kind(kind: str) -> None:
    view = rich_view(kind).ir()
    assert view.source.kind == kind
    (back,) = json_round_trip([view])
    assert back == view
    assert back.features == view.features  # View's equality ignores the name index; be explicit
    assert [f.name for f in back.features] == [f.name for f in view.features]
    # the text is a fixed point too
    assert views_to_json([back]) == views_to_json([view])


def test_the_rich_view_uses_every_node_kind_and_literal_type() -> None:
    view = rich_view("csv").ir()
    nodes = [node for f in view.features for node in ir.walk(f.expr)]
    kinds = {type(node).__name__ for node in nodes}
    assert kinds == {"Col", "Ref", "Lit", "Call", "Case", "InList", "Cast"}
    lit_types = {type(node.value).__name__ for node in nodes if isinstance(node, ir.Lit)}
    assert lit_types == {"int", "float", "str", "bool"}
    assert {n.dtype for n in nodes if isinstance(n, ir.Lit)} >= {
        "date",
        "timestamp",
        "float64",
        "int64",
        "string",
    }
    roles = {f.role for f in view.features}
    assert roles == {"entity", "event_timestamp", "feature"}
    constraint_kinds = {c.kind for f in view.features for c in f.constraints}
    assert constraint_kinds == {
        "required",
        "unique",
        "accepted_values",
        "lower_bound",
        "upper_bound",
        "min_length",
        "max_length",
    }


def test_non_finite_floats_are_written_as_strings_so_the_document_is_standard_json() -> None:
    text = views_to_json([rich_view("csv").ir()])
    json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard JSON constant {name}"))
    assert '"lit": "NaN"' in text and '"lit": "-Infinity"' in text


# -- identical SQL ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(SOURCES))
@pytest.mark.parametrize("dialect", DIALECTS)
def test_sql_from_json_is_byte_identical_to_sql_from_classes(kind: str, dialect: str) -> None:
    view = rich_view(kind).ir()
    (back,) = json_round_trip([view])
    assert back is not view
    for pretty in (False, True):
        assert compile_sql(back, dialect, pretty=pretty) == compile_sql(view, dialect, pretty=pretty)
    selection = ["greeting", "senior_age"]
    assert compile_sql(back, dialect, select=selection) == compile_sql(view, dialect, select=selection)


def test_store_sql_for_other_dialects_is_identical_through_json(tmp_path: Path) -> None:
    store = FeatureStore.from_definitions([rich_view(k) for k in SOURCES])
    path = tmp_path / "feature-store.json"
    store.write_json(path)
    loaded = FileSource.json_at(path).feature_store_sync()
    assert loaded.view_names == store.view_names
    for name in store.view_names:
        for dialect in DIALECTS:
            if dialect != store.view_ir(name).source.dialect:  # the own dialect needs the live source
                assert loaded.feature_view(name).sql(dialect=dialect) == store.feature_view(name).sql(
                    dialect=dialect
                )


# -- loading a store from JSON and running it ---------------------------------------------------
class Titanic(FeatureView):
    metadata = FeatureViewMetadata(
        name="titanic",
        batch_source=FileSource.csv_at(
            ROOT / "examples" / "data" / "titanic.csv",
            mapping_keys={
                "PassengerId": "passenger_id",
                "Name": "name",
                "Sex": "sex",
                "SibSp": "sibsp",
                "Age": "age",
                "Fare": "fare",
            },
        ),
    )
    passenger_id = Entity(dtype=Int32())
    name = String()
    sex = String()
    sibsp = Int32()
    age = Float().fill_na(0)
    fare = Float()
    fare_pp = fare / (sibsp + 1)
    is_male, is_female = sex.one_hot_encode(["male", "female"])
    is_mr = name.contains("Mr.")


def test_json_store_runs_and_matches_the_class_store_async(tmp_path: Path) -> None:
    store = FeatureStore.from_definitions([Titanic])
    path = tmp_path / "repo.json"
    store.write_json(path)

    async def both() -> tuple[pd.DataFrame, pd.DataFrame, str, str]:
        loaded = await FileSource.json_at(path).feature_store()
        a = await store.feature_view("titanic").all().to_pandas()
        b = await loaded.feature_view("titanic").all().to_pandas()
        return a, b, store.feature_view("titanic").all().sql(), loaded.feature_view("titanic").all().sql()

    a, b, sql_a, sql_b = asyncio.run(both())
    assert len(a) == 891
    pd.testing.assert_frame_equal(a, b)
    assert sql_a == sql_b


def test_json_store_sync_features_for(tmp_path: Path) -> None:
    path = tmp_path / "repo.json"
    FeatureStore.from_definitions([Titanic]).write_json(path)
    loaded = FileSource.json_at(str(path)).feature_store_sync()
    rows = loaded.feature_view("titanic").features_for({"passenger_id": [3, 99999, 1]}).to_pandas_sync()
    assert rows["passenger_id"].tolist() == [3, 99999, 1]
    assert rows["is_mr"].tolist() == [False, None, True]
    assert rows["age"].tolist()[::2] == [26.0, 22.0]
    assert pd.isna(rows["age"].iloc[1])  # no row, no fill_na


def test_in_memory_rows_travel_inside_the_document() -> None:
    class Small(FeatureView):
        metadata = FeatureViewMetadata(
            name="small",
            batch_source=InMemorySource.from_pandas(pd.DataFrame({"k": [1, 2, 3], "x": [1.5, None, -2.0]})),
        )
        k = Entity(dtype=Int64())
        x = Float().fill_na(0)
        y = x * 2

    loaded = FeatureStore.from_json(FeatureStore.from_definitions([Small]).to_json())
    df = loaded.feature_view("small").all().to_pandas_sync()
    assert df.to_dict("list") == {"k": [1, 2, 3], "x": [1.5, 0.0, -2.0], "y": [3.0, 0.0, -4.0]}


def test_materializations_round_trip_and_validate() -> None:
    from featsql.build import Incremental, Table

    class Built(FeatureView):
        metadata = FeatureViewMetadata(
            name="built", batch_source=SOURCES["parquet"],
            materialization=Incremental(window=dt.timedelta(hours=6), lookback=2, grants=["analyst"],
                                        dist_key="person_id", sort_keys=["seen_at"]),
        )
        person_id = Entity(dtype=Int64())
        seen_at = EventTimestamp()
        score = Float()

    class Plain(FeatureView):
        metadata = FeatureViewMetadata(name="plain", batch_source=SOURCES["csv"], materialization=Table())
        person_id = Entity(dtype=Int64())

    views = [Built.ir(), Plain.ir(), rich_view("csv").ir()]
    assert views_from_json(views_to_json(views)) == views
    assert views_from_json(views_to_json(views))[0].materialization == views[0].materialization
    document = json.loads(views_to_json(views))
    assert document["views"][0]["materialization"]["window_seconds"] == 6 * 3600
    assert "materialization" not in document["views"][2]
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_the_example_in_the_format_docs_is_what_featsql_writes() -> None:
    import re

    page = (ROOT / "docs" / "repository.md").read_text(encoding="utf-8")
    python_example = re.search(r"```python\n(class Passengers.*?)```", page, re.S)
    json_example = re.search(r"```json\n(.*?)```", page, re.S)
    assert python_example and json_example
    namespace: dict[str, Any] = {}
    exec("from featsql import *\n" + python_example.group(1), namespace)  # noqa: S102 - the docs' example
    written = json.loads(FeatureStore.from_definitions([namespace["Passengers"]]).to_json())
    shown = json.loads(json_example.group(1))
    assert shown == written
    jsonschema.validate(shown, SCHEMA, cls=jsonschema.Draft202012Validator)


# -- credentials ------------------------------------------------------------------------------
def test_credentials_never_reach_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "postgresql://alice:s3cr3t-pw@db.internal:5432/prod"
    monkeypatch.setenv("PEOPLE_PG_DSN", secret)
    monkeypatch.setenv("PEOPLE_RS_DSN", secret)
    text = FeatureStore.from_definitions([rich_view(k) for k in SOURCES]).to_json()
    assert "s3cr3t" not in text and "alice" not in text and "db.internal" not in text
    document = json.loads(text)
    configs = {v["source"]["kind"]: v["source"]["config"] for v in document["views"]}
    assert configs["postgres_table"] == configs["postgres_query"] == "PEOPLE_PG_DSN"
    assert configs["redshift_table"] == configs["redshift_query"] == "PEOPLE_RS_DSN"
    assert configs["duckdb_table"] == "warehouse.duckdb"
    assert configs["csv"] is None and configs["parquet"] is None


# -- the JSON Schema ----------------------------------------------------------------------------
def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_written_documents_validate_against_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    stores = [[rich_view(k) for k in SOURCES], [Titanic], []]
    for definitions in stores:
        document = json.loads(FeatureStore.from_definitions(definitions).to_json())
        errors = sorted(validator.iter_errors(document), key=str)
        assert not errors, errors[0].message if errors else ""


def test_the_schema_lists_exactly_the_dtypes_and_source_kinds_featsql_knows() -> None:
    assert set(SCHEMA["$defs"]["dtype"]["enum"]) == set(dtypes.ALL_TYPES)
    assert set(SCHEMA["$defs"]["source"]["properties"]["kind"]["enum"]) == set(ir.SOURCE_DIALECTS)


def _valid_document() -> dict[str, Any]:
    return json.loads(FeatureStore.from_definitions([Titanic]).to_json())  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "break_it",
    [
        lambda d: d.update(version=2),
        lambda d: d.pop("format"),
        lambda d: d["views"][0]["features"][0].update(dtype="int33"),
        lambda d: d["views"][0]["features"][0].update(role="boss"),
        lambda d: d["views"][0]["features"][6]["expr"].update(extra=1),
        lambda d: d["views"][0]["features"][6].update(expr={"call": "truediv"}),
        lambda d: d["views"][0]["source"].update(kind="mysql"),
        lambda d: d["views"][0]["source"].update(password="x"),
    ],
)
def test_the_schema_rejects_broken_documents(break_it: Any) -> None:
    document = _valid_document()
    break_it(document)
    assert not jsonschema.Draft202012Validator(SCHEMA).is_valid(document)


# -- malformed documents ------------------------------------------------------------------------
def _document(*views: Any, version: Any = 1) -> str:
    return json.dumps({"format": "featsql.repository", "version": version, "views": list(views)})


def _view(*features: Any, **changes: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "name": "v",
        "source": {"kind": "csv", "location": "x.csv"},
        "features": list(features),
    }
    view.update(changes)
    return view


def _feature(name: str, expr: Any, **changes: Any) -> dict[str, Any]:
    return {"name": name, "dtype": "int32", "expr": expr, **changes}


COL = {"col": "a", "dtype": "int32"}
MALFORMED = [
    ("not json", "{", "not valid JSON"),
    ("an array", "[]", 'not a featsql repository (expected "format": "featsql.repository")'),
    ("other format", json.dumps({"format": "dbt", "version": 1}), "not a featsql repository"),
    (
        "version 2",
        _document(version=2),
        "repository version 2 is not supported; this featsql reads version 1",
    ),
    ("no version", json.dumps({"format": "featsql.repository", "views": []}), "repository version None"),
    ("version as text", _document(version="1"), "repository version '1' is not supported"),
    (
        "views not an array",
        json.dumps({"format": "featsql.repository", "version": 1, "views": {}}),
        "document.views: expected an array, got an object",
    ),
    ("view not an object", _document("v"), "views[0]: expected an object, got a string"),
    ("view without name", _document({"source": {}, "features": []}), 'views[0]: missing the field "name"'),
    (
        "view without source",
        _document({"name": "v", "features": []}),
        "views[0] ('v'): missing the field \"source\"",
    ),
    (
        "unknown source kind",
        _document(_view(source={"kind": "mysql", "location": "t"})),
        "views[0] ('v').source.kind: unknown source kind 'mysql'; expected one of csv, parquet",
    ),
    (
        "mapping keys as a list",
        _document(_view(source={"kind": "csv", "location": "x", "mapping_keys": [1]})),
        "views[0] ('v').source.mapping_keys: expected an object, got an array",
    ),
    (
        "feature without expr",
        _document(_view({"name": "a", "dtype": "int32"})),
        "views[0] ('v').features[0] ('a'): missing the field \"expr\"",
    ),
    (
        "unknown dtype",
        _document(_view(_feature("a", COL, dtype="int33"))),
        "features[0] ('a').dtype: unknown dtype 'int33'; expected one of bool, date",
    ),
    (
        "unknown role",
        _document(_view(_feature("a", COL, role="boss"))),
        "features[0] ('a').role: unknown role 'boss'; expected one of entity, event_timestamp, "
        "created_timestamp, feature",
    ),
    (
        "expr as a string",
        _document(_view(_feature("a", "a + 1"))),
        "views[0] ('v').features[0] ('a').expr: expected an object, got a string",
    ),
    (
        "unknown node",
        _document(_view(_feature("a", {"sql": "a + 1"}))),
        "expr: an expression node has exactly one of the keys col, ref, lit, call, case, in, cast; "
        "got keys sql",
    ),
    (
        "two node keys",
        _document(_view(_feature("a", {"col": "a", "ref": "b", "dtype": "int32"}))),
        "got keys col, dtype, ref",
    ),
    (
        "args not an array",
        _document(_view(_feature("a", {"call": "neg", "args": 3}))),
        "features[0] ('a').expr.args: expected an array, got a number",
    ),
    (
        "bad nested node",
        _document(_view(_feature("a", {"call": "neg", "args": [{"col": "a"}]}))),
        "features[0] ('a').expr.args[0]: missing the field \"dtype\"",
    ),
    (
        "case pair",
        _document(_view(_feature("a", {"case": [[COL]], "else": None}))),
        "expr.case[0]: expected a [condition, value] pair",
    ),
    (
        "in with a non-literal",
        _document(_view(_feature("a", {"in": COL, "values": [COL]}))),
        "expr.values[0]: expected a literal node",
    ),
    (
        "lit as an object",
        _document(_view(_feature("a", {"lit": {"x": 1}, "dtype": "int32"}))),
        "expr.lit: expected null, a boolean, a number or a string",
    ),
    (
        "cast to unknown",
        _document(_view(_feature("a", {"cast": COL, "from": "int32", "to": "uuid"}))),
        "expr.to: unknown dtype 'uuid'",
    ),
    (
        "unknown reference",
        _document(_view(_feature("a", {"ref": "b"}))),
        "views[0] ('v'): feature 'a' refers to 'b', which the view does not define",
    ),
    (
        "cycle",
        _document(_view(_feature("a", {"ref": "b"}), _feature("b", {"ref": "a"}))),
        "views[0] ('v'): cyclic features a -> b -> a",
    ),
    (
        "duplicate feature",
        _document(_view(_feature("a", COL), _feature("a", COL))),
        "views[0] ('v'): two features are named 'a'",
    ),
    ("duplicate view", _document(_view(), _view()), "two views are named 'v'"),
    (
        "two event timestamps",
        _document(
            _view(
                _feature("a", COL, role="event_timestamp", dtype="timestamp"),
                _feature("b", COL, role="event_timestamp", dtype="timestamp"),
            )
        ),
        "more than one feature has the role event_timestamp",
    ),
    (
        "ttl as text",
        _document(_view(_feature("a", COL, ttl_seconds="7d"))),
        "features[0] ('a').ttl_seconds: expected a number or null, got a string",
    ),
    ("tags not strings", _document(_view(tags=[1])), "views[0] ('v').tags: expected an array of strings"),
]


@pytest.mark.parametrize(("text", "expected"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_documents_raise_a_clear_repository_format_error(text: str, expected: str) -> None:
    with pytest.raises(RepositoryFormatError) as info:
        views_from_json(text)
    assert expected in str(info.value)


def test_a_hand_written_minimal_document_is_accepted() -> None:
    # optional fields may be omitted by other writers; featsql fills the defaults
    (view,) = views_from_json(_document(_view(_feature("a", COL), _feature("b", {"ref": "a"}))))
    assert view.feature("b").expr == ir.Ref("a")
    assert view.feature("a").role == "feature" and view.feature("a").constraints == ()
    # without the source's schema every source column is cast to its declared type
    assert compile_sql(view, "duckdb") == (
        'SELECT CAST("a" AS INT) AS "a", CAST("a" AS INT) AS "b" FROM READ_CSV_AUTO(\'x.csv\')'
    )
