#!/usr/bin/env bash
# Creates benchmarks/.venv-feast with Feast (the point-in-time anchor) and the extras for its
# DuckDB and PostgreSQL offline stores. Feast pins its own versions of pandas, pyarrow, sqlglot
# and friends, so it lives in its own venv and bench_point_in_time.py runs it as a subprocess.
# Usage (from the repo root): bash benchmarks/setup_feast.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-feast"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "feast[duckdb,postgres]==0.67.0"
"$venv/bin/python" -c "import feast; print('feast ok', feast.__version__, 'in', '$venv')"
