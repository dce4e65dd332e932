-- featsql golden SQL: operation group 'casts' for redshift.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: b.cast(Bool())
-- op01: b.cast(Int32())
-- op02: b.cast(Float())
-- op03: b.cast(String())
-- op04: i.cast(Bool())
-- op05: i.cast(Int8())
-- op06: i.cast(Int32())
-- op07: (i * 20).cast(Int8()) (out of range -> NULL)
-- op08: (f * 1e7).cast(Int32()) (out of range -> NULL)
-- op09: i.cast(Float())
-- op10: i.cast(String())
-- op11: f.cast(Int64()) (toward zero; NaN -> NULL)
-- op12: g.cast(Int32())
-- op13: f.cast(Float32())
-- op14: s.cast(String())
-- op15: n.cast(Int64())
-- op16: n.cast(Float())
-- op17: bt.cast(Bool())
-- op18: dt.cast(Date())
-- op19: tt.cast(Timestamp())
-- op20: d.cast(Date())
-- op21: d.cast(Timestamp())
-- op22: d.cast(String())
-- op23: t.cast(Timestamp())
-- op24: t.cast(Date())
-- op25: t.cast(String())
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
  CAST(CASE
    WHEN (
      CAST("i" AS BIGINT) * 20
    ) >= -128 AND (
      CAST("i" AS BIGINT) * 20
    ) < 128
    THEN CAST("i" AS BIGINT) * 20
  END AS SMALLINT) AS "op07",
  CAST(CASE
    WHEN TRUNC(CAST("f" AS DOUBLE PRECISION) * CAST(10000000.0 AS DOUBLE PRECISION)) >= -2147483648
    AND TRUNC(CAST("f" AS DOUBLE PRECISION) * CAST(10000000.0 AS DOUBLE PRECISION)) < 2147483648
    THEN TRUNC(CAST("f" AS DOUBLE PRECISION) * CAST(10000000.0 AS DOUBLE PRECISION))
  END AS INTEGER) AS "op08",
  CAST(CAST("i" AS BIGINT) AS DOUBLE PRECISION) AS "op09",
  CAST(CAST("i" AS BIGINT) AS VARCHAR(65535)) AS "op10",
  CAST(CASE
    WHEN TRUNC(CAST("f" AS DOUBLE PRECISION)) >= -9223372036854775808
    AND TRUNC(CAST("f" AS DOUBLE PRECISION)) < 9223372036854775808
    THEN TRUNC(CAST("f" AS DOUBLE PRECISION))
  END AS BIGINT) AS "op11",
  CAST(CASE
    WHEN TRUNC(CAST("g" AS DOUBLE PRECISION)) >= -2147483648
    AND TRUNC(CAST("g" AS DOUBLE PRECISION)) < 2147483648
    THEN TRUNC(CAST("g" AS DOUBLE PRECISION))
  END AS INTEGER) AS "op12",
  CAST(CAST("f" AS DOUBLE PRECISION) AS REAL) AS "op13",
  CAST("s" AS VARCHAR(65535)) AS "op14",
  CAST(CAST("n" AS VARCHAR(65535)) AS BIGINT) AS "op15",
  CAST(CAST("n" AS VARCHAR(65535)) AS DOUBLE PRECISION) AS "op16",
  CAST(CAST("bt" AS VARCHAR(65535)) AS BOOLEAN) AS "op17",
  CAST(CAST("dt" AS VARCHAR(65535)) AS DATE) AS "op18",
  CAST(CAST("tt" AS VARCHAR(65535)) AS TIMESTAMP) AS "op19",
  CAST("d" AS DATE) AS "op20",
  CAST(CAST("d" AS DATE) AS TIMESTAMP) AS "op21",
  CAST(CAST("d" AS DATE) AS VARCHAR(65535)) AS "op22",
  CAST("t" AS TIMESTAMP) AS "op23",
  CAST(CAST("t" AS TIMESTAMP) AS DATE) AS "op24",
  CAST(CAST("t" AS TIMESTAMP) AS VARCHAR(65535)) AS "op25"
FROM "featsql_in_memory__operations"
