"""Validation in SQL: constraints lowered to one aggregate query per view, and the report.

``await store.feature_view("titanic").validate()`` runs :func:`validate_view`;
``job.drop_invalid()`` filters reads with :func:`valid_rows_condition`. See docs/validation.md.
"""

from featsql.validation.constraints import KINDS, ROW_KINDS, SET_KINDS, CheckedConstraint, view_constraints
from featsql.validation.query import ValidationQuery, valid_rows_condition, validation_query
from featsql.validation.report import ConstraintResult, ValidationReport
from featsql.validation.run import validate_view

__all__ = [
    "KINDS",
    "ROW_KINDS",
    "SET_KINDS",
    "CheckedConstraint",
    "ConstraintResult",
    "ValidationQuery",
    "ValidationReport",
    "valid_rows_condition",
    "validate_view",
    "validation_query",
    "view_constraints",
]
