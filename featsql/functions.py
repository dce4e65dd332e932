"""Free functions over typed features (``if_else``)."""

from __future__ import annotations

from typing import Any, TypeVar, overload

from featsql import ir
from featsql.feature_base import Feature, pending, same_type_operand
from featsql.feature_types import Bool

T = TypeVar("T", bound=Feature)


@overload
def if_else(condition: Bool, then: T, otherwise: Any) -> T: ...
@overload
def if_else(condition: Bool, then: Any, otherwise: T) -> T: ...
def if_else(condition: Bool, then: Any, otherwise: Any) -> Any:
    """``then`` where ``condition`` is TRUE, else ``otherwise`` (also when the condition is NULL).

    At least one branch must be a feature; it gives the result type, and the other branch must be
    a compatible feature or literal: ``if_else(age > 60, Float().fill_na(0), 0.0)``.
    """
    template = then if isinstance(then, Feature) else otherwise
    if not isinstance(template, Feature):
        raise TypeError("if_else needs at least one feature among `then` and `otherwise`")
    error = (
        condition._error
        if isinstance(condition, Bool)
        else (f"if_else condition must be a Bool feature, got {type(condition).__name__}")
    )
    then_node, err1 = same_type_operand(template, then, "if_else", numeric_ok=False)
    else_node, err2 = same_type_operand(template, otherwise, "if_else", numeric_ok=False)
    case = ir.Case(((pending(condition), then_node),), else_node)
    return type(template)._derived(case, error or err1 or err2)
