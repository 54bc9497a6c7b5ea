#!/usr/bin/env python3
"""Runs bench/queries.bench's `polars:` queries in one Polars process (lazy API), as bench/run.py runs the others.

    POLARS_MAX_THREADS=2 python3 bench/polars_bench.py DATA_DIR RUNS RESULTS_DIR

Loads sales, customers and reviews from DATA_DIR's CSVs into memory (timed, reported apart), then runs each query once
untimed (its result written to RESULTS_DIR/qN.csv) and RUNS timed times; prints `load MS` and `query N MS,MS,…` lines.
Each query is a Python expression over the lazy frames `sales`, `customers` and `reviews`, written as Polars users
write it (expressions, `is_between`, `dt.truncate`, `n_unique`, `str.contains` with a case-insensitive pattern).
"""
import os, sys, time
from datetime import date  # noqa: F401  (used by the queries)

import polars as pl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import queries  # noqa: E402


def ntile(k, n_rows):
    """NTILE(k) over rows already in order, as SQL numbers them: the first n % k tiles hold one row more."""
    i, n = pl.int_range(n_rows, dtype=pl.Int64), n_rows
    q, r = n // k, n % k
    big = r * (q + 1)
    return pl.when(i < big).then(i // (q + 1)).otherwise(r + (i - big) // pl.max_horizontal(q, 1)) + 1


def main():
    data, runs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    start = time.perf_counter()
    frames = {t: pl.read_csv(f"{data}/{t}.csv", try_parse_dates=True) for t in ("sales", "customers", "reviews")}
    print(f"load {(time.perf_counter() - start) * 1000:.1f}", flush=True)
    scope = {"pl": pl, "date": date, "ntile": ntile, **{t: f.lazy() for t, f in frames.items()}}
    for i, q in enumerate(queries()):
        query = eval(q["polars"], scope)
        query.collect().write_csv(f"{out}/q{i}.csv")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            query.collect()
            times.append((time.perf_counter() - start) * 1000)
        print(f"query {i} " + ",".join(f"{t:.2f}" for t in times), flush=True)


if __name__ == "__main__":
    main()
