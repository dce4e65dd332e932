"""The compute benchmark's data: 1,000,000 rows x 7 columns of passenger-like records, as Parquet.

Run from the repository root:  python benchmarks/make_data.py [--rows N] [--force]
Writes benchmarks/data/people_<N>.parquet (gitignored). Seeded, so every run writes the same
values. NULLs: ~20% of ``age``, ~2% of ``sex``, ~1% of ``name``, ``fare`` and ``sibsp``. Row groups of
100,000 rows, so DuckDB and Polars can scan in parallel.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 20240611
ROWS = 1_000_000
ROW_GROUP = 100_000

SURNAMES = np.array(["Smith", "Braund", "Cumings", "Heikkinen", "Futrelle", "Allen", "Moran", "McCarthy",
                     "Palsson", "Johnson", "Nasser", "Sandstrom", "Bonnell", "Saundercock", "Andersson",
                     "Vestrom", "Hewlett", "Rice", "Williams", "Masselmani"])
TITLES = np.array(["Mr.", "Mrs.", "Miss.", "Master.", "Dr.", "Rev."])
TITLE_P = np.array([0.55, 0.15, 0.2, 0.05, 0.03, 0.02])
FIRST = np.array(["Owen", "John", "Laina", "Jacques", "William", "James", "Timothy", "Gosta", "Elisabeth",
                  "Anna", "Florence", "Lily", "Harris", "Karl", "Margaret", "Thomas"])


def path_for(rows: int = ROWS) -> Path:
    return DATA_DIR / f"people_{rows}.parquet"


def _masked(values: np.ndarray, null_share: float, rng: np.random.Generator, type_: pa.DataType) -> pa.Array:
    return pa.array(values, type=type_, mask=rng.random(len(values)) < null_share)


def make_table(rows: int = ROWS, seed: int = SEED) -> pa.Table:
    """The data set, built from one seeded generator."""
    rng = np.random.default_rng(seed)
    titles = rng.choice(TITLES, rows, p=TITLE_P)
    names = np.char.add(np.char.add(np.char.add(rng.choice(SURNAMES, rows), ", "), np.char.add(titles, " ")),
                        rng.choice(FIRST, rows))
    female = np.isin(titles, ["Mrs.", "Miss."]) | ((titles == "Dr.") & (rng.random(rows) < 0.2))
    sex = np.where(female, "female", "male")
    age = rng.gamma(4.0, 7.5, rows)
    age[rng.random(rows) < 0.002] = -1.0  # a few bad values, for clip
    age[rng.random(rows) < 0.002] = 120.0
    sibsp = np.minimum(rng.poisson(0.5, rows), 8).astype(np.int32)
    fare = np.round(rng.lognormal(2.5, 1.0, rows), 4)
    fare[rng.random(rows) < 0.01] = 0.0
    pclass = rng.choice(np.array([1, 2, 3], dtype=np.int32), rows, p=[0.25, 0.2, 0.55])
    return pa.table({
        "id": pa.array(np.arange(rows, dtype=np.int64)),
        "name": _masked(names, 0.01, rng, pa.string()),
        "sex": _masked(sex, 0.02, rng, pa.string()),
        "age": _masked(age, 0.2, rng, pa.float64()),
        "sibsp": _masked(sibsp, 0.01, rng, pa.int32()),
        "fare": _masked(fare, 0.01, rng, pa.float64()),
        "pclass": pa.array(pclass, type=pa.int32()),
    })


def ensure_data(rows: int = ROWS, force: bool = False) -> Path:
    """The Parquet file, written first if missing (or if ``force``)."""
    path = path_for(rows)
    if force or not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        pq.write_table(make_table(rows), tmp, row_group_size=ROW_GROUP, compression="snappy")
        tmp.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--force", action="store_true", help="rewrite the file even if it exists")
    args = parser.parse_args()
    path = ensure_data(args.rows, args.force)
    meta = pq.read_metadata(path)
    print(f"{path}: {meta.num_rows} rows, {meta.num_columns} columns, {meta.num_row_groups} row groups, "
          f"{path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
