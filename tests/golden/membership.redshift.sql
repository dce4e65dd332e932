-- featsql golden SQL: operation group 'membership' for redshift.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: i.is_in([7, 0, -1])
-- op01: i.is_in([])
-- op02: s.is_in(['', 'Mrs'])
-- op03: s.is_in([])
-- op04: f.is_in([2.5, 0.5])
-- op05: d.is_in([2024-02-29])
-- op06: i.between(-3, 5)
-- op07: f.between(-1.0, 1.0)
-- op08: s.between('M', 'N')
-- op09: d.between(1970-01-01, 2023-12-31)
-- op10: t.between(u, 2024-06-30)
SELECT
  CAST("id" AS BIGINT) AS "id",
  CAST("i" AS BIGINT) IN (7, 0, -1) AS "op00",
  CASE WHEN CAST("i" AS BIGINT) IS NULL THEN NULL ELSE FALSE END AS "op01",
  CAST("s" AS VARCHAR(65535)) IN ('', 'Mrs') AS "op02",
  CASE WHEN CAST("s" AS VARCHAR(65535)) IS NULL THEN NULL ELSE FALSE END AS "op03",
  CAST("f" AS DOUBLE PRECISION) IN (CAST(2.5 AS DOUBLE PRECISION), CAST(0.5 AS DOUBLE PRECISION)) AS "op04",
  CAST("d" AS DATE) IN (CAST('2024-02-29' AS DATE)) AS "op05",
  CAST("i" AS BIGINT) BETWEEN -3 AND 5 AS "op06",
  CAST("f" AS DOUBLE PRECISION) BETWEEN CAST(-1.0 AS DOUBLE PRECISION) AND CAST(1.0 AS DOUBLE PRECISION) AS "op07",
  CAST("s" AS VARCHAR(65535)) BETWEEN 'M' AND 'N' AS "op08",
  CAST("d" AS DATE) BETWEEN CAST('1970-01-01' AS DATE) AND CAST('2023-12-31' AS DATE) AS "op09",
  CAST("t" AS TIMESTAMP) BETWEEN CAST("u" AS TIMESTAMP) AND CAST('2024-06-30 00:00:00' AS TIMESTAMP) AS "op10"
FROM "featsql_in_memory__operations"
