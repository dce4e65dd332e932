"""Aligned's drop_invalid on the validation benchmark's parquet file (run in benchmarks/.venv-aligned).

Usage: .venv-aligned/bin/python aligned_validation.py PARQUET REPS  -> prints JSON {"times": [...], "rows": n}
Aligned's min/max_length are exclusive, so min_length(1)/max_length(6) become 0/7 here; every
feature is optional except `count` (Aligned features are required unless declared optional).
"""

import asyncio
import json
import sys
import time

from aligned import FileSource, Float64, Int64, String, feature_view


def main() -> None:
    path, reps = sys.argv[1], int(sys.argv[2])

    @feature_view(name="checked", source=FileSource.parquet_at(path))
    class Checked:
        id = Int64().as_entity()
        age = Float64().lower_bound(0).upper_bound(100).is_optional()
        score = Float64().lower_bound(0).upper_bound(1).is_optional()
        count = Int64().upper_bound(18)
        sex = String().accepted_values(["male", "female"]).is_optional()
        code = String().min_length(0).max_length(7).is_optional()
        email = String().validate_regex(r"^[a-z0-9]+@[a-z]+\.org$").is_optional()

    async def once() -> int:
        frame = await Checked.query().all().drop_invalid().to_pandas()
        return len(frame)

    times, rows = [], 0
    for _ in range(reps):
        start = time.perf_counter()
        rows = asyncio.run(once())
        times.append(time.perf_counter() - start)
    print(json.dumps({"times": times, "rows": rows}))


if __name__ == "__main__":
    main()
