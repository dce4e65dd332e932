"""Exceptions raised by featsql. All derive from :class:`FeatSQLError`."""

from __future__ import annotations


class FeatSQLError(Exception):
    """Base class of every error featsql raises on purpose."""


class FeatureDefinitionError(FeatSQLError, TypeError):
    """A feature view is defined wrongly: mixed types, a bad literal, an unknown reference.

    Raised when the ``FeatureView`` class is created; the message names the view and the feature.
    """


class UnsupportedOperationError(FeatSQLError):
    """An operation has no lowering in the requested dialect (names the operation and the dialect)."""


class SchemaMismatchError(FeatSQLError):
    """The source's real columns do not match what the view declares (names view, column, types)."""


class RepositoryFormatError(FeatSQLError, ValueError):
    """A JSON repository definition is malformed or of an unsupported version."""


class UnknownNameError(FeatSQLError, KeyError):
    """A view, model or feature name that the store does not know."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""
