"""Statements rendered from the dialect templates: quoting, literals, Redshift table options,
grants; plus a real failing GRANT on PostgreSQL rolling a swap back."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from featsql import (
    DuckDBConfig,
    Entity,
    FeatureDefinitionError,
    FeatureView,
    FeatureViewMetadata,
    Float,
    Int64,
    RedshiftSQLConfig,
    String,
)
from featsql.build import Builder, Incremental, Table, Target
from featsql.build.compile import compile_view
from featsql.build.render import renderer
from featsql.build.targets import TargetError, load_targets, resolve_target
from tests.build_helpers import PG_ENV, PostgresBackend


class FakeWarehouse:
    """Answers the schema probe and the zero-row check without a server."""

    def __init__(self, dialect: str, schema: dict[str, str]) -> None:
        self.dialect, self.schema, self.seen = dialect, schema, []

    async def column_types(self, sql: str) -> dict[str, str]:
        return self.schema

    async def fetch(self, sql: str) -> list[Any]:
        self.seen.append(sql)
        return []


def tricky_view(materialization: Any, duckdb: bool = False) -> Any:
    source = (
        DuckDBConfig(":memory:").table("raw.orders")
        if duckdb
        else RedshiftSQLConfig("RS").table("raw.orders")
    )

    class Odd(FeatureView):
        metadata = FeatureViewMetadata(
            name='we"ird view',
            description="it's {{ odd }}",
            batch_source=source,
            materialization=materialization,
        )
        order_id = Entity(dtype=Int64())
        amount = Float().description("Amount; 'quoted' \\ backslash")
        status = String()

    return Odd.ir()


def compiled(view: Any, dialect: str = "redshift") -> Any:
    wh = FakeWarehouse(dialect, {"order_id": "int64", "amount": "float64", "status": "string"})
    target = Target(dialect, dialect, env="RS", schema="feat")
    return asyncio.run(compile_view(view, target, renderer(dialect), wh))  # type: ignore[arg-type]


def test_redshift_table_options_grants_and_comments() -> None:
    cv = compiled(
        tricky_view(Table(grants=["analyst"], dist_key="order_id", sort_keys=["order_id", "status"]))
    )
    create = cv.create_statement(cv.tmp_relation)
    assert create.startswith(
        f'CREATE TABLE "feat"."{cv.tmp_name}" DISTKEY("order_id") SORTKEY("order_id", "status") AS\n'
    )
    meta = cv.metadata_statements()
    assert meta == [  # Redshift string literals escape with backslashes (sqlglot's redshift printer)
        'COMMENT ON TABLE "feat"."we""ird view" IS \'it\\\'s {{ odd }}\'',
        'COMMENT ON COLUMN "feat"."we""ird view"."amount" IS \'Amount; \\\'quoted\\\' \\\\ backslash\'',
        'GRANT SELECT ON "feat"."we""ird view" TO "analyst"',
    ]
    assert 'FROM "raw"."orders"' in cv.select_sql


def test_duckdb_renders_no_grant_and_windows_are_literals() -> None:
    cv = compiled(tricky_view(Table(grants=["analyst"]), duckdb=True), "duckdb")
    assert not any(s.startswith("GRANT") for s in cv.metadata_statements())
    r = renderer("duckdb")
    sql = r.render(
        "delete_window",
        relation=cv.relation,
        column=r.ident("ts"),
        start=r.timestamp(dt.datetime(2024, 1, 1)),
        end=r.timestamp(dt.datetime(2024, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
    )
    assert sql == (
        'DELETE FROM "feat"."we""ird view" WHERE "ts" >= CAST(\'2024-01-01 00:00:00\' AS TIMESTAMP) '
        "AND \"ts\" < CAST('2024-01-01 22:00:00' AS TIMESTAMP)"
    )


def test_same_definitions_same_fingerprint_and_sql() -> None:
    a, b = compiled(tricky_view(Table())), compiled(tricky_view(Table()))
    assert a.definition_sql == b.definition_sql and a.fingerprint == b.fingerprint
    assert compiled(tricky_view(Table(grants=["x"]))).data_fingerprint == a.data_fingerprint
    assert compiled(tricky_view(Table(grants=["x"]))).fingerprint != a.fingerprint


def test_materialization_errors_name_the_view() -> None:
    with pytest.raises(FeatureDefinitionError, match="View 'we\"ird view'.*EventTimestamp"):
        tricky_view(Incremental())
    with pytest.raises(FeatureDefinitionError, match="dist/sort key 'nope' is not a feature"):
        tricky_view(Table(dist_key="nope"))


def test_targets_file(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "featsql_targets.toml"
    file.write_text(
        'default = "dev"\n[targets.dev]\ndialect = "duckdb"\npath = "wh.duckdb"\n'
        '[targets.prod]\ndialect = "postgres"\nenv = "PROD_DSN"\nschema = "features"\n'
    )
    targets, default = load_targets(file)
    assert default == "dev" and targets["dev"].path == str(tmp_path / "wh.duckdb")
    assert resolve_target("prod", [], file).schema == "features"
    monkeypatch.delenv("PROD_DSN", raising=False)
    with pytest.raises(TargetError, match="PROD_DSN"):
        resolve_target("prod", [], file).dsn()
    with pytest.raises(TargetError, match="no target named 'qa'"):
        resolve_target("qa", [], file)
    file.write_text('[targets.bad]\ndialect = "oracle"\n')
    with pytest.raises(TargetError, match="dialect must be one of"):
        load_targets(file)


def test_postgres_failing_grant_rolls_the_swap_back(
    postgres_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PG_ENV, postgres_dsn)
    b = PostgresBackend(postgres_dsn)
    try:
        b.execute(f"CREATE TABLE {b.rel('raw')} (order_id BIGINT, amount DOUBLE PRECISION)")
        b.execute(f"INSERT INTO {b.rel('raw')} VALUES (1, 2.5)")

        def view(grants: list[str], factor: float) -> Any:
            class Orders(FeatureView):
                metadata = FeatureViewMetadata(
                    name="orders", batch_source=b.source("raw"), materialization=Table(grants=grants)
                )
                order_id = Entity(dtype=Int64())
                amount = Float()
                scaled = amount * factor

            return Orders.ir()

        assert Builder([view([], 2.0)], b.target()).build_sync().ok
        result = Builder([view(["featsql_no_such_role_x"], 3.0)], b.target()).build_sync()
        assert not result.ok and "featsql_no_such_role_x" in result.results[0].message
        assert b.rows(f"SELECT scaled FROM {b.rel('orders')}") == [(5.0,)]
        assert not [
            r
            for r in b.rows(
                f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{b.schema}'"
            )
            if r[0].startswith("featsql_tmp_")
        ]
    finally:
        b.close()
