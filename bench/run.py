#!/usr/bin/env python3
"""Tally beside DuckDB and Polars on the same CSVs: load time, per-query time, peak memory, result check.

    python3 bench/run.py                 # 10m sales rows (data generated once under bench/data/)
    python3 bench/run.py --scale 1m      # a quick run
    python3 bench/run.py --runs 5

Builds tally in release mode, writes the data with `tally gen` when missing, installs duckdb-cli and polars from
PyPI when missing, runs every query of bench/queries.bench once (its result kept) and then --runs times inside each
engine's own process (load excluded, reported apart), checks every engine returns the same rows (numbers rounded to
2 decimals) and prints one table with the ratios. The DRAM floor of Q1-Q4 is the bytes of the columns each reads
(at Tally's widths, every row) divided by the read bandwidth bench/bandwidth.c measures with two threads.
"""
import argparse, csv, io, math, os, re, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tools"))
from crosscheck import rows as csv_rows, same  # noqa: E402  (one comparison rule for both tools)
TALLY = os.path.join(ROOT, ".build", "release", "tally")


def queries():
    out, cur = [], None
    for line in open(os.path.join(HERE, "queries.bench"), encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("=== "):
            cur = {"name": line[4:]}
            out.append(cur)
        elif cur is not None and line.split(": ", 1)[0] in ("tally", "sql", "polars", "postgres", "spark"):
            key, value = line.split(": ", 1)
            cur[key] = value
    return out


def run(cmd, stdin=None, env=None):
    """Runs a command, returning (stdout, stderr, peak RSS in MiB, wall seconds)."""
    start = time.time()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=env)
    if stdin:
        p.stdin.write(stdin)
        p.stdin.close()
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd[:3])} failed ({p.returncode}):\n{err[-3000:]}")
    return out, err, usage.ru_maxrss / 1024, time.time() - start


def rows(text):
    """Data rows of a CSV result (header dropped), numbers as floats."""
    return csv_rows(text)[1:]


