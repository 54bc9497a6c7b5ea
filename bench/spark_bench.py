#!/usr/bin/env python3
"""Tally on Spark against the same questions written by hand in Spark SQL and sent by pyspark's Spark Connect client.

    python3 bench/spark_bench.py                     # 1m sales rows, a local Spark Connect server of its own
    python3 bench/spark_bench.py --url sc://host:15002 --runs 5

Builds tally in release mode, writes the data with `tally gen` and `tally convert` (Parquet) when missing, starts a
throw-away Spark Connect server (scripts/spark, local[2]) unless --url names one, and creates the tables in Spark's
catalog from the Parquet files (CREATE TABLE … USING parquet AS SELECT, one statement per table, by pyspark). Then for
each query of bench/queries.bench with a `spark:` line, alternating rounds: Tally's round trip (`tally --connect URL
--bench N`: compiling the pipeline, Spark's work, the Arrow batches back) against the hand-written SQL through pyspark
(`spark.sql(…).collect()`: the same round trip). Checks both return the same rows and prints the ratios per query.
With --pruning, also the partition-pruning case: sales stored partitioned by region, a top-N per channel after a region
and date filter, and the pushed and partition filters of both plans (EXPLAIN).
"""
import argparse, csv, io, os, statistics, subprocess, sys, tempfile, time, warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, HERE)
from crosscheck import rows as csv_rows, same  # noqa: E402
from run import queries  # noqa: E402  (one reader of queries.bench)
TALLY = os.path.join(ROOT, ".build", "release", "tally")
TABLES = ("sales", "customers", "reviews")


def check(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd[:3])} failed:\n{p.stderr[-3000:]}")
    return p


def as_csv(collected):
    """pyspark's rows as CSV text, for the same comparison as Tally's CSV (numbers to 2 decimals)."""
    out = io.StringIO()
    csv.writer(out).writerows([["" if v is None else v for v in row] for row in collected])
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="1m")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of --runs each")
    parser.add_argument("--url", help="a Spark Connect server to use instead of starting one")
    parser.add_argument("--pruning", action="store_true", help="only the partition-pruning case")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    check(["swift", "build", "-c", "release", "--product", "tally", "--static-swift-stdlib"], cwd=ROOT)
    data = os.path.join(HERE, "data", args.scale)
    if not os.path.exists(os.path.join(data, "sales.csv")):
        check([TALLY, "gen", "--scale", args.scale, "--out", data])
    parquet = os.path.join(HERE, "data", args.scale + "-parquet")
    os.makedirs(parquet, exist_ok=True)
    for t in TABLES:
        if not os.path.exists(os.path.join(parquet, t + ".parquet")):
            check([TALLY, "convert", os.path.join(data, t + ".csv"), os.path.join(parquet, t + ".parquet")])
    server, url = None, args.url
    if not url:
        server = tempfile.mkdtemp(prefix="tally-spark-bench-")
        url = check([os.path.join(ROOT, "scripts", "spark"), "start", server]).stdout.strip()
    try:
        from pyspark.sql import SparkSession
        spark = SparkSession.builder.remote(url).getOrCreate()
        for t in TABLES:
            spark.sql(f"DROP TABLE IF EXISTS {t}")
            spark.sql(f"CREATE TABLE {t} USING parquet AS SELECT * FROM parquet.`{os.path.join(parquet, t + '.parquet')}`")
        if args.pruning:
            return pruning(spark, url, args)
        print(f"Spark {spark.version} (local[2] unless --url), {args.scale} sales rows, medians of {args.rounds} alternating rounds "
              f"of {args.runs} runs (ms)\n")
        print("| query | hand-written (pyspark) | Tally | Tally / hand-written | same rows |")
        print("| --- | --- | --- | --- | --- |")
        ratios = []
        for q in queries():
            if "spark" not in q:
                continue
            # One warm-up run of each: Spark compiles code for a statement's plan the first times it runs.
            spark.sql(q["spark"]).collect()
            check([TALLY, "--connect", url, "--format", "csv", "--bench", "1", "-c", q["tally"]])
            times, hand = [], []
            for _ in range(args.rounds):
                tally = check([TALLY, "--connect", url, "--format", "csv", "--bench", str(args.runs), "-c", q["tally"]])
                times += [float(t) for line in tally.stderr.splitlines() if line.startswith("bench\t") for t in line.split("\t")[1].split(",")]
                for _ in range(args.runs):
                    start = time.perf_counter()
                    expected = spark.sql(q["spark"]).collect()
                    hand.append((time.perf_counter() - start) * 1000)
            ok = same(csv_rows(tally.stdout)[1:], csv_rows(as_csv(expected)))
            t, h = statistics.median(times), statistics.median(hand)
            ratios.append(t / h)
            print(f"| {q['name']} | {h:.1f} | {t:.1f} | {t / h:.2f} | {'same' if ok else 'DIFFERENT'} |")
        print(f"\ngeometric mean Tally / hand-written: {statistics.geometric_mean(ratios):.2f}")
    finally:
        if server:
            subprocess.run([os.path.join(ROOT, "scripts", "spark"), "stop", server])


PRUNING_TALLY = 'psales | where region == "East" and date in 2025-Q3 | top 3 by amount per channel'
PRUNING_SPARK = ("SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY channel ORDER BY amount DESC) AS k FROM psales "
                 "WHERE region = 'East' AND date BETWEEN DATE '2025-07-01' AND DATE '2025-09-30') WHERE k <= 3")


def scan_filters(spark, sql):
    """The scan's PartitionFilters and PushedFilters in Spark's physical plan of a statement."""
    plan = "\n".join(r[0] for r in spark.sql("EXPLAIN FORMATTED " + sql).collect())
    return [line.strip() for line in plan.splitlines() if line.strip().startswith(("PartitionFilters", "PushedFilters"))]


def pruning(spark, url, args):
    """sales stored as Parquet partitioned by region; a top-N per channel after a region and date filter: the scan
    filters of Tally's statement and of the hand-written one, and their times."""
    spark.sql("DROP TABLE IF EXISTS psales")
    spark.sql("CREATE TABLE psales USING parquet PARTITIONED BY (region) AS SELECT * FROM sales")
    emitted = check([TALLY, "--connect", url, "-c", ".sql " + PRUNING_TALLY]).stdout.strip().rstrip(";")
    for name, sql in (("Tally", emitted), ("hand-written", PRUNING_SPARK)):
        print(f"{name}:")
        for line in scan_filters(spark, sql):
            print("  " + line)
    times, hand = [], []
    for _ in range(args.rounds):
        tally = check([TALLY, "--connect", url, "--format", "csv", "--bench", str(args.runs), "-c", PRUNING_TALLY])
        times += [float(t) for line in tally.stderr.splitlines() if line.startswith("bench\t") for t in line.split("\t")[1].split(",")]
        for _ in range(args.runs):
            start = time.perf_counter()
            spark.sql(PRUNING_SPARK).collect()
            hand.append((time.perf_counter() - start) * 1000)
    print(f"Tally {statistics.median(times):.1f} ms, hand-written {statistics.median(hand):.1f} ms (medians)")


if __name__ == "__main__":
    main()
