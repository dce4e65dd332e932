-- featsql golden SQL: operation group 'strings' for postgres.
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
  POSITION('Mr.' IN CAST("s" AS TEXT)) > 0 AS "op00",
  POSITION('.b*' IN CAST("s" AS TEXT)) > 0 AS "op01",
  POSITION('%' IN CAST("s" AS TEXT)) > 0 AS "op02",
  POSITION('' IN CAST("s" AS TEXT)) > 0 AS "op03",
  POSITION(CAST("s2" AS TEXT) IN CAST("s" AS TEXT)) > 0 AS "op04",
  POSITION('''' IN CAST("s" AS TEXT)) > 0 AS "op05",
  CAST("s" AS TEXT) ~ '^Mrs?\.' AS "op06",
  CAST("s" AS TEXT) ~ '[Üü]n' AS "op07",
  LEFT(CAST("s" AS TEXT), LENGTH('Mr')) = 'Mr' AS "op08",
  LEFT(CAST("s" AS TEXT), LENGTH('_')) = '_' AS "op09",
  LEFT(CAST("s" AS TEXT), LENGTH(CAST("s2" AS TEXT))) = CAST("s2" AS TEXT) AS "op10",
  RIGHT(CAST("s" AS TEXT), LENGTH('s')) = 's' AS "op11",
  RIGHT(CAST("s" AS TEXT), LENGTH(CAST("s2" AS TEXT))) = CAST("s2" AS TEXT) AS "op12",
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
