"""The feature store: registered views, their engines, and retrieval jobs.

Every read has an async method (``await job.to_pandas()``) and a synchronous twin with the
``_sync`` suffix (``job.to_pandas_sync()``) for scripts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Coroutine, Iterable, Mapping, Sequence, TextIO, TypeVar

from featsql import ir
from featsql.errors import FeatSQLError, UnknownNameError

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    from featsql.build.planner import Plan
    from featsql.build.runner import Builder, BuildResult
    from featsql.build.targets import Target
    from featsql.engines.base import Engine
    from featsql.model import Model
    from featsql.model_store import ModelStore
    from featsql.validation.report import ValidationReport
    from featsql.view import FeatureView

EntityInput = Any  # dict of columns, pandas/polars DataFrame or Arrow table

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """:func:`featsql._sync.run_sync`, imported on first use: ``import featsql`` (and ``featsql
    build``) does not load asyncio."""
    from featsql._sync import run_sync as run

    return run(coro)


class FeatureStore:
    """All registered feature views, and the engines that compute them."""

    def __init__(self, views: Iterable[ir.View] = (), models: Iterable[ir.Model] = ()) -> None:
        self._views: dict[str, ir.View] = {}
        self._models: dict[str, ir.Model] = {}
        self._engines: dict[tuple[str, str | None], Engine] = {}
        self._schemas: dict[str, dict[str, str]] = {}
        self._sql_cache: dict[tuple[object, ...], str] = {}  # see RetrievalJob._cache_key
        for view in views:
            self.add_view(view)
        for model in models:
            self.add_model(model)

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def from_definitions(cls, definitions: Sequence[type[FeatureView] | Model]) -> FeatureStore:
        """A store of ``FeatureView`` classes and ``Model`` objects (models after their views)."""
        from featsql.model import Model
        from featsql.view import FeatureView

        store = cls()
        models = []
        for definition in definitions:
            if isinstance(definition, type) and issubclass(definition, FeatureView):
                store.add_view(definition.ir())
            elif isinstance(definition, Model):
                models.append(definition.ir)
            else:
                raise TypeError(f"from_definitions takes FeatureView classes and Models, got {definition!r}")
        for model in models:
            store.add_model(model)
        return store

    @classmethod
    def from_json(cls, text: str) -> FeatureStore:
        """A store from a JSON repository definition (see docs/repository-json.md)."""
        from featsql.repository import models_from_json, views_from_json

        return cls(views_from_json(text), models_from_json(text))

    def add_view(self, view: ir.View) -> None:
        if view.name in self._views:
            raise FeatSQLError(f"a view named '{view.name}' is already registered")
        self._views[view.name] = view

    def to_json(self) -> str:
        """The JSON repository definition of every view (no credentials, no pickle)."""
        from featsql.repository import views_to_json

        return views_to_json(self._views.values(), self._models.values())

    def write_json(self, path: str | Path) -> None:
        """Write :meth:`to_json` to ``path``."""
        Path(path).write_text(self.to_json(), encoding="utf-8")

    # -- access -----------------------------------------------------------------------------------
    @property
    def view_names(self) -> list[str]:
        """Names of the registered views, in registration order."""
        return list(self._views)

    def view_ir(self, name: str) -> ir.View:
        try:
            return self._views[name]
        except KeyError:
            raise UnknownNameError(
                f"no feature view named '{name}'; the store has: {', '.join(self._views) or 'none'}"
            ) from None

    def add_model(self, model: ir.Model) -> None:
        """Register a model; its views must be registered already."""
        from featsql.model import check_model

        if model.name in self._models:
            raise FeatSQLError(f"a model named '{model.name}' is already registered")
        check_model(model, self._views)
        self._models[model.name] = model

    @property
    def model_names(self) -> list[str]:
        """Names of the registered models, in registration order."""
        return list(self._models)

    def model(self, name: str) -> ModelStore:
        """Reads for one model: ``store.model("m").features_for(entities)``."""
        from featsql.model_store import ModelStore

        try:
            return ModelStore(self, self._models[name])
        except KeyError:
            raise UnknownNameError(
                f"no model named '{name}'; the store has: {', '.join(self._models) or 'none'}"
            ) from None

    def feature_view(self, name: str) -> FeatureViewStore:
        """Reads and SQL for one view."""
        return FeatureViewStore(self, self.view_ir(name))

    # -- engines --------------------------------------------------------------------------------
    def engine_for(self, source: ir.Source) -> Engine:
        """The engine that computes views over ``source`` (created on first use, then reused)."""
        from featsql.engines.registry import engine_key, make_engine

        key = engine_key(source)
        engine = self._engines.get(key)
        if engine is None:
            engine = make_engine(source)
            self._engines[key] = engine
        return engine

    async def source_schema(self, view: ir.View) -> dict[str, str]:
        """The source's columns and their featsql dtypes (read once, then cached)."""
        schema = self._schemas.get(view.name)
        if schema is None:
            from sqlglot import exp

            from featsql.compiler.dialect import load
            from featsql.compiler.lower import source_relation

            engine = self.engine_for(view.source)
            self._prepare_source(engine, view.source)
            table = load(engine.dialect)
            probe = exp.Select(expressions=[exp.Star()]).from_(source_relation(view, table), copy=False)
            probe = probe.limit(exp.Literal.number(0), copy=False)
            try:
                sql = probe.sql(dialect=self.print_dialect(view.source), identify=True)
                schema = await engine.relation_schema(sql)
            except Exception as error:  # the driver's own error, with the view named
                raise FeatSQLError(f"View '{view.name}': cannot read its source: {error}") from error
            self._schemas[view.name] = schema
        return schema

    def print_dialect(self, source: ir.Source) -> str:
        """The sqlglot dialect SQL for ``source`` is printed in: the engine's ``output_dialect``
        when it has one (a Redshift engine pointed at PostgreSQL for tests), else its own."""
        from featsql.compiler.dialect import load

        engine = self.engine_for(source)
        return load(getattr(engine, "output_dialect", engine.dialect)).sqlglot_dialect

    def _prepare_source(self, engine: Engine, source: ir.Source) -> None:
        if source.kind == "in_memory":
            from featsql.compiler.lower import in_memory_name
            from featsql.engines.duckdb_engine import DuckDBEngine
            from featsql.sources import in_memory_frame

            assert isinstance(engine, DuckDBEngine)
            name = in_memory_name(source)
            if not engine.is_registered(name):
                engine.register(name, in_memory_frame(source))

    # -- builds (featsql.build; see docs/builds.md) ---------------------------------------------
    def builder(
        self,
        target: Target | str | None = None,
        *,
        validation: str = "block",
        out: TextIO | None = None,
        targets_file: str | Path | None = None,
    ) -> Builder:
        """A :class:`~featsql.build.Builder` of every view for ``target`` (a Target, a name from the
        targets file, or None for the default)."""
        from featsql.build.runner import Builder
        from featsql.build.targets import Target, resolve_target

        views = list(self._views.values())
        chosen = target if isinstance(target, Target) else resolve_target(target, views, targets_file)
        return Builder(views, chosen, out=out, validation=validation)

    async def build(self, target: Target | str | None = None, **options: Any) -> BuildResult:
        """Build the views in the target warehouse (``select``, ``full_refresh``, ``start``, ``end``,
        ``dry_run``; ``validation`` / ``out`` / ``targets_file`` go to :meth:`builder`)."""
        keys = ("validation", "out", "targets_file")
        builder = self.builder(target, **{k: options.pop(k) for k in keys if k in options})
        return await builder.build(options.pop("select", None), **options)

    def build_sync(self, target: Target | str | None = None, **options: Any) -> BuildResult:
        """Synchronous :meth:`build`."""
        return run_sync(self.build(target, **options))

    async def plan(self, target: Target | str | None = None, **options: Any) -> Plan:
        """What :meth:`build` would change, per view, with SQL diffs; writes nothing."""
        builder = self.builder(target, targets_file=options.pop("targets_file", None))
        return await builder.plan(options.pop("select", None), **options)

    def plan_sync(self, target: Target | str | None = None, **options: Any) -> Plan:
        """Synchronous :meth:`plan`."""
        return run_sync(self.plan(target, **options))

    def close(self) -> None:
        """Close every engine's connections."""
        for engine in self._engines.values():
            engine.close()
        self._engines.clear()


