"""``FeatureView`` classes: class creation collects the typed features into an IR view.

Names are only known once the class body has run, so this is where pending expressions become IR:
a reference to another attribute of the class becomes ``Ref(name)``, an unnamed input such as the
``Float()`` in ``age = Float().fill_na(0)`` reads the source column named like the attribute
(``Col("age")``), and anonymous sub-expressions are inlined.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Sequence, TypeVar

from featsql import ir
from featsql.errors import FeatureDefinitionError
from featsql.feature_base import Feature, Pending
from featsql.feature_types import Timestamp
from featsql.sources import BatchSource

if TYPE_CHECKING:
    from typing_extensions import Self

    from featsql.build.materializations import Materialization

F = TypeVar("F", bound=Feature)


@dataclass(frozen=True)
class FeatureViewMetadata:
    """Name, description and source of a feature view."""

    name: str
    batch_source: BatchSource
    description: str | None = None
    tags: Sequence[str] = field(default_factory=tuple)
    materialization: Materialization | None = None
    """How ``featsql build`` materialises the view: ``View()``, ``Table()`` or ``Incremental(...)``
    from :mod:`featsql.build` (default: a SQL view)."""


def Entity(dtype: F) -> F:  # noqa: N802 - reads like a declaration in a class body
    """Declare an entity key of the view: ``passenger_id = Entity(dtype=Int32())``."""
    if not isinstance(dtype, Feature):
        raise TypeError(f"Entity(dtype=...) takes a feature type such as Int32(), got {dtype!r}")
    new = dtype._copy()
    new._role = "entity"
    return new


def EventTimestamp(  # noqa: N802
    ttl: _dt.timedelta | None = None, dtype: Timestamp | None = None
) -> Timestamp:
    """Declare the view's event time (UTC). ``ttl``: how old a value may be and still count."""
    new = (dtype if dtype is not None else Timestamp())._copy()
    new._role = "event_timestamp"
    new._ttl = ttl.total_seconds() if ttl is not None else None
    return new


def CreatedTimestamp(dtype: Timestamp | None = None) -> Timestamp:  # noqa: N802
    """Declare when a row was written (UTC). Among rows with the same event time, a point-in-time
    join takes the one created last: ``created = CreatedTimestamp()``."""
    new = (dtype if dtype is not None else Timestamp())._copy()
    new._role = "created_timestamp"
    return new


class FeatureSelection:
    """Some features of one view, as chosen by ``View.select(lambda view: [...])``."""

    def __init__(self, view: type[FeatureView], names: Sequence[str]) -> None:
        self.view = view
        self.names = tuple(names)

    @property
    def view_name(self) -> str:
        return self.view.metadata.name


class FeatureView:
    """Base class of feature views. Subclass it with a ``metadata`` and typed features."""

    metadata: ClassVar[FeatureViewMetadata]
    __featsql_view__: ClassVar[ir.View]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__featsql_view__ = _build_view(cls)

    @classmethod
    def ir(cls) -> ir.View:
        """The view's IR (plain data)."""
        return cls.__featsql_view__

    @classmethod
    def select(cls, chooser: Callable[[Self], Sequence[Feature]]) -> FeatureSelection:
        """Choose features for a model: ``View.select(lambda view: [view.age, view.is_mr])``."""
        chosen = chooser(cls())
        names = {id(value): name for name, value in vars(cls).items() if isinstance(value, Feature)}
        out = []
        for feature in chosen:
            if id(feature) not in names:
                raise FeatureDefinitionError(
                    f"View '{cls.metadata.name}': select() must return features of this view"
                )
            out.append(names[id(feature)])
        return FeatureSelection(cls, out)


