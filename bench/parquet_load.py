#!/usr/bin/env python3
"""Reading Parquet: Tally beside DuckDB on the same files, and Tally's CSV load.

    python3 bench/parquet_load.py [--scale 10m] [--runs 5]

Writes bench/data/SCALE/parquet/TABLE.parquet from the CSVs with DuckDB's COPY defaults (Snappy, dictionary pages,
122,880-row row groups) when missing, then times, in separate processes (medians of --runs):

- whole tables: Tally with `--data` on the folder and a query reading every column of each table (`TABLE | take 1`:
  a Parquet table decodes a column when a query first needs it), against DuckDB's CREATE TABLE … AS FROM the files;
- one question straight from the file, November 2025's revenue by region: Tally's query over the folder, against
  DuckDB's SELECT over the file (both read only the columns and row groups the question needs).

Tally's time is the whole process minus its start-up with an empty `--data` folder (measured the same way); DuckDB's
is its own `.timer` for the statements, at 1 and 2 threads. Needs bench/run.py's data and tools (it builds nothing itself: run
bench/run.py once first).
"""
import argparse, os, re, statistics, subprocess, tempfile, time

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
    whole = "\n".join(f"{t} | take 1" for t in TABLES)
    question = "sales | where date in 2025-11 | agg revenue = sum(amount) by region"
    duck_question = (f"SELECT region, sum(amount) AS revenue FROM '{folder}/sales.parquet' "
                     "WHERE date >= DATE '2025-11-01' AND date < DATE '2025-12-01' GROUP BY region;\n")
    csv_loads = "\n".join(f".load {data}/{t}.csv" for t in TABLES)
    empty = tempfile.mkdtemp()
    startup = statistics.median(timed([TALLY, "--data", empty, "-c", ".tables"]) for _ in range(args.runs))
    tally_pq = statistics.median(timed([TALLY, "--data", folder, "-c", whole]) for _ in range(args.runs)) - startup
    tally_question = statistics.median(timed([TALLY, "--data", folder, "-c", question]) for _ in range(args.runs)) - startup
    tally_csv = statistics.median(timed([TALLY, "--data", empty, "-c", csv_loads]) for _ in range(max(1, args.runs // 2))) - startup
    os.rmdir(empty)

    def duckdb(statements, threads):
        script = f"SET threads={threads};\n.timer on\n" + statements
        runs = []
        for _ in range(args.runs):
            out = subprocess.run(["duckdb"], input=script, check=True, capture_output=True, text=True).stdout
            runs.append(sum(float(x) for x in re.findall(r"Run Time \(s\): real ([0-9.]+)", out)))
        return statistics.median(runs)

    creates = "".join(f"CREATE TABLE {t} AS FROM '{folder}/{t}.parquet';\n" for t in TABLES)
    duck = {threads: duckdb(creates, threads) for threads in (1, 2)}
    duck_q = {threads: duckdb(duck_question, threads) for threads in (1, 2)}
    size = sum(os.path.getsize(os.path.join(folder, f"{t}.parquet")) for t in TABLES) / 2**20
    print(f"Parquet load, {args.scale}, tables {', '.join(TABLES)} ({size:.0f} MiB, written by DuckDB), medians of {args.runs}")
    print(f"  DuckDB t1 {duck[1] * 1000:.0f} ms, t2 {duck[2] * 1000:.0f} ms, Tally {tally_pq * 1000:.0f} ms "
          f"(Tally / DuckDB-t2 {tally_pq / duck[2]:.2f}); Tally from CSV {tally_csv * 1000:.0f} ms")
    print(f"November 2025 revenue by region, straight from sales.parquet: DuckDB t1 {duck_q[1] * 1000:.0f} ms, "
          f"t2 {duck_q[2] * 1000:.0f} ms, Tally {tally_question * 1000:.0f} ms (Tally / DuckDB-t2 {tally_question / duck_q[2]:.2f})")


if __name__ == "__main__":
    main()
