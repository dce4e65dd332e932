#!/usr/bin/env bash
# Creates benchmarks/.venv-ibis with Ibis 12 (the compile anchor). Ibis is never installed in the
# project's own environment. Usage (from the repo root): bash benchmarks/setup_ibis.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-ibis"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "ibis-framework[duckdb]==12.0.0"
"$venv/bin/python" -c "import ibis; print('ibis', ibis.__version__, 'in', '$venv')"
