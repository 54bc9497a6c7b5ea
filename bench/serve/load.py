#!/usr/bin/env python3
"""Load test of `tally serve`: 50 concurrent clients (wrk, loopback only) for a fixed time over a mix of pages.

Starts the server (no auth, on this machine only, the examples on the demo data), warms it up, then runs wrk with a Lua
script rotating through the mix: the index, the API docs, the JSON index, on_track's page and JSON API over 12 months x
28 days (336 different runs, each run once and then served from the cache), chart pages, a percentage scenario over
several prices, and CSV, Excel and Parquet downloads. Samples the server's resident memory every second.

Reports requests/second, latency percentiles, errors and non-2xx answers, and memory at the start and end of the run.
--check exits 1 on any error, non-2xx answer or memory growth over 20% (the suite runs it that way, briefly);
--record writes the figures to bench/RESULTS.md's `tally serve` section.
Usage: bench/serve/load.py [--binary PATH] [--seconds 60] [--connections 50] [--check] [--record]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def mix():
    paths = ["/", "/api", "/index.json", "/q/last_12_months", "/q/customer_tiers", "/q/customer_tiers.csv", "/q/on_track.xlsx",
             "/q/on_track.parquet?month=2025-10", "/q/monthly_review?month=2025-09"]
    paths += ["/q/price_scenario?price=%d%%25" % p for p in range(1, 11)]
    for month in range(1, 13):
        for day in range(1, 29):
            paths.append("/q/on_track.json?month=2025-%02d&day=%d" % (month, day))
            if day % 7 == 0:
                paths.append("/q/on_track?month=2025-%02d&day=%d" % (month, day))
    return paths


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/tally"))
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()

    env = dict(os.environ, TALLY_TODAY="2025-11-15")
    load_before = os.getloadavg()[0]
    server = subprocess.Popen([args.binary, "serve", "--port", "0", "--examples", os.path.join(ROOT, "examples")], env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", server.stdout.readline()).group(1))
        base = "http://127.0.0.1:%d" % port
        paths = mix()
        # Warm-up: every distinct page once, so the timed run measures serving, with the runs' first hits mixed in.
        for path in paths[:19]:
            urllib.request.urlopen(base + path).read()
        start_rss = rss_kb(server.pid)
        samples = []
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                samples.append(rss_kb(server.pid))
                time.sleep(1)
        sampler = threading.Thread(target=sample)
        sampler.start()
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write("paths = {%s}\ncounter = 0\n" % ",".join('"%s"' % p for p in paths))
            lua.write("request = function()\n  counter = counter + 1\n  return wrk.format('GET', paths[(counter %% #paths) + 1])\nend\n")
        wrk = subprocess.run(["wrk", "-t2", "-c%d" % args.connections, "-d%ds" % args.seconds, "--timeout", "20s", "--latency", "-s", lua.name, base],
                             capture_output=True, text=True)
        stop.set()
        sampler.join()
        os.unlink(lua.name)
        out = wrk.stdout
        print(out)
        requests = int(re.search(r"(\d+) requests in", out).group(1))
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        latency = {p: re.search(r"\s%s%%\s+([\d.]+\w+)" % p, out).group(1) for p in ("50", "90", "99")}
        errors = re.search(r"Socket errors: (.*)", out)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        end_rss = rss_kb(server.pid)
        peak_rss = max(samples + [end_rss])
        growth = end_rss / start_rss
        summary = ("%d clients, %d s: %d requests, %.0f requests/s; latency p50 %s, p90 %s, p99 %s; socket errors: %s; non-2xx: %s; "
                   "memory %.0f MB after warm-up, %.0f MB at the end (peak %.0f MB)") % (
            args.connections, args.seconds, requests, rps, latency["50"], latency["90"], latency["99"], errors.group(1) if errors else "none",
            non2xx.group(1) if non2xx else "0", start_rss / 1024, end_rss / 1024, peak_rss / 1024)
        print(summary)
        failed = errors is not None or non2xx is not None or growth > 1.2
        if args.record:
            record(summary, args, load_before)
        if args.check and failed:
            print("load test: FAILED (errors, non-2xx answers, or memory grew %.0f%%)" % ((growth - 1) * 100))
            return 1
        print("load test: passed" if not failed else "load test: see above")
        return 0
    finally:
        server.terminate()
        server.wait(timeout=30)


def record(summary, args, load_before):
    path = os.path.join(ROOT, "bench/RESULTS.md")
    text = open(path).read()
    heading = "## tally serve under load"
    section = (heading + "\n\n`python3 bench/serve/load.py --binary .build/release/tally --seconds %d --record` (wrk, %d connections on 2 threads, "
               "loopback, the examples on the demo data, release build; 1-minute load average %.2f before the run; server and wrk share the "
               "machine's 2 cores):\n\n%s.\n") % (args.seconds, args.connections, load_before, summary)
    if heading in text:
        start = text.index(heading)
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + (text[end:] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    sys.exit(main())
