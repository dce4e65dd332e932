-- featsql golden SQL: operation group 'comparisons' for duckdb.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: i == j
-- op01: i != j
-- op02: i < j
-- op03: i <= j
-- op04: i > j
-- op05: i >= j
-- op06: i > 2.5
-- op07: i < g
-- op08: f > 0 (NaN is the greatest)
-- op09: f <= g
-- op10: f == f (NaN equals NaN)
-- op11: s < 'N' (code point order)
-- op12: s == s2
-- op13: s >= s2
-- op14: b == c
-- op15: b != True
-- op16: d >= 2024-01-01
-- op17: d < 1970-01-01
-- op18: t == u
-- op19: t > 2024-01-01 00:00
SELECT
  CAST("id" AS BIGINT) AS "id",
  CAST("i" AS BIGINT) = CAST("j" AS BIGINT) AS "op00",
  CAST("i" AS BIGINT) <> CAST("j" AS BIGINT) AS "op01",
  CAST("i" AS BIGINT) < CAST("j" AS BIGINT) AS "op02",
  CAST("i" AS BIGINT) <= CAST("j" AS BIGINT) AS "op03",
  CAST("i" AS BIGINT) > CAST("j" AS BIGINT) AS "op04",
  CAST("i" AS BIGINT) >= CAST("j" AS BIGINT) AS "op05",
  CAST("i" AS BIGINT) > CAST(2.5 AS DOUBLE) AS "op06",
  CAST("i" AS BIGINT) < CAST("g" AS DOUBLE) AS "op07",
  CAST("f" AS DOUBLE) > 0 AS "op08",
  CAST("f" AS DOUBLE) <= CAST("g" AS DOUBLE) AS "op09",
  CAST("f" AS DOUBLE) = CAST("f" AS DOUBLE) AS "op10",
  CAST("s" AS TEXT) < 'N' AS "op11",
  CAST("s" AS TEXT) = CAST("s2" AS TEXT) AS "op12",
  CAST("s" AS TEXT) >= CAST("s2" AS TEXT) AS "op13",
  CAST("b" AS BOOLEAN) = CAST("c" AS BOOLEAN) AS "op14",
  CAST("b" AS BOOLEAN) <> TRUE AS "op15",
  CAST("d" AS DATE) >= CAST('2024-01-01' AS DATE) AS "op16",
  CAST("d" AS DATE) < CAST('1970-01-01' AS DATE) AS "op17",
  CAST("t" AS TIMESTAMP) = CAST("u" AS TIMESTAMP) AS "op18",
  CAST("t" AS TIMESTAMP) > CAST('2024-01-01 00:00:00' AS TIMESTAMP) AS "op19"
FROM "featsql_in_memory__operations"
