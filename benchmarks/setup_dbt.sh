#!/usr/bin/env bash
# Create (once) a dedicated venv with dbt-core + dbt-duckdb, used by tests/test_dbt_build.py and
# benchmarks/bench_build.py. dbt pins versions that conflict with featsql's environment, so it never
# goes into the global one. Usage: bash benchmarks/setup_dbt.sh [VENV_DIR]   (prints the dbt path)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${1:-$here/.venv-dbt}"
if [ ! -x "$venv/bin/dbt" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  # The same duckdb as featsql's environment, so database files are read by both.
  duckdb_version="$(python3 -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || true)"
  pins=("dbt-core>=1.8,<1.12" "dbt-duckdb>=1.8,<2")
  if [ -n "$duckdb_version" ]; then pins+=("duckdb==$duckdb_version"); fi
  "$venv/bin/python" -m pip install --quiet "${pins[@]}" \
    || "$venv/bin/python" -m pip install --quiet "dbt-core>=1.8,<1.12" "dbt-duckdb>=1.8,<2"
fi
echo "$venv/bin/dbt"
