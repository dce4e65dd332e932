-- featsql golden SQL: operation group 'categorical' for duckdb.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: s.one_hot_encode(['Mrs', ''])[0] (NULL -> False)
-- op01: s.one_hot_encode(['Mrs', ''])[1]
-- op02: i.one_hot_encode([7, 0])[1]
-- op03: b.one_hot_encode([True])[0]
-- op04: s.ordinal_categories(['', 'Mrs', 'Mr. Owen Harris']) (unknown -> NULL)
-- op05: i.ordinal_categories([0, 7, -7])
-- op06: d.ordinal_categories([1970-01-01])
SELECT
  CAST("id" AS BIGINT) AS "id",
  COALESCE(CAST("s" AS TEXT) = 'Mrs', FALSE) AS "op00",
  COALESCE(CAST("s" AS TEXT) = '', FALSE) AS "op01",
  COALESCE(CAST("i" AS BIGINT) = 0, FALSE) AS "op02",
  COALESCE(CAST("b" AS BOOLEAN) = TRUE, FALSE) AS "op03",
  CASE
    WHEN CAST("s" AS TEXT) = ''
    THEN 0
    WHEN CAST("s" AS TEXT) = 'Mrs'
    THEN 1
    WHEN CAST("s" AS TEXT) = 'Mr. Owen Harris'
    THEN 2
  END AS "op04",
  CASE
    WHEN CAST("i" AS BIGINT) = 0
    THEN 0
    WHEN CAST("i" AS BIGINT) = 7
    THEN 1
    WHEN CAST("i" AS BIGINT) = -7
    THEN 2
  END AS "op05",
  CASE WHEN CAST("d" AS DATE) = CAST('1970-01-01' AS DATE) THEN 0 END AS "op06"
FROM "featsql_in_memory__operations"
