"""Execution engines: one small interface, one implementation per warehouse."""

from featsql.engines.base import Engine

__all__ = ["Engine"]
