"""Moving rows between PostgreSQL-protocol servers and Arrow, without per-value Python work where possible.

* Server type names -> featsql dtypes (for the schema check) and -> Arrow types (for results).
* ``COPY ... TO STDOUT (FORMAT csv)`` bytes -> Arrow through Arrow's streaming CSV reader (on a
  worker thread, while the bytes arrive), with the column types taken from the server's row
  description (never inferred from the data).
  PostgreSQL writes NULL as an unquoted empty field and ``''`` as ``""``; the reader is told exactly
  that, so NULL and the empty string stay distinct.
* Python rows (the drivers' row path) -> Arrow, one column at a time.
* Arrow -> CSV bytes and column types, for uploading entity rows with ``COPY ... FROM STDIN``.
"""

from __future__ import annotations

import io
import queue
from decimal import Decimal
from typing import Any, Sequence

import pyarrow as pa
import pyarrow.csv as pa_csv

from featsql.engines.pg_types import pg_dtype
from featsql.errors import FeatSQLError

_ARROW_TYPES: dict[str, pa.DataType] = {
    "bool": pa.bool_(),
    "int16": pa.int16(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float32": pa.float32(),
    "float64": pa.float64(),
    "string": pa.string(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "decimal": pa.float64(),
    "decimal_int": pa.float64(),
}


def pg_arrow_type(type_name: str) -> pa.DataType:
    """The Arrow type a result column of this server type is read into.

    ``numeric`` arrives as float64 (featsql's outputs are cast to declared dtypes, so a numeric
    reaches a result only as a raw passthrough); types featsql has no dtype for (json, uuid,
    interval, arrays ...) arrive as their text form.
    """
    return _ARROW_TYPES.get(pg_dtype(type_name), pa.string())


class CsvStream(io.RawIOBase):
    """Bytes handed over chunk by chunk (by the driver) and read by Arrow's CSV reader on a thread.

    Parsing then overlaps with the server producing and sending the rest of the result.
    """

    def __init__(self) -> None:
        super().__init__()
        self._chunks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._current = memoryview(b"")
        self._ended = False
        self.size = 0

    def feed(self, data: bytes) -> None:
        """Append bytes (from the producer's thread)."""
        if data:
            self.size += len(data)
            self._chunks.put(data)

    def end(self) -> None:
        """No more bytes will come."""
        self._chunks.put(None)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._current and not self._ended:
            chunk = self._chunks.get()
            if chunk is None:
                self._ended = True
            else:
                self._current = memoryview(chunk)
        size = min(len(buffer), len(self._current))
        buffer[:size] = self._current[:size]
        self._current = self._current[size:]
        return size

    def drain(self) -> None:
        """Consume everything up to the end (after a failed parse, so the producer never blocks)."""
        while not self._ended:
            if self._chunks.get() is None:
                self._ended = True


def csv_stream_to_arrow(stream: CsvStream, names: Sequence[str], types: Sequence[pa.DataType]) -> pa.Table:
    """Parse a :class:`CsvStream` (PostgreSQL COPY CSV, no header) as it fills.

    Raises ``pyarrow.ArrowInvalid`` when a value does not parse (e.g. ``infinity`` dates); callers
    fall back to the row path then.
    """
    placeholders = [f"c{i}" for i in range(len(names))]
    reader = io.BufferedReader(stream, buffer_size=1 << 20)
    if not reader.peek(1):
        return empty_table(names, types)
    try:
        batches = pa_csv.open_csv(
            reader,
            read_options=pa_csv.ReadOptions(column_names=placeholders, block_size=1 << 22),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=_convert_options(placeholders, types),
        )
        table = batches.read_all()
    except BaseException:
        stream.drain()
        raise
    return table.rename_columns(list(names))


def _convert_options(placeholders: Sequence[str], types: Sequence[pa.DataType]) -> pa_csv.ConvertOptions:
    return pa_csv.ConvertOptions(
        column_types=dict(zip(placeholders, types)),
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
        true_values=["t"],
        false_values=["f"],
    )


def empty_table(names: Sequence[str], types: Sequence[pa.DataType]) -> pa.Table:
    """A table with these columns and no rows."""
    return pa.Table.from_arrays([pa.array([], type=t) for t in types], names=list(names))


def rows_to_arrow(
    rows: Sequence[Sequence[Any]], names: Sequence[str], types: Sequence[pa.DataType]
) -> pa.Table:
    """A table from driver rows (tuples or records), built column by column."""
    if not rows:
        return empty_table(names, types)
    columns = list(zip(*rows))
    return pa.Table.from_arrays(
        [_column(values, arrow_type) for values, arrow_type in zip(columns, types)], names=list(names)
    )


def _column(values: Sequence[Any], arrow_type: pa.DataType) -> pa.Array:
    try:
        return pa.array(values, type=arrow_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        pass
    if pa.types.is_floating(arrow_type):
        return pa.array([None if v is None else float(v) for v in values], type=arrow_type)
    return pa.array([None if v is None else _text(v) for v in values], type=pa.string())


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


# Arrow type -> PostgreSQL / Redshift column type, for uploaded tables.
def sql_type_for_arrow(arrow_type: pa.DataType, column: str) -> str:
    """The SQL column type that holds an Arrow column (for entity uploads)."""
    if pa.types.is_dictionary(arrow_type):
        return sql_type_for_arrow(arrow_type.value_type, column)
    checks = (
        (pa.types.is_boolean, "BOOLEAN"),
        (lambda t: t in (pa.int8(), pa.int16(), pa.uint8()), "SMALLINT"),
        (lambda t: t in (pa.int32(), pa.uint16()), "INTEGER"),
        (lambda t: t in (pa.int64(), pa.uint32()), "BIGINT"),
        (lambda t: t == pa.uint64(), "NUMERIC(20, 0)"),
        (lambda t: t in (pa.float16(), pa.float32()), "REAL"),
        (pa.types.is_float64, "DOUBLE PRECISION"),
        (_is_text, "TEXT"),
        (pa.types.is_date, "DATE"),
        (lambda t: pa.types.is_timestamp(t) and t.tz is None, "TIMESTAMP"),
        (pa.types.is_timestamp, "TIMESTAMPTZ"),
        (pa.types.is_null, "TEXT"),
    )
    for check, sql_type in checks:
        if check(arrow_type):
            return sql_type
    if pa.types.is_decimal(arrow_type):
        return f"NUMERIC({int(arrow_type.precision)}, {int(arrow_type.scale)})"
    raise FeatSQLError(f"cannot upload column '{column}' of Arrow type {arrow_type} to the warehouse")


def _is_text(arrow_type: pa.DataType) -> bool:
    return bool(
        pa.types.is_string(arrow_type)
        or pa.types.is_large_string(arrow_type)
        or pa.types.is_string_view(arrow_type)
    )


def arrow_to_csv(table: pa.Table) -> bytes:
    """CSV without header that PostgreSQL's ``COPY ... (FORMAT csv)`` reads back exactly.

    Arrow quotes every string and leaves NULL unquoted-empty, which is COPY's own convention.
    """
    table = table.cast(pa.schema([_uploadable(f) for f in table.schema]))
    sink = io.BytesIO()
    pa_csv.write_csv(table, sink, pa_csv.WriteOptions(include_header=False, quoting_style="needed"))
    return sink.getvalue()


def _uploadable(field: pa.Field) -> pa.Field:
    if pa.types.is_dictionary(field.type):
        return field.with_type(field.type.value_type)
    if pa.types.is_null(field.type):
        return field.with_type(pa.string())
    return field
