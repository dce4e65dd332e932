"""Data type names shared by the typed API, the IR and the dialect tables.

A dtype is a short lowercase string (``"int32"``, ``"float64"``, ``"string"`` ...). Strings keep the
IR plain data: they serialise to JSON as they are and compare by value.
"""

from __future__ import annotations

from typing import Final

BOOL: Final = "bool"
INT8: Final = "int8"
INT16: Final = "int16"
INT32: Final = "int32"
INT64: Final = "int64"
FLOAT32: Final = "float32"
FLOAT64: Final = "float64"
STRING: Final = "string"
DATE: Final = "date"
TIMESTAMP: Final = "timestamp"

INTEGER_TYPES: Final = frozenset({INT8, INT16, INT32, INT64})
FLOAT_TYPES: Final = frozenset({FLOAT32, FLOAT64})
NUMERIC_TYPES: Final = INTEGER_TYPES | FLOAT_TYPES
TEMPORAL_TYPES: Final = frozenset({DATE, TIMESTAMP})
ALL_TYPES: Final = NUMERIC_TYPES | TEMPORAL_TYPES | {BOOL, STRING}


def family(dtype: str) -> str:
    """The conversion family of a dtype: ``bool``, ``int``, ``float``, ``string``, ``date``, ``timestamp``."""
    if dtype in INTEGER_TYPES:
        return "int"
    if dtype in FLOAT_TYPES:
        return "float"
    return dtype


def is_numeric(dtype: str) -> bool:
    return dtype in NUMERIC_TYPES


def is_integer(dtype: str) -> bool:
    return dtype in INTEGER_TYPES


# Which source column families may be converted (by a cast in SQL) into a declared dtype family.
# Anything else fails the schema check before a query runs. Float -> int is refused on purpose:
# it silently drops the fraction; declare Float() and use .cast(Int64()) to truncate explicitly.
# Text is never read as a number, bool or time: whether it converts depends on every row, so the
# failure would come at run time. Declare String() and convert explicitly with .cast(...).
SOURCE_CONVERSIONS: Final[dict[str, frozenset[str]]] = {
    "bool": frozenset({"bool", "int"}),
    "int": frozenset({"int", "bool", "decimal_int"}),
    "float": frozenset({"int", "float", "decimal", "decimal_int"}),
    "string": frozenset({"string", "int", "bool", "date"}),
    "date": frozenset({"date", "timestamp", "timestamptz"}),
    "timestamp": frozenset({"timestamp", "timestamptz", "date"}),
}
# ``timestamptz`` (a source column with a time zone) is read as its UTC wall-clock time.
