"""Plans: what a build would do to each view, compared with what the state table records.

Each view gets a *label* (how its definition changed) and an *action* (what a build runs):

============================  ==============================================================
label                         meaning
============================  ==============================================================
``new``                       not built in this target yet
``unchanged``                 same fingerprint as deployed
``metadata only``             same rows; descriptions (comments) or grants changed
``added columns only``        every deployed column is kept with the same meaning; new ones added
``breaking``                  a column removed, retyped or redefined, or the materialisation changed
``error``                     the view cannot be compiled or checked on this target
============================  ==============================================================
"""

from __future__ import annotations

import datetime as _dt
import difflib
import json
from dataclasses import dataclass, field

from featsql import ir
from featsql.build.compile import CompiledView
from featsql.build.fingerprint import materialization_json
from featsql.build.state import Deployed, DeployedState
from featsql.build.targets import Target
from featsql.build.warehouse import Warehouse
from featsql.build.windows import Window, floor_to, windows_between

LABELS = ("new", "unchanged", "metadata only", "added columns only", "breaking", "error")

# Exit codes of `featsql plan` (documented in docs/builds.md).
EXIT_NO_CHANGES = 0
EXIT_ERROR = 1
EXIT_CHANGES = 5
EXIT_BREAKING = 6


@dataclass
class ViewPlan:
    """The plan for one view."""

    view: ir.View
    label: str
    action: str  # create | rebuild | full refresh | windows | metadata | skip | none
    reason: str = ""
    compiled: CompiledView | None = None
    deployed: Deployed | None = None
    existing_kind: str | None = None  # "table" / "view" when the relation exists
    windows: tuple[Window, ...] = ()
    error: str | None = None

    @property
    def name(self) -> str:
        return self.view.name

    @property
    def kind(self) -> str:
        return (
            self.compiled.materialization.kind
            if self.compiled
            else (self.view.materialization or ir.Materialization()).kind
        )

    @property
    def replaced_window(self) -> Window | None:
        """The half-open range an incremental run deletes and re-inserts."""
        if not self.windows:
            return None
        return Window(self.windows[0].start, self.windows[-1].end)

    def diff(self) -> str:
        """Unified diff of the deployed definition SQL and the one a build would deploy."""
        if self.compiled is None:
            return ""
        old = self.deployed.definition_sql if self.deployed else ""
        new = self.compiled.definition_sql
        if old == new:
            return ""
        lines = difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"deployed/{self.name}.sql",
            tofile=f"definitions/{self.name}.sql",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)

    def describe_action(self) -> str:
        target = self.compiled.display_name if self.compiled else self.name
        if self.action == "create":
            return f"create {self.kind} {target}"
        if self.action == "rebuild" and self.kind == "view":
            return f"replace view {target}"
        if self.action == "rebuild":
            return f"rebuild table {target} (swap in one transaction)"
        if self.action == "full refresh":
            return f"full refresh of incremental table {target}"
        if self.action == "windows":
            window = self.replaced_window
            return f"re-build {len(self.windows)} window(s) {window} of {target}"
        if self.action == "metadata":
            return f"re-apply comments and grants on {target}"
        if self.action == "skip":
            return "nothing to do"
        return "none"


@dataclass
class Plan:
    """The plan for every selected view on one target."""

    target: Target
    views: list[ViewPlan] = field(default_factory=list)

    @property
    def changed(self) -> list[ViewPlan]:
        return [v for v in self.views if v.label not in ("unchanged", "error")]

    @property
    def errors(self) -> list[ViewPlan]:
        return [v for v in self.views if v.label == "error"]

    @property
    def exit_code(self) -> int:
        """0: nothing changed; 5: changes; 6: at least one breaking change; 1: a view has an error."""
        if self.errors:
            return EXIT_ERROR
        if any(v.label == "breaking" for v in self.views):
            return EXIT_BREAKING
        return EXIT_CHANGES if self.changed else EXIT_NO_CHANGES

    def render(self, diffs: bool = True) -> str:
        """A readable plan: per view its label, action and SQL diff, then a summary."""
        out = [f"Plan for target {self.target.describe()}", ""]
        for vp in self.views:
            reason = f" ({vp.reason})" if vp.reason else ""
            out.append(f"{vp.name}: {vp.label}{reason}")
            out.append(f"  action: {vp.describe_action()}")
            if vp.error:
                out.append(f"  error: {vp.error}")
            text = vp.diff() if diffs else ""
            if text:
                out.extend("  " + line for line in text.rstrip("\n").split("\n"))
            out.append("")
        counts = {label: sum(v.label == label for v in self.views) for label in LABELS}
        summary = ", ".join(f"{n} {label}" for label, n in counts.items() if n)
        out.append(f"{len(self.views)} view(s): {summary or 'none'}. Nothing was written.")
        return "\n".join(out) + "\n"


