#!/usr/bin/env python3
"""Tally beside DuckDB on the same CSVs: load time, per-query time, peak memory, result check.

    python3 bench/run.py                 # 10m sales rows (data generated once under bench/data/)
    python3 bench/run.py --scale 1m      # a quick run
    python3 bench/run.py --runs 5

Builds tally in release mode, writes the data with `tally gen` when missing, installs duckdb-cli
from PyPI when missing, runs every query of bench/queries.bench once to warm up and then --runs
times inside each engine's own process (load excluded, reported apart), checks both engines return
the same rows (numbers rounded to 2 decimals) and prints one table with the ratios.
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
        elif cur is not None and line.startswith("tally: "):
            cur["tally"] = line[7:]
        elif cur is not None and line.startswith("sql: "):
            cur["sql"] = line[5:]
    return out


def run(cmd, stdin=None):
    """Runs a command, returning (stdout, stderr, peak RSS in MiB, wall seconds)."""
    start = time.time()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
    subprocess.run(["swift", "build", "-c", "release", "--product", "tally"], cwd=ROOT, check=True)
    data = os.path.join(HERE, "data", args.scale)
    if not os.path.exists(os.path.join(data, "sales.csv")):
        subprocess.run([TALLY, "gen", "--scale", args.scale, "--out", data], check=True)
    exe = shutil.which("duckdb")
    if not exe:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "duckdb-cli"], check=True)
        exe = shutil.which("duckdb")
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
    t = tally(core, qs, args.runs)
    ts = tally(core, qs[:1], 1, db=snapshot)
    _, _, _, startup = run([TALLY, "-c", "sales | count"])

    failed = []
    print(f"\n{args.scale} sales rows, {args.runs} timed runs (median), {os.cpu_count()} cores\n")
    print(f"{'query':<38} {'DuckDB t1 ms':>12} {'DuckDB t2 ms':>12} {'Tally ms':>10} {'Tally/t2':>9}  result")
    ratios = []
    for i, q in enumerate(qs):
        ok = same(rows(t[2][i]), rows(d2[2][i])) if i < len(t[2]) else False
        if not ok:
            failed.append(q["name"])
        ratio = t[1][i] / max(d2[1][i], 1e-3)
        ratios.append(ratio)
        print(f"{q['name']:<38} {d1[1][i]:>12.1f} {d2[1][i]:>12.1f} {t[1][i]:>10.1f} {ratio:>9.2f}  {'same' if ok else 'DIFFERENT'}")
    geo = math.exp(sum(math.log(max(r, 1e-9)) for r in ratios) / len(ratios))
    print(f"{'geometric mean of Tally / DuckDB-t2':<64} {geo:>9.2f}")
    print(f"\nCSV load (3 tables): DuckDB t1 {d1[0]:.0f} ms, t2 {d2[0]:.0f} ms, Tally {t[0]:.0f} ms")
    print(f"peak RSS: DuckDB t1 {d1[3]:.0f} MiB, t2 {d2[3]:.0f} MiB, Tally {t[3]:.0f} MiB")
    print(f"Tally snapshot open: {ts[0]:.0f} ms (peak RSS {ts[3]:.0f} MiB); start-up on demo data (`tally -c 'sales | count'`): {startup * 1000:.0f} ms")
    if failed:
        sys.exit("results differ: " + ", ".join(failed))


if __name__ == "__main__":
    main()
