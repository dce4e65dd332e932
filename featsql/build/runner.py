"""The build runner: plan, then build each view in its own transaction, with dbt-style progress.

A view's statements (build into a temporary name, validate, swap, comment, grant, record state)
commit together or not at all, so a failure at any point leaves the previous version and its
state row in place. Views are independent: one failing does not stop the others, but the run
exits non-zero.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import importlib.util
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Coroutine, Sequence, TextIO, TypeVar

from featsql import ir
from featsql.build import state as st
from featsql.build.compile import CompiledView, compile_view
from featsql.build.memo import memo
from featsql.build.planner import Plan, ViewPlan, plan_view
from featsql.build.render import renderer
from featsql.build.targets import Target
from featsql.build.warehouse import Row, Warehouse, connect, is_blocking, run_blocking
from featsql.build.windows import Window, bucket_start
from featsql.errors import FeatSQLError, UnknownNameError

T = TypeVar("T")
VALIDATION_MODES = ("block", "warn", "skip")
_WIDTH = 72


class BuildError(FeatSQLError):
    """A view failed to build (its previous version is left in place)."""


@dataclass
class ViewResult:
    """What happened to one view."""

    name: str
    kind: str
    status: str  # OK | SKIP | ERROR
    action: str
    seconds: float = 0.0
    rows: int | None = None
    message: str = ""
    statements: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    """The outcome of a build; ``ok`` is False when any view failed."""

    target: Target
    plan: Plan
    results: list[ViewResult]
    seconds: float
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return all(r.status != "ERROR" for r in self.results)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)


def select_views(views: Sequence[ir.View], select: Sequence[str] | None) -> list[ir.View]:
    """The views named (or matched by glob patterns) in ``select``; all when None/empty."""
    if not select:
        return list(views)
    patterns = [p.strip() for item in select for p in item.split(",") if p.strip()]
    chosen = [v for v in views if any(fnmatch.fnmatchcase(v.name, p) for p in patterns)]
    unknown = [p for p in patterns if not any(fnmatch.fnmatchcase(v.name, p) for v in views)]
    if unknown:
        raise UnknownNameError(
            f"--select {', '.join(unknown)} matches no view; the definitions have: "
            f"{', '.join(v.name for v in views) or 'none'}"
        )
    return chosen


class _Executor:
    """Runs statements on the warehouse, or records them in a dry run."""

    def __init__(self, wh: Warehouse, dry_run: bool) -> None:
        self.wh, self.dry_run = wh, dry_run
        self.log: list[str] = []

    async def execute(self, sql: str) -> None:
        if not sql:
            return
        self.log.append(sql)
        if not self.dry_run:
            await self.wh.execute(sql)

    async def fetch(self, sql: str, dry: list[Row]) -> list[Row]:
        self.log.append(sql)
        return dry if self.dry_run else await self.wh.fetch(sql)


class Builder:
    """Builds views in a target warehouse; ``await builder.build()`` or ``builder.build_sync()``."""

    def __init__(
        self,
        views: Sequence[ir.View],
        target: Target,
        *,
        out: TextIO | None = None,
        validation: str = "block",
    ) -> None:
        if validation not in VALIDATION_MODES:
            raise ValueError(f"validation must be one of {', '.join(VALIDATION_MODES)}, got {validation!r}")
        self.views = list(views)
        self.target = target
        self.out = out
        self.validation = validation

    # -- plans -------------------------------------------------------------------------------------
    async def plan(
        self,
        select: Sequence[str] | None = None,
        *,
        full_refresh: bool = False,
        start: _dt.datetime | None = None,
        end: _dt.datetime | None = None,
    ) -> Plan:
        """Compare the definitions with the target's state; writes nothing."""
        wh = await connect(self.target)
        try:
            return await self._plan(wh, select_views(self.views, select), full_refresh, start, end)
        finally:
            await wh.close()
            memo().save()

    def plan_sync(self, select: Sequence[str] | None = None, **options: Any) -> Plan:
        """Synchronous :meth:`plan`."""
        return self._run(self.plan(select, **options))

    async def _plan(
        self,
        wh: Warehouse,
        views: list[ir.View],
        full_refresh: bool,
        start: _dt.datetime | None,
        end: _dt.datetime | None,
    ) -> Plan:
        r = renderer(self.target.dialect)
        schema = self.target.schema or r.default_schema
        deployed = await st.read_state(wh, r, schema)
        plan = Plan(self.target)
        for view in views:
            try:
                cv = await compile_view(view, self.target, r, wh)
                plan.views.append(
                    await plan_view(wh, cv, deployed, full_refresh=full_refresh, start=start, end=end)
                )
            except Exception as error:  # noqa: BLE001 - reported per view, never a traceback
                plan.views.append(ViewPlan(view, "error", "none", error=_message(view, error)))
        return plan

    # -- builds ------------------------------------------------------------------------------------
    async def build(
        self,
        select: Sequence[str] | None = None,
        *,
        full_refresh: bool = False,
        start: _dt.datetime | None = None,
        end: _dt.datetime | None = None,
        dry_run: bool = False,
    ) -> BuildResult:
        """Check every selected view (zero-row query), then build each in its own transaction."""
        began = time.perf_counter()
        views = select_views(self.views, select)
        wh = await connect(self.target)
        try:
            plan = await self._plan(wh, views, full_refresh, start, end)
            self._say(
                f"featsql build: target {self.target.describe()}, {len(views)} view(s)"
                f"{' (dry run: nothing is written)' if dry_run else ''}"
            )
            r = renderer(self.target.dialect)
            schema = self.target.schema or r.default_schema
            if not dry_run and any(vp.action not in ("skip", "none") for vp in plan.views):
                for sql in st.create_statements(r, schema):
                    await wh.execute(sql)
            results = []
            for i, vp in enumerate(plan.views, 1):
                results.append(await self._build_one(wh, vp, i, len(plan.views), dry_run))
        finally:
            await wh.close()
            memo().save()
        result = BuildResult(self.target, plan, results, time.perf_counter() - began, dry_run)
        self._summary(result)
        return result

    def build_sync(self, select: Sequence[str] | None = None, **options: Any) -> BuildResult:
        """Synchronous :meth:`build`."""
        return self._run(self.build(select, **options))

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro``: without an event loop on a blocking warehouse (DuckDB), else on one."""
        if is_blocking(self.target):
            return run_blocking(coro)
        from featsql._sync import run_sync

        return run_sync(coro)

    async def _build_one(self, wh: Warehouse, vp: ViewPlan, i: int, n: int, dry_run: bool) -> ViewResult:
        prefix = f"{i} of {n}"
        self._line(f"{prefix} START {vp.kind} {vp.name}", "[RUN]")
        began = time.perf_counter()
        result = ViewResult(vp.name, vp.kind, "OK", vp.action)
        if vp.error is not None or vp.compiled is None:
            result.status, result.message = "ERROR", vp.error or "not compiled"
        elif vp.action == "skip":
            result.status, result.message = "SKIP", vp.label
        else:
            ex = _Executor(wh, dry_run)
            if not dry_run:
                await wh.begin()
            try:
                result.rows = await self._run_action(ex, vp, vp.compiled)
                if not dry_run:
                    await wh.commit()
            except Exception as error:  # noqa: BLE001 - the view fails, the run goes on
                if not dry_run:
                    await wh.rollback()
                result.status, result.message = "ERROR", _message(vp.view, error)
            result.statements = ex.log
        result.seconds = time.perf_counter() - began
        self._report(prefix, vp, result, dry_run)
        return result

    async def _run_action(self, ex: _Executor, vp: ViewPlan, cv: CompiledView) -> int | None:
        now = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
        if vp.action == "metadata":
            for sql in cv.metadata_statements():
                await ex.execute(sql)
            await self._record(ex, cv, vp.deployed.row_count if vp.deployed else None, now)
            return vp.deployed.row_count if vp.deployed else None
        if vp.action == "windows":
            return await self._windows(ex, vp, cv, now)
        if cv.materialization.kind == "view":
            await self._view(ex, vp, cv, now)
            return None
        return await self._table(ex, vp, cv, now)

    async def _view(self, ex: _Executor, vp: ViewPlan, cv: CompiledView, now: _dt.datetime) -> None:
        r = cv.renderer
        if vp.existing_kind is not None:
            await ex.execute(r.render("drop", kind=vp.existing_kind.upper(), relation=cv.relation))
        await ex.execute(cv.create_statement(cv.relation))
        await self._validate(ex, cv, cv.view.name)
        for sql in cv.metadata_statements():
            await ex.execute(sql)
        if vp.deployed is not None and vp.deployed.windows:
            for sql in st.window_statements(cv, [], now, None):
                await ex.execute(sql)
        await self._record(ex, cv, None, now)
        return None

    async def _table(self, ex: _Executor, vp: ViewPlan, cv: CompiledView, now: _dt.datetime) -> int | None:
        r = cv.renderer
        await ex.execute(r.render("drop", kind="TABLE", relation=cv.tmp_relation))
        await ex.execute(cv.create_statement(cv.tmp_relation))
        rows = await self._count(ex, cv.tmp_relation)
        await self._validate(ex, cv, cv.tmp_name)
        if vp.existing_kind is not None:
            await ex.execute(r.render("drop", kind=vp.existing_kind.upper(), relation=cv.relation))
        await ex.execute(r.render("rename", relation=cv.tmp_relation, new_name=r.ident(cv.view.name)))
        for sql in cv.metadata_statements():
            await ex.execute(sql)
        counts: list[tuple[Window, int]] = []
        if cv.materialization.kind == "incremental":
            counts = await self._window_counts(ex, cv, None)
        if counts or (vp.deployed is not None and vp.deployed.windows):
            for sql in st.window_statements(cv, counts, now, None):
                await ex.execute(sql)
        await self._record(ex, cv, rows, now)
        return rows

    async def _windows(self, ex: _Executor, vp: ViewPlan, cv: CompiledView, now: _dt.datetime) -> int | None:
        r = cv.renderer
        span = vp.replaced_window
        ts = cv.view.event_timestamp
        assert span is not None and ts is not None
        bounds = {"column": r.ident(ts.name), "start": r.timestamp(span.start), "end": r.timestamp(span.end)}
        await ex.execute(r.render_now("delete_window", relation=cv.relation, **bounds))
        await ex.execute(
            r.render_now(  # windows differ every run: not memoised
                "insert_window",
                relation=cv.relation,
                select=cv.select_sql,
                columns=[r.ident(c.name) for c in cv.columns],
                **bounds,
            )
        )
        found = dict(await self._window_counts(ex, cv, span))
        counts = [(w, found.get(w, 0)) for w in vp.windows]
        await self._validate(ex, cv, cv.view.name)
        for sql in st.window_statements(cv, counts, now, span):
            await ex.execute(sql)
        rows = await self._count(ex, cv.relation)
        await self._record(ex, cv, rows, now)
        return sum(n for _, n in counts)

    # -- helpers -----------------------------------------------------------------------------------
    async def _count(self, ex: _Executor, relation: str) -> int | None:
        rows = await ex.fetch(
            renderer(self.target.dialect).render("count_rows", relation=relation), [(None,)]
        )
        value = rows[0][0]
        return None if value is None else int(value)

    async def _window_counts(
        self, ex: _Executor, cv: CompiledView, span: Window | None
    ) -> list[tuple[Window, int]]:
        r = cv.renderer
        ts = cv.view.event_timestamp
        assert ts is not None
        seconds = float(cv.materialization.window_seconds or 86400)
        sql = (r.render_now if span else r.render)(
            "window_counts",
            relation=cv.relation,
            column=r.ident(ts.name),
            epoch=r.epoch_seconds(ts.name),
            seconds=r.number(seconds),
            start=r.timestamp(span.start) if span else None,
            end=r.timestamp(span.end) if span else None,
        )
        out = []
        for bucket, count in await ex.fetch(sql, []):
            start = bucket_start(int(bucket), seconds)
            out.append((Window(start, start + _dt.timedelta(seconds=seconds)), int(count)))
        return sorted(out)

    async def _record(self, ex: _Executor, cv: CompiledView, rows: int | None, now: _dt.datetime) -> None:
        for sql in st.record_statements(cv, rows, now):
            await ex.execute(sql)

    async def _validate(self, ex: _Executor, cv: CompiledView, relation_name: str) -> None:
        """Run the view's constraints on the rows just built (inside the transaction)."""
        if self.validation == "skip" or importlib.util.find_spec("featsql.validation") is None:
            return
        if not any(f.constraints for f in cv.view.features):
            return
        from featsql.build.validate import validate_relation

        failures = await validate_relation(ex, cv, relation_name)
        if failures:
            message = f"View '{cv.name}': validation failed: " + "; ".join(failures)
            if self.validation == "block":
                raise BuildError(message)
            self._say(f"  WARN {message}")

    # -- output ------------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text + "\n")
            self.out.flush()

    def _line(self, left: str, right: str) -> None:
        dots = "." * max(3, _WIDTH - len(left) - 2)
        self._say(f"{left} {dots} {right}")

    def _report(self, prefix: str, vp: ViewPlan, result: ViewResult, dry_run: bool) -> None:
        where = vp.compiled.display_name if vp.compiled else vp.name
        if result.status == "SKIP":
            self._line(f"{prefix} SKIP {vp.kind} {where} ({result.message})", "[SKIP]")
            return
        if result.status == "ERROR":
            self._line(f"{prefix} ERROR {vp.kind} {where}", f"[ERROR in {result.seconds:.2f}s]")
            self._say(f"  {result.message}")
            return
        detail = vp.describe_action()
        if result.rows is not None and not dry_run:
            detail += f", {result.rows} rows"
        self._line(f"{prefix} OK {detail}", f"[{'DRY RUN' if dry_run else 'OK'} in {result.seconds:.2f}s]")
        if dry_run:
            for sql in result.statements:
                self._say("    " + sql.replace("\n", "\n    ") + ";")

    def _summary(self, result: BuildResult) -> None:
        self._say("")
        self._say(f"Finished {len(result.results)} view(s) in {result.seconds:.2f}s.")
        status = "Completed successfully" if result.ok else "Completed with errors"
        self._say(status)
        self._say(
            f"Done. PASS={result.count('OK')} SKIP={result.count('SKIP')} "
            f"ERROR={result.count('ERROR')} TOTAL={len(result.results)}"
        )


def _message(view: ir.View, error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if f"'{view.name}'" in text else f"View '{view.name}': {text}"


def default_out() -> TextIO:
    return sys.stdout
