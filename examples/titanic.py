"""The README's 30-second example: run from the repository root with `python examples/titanic.py`."""

from featsql import (
    Bool,
    Entity,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    FileSource,
    Float,
    Int32,
    String,
)

titanic_source = FileSource.csv_at(
    "examples/data/titanic.csv",
    mapping_keys={"PassengerId": "passenger_id", "Name": "name", "Sex": "sex",
                  "Survived": "survived", "SibSp": "sibsp", "Age": "age"},
)

class TitanicPassenger(FeatureView):
    metadata = FeatureViewMetadata(name="titanic", description="Features from the titanic dataset",
                                   batch_source=titanic_source)
    passenger_id = Entity(dtype=Int32())
    name = String()
    sex = String().accepted_values(["male", "female"])
    survived = Bool().description("If the passenger survived").is_required()
    sibsp = Int32().description("Number of siblings on titanic").lower_bound(0)
    age = Float().fill_na(0).description("A float as some have decimals").lower_bound(0).upper_bound(150)
    has_siblings = (sibsp != 0).description("Can not be negative, so if not 0 means they have a sibling")
    is_male, is_female = sex.one_hot_encode(["male", "female"])
    ordinal_sex = sex.ordinal_categories(["male", "female"])
    is_mr = name.contains("Mr.")

store = FeatureStore.from_definitions([TitanicPassenger])
job = store.feature_view("titanic").all(limit=5)
print(job.sql(pretty=True))      # the SQL that runs in DuckDB
print(job.to_pandas_sync())      # or: df = await job.to_pandas()
print(store.feature_view("titanic").sql(dialect="postgres", pretty=True))  # another warehouse
