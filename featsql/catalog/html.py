"""The catalog as one self-contained HTML page: inline CSS and JS, no network, a search box."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from featsql import ir
from featsql.catalog.model import catalog_data

if TYPE_CHECKING:
    import jinja2

TEMPLATE = Path(__file__).with_name("page.html.j2")


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    import jinja2

    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.from_string(TEMPLATE.read_text(encoding="utf-8"))


def to_html(views: Iterable[ir.View], title: str = "featsql feature catalog") -> str:
    """The catalog page: one table per view; typing in the search box filters the features."""
    data = catalog_data(views)
    n_features = sum(len(v["features"]) for v in data["views"])
    return _template().render(title=title, views=data["views"], n_features=n_features)