def _build_view(cls: type[FeatureView]) -> ir.View:
    metadata = cls.__dict__.get("metadata")
    if not isinstance(metadata, FeatureViewMetadata):
        raise FeatureDefinitionError(
            f"FeatureView '{cls.__name__}' needs `metadata = FeatureViewMetadata(name=..., batch_source=...)`"
        )
    view_name = metadata.name
    if not isinstance(metadata.batch_source, BatchSource):
        raise FeatureDefinitionError(
            f"View '{view_name}': batch_source must be a source such as FileSource.csv_at(...), "
            f"got {type(metadata.batch_source).__name__}"
        )
    attrs = [(name, value) for name, value in vars(cls).items() if isinstance(value, Feature)]
    names: dict[int, str] = {}
    for name, value in attrs:
        names.setdefault(id(value), name)
    features = []
    for name, value in attrs:
        if names[id(value)] != name:  # the same object under a second name: an alias
            expr: ir.Expr = ir.Ref(names[id(value)])
        else:
            expr = _Converter(view_name, name, names).root(value)
        features.append(
            ir.Feature(
                name=name,
                dtype=value._dtype,
                expr=expr,
                role=value._role,
                description=value._description,
                tags=value._tags,
                constraints=value._constraints,
                ttl_seconds=value._ttl,
            )
        )
    if sum(f.role == "event_timestamp" for f in features) > 1:
        raise FeatureDefinitionError(f"View '{view_name}' declares more than one EventTimestamp")
    if sum(f.role == "created_timestamp" for f in features) > 1:
        raise FeatureDefinitionError(f"View '{view_name}' declares more than one CreatedTimestamp")
    materialization = None if metadata.materialization is None else metadata.materialization.ir
    view = ir.View(
        view_name,
        metadata.batch_source.ir,
        tuple(features),
        metadata.description,
        tuple(metadata.tags),
        materialization,
    )
    _check_acyclic(view)
    if materialization is not None:
        from featsql.build.materializations import check_materialization

        check_materialization(view)
    for _, value in attrs:
        value._owner = view_name
    return view


class _Converter:
    """Turns one attribute's pending expression into IR, resolving names."""

    def __init__(self, view: str, root_name: str, names: dict[int, str]) -> None:
        self.view, self.root_name, self.names = view, root_name, names
        self.anonymous_input: Feature | None = None

    def fail(self, message: str) -> FeatureDefinitionError:
        return FeatureDefinitionError(f"View '{self.view}', feature '{self.root_name}': {message}")

    def root(self, feature: Feature) -> ir.Expr:
        self._check(feature)
        if feature._expr is None:
            return ir.Col(self.root_name, feature._dtype)
        return self.convert(feature._expr)

    def _check(self, feature: Feature) -> None:
        if feature._error:
            raise self.fail(feature._error)
        if feature._owner is not None and feature._owner != self.view:
            raise self.fail(
                f"uses a feature of view '{feature._owner}'; a view may only use its own features "
                "(combine views in a Model instead)"
            )

    def convert(self, node: Any) -> ir.Expr:
        if isinstance(node, Pending):
            feature = node.feature
            self._check(feature)
            name = self.names.get(id(feature))
            if name is not None:
                if name == self.root_name:
                    raise self.fail("refers to itself")
                return ir.Ref(name)
            if feature._expr is None:
                if self.anonymous_input is not None and self.anonymous_input is not feature:
                    raise self.fail("reads two unnamed input columns; give each input its own attribute")
                self.anonymous_input = feature
                return ir.Col(self.root_name, feature._dtype)
            return self.convert(feature._expr)
        if isinstance(node, ir.Call):
            return ir.Call(node.op, tuple(self.convert(a) for a in node.args))
        if isinstance(node, ir.Case):
            whens = tuple((self.convert(c), self.convert(v)) for c, v in node.whens)
            default = None if node.default is None else self.convert(node.default)
            return ir.Case(whens, default)
        if isinstance(node, ir.InList):
            return ir.InList(self.convert(node.arg), node.values)
        if isinstance(node, ir.Cast):
            return ir.Cast(self.convert(node.arg), node.from_, node.to)
        if isinstance(node, (ir.Lit, ir.Col, ir.Ref)):
            return node
        raise self.fail(f"cannot use {node!r} in an expression")


def _check_acyclic(view: ir.View) -> None:
    state: dict[str, int] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise FeatureDefinitionError(f"View '{view.name}': cyclic features {' -> '.join(path)}")
        state[name] = 1
        for dep in ir.refs(view.feature(name).expr):
            visit(dep, (*path, dep))
        state[name] = 2

    for feature in view.features:
        visit(feature.name, (feature.name,))
