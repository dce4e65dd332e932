-- featsql golden SQL: operation group 'math' for duckdb.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: i.clip(0, 5)
-- op01: f.clip(-1.0, 1.0) (NaN -> upper)
-- op02: f.round() (half away from zero)
-- op03: f.round(2)
-- op04: f.round(3)
-- op05: f.round(-2)
-- op06: g.round()
-- op07: f.floor()
-- op08: f.ceil()
-- op09: f.log() (<= 0 -> NULL)
-- op10: i.log()
-- op11: f.log(10)
-- op12: i.log(2)
-- op13: f.log1p() (<= -1 -> NULL)
-- op14: f.exp() (overflow -> inf)
-- op15: i.exp()
-- op16: f.sqrt() (< 0 -> NULL)
-- op17: i.sqrt()
-- op18: f.is_nan()
-- op19: g.is_nan()
SELECT
  CAST("id" AS BIGINT) AS "id",
  CASE
    WHEN CAST("i" AS BIGINT) < 0
    THEN 0
    WHEN CAST("i" AS BIGINT) > 5
    THEN 5
    ELSE CAST("i" AS BIGINT)
  END AS "op00",
  CASE
    WHEN CAST("f" AS DOUBLE) < CAST(-1.0 AS DOUBLE)
    THEN CAST(-1.0 AS DOUBLE)
    WHEN CAST("f" AS DOUBLE) > CAST(1.0 AS DOUBLE)
    THEN CAST(1.0 AS DOUBLE)
    ELSE CAST("f" AS DOUBLE)
  END AS "op01",
  CASE
    WHEN ABS(CAST("f" AS DOUBLE)) < 4503599627370496
    THEN SIGN(CAST("f" AS DOUBLE)) * FLOOR(ABS(CAST("f" AS DOUBLE)) + 0.5)
    ELSE CAST("f" AS DOUBLE)
  END AS "op02",
  CASE
    WHEN ABS(CAST("f" AS DOUBLE)) < 4503599627370496 / POWER(CAST(10 AS DOUBLE), 2)
    THEN SIGN(CAST("f" AS DOUBLE)) * FLOOR(ABS(CAST("f" AS DOUBLE)) * POWER(CAST(10 AS DOUBLE), 2) + 0.5) / POWER(CAST(10 AS DOUBLE), 2)
    ELSE CAST("f" AS DOUBLE)
  END AS "op03",
  CASE
    WHEN ABS(CAST("f" AS DOUBLE)) < 4503599627370496 / POWER(CAST(10 AS DOUBLE), 3)
    THEN SIGN(CAST("f" AS DOUBLE)) * FLOOR(ABS(CAST("f" AS DOUBLE)) * POWER(CAST(10 AS DOUBLE), 3) + 0.5) / POWER(CAST(10 AS DOUBLE), 3)
    ELSE CAST("f" AS DOUBLE)
  END AS "op04",
  CASE
    WHEN ABS(CAST("f" AS DOUBLE)) < 4503599627370496 / POWER(CAST(10 AS DOUBLE), -2)
    THEN SIGN(CAST("f" AS DOUBLE)) * FLOOR(ABS(CAST("f" AS DOUBLE)) * POWER(CAST(10 AS DOUBLE), -2) + 0.5) / POWER(CAST(10 AS DOUBLE), -2)
    ELSE CAST("f" AS DOUBLE)
  END AS "op05",
  CASE
    WHEN ABS(CAST("g" AS DOUBLE)) < 4503599627370496
    THEN SIGN(CAST("g" AS DOUBLE)) * FLOOR(ABS(CAST("g" AS DOUBLE)) + 0.5)
    ELSE CAST("g" AS DOUBLE)
  END AS "op06",
  FLOOR(CAST("f" AS DOUBLE)) AS "op07",
  CEIL(CAST("f" AS DOUBLE)) AS "op08",
  LN(CASE WHEN CAST("f" AS DOUBLE) > 0 THEN CAST("f" AS DOUBLE) END) AS "op09",
  LN(CASE WHEN CAST("i" AS BIGINT) > 0 THEN CAST(CAST("i" AS BIGINT) AS DOUBLE) END) AS "op10",
  LN(CASE WHEN CAST("f" AS DOUBLE) > 0 THEN CAST("f" AS DOUBLE) END) / NULLIF(LN(CASE WHEN 10 > 0 THEN CAST(10 AS DOUBLE) END), 0) AS "op11",
  LN(CASE WHEN CAST("i" AS BIGINT) > 0 THEN CAST(CAST("i" AS BIGINT) AS DOUBLE) END) / NULLIF(LN(CASE WHEN 2 > 0 THEN CAST(2 AS DOUBLE) END), 0) AS "op12",
  LN(CASE WHEN CAST("f" AS DOUBLE) > -1 THEN 1 + CAST("f" AS DOUBLE) END) AS "op13",
  CASE
    WHEN CAST("f" AS DOUBLE) < -745.13
    THEN CAST(0 AS DOUBLE)
    WHEN CAST("f" AS DOUBLE) > 709.782712893384
    AND CAST("f" AS DOUBLE) < CAST('Infinity' AS DOUBLE)
    THEN CAST('Infinity' AS DOUBLE)
    ELSE EXP(CAST("f" AS DOUBLE))
  END AS "op14",
  CASE
    WHEN CAST("i" AS BIGINT) < -745.13
    THEN CAST(0 AS DOUBLE)
    WHEN CAST("i" AS BIGINT) > 709.782712893384
    AND CAST("i" AS BIGINT) < CAST('Infinity' AS DOUBLE)
    THEN CAST('Infinity' AS DOUBLE)
    ELSE EXP(CAST(CAST("i" AS BIGINT) AS DOUBLE))
  END AS "op15",
  SQRT(CASE WHEN CAST("f" AS DOUBLE) >= 0 THEN CAST("f" AS DOUBLE) END) AS "op16",
  SQRT(CASE WHEN CAST("i" AS BIGINT) >= 0 THEN CAST(CAST("i" AS BIGINT) AS DOUBLE) END) AS "op17",
  ISNAN(CAST("f" AS DOUBLE)) AS "op18",
  ISNAN(CAST("g" AS DOUBLE)) AS "op19"
FROM "featsql_in_memory__operations"
