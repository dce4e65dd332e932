"""PostgreSQL / Redshift column types as featsql dtypes (no heavy imports: the build path uses it)."""

from __future__ import annotations

# PostgreSQL type name (pg_type.typname) -> featsql dtype. numeric is handled by typmod below.
PG_DTYPES = {
    "bool": "bool",
    "int2": "int16",
    "int4": "int32",
    "int8": "int64",
    "float4": "float32",
    "float8": "float64",
    "text": "string",
    "varchar": "string",
    "bpchar": "string",
    "char": "string",
    "name": "string",
    "date": "date",
    "timestamp": "timestamp",
    "timestamptz": "timestamptz",
}

# Type OIDs of the built-in types (identical in PostgreSQL and Redshift) -> type name.
PG_TYPE_NAMES_BY_OID = {
    16: "bool",
    18: "char",
    19: "name",
    20: "int8",
    21: "int2",
    23: "int4",
    25: "text",
    26: "oid",
    700: "float4",
    701: "float8",
    1042: "bpchar",
    1043: "varchar",
    1082: "date",
    1114: "timestamp",
    1184: "timestamptz",
    1700: "numeric",
}


def pg_dtype(type_name: str, typmod: int = -1) -> str:
    """The featsql dtype (or conversion family) of a PostgreSQL / Redshift column type.

    ``numeric(p, s)`` is ``decimal_int`` when its scale is 0 (it may be read as an integer) and
    ``decimal`` otherwise, including an unconstrained ``numeric`` (``typmod`` -1). Other types are
    ``other:<name>``, which the schema check reports as not convertible.
    """
    if type_name == "numeric":
        if typmod >= 4 and (typmod - 4) & 0xFFFF == 0:
            return "decimal_int"
        return "decimal"
    if type_name == "oid":
        return "int64"
    return PG_DTYPES.get(type_name, f"other:{type_name}")