def duckdb(exe, data, qs, threads, runs):
    tables = [("sales", "'date': 'DATE'"), ("customers", "'signup_date': 'DATE'"), ("reviews", "'date': 'DATE', 'text': 'VARCHAR'")]
    script = f"SET threads={threads};\n.timer on\n"
    script += "".join(f"CREATE TABLE {t} AS FROM read_csv('{data}/{t}.csv', types={{{ty}}});\n" for t, ty in tables)
    results = tempfile.mkdtemp()
    for i, q in enumerate(qs):
        script += f".mode csv\n.output {results}/q{i}.csv\n{q['sql']};\n.output /dev/null\n"
        script += "".join(f"{q['sql']};\n" for _ in range(runs))
    script += ".output\n"
    out, err, rss, _ = run([exe, "-batch"], stdin=script)
    times = [float(m) for m in re.findall(r"Run Time \(s\): real ([0-9.]+)", out + err)]
    load = sum(times[:len(tables)])
    per = []
    k = len(tables)
    for i, _ in enumerate(qs):
        k += 1  # the untimed result run
        per.append(sorted(times[k:k + runs])[runs // 2] * 1000)
        k += runs
    answers = [open(f"{results}/q{i}.csv").read() for i in range(len(qs))]
    shutil.rmtree(results)
    return load * 1000, per, answers, rss


def polars(data, qs, runs):
    """Runs the queries' Polars forms in one Python process limited to two threads."""
    results = tempfile.mkdtemp()
    env = dict(os.environ, POLARS_MAX_THREADS="2")
    out, _, rss, _ = run([sys.executable, os.path.join(HERE, "polars_bench.py"), data, str(runs), results], env=env)
    load = float(re.search(r"^load ([0-9.]+)", out, re.M).group(1))
    per = [sorted(float(x) for x in m.split(","))[runs // 2] for m in re.findall(r"^query \d+ ([0-9.,]+)", out, re.M)]
    answers = [open(f"{results}/q{i}.csv").read() for i in range(len(qs))]
    shutil.rmtree(results)
    return load, per, answers, rss


# The columns Q1-Q4 read, at Tally's widths in bytes per row (ints, dates, floats 8; dictionary codes 4).
FLOOR_BYTES_PER_ROW = {"Q1": 8 + 4, "Q2": 8 + 8, "Q3": 8 + 4 + 8, "Q4": 4 + 4 + 8 + 8}


def bandwidth():
    """Read bandwidth in GB/s, from bench/bandwidth.c (compiled once)."""
    exe = os.path.join(HERE, "data", "bandwidth")
    subprocess.run(["cc", "-O2", "-pthread", "-o", exe, os.path.join(HERE, "bandwidth.c")], check=True)
    return float(subprocess.run([exe], check=True, capture_output=True, text=True).stdout)


def scale_rows(scale):
    """`10m` → 10,000,000 sales rows."""
    number = float(scale.rstrip("mk"))
    return int(number * (1_000_000 if scale.endswith("m") else 1_000 if scale.endswith("k") else 1))


def tally(data, qs, runs, db=None):
    """Runs the queries in one tally process; each result is exported once with `.export`."""
    results = tempfile.mkdtemp()
    script = tempfile.NamedTemporaryFile("w", suffix=".tq", delete=False)
    script.write("".join(f"{q['tally']}\n.export {results}/q{i}.csv\n" for i, q in enumerate(qs)))
    script.close()
    source = ["--db", db] if db else ["--data", data]
    _, err, rss, _ = run([TALLY, *source, "--bench", str(runs), "-f", script.name])
    os.unlink(script.name)
    load = float(re.search(r"^load\t([0-9.]+)", err, re.M).group(1))
    per = [sorted(float(x) for x in m.split(","))[runs // 2] for m in re.findall(r"^bench\t([0-9.,]+)\t", err, re.M)]
    answers = [open(f"{results}/q{i}.csv").read() for i in range(len(qs))]
    shutil.rmtree(results)
    return load, per, answers, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="10m")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "tally", "--static-swift-stdlib"], cwd=ROOT, check=True)
    data = os.path.join(HERE, "data", args.scale)
    if not os.path.exists(os.path.join(data, "sales.csv")):
        subprocess.run([TALLY, "gen", "--scale", args.scale, "--out", data], check=True)
    exe = shutil.which("duckdb")
    if not exe:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "duckdb-cli"], check=True)
        exe = shutil.which("duckdb")
    if subprocess.run([sys.executable, "-c", "import polars"], capture_output=True).returncode != 0:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "polars"], check=True)
    # Tally loads a folder with the three tables DuckDB loads (tally gen also writes targets and the pipeline tables).
    core = os.path.join(data, "bench")
    os.makedirs(core, exist_ok=True)
    for t in ("sales", "customers", "reviews"):
        if not os.path.exists(os.path.join(core, f"{t}.csv")):
            os.symlink(os.path.join("..", f"{t}.csv"), os.path.join(core, f"{t}.csv"))
    snapshot = os.path.join(HERE, "data", f"{args.scale}.tally")
    subprocess.run([TALLY, "pack", core, "-o", snapshot], check=True)
    qs = queries()
    d1 = duckdb(exe, data, qs, 1, args.runs)
    d2 = duckdb(exe, data, qs, 2, args.runs)
    p2 = polars(data, qs, args.runs)
    t = tally(core, qs, args.runs)
    ts = tally(core, qs[:1], 1, db=snapshot)
    # Opening reads only the snapshot's header; the first query reads the columns it uses: time a whole fresh process.
    _, _, _, first_query = run([TALLY, "--db", snapshot, "-c", qs[0]["tally"]])
    _, _, _, startup = run([TALLY, "-c", "sales | count"])
    rate = bandwidth()
    rows_of_sales = scale_rows(args.scale)

    failed = []
    print(f"\n{args.scale} sales rows, {args.runs} timed runs (median), {os.cpu_count()} cores, read bandwidth {rate:.1f} GB/s\n")
    print(f"{'query':<36} {'DuckDB t1':>9} {'DuckDB t2':>9} {'Polars t2':>9} {'Tally':>8} {'Tally/best':>10} {'floor':>6}  result")
    ratios, ratios_duck = [], []
    for i, q in enumerate(qs):
        ok = same(rows(t[2][i]), rows(d2[2][i])) and same(rows(t[2][i]), rows(p2[2][i]))
        if not ok:
            failed.append(q["name"])
        best = min(d2[1][i], p2[1][i])
        ratios.append(t[1][i] / max(best, 1e-3))
        ratios_duck.append(t[1][i] / max(d2[1][i], 1e-3))
        key = q["name"].split()[0]
        floor = f"{FLOOR_BYTES_PER_ROW[key] * rows_of_sales / (rate * 1e9) * 1000:.1f}" if key in FLOOR_BYTES_PER_ROW else ""
        print(f"{q['name']:<36} {d1[1][i]:>9.1f} {d2[1][i]:>9.1f} {p2[1][i]:>9.1f} {t[1][i]:>8.1f} {ratios[-1]:>10.2f} {floor:>6}  "
              f"{'same' if ok else 'DIFFERENT'}")

    def geo(values):
        return math.exp(sum(math.log(max(r, 1e-9)) for r in values) / len(values))
    print(f"{'geometric mean of Tally / best of DuckDB-t2 and Polars-t2':<84} {geo(ratios):>10.2f}")
    print(f"{'geometric mean of Tally / DuckDB-t2':<84} {geo(ratios_duck):>10.2f}")
    print("(times in ms; floor: the DRAM floor in ms, Q1-Q4)")
    print(f"\nCSV load (3 tables): DuckDB t1 {d1[0]:.0f} ms, t2 {d2[0]:.0f} ms, Polars t2 {p2[0]:.0f} ms, Tally {t[0]:.0f} ms")
    print(f"peak RSS: DuckDB t1 {d1[3]:.0f} MiB, t2 {d2[3]:.0f} MiB, Polars t2 {p2[3]:.0f} MiB, Tally {t[3]:.0f} MiB")
    print(f"Tally snapshot open: {ts[0]:.1f} ms (peak RSS {ts[3]:.0f} MiB); a fresh process answering Q1 from the snapshot "
          f"(reading its columns): {first_query * 1000:.0f} ms")
    print(f"start-up on demo data (`tally -c 'sales | count'`): {startup * 1000:.0f} ms")
    if failed:
        sys.exit("results differ: " + ", ".join(failed))


if __name__ == "__main__":
    main()
