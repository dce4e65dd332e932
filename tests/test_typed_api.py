"""The typed API: every dtype class, which methods each has, and the dtype each operation returns.

Views are built with ``type(...)`` so each case is one line; the IR is what the compiler sees.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from featsql import (
    Bool,
    Date,
    Feature,
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
    ir,
)

SOURCE = FileSource.csv_at("unused.csv")
ALL_CLASSES = [Bool, Int8, Int16, Int32, Int64, Float32, Float64, String, Date, Timestamp]
DTYPE_NAMES = {
    Bool: "bool", Int8: "int8", Int16: "int16", Int32: "int32", Int64: "int64",
    Float32: "float32", Float64: "float64", String: "string", Date: "date", Timestamp: "timestamp",
}


def view_of(**features: Any) -> ir.View:
    """The IR of a view named 'v' holding ``features`` in the given order."""
    body: dict[str, Any] = {"metadata": FeatureViewMetadata(name="v", batch_source=SOURCE)}
    body.update(features)
    return type("V", (FeatureView,), body).ir()


def result(make: Any, **inputs: Any) -> tuple[str, ir.Expr]:
    """Dtype and IR of ``out = make(**inputs)`` inside a view holding the inputs."""
    view = view_of(**inputs, out=make(**inputs))
    out = view.feature("out")
    return out.dtype, out.expr


# -- construction -----------------------------------------------------------------------------
@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_every_dtype_class_constructs_as_an_input_column(cls: type[Feature]) -> None:
    feature = cls()
    assert feature.dtype == DTYPE_NAMES[cls]
    view = view_of(col=feature)
    assert view.feature("col").expr == ir.Col("col", DTYPE_NAMES[cls])
    assert view.feature("col").role == "feature"


def test_float_is_64_bit() -> None:
    assert Float is Float64
    assert Float().dtype == "float64"


def test_feature_base_is_abstract() -> None:
    with pytest.raises(TypeError, match="abstract"):
        Feature()


def test_features_have_no_truth_value() -> None:
    age = Int32()
    with pytest.raises(TypeError, match="& \\| ~"):
        bool(age > 1)


# -- which methods exist where ----------------------------------------------------------------
STRING_ONLY = ["contains", "matches", "starts_with", "ends_with", "lower", "upper", "strip", "length",
               "replace", "min_length", "max_length"]
NUMERIC_ONLY = ["log", "log1p", "exp", "sqrt", "clip", "abs", "__truediv__", "__pow__", "__neg__"]
FLOAT_ONLY = ["round", "floor", "ceil", "is_nan"]
TEMPORAL_ONLY = ["year", "month", "day", "day_of_week", "day_of_year", "week", "epoch_seconds",
                 "seconds_since", "truncate"]
TIMESTAMP_ONLY = ["hour", "minute", "date"]
BOOL_ONLY = ["__and__", "__or__", "__invert__", "if_else"]
ORDERED = ["__lt__", "__le__", "__gt__", "__ge__", "between", "lower_bound", "upper_bound"]
EVERYWHERE = ["fill_na", "is_null", "is_not_null", "is_in", "cast", "one_hot_encode", "ordinal_categories",
              "description", "tags", "is_required", "accepted_values", "is_unique"]

METHODS: dict[type[Feature], set[str]] = {
    Bool: set(BOOL_ONLY),
    Int8: set(NUMERIC_ONLY + ORDERED + ["__floordiv__", "__mod__", "__add__"]),
    Float64: set(NUMERIC_ONLY + ORDERED + FLOAT_ONLY + ["__floordiv__", "__mod__", "__add__"]),
    String: set(STRING_ONLY + ORDERED + ["__add__"]),
    Date: set(TEMPORAL_ONLY + ORDERED),
    Timestamp: set(TEMPORAL_ONLY + TIMESTAMP_ONLY + ORDERED),
}
METHODS[Int16] = METHODS[Int32] = METHODS[Int64] = METHODS[Int8]
METHODS[Float32] = METHODS[Float64]
EVERY_NAME = sorted(set().union(*METHODS.values()))


@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_methods_exist_only_where_they_make_sense(cls: type[Feature]) -> None:
    feature = cls()
    for name in EVERYWHERE:
        assert callable(getattr(feature, name)), f"{cls.__name__} lacks {name}"
    # object's own comparison slots (returning NotImplemented) do not count as methods
    present = {name for name in EVERY_NAME
               if any(name in vars(k) for k in type(feature).__mro__ if k is not object)}
    assert present == METHODS[cls]
    for name in EVERY_NAME:
        if not name.startswith("__"):
            assert hasattr(feature, name) == (name in METHODS[cls]), name


def test_a_missing_method_says_which_types_have_it() -> None:
    with pytest.raises(AttributeError) as info:
        getattr(Float(), "contains")  # noqa: B009 - the point is the runtime lookup
    message = str(info.value)
    assert "Float64 has no method 'contains'" in message
    assert "String" in message
    with pytest.raises(AttributeError, match="Int32 has no method 'round'.*Float"):
        getattr(Int32(), "round")  # noqa: B009
    assert not hasattr(Date(), "hour")


# -- result types -----------------------------------------------------------------------------
def _i(cls: type[Feature] = Int32) -> Any:
    return cls()


RESULT_TYPES = [
    # integer arithmetic widens to Int64; mixing with floats gives Float64
    ("int32 + int32", lambda a, b: a + b, {"a": Int32(), "b": Int32()}, "int64"),
    ("int8 * int16", lambda a, b: a * b, {"a": Int8(), "b": Int16()}, "int64"),
    ("int32 - literal int", lambda a: a - 1, {"a": Int32()}, "int64"),
    ("literal int - int32", lambda a: 1 - a, {"a": Int32()}, "int64"),
    ("int32 + literal float", lambda a: a + 0.5, {"a": Int32()}, "float64"),
    ("int32 + float", lambda a, b: a + b, {"a": Int32(), "b": Float()}, "float64"),
    ("float32 + float32", lambda a, b: a + b, {"a": Float32(), "b": Float32()}, "float64"),
    ("int32 / int32", lambda a, b: a / b, {"a": Int32(), "b": Int32()}, "float64"),
    ("literal / int", lambda a: 1 / a, {"a": Int32()}, "float64"),
    ("int32 // int32", lambda a, b: a // b, {"a": Int32(), "b": Int32()}, "int64"),
    ("int32 % literal", lambda a: a % 3, {"a": Int32()}, "int64"),
    ("float // float", lambda a, b: a // b, {"a": Float(), "b": Float()}, "float64"),
    ("int ** int", lambda a: a**2, {"a": Int32()}, "float64"),
    ("-int16", lambda a: -a, {"a": Int16()}, "int64"),
    ("abs(int8)", lambda a: abs(a), {"a": Int8()}, "int64"),
    ("-float32", lambda a: -a, {"a": Float32()}, "float64"),
    ("int.clip keeps its type", lambda a: a.clip(0, 10), {"a": Int16()}, "int16"),
    ("float.round", lambda a: a.round(2), {"a": Float()}, "float64"),
    ("int.log1p", lambda a: a.log1p(), {"a": Int32()}, "float64"),
    ("int.sqrt", lambda a: a.sqrt(), {"a": Int64()}, "float64"),
    ("float.log base", lambda a: a.log(10), {"a": Float()}, "float64"),
    ("float.is_nan", lambda a: a.is_nan(), {"a": Float()}, "bool"),
    # comparisons and logic
    ("int < float", lambda a, b: a < b, {"a": Int32(), "b": Float()}, "bool"),
    ("string == literal", lambda a: a == "x", {"a": String()}, "bool"),
    ("date >= date literal", lambda a: a >= dt.date(2020, 1, 1), {"a": Date()}, "bool"),
    ("bool & bool", lambda a, b: a & b, {"a": Bool(), "b": Bool()}, "bool"),
    ("bool | literal", lambda a: a | True, {"a": Bool()}, "bool"),
    ("~bool", lambda a: ~a, {"a": Bool()}, "bool"),
    ("between", lambda a: a.between(1, 2), {"a": Int32()}, "bool"),
    ("is_in", lambda a: a.is_in(["a", "b"]), {"a": String()}, "bool"),
    ("is_null", lambda a: a.is_null(), {"a": Date()}, "bool"),
    ("is_not_null", lambda a: a.is_not_null(), {"a": Float()}, "bool"),
    # NULL handling and casts keep / take the declared type
    ("fill_na literal", lambda a: a.fill_na(0), {"a": Int16()}, "int16"),
    ("fill_na feature", lambda a, b: a.fill_na(b), {"a": Float(), "b": Float()}, "float64"),
    ("cast int to string", lambda a: a.cast(String()), {"a": Int32()}, "string"),
    ("cast float to int", lambda a: a.cast(Int64()), {"a": Float()}, "int64"),
    # strings
    ("string + string", lambda a, b: a + b, {"a": String(), "b": String()}, "string"),
    ("literal + string", lambda a: "x" + a, {"a": String()}, "string"),
    ("contains", lambda a: a.contains("Mr."), {"a": String()}, "bool"),
    ("matches", lambda a: a.matches("^M"), {"a": String()}, "bool"),
    ("starts_with", lambda a: a.starts_with("M"), {"a": String()}, "bool"),
    ("length", lambda a: a.length(), {"a": String()}, "int64"),
    ("replace", lambda a: a.replace("a", "b"), {"a": String()}, "string"),
    ("strip", lambda a: a.strip(), {"a": String()}, "string"),
    # dates and timestamps
    ("date.year", lambda a: a.year(), {"a": Date()}, "int32"),
    ("date.day_of_week", lambda a: a.day_of_week(), {"a": Date()}, "int32"),
    ("timestamp.hour", lambda a: a.hour(), {"a": Timestamp()}, "int32"),
    ("timestamp.minute", lambda a: a.minute(), {"a": Timestamp()}, "int32"),
    ("timestamp.week", lambda a: a.week(), {"a": Timestamp()}, "int32"),
    ("epoch_seconds", lambda a: a.epoch_seconds(), {"a": Date()}, "float64"),
    ("seconds_since", lambda a, b: a.seconds_since(b), {"a": Timestamp(), "b": Date()}, "float64"),
    ("timestamp.date", lambda a: a.date(), {"a": Timestamp()}, "date"),
    ("timestamp.truncate", lambda a: a.truncate("hour"), {"a": Timestamp()}, "timestamp"),
    ("date.truncate", lambda a: a.truncate("month"), {"a": Date()}, "date"),
    # categorical and conditional
    ("ordinal_categories", lambda a: a.ordinal_categories(["x", "y"]), {"a": String()}, "int32"),
    ("if_else", lambda a, b: if_else(a, b, 0.0), {"a": Bool(), "b": Float()}, "float64"),
    ("Bool.if_else", lambda a, b: a.if_else("yes", b), {"a": Bool(), "b": String()}, "string"),
]


@pytest.mark.parametrize(("make", "inputs", "expected"), [c[1:] for c in RESULT_TYPES],
                         ids=[c[0] for c in RESULT_TYPES])
def test_each_operation_gives_its_documented_type(make: Any, inputs: dict[str, Any], expected: str) -> None:
    dtype, _ = result(make, **inputs)
    assert dtype == expected
    # the Python object has the same dtype as the IR records
    assert make(**inputs).dtype == expected


def test_one_hot_encode_gives_a_tuple_of_non_null_bools() -> None:
    sex = String()
    encoded = sex.one_hot_encode(["male", "female"])
    assert isinstance(encoded, tuple) and len(encoded) == 2
    assert all(isinstance(e, Bool) for e in encoded)
    is_male, is_female = encoded
    view = view_of(sex=sex, is_male=is_male, is_female=is_female)
    # NULL input gives FALSE, not NULL: COALESCE(sex = 'male', FALSE)
    assert view.feature("is_male").expr == ir.Call(
        "coalesce", (ir.Call("eq", (ir.Ref("sex"), ir.Lit("male", "string"))), ir.Lit(False, "bool"))
    )
    assert view.feature("is_female").dtype == "bool"


def test_ordinal_categories_is_a_case_with_null_for_unknown() -> None:
    sex = String()
    view = view_of(sex=sex, ordinal=sex.ordinal_categories(["male", "female"]))
    expr = view.feature("ordinal").expr
    assert expr == ir.Case(
        (
            (ir.Call("eq", (ir.Ref("sex"), ir.Lit("male", "string"))), ir.Lit(0, "int32")),
            (ir.Call("eq", (ir.Ref("sex"), ir.Lit("female", "string"))), ir.Lit(1, "int32")),
        ),
        None,
    )


def test_integer_arithmetic_widens_operands_before_the_operation() -> None:
    _, expr = result(lambda a, b: a + b, a=Int32(), b=Int8())
    assert expr == ir.Call(
        "add", (ir.Cast(ir.Ref("a"), "int32", "int64"), ir.Cast(ir.Ref("b"), "int8", "int64"))
    )


def test_floor_division_and_modulo_pick_the_op_by_operand_type() -> None:
    assert result(lambda a, b: a // b, a=Int64(), b=Int64())[1] == ir.Call(
        "floordiv_int", (ir.Ref("a"), ir.Ref("b"))
    )
    assert result(lambda a: a % 2.5, a=Int64())[1] == ir.Call(
        "mod_float", (ir.Ref("a"), ir.Lit(2.5, "float64"))
    )


def test_literals_are_typed_and_dates_become_iso_text() -> None:
    _, expr = result(lambda t: t > dt.datetime(2020, 1, 1, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
                     t=Timestamp())
    assert expr == ir.Call("gt", (ir.Ref("t"), ir.Lit("2020-01-01 00:00:00", "timestamp")))
    _, expr = result(lambda d: d == dt.date(2021, 3, 4), d=Date())
    assert expr == ir.Call("eq", (ir.Ref("d"), ir.Lit("2021-03-04", "date")))


def test_nan_literal_is_kept_as_a_float_value() -> None:
    _, expr = result(lambda f: f.fill_na(float("nan")), f=Float())
    assert expr == ir.Call("coalesce", (ir.Ref("f"), ir.Lit("NaN", "float64")))


def test_every_method_returns_a_new_feature() -> None:
    age = Float()
    described = age.description("years")
    assert described is not age
    assert age._description is None and described._description == "years"
    assert age.fill_na(0) is not age
