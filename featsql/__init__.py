"""featsql: one typed definition of every feature, compiled to SQL and run where the data lives.

Heavy dependencies (sqlglot, duckdb, pandas, pyarrow, drivers) are imported on first use, so
``import featsql`` stays cheap.
"""

from featsql.entities import sql, table
from featsql.errors import (
    FeatSQLError,
    FeatureDefinitionError,
    RepositoryFormatError,
    SchemaMismatchError,
    UnknownNameError,
    UnsupportedOperationError,
)
from featsql.feature_base import Feature
from featsql.feature_types import (
    Bool,
    Date,
    Float,
    Float32,
    Float64,
    Int8,
    Int16,
    Int32,
    Int64,
    String,
    Timestamp,
)
from featsql.functions import if_else
from featsql.model import Model
from featsql.sources import (
    BatchSource,
    DuckDBConfig,
    FileSource,
    InMemorySource,
    PostgreSQLConfig,
    RedshiftSQLConfig,
)
from featsql.store import FeatureStore, FeatureViewStore, RetrievalJob
from featsql.training_set import DataSplit, TrainTestSet
from featsql.view import (
    CreatedTimestamp,
    Entity,
    EventTimestamp,
    FeatureSelection,
    FeatureView,
    FeatureViewMetadata,
)

__version__ = "0.1.0"

__all__ = [
    "BatchSource",
    "Bool",
    "Date",
    "DuckDBConfig",
    "Entity",
    "CreatedTimestamp",
    "DataSplit",
    "EventTimestamp",
    "Model",
    "TrainTestSet",
    "FeatSQLError",
    "Feature",
    "FeatureDefinitionError",
    "FeatureSelection",
    "FeatureStore",
    "FeatureView",
    "FeatureViewMetadata",
    "FeatureViewStore",
    "FileSource",
    "Float",
    "Float32",
    "Float64",
    "InMemorySource",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "PostgreSQLConfig",
    "RedshiftSQLConfig",
    "RepositoryFormatError",
    "RetrievalJob",
    "SchemaMismatchError",
    "String",
    "Timestamp",
    "UnknownNameError",
    "UnsupportedOperationError",
    "if_else",
    "sql",
    "table",
]
