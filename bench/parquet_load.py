#!/usr/bin/env python3
"""Loading Parquet: Tally's `.load` beside DuckDB's CREATE TABLE … AS FROM the same file, and Tally's CSV load.

    python3 bench/parquet_load.py [--scale 10m] [--runs 5]

Writes bench/data/SCALE/parquet/TABLE.parquet from the CSVs with DuckDB's COPY defaults (Snappy, dictionary pages,
122,880-row row groups) when missing, then times, in separate processes, each engine reading every table into memory
(medians of --runs). Tally's time is the whole process minus its start-up on the demo data (measured the same way);
DuckDB's is its own `.timer` for the CREATE TABLE statements, at 1 and 2 threads. Needs bench/run.py's data and
tools (it builds nothing itself: run bench/run.py once first).
"""
import argparse, os, re, statistics, subprocess, time

HERE = os.path.dirname(os.path.abspath(__file__))
TALLY = os.path.join(os.path.dirname(HERE), ".build", "release", "tally")
TABLES = ["sales", "customers", "reviews"]


def timed(cmd):
    start = time.time()
    subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return time.time() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="10m")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    data = os.path.join(HERE, "data", args.scale)
    folder = os.path.join(data, "parquet")
    os.makedirs(folder, exist_ok=True)
    for t in TABLES:
        if not os.path.exists(os.path.join(folder, f"{t}.parquet")):
            subprocess.run(["duckdb", "-c", f"COPY (FROM read_csv('{data}/{t}.csv')) TO '{folder}/{t}.parquet'"], check=True)
    loads = "\n".join(f".load {folder}/{t}.parquet" for t in TABLES)
    csv_loads = "\n".join(f".load {data}/{t}.csv" for t in TABLES)
    startup = statistics.median(timed([TALLY, "-c", "targets | count"]) for _ in range(args.runs))
    tally_pq = statistics.median(timed([TALLY, "-c", loads]) for _ in range(args.runs)) - startup
    tally_csv = statistics.median(timed([TALLY, "-c", csv_loads]) for _ in range(max(1, args.runs // 2))) - startup
    duck = {}
    for threads in (1, 2):
        script = f"SET threads={threads};\n.timer on\n" + "".join(f"CREATE TABLE {t} AS FROM '{folder}/{t}.parquet';\n" for t in TABLES)
        runs = []
        for _ in range(args.runs):
            out = subprocess.run(["duckdb"], input=script, check=True, capture_output=True, text=True).stdout
            runs.append(sum(float(x) for x in re.findall(r"Run Time \(s\): real ([0-9.]+)", out)))
        duck[threads] = statistics.median(runs)
    size = sum(os.path.getsize(os.path.join(folder, f"{t}.parquet")) for t in TABLES) / 2**20
    print(f"Parquet load, {args.scale}, tables {', '.join(TABLES)} ({size:.0f} MiB, written by DuckDB), medians of {args.runs}")
    print(f"  DuckDB t1 {duck[1] * 1000:.0f} ms, t2 {duck[2] * 1000:.0f} ms, Tally {tally_pq * 1000:.0f} ms "
          f"(Tally / DuckDB-t2 {tally_pq / duck[2]:.2f}); Tally from CSV {tally_csv * 1000:.0f} ms")


if __name__ == "__main__":
    main()
