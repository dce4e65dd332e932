"""Correct featsql user code: `mypy --strict` must accept every line (tests/test_type_checking.py)."""

from __future__ import annotations

import asyncio
import datetime as dt

import featsql
from featsql import (
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
    Float32,
    Float64,
    Int8,
    Int16,
    Int32,
    Int64,
    String,
    Timestamp,
    if_else,
)

titanic_source = FileSource.csv_at(
    "examples/data/titanic.csv",
    mapping_keys={"PassengerId": "passenger_id", "Name": "name", "Sex": "sex", "Survived": "survived",
                  "SibSp": "sibsp", "Age": "age", "Fare": "fare"},
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

    # arithmetic: the result types are what the docs promise
    fare = Float()
    family: Int64 = sibsp + 1
    fare_pp: Float64 = fare / (sibsp + 1)
    halves: Float64 = age * 0.5 + 1
    whole: Int64 = sibsp // 2 + sibsp % 2 - (-sibsp) + abs(sibsp)
    scaled: Float64 = 2 * fare - 1.5 + (fare ** 2).sqrt()
    logs: Float64 = fare.log1p() + fare.log() + fare.log(10) + fare.exp()
    rounded: Float64 = fare.round(2) + fare.floor() + fare.ceil()
    clipped: Float64 = fare.clip(0, 500)
    clipped_int: Int32 = sibsp.clip(0, 5)
    age_int: Int64 = age.cast(Int64())
    sibsp_text: String = sibsp.cast(String())
    ratio: Float64 = 1 / (age + 1)

    # comparisons and logic
    adult: Bool = (age >= 18) & ~(age > 65) | (sibsp == 0)
    teen: Bool = age.between(13, 19)
    known_age: Bool = age.is_not_null() & ~age.is_null() & ~fare.is_nan()
    family_size_known: Bool = sibsp.is_in([0, 1, 2])

    # strings
    title: String = name.lower().strip().replace("mr.", "mister") + "!"
    greeting: String = "Dear " + name.upper()
    is_doctor: Bool = name.matches(r"\bDr\.") | name.starts_with("Dr") | name.ends_with("MD")
    name_length: Int64 = name.length()
    has_sex_name: Bool = name.contains(sex)

    # conditional
    senior_fare: Float64 = if_else(age > 60, fare, 0.0)
    label: String = survived.if_else(name, "unknown")


class Events(FeatureView):
    metadata = FeatureViewMetadata(name="events", batch_source=DuckDBConfig("events.duckdb").table("events"))
    user_id = Entity(dtype=Int64())
    at = EventTimestamp(ttl=dt.timedelta(days=7))
    signup = Date()
    small = Int8()
    medium = Int16()
    precise = Float32()
    hour: Int32 = at.hour()
    minute: Int32 = at.minute()
    weekday: Int32 = at.day_of_week()
    day_parts: Int32 = signup.year()
    month: Int32 = signup.month()
    day: Int32 = signup.day()
    doy: Int32 = signup.day_of_year()
    week: Int32 = signup.week()
    epoch: Float64 = at.epoch_seconds()
    age_seconds: Float64 = at.seconds_since(signup)
    signup_day: Date = at.date()
    month_start: Date = signup.truncate("month")
    hour_start: Timestamp = at.truncate("hour")
    recent: Bool = at > dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    early: Bool = signup < dt.date(2020, 1, 1)
    widened: Int64 = small + medium
    mixed: Float64 = precise + small


store = FeatureStore.from_definitions([TitanicPassenger, Events])
titanic = store.feature_view("titanic")
print(titanic.sql(dialect="postgres"))
job = titanic.all(limit=100)
sql_text: str = job.sql()
only = titanic.select(["has_siblings"]).all()
rows = titanic.features_for({"passenger_id": [3, 99]})


async def main() -> None:
    df = await job.to_pandas()
    table = await only.to_arrow()
    loaded = await FileSource.json_at("feature-store.json").feature_store()
    print(df, table, loaded.view_names)


def script() -> None:
    df = job.to_pandas_sync()
    table = rows.to_arrow_sync()
    loaded = FileSource.json_at("feature-store.json").feature_store_sync()
    store.write_json("feature-store.json")
    print(df, table, loaded, featsql.__version__)


if __name__ == "__main__":
    asyncio.run(main())
