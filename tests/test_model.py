"""Model definitions: selections, targets, errors, registration and the JSON repository round trip."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from featsql import (
    Bool,
    CreatedTimestamp,
    Entity,
    EventTimestamp,
    FeatureDefinitionError,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    FileSource,
    Float,
    Int32,
    Int64,
    Model,
    RepositoryFormatError,
    String,
    ir,
)

SOURCE = FileSource.csv_at("people.csv")


class People(FeatureView):
    metadata = FeatureViewMetadata(name="people", batch_source=SOURCE)
    person_id = Entity(dtype=Int32())
    event_timestamp = EventTimestamp(ttl=timedelta(days=3))
    created = CreatedTimestamp()
    age = Float()
    name = String()
    label = Bool()
    is_adult = age >= 18


class Other(FeatureView):
    metadata = FeatureViewMetadata(name="other", batch_source=SOURCE)
    person_id = Entity(dtype=Int32())
    age = Float()
    score = Float()


def test_model_ir_lists_view_and_feature_names() -> None:
    model = Model(
        name="m",
        features=[People.select(lambda v: [v.age, v.is_adult]), Other.select(lambda v: [v.score])],
        targets=People().label,
    )
    assert model.ir.features == (
        ir.FeatureRef("people", "age"),
        ir.FeatureRef("people", "is_adult"),
        ir.FeatureRef("other", "score"),
    )
    assert model.ir.targets == (ir.FeatureRef("people", "label"),)
    assert model.ir.view_names == ("people", "other")


def test_targets_optional_or_a_list() -> None:
    assert Model(name="m", features=[People.select(lambda v: [v.age])]).ir.targets == ()
    both = Model(
        name="m", features=[People.select(lambda v: [v.age])], targets=[People().label, Other().score]
    )
    assert [t.name for t in both.ir.targets] == ["label", "score"]


def test_created_timestamp_is_a_role_in_the_ir() -> None:
    view = People.ir()
    assert view.created_timestamp is not None and view.created_timestamp.name == "created"
    assert view.feature("created").role == "created_timestamp"
    assert view.event_timestamp is not None and view.event_timestamp.ttl_seconds == 3 * 86400


def test_duplicate_output_names_are_rejected() -> None:
    with pytest.raises(
        FeatureDefinitionError, match=r"output column 'age' is selected twice .*'people'.*'other'"
    ):
        Model(name="m", features=[People.select(lambda v: [v.age]), Other.select(lambda v: [v.age])])


def test_bad_definitions_name_the_model() -> None:
    with pytest.raises(FeatureDefinitionError, match="Model 'm': features must be selections"):
        Model(name="m", features=[People().age])  # type: ignore[list-item]
    with pytest.raises(FeatureDefinitionError, match="Model 'm': a target must be a feature declared"):
        Model(name="m", features=[People.select(lambda v: [v.age])], targets=Float())
    with pytest.raises(FeatureDefinitionError, match="selects no features"):
        Model(name="m", features=[])


def test_registration_needs_the_views() -> None:
    model = Model(name="m", features=[People.select(lambda v: [v.age])])
    with pytest.raises(FeatureDefinitionError, match="reads view 'people', which is not registered"):
        FeatureStore.from_definitions([Other, model])
    store = FeatureStore.from_definitions([model, People])  # order does not matter
    assert store.model_names == ["m"]


def test_repository_json_round_trip() -> None:
    model = Model(
        name="m",
        features=[People.select(lambda v: [v.age, v.is_adult]), Other.select(lambda v: [v.score])],
        targets=People().label,
        description="churn",
    )
    store = FeatureStore.from_definitions([People, Other, model])
    text = store.to_json()
    document = json.loads(text)
    assert document["version"] == 1
    assert document["models"] == [
        {
            "name": "m",
            "description": "churn",
            "tags": [],
            "features": [
                {"view": "people", "feature": "age"},
                {"view": "people", "feature": "is_adult"},
                {"view": "other", "feature": "score"},
            ],
            "targets": [{"view": "people", "feature": "label"}],
        }
    ]
    again = FeatureStore.from_json(text)
    assert again.model("m").model == model.ir
    assert again.to_json() == text
    created = [f for f in document["views"][0]["features"] if f["name"] == "created"][0]
    assert created["role"] == "created_timestamp"


def test_a_document_without_models_is_still_read_and_written_unchanged() -> None:
    store = FeatureStore.from_definitions([People])
    text = store.to_json()
    assert "models" not in json.loads(text)
    assert FeatureStore.from_json(text).model_names == []


def test_malformed_models_are_reported_with_their_place() -> None:
    document = json.loads(FeatureStore.from_definitions([People]).to_json())
    document["models"] = [{"name": "m", "features": [{"view": "people"}]}]
    with pytest.raises(RepositoryFormatError, match=r"models\[0\].features\[0\]"):
        FeatureStore.from_json(json.dumps(document))


def test_a_model_from_json_runs_without_the_classes(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "person_id": [1, 1, 2],
            "event_timestamp": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-02"]),
            "age": [10.0, 20.0, 30.0],
        }
    )
    path = tmp_path / "people.csv"
    frame.to_csv(path, index=False)

    class Ppl(FeatureView):
        metadata = FeatureViewMetadata(name="ppl", batch_source=FileSource.csv_at(path))
        person_id = Entity(dtype=Int64())
        event_timestamp = EventTimestamp(ttl=timedelta(days=3))
        age = Float()
        is_adult = age >= 18

    text = FeatureStore.from_definitions(
        [Ppl, Model(name="m", features=[Ppl.select(lambda v: [v.is_adult])])]
    ).to_json()
    store = FeatureStore.from_json(text)
    try:
        entities = {
            "person_id": [1, 1, 2],
            "event_timestamp": pd.to_datetime(["2024-01-04", "2024-01-05", "2024-01-06"]),
        }
        out = store.model("m").features_for(entities).to_pandas_sync()
    finally:
        store.close()
    assert out["is_adult"].tolist() == [False, True, None]  # 2024-01-02 is 4 days old on 01-06: TTL 3 days
