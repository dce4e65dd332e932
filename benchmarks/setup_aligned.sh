#!/usr/bin/env bash
# Creates benchmarks/.venv-aligned with Aligned (the compute anchor). Aligned pins Polars below 2,
# which conflicts with featsql's environment, so it lives in its own venv.
# Usage (from the repo root): bash benchmarks/setup_aligned.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-aligned"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "aligned==0.0.138" "polars<2" pyarrow pandas
"$venv/bin/python" -c "import aligned, polars; print('aligned ok; polars', polars.__version__, 'in', '$venv')"