def classify(cv: CompiledView, deployed: Deployed | None) -> tuple[str, str]:
    """The label of a compiled view against its deployed state, and a short reason."""
    if deployed is None:
        return "new", ""
    if deployed.fingerprint == cv.fingerprint:
        return "unchanged", ""
    if deployed.materialization != materialization_json(cv.materialization):
        old_m = json.loads(deployed.materialization)
        new_m = json.loads(materialization_json(cv.materialization))
        layout = ("kind", "window_seconds", "dist_key", "sort_keys")
        if any(old_m.get(key) != new_m.get(key) for key in layout):
            return "breaking", "materialization changed"
    if deployed.data_fingerprint == cv.data_fingerprint:
        return "metadata only", "descriptions or grants changed"
    old = {c.name: c for c in deployed.columns}
    new = {c.name: c for c in cv.columns}
    removed = [n for n in old if n not in new]
    changed = [
        n for n in old if n in new and (old[n].hash != new[n].hash or old[n].sql_type != new[n].sql_type)
    ]
    added = [n for n in new if n not in old]
    if removed or changed:
        parts = []
        if removed:
            parts.append("removed " + ", ".join(removed))
        if changed:
            parts.append("changed " + ", ".join(changed))
        if added:
            parts.append("added " + ", ".join(added))
        return "breaking", "; ".join(parts)
    if added:
        return "added columns only", "added " + ", ".join(added)
    return "breaking", "the compiled SQL changed (source types or column order)"


async def plan_view(
    wh: Warehouse,
    cv: CompiledView,
    state: DeployedState,
    *,
    full_refresh: bool = False,
    start: _dt.datetime | None = None,
    end: _dt.datetime | None = None,
) -> ViewPlan:
    """Label the view and choose its action (reads the source's newest event for incremental runs)."""
    deployed = state.views.get(cv.name)
    existing = state.relations.get(cv.name)
    label, reason = classify(cv, deployed)
    vp = ViewPlan(cv.view, label, "skip", reason, cv, deployed, existing)
    kind = cv.materialization.kind
    rebuild = "create" if existing is None else ("full refresh" if kind == "incremental" else "rebuild")
    if existing is not None and deployed is None and not full_refresh:
        vp.label, vp.action = "error", "none"
        vp.error = (
            f"{cv.display_name} exists but featsql did not build it (no state row); "
            "drop it, or pass --full-refresh to replace it"
        )
        return vp
    if full_refresh:
        vp.action = rebuild
        vp.reason = ", ".join(p for p in (reason, "--full-refresh") if p)
    elif existing is None:
        vp.action = "create"
        if deployed is not None:
            vp.reason = ", ".join(p for p in (reason, f"{cv.display_name} is missing") if p)
    elif label == "unchanged":
        if kind == "incremental":
            await _plan_windows(wh, vp, start, end)
    elif label == "metadata only":
        vp.action = "metadata"
    else:
        vp.action = rebuild
    return vp


async def _plan_windows(
    wh: Warehouse, vp: ViewPlan, start: _dt.datetime | None, end: _dt.datetime | None
) -> None:
    cv, deployed = vp.compiled, vp.deployed
    assert cv is not None and deployed is not None
    seconds = float(cv.materialization.window_seconds or 86400)
    last_end = deployed.last_window_end
    if start is not None or end is not None:
        lo = start or (deployed.windows[0][0].start if deployed.windows else None)
        hi = end or await _source_end(wh, cv, seconds) or last_end
        if lo is None or hi is None:
            vp.action, vp.reason = "full refresh", "no windows built yet"
            return
        vp.windows = windows_between(lo, hi, seconds)
    else:
        if last_end is None:
            vp.action, vp.reason = "full refresh", "no windows built yet"
            return
        width = _dt.timedelta(seconds=seconds)
        lo = max(last_end - cv.materialization.lookback * width, deployed.windows[0][0].start)
        hi = max(await _source_end(wh, cv, seconds) or last_end, last_end)
        vp.windows = windows_between(lo, hi, seconds)
    vp.action = "windows" if vp.windows else "skip"
    vp.reason = (
        f"lookback {cv.materialization.lookback}"
        if vp.windows and start is None and end is None
        else vp.reason
    )


async def _source_end(wh: Warehouse, cv: CompiledView, seconds: float) -> _dt.datetime | None:
    """The end of the window holding the source's newest event (None for an empty source)."""
    ts = cv.view.event_timestamp
    assert ts is not None
    rows = await wh.fetch(
        cv.renderer.render("max_event", column=cv.renderer.ident(ts.name), select=cv.select_sql)
    )
    newest = rows[0][0] if rows else None
    if newest is None:
        return None
    if isinstance(newest, _dt.datetime) and newest.tzinfo is not None:
        newest = newest.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return floor_to(newest, seconds) + _dt.timedelta(seconds=seconds)
