-- featsql golden SQL: operation group 'dates' for duckdb.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: d.year()
-- op01: d.month()
-- op02: d.day()
-- op03: d.day_of_week() (ISO)
-- op04: d.day_of_year()
-- op05: d.week() (ISO)
-- op06: d.epoch_seconds()
-- op07: d.seconds_since(t)
-- op08: d.truncate('year')
-- op09: d.truncate('month')
-- op10: d.truncate('week')
-- op11: d.truncate('day')
SELECT
  CAST("id" AS BIGINT) AS "id",
  CAST(EXTRACT(YEAR FROM CAST("d" AS DATE)) AS INT) AS "op00",
  CAST(EXTRACT(MONTH FROM CAST("d" AS DATE)) AS INT) AS "op01",
  CAST(EXTRACT(DAY FROM CAST("d" AS DATE)) AS INT) AS "op02",
  CAST(ISODOW(CAST("d" AS DATE)) AS INT) AS "op03",
  CAST(EXTRACT(DAYOFYEAR FROM CAST("d" AS DATE)) AS INT) AS "op04",
  CAST(EXTRACT(WEEK FROM CAST("d" AS DATE)) AS INT) AS "op05",
  CAST(EPOCH_US(CAST(CAST("d" AS DATE) AS TIMESTAMP)) AS DOUBLE) / 1000000 AS "op06",
  CAST(EPOCH_US(CAST(CAST("d" AS DATE) AS TIMESTAMP)) - EPOCH_US(CAST("t" AS TIMESTAMP)) AS DOUBLE) / 1000000 AS "op07",
  CAST(DATE_TRUNC('YEAR', CAST("d" AS DATE)) AS DATE) AS "op08",
  CAST(DATE_TRUNC('MONTH', CAST("d" AS DATE)) AS DATE) AS "op09",
  CAST(DATE_TRUNC('WEEK', CAST("d" AS DATE)) AS DATE) AS "op10",
  CAST(DATE_TRUNC('DAY', CAST("d" AS DATE)) AS DATE) AS "op11"
FROM "featsql_in_memory__operations"
