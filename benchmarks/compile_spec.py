"""The view the compile benchmark builds: 21 source columns and N derived features, as plain data.

Pure Python (no featsql, no sqlglot import), so the Ibis venv's subprocess builds the very same
expressions from it. Each derived feature is ``(name, kind, args)``:

- ``arith``    ``(a + b) * 2.0``               a, b: float columns
- ``fill_na``  ``coalesce(a, 0.0)``            a: float column
- ``if_else``  ``CASE WHEN a > 1.0 THEN b ELSE 0.0 END``
- ``contains`` ``contains(s, 'x<j>')``          s: string column (literal substring)
- ``ge``       ``a >= b``                        a, b: float columns
- ``ne``       ``i <> j``                        i: int column, j: int literal
"""

from __future__ import annotations

PARQUET_PATH = "wide.parquet"

FLOATS = [f"f{i}" for i in range(10)]
INTS = [f"i{i}" for i in range(5)]
STRINGS = [f"s{i}" for i in range(4)]

# (name, featsql dtype): 21 columns
INPUTS: list[tuple[str, str]] = (
    [("id", "int64")]
    + [(name, "float64") for name in FLOATS]
    + [(name, "int64") for name in INTS]
    + [(name, "string") for name in STRINGS]
    + [("b0", "bool")]
)

KINDS = ("arith", "fill_na", "if_else", "contains", "compare")

Derived = tuple[str, str, tuple]


def derived(n: int) -> list[Derived]:
    """``n`` derived features cycling through arithmetic, coalesce, case/when, contains, comparisons."""
    out: list[Derived] = []
    width = len(str(n - 1))
    for k in range(n):
        name = f"d{k:0{width}d}"
        kind = KINDS[k % len(KINDS)]
        j = k // len(KINDS)
        a, b = FLOATS[k % 10], FLOATS[(k + 3) % 10]
        if kind == "arith":
            out.append((name, "arith", (a, b)))
        elif kind == "fill_na":
            out.append((name, "fill_na", (a,)))
        elif kind == "if_else":
            out.append((name, "if_else", (a, b)))
        elif kind == "contains":
            out.append((name, "contains", (STRINGS[k % 4], f"x{j}")))
        elif j % 2 == 0:
            out.append((name, "ge", (a, b)))
        else:
            out.append((name, "ne", (INTS[k % 5], j)))
    return out
