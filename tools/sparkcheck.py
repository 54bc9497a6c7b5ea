#!/usr/bin/env python3
"""The Spark check: every golden case's Spark SQL run by Spark in local mode against Tally's own answers.

    python3 tools/sparkcheck.py          # pip install pyspark (Java 17 on the machine); about 3 minutes

The same as `python3 tools/sqlcheck.py --engine spark` (see there); prints `N passed, M failed`.
"""
import os
import sys

sys.argv[1:1] = ["--engine", "spark"]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sqlcheck import main  # noqa: E402

main()
