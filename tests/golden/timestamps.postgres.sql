-- featsql golden SQL: operation group 'timestamps' for postgres.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: t.year()
-- op01: t.month()
-- op02: t.day()
-- op03: t.hour()
-- op04: t.minute()
-- op05: t.day_of_week() (ISO)
-- op06: t.day_of_year()
-- op07: t.week() (ISO)
-- op08: t.epoch_seconds()
-- op09: t.seconds_since(u)
-- op10: t.seconds_since(d)
-- op11: t.date()
-- op12: i.as_timestamp('s')
-- op13: i.as_timestamp('ms')
-- op14: i.as_timestamp('us')
-- op15: t.truncate('year')
-- op16: t.truncate('month')
-- op17: t.truncate('week')
-- op18: t.truncate('day')
-- op19: t.truncate('hour')
-- op20: t.truncate('minute')
-- op21: t.truncate('second')
SELECT
  CAST("id" AS BIGINT) AS "id",
  CAST(EXTRACT(YEAR FROM CAST("t" AS TIMESTAMP)) AS INT) AS "op00",
  CAST(EXTRACT(MONTH FROM CAST("t" AS TIMESTAMP)) AS INT) AS "op01",
  CAST(EXTRACT(DAY FROM CAST("t" AS TIMESTAMP)) AS INT) AS "op02",
  CAST(EXTRACT(HOUR FROM CAST("t" AS TIMESTAMP)) AS INT) AS "op03",
  CAST(EXTRACT(MINUTE FROM CAST("t" AS TIMESTAMP)) AS INT) AS "op04",
  CAST(EXTRACT(ISODOW FROM CAST("t" AS TIMESTAMP)) AS INT) AS "op05",
  CAST(EXTRACT(DOY FROM CAST("t" AS TIMESTAMP)) AS INT) AS "op06",
  CAST(EXTRACT(WEEK FROM CAST("t" AS TIMESTAMP)) AS INT) AS "op07",
  CAST(EXTRACT(EPOCH FROM CAST("t" AS TIMESTAMP)) AS DOUBLE PRECISION) AS "op08",
  CAST(EXTRACT(EPOCH FROM CAST("t" AS TIMESTAMP)) - EXTRACT(EPOCH FROM CAST("u" AS TIMESTAMP)) AS DOUBLE PRECISION) AS "op09",
  CAST(EXTRACT(EPOCH FROM CAST("t" AS TIMESTAMP)) - EXTRACT(EPOCH FROM CAST(CAST("d" AS DATE) AS TIMESTAMP)) AS DOUBLE PRECISION) AS "op10",
  CAST(CAST("t" AS TIMESTAMP) AS DATE) AS "op11",
  CAST('1970-01-01 00:00:00' AS TIMESTAMP) + CAST("i" AS BIGINT) * 1000000 * INTERVAL '1 MICROSECOND' AS "op12",
  CAST('1970-01-01 00:00:00' AS TIMESTAMP) + CAST("i" AS BIGINT) * 1000 * INTERVAL '1 MICROSECOND' AS "op13",
  CAST('1970-01-01 00:00:00' AS TIMESTAMP) + CAST("i" AS BIGINT) * INTERVAL '1 MICROSECOND' AS "op14",
  CAST(DATE_TRUNC('YEAR', CAST("t" AS TIMESTAMP)) AS TIMESTAMP) AS "op15",
  CAST(DATE_TRUNC('MONTH', CAST("t" AS TIMESTAMP)) AS TIMESTAMP) AS "op16",
  CAST(DATE_TRUNC('WEEK', CAST("t" AS TIMESTAMP)) AS TIMESTAMP) AS "op17",
  CAST(DATE_TRUNC('DAY', CAST("t" AS TIMESTAMP)) AS TIMESTAMP) AS "op18",
  CAST(DATE_TRUNC('HOUR', CAST("t" AS TIMESTAMP)) AS TIMESTAMP) AS "op19",
  CAST(DATE_TRUNC('MINUTE', CAST("t" AS TIMESTAMP)) AS TIMESTAMP) AS "op20",
  CAST(DATE_TRUNC('SECOND', CAST("t" AS TIMESTAMP)) AS TIMESTAMP) AS "op21"
FROM "featsql_in_memory__operations"
