-- featsql golden SQL: operation group 'dates' for postgres.
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
  CAST(EXTRACT(ISODOW FROM CAST("d" AS DATE)) AS INT) AS "op03",
  CAST(EXTRACT(DOY FROM CAST("d" AS DATE)) AS INT) AS "op04",
  CAST(EXTRACT(WEEK FROM CAST("d" AS DATE)) AS INT) AS "op05",
  CAST(EXTRACT(EPOCH FROM CAST(CAST("d" AS DATE) AS TIMESTAMP)) AS DOUBLE PRECISION) AS "op06",
  CAST(EXTRACT(EPOCH FROM CAST(CAST("d" AS DATE) AS TIMESTAMP)) - EXTRACT(EPOCH FROM CAST("t" AS TIMESTAMP)) AS DOUBLE PRECISION) AS "op07",
  CAST(DATE_TRUNC('YEAR', CAST(CAST("d" AS DATE) AS TIMESTAMP)) AS DATE) AS "op08",
  CAST(DATE_TRUNC('MONTH', CAST(CAST("d" AS DATE) AS TIMESTAMP)) AS DATE) AS "op09",
  CAST(DATE_TRUNC('WEEK', CAST(CAST("d" AS DATE) AS TIMESTAMP)) AS DATE) AS "op10",
  CAST(DATE_TRUNC('DAY', CAST(CAST("d" AS DATE) AS TIMESTAMP)) AS DATE) AS "op11"
FROM "featsql_in_memory__operations"