class FeatureViewStore:
    """One view of a store, optionally narrowed to some features with :meth:`select`."""

    def __init__(self, store: FeatureStore, view: ir.View, selection: Sequence[str] | None = None) -> None:
        self.store = store
        self.view = view
        self.selection = None if selection is None else tuple(selection)

    def select(self, features: Sequence[str]) -> FeatureViewStore:
        """Only these features (plus the entity keys); their dependencies are computed as needed."""
        from featsql.compiler.plan import outputs_for

        outputs_for(self.view, features)  # fail early on unknown names
        return FeatureViewStore(self.store, self.view, features)

    def all(self, limit: int | None = None) -> RetrievalJob:
        """Every row of the source, with its features."""
        return RetrievalJob(self, limit=limit)

    def features_for(self, entities: EntityInput) -> RetrievalJob:
        """The features of the given entities, one output row per input row, in input order.

        ``entities`` is a dict of columns, a pandas or polars DataFrame or an Arrow table holding
        the view's entity keys. Unknown entities get NULL features (``fill_na`` does not apply to
        a row that does not exist). With an event timestamp, each entity's latest row is used.
        """
        return RetrievalJob(self, entities=_entity_table(self.view, entities))

    def sql(self, dialect: str | None = None, pretty: bool = False) -> str:
        """The SELECT computing this view, in its source's dialect or in ``dialect`` to inspect."""
        if dialect is None or dialect == self.view.source.dialect:
            return self.all().sql(pretty=pretty)
        from featsql.compiler import compile_sql

        return compile_sql(self.view, dialect, select=self.selection, pretty=pretty)

    async def validate(self, examples: int = 5) -> ValidationReport:
        """Check every constraint of the view in one aggregate query on its own engine.

        The source's schema is checked first (``SchemaMismatchError`` names the view, column and
        types). Returns a report: per constraint, rows checked, rows violating, ``examples`` keys.
        """
        from featsql.validation import validate_view

        return await validate_view(self.store, self.view, examples)

    def validate_sync(self, examples: int = 5) -> ValidationReport:
        """Synchronous :meth:`validate`."""
        return run_sync(self.validate(examples))


