"""The intermediate representation: small frozen dataclasses, the single source of truth.

Expressions are trees of six node kinds. They reference a view's other features by name
(:class:`Ref`) and its source's columns by name (:class:`Col`), so a view is a flat list of named
features whose dependency graph the compiler can walk. Everything here is plain data: it
serialises to JSON (see :mod:`featsql.repository`) and back without loss.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union

LiteralValue = Union[None, bool, int, float, str]


@dataclass(frozen=True, slots=True)
class Col:
    """A column of the view's source, by its name after ``mapping_keys``, read as ``dtype``."""

    name: str
    dtype: str


@dataclass(frozen=True, slots=True)
class Ref:
    """Another feature of the same view, by name."""

    name: str


@dataclass(frozen=True, slots=True)
class Lit:
    """A literal. Dates and timestamps are ISO-8601 strings with dtype ``date`` / ``timestamp``."""

    value: LiteralValue
    dtype: str


@dataclass(frozen=True, slots=True)
class Call:
    """An operation from the dialect tables (``add``, ``contains``, ``day_of_week`` ...)."""

    op: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Case:
    """``CASE WHEN c1 THEN v1 ... ELSE default END``; a missing default is NULL."""

    whens: tuple[tuple[Expr, Expr], ...]
    default: Expr | None = None


@dataclass(frozen=True, slots=True)
class InList:
    """``arg IN (v1, v2, ...)``; an empty list is FALSE (NULL when ``arg`` is NULL)."""

    arg: Expr
    values: tuple[Lit, ...]


@dataclass(frozen=True, slots=True)
class Cast:
    """Convert ``arg`` from ``from_`` to ``to``; the dialect tables say how per type family."""

    arg: Expr
    from_: str
    to: str


Expr = Union[Col, Ref, Lit, Call, Case, InList, Cast]


@dataclass(frozen=True, slots=True)
class Constraint:
    """A declared check on a feature's value: ``required``, ``lower_bound``, ``accepted_values`` ..."""

    kind: str
    value: LiteralValue | tuple[LiteralValue, ...] = None


@dataclass(frozen=True, slots=True)
class Feature:
    """A named feature of a view.

    ``role`` is ``"entity"``, ``"event_timestamp"``, ``"created_timestamp"`` (breaks ties between
    rows with the same event time in point-in-time joins) or ``"feature"``. ``ttl_seconds`` is set on an
    event timestamp with a time-to-live.
    """

    name: str
    dtype: str
    expr: Expr
    role: str = "feature"
    description: str | None = None
    tags: tuple[str, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    ttl_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """Where a view's rows come from.

    ``kind`` is one of ``csv``, ``parquet``, ``duckdb_table``, ``postgres_table``, ``postgres_query``,
    ``redshift_table``, ``redshift_query``, ``in_memory``. ``location`` is a path, a table name or a
    query. ``config`` holds the DuckDB database path or the *name* of the environment variable that
    holds a connection string, never the credentials themselves.
    """

    kind: str
    location: str
    mapping_keys: tuple[tuple[str, str], ...] = ()
    config: str | None = None
    options: tuple[tuple[str, str], ...] = ()

    @property
    def dialect(self) -> str:
        return SOURCE_DIALECTS[self.kind]

    def source_column(self, name: str) -> str:
        """The source's own column name for a (mapped) feature-side column name."""
        for source_name, mapped in self.mapping_keys:
            if mapped == name:
                return source_name
        return name


SOURCE_DIALECTS: dict[str, str] = {
    "csv": "duckdb",
    "parquet": "duckdb",
    "duckdb_table": "duckdb",
    "in_memory": "duckdb",
    "postgres_table": "postgres",
    "postgres_query": "postgres",
    "redshift_table": "redshift",
    "redshift_query": "redshift",
}


@dataclass(frozen=True, slots=True)
class Materialization:
    """How ``featsql build`` materialises a view in the warehouse (see featsql.build).

    ``kind`` is ``"view"``, ``"table"`` or ``"incremental"``. An incremental build re-builds
    half-open event-time windows of ``window_seconds`` (aligned to the Unix epoch, UTC), including
    the last ``lookback`` windows already built (late data). ``grants`` are roles given SELECT;
    ``dist_key`` / ``sort_keys`` are Redshift table options (feature names).
    """

    kind: str = "view"
    window_seconds: float | None = None
    lookback: int = 0
    grants: tuple[str, ...] = ()
    dist_key: str | None = None
    sort_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class View:
    """A feature view: a source and its features in declaration order."""

    name: str
    source: Source
    features: tuple[Feature, ...]
    description: str | None = None
    tags: tuple[str, ...] = ()
    materialization: Materialization | None = None
    _index: dict[str, Feature] = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        self._index.update({f.name: f for f in self.features})

    def feature(self, name: str) -> Feature:
        return self._index[name]

    def has_feature(self, name: str) -> bool:
        return name in self._index

    @property
    def entities(self) -> tuple[Feature, ...]:
        return tuple(f for f in self.features if f.role == "entity")

    @property
    def event_timestamp(self) -> Feature | None:
        return next((f for f in self.features if f.role == "event_timestamp"), None)

    @property
    def created_timestamp(self) -> Feature | None:
        return next((f for f in self.features if f.role == "created_timestamp"), None)


@dataclass(frozen=True, slots=True)
class FeatureRef:
    """A feature of a view, by the view's and the feature's names."""

    view: str
    name: str


@dataclass(frozen=True, slots=True)
class Model:
    """A model: the features it reads (from any views) and, for training, its targets."""

    name: str
    features: tuple[FeatureRef, ...]
    targets: tuple[FeatureRef, ...] = ()
    description: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def view_names(self) -> tuple[str, ...]:
        """The views the model reads, in first-use order (features first, then targets)."""
        return tuple(dict.fromkeys(ref.view for ref in (*self.features, *self.targets)))


def walk(expr: Expr) -> Iterator[Expr]:
    """Yield ``expr`` and every node below it, depth first."""
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Call):
            stack.extend(reversed(node.args))
        elif isinstance(node, Case):
            if node.default is not None:
                stack.append(node.default)
            for cond, value in reversed(node.whens):
                stack.append(value)
                stack.append(cond)
        elif isinstance(node, InList):
            stack.extend(reversed(node.values))
            stack.append(node.arg)
        elif isinstance(node, Cast):
            stack.append(node.arg)


def refs(expr: Expr) -> list[str]:
    """Names of the features ``expr`` references directly, in first-use order, without repeats."""
    seen: dict[str, None] = {}
    for node in walk(expr):
        if isinstance(node, Ref):
            seen.setdefault(node.name, None)
    return list(seen)


def columns(expr: Expr) -> list[str]:
    """Names of the source columns ``expr`` reads directly."""
    seen: dict[str, None] = {}
    for node in walk(expr):
        if isinstance(node, Col):
            seen.setdefault(node.name, None)
    return list(seen)
