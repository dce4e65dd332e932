-- featsql golden SQL: operation group 'casts' for redshift.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: b.cast(Bool())
-- op01: b.cast(Int32())
-- op02: b.cast(Float())
-- op03: b.cast(String())
-- op04: i.cast(Bool())
-- op05: i.cast(Int8())
-- op06: i.cast(Int32())
-- op07: i.cast(Float())
-- op08: i.cast(String())
-- op09: f.cast(Int64()) (toward zero; NaN -> NULL)
-- op10: g.cast(Int32())
-- op11: f.cast(Float32())
-- op12: s.cast(String())
-- op13: n.cast(Int64())
-- op14: n.cast(Float())
-- op15: bt.cast(Bool())
-- op16: dt.cast(Date())
-- op17: tt.cast(Timestamp())
-- op18: d.cast(Date())
-- op19: d.cast(Timestamp())
-- op20: d.cast(String())
-- op21: t.cast(Timestamp())
-- op22: t.cast(Date())
-- op23: t.cast(String())
SELECT
  CAST("id" AS BIGINT) AS "id",
  CAST("b" AS BOOLEAN) AS "op00",
  CAST(CASE WHEN CAST("b" AS BOOLEAN) THEN 1 WHEN NOT CAST("b" AS BOOLEAN) THEN 0 END AS INTEGER) AS "op01",
  CAST(CASE WHEN CAST("b" AS BOOLEAN) THEN 1 WHEN NOT CAST("b" AS BOOLEAN) THEN 0 END AS DOUBLE PRECISION) AS "op02",
  CAST(CASE
    WHEN CAST("b" AS BOOLEAN)
    THEN 'true'
    WHEN NOT CAST("b" AS BOOLEAN)
    THEN 'false'
  END AS VARCHAR(65535)) AS "op03",
  CAST(CAST("i" AS BIGINT) <> 0 AS BOOLEAN) AS "op04",
  CAST(CASE
    WHEN CAST("i" AS BIGINT) >= -128 AND CAST("i" AS BIGINT) < 128
    THEN CAST("i" AS BIGINT)
  END AS SMALLINT) AS "op05",
  CAST(CASE
    WHEN CAST("i" AS BIGINT) >= -2147483648 AND CAST("i" AS BIGINT) < 2147483648
    THEN CAST("i" AS BIGINT)
  END AS INTEGER) AS "op06",
  CAST(CAST("i" AS BIGINT) AS DOUBLE PRECISION) AS "op07",
  CAST(CAST("i" AS BIGINT) AS VARCHAR(65535)) AS "op08",
  CAST(CASE
    WHEN TRUNC(CAST("f" AS DOUBLE PRECISION)) >= -9223372036854775808
    AND TRUNC(CAST("f" AS DOUBLE PRECISION)) < 9223372036854775808
    THEN TRUNC(CAST("f" AS DOUBLE PRECISION))
  END AS BIGINT) AS "op09",
  CAST(CASE
    WHEN TRUNC(CAST("g" AS DOUBLE PRECISION)) >= -2147483648
    AND TRUNC(CAST("g" AS DOUBLE PRECISION)) < 2147483648
    THEN TRUNC(CAST("g" AS DOUBLE PRECISION))
  END AS INTEGER) AS "op10",
  CAST(CAST("f" AS DOUBLE PRECISION) AS REAL) AS "op11",
  CAST("s" AS VARCHAR(65535)) AS "op12",
  CAST(CAST("n" AS VARCHAR(65535)) AS BIGINT) AS "op13",
  CAST(CAST("n" AS VARCHAR(65535)) AS DOUBLE PRECISION) AS "op14",
  CAST(CAST("bt" AS VARCHAR(65535)) AS BOOLEAN) AS "op15",
  CAST(CAST("dt" AS VARCHAR(65535)) AS DATE) AS "op16",
  CAST(CAST("tt" AS VARCHAR(65535)) AS TIMESTAMP) AS "op17",
  CAST("d" AS DATE) AS "op18",
  CAST(CAST("d" AS DATE) AS TIMESTAMP) AS "op19",
  CAST(CAST("d" AS DATE) AS VARCHAR(65535)) AS "op20",
  CAST("t" AS TIMESTAMP) AS "op21",
  CAST(CAST("t" AS TIMESTAMP) AS DATE) AS "op22",
  CAST(CAST("t" AS TIMESTAMP) AS VARCHAR(65535)) AS "op23"
FROM "featsql_in_memory__operations"
