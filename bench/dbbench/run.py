#!/usr/bin/env python3
"""The db-benchmark groupby and join tasks: Tally beside DuckDB (CLI) and Polars, two threads each, on data none of us
chose (bench/dbbench/datagen.py writes it from the benchmark's published specification).

    python3 bench/dbbench/run.py                     # G1_1e7_1e2_0_0 and J1_1e7_NA_0_0, 3 timed runs
    python3 bench/dbbench/run.py --rows 1e6 --runs 5 --task groupby

For each task: writes the data once under bench/data/dbbench/, loads it in each engine (timed apart), runs each question
of questions.bench once untimed and --runs timed times inside the engine's own process (median reported; an answer is
materialised, as db-benchmark's `CREATE TABLE ans AS …`), checks the engines' answers agree by row count and the sums
of the `check:` columns (NaN left out, as Tally gives null for 0/0; relative difference 1e-6), and prints a table of times with Tally's ratio to the best of the
two. Peak memory is each process's maximum resident set.
"""
import argparse, math, os, re, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
from run import run  # noqa: E402  (one way to run a process and read its peak memory)
sys.path.insert(0, HERE)
from datagen import pretty  # noqa: E402

TALLY = os.path.join(ROOT, ".build", "release", "tally")


def questions(task):
    out, cur = [], None
    for line in open(os.path.join(HERE, "questions.bench"), encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("=== "):
            cur = {"name": line[4:]}
            out.append(cur)
        elif cur is not None and ": " in line:
            key, value = line.split(": ", 1)
            cur[key] = value
    return [q for q in out if q["name"].startswith(task + " ")]


def checks(q):
    return [c.strip() for c in q["check"].split(",")]


def tally(folder, qs, runs):
    """One tally process: each question, then the question with its check appended, exported."""
    results = tempfile.mkdtemp()
    script = tempfile.NamedTemporaryFile("w", suffix=".tq", delete=False)
    for i, q in enumerate(qs):
        sums = ", ".join(f"s{k} = sum({c})" for k, c in enumerate(checks(q)))
        script.write(f"{q['tally']}\n{q['tally']} | agg n = count(), {sums}\n.export {results}/c{i}.csv\n")
    script.close()
    _, err, rss, _ = run([TALLY, "--data", folder, "--bench", str(runs), "-f", script.name])
    os.unlink(script.name)
    load = float(re.search(r"^load\t([0-9.]+)", err, re.M).group(1))
    timed = [sorted(float(x) for x in m.split(","))[runs // 2] for m in re.findall(r"^bench\t([0-9.,]+)\t", err, re.M)]
    answers = [numbers(open(f"{results}/c{i}.csv").read().split("\n")[1]) for i in range(len(qs))]
    shutil.rmtree(results)
    return load, timed[0::2], answers, rss


def duckdb(folder, tables, qs, runs):
    exe = shutil.which("duckdb")
    if exe is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "duckdb-cli"], check=True)
        exe = shutil.which("duckdb")
    results = tempfile.mkdtemp()
    script = "SET threads=2;\n.timer on\n" + "".join(f"CREATE TABLE {t} AS FROM read_csv('{folder}/{t}.csv');\n" for t in tables)
    for i, q in enumerate(qs):
        sums = ", ".join(f"sum({c}) FILTER (WHERE NOT isnan({c}::DOUBLE))" for c in checks(q))
        script += "".join(f"CREATE OR REPLACE TABLE ans AS {q['sql']};\n" for _ in range(runs + 1))
        script += f".mode csv\n.output {results}/c{i}.csv\nSELECT count(*), {sums} FROM ans;\n.output /dev/null\n"
    out, err, rss, _ = run([exe, "-batch"], stdin=script + ".output\n")
    times = [float(m) * 1000 for m in re.findall(r"Run Time \(s\): real ([0-9.]+)", out + err)]
    load, k, per = sum(times[:len(tables)]), len(tables), []
    for _ in qs:
        per.append(sorted(times[k + 1:k + 1 + runs])[runs // 2])
        k += runs + 2
    answers = [numbers(open(f"{results}/c{i}.csv").read().split("\n")[1]) for i in range(len(qs))]
    shutil.rmtree(results)
    return load, per, answers, rss


POLARS = r'''
import sys, time
import polars as pl
folder, tables, runs = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
start = time.perf_counter()
frames = {t: pl.read_csv(f"{folder}/{t}.csv") for t in tables}
print(f"load {(time.perf_counter() - start) * 1000:.1f}", flush=True)
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    expr, columns = line.split("\t")
    query = eval(expr, {"pl": pl, **{t: f.lazy() for t, f in frames.items()}})
    times = []
    for run in range(runs + 1):
        start = time.perf_counter()
        ans = query.collect()
        if run:
            times.append((time.perf_counter() - start) * 1000)
    sums = [ans.height] + [ans[c].cast(pl.Float64).fill_nan(None).sum() for c in columns.split(",")]
    print("query " + ",".join(f"{t:.2f}" for t in times) + " check " + ",".join(repr(float(s)) for s in sums), flush=True)
'''


def polars(folder, tables, qs, runs):
    if subprocess.run([sys.executable, "-c", "import polars"], capture_output=True).returncode != 0:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "polars"], check=True)
    env = dict(os.environ, POLARS_MAX_THREADS="2")
    lines = "".join(f"{q['polars']}\t{','.join(checks(q))}\n" for q in qs)
    out, _, rss, _ = run([sys.executable, "-c", POLARS, folder, ",".join(tables), str(runs)], stdin=lines, env=env)
    load = float(re.search(r"^load ([0-9.]+)", out, re.M).group(1))
    found = re.findall(r"^query ([0-9.,]+) check (\S+)", out, re.M)
    per = [sorted(float(x) for x in t.split(","))[runs // 2] for t, _ in found]
    return load, per, [numbers(c) for _, c in found], rss


def numbers(line):
    return [float(x) if x not in ("", "NULL") else 0.0 for x in line.strip().split(",")]


def agree(a, b):
    return len(a) == len(b) and all(abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y)) for x, y in zip(a, b))


def data(task, rows, groups="1e2", nas=0):
    """The task's tables as name → CSV, written once under bench/data/dbbench/."""
    folder = os.path.join(BENCH, "data", "dbbench")
    n = pretty(float(rows))
    if task == "groupby":
        files = {"x": f"G1_{n}_{pretty(float(groups))}_{nas}_0.csv"}
    else:
        size = int(float(rows))
        files = {"x": f"J1_{n}_NA_0_0.csv", "small": f"J1_{n}_{pretty(size // 1_000_000)}_0_0.csv",
                 "medium": f"J1_{n}_{pretty(size // 1_000)}_0_0.csv", "big": f"J1_{n}_{n}_0_0.csv"}
    if not all(os.path.exists(os.path.join(folder, f)) for f in files.values()):
        arguments = ["groupby", rows, groups, str(nas), folder] if task == "groupby" else ["join", rows, folder]
        subprocess.run([sys.executable, os.path.join(HERE, "datagen.py"), *arguments], check=True)
    # Each engine reads the tables by name from a folder of links.
    named = os.path.join(folder, f"{task}-{n}" + (f"-{pretty(float(groups))}-{nas}" if task == "groupby" and (groups, nas) != ("1e2", 0) else ""))
    os.makedirs(named, exist_ok=True)
    for table, f in files.items():
        link = os.path.join(named, f"{table}.csv")
        if not os.path.exists(link):
            os.symlink(os.path.join(folder, f), link)
    return named, list(files)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="1e7")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--task", choices=["groupby", "join", "both"], default="both")
    ap.add_argument("--groups", default="1e2", help="groupby's K: 1e2 (the default table) or 1e1 (fewer, larger groups)")
    ap.add_argument("--nas", type=int, default=0, help="groupby's percent of nulls in each column: 0 or 5")
    args = ap.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "tally"], cwd=ROOT, check=True)
    print(f"machine: {os.cpu_count()} cores; {open('/proc/loadavg').read().split()[0]} load before the run")
    for task in (["groupby", "join"] if args.task == "both" else [args.task]):
        folder, tables = data(task, args.rows, args.groups, args.nas)
        qs = questions(task)
        d, p, t = duckdb(folder, tables, qs, args.runs), polars(folder, tables, qs, args.runs), tally(folder, qs, args.runs)
        variant = f" K={args.groups}, {args.nas}% null" if task == "groupby" else ""
        print(f"\n{task}, {args.rows} rows{variant}: load ms DuckDB {d[0]:.0f}, Polars {p[0]:.0f}, Tally {t[0]:.0f}; "
              f"peak MB DuckDB {d[3]:.0f}, Polars {p[3]:.0f}, Tally {t[3]:.0f}")
        print("| question | DuckDB t2 | Polars t2 | Tally | Tally / best | answers agree |")
        print("| --- | --- | --- | --- | --- | --- |")
        ratios = []
        for i, q in enumerate(qs):
            best = min(d[1][i], p[1][i])
            ratios.append(t[1][i] / best)
            same = "yes" if agree(t[2][i], d[2][i]) and agree(t[2][i], p[2][i]) else f"no: {t[2][i]} {d[2][i]} {p[2][i]}"
            print(f"| {q['name']} | {d[1][i]:.0f} | {p[1][i]:.0f} | {t[1][i]:.0f} | {ratios[-1]:.2f} | {same} |")
        print(f"geometric mean of Tally / best: {math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f}")


if __name__ == "__main__":
    main()
