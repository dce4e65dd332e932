"""``Model``: the features a model reads, from any number of views, and its targets.

```python
titanic_model = Model(
    name="titanic_model",
    features=[TitanicPassenger.select(lambda view: [view.age, view.is_male])],
    targets=TitanicPassenger().survived,
)
store = FeatureStore.from_definitions([TitanicPassenger, titanic_model])
data = await store.model("titanic_model").features_for(entities).test_split(0.1).to_pandas()
```

A model is plain data (:class:`featsql.ir.Model`): view and feature names. It is part of the JSON
repository definition. Reads are in :mod:`featsql.model_store`.
"""

from __future__ import annotations

from typing import Sequence, Union

from featsql import ir
from featsql.errors import FeatureDefinitionError
from featsql.feature_base import Feature
from featsql.view import FeatureSelection, FeatureView

TargetSpec = Union[Feature, FeatureSelection, Sequence[Union[Feature, FeatureSelection]], None]


class Model:
    """A model's inputs (features of feature views) and, optionally, its targets (labels).

    ``features``: selections such as ``View.select(lambda view: [view.a, view.b])``.
    ``targets``: one feature (``View().survived``), a selection, or a list of those; omit it for
    a model used only for inference. Feature names must be unique across the model.
    """

    def __init__(
        self,
        name: str,
        features: Sequence[FeatureSelection],
        targets: TargetSpec = None,
        description: str | None = None,
        tags: Sequence[str] = (),
    ) -> None:
        if not isinstance(name, str) or not name:
            raise FeatureDefinitionError(f"Model(name=...) must be a non-empty str, got {name!r}")
        if isinstance(features, FeatureSelection):
            features = [features]
        refs: list[ir.FeatureRef] = []
        for item in features:
            if not isinstance(item, FeatureSelection):
                raise FeatureDefinitionError(
                    f"Model '{name}': features must be selections such as "
                    f"View.select(lambda view: [view.a]), got {item!r}"
                )
            refs.extend(ir.FeatureRef(item.view_name, n) for n in item.names)
        target_refs = _target_refs(name, targets)
        self.ir = ir.Model(name, tuple(refs), tuple(target_refs), description, tuple(tags))
        check_model(self.ir)

    @property
    def name(self) -> str:
        """The model's name (``store.model(name)``)."""
        return self.ir.name

    def __repr__(self) -> str:
        return f"Model({self.ir.name!r}, features={len(self.ir.features)}, targets={len(self.ir.targets)})"


def check_model(model: ir.Model, views: dict[str, ir.View] | None = None) -> None:
    """Reject duplicate output names; with ``views``, unknown views and features too."""
    if not model.features:
        raise FeatureDefinitionError(f"Model '{model.name}' selects no features")
    seen: dict[str, str] = {}
    for ref in (*model.features, *model.targets):
        if views is not None:
            view = views.get(ref.view)
            if view is None:
                raise FeatureDefinitionError(
                    f"Model '{model.name}' reads view '{ref.view}', which is not registered; "
                    f"the store has: {', '.join(views) or 'none'}"
                )
            if not view.has_feature(ref.name):
                raise FeatureDefinitionError(
                    f"Model '{model.name}': view '{ref.view}' has no feature '{ref.name}'"
                )
            if view.feature(ref.name).role == "entity":
                continue  # entity keys come from the entity rows
        other = seen.get(ref.name)
        if other is not None:
            raise FeatureDefinitionError(
                f"Model '{model.name}': the output column '{ref.name}' is selected twice "
                f"(from view '{other}' and view '{ref.view}'); feature names must be unique in a model"
            )
        seen[ref.name] = ref.view


def _target_refs(model: str, targets: TargetSpec) -> list[ir.FeatureRef]:
    if targets is None:
        return []
    items: Sequence[Feature | FeatureSelection]
    if isinstance(targets, (Feature, FeatureSelection)):
        items = [targets]
    else:
        items = list(targets)
    out: list[ir.FeatureRef] = []
    for item in items:
        if isinstance(item, FeatureSelection):
            out.extend(ir.FeatureRef(item.view_name, n) for n in item.names)
        elif isinstance(item, Feature):
            out.append(_feature_ref(model, item))
        else:
            raise FeatureDefinitionError(
                f"Model '{model}': targets must be features of a view (View().survived), got {item!r}"
            )
    return out


def _feature_ref(model: str, feature: Feature) -> ir.FeatureRef:
    """The (view, name) of a feature object declared on a FeatureView class."""
    stack: list[type[FeatureView]] = list(FeatureView.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        for attr, value in vars(cls).items():
            if value is feature and "__featsql_view__" in vars(cls):
                return ir.FeatureRef(cls.ir().name, attr)
    raise FeatureDefinitionError(
        f"Model '{model}': a target must be a feature declared on a FeatureView "
        f"(e.g. targets=TitanicPassenger().survived), got {feature!r}"
    )
