"""In-warehouse builds: materialisations, the state table, plans and the build runner.

``from featsql.build import Table, Incremental, View`` configures a view
(``FeatureViewMetadata(..., materialization=Table())``); :class:`Builder` (also reached through
``store.build()`` / ``store.plan()``) builds and plans. Heavy modules load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from featsql.build.materializations import Incremental, Materialization, Table, View

if TYPE_CHECKING:
    from featsql.build.planner import Plan, ViewPlan
    from featsql.build.runner import Builder, BuildResult
    from featsql.build.targets import Target

__all__ = [
    "Builder",
    "BuildResult",
    "Incremental",
    "Materialization",
    "Plan",
    "Table",
    "Target",
    "View",
    "ViewPlan",
]

_LAZY = {
    "Builder": "featsql.build.runner",
    "BuildResult": "featsql.build.runner",
    "Plan": "featsql.build.planner",
    "ViewPlan": "featsql.build.planner",
    "Target": "featsql.build.targets",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'featsql.build' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
