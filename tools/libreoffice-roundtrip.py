#!/usr/bin/env python3
"""Checks that LibreOffice reads Tally's .xlsx as the data it came from.

    tools/libreoffice-roundtrip.py [TALLY]

For every seeds/ table: `tally convert seeds/T.csv T.xlsx`, then `soffice --headless --convert-to csv`, then the
CSV LibreOffice wrote is compared with seeds/T.csv (numbers to a cent or 1e-9 relative, as tools/crosscheck.py
compares). Prints `N passed, M failed`. Needs LibreOffice Calc (apt-get install libreoffice-calc).
"""
import os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from crosscheck import rows, same  # noqa: E402

# Comma-separated, double quotes, UTF-8, first line kept, cells as shown (so dates stay yyyy-mm-dd).
FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false"


def main():
    tally = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "tally")
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        tables = sorted(f[:-4] for f in os.listdir(os.path.join(ROOT, "seeds")) if f.endswith(".csv"))
        for t in tables:
            subprocess.run([tally, "convert", os.path.join(ROOT, "seeds", f"{t}.csv"), os.path.join(tmp, f"{t}.xlsx")], check=True)
        subprocess.run(["soffice", "--headless", "--convert-to", FILTER, "--outdir", os.path.join(tmp, "csv")]
                       + [os.path.join(tmp, f"{t}.xlsx") for t in tables], check=True, capture_output=True)
        for t in tables:
            ok = same(rows(open(os.path.join(ROOT, "seeds", f"{t}.csv"), encoding="utf-8").read()),
                      rows(open(os.path.join(tmp, "csv", f"{t}.csv"), encoding="utf-8").read()))
            print(f"{t}: {'same' if ok else 'DIFFERENT'}")
            passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
