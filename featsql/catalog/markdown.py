"""The catalog as Markdown: one section per view, one table row per feature."""

from __future__ import annotations

from typing import Any, Iterable

from featsql import ir
from featsql.catalog.model import catalog_data


def _cell(text: Any) -> str:
    value = "" if text is None else str(text)
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code_list(items: list[str]) -> str:
    return ", ".join(f"`{_cell(i)}`" for i in items)


def to_markdown(views: Iterable[ir.View]) -> str:
    """The catalog as a Markdown document."""
    data = catalog_data(views)
    out = ["# Feature catalog", ""]
    out.append(f"{len(data['views'])} views, {sum(len(v['features']) for v in data['views'])} features.")
    out.append("")
    for view in data["views"]:
        out.append(f"## {view['name']}")
        out.append("")
        if view["description"]:
            out.extend([_cell(view["description"]), ""])
        source = view["source"]
        out.append(f"- Source: {source['kind']} `{_cell(source['location'])}` ({source['dialect']})")
        if view["entities"]:
            out.append(f"- Entities: {_code_list(view['entities'])}")
        if view["event_timestamp"]:
            out.append(f"- Event timestamp: `{view['event_timestamp']}`")
        if view["tags"]:
            out.append(f"- Tags: {', '.join(_cell(t) for t in view['tags'])}")
        out.append("")
        out.append("| feature | dtype | description | tags | constraints | lineage |")
        out.append("|---|---|---|---|---|---|")
        for f in view["features"]:
            role = "" if f["role"] == "feature" else f" ({f['role'].replace('_', ' ')})"
            lineage = f"source: {_code_list(f['source_columns'])}" if f["source_columns"] else ""
            if f["depends_on"]:
                lineage += f"; uses: {_code_list(f['depends_on'])}"
            out.append(
                f"| `{f['name']}`{role} | {f['dtype']} | {_cell(f['description'])} | "
                f"{_cell(', '.join(f['tags']))} | {_code_list(f['constraints'])} | {lineage} |"
            )
        out.append("")
    return "\n".join(out)
