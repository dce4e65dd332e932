"""Acceptance on the breast-cancer data (../shared/data/breast_cancer.csv, 569 scans): a view of
derived features equals an independent pandas computation, and a model turns it into
train / test / validation sets that are disjoint, complete, deterministic and stratified."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from featsql import (
    Entity,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    FileSource,
    Float,
    Int32,
    Model,
    String,
)


def define(csv: Path) -> tuple[type[FeatureView], Model]:
    class BreastCancer(FeatureView):
        metadata = FeatureViewMetadata(
            name="breast_cancer",
            description="Wisconsin diagnostic breast cancer scans",
            batch_source=FileSource.csv_at(csv),
        )
        scan_id = Entity(dtype=Int32())
        diagnosis = String().accepted_values(["malignant", "benign"]).is_required()
        mean_radius = Float().lower_bound(0)
        mean_texture = Float()
        mean_area = Float()
        worst_area = Float()
        mean_concavity = Float()
        is_malignant, is_benign = diagnosis.one_hot_encode(["malignant", "benign"])
        area_growth = worst_area / mean_area
        log_area = mean_area.log()
        radius_band = mean_radius // 5
        texture_clipped = mean_texture.clip(12.0, 30.0)
        size_texture = (mean_radius * mean_texture).sqrt()
        concavity_log1p = mean_concavity.log1p()
        is_concave = mean_concavity > 0.1

    model = Model(
        name="diagnosis",
        features=[
            BreastCancer.select(
                lambda v: [v.area_growth, v.log_area, v.radius_band, v.texture_clipped, v.size_texture,
                           v.concavity_log1p, v.is_concave]
            )
        ],
        targets=BreastCancer().is_malignant,
    )
    return BreastCancer, model


def pandas_reference(csv: Path) -> pd.DataFrame:
    raw = pd.read_csv(csv)
    return pd.DataFrame(
        {
            "scan_id": raw["scan_id"],
            "is_malignant": raw["diagnosis"].eq("malignant"),
            "is_benign": raw["diagnosis"].eq("benign"),
            "area_growth": raw["worst_area"] / raw["mean_area"],
            "log_area": np.log(raw["mean_area"]),
            "radius_band": np.floor(raw["mean_radius"] / 5),
            "texture_clipped": raw["mean_texture"].clip(12.0, 30.0),
            "size_texture": np.sqrt(raw["mean_radius"] * raw["mean_texture"]),
            "concavity_log1p": np.log1p(raw["mean_concavity"]),
            "is_concave": raw["mean_concavity"] > 0.1,
        }
    )


@pytest.fixture(scope="module")
def csv(shared_data: Path) -> Path:
    return shared_data / "breast_cancer.csv"


def test_view_equals_pandas_on_all_569_scans(csv: Path) -> None:
    view, model = define(csv)
    store = FeatureStore.from_definitions([view, model])
    got = store.feature_view("breast_cancer").all().to_pandas_sync()
    expected = pandas_reference(csv)
    assert len(got) == 569
    got = got.sort_values("scan_id").reset_index(drop=True)
    for name in expected.columns:
        if expected[name].dtype == bool:
            assert got[name].tolist() == expected[name].tolist(), name
        else:
            np.testing.assert_allclose(got[name].to_numpy(float), expected[name].to_numpy(float),
                                       rtol=1e-12, err_msg=name)
    report = store.feature_view("breast_cancer").validate_sync()
    assert report.ok


def test_model_splits_are_disjoint_complete_deterministic_and_stratified(csv: Path) -> None:
    view, model = define(csv)
    store = FeatureStore.from_definitions([view, model])
    entities = {"scan_id": list(range(1, 570))}

    def split() -> object:
        return (
            store.model("diagnosis").features_for(entities)
            .test_split(0.2, stratify=True)
            .validation_split(0.1)
            .to_pandas_sync()
        )

    data = split()
    parts = [data.train, data.test, data.validation]  # type: ignore[attr-defined]
    ids = [set(part.data["scan_id"]) for part in parts]
    assert sum(len(i) for i in ids) == 569 and set().union(*ids) == set(range(1, 570))
    assert not (ids[0] & ids[1]) and not (ids[0] & ids[2]) and not (ids[1] & ids[2])
    assert abs(len(ids[1]) - 0.2 * 569) <= 3 and abs(len(ids[2]) - 0.1 * 569) <= 12

    # stratified by the target: the test set keeps the malignant share (212 / 569 = 37.3%)
    test = data.test  # type: ignore[attr-defined]
    assert list(test.output.columns) == ["is_malignant"]
    assert abs(test.output["is_malignant"].mean() - 212 / 569) < 0.02
    assert list(test.input.columns) == [
        "area_growth", "log_area", "radius_band", "texture_clipped", "size_texture", "concavity_log1p",
        "is_concave",
    ]

    # same data, same split
    again = split()
    again_parts = (again.train, again.test, again.validation)  # type: ignore[attr-defined]
    assert [set(p.data["scan_id"]) for p in again_parts] == ids

    # the features of every split row are the pandas reference's
    expected = pandas_reference(csv).set_index("scan_id")
    train = data.train.data.set_index("scan_id")  # type: ignore[attr-defined]
    np.testing.assert_allclose(train["log_area"], expected.loc[train.index, "log_area"], rtol=1e-12)
    assert train["is_malignant"].tolist() == expected.loc[train.index, "is_malignant"].tolist()
