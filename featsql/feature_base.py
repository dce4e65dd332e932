"""The base of every typed feature: metadata, constraints, NULL handling and operand checking.

A typed feature is an immutable Python object holding a *pending* expression: an IR tree whose
references to other features are still the Python objects (:class:`Pending`), because names are
only known once the ``FeatureView`` class is created (see :mod:`featsql.view`). Every method
returns a new feature; nothing is mutated.

Type errors are *deferred*: an operation with a wrong operand returns a feature that carries the
error, and class creation raises it with the view's and the feature's name. (An exception at the
operation itself could not name the feature it is being assigned to.)
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence, TypeVar

from featsql import dtypes, ir
from featsql.errors import FeatureDefinitionError

if TYPE_CHECKING:
    from typing_extensions import Self

    from featsql.feature_types import Bool, Int32

F = TypeVar("F", bound="Feature")


class MissingMethodError(FeatureDefinitionError, AttributeError):
    """A method called on a dtype that does not have it (``Float().contains``)."""


@dataclass(frozen=True, eq=False, slots=True)
class Pending:
    """A reference to another typed feature inside a pending expression (resolved to ``ir.Ref``)."""

    feature: Feature


def pending(feature: Feature) -> Any:
    """``Pending(feature)`` as a node of a pending tree.

    Pending trees reuse the IR node classes, whose fields are typed for resolved IR; class creation
    (:mod:`featsql.view`) replaces every ``Pending`` before the IR leaves featsql, hence ``Any``.
    """
    return Pending(feature)


class Feature:
    """Base of all typed features. Use a concrete dtype class: ``Int32()``, ``String()`` ..."""

    _dtype: str = ""
    __slots__ = ("_expr", "_role", "_description", "_tags", "_constraints", "_ttl", "_error", "_owner")

    def __init__(self) -> None:
        if type(self)._dtype == "":
            raise TypeError("Feature is abstract: use a dtype class such as Int32() or String()")
        self._expr: Any = None  # None: an input column of the source
        self._role = "feature"
        self._description: str | None = None
        self._tags: tuple[str, ...] = ()
        self._constraints: tuple[ir.Constraint, ...] = ()
        self._ttl: float | None = None
        self._error: str | None = None
        self._owner: str | None = None

    # -- construction helpers -------------------------------------------------------------------
    def _copy(self) -> Self:
        new = object.__new__(type(self))
        for slot in Feature.__slots__:
            object.__setattr__(new, slot, getattr(self, slot))
        new._owner = None
        return new

    @classmethod
    def _derived(cls, expr: Any, error: str | None = None) -> Self:
        new = cls()
        new._expr = expr
        new._error = error
        return new

    def _with_constraint(self, kind: str, value: Any = None) -> Self:
        new = self._copy()
        new._constraints = (*self._constraints, ir.Constraint(kind, value))
        return new

    def _fail(self, message: str) -> Self:
        new = self._copy()
        new._error = new._error or message
        return new

    @property
    def dtype(self) -> str:
        """The featsql dtype name (``"int32"``, ``"float64"``, ``"string"`` ...)."""
        return self._dtype

    def __repr__(self) -> str:
        kind = "input" if self._expr is None else "derived"
        return f"{type(self).__name__}({kind})"

    def __bool__(self) -> bool:
        raise TypeError(
            "a feature has no truth value: use & | ~ instead of and/or/not, "
            "and .is_in() / .between() instead of chained comparisons"
        )

    def __hash__(self) -> int:  # features overload == ; keep them usable as dict keys
        return id(self)

    if not TYPE_CHECKING:  # at runtime only, so type checkers still reject unknown methods

        def __getattr__(self, name: str) -> Any:
            if name.startswith("_"):
                raise AttributeError(name)
            from featsql.feature_types import DTYPE_CLASSES

            owners = [cls.__name__ for cls in DTYPE_CLASSES.values() if hasattr(cls, name)]
            where = f"; it exists on {', '.join(owners)} (use .cast(...) first)" if owners else ""
            raise MissingMethodError(f"{type(self).__name__} has no method '{name}'{where}")

    # -- documentation --------------------------------------------------------------------------
    def description(self, text: str) -> Self:
        """Attach a human description (shown in the catalog, exports and SQL comments)."""
        new = self._copy()
        new._description = text
        return new

    def tags(self, *tags: str) -> Self:
        """Attach free-form tags (``.tags("pii", "demographics")``)."""
        new = self._copy()
        new._tags = (*self._tags, *tags)
        return new

    # -- constraints (stored on the feature; checked by validation) ----------------------------
    def is_required(self) -> Self:
        """Declare that the value must never be NULL. Features are optional unless declared so."""
        return self._with_constraint("required")

    def accepted_values(self, values: Sequence[Any]) -> Self:
        """Declare the only values the feature may take (NULL is allowed unless ``is_required``)."""
        lits = tuple(values)
        for value in lits:
            if not _same_kind_literal(self._dtype, value):
                kind = _KIND_WORDS.get(dtypes.family(self._dtype), self._dtype).split(" or ")[0]
                return self._fail(
                    f"accepted_values: {value!r} is not of type {type(self).__name__}; expected {kind}"
                )
        return self._with_constraint("accepted_values", tuple(_plain(v) for v in lits))

    def is_unique(self) -> Self:
        """Declare that no two rows share a (non-NULL) value."""
        return self._with_constraint("unique")

    # -- NULL handling ---------------------------------------------------------------------------
    def is_null(self) -> Bool:
        """TRUE where the value is NULL (a float NaN is a value, not NULL)."""
        from featsql.feature_types import Bool

        return Bool._derived(ir.Call("is_null", (pending(self),)), self._error)

    def is_not_null(self) -> Bool:
        """TRUE where the value is not NULL."""
        from featsql.feature_types import Bool

        return Bool._derived(ir.Call("is_not_null", (pending(self),)), self._error)

    def fill_na(self, value: Any) -> Self:
        """Replace NULL with ``value`` (a literal or a feature of a compatible type)."""
        operand, error = same_type_operand(self, value, "fill_na")
        return type(self)._derived(ir.Call("coalesce", (pending(self), operand)), error)

    def is_in(self, values: Sequence[Any]) -> Bool:
        """TRUE where the value is one of ``values``; NULL where the value is NULL."""
        from featsql.feature_types import Bool

        lits: list[ir.Lit] = []
        error = self._error
        for value in values:
            operand, err = _operand(self, value, "is_in", literal_only=True)
            error = error or err
            if isinstance(operand, ir.Lit):
                lits.append(operand)
        return Bool._derived(ir.InList(pending(self), tuple(lits)), error)

    # -- categorical ----------------------------------------------------------------------------
    def one_hot_encode(self, categories: Sequence[Any]) -> tuple[Bool, ...]:
        """One Bool per category: TRUE where the value equals it. Never NULL: NULL gives all FALSE."""
        from featsql.feature_types import Bool

        out: list[Bool] = []
        for category in categories:
            operand, error = _operand(self, category, "one_hot_encode", literal_only=True)
            eq = ir.Call("eq", (pending(self), operand))
            out.append(Bool._derived(ir.Call("coalesce", (eq, ir.Lit(False, dtypes.BOOL))), error))
        return tuple(out)

    def ordinal_categories(self, categories: Sequence[Any]) -> Int32:
        """The 0-based position of the value in ``categories``; NULL for NULL or an unknown value."""
        from featsql.feature_types import Int32

        whens = []
        error = self._error
        for index, category in enumerate(categories):
            operand, err = _operand(self, category, "ordinal_categories", literal_only=True)
            error = error or err
            whens.append((ir.Call("eq", (pending(self), operand)), ir.Lit(index, dtypes.INT32)))
        return Int32._derived(ir.Case(tuple(whens), None), error)

    # -- casts ---------------------------------------------------------------------------------
    def cast(self, to: F) -> F:
        """Convert to another dtype: ``age.cast(Int64())``. Floats truncate toward zero to ints.

        Float to String is refused (engines format floats differently); round or cast first.
        """
        source, target = dtypes.family(self._dtype), dtypes.family(to._dtype)
        allowed = _CASTS.get(source, frozenset())
        error = self._error
        if target not in allowed:
            error = error or (
                f"cannot cast {type(self).__name__} to {type(to).__name__}; "
                f"{type(self).__name__} casts to: {', '.join(sorted(allowed)) or 'nothing'}"
            )
        return type(to)._derived(ir.Cast(pending(self), self._dtype, to._dtype), error)


_CASTS: dict[str, frozenset[str]] = {
    "bool": frozenset({"bool", "int", "float", "string"}),
    "int": frozenset({"bool", "int", "float", "string"}),
    "float": frozenset({"int", "float"}),
    "string": frozenset({"string", "int", "float", "bool", "date", "timestamp"}),
    "date": frozenset({"date", "timestamp", "string"}),
    "timestamp": frozenset({"timestamp", "date", "string"}),
}


def _plain(value: Any) -> ir.LiteralValue:
    if isinstance(value, _dt.datetime):
        return _timestamp_text(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value  # type: ignore[no-any-return]


def _timestamp_text(value: _dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value.isoformat(sep=" ")


def _literal_dtype_ok(dtype: str, value: Any) -> str | None:
    """The literal dtype ``value`` has when combined with a feature of ``dtype``; None if invalid.

    No loose coercion: a str never meets a number, a bool is not an int, an int may meet a float.
    """
    fam = dtypes.family(dtype)
    if isinstance(value, bool):
        return dtypes.BOOL if fam == "bool" else None
    if isinstance(value, int):
        if fam == "int":
            return dtypes.INT64
        return dtypes.INT64 if fam == "float" else None
    if isinstance(value, float):
        return dtypes.FLOAT64 if fam in ("float", "int") else None
    if isinstance(value, str):
        return dtypes.STRING if fam == "string" else None
    if isinstance(value, _dt.datetime):
        return dtypes.TIMESTAMP if fam == "timestamp" else None
    if isinstance(value, _dt.date):
        return dtypes.DATE if fam == "date" else None
    return None


def _describe(value: Any) -> str:
    return f"a {type(value).__name__} feature" if isinstance(value, Feature) else repr(value)


def _same_kind_literal(dtype: str, value: Any) -> bool:
    """A literal that is a value *of* ``dtype`` (an int for a float, never a float for an int)."""
    lit_type = _literal_dtype_ok(dtype, value)
    return lit_type is not None and not (dtypes.is_integer(dtype) and lit_type == dtypes.FLOAT64)


def literal(value: Any, dtype: str) -> ir.Lit:
    """An IR literal of ``value`` (already checked) with the given dtype."""
    if isinstance(value, float) and not math.isfinite(value):  # JSON has no NaN / Infinity numbers
        text = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return ir.Lit(text, dtypes.FLOAT64)
    return ir.Lit(_plain(value), dtype)


_KIND_WORDS = {
    "bool": "a bool or a Bool feature",
    "int": "an int or a numeric feature",
    "float": "a number or a numeric feature",
    "string": "a str or a String feature",
    "date": "a datetime.date or a Date feature",
    "timestamp": "a datetime.datetime or a Timestamp feature",
}


def _operand(
    owner: Feature, value: Any, op: str, *, literal_only: bool = False, numeric_ok: bool = True
) -> tuple[Any, str | None]:
    """Check ``value`` against ``owner``'s dtype for ``op``; return (IR operand, deferred error)."""
    fam = dtypes.family(owner._dtype)
    error = owner._error
    if isinstance(value, Feature):
        if literal_only:
            return ir.Lit(None, owner._dtype), error or f"{op} takes literal values, not a feature"
        other = dtypes.family(value._dtype)
        compatible = other == fam or (numeric_ok and {fam, other} <= {"int", "float"})
        if not compatible:
            return Pending(value), error or value._error or (
                f"'{op}' cannot combine {type(owner).__name__} with a {type(value).__name__} "
                f"feature; expected {_KIND_WORDS.get(fam, fam)}"
            )
        return Pending(value), error or value._error
    lit_type = _literal_dtype_ok(owner._dtype, value)
    if lit_type is None or (value is None):
        return ir.Lit(None, owner._dtype), error or (
            f"'{op}' cannot combine {type(owner).__name__} with {type(value).__name__} "
            f"literal {value!r}; expected {_KIND_WORDS.get(fam, fam)}"
        )
    return literal(value, lit_type), error


def operand_dtype(node: Any) -> str:
    """The dtype of an operand produced by :func:`_operand`."""
    if isinstance(node, Pending):
        return node.feature._dtype
    return node.dtype  # type: ignore[no-any-return]


check_operand = _operand


def same_type_operand(owner: Feature, value: Any, op: str, **kwargs: Any) -> tuple[Any, str | None]:
    """Like :func:`check_operand`, for operations whose result keeps ``owner``'s type (fill_na,
    clip, if_else): an integer feature only takes integers, so the result really is an integer."""
    operand, error = _operand(owner, value, op, **kwargs)
    if error is None and dtypes.is_integer(owner._dtype) and not dtypes.is_integer(operand_dtype(operand)):
        error = (
            f"'{op}' on {type(owner).__name__} needs an int or an integer feature (the result "
            f"stays {type(owner).__name__}); got {_describe(value)}"
        )
    return operand, error
