"""Materialisations: how ``featsql build`` turns a view into a warehouse relation.

``View()`` (a SQL view, the default), ``Table()`` (CREATE TABLE AS into a temporary name, swapped in
by a rename in one transaction) and ``Incremental(window=..., lookback=...)`` (a table refreshed by
delete + insert of half-open event-time windows). Each is a thin typed wrapper around the plain
:class:`featsql.ir.Materialization`, which the JSON repository stores.
"""

from __future__ import annotations

import datetime as _dt
from typing import Sequence

from featsql import ir
from featsql.errors import FeatureDefinitionError

KINDS = ("view", "table", "incremental")


class Materialization:
    """Base of :class:`View`, :class:`Table` and :class:`Incremental`."""

    __slots__ = ("ir",)

    def __init__(self, materialization: ir.Materialization) -> None:
        self.ir = materialization

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.ir})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Materialization) and other.ir == self.ir

    def __hash__(self) -> int:
        return hash(self.ir)


class View(Materialization):
    """A SQL view (``CREATE VIEW``): always current, computed when read."""

    __slots__ = ()

    def __init__(self, *, grants: Sequence[str] = ()) -> None:
        super().__init__(ir.Materialization("view", grants=tuple(grants)))


class Table(Materialization):
    """A table, rebuilt whole (into a temporary name, then swapped in atomically).

    ``dist_key`` / ``sort_keys`` name features and become Redshift ``DISTKEY`` / ``SORTKEY``.
    """

    __slots__ = ()

    def __init__(
        self, *, grants: Sequence[str] = (), dist_key: str | None = None, sort_keys: Sequence[str] = ()
    ) -> None:
        super().__init__(
            ir.Materialization("table", grants=tuple(grants), dist_key=dist_key, sort_keys=tuple(sort_keys))
        )


class Incremental(Materialization):
    """A table refreshed by event-time windows, for append-only sources.

    Each run deletes and re-inserts the half-open windows ``[start, start + window)`` from the last
    ``lookback`` windows already built up to the newest event in the source, in one transaction,
    so late rows are picked up and nothing is lost or duplicated. Windows are aligned to the Unix
    epoch in UTC (``window=timedelta(days=1)`` gives UTC days). The view needs an ``EventTimestamp``.
    """

    __slots__ = ()

    def __init__(
        self,
        *,
        window: _dt.timedelta = _dt.timedelta(days=1),
        lookback: int = 1,
        grants: Sequence[str] = (),
        dist_key: str | None = None,
        sort_keys: Sequence[str] = (),
    ) -> None:
        if not isinstance(window, _dt.timedelta) or window.total_seconds() < 1:
            raise ValueError(
                f"Incremental(window=...) takes a timedelta of at least a second, got {window!r}"
            )
        if not isinstance(lookback, int) or lookback < 0:
            raise ValueError(f"Incremental(lookback=...) takes a whole number >= 0, got {lookback!r}")
        super().__init__(
            ir.Materialization(
                "incremental",
                window_seconds=window.total_seconds(),
                lookback=lookback,
                grants=tuple(grants),
                dist_key=dist_key,
                sort_keys=tuple(sort_keys),
            )
        )


DEFAULT = ir.Materialization("view")


def materialization_of(view: ir.View) -> ir.Materialization:
    """The view's materialisation (a SQL view when none is configured)."""
    return view.materialization or DEFAULT


def check_materialization(view: ir.View) -> None:
    """Raise :class:`FeatureDefinitionError` naming the view when its materialisation cannot apply."""
    m = materialization_of(view)

    def fail(message: str) -> FeatureDefinitionError:
        return FeatureDefinitionError(f"View '{view.name}': {message}")

    if m.kind not in KINDS:
        raise fail(f"unknown materialization '{m.kind}'; expected one of {', '.join(KINDS)}")
    if m.kind == "incremental":
        if view.event_timestamp is None:
            raise fail("an Incremental materialization needs an EventTimestamp feature to window by")
        if m.window_seconds is None or m.window_seconds < 1:
            raise fail("an Incremental materialization needs a window of at least one second")
    if m.kind == "view" and (m.dist_key or m.sort_keys):
        raise fail("dist_key / sort_keys apply to tables; a View materialization has neither")
    for name in (*([m.dist_key] if m.dist_key else []), *m.sort_keys):
        if not view.has_feature(name):
            raise fail(
                f"dist/sort key '{name}' is not a feature; expected one of: "
                f"{', '.join(f.name for f in view.features)}"
            )
    for grantee in m.grants:
        if not isinstance(grantee, str) or not grantee:
            raise fail(f"grants take role names (non-empty strings), got {grantee!r}")
