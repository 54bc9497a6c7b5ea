#!/usr/bin/env python3
"""Writes and runs a corpus of bad input: every registered function and every verb given hostile arguments, and
statements built to overflow, explode or escape. Each case must end with exit status 0 or 1 within the time limit: a
signal (a trap), another status or a hang is a finding.

    tools/bad-inputs.py write FILE          writes the corpus, one statement per line
    tools/bad-inputs.py run BINARY FILE     runs each line as `BINARY --format csv --memory-limit 4GB -c LINE`, one at a time

The committed corpus (Tests/TallyEngineTests/BadInput/corpus.tq) runs in the test suite too, in one process
(BadInputCorpusTests). A 4 GB limit stands for a shared machine's setting: an exploding join is then refused at once
instead of taking minutes to print a hundred million rows.

The cases come from lists here, not from Tally's tests: hostile values (the extremes of 64-bit integers and doubles,
empty and control-character text, impossible dates and periods) in every argument position of every function, and
every verb with extreme counts, empty inputs and keys that multiply.
"""
import concurrent.futures, itertools, subprocess, sys

HOSTILE = ["9223372036854775807", "-9223372036854775808", "9223372036854775807 + 1", "-9223372036854775808 - 1", "1e308", "-1e308",
           "1e308 * 10", "1e-320", "0", "-0.0", "0 / 0", "1 / 0", "-1", "\"\"", "\"\\n\"", "\"\\u{202e}x\"", "\"x\" * 3",
           "null", "true", "2025-13", "2025-02-30", "0001-01-01", "9999-12-31", "date(\"x\")", "date(\"\\n\") + 9223372036854775807",
           "2025-W53", "2025-Q5", "amount", "date", "rep", "1e300 * 1e300"]
FUNCTIONS = ["abs", "add_months", "add_quarters", "add_years", "ago", "ceil", "coalesce", "concat", "contains", "date", "date_trunc", "day",
             "days_in", "elapsed", "end_of", "endofmonth", "endofquarter", "endofweek", "endofyear", "ends_with", "exp", "float", "floor",
             "format", "greatest", "if", "int", "last_year", "least", "len", "ln", "lower", "month", "pow", "quarter", "replace", "round",
             "sqrt", "start_of", "startofmonth", "startofquarter", "startofweek", "startofyear", "starts_with", "str", "substr", "tiered",
             "tiered_flat", "today", "trim", "upper", "week", "weekday", "year"]
AGGREGATES = ["avg", "count", "count_distinct", "countif", "csat", "first", "last", "max", "median", "min", "nps", "quantile", "stddev", "sum",
              "sumif"]
WINDOWS = ["lag", "lead", "moving_avg", "moving_sum", "pct", "pct_change", "prev", "rank", "row_number", "running_sum", "share", "total"]
COUNTS = ["0", "-1", "9223372036854775807", "-9223372036854775808", "1e308", "2147483648", "1.5", "\"x\""]


def cases():
    for f in FUNCTIONS:
        for v in HOSTILE:
            yield f"sales | derive x = {f}({v}) | take 3"
        for v, w in itertools.product(["amount", "date", "rep", "9223372036854775807", "1e308", "\"\"", "2025-11"], HOSTILE[:12]):
            yield f"sales | derive x = {f}({v}, {w}) | take 3"
    for f in AGGREGATES:
        for v in HOSTILE:
            yield f"sales | agg x = {f}({v}) by region"
        yield f"sales | where amount < 0 | agg x = {f}(amount)"
    for f in WINDOWS:
        for v in HOSTILE[:14]:
            yield f"sales | derive x = {f}(amount, {v}) | take 3"
            yield f"sales | sort date | derive x = {f}({v}) | take 3"
    for n in COUNTS:
        yield f"sales | take {n}"
        yield f"sales | top {n} by amount"
        yield f"sales | top {n} by amount per region"
        yield f"sales | chart hist amount bins {n}"
        yield f"sales | simulate sum(amount) per date next {n} runs 10"
        yield f"sales | simulate sum(amount) per date next 3 runs {n}"
        yield f"sales | abc amount by product into {n}"
        yield f"sales | segment amount into {n}"
        yield f"sales | derive x = lag(amount, {n}, date) | take 3"
        yield f"sales | derive x = round(amount, {n}) | take 3"
    for v in HOSTILE:
        yield f"sales | where amount > {v} | count"
        yield f"sales | derive a = if(amount > 1k, {v}, -{v}) | chart hist a bins 10"
        yield f"sales | derive a = {v} | chart bar rep a"
        yield f"sales | derive a = {v} | chart line date a"
        yield f"sales | derive a = {v} | agg s = sum(a) by region | chart bridge region s"
        yield f"sales | derive a = {v} | pivot sum(a) by region, channel"
        yield f"sales | derive a = {v} | sort a | take 3"
        yield f"sales | derive a = {v} | distinct a"
        yield f"sales | derive a = {v} | join customers on customer_id | take 3"
        yield f"sales | whatif amount *= {v} | agg s = sum(amount)"
        yield f"sales | goal sum(amount) = {v} vary p in 0..1 with amount *= 1 + p"
        yield f"sales | derive d = date + {v} | agg n = count() by month(d)"
        yield f"sales | why sum(amount) * {v} from 2025-10 to 2025-11 by region"
        yield f"sales | pvm unit_price * {v}, quantity from 2025-10 to 2025-11 by category"
        yield f"sales | rfm customer_id, date, amount * {v}"
        yield f"sales | cohort customer_id, date + {v}"
    for key in ["discount", "region", "channel", "quantity", "date"]:
        yield f"sales | join sales on {key} | rename n = date"
        yield f"sales | join sales on {key} | count"
        yield f"sales | join left sales on {key} | sort amount | take 2"
    yield "let a = sales | union sales | union sales | union sales | union sales | union sales | union sales | union sales"
    yield "sales | derive seg = date(\"\\n\"), revenue = month(seg + -1 + 9223372036854775807 - 1)"
    yield "sales | " + " | ".join(["derive x = amount"] * 999)
    yield "sales | where " + "(" * 300 + "true" + ")" * 300
    yield "sales | derive s = " + " + ".join(["\"xxxxxxxxxx\""] * 500) + " | take 1"


def run(binary, line, seconds=60):
    try:
        done = subprocess.run([binary, "--format", "csv", "--memory-limit", "4GB", "-c", line], capture_output=True, timeout=seconds)
    except subprocess.TimeoutExpired:
        return "hang"
    if done.returncode in (0, 1):
        return None
    return f"exit {done.returncode}: {done.stderr.decode(errors='replace')[-300:]}"


def main():
    if sys.argv[1] == "write":
        with open(sys.argv[2], "w") as f:
            for line in cases():
                f.write(line + "\n")
        return
    binary, path = sys.argv[2], sys.argv[3]
    lines = [l for l in open(path).read().split("\n") if l]
    findings = 0
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        for line, result in zip(lines, pool.map(lambda l: run(binary, l), lines)):
            if result:
                findings += 1
                print(f"FINDING {result}\n  {line[:300]}")
    print(f"{len(lines)} cases, {findings} findings")
    sys.exit(1 if findings else 0)


main()
