"""The feature catalog: every view and feature with dtype, description, tags, constraints, source
and lineage, as JSON (:func:`to_json`), Markdown (:func:`to_markdown`) and a self-contained HTML
page with a search box (:func:`to_html`). See docs/catalog.md."""

from featsql.catalog.html import to_html
from featsql.catalog.lineage import feature_dependencies, source_columns
from featsql.catalog.markdown import to_markdown
from featsql.catalog.model import catalog_data, to_json

FORMATS = ("json", "md", "html")

__all__ = [
    "FORMATS",
    "catalog_data",
    "feature_dependencies",
    "source_columns",
    "to_html",
    "to_json",
    "to_markdown",
]
