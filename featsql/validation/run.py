"""Running validation on a view's own engine: one aggregate query, read back into a report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from featsql.errors import FeatSQLError
from featsql.validation.constraints import view_constraints
from featsql.validation.query import (
    EXAMPLE_LIMIT,
    EXAMPLE_SEPARATOR,
    ROWS_COLUMN,
    ValidationQuery,
    validation_query,
)
from featsql.validation.report import ConstraintResult, ValidationReport

if TYPE_CHECKING:
    import pyarrow as pa

    from featsql import ir
    from featsql.store import FeatureStore


async def validate_view(
    store: FeatureStore, view: ir.View, examples: int = EXAMPLE_LIMIT
) -> ValidationReport:
    """Check every constraint of ``view`` in one query on its engine (after the schema check)."""
    checks = view_constraints(view)
    schema = await store.source_schema(view)  # raises SchemaMismatchError-style errors before any scan
    dialect = view.source.dialect
    query = validation_query(view, dialect, checks, schema, examples)  # the schema check happens here
    sql = query.sql()
    engine = store.engine_for(view.source)
    try:
        table = await engine.fetch_arrow(sql)
    except FeatSQLError:
        raise
    except Exception as error:
        raise FeatSQLError(f"View '{view.name}': the validation query failed: {error}") from error
    return read_report(view, query, table, sql)


def read_report(view: ir.View, query: ValidationQuery, table: pa.Table, sql: str) -> ValidationReport:
    """The report from the one-row result of :func:`validation_query`."""
    row = table.to_pylist()[0] if table.num_rows else {}
    rows = int(row.get(ROWS_COLUMN) or 0)
    results = []
    for check, count_column, example_column in zip(
        query.checks, query.violation_columns, query.example_columns
    ):
        violating = int(row.get(count_column) or 0)
        examples = _examples(row.get(example_column))[: query.examples] if example_column else ()
        results.append(
            ConstraintResult(
                feature=check.feature.name,
                constraint=check.label,
                kind=check.kind,
                rows_checked=rows,
                rows_violating=violating,
                example_keys=examples if violating else (),
            )
        )
    keys = tuple(f.name for f in view.entities)
    return ValidationReport(view.name, query.dialect, rows, tuple(results), keys, sql)


def _examples(value: Any) -> tuple[str, ...]:
    """The dialect's ``validation_examples`` gives the keys as one text joined by CHR(31)."""
    if value is None:
        return ()
    return tuple(dict.fromkeys(part for part in str(value).split(EXAMPLE_SEPARATOR) if part))
