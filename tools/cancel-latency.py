#!/usr/bin/env python3
"""Measures how long Ctrl-C takes to bring the REPL back from a running query, per verb.

Starts `tally --db SNAPSHOT` on a pseudo-terminal, and for each query below types it, waits until it has run for
DELAY seconds, sends Ctrl-C and times until `cancelled` (or the query's own end) appears. Queries that finish before
DELAY are reported as such. Usage:

    tally pack bench/data/10m -o /tmp/10m.tally
    tools/cancel-latency.py .build/release/tally /tmp/10m.tally [DELAY]
"""
import os, pty, select, sys, time

QUERIES = [
    ("where", "sales | where amount > 100 and region == \"East\" and channel != \"web\" | count"),
    ("derive", "sales | derive x = amount * 2 + quantity | agg s = sum(x)"),
    ("agg", "sales | agg n = count(), s = sum(amount) by customer_id, product"),
    ("sort", "sales | sort -amount, rep | take 5"),
    ("distinct", "sales | distinct customer_id, product, date | count"),
    ("join", "sales | join customers on customer_id | agg n = count() by industry"),
    ("top", "sales | top 3 by amount per customer_id | count"),
    ("segment", "sales | segment amount into 10 | agg n = count() by segment"),
    ("rfm", "sales | rfm | agg n = count() by tier"),
    ("abc", "sales | abc amount by order_id | agg n = count() by class"),
    ("cohort", "sales | cohort per month | count"),
    ("pivot", "sales | pivot region sum(amount) by customer_id | count"),
    ("terms", "reviews | terms text top 5"),
    ("window", "sales | derive r = running_sum(amount) over customer_id | agg s = max(r)"),
    ("whatif", "sales | whatif amount *= 1.05 | agg r = sum(amount) by region"),
    ("goal", "sales | goal sum(amount) = 1e9 vary g in 0..5 with amount *= 1 + g by region"),
    ("simulate", "sales | simulate sum(amount) per date next 365 runs 1000000"),
    ("union", "sales | union sales | count"),
]


def read_until(fd, marks, seconds):
    end, seen = time.time() + seconds, b""
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.01)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            for m in marks:
                if m in seen:
                    return m, seen
    return None, seen


def main():
    tally, snapshot = sys.argv[1], sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm", "NO_COLOR": "1", "PAGER": "cat"})
        os.execv(tally, [tally, "--db", snapshot])
    read_until(fd, [b"tally> "], 120)
    print(f"{'verb':<10} {'latency ms':>10}  note")
    for name, query in QUERIES:
        os.write(fd, query.encode() + b"\r")
        mark, _ = read_until(fd, [b"\ntally> "], delay)
        if mark:
            print(f"{name:<10} {'-':>10}  finished within {delay} s")
            continue
        sent = time.time()
        os.write(fd, b"\x03")
        mark, _ = read_until(fd, [b"cancelled", b"\ntally> "], 60)
        latency = (time.time() - sent) * 1000
        print(f"{name:<10} {latency:>10.0f}  {'cancelled' if mark == b'cancelled' else 'ended without cancelling'}")
        read_until(fd, [b"tally> "], 60)
    os.write(fd, b"\x04")


if __name__ == "__main__":
    main()
