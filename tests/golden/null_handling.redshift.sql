-- featsql golden SQL: operation group 'null_handling' for redshift.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: i.is_null()
-- op01: f.is_null() (NaN is not NULL)
-- op02: s.is_null() ('' is not NULL)
-- op03: b.is_not_null()
-- op04: t.is_not_null()
-- op05: i.fill_na(0)
-- op06: f.fill_na(0.0) (keeps NaN)
-- op07: s.fill_na('?')
-- op08: b.fill_na(False)
-- op09: d.fill_na(2000-01-01)
-- op10: t.fill_na(1999-12-31 12:00)
-- op11: i.fill_na(j)
-- op12: f.fill_na(g)
-- op13: f.fill_na(i)
-- op14: s.fill_na(s2)
-- op15: t.fill_na(u)
SELECT
  CAST("id" AS BIGINT) AS "id",
  CAST("i" AS BIGINT) IS NULL AS "op00",
  CAST("f" AS DOUBLE PRECISION) IS NULL AS "op01",
  CAST("s" AS VARCHAR(65535)) IS NULL AS "op02",
  NOT CAST("b" AS BOOLEAN) IS NULL AS "op03",
  NOT CAST("t" AS TIMESTAMP) IS NULL AS "op04",
  COALESCE(CAST("i" AS BIGINT), 0) AS "op05",
  COALESCE(CAST("f" AS DOUBLE PRECISION), CAST(0.0 AS DOUBLE PRECISION)) AS "op06",
  COALESCE(CAST("s" AS VARCHAR(65535)), '?') AS "op07",
  COALESCE(CAST("b" AS BOOLEAN), FALSE) AS "op08",
  COALESCE(CAST("d" AS DATE), CAST('2000-01-01' AS DATE)) AS "op09",
  COALESCE(CAST("t" AS TIMESTAMP), CAST('1999-12-31 12:00:00' AS TIMESTAMP)) AS "op10",
  COALESCE(CAST("i" AS BIGINT), CAST("j" AS BIGINT)) AS "op11",
  COALESCE(CAST("f" AS DOUBLE PRECISION), CAST("g" AS DOUBLE PRECISION)) AS "op12",
  COALESCE(CAST("f" AS DOUBLE PRECISION), CAST("i" AS BIGINT)) AS "op13",
  COALESCE(CAST("s" AS VARCHAR(65535)), CAST("s2" AS VARCHAR(65535))) AS "op14",
  COALESCE(CAST("t" AS TIMESTAMP), CAST("u" AS TIMESTAMP)) AS "op15"
FROM "featsql_in_memory__operations"
