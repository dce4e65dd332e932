"""Reads for a registered model: point-in-time training data, optionally split.

``store.model("m").features_for(entities)`` is a :class:`ModelRetrievalJob`; adding
``.test_split(...)`` / ``.validation_split(...)`` gives a :class:`SplitRetrievalJob`. Nothing runs
until ``to_arrow`` / ``to_pandas`` / ``to_polars`` (async) or their ``_sync`` twins.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, Sequence, TypeVar

from featsql import ir
from featsql._sync import run_sync
from featsql.entities import (
    ENTITY_TABLE,
    ROW_COLUMN,
    WarehouseQuery,
    WarehouseTable,
    prepare_upload,
    to_arrow,
)
from featsql.errors import FeatSQLError
from featsql.training_set import DataSplit, TrainTestSet

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    from featsql.compiler.point_in_time import EntityRelation, ViewJoin
    from featsql.compiler.splits import SplitRule
    from featsql.engines.base import Engine
    from featsql.store import FeatureStore

Frame = TypeVar("Frame")


class ModelStore:
    """One registered model of a store."""

    def __init__(self, store: FeatureStore, model: ir.Model) -> None:
        self.store = store
        self.model = model

    def features_for(self, entities: Any, *, event_timestamp_column: str | None = None) -> ModelRetrievalJob:
        """The model's features (and targets) for every entity row, point-in-time correct.

        ``entities``: a pandas/polars DataFrame, a dict of columns, an Arrow table, or rows in the
        warehouse (``featsql.table(name)``, ``featsql.sql(query)``), holding every view's entity
        keys and optionally a timestamp per row: the column named like the views' event timestamp,
        or ``event_timestamp_column``. Each row gets, from each view, the latest row at or before
        its timestamp within the view's TTL (without a timestamp: the latest row). Every input row
        is kept, in order; unmatched rows get NULL features.
        """
        return ModelRetrievalJob(self.store, self.model, entities, event_timestamp_column)


@dataclass(frozen=True)
class _Prepared:
    sql: str
    engine: Engine
    upload: pa.Table | None
    columns: tuple[str, ...]
    features: tuple[str, ...]
    targets: tuple[str, ...]


class ModelRetrievalJob:
    """A point-in-time read, not yet run: one frame with entity columns, features and targets."""

    def __init__(
        self, store: FeatureStore, model: ir.Model, entities: Any, event_timestamp_column: str | None
    ) -> None:
        self.store = store
        self.model = model
        self.entities = entities
        self.event_timestamp_column = event_timestamp_column

    # -- splits --------------------------------------------------------------------------------
    def test_split(
        self,
        size: float | None = None,
        *,
        after: _dt.datetime | None = None,
        target: str | Sequence[str] | None = None,
        stratify: bool | str = False,
        seed: int = 0,
    ) -> SplitRetrievalJob:
        """Hold out a test set: a share ``size`` of the rows (by a seeded hash of the entity keys),
        or the rows at or after ``after``. ``target`` names the output (y) columns (default: the
        model's targets); ``stratify=True`` keeps each target value's share (or name a column)."""
        return SplitRetrievalJob(self, _Splits(seed=seed)).test_split(
            size, after=after, target=target, stratify=stratify, seed=seed
        )

    def validation_split(
        self,
        size: float | None = None,
        *,
        after: _dt.datetime | None = None,
        target: str | Sequence[str] | None = None,
        stratify: bool | str = False,
        seed: int = 0,
    ) -> SplitRetrievalJob:
        """Hold out a validation set, like :meth:`test_split`."""
        return SplitRetrievalJob(self, _Splits(seed=seed)).validation_split(
            size, after=after, target=target, stratify=stratify, seed=seed
        )

    # -- SQL -----------------------------------------------------------------------------------
    async def _prepare(self, splits: _Splits | None = None) -> _Prepared:
        from featsql.compiler.point_in_time import ViewJoin, point_in_time_select
        from featsql.compiler.splits import SplitSpec, split_select

        store, model = self.store, self.model
        views = [store.view_ir(name) for name in model.view_names]
        engine = _one_engine(store, model, views)
        dialect = views[0].source.dialect
        schemas = [await store.source_schema(view) for view in views]
        keys = list(dict.fromkeys(f.name for view in views for f in view.entities))
        relation, upload = await self._entity_relation(views, keys, engine, dialect)
        outputs = _output_names(model, views)
        clash = [n for n in (*outputs.features, *outputs.targets) if n in relation.columns]
        if clash:
            raise FeatSQLError(
                f"Model '{model.name}': the entity rows have column(s) {', '.join(clash)}, which the "
                "model also outputs as features; rename or drop them from the entity rows"
            )
        order = (*outputs.features, *outputs.targets)
        joins: list[ViewJoin] = []
        for view, schema in zip(views, schemas):
            wanted = [n for n in order if outputs.owner[n] == view.name]
            if not wanted:
                continue  # only entity keys selected: they come from the entity rows
            if not view.entities:
                raise FeatSQLError(
                    f"Model '{model.name}': view '{view.name}' declares no Entity, so its rows "
                    "cannot be matched to entity rows"
                )
            joins.append(ViewJoin(view, tuple(wanted), schema))
        columns = (*relation.columns, *order)
        if splits is None:
            select = point_in_time_select(joins, relation, dialect, order=order)
        else:
            spec = SplitSpec(
                test=splits.test,
                validation=splits.validation,
                keys=tuple(keys),
                timestamp=relation.timestamp,
                seed=splits.seed,
                stratify_by=_stratify_column(model, splits, outputs.targets, columns),
            )
            if any(not _is_random(r) for r in spec.rules) and relation.timestamp is None:
                raise FeatSQLError(
                    f"Model '{model.name}': a split by time needs a timestamp in the entity rows"
                )
            pit = point_in_time_select(
                joins, relation, dialect, order=order, keep_row_column=True, ordered=False
            )
            select = split_select(pit, columns, ROW_COLUMN, spec, dialect)
        sql = select.sql(dialect=print_dialect(engine), identify=True)
        targets = outputs.targets if splits is None or splits.target is None else splits.target
        missing = [t for t in targets if t not in columns]
        if missing:
            raise FeatSQLError(
                f"Model '{model.name}': split target {', '.join(missing)} is not an output column; "
                f"the columns are: {', '.join(columns)}"
            )
        return _Prepared(sql, engine, upload, columns, outputs.features, tuple(targets))

    async def _entity_relation(
        self, views: list[ir.View], keys: list[str], engine: Engine, dialect: str
    ) -> tuple[EntityRelation, pa.Table | None]:
        from featsql.compiler.point_in_time import EntityRelation

        entities = self.entities
        if isinstance(entities, (WarehouseTable, WarehouseQuery)):
            query = _warehouse_select(entities, dialect)
            columns = await _warehouse_columns(self.model, engine, query, self.store, views[0])
            timestamp = self._timestamp_column(views, columns)
            self._check_keys(views, columns)
            order = (*keys, *([timestamp] if timestamp else []))
            relation = EntityRelation(ENTITY_TABLE, tuple(columns), ROW_COLUMN, timestamp, query, order)
            return relation, None
        table = to_arrow(entities)
        timestamp = self._timestamp_column(views, table.column_names)
        self._check_keys(views, table.column_names)
        upload = prepare_upload(table, keys, timestamp)
        return EntityRelation(ENTITY_TABLE, tuple(table.column_names), ROW_COLUMN, timestamp), upload

    def _check_keys(self, views: list[ir.View], columns: Sequence[str]) -> None:
        for view in views:
            missing = [f.name for f in view.entities if f.name not in columns]
            if missing:
                raise FeatSQLError(
                    f"Model '{self.model.name}': view '{view.name}' needs the entity key(s) "
                    f"{', '.join(missing)} in the entity rows; got columns: {', '.join(columns) or 'none'}"
                )

    def _timestamp_column(self, views: list[ir.View], columns: Sequence[str]) -> str | None:
        if self.event_timestamp_column is not None:
            if self.event_timestamp_column not in columns:
                raise FeatSQLError(
                    f"Model '{self.model.name}': event_timestamp_column '{self.event_timestamp_column}' "
                    f"is not a column of the entity rows ({', '.join(columns)})"
                )
            return self.event_timestamp_column
        names = [v.event_timestamp.name for v in views if v.event_timestamp is not None]
        found = list(dict.fromkeys(n for n in names if n in columns))
        if len(found) > 1:
            raise FeatSQLError(
                f"Model '{self.model.name}': the entity rows have several event timestamp columns "
                f"({', '.join(found)}); pass event_timestamp_column= to say which one holds the row's time"
            )
        return found[0] if found else None

    async def sql_async(self) -> str:
        """The SQL that runs (the views' source schemas are read to pick casts)."""
        return (await self._prepare()).sql

    def sql(self) -> str:
        """The SQL that runs, in the warehouse's dialect."""
        return run_sync(self.sql_async())

    # -- running -------------------------------------------------------------------------------
    async def _run(self, prepared: _Prepared) -> pa.Table:
        temp = None if prepared.upload is None else {ENTITY_TABLE: prepared.upload}
        try:
            return await prepared.engine.fetch_arrow(prepared.sql, temp)
        except FeatSQLError:
            raise
        except Exception as error:
            raise FeatSQLError(f"Model '{self.model.name}': the query failed: {error}") from error

    async def to_arrow(self) -> pa.Table:
        """Run the query; entity columns, features and targets as one Arrow table."""
        return await self._run(await self._prepare())

    async def to_pandas(self) -> pd.DataFrame:
        """Run the query; one pandas DataFrame (entity columns, features, targets)."""
        return (await self.to_arrow()).to_pandas()

    async def to_polars(self) -> pl.DataFrame:
        """Run the query; one polars DataFrame (needs the ``polars`` extra)."""
        import polars as pl

        return pl.from_arrow(await self.to_arrow())  # type: ignore[return-value]

    def to_arrow_sync(self) -> pa.Table:
        """Synchronous :meth:`to_arrow`."""
        return run_sync(self.to_arrow())

    def to_pandas_sync(self) -> pd.DataFrame:
        """Synchronous :meth:`to_pandas`."""
        return run_sync(self.to_pandas())

    def to_polars_sync(self) -> pl.DataFrame:
        """Synchronous :meth:`to_polars`."""
        return run_sync(self.to_polars())


@dataclass(frozen=True)
class _Splits:
    test: SplitRule | None = None
    validation: SplitRule | None = None
    target: tuple[str, ...] | None = None
    stratify: bool | str = False
    seed: int = 0


class SplitRetrievalJob:
    """A point-in-time read split into train / test / validation, not yet run."""

    def __init__(self, job: ModelRetrievalJob, splits: _Splits) -> None:
        self.job = job
        self.splits = splits

    def test_split(
        self,
        size: float | None = None,
        *,
        after: _dt.datetime | None = None,
        target: str | Sequence[str] | None = None,
        stratify: bool | str = False,
        seed: int = 0,
    ) -> SplitRetrievalJob:
        """See :meth:`ModelRetrievalJob.test_split`."""
        return self._with("test", size, after, target, stratify, seed)

    def validation_split(
        self,
        size: float | None = None,
        *,
        after: _dt.datetime | None = None,
        target: str | Sequence[str] | None = None,
        stratify: bool | str = False,
        seed: int = 0,
    ) -> SplitRetrievalJob:
        """See :meth:`ModelRetrievalJob.validation_split`."""
        return self._with("validation", size, after, target, stratify, seed)

    def _with(
        self,
        part: str,
        size: float | None,
        after: _dt.datetime | None,
        target: str | Sequence[str] | None,
        stratify: bool | str,
        seed: int,
    ) -> SplitRetrievalJob:
        from featsql.compiler.splits import RandomSplit, TimeSplit

        name = self.job.model.name
        if getattr(self.splits, part) is not None:
            raise FeatSQLError(f"Model '{name}': {part}_split was already given")
        if (size is None) == (after is None):
            raise FeatSQLError(f"Model '{name}': {part}_split takes a size (0 < size < 1) or after=datetime")
        rule: SplitRule
        if size is not None:
            if isinstance(size, bool) or not isinstance(size, (int, float)) or not 0 < size < 1:
                raise FeatSQLError(f"Model '{name}': {part}_split size must be between 0 and 1, got {size!r}")
            rule = RandomSplit(float(size))
        else:
            if not isinstance(after, _dt.datetime):
                raise FeatSQLError(f"Model '{name}': {part}_split(after=...) takes a datetime, got {after!r}")
            rule = TimeSplit(after)
        splits = replace(self.splits, test=rule) if part == "test" else replace(self.splits, validation=rule)
        if target is not None:
            names = (target,) if isinstance(target, str) else tuple(target)
            if splits.target is not None and splits.target != names:
                raise FeatSQLError(f"Model '{name}': the splits name different targets")
            splits = replace(splits, target=names)
        if stratify:
            splits = replace(splits, stratify=stratify)
        if seed != 0:
            splits = replace(splits, seed=seed)
        _check_rules(name, splits)
        return SplitRetrievalJob(self.job, splits)

    async def sql_async(self) -> str:
        """The SQL that runs: the point-in-time join plus a ``featsql_split`` label column."""
        return (await self.job._prepare(self.splits)).sql

    def sql(self) -> str:
        """Synchronous :meth:`sql_async`."""
        return run_sync(self.sql_async())

    async def _split(self, convert: Callable[[pa.Table], Frame]) -> TrainTestSet[Frame]:
        import pyarrow.compute as pc

        from featsql.compiler.splits import SPLIT_COLUMN

        prepared = await self.job._prepare(self.splits)
        table = await self.job._run(prepared)
        labels = table.column(SPLIT_COLUMN)
        table = table.drop_columns([SPLIT_COLUMN])
        parts: dict[str, DataSplit[Frame] | None] = {}
        for part in ("train", "test", "validation"):
            if part != "train" and getattr(self.splits, part) is None:
                parts[part] = None
                continue
            rows = table.filter(pc.equal(labels, part))
            parts[part] = DataSplit(
                data=convert(rows),
                input=convert(rows.select(list(prepared.features))),
                output=convert(rows.select(list(prepared.targets))),
            )
        train = parts["train"]
        assert train is not None
        return TrainTestSet(train, parts["test"], parts["validation"], prepared.features, prepared.targets)

    async def to_arrow(self) -> TrainTestSet[pa.Table]:
        """Run the query; the parts as Arrow tables."""
        return await self._split(lambda t: t)

    async def to_pandas(self) -> TrainTestSet[pd.DataFrame]:
        """Run the query; the parts as pandas DataFrames (``data.train.input``, ``.output``)."""
        return await self._split(lambda t: t.to_pandas())

    async def to_polars(self) -> TrainTestSet[pl.DataFrame]:
        """Run the query; the parts as polars DataFrames."""
        import polars as pl

        return await self._split(lambda t: pl.from_arrow(t))  # type: ignore[arg-type,return-value]

    def to_arrow_sync(self) -> TrainTestSet[pa.Table]:
        """Synchronous :meth:`to_arrow`."""
        return run_sync(self.to_arrow())

    def to_pandas_sync(self) -> TrainTestSet[pd.DataFrame]:
        """Synchronous :meth:`to_pandas`."""
        return run_sync(self.to_pandas())

    def to_polars_sync(self) -> TrainTestSet[pl.DataFrame]:
        """Synchronous :meth:`to_polars`."""
        return run_sync(self.to_polars())


# -- helpers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outputs:
    features: tuple[str, ...]
    targets: tuple[str, ...]
    owner: dict[str, str]


def _output_names(model: ir.Model, views: list[ir.View]) -> _Outputs:
    """The model's feature and target columns (entity keys come from the entity rows)."""
    by_name = {v.name: v for v in views}
    owner: dict[str, str] = {}

    def names(refs: Sequence[ir.FeatureRef]) -> tuple[str, ...]:
        out = []
        for ref in refs:
            view = by_name[ref.view]
            if not view.has_feature(ref.name):
                raise FeatSQLError(f"Model '{model.name}': view '{ref.view}' has no feature '{ref.name}'")
            if view.feature(ref.name).role == "entity":
                continue
            owner[ref.name] = ref.view
            out.append(ref.name)
        return tuple(out)

    return _Outputs(names(model.features), names(model.targets), owner)


def print_dialect(engine: Engine) -> str:
    """The sqlglot dialect SQL is printed in for ``engine``: its ``output_dialect`` when it has one
    (a Redshift engine pointed at PostgreSQL for tests), else its own dialect."""
    from featsql.compiler.dialect import load

    return load(getattr(engine, "output_dialect", engine.dialect)).sqlglot_dialect


def _one_engine(store: FeatureStore, model: ir.Model, views: list[ir.View]) -> Engine:
    from featsql.engines.registry import engine_key

    keys = {engine_key(v.source) for v in views}
    if len(keys) > 1:
        where = ", ".join(f"'{v.name}' ({v.source.kind})" for v in views)
        raise FeatSQLError(
            f"Model '{model.name}': its views live in different warehouses ({where}); "
            "a point-in-time join runs in one warehouse"
        )
    return store.engine_for(views[0].source)


def _warehouse_select(entities: WarehouseTable | WarehouseQuery, dialect: str) -> Any:
    import sqlglot
    from sqlglot import exp

    from featsql.compiler.dialect import load
    from featsql.compiler.lower import table_ref

    if isinstance(entities, WarehouseTable):
        return exp.Select(expressions=[exp.Star()]).from_(table_ref(entities.name), copy=False)
    return sqlglot.parse_one(entities.sql, read=load(dialect).sqlglot_dialect)


async def _warehouse_columns(
    model: ir.Model, engine: Engine, query: Any, store: FeatureStore, view: ir.View
) -> list[str]:
    from sqlglot import exp

    probe = exp.Select(expressions=[exp.Star()]).from_(
        exp.Subquery(
            this=query.copy(), alias=exp.TableAlias(this=exp.Identifier(this="featsql_q", quoted=True))
        ),
        copy=False,
    )
    probe = probe.limit(exp.Literal.number(0), copy=False)
    try:
        schema = await engine.relation_schema(probe.sql(dialect=print_dialect(engine), identify=True))
    except Exception as error:
        raise FeatSQLError(f"Model '{model.name}': cannot read the entity rows: {error}") from error
    return list(schema)


def _is_random(rule: SplitRule) -> bool:
    from featsql.compiler.splits import RandomSplit

    return isinstance(rule, RandomSplit)


def _check_rules(name: str, splits: _Splits) -> None:
    rules = [r for r in (splits.test, splits.validation) if r is not None]
    if splits.stratify and not all(_is_random(r) for r in rules):
        raise FeatSQLError(f"Model '{name}': stratify works with random splits (a size), not with after=")
    sizes = [getattr(r, "fraction", 0.0) for r in rules]
    if sum(sizes) >= 1:
        raise FeatSQLError(
            f"Model '{name}': the split sizes add up to {sum(sizes)}, leaving no training rows"
        )


def _stratify_column(
    model: ir.Model, splits: _Splits, targets: Sequence[str], columns: Sequence[str]
) -> str | None:
    if not splits.stratify:
        return None
    if isinstance(splits.stratify, str):
        column = splits.stratify
    else:
        chosen = splits.target if splits.target is not None else tuple(targets)
        if len(chosen) != 1:
            raise FeatSQLError(
                f"Model '{model.name}': stratify=True needs exactly one target (got "
                f'{", ".join(chosen) or "none"}); name the column: stratify="..."'
            )
        column = chosen[0]
    if column not in columns:
        raise FeatSQLError(f"Model '{model.name}': cannot stratify by '{column}': not an output column")
    return column
