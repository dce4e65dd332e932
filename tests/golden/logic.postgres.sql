-- featsql golden SQL: operation group 'logic' for postgres.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: b & c
-- op01: b | c
-- op02: ~b
-- op03: b & True
-- op04: False | c
-- op05: (i > 0) & ~(f > 1)
SELECT
  CAST("id" AS BIGINT) AS "id",
  CAST("b" AS BOOLEAN) AND CAST("c" AS BOOLEAN) AS "op00",
  CAST("b" AS BOOLEAN) OR CAST("c" AS BOOLEAN) AS "op01",
  NOT CAST("b" AS BOOLEAN) AS "op02",
  CAST("b" AS BOOLEAN) AND TRUE AS "op03",
  CAST("c" AS BOOLEAN) OR FALSE AS "op04",
  (
    CAST("i" AS BIGINT) > 0
  )
  AND (
    NOT (
      CAST("f" AS DOUBLE PRECISION) > 1
    )
  ) AS "op05"
FROM "featsql_in_memory__operations"
