"""Incorrect featsql user code: `mypy --strict` must report an error on every line marked `# E:`.

tests/test_type_checking.py compares the exact set of lines with errors against the markers.
"""

from __future__ import annotations

from featsql import (
    Bool,
    Date,
    Entity,
    FeatureStore,
    FeatureView,
    FeatureViewMetadata,
    FileSource,
    Float,
    Int32,
    Int64,
    String,
    Timestamp,
    if_else,
)

source = FileSource.csv_at("data.csv")


class Wrong(FeatureView):
    metadata = FeatureViewMetadata(name="wrong", batch_source=source)
    key = Entity(dtype=Int64())
    name = String()
    score = Float()
    count = Int32()
    flag = Bool()
    day = Date()
    at = Timestamp()

    # methods that do not exist on the dtype
    a = score.contains("x")  # E: attr-defined
    b = count.lower()  # E: attr-defined
    c = day.hour()  # E: attr-defined
    d = flag.year()  # E: attr-defined
    e = name.round()  # E: attr-defined
    f = count.round(2)  # E: attr-defined
    g = name.log1p()  # E: attr-defined
    h = score.length()  # E: attr-defined
    i = at.matches("x")  # E: attr-defined

    # operators between the wrong types
    j = name + count  # E: operator
    k = flag < score  # E: operator
    # `name == 1` itself type-checks (Python falls back to int.__eq__), but its type is a plain
    # bool, so any use as a feature fails; featsql also rejects it when the class is created.
    m1 = (name == 1).description("never")  # E: attr-defined
    m2: Bool = name == 1  # E: assignment
    n = score + "1"  # E: operator
    o = flag & 1  # E: operator
    p = ~score  # E: operator
    q = name * 2  # E: operator
    r = day - at  # E: operator
    s = -name  # E: operator

    # methods with arguments of the wrong type
    t = name.contains(1)  # E: arg-type
    u = score.between("a", "z")  # E: arg-type
    v = count.lower_bound("0")  # E: arg-type
    x = at.truncate("fortnight")  # E: arg-type
    y = score.fill_na("zero")  # E: arg-type
    z = name.accepted_values([1, 2])  # E: list-item
    aa = name.is_in([1])  # E: list-item
    ab = name.one_hot_encode([1, 2])  # E: list-item
    ac = count.ordinal_categories(["a"])  # E: list-item
    ad = flag.fill_na(0.5)  # E: arg-type
    ae = score.clip("0", 1)  # E: arg-type
    af = name.replace(1, 2)  # E: arg-type
    ag = at.seconds_since(score)  # E: arg-type
    ah = score.cast(int)  # E: type-var

    # results used as the wrong type
    ai: Int32 = count + count  # E: assignment
    aj: Int64 = score / 2  # E: assignment
    ak: String = name.length()  # E: assignment
    al: Date = at  # E: assignment
    am: Bool = if_else(flag, score, 0.0)  # E: assignment


store = FeatureStore.from_definitions([Wrong])
store.feature_view(1)  # E: arg-type
store.feature_view("wrong").select(["name"]).all(limit=None).sql(pretty=1.5)  # E: arg-type
store.feature_view("wrong").all(limit="10")  # E: arg-type
text: int = store.feature_view("wrong").all().sql()  # E: assignment
Entity(dtype=Int32)  # E: type-var
