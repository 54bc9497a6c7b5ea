#!/usr/bin/env python3
"""Measures how long Ctrl-C takes to bring the REPL back from a running query, per verb.

Starts `tally --db SNAPSHOT` on a pseudo-terminal, and for each query below types it, waits until it has run for
DELAY seconds, sends Ctrl-C and times until `cancelled` (or the query's own end) appears: the prompt is back. Then it
sends a one-row query and times until its answer appears: the abandoned work has stopped and the shell is free
again. Queries that finish before DELAY are reported as such. Usage:

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


unread = b""


def read_until(fd, marks, seconds):
    """Reads until one of `marks` appears; what follows the mark stays unread for the next call."""
    global unread
    end, seen = time.time() + seconds, unread
    while True:
        found = [(seen.index(m), m) for m in marks if m in seen]
        if found:
            at, m = min(found)
            unread = seen[at + len(m):]
            return m, seen[:at + len(m)]
        if time.time() >= end:
            unread = b""
            return None, seen
        r, _, _ = select.select([fd], [], [], 0.01)
        if r:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                unread = b""
                return None, seen


def main():
    tally, snapshot = sys.argv[1], sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm", "NO_COLOR": "1", "PAGER": "cat"})
        os.execv(tally, [tally, "--db", snapshot])
    read_until(fd, [b"tally> "], 120)
    print(f"{'verb':<10} {'prompt ms':>10} {'free ms':>8}  note")
    for name, query in QUERIES:
        os.write(fd, query.encode() + b"\r")
        mark, _ = read_until(fd, [b"\ntally> "], delay)
        if mark:
            print(f"{name:<10} {'-':>10} {'-':>8}  finished within {delay} s")
            continue
        sent = time.time()
        os.write(fd, b"\x03")
        mark, _ = read_until(fd, [b"cancelled", b"\ntally> "], 60)
        latency = (time.time() - sent) * 1000
        read_until(fd, [b"tally> "], 60)
        os.write(fd, b'targets | count | derive s = concat("re", "ady")\r')
        read_until(fd, [b"ready"], 60)
        free = (time.time() - sent) * 1000
        read_until(fd, [b"tally> "], 60)
        note = 'cancelled' if mark == b'cancelled' else 'ended without cancelling'
        print(f"{name:<10} {latency:>10.0f} {free:>8.0f}  {note}")
    os.write(fd, b"\x04")


if __name__ == "__main__":
    main()
