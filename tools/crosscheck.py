#!/usr/bin/env python3
"""Checks golden expectations against DuckDB.

Every golden case whose query carries `-- duckdb: SQL` lines is answered by DuckDB on the CSVs in
seeds/ (the demo data; a unit test keeps them equal to the generator). The rows DuckDB returns must
equal the expected rows of the golden case, numbers compared after rounding to 2 decimals (relative
1e-9 for large values). Not part of `swift test`: run `python3 tools/crosscheck.py` (installs
duckdb-cli from PyPI when missing).

Usage: tools/crosscheck.py [GOLDEN_DIR] [--seeds DIR]
"""
import csv, io, os, re, shutil, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def duckdb_binary():
    exe = shutil.which("duckdb")
    if exe:
        return exe
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "duckdb-cli"], check=True)
    return shutil.which("duckdb") or "duckdb"


def cases(path):
    name, query, expected, in_expected = None, [], [], False
    for line in open(path, encoding="utf-8").read().split("\n") + ["=== "]:
        if line.startswith("=== "):
            if name is not None:
                sql = " ".join(l[len("-- duckdb:"):].strip() for l in query if l.startswith("-- duckdb:"))
                while expected and expected[-1] == "":
                    expected.pop()
                if sql:
                    yield name, sql, "\n".join(without_warnings(expected))
            name, query, expected, in_expected = line[4:], [], [], False
        elif line == "---" and not in_expected:
            in_expected = True
        elif in_expected:
            expected.append(line)
        else:
            query.append(line)


def without_warnings(lines):
    """The result's lines without Tally's warnings (a `<source>:line:col: warning:` line and its indented lines)."""
    kept, in_warning = [], False
    for line in lines:
        if re.match(r"^<?[^,]*>?:\d+:\d+: warning: ", line):
            in_warning = True
        elif not (in_warning and line.startswith("  ")):
            in_warning = False
            kept.append(line)
    return kept


def normalise(value):
    if value in ("", "NULL"):
        return None
    try:
        f = float(value)
    except ValueError:
        return value
    return None if f != f else f


def rows(text):
    return [[normalise(v) for v in r] for r in csv.reader(io.StringIO(text))]


def same(a, b):
    """Rows equal after rounding numbers to 2 decimals (a cent either way, or 1e-9 relative)."""
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b):
        if len(ra) != len(rb):
            return False
        for x, y in zip(ra, rb):
            if isinstance(x, float) and isinstance(y, float):
                if abs(x - y) > max(0.0101, 1e-9 * abs(y)):
                    return False
            elif x != y:
                return False
    return True


def main():
    args = sys.argv[1:]
    seeds = os.path.join(ROOT, "seeds")
    if "--seeds" in args:
        i = args.index("--seeds")
        seeds = args[i + 1]
        del args[i:i + 2]
    golden = args[0] if args else os.path.join(ROOT, "Tests", "TallyEngineTests", "Golden")
    duck = duckdb_binary()
    setup = "".join(
        f"CREATE TABLE {t} AS FROM read_csv('{seeds}/{t}.csv', types={{{types}}});"
        for t, types in [("sales", "'date': 'DATE'"), ("customers", "'signup_date': 'DATE'"),
                         ("reviews", "'date': 'DATE', 'text': 'VARCHAR'"), ("targets", "'month': 'VARCHAR'"),
                         ("opportunities", "'created': 'DATE', 'closed': 'DATE'"), ("stage_changes", "'entered': 'DATE'"),
                         ("activities", "'date': 'DATE', 'opportunity_id': 'BIGINT'"),
                         ("trainings", "'date': 'DATE'")])
    checked = failed = 0
    for dirpath, _, files in sorted(os.walk(golden)):
        for f in sorted(files):
            if not f.endswith(".test"):
                continue
            for name, sql, expected in cases(os.path.join(dirpath, f)):
                checked += 1
                got = subprocess.run([duck, "-csv", "-c", setup + sql], capture_output=True, text=True)
                if got.returncode != 0:
                    failed += 1
                    print(f"FAIL {f}: {name}: duckdb error: {got.stderr.strip()}")
                    continue
                want, have = rows(expected), rows(got.stdout)
                # Header names may differ between the engines; compare the data rows.
                if not same(want[1:], have[1:]):
                    failed += 1
                    print(f"FAIL {f}: {name}\n  tally : {want[1:6]}\n  duckdb: {have[1:6]}")
    print(f"{checked - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
