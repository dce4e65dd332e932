"""The validation report: per constraint, rows checked, rows violating and a few example keys."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ConstraintResult:
    """The outcome of one constraint of one feature."""

    feature: str
    constraint: str
    """The constraint as written: ``lower_bound(0)``, ``required``, ``accepted_values(['a'])``."""
    kind: str
    rows_checked: int
    rows_violating: int
    example_keys: tuple[str, ...] = ()
    """Entity keys (as text; several keys joined by ``", "``) of some violating rows."""

    @property
    def ok(self) -> bool:
        """True when no row violates the constraint."""
        return self.rows_violating == 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        return {
            "feature": self.feature,
            "constraint": self.constraint,
            "kind": self.kind,
            "rows_checked": self.rows_checked,
            "rows_violating": self.rows_violating,
            "ok": self.ok,
            "example_keys": list(self.example_keys),
        }


@dataclass(frozen=True)
class ValidationReport:
    """What :meth:`FeatureViewStore.validate` found. ``print(report)`` shows a table."""

    view: str
    dialect: str
    rows: int
    results: tuple[ConstraintResult, ...]
    entity_keys: tuple[str, ...] = ()
    sql: str = field(default="", repr=False)
    """The query that ran (one aggregate query)."""

    @property
    def ok(self) -> bool:
        """True when every constraint holds on every row."""
        return all(r.ok for r in self.results)

    @property
    def failures(self) -> tuple[ConstraintResult, ...]:
        """The constraints with at least one violating row."""
        return tuple(r for r in self.results if not r.ok)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready), without the SQL."""
        return {
            "view": self.view,
            "dialect": self.dialect,
            "rows": self.rows,
            "ok": self.ok,
            "entity_keys": list(self.entity_keys),
            "results": [r.to_dict() for r in self.results],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_pandas(self) -> pd.DataFrame:
        """One row per constraint.

        Columns: feature, constraint, kind, rows_checked, rows_violating, ok, example_keys.
        """
        import pandas as pd

        columns = ["feature", "constraint", "kind", "rows_checked", "rows_violating", "ok", "example_keys"]
        return pd.DataFrame([r.to_dict() for r in self.results], columns=columns)

    def summary(self) -> str:
        """One line: ``titanic: 3 of 7 constraints failed over 891 rows``."""
        failed = len(self.failures)
        if not self.results:
            return f"{self.view}: no constraints declared ({self.rows} rows)"
        if failed == 0:
            return f"{self.view}: all {len(self.results)} constraints hold over {self.rows} rows"
        return f"{self.view}: {failed} of {len(self.results)} constraints failed over {self.rows} rows"

    def __str__(self) -> str:
        header = ("feature", "constraint", "checked", "violating", "status", "example keys")
        rows = [
            (
                r.feature,
                r.constraint,
                str(r.rows_checked),
                str(r.rows_violating),
                "ok" if r.ok else "FAIL",
                ", ".join(_short(k) for k in r.example_keys),
            )
            for r in self.results
        ]
        widths = [
            max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(header)
        ]
        right = {2, 3}

        def line(cells: tuple[str, ...]) -> str:
            parts = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))]
            return "  ".join(parts).rstrip()

        keys = f" (example keys: {', '.join(self.entity_keys)})" if self.entity_keys else ""
        out = [f"Validation of view '{self.view}' on {self.dialect}{keys}", line(header)]
        out.append("  ".join("-" * w for w in widths))
        out.extend(line(row) for row in rows)
        out.append(self.summary())
        return "\n".join(out)


def _short(text: str, width: int = 24) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"
