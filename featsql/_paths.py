"""Where featsql's data files live (no heavy imports: the build path and the compiler share it)."""

from __future__ import annotations

from pathlib import Path


def featsql_dir() -> Path:
    """The installed featsql package."""
    return Path(__file__).resolve().parent


def dialects_dir() -> Path:
    """The dialect tables and templates: inside the wheel, or at the checkout's top level."""
    here = featsql_dir()
    for candidate in (here / "_dialects", here.parent / "dialects"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("featsql's dialect tables (dialects/*.toml) are missing from the install")
