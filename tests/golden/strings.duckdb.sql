-- featsql golden SQL: operation group 'strings' for duckdb.
-- Regenerate: FEATSQL_UPDATE_GOLDEN=1 pytest tests/test_golden_sql.py
-- op00: s.contains('Mr.') (literal)
-- op01: s.contains('.b*') (no regex)
-- op02: s.contains('%') (no LIKE)
-- op03: s.contains('')
-- op04: s.contains(s2)
-- op05: s.contains("'")
-- op06: s.matches('^Mrs?\.')
-- op07: s.matches('[Üü]n')
-- op08: s.starts_with('Mr')
-- op09: s.starts_with('_') (no LIKE)
-- op10: s.starts_with(s2)
-- op11: s.ends_with('s')
-- op12: s.ends_with(s2)
-- op13: s.lower()
-- op14: s.upper()
-- op15: s.strip() (spaces only)
-- op16: s.length() (characters)
-- op17: s2.length()
-- op18: s.replace('Mr.', 'Mister')
-- op19: s.replace('.b*', '')
-- op20: s + s2 (NULL-propagating)
-- op21: s + '!'
-- op22: '¡' + s
SELECT
  CAST("id" AS BIGINT) AS "id",
  CONTAINS(CAST("s" AS TEXT), 'Mr.') AS "op00",
  CONTAINS(CAST("s" AS TEXT), '.b*') AS "op01",
  CONTAINS(CAST("s" AS TEXT), '%') AS "op02",
  CONTAINS(CAST("s" AS TEXT), '') AS "op03",
  CONTAINS(CAST("s" AS TEXT), CAST("s2" AS TEXT)) AS "op04",
  CONTAINS(CAST("s" AS TEXT), '''') AS "op05",
  REGEXP_MATCHES(CAST("s" AS TEXT), '^Mrs?\.') AS "op06",
  REGEXP_MATCHES(CAST("s" AS TEXT), '[Üü]n') AS "op07",
  STARTS_WITH(CAST("s" AS TEXT), 'Mr') AS "op08",
  STARTS_WITH(CAST("s" AS TEXT), '_') AS "op09",
  STARTS_WITH(CAST("s" AS TEXT), CAST("s2" AS TEXT)) AS "op10",
  ENDS_WITH(CAST("s" AS TEXT), 's') AS "op11",
  ENDS_WITH(CAST("s" AS TEXT), CAST("s2" AS TEXT)) AS "op12",
  LOWER(CAST("s" AS TEXT)) AS "op13",
  UPPER(CAST("s" AS TEXT)) AS "op14",
  TRIM(CAST("s" AS TEXT)) AS "op15",
  CAST(LENGTH(CAST("s" AS TEXT)) AS BIGINT) AS "op16",
  CAST(LENGTH(CAST("s2" AS TEXT)) AS BIGINT) AS "op17",
  REPLACE(CAST("s" AS TEXT), 'Mr.', 'Mister') AS "op18",
  REPLACE(CAST("s" AS TEXT), '.b*', '') AS "op19",
  CAST("s" AS TEXT) || CAST("s2" AS TEXT) AS "op20",
  CAST("s" AS TEXT) || '!' AS "op21",
  '¡' || CAST("s" AS TEXT) AS "op22"
FROM "featsql_in_memory__operations"
