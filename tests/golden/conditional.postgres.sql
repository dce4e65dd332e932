-- featsql golden SQL: operation group 'conditional' for postgres.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: b.if_else(i, j) (NULL -> otherwise)
-- op01: if_else(b, s, 'none')
-- op02: if_else(f > 0, f, 0.0)
-- op03: if_else(c, 1, i)
-- op04: if_else(b, d, 2000-01-01)
SELECT
  CAST("id" AS BIGINT) AS "id",
  CASE WHEN CAST("b" AS BOOLEAN) THEN CAST("i" AS BIGINT) ELSE CAST("j" AS BIGINT) END AS "op00",
  CASE WHEN CAST("b" AS BOOLEAN) THEN CAST("s" AS TEXT) ELSE 'none' END AS "op01",
  CASE
    WHEN CAST("f" AS DOUBLE PRECISION) > 0
    THEN CAST("f" AS DOUBLE PRECISION)
    ELSE CAST(0.0 AS DOUBLE PRECISION)
  END AS "op02",
  CASE WHEN CAST("c" AS BOOLEAN) THEN 1 ELSE CAST("i" AS BIGINT) END AS "op03",
  CASE
    WHEN CAST("b" AS BOOLEAN)
    THEN CAST("d" AS DATE)
    ELSE CAST('2000-01-01' AS DATE)
  END AS "op04"
FROM "featsql_in_memory__operations"
