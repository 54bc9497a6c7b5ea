#!/usr/bin/env python3
"""Checks the SQL Tally compiles for DuckDB or Spark against the real engine.

Loads seeds/ and the fixtures the golden cases `.load` (as Parquet written by `tally convert`, so the types are Tally's)
into DuckDB or into Spark in local mode, then for every golden case that is one query (its `let` names become stages of
the query's statement; no other dot-command, not an expected error) compiles it with `tally sql --dialect ENGINE`, runs the SQL on the engine and compares the rows
with Tally's own answer over the same files (`tally --data … --format csv`): the same columns, the same rows in the same
order, numbers equal to 1e-9 relative.

    python3 tools/sqlcheck.py --engine duckdb        # pip install duckdb
    python3 tools/sqlcheck.py --engine spark         # pip install pyspark (Java 17 on the machine)

Prints each failure, then `N passed, M failed` (with how many were refused by name, or skipped).
"""
import argparse
import csv
import datetime
import glob
import io
import math
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = dict(os.environ, TALLY_TODAY="2025-11-15", NO_COLOR="1", TALLY_CONNECT="")


def golden_cases():
    """(file, name, query, expected lines) of every golden case."""
    for path in sorted(glob.glob(os.path.join(ROOT, "Tests/TallyEngineTests/Golden/*/*.test"))):
        text = open(path, encoding="utf-8").read()
        for block in re.split(r"^=== ", text, flags=re.M)[1:]:
            name, _, rest = block.partition("\n")
            query, _, expected = rest.partition("\n---\n")
            yield os.path.relpath(path, ROOT), name, query.strip("\n"), expected.strip("\n").split("\n")


FIXTURES = {"tiny.csv": ["tiny", "t2"], "quoted.csv": ["quoted"], "widen.csv": ["widen"], "pairs.tsv": ["kv"]}


def without_loads(query):
    """The query with its `.load` of a fixture the engine holds (see FIXTURES) taken out, or None if it loads another."""
    kept = []
    for line in query.split("\n"):
        m = re.match(r"\.load Tests/TallyEngineTests/Fixtures/(\S+)(?: as (\S+))?$", line.strip())
        if m:
            table = m.group(2) or m.group(1).rsplit(".", 1)[0]
            if table not in FIXTURES.get(m.group(1), []):
                return None
            continue
        kept.append(line)
    return "\n".join(kept)


def checkable(query, expected):
    lines = [l for l in query.split("\n") if l.strip() and not l.strip().startswith(("--", "#"))]
    if any(l.lstrip().startswith(".") for l in lines):
        return False
    return not any(": error:" in l or ": warning:" in l for l in expected)


class DuckDB:
    def __init__(self, folder):
        import duckdb
        self.db = duckdb.connect()
        for path in sorted(glob.glob(os.path.join(folder, "*.parquet"))):
            name = os.path.basename(path)[:-8]
            self.db.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')")

    def run(self, sql):
        cursor = self.db.execute(sql)
        return [d[0] for d in cursor.description], cursor.fetchall()


class Spark:
    def __init__(self, folder):
        from pyspark.sql import SparkSession
        builder = SparkSession.builder.master("local[2]").appName("tally-sqlcheck").config("spark.sql.session.timeZone", "UTC")
        self.spark = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate()
        self.spark.sparkContext.setLogLevel("ERROR")
        for path in sorted(glob.glob(os.path.join(folder, "*.parquet"))):
            name = os.path.basename(path)[:-8]
            # One partition keeps the rows in file order, which Tally's order of ties assumes.
            self.spark.read.parquet(path).coalesce(1).cache().createOrReplaceTempView(name)

    def run(self, sql):
        df = self.spark.sql(sql)
        return df.columns, [tuple(r) for r in df.collect()]


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    return str(value)


def same_cell(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if math.isnan(x) and math.isnan(y):
        return True
    return abs(x - y) <= 1e-9 * max(abs(x), abs(y))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--tally", default=os.path.join(ROOT, ".build/debug/tally"))
    parser.add_argument("--verbose", action="store_true", help="say why each case that is not checked is not")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="tally-sqlcheck-")
    for path in sorted(glob.glob(os.path.join(ROOT, "seeds/*.csv"))):
        out = os.path.join(folder, os.path.basename(path)[:-4] + ".parquet")
        subprocess.run([args.tally, "convert", path, out], check=True, env=ENV)
    for file, tables in FIXTURES.items():
        for table in tables:
            path = os.path.join(ROOT, "Tests/TallyEngineTests/Fixtures", file)
            subprocess.run([args.tally, "convert", path, os.path.join(folder, table + ".parquet")], check=True, env=ENV)
    engine = DuckDB(folder) if args.engine == "duckdb" else Spark(folder)
    passed = failed = refused = skipped = 0
    for file, name, query, expected in golden_cases():
        params = []
        run = re.match(r"\.run (\w+)((?: \w+=\S+)*)$", query.strip())
        if run and os.path.exists(os.path.join(ROOT, "examples", run.group(1) + ".tq")):
            # A saved example: its text, with the parameters `.run` gives.
            query = open(os.path.join(ROOT, "examples", run.group(1) + ".tq"), encoding="utf-8").read()
            params = [a for p in run.group(2).split() for a in ("--param", p)]
        query = without_loads(query)
        if query is None or not checkable(query, expected):
            skipped += 1
            continue
        compiled = subprocess.run([args.tally, "sql", "--data", folder, "--dialect", args.engine] + params + ["-c", query],
                                  capture_output=True, text=True, env=ENV, cwd=ROOT)
        if compiled.returncode != 0:
            if "cannot be compiled to SQL" in compiled.stderr:
                refused += 1
            else:
                skipped += 1
                if args.verbose:
                    print(f"SKIP {file}: {name}: {compiled.stderr.strip()[:200]}")
            continue
        statements = [s for s in compiled.stdout.split(";\n") if s.strip()]
        if len(statements) != 1:
            skipped += 1
            continue
        mine = subprocess.run([args.tally, "--data", folder, "--format", "csv"] + params + ["-c", query], capture_output=True, text=True, env=ENV, cwd=ROOT)
        rows = [r if r else [""] for r in csv.reader(io.StringIO(mine.stdout))]
        try:
            columns, result = engine.run(statements[0])
        except Exception as e:  # the engine's own error is the finding
            failed += 1
            print(f"FAIL {file}: {name}\n  {str(e).splitlines()[0][:300]}\n  {statements[0][:2000]}\n")
            continue
        got = [columns] + [[cell(v) for v in r] for r in result]
        ok = len(got) == len(rows) and all(len(a) == len(b) and all(same_cell(x, y) for x, y in zip(a, b)) for a, b in zip(got, rows))
        if ok:
            passed += 1
        else:
            failed += 1
            first = next((i for i, (a, b) in enumerate(zip(got, rows)) if a != b), min(len(got), len(rows)))
            print(f"FAIL {file}: {name}\n  rows: engine {len(got) - 1}, tally {len(rows) - 1}; first difference at line {first}:"
                  f"\n  engine {got[first] if first < len(got) else None}\n  tally  {rows[first] if first < len(rows) else None}\n")
    print(f"{args.engine}: {refused} refused by name, {skipped} not single queries (dot-commands, expected errors)")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
