"""Constraints as data: what each kind means, as an IR expression that is TRUE on a violating row.

A constraint applies to the feature's value *as defined* (after ``fill_na`` and any other
expression), so the violation reads the feature's output column (``ir.Ref``) of the view's SELECT.
A NULL value violates only ``required``; every other check treats NULL as "nothing to check"
(three-valued logic: a NULL violation counts as no violation).
"""

from __future__ import annotations

from dataclasses import dataclass

from featsql import dtypes, ir
from featsql.errors import FeatSQLError

ROW_KINDS = (
    "required",
    "lower_bound",
    "upper_bound",
    "accepted_values",
    "min_length",
    "max_length",
    "matches",
)
"""Constraint kinds decided row by row (``drop_invalid`` filters on these)."""

SET_KINDS = ("unique",)
"""Constraint kinds decided over the whole view (checked by ``validate``, not by ``drop_invalid``)."""

KINDS = ROW_KINDS + SET_KINDS


@dataclass(frozen=True)
class CheckedConstraint:
    """One constraint of one feature of a view, ready to check."""

    view: str
    feature: ir.Feature
    constraint: ir.Constraint

    @property
    def kind(self) -> str:
        return self.constraint.kind

    @property
    def label(self) -> str:
        """Human form: ``lower_bound(0)``, ``accepted_values(['male', 'female'])``, ``required``."""
        return constraint_label(self.constraint)


def constraint_label(constraint: ir.Constraint) -> str:
    """``kind`` or ``kind(value)`` as a user would write it."""
    value = constraint.value
    if value is None:
        return constraint.kind
    if isinstance(value, tuple):
        return f"{constraint.kind}({list(value)!r})"
    return f"{constraint.kind}({value!r})"


def view_constraints(view: ir.View, features: tuple[str, ...] | None = None) -> list[CheckedConstraint]:
    """Every constraint of the view (or of ``features``), in declaration order; unknown kinds fail."""
    out = []
    for feature in view.features:
        if features is not None and feature.name not in features:
            continue
        for constraint in feature.constraints:
            if constraint.kind not in KINDS:
                raise FeatSQLError(
                    f"View '{view.name}', feature '{feature.name}': unknown constraint kind "
                    f"'{constraint.kind}'; featsql checks: {', '.join(KINDS)}"
                )
            out.append(CheckedConstraint(view.name, feature, constraint))
    return out


def violation(checked: CheckedConstraint) -> ir.Expr:
    """An IR Bool expression over the view's output columns: TRUE where a row violates a row kind."""
    feature, constraint = checked.feature, checked.constraint
    value = ir.Ref(feature.name)
    kind = constraint.kind
    if kind == "required":
        return ir.Call("is_null", (value,))
    if kind == "lower_bound":
        return ir.Call("lt", (value, _literal(feature, constraint.value)))
    if kind == "upper_bound":
        return ir.Call("gt", (value, _literal(feature, constraint.value)))
    if kind == "accepted_values":
        values = constraint.value if isinstance(constraint.value, tuple) else (constraint.value,)
        return ir.Call("not", (ir.InList(value, tuple(_literal(feature, v) for v in values)),))
    if kind in ("min_length", "max_length"):
        _require_string(checked)
        bound = _scalar(checked)
        length = ir.Call("length", (value,))
        op = "lt" if kind == "min_length" else "gt"
        return ir.Call(op, (length, ir.Lit(bound, dtypes.INT64)))
    if kind == "matches":
        _require_string(checked)
        regex = ir.Lit(_scalar(checked), dtypes.STRING)
        return ir.Call("not", (ir.Call("matches", (value, regex)),))
    raise FeatSQLError(f"View '{checked.view}', feature '{feature.name}': '{kind}' is not a row constraint")


def _literal(feature: ir.Feature, value: ir.LiteralValue | tuple[ir.LiteralValue, ...]) -> ir.Lit:
    if isinstance(value, tuple):
        raise FeatSQLError(f"feature '{feature.name}': a bound must be a single value, got {value!r}")
    if isinstance(value, float) and dtypes.is_integer(feature.dtype):
        return ir.Lit(value, dtypes.FLOAT64)
    return ir.Lit(value, feature.dtype)


def _scalar(checked: CheckedConstraint) -> ir.LiteralValue:
    value = checked.constraint.value
    if isinstance(value, tuple):
        raise FeatSQLError(
            f"View '{checked.view}', feature '{checked.feature.name}': "
            f"{checked.kind} takes one value, got {value!r}"
        )
    return value


def _require_string(checked: CheckedConstraint) -> None:
    if checked.feature.dtype != dtypes.STRING:
        raise FeatSQLError(
            f"View '{checked.view}', feature '{checked.feature.name}': {checked.kind} applies to "
            f"String features, but the feature is {checked.feature.dtype}"
        )
