#!/usr/bin/env python3
"""Tally on PostgreSQL against the same questions written by hand: is the SQL Tally emits as good as an expert's?

    python3 bench/postgres_bench.py                  # 1m sales rows, a server of its own (scripts/postgres)
    python3 bench/postgres_bench.py --url postgresql://… --runs 5

Builds tally in release mode, writes the data with `tally gen` when missing, starts a throw-away PostgreSQL server
(unless --url names one), loads the tables with `tally upload` (COPY) and ANALYZE, then for each query of
bench/queries.bench times Tally's round trip (`tally --connect URL --bench N`: compiling the pipeline, the server's work,
reading the rows back) against the hand-written `postgres:` SQL sent by psql (`\\timing`: sending it, the server's work,
receiving the rows): --rounds alternating rounds of --runs timed runs each (after one warm-up run), medians of all.
Then the SQL alone: the statement Tally emits (`tally sql`) and the hand-written one alternating in one psql session,
as many runs. Checks both return the same rows and prints the ratios per query.
"""
import argparse, os, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, HERE)
from crosscheck import rows as csv_rows, same  # noqa: E402
from run import queries  # noqa: E402  (one reader of queries.bench)
TALLY = os.path.join(ROOT, ".build", "release", "tally")


def check(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd[:3])} failed:\n{p.stderr[-3000:]}")
    return p


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="1m")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of --runs each")
    parser.add_argument("--url", help="a server to use instead of starting one")
    args = parser.parse_args()
    check(["swift", "build", "-c", "release", "--product", "tally", "--static-swift-stdlib"], cwd=ROOT)
    data = os.path.join(HERE, "data", args.scale)
    if not os.path.exists(os.path.join(data, "sales.csv")):
        check([TALLY, "gen", "--scale", args.scale, "--out", data])
    server = None
    url = args.url
    if not url:
        server = tempfile.mkdtemp(prefix="tally-pg-bench-")
        os.chmod(server, 0o755)
        url = check([os.path.join(ROOT, "scripts", "postgres"), "start", os.path.join(server, "pg")]).stdout.strip()
    try:
        check([TALLY, "upload", url, "--from", data])
        check(["psql", url, "-X", "-q", "-c", "VACUUM ANALYZE"])
        version = check(["psql", url, "-X", "-tAc", "SHOW server_version"]).stdout.strip()
        print(f"PostgreSQL {version}, {args.scale} sales rows, medians of {args.rounds} alternating rounds of {args.runs} runs (ms)\n")
        print("| query | hand-written (psql) | Tally | Tally / hand-written | Tally's SQL (psql) | hand-written (psql, same session) | SQL / SQL | same rows |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        ratios, sql_ratios = [], []
        for q in queries():
            if "postgres" not in q:
                continue
            # The SQL Tally emits and the hand-written SQL, alternating in one psql session: the quality of the SQL alone.
            emitted = check([TALLY, "sql", "-c", q["tally"]]).stdout.strip().rstrip(";")
            script = "\\timing on\n\\o /dev/null\n" + (emitted + ";\n" + q["postgres"] + ";\n") * (args.runs * args.rounds + 1)
            pairs = [float(l.split()[1]) for l in check(["psql", url, "-X", "-q"], input=script).stdout.splitlines() if l.startswith("Time: ")][2:]
            emitted_ms, hand_ms = statistics.median(pairs[0::2]), statistics.median(pairs[1::2])
            sql_ratios.append(emitted_ms / hand_ms)
            times, hand = [], []
            for _ in range(args.rounds):
                # Rounds alternate the two, so that a busy moment of the machine falls on both.
                tally = check([TALLY, "--connect", url, "--format", "csv", "--bench", str(args.runs), "-c", q["tally"]])
                times += [float(t) for line in tally.stderr.splitlines() if line.startswith("bench\t") for t in line.split("\t")[1].split(",")]
                script = "\\timing on\n\\o /dev/null\n" + (q["postgres"] + ";\n") * (args.runs + 1)
                psql = check(["psql", url, "-X", "-q"], input=script)
                hand += [float(l.split()[1]) for l in psql.stdout.splitlines() if l.startswith("Time: ")][1:]
            expected = check(["psql", url, "-X", "-q", "--csv", "-c", q["postgres"]]).stdout
            ok = same(csv_rows(tally.stdout)[1:], csv_rows(expected)[1:])
            t, h = statistics.median(times), statistics.median(hand)
            ratios.append(t / h)
            print(f"| {q['name']} | {h:.1f} | {t:.1f} | {t / h:.2f} | {emitted_ms:.1f} | {hand_ms:.1f} | {emitted_ms / hand_ms:.2f} |"
                  f" {'same' if ok else 'DIFFERENT'} |")
        print(f"\ngeometric mean Tally / hand-written: {statistics.geometric_mean(ratios):.2f} (round trips), "
              f"{statistics.geometric_mean(sql_ratios):.2f} (the SQL alone)")
    finally:
        if server:
            subprocess.run([os.path.join(ROOT, "scripts", "postgres"), "stop", os.path.join(server, "pg")])


if __name__ == "__main__":
    main()