class RetrievalJob:
    """A read, not yet run. ``sql()`` shows what will run; ``to_*`` runs it."""

    def __init__(
        self, view_store: FeatureViewStore, *, limit: int | None = None, entities: pa.Table | None = None
    ) -> None:
        self.view_store = view_store
        self.limit = limit
        self.entities = entities
        self.only_valid = False
        self._sql: dict[bool, str] = {}

    def drop_invalid(self) -> RetrievalJob:
        """The same read keeping only rows where every row constraint of the output features holds.

        Filters in SQL (``WHERE NOT (violation OR ...)``); ``is_unique`` is checked by ``validate()``
        only. For ``features_for``, an entity row whose features violate a constraint is dropped.
        """
        job = RetrievalJob(self.view_store, limit=self.limit, entities=self.entities)
        job.only_valid = True
        return job

    @property
    def view(self) -> ir.View:
        return self.view_store.view

    def _cache_key(self, pretty: bool) -> tuple[object, ...] | None:
        """What this job's SQL depends on, once the source's schema is known (None before)."""
        store = self.view_store.store
        schema = store._schemas.get(self.view.name)
        if schema is None:
            return None
        return (
            self.view.name,
            id(self.view),
            tuple(schema.items()),
            self.view_store.selection,
            self.limit,
            self.entities is not None,
            self.only_valid,
            pretty,
        )

    async def _sql_async(self, pretty: bool = False) -> str:
        if pretty not in self._sql:
            await self.view_store.store.source_schema(self.view)
            key = self._cache_key(pretty)
            cached = self.view_store.store._sql_cache.get(key) if key is not None else None
            if cached is not None:
                self._sql[pretty] = cached
                return cached
            from sqlglot import exp

            from featsql.compiler import compile_select
            from featsql.compiler.plan import outputs_for
            from featsql.compiler.retrieval import ENTITY_TABLE, entity_lookup, with_limit

            store, view = self.view_store.store, self.view
            schema = await store.source_schema(view)
            dialect = view.source.dialect
            selection = self.view_store.selection
            select = compile_select(view, dialect, select=selection, schema=schema)
            if self.entities is not None:
                columns = outputs_for(view, selection)
                select = entity_lookup(
                    view, select, columns, exp.Table(this=exp.Identifier(this=ENTITY_TABLE, quoted=True))
                )
            if self.only_valid:
                from featsql.validation.filter import keep_valid_rows

                select = keep_valid_rows(view, dialect, select, selection, lookup=self.entities is not None)
            select = with_limit(select, self.limit)
            printed = store.print_dialect(view.source)
            # a fresh tree used once: print it without sqlglot's defensive deep copy
            self._sql[pretty] = select.sql(dialect=printed, identify=True, pretty=pretty, copy=False)
            if key is not None:
                if len(store._sql_cache) >= 4096:
                    store._sql_cache.clear()
                store._sql_cache[key] = self._sql[pretty]
        return self._sql[pretty]

    def sql(self, pretty: bool = False) -> str:
        """The SQL that runs, in the source's dialect (the source's schema is read to pick casts)."""
        hit = self._sql.get(pretty)
        if hit is None:
            key = self._cache_key(pretty)  # unchanged definitions: no recompile, no event loop
            hit = self.view_store.store._sql_cache.get(key) if key is not None else None
        return hit if hit is not None else run_sync(self._sql_async(pretty))

    async def to_arrow(self) -> pa.Table:
        """Run the query; the result as an Arrow table."""
        from featsql.compiler.retrieval import ENTITY_TABLE

        sql = await self._sql_async()
        engine = self.view_store.store.engine_for(self.view.source)
        temp = None if self.entities is None else {ENTITY_TABLE: self.entities}
        try:
            table = await engine.fetch_arrow(sql, temp)
        except FeatSQLError:
            raise
        except Exception as error:
            raise FeatSQLError(f"View '{self.view.name}': the query failed: {error}") from error
        return table

    async def to_pandas(self) -> pd.DataFrame:
        """Run the query; the result as a pandas DataFrame."""
        return (await self.to_arrow()).to_pandas()

    async def to_polars(self) -> pl.DataFrame:
        """Run the query; the result as a polars DataFrame (needs the ``polars`` extra)."""
        import polars as pl

        # keep DuckDB's record batches as Polars chunks (as DuckDB's own .pl() does): no extra copy
        return pl.from_arrow(await self.to_arrow(), rechunk=False)  # type: ignore[return-value]

    def to_arrow_sync(self) -> pa.Table:
        """Synchronous :meth:`to_arrow`."""
        return run_sync(self.to_arrow())

    def to_pandas_sync(self) -> pd.DataFrame:
        """Synchronous :meth:`to_pandas`."""
        return run_sync(self.to_pandas())

    def to_polars_sync(self) -> pl.DataFrame:
        """Synchronous :meth:`to_polars`."""
        return run_sync(self.to_polars())


def _entity_table(view: ir.View, entities: EntityInput) -> pa.Table:
    """The entity rows as an Arrow table with the key columns and a row number."""
    import pyarrow as pa

    from featsql.compiler.retrieval import ROW_COLUMN

    keys = [f.name for f in view.entities]
    if not keys:
        raise FeatSQLError(f"View '{view.name}' declares no Entity, so features_for cannot look rows up")
    if isinstance(entities, Mapping):
        table = pa.table({k: list(v) for k, v in entities.items()})
    elif isinstance(entities, pa.Table):
        table = entities
    elif hasattr(entities, "to_arrow"):  # polars
        table = entities.to_arrow()
    else:  # pandas
        table = pa.Table.from_pandas(entities, preserve_index=False)
    missing = [k for k in keys if k not in table.column_names]
    if missing:
        raise FeatSQLError(
            f"View '{view.name}': features_for needs the entity key(s) {', '.join(missing)}; "
            f"got columns: {', '.join(table.column_names) or 'none'}"
        )
    table = table.select(keys)
    return table.append_column(ROW_COLUMN, pa.array(range(table.num_rows), type=pa.int64()))
