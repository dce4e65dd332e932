"""The state tables in the target schema: what featsql has built there.

``featsql_state`` holds one row per built view (relation, materialisation, fingerprints, the
rendered definition SQL used by plan diffs, the columns with their meaning hashes, row count, build
time); ``featsql_state_windows`` one row per built event-time window of an incremental view.
Writes happen inside the view's build transaction, so the state never disagrees with the data.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from featsql.build.compile import ColumnInfo, CompiledView, columns_from_json
from featsql.build.fingerprint import materialization_json
from featsql.build.render import STATE_TABLE, WINDOWS_TABLE, Renderer
from featsql.build.warehouse import Warehouse
from featsql.build.windows import Window


@dataclass(frozen=True)
class Deployed:
    """A view as the state table records it."""

    view_name: str
    relation_name: str
    materialization: str
    fingerprint: str
    data_fingerprint: str
    definition_sql: str
    columns: tuple[ColumnInfo, ...]
    row_count: int | None
    built_at: _dt.datetime
    windows: tuple[tuple[Window, int], ...] = field(default=())

    @property
    def last_window_end(self) -> _dt.datetime | None:
        return max((w.end for w, _ in self.windows), default=None)


@dataclass
class DeployedState:
    """The target schema's relations (name -> ``table`` / ``view``) and recorded views."""

    relations: dict[str, str]
    views: dict[str, Deployed]


async def read_state(wh: Warehouse, r: Renderer, schema: str) -> DeployedState:
    """Read the relations and the state tables (absent tables read as empty; nothing is written)."""
    rows = await wh.fetch(r.render("relations", schema=r.string(schema)))
    relations = {str(name): ("view" if "VIEW" in str(kind).upper() else "table") for name, kind in rows}
    views: dict[str, Deployed] = {}
    if STATE_TABLE in relations:
        windows: dict[str, list[tuple[Window, int]]] = {}
        if WINDOWS_TABLE in relations:
            for name, start, end, count in await wh.fetch(
                r.render("state_windows_read", windows=r.relation(schema, WINDOWS_TABLE), view=None)
            ):
                windows.setdefault(name, []).append((Window(start, end), int(count)))
        for row in await wh.fetch(r.render("state_read", state=r.relation(schema, STATE_TABLE))):
            name = str(row[0])
            views[name] = Deployed(
                view_name=name,
                relation_name=row[1],
                materialization=row[2],
                fingerprint=row[3],
                data_fingerprint=row[4],
                definition_sql=row[5],
                columns=columns_from_json(row[6]),
                row_count=None if row[7] is None else int(row[7]),
                built_at=row[8],
                windows=tuple(windows.get(name, ())),
            )
    return DeployedState(relations, views)


def create_statements(r: Renderer, schema: str) -> list[str]:
    """CREATE TABLE IF NOT EXISTS for both state tables."""
    return [
        r.render("state_create", state=r.relation(schema, STATE_TABLE)),
        r.render("state_windows_create", windows=r.relation(schema, WINDOWS_TABLE)),
    ]


def record_statements(cv: CompiledView, row_count: int | None, built_at: _dt.datetime) -> list[str]:
    """Replace the view's state row."""
    r = cv.renderer
    state = r.relation(cv.schema, STATE_TABLE)
    values = [
        r.string(cv.name),
        r.string(cv.display_name),
        r.string(materialization_json(cv.materialization)),
        r.string(cv.fingerprint),
        r.string(cv.data_fingerprint),
        r.string(cv.definition_sql),
        r.string(cv.columns_json()),
    ]
    return [
        r.render("state_delete", state=state, view=r.string(cv.name)),
        r.render_late(
            "state_insert",
            {"row_count": r.number(row_count), "built_at": r.timestamp(built_at)},
            state=state,
            values=values,
        ),
    ]


def window_statements(
    cv: CompiledView, counts: list[tuple[Window, int]], built_at: _dt.datetime, replace: Window | None
) -> list[str]:
    """Forget the view's windows (all, or those starting inside ``replace``) and record ``counts``."""
    r = cv.renderer
    table = r.relation(cv.schema, WINDOWS_TABLE)
    out = [
        (r.render_now if replace else r.render)(
            "state_windows_delete",
            windows=table,
            view=r.string(cv.name),
            start=r.timestamp(replace.start) if replace else None,
            end=r.timestamp(replace.end) if replace else None,
        )
    ]
    for offset in range(0, len(counts), 500):
        rows = [
            [r.string(cv.name), r.timestamp(w.start), r.timestamp(w.end), r.number(n), r.timestamp(built_at)]
            for w, n in counts[offset : offset + 500]
        ]
        out.append(r.render_now("state_windows_insert", windows=table, rows=rows))
    return out
