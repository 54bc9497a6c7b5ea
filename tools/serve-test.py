#!/usr/bin/env python3
"""End-to-end test of `tally serve` in a real browser and over raw HTTP.

Starts the real binary (an --auth-file with one user, the examples plus Tests/TallyServeTests/Scripts, --allow-queries,
a 3-second time limit) on a free port, then:
  - in headless Chromium driven by chromedriver and Selenium: logs in, opens the index, fills on_track's parameter form,
    submits, reads the table's cells and compares them with `tally -f` on the same script; downloads the CSV by clicking
    its link and compares it byte for byte with `tally -f --format csv`; reads a chart's SVG; checks a refused value's
    message beside its field, markup in cells shown as text, a served `.load` refused, the ad-hoc page; and screenshots
    every page of the examples (to SHOTS, default /tmp/tally-serve-shots);
  - over HTTP: access (401 JSON, 303 to the login), the JSON API against the CSV, Excel and Parquet downloads (the Parquet
    file read back by `tally convert`), the password hash against Python's hashlib, and malformed requests (a huge header,
    10,000 parameters, bad escapes, bad UTF-8, path traversal, wrong types, POST) each answered 4xx with the server
    still serving after;
  - then SIGTERM: the server stops by itself, status 0; and `tally serve --check` and `--bind 0.0.0.0` without auth.
Exit status 0 when every check passed. Usage: tools/serve-test.py [path/to/tally]
"""
import base64
import csv
import hashlib
import http.cookiejar
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TALLY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/tally")
SCRIPTS = os.path.join(ROOT, "Tests/TallyServeTests/Scripts")
SHOTS = os.environ.get("SHOTS", "/tmp/tally-serve-shots")
ENV = dict(os.environ, TALLY_TODAY="2025-11-15")
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def tally_csv(script, *params):
    args = [TALLY, "-f", os.path.join(ROOT, "examples", script + ".tq"), "--format", "csv"]
    for p in params:
        args += ["--param", p]
    return subprocess.run(args, env=ENV, capture_output=True, text=True, check=True).stdout


def raw(port, request):
    """Sends bytes as they are and returns the status line's code (0 when the server closed without one)."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as s:
        s.sendall(request)
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    m = re.match(rb"HTTP/1\.1 (\d{3})", data)
    return int(m.group(1)) if m else 0


def main():
    work = tempfile.mkdtemp(prefix="tally-serve-test.")
    # The password's hash from the binary, checked against hashlib's PBKDF2 (an independent implementation).
    password = "correct horse battery staple"
    hashed = subprocess.run([TALLY, "serve", "--hash-password"], input=password + "\n", capture_output=True, text=True, check=True).stdout.strip()
    scheme, rounds, salt, digest = hashed.split("$")
    expected = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(rounds))
    check(scheme == "pbkdf2-sha256" and base64.b64decode(digest) == expected, "password hash matches hashlib.pbkdf2_hmac")
    auth = os.path.join(work, "users")
    with open(auth, "w") as f:
        f.write("# readers\nmanager:" + hashed + "\n")

    server = subprocess.Popen([TALLY, "serve", "--port", "0", "--auth-file", auth, "--examples", os.path.join(ROOT, "examples"),
                               "--examples", SCRIPTS, "--allow-queries", "--timeout", "3"],
                              env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        check(m is not None and "readers log in (1 user)" in line, "server starts and says where: " + line.strip())
        if not m:
            print(server.stderr.read())
            return
        port = int(m.group(1))
        base = "http://127.0.0.1:%d" % port
        http_checks(base, port, password)
        browser_checks(base, password, work)
        # Still serving after everything above.
        check(raw(port, b"GET /login HTTP/1.1\r\nHost: x\r\n\r\n") == 200, "still serving after the malformed requests")
        server.send_signal(signal.SIGTERM)
        status = server.wait(timeout=20)
        rest = server.stdout.read()
        check(status == 0 and "stopped" in rest, "SIGTERM: stopped by itself with status 0")
    finally:
        if server.poll() is None:
            server.kill()

    clean = subprocess.run([TALLY, "serve", "--check", "--examples", os.path.join(ROOT, "examples")], env=ENV, capture_output=True, text=True)
    check(clean.returncode == 0 and clean.stdout.count("\nok ") + clean.stdout.startswith("ok ") >= 40, "--check runs every example: status 0")
    bad = subprocess.run([TALLY, "serve", "--check", "--examples", SCRIPTS], env=ENV, capture_output=True, text=True)
    check(bad.returncode == 1 and "`.load` is off in served scripts" in bad.stdout, "--check stops at the served .load: status 1")
    open_bind = subprocess.run([TALLY, "serve", "--bind", "0.0.0.0", "--port", "0"], env=ENV, capture_output=True, text=True, timeout=60)
    check(open_bind.returncode != 0 and "without --token or --auth-file" in open_bind.stderr, "--bind 0.0.0.0 without auth refuses to start")


def http_checks(base, port, password):
    plain = urllib.request.build_opener(NoRedirect())
    check(status_of(plain, base + "/q/on_track.json") == 401, "no login: the JSON API answers 401")
    check(status_of(plain, base + "/q/on_track") == 303, "no login: a page redirects to the login form")
    wrong = urllib.parse.urlencode({"user": "manager", "password": "wrong", "next": "/"}).encode()
    check(status_of(plain, base + "/login", wrong) == 401, "a wrong password is refused")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = urllib.parse.urlencode({"user": "manager", "password": password, "next": "/"}).encode()
    with opener.open(base + "/login", form) as r:
        check(r.status == 200 and "Saved queries and reports" in r.read().decode(), "login with the right password lands on the index")
    cookie = next(c for c in jar if c.name == "tally_session")
    header = "Cookie: tally_session=%s\r\n" % cookie.value

    def get(path):
        with opener.open(base + path) as r:
            return r.read()

    # The JSON API and every download agree with `tally -f` (values as --format csv prints them).
    expected = tally_csv("on_track", "month=2025-10", "day=25")
    first = list(csv.reader(io.StringIO(expected)))
    document = json.loads(get("/q/on_track.json?month=2025-10&day=25"))
    result = document["results"][0]
    check(document["parameters"] == {"month": "2025-10", "day": "25"} and len(document["results"]) == 2, "JSON: parameters and two results")
    check([c["name"] for c in result["columns"]] == first[0] and result["row_count"] == len(result["rows"]), "JSON: columns as tally prints them")
    rows_match = all(abs(float(row[c]) - float(first[k + 1][j])) < 1e-6 if result["columns"][j]["type"] in ("int", "float") else row[c] == first[k + 1][j]
                     for k, row in enumerate(result["rows"]) for j, c in enumerate(first[0]))
    check(rows_match, "JSON: every row equals tally -f's")
    downloaded = get("/q/on_track.csv?month=2025-10&day=25&_table=1").decode()
    check(expected.startswith(downloaded) and downloaded.count("\n") == result["row_count"] + 1, "CSV download equals tally -f's first table")
    xlsx = get("/q/on_track.xlsx?month=2025-10&day=25")
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml").decode()
    check(first[1][0] in sheet and sheet.count("<row ") == result["row_count"] + 1, "Excel download: a workbook with every row")
    parquet = get("/q/on_track.parquet?month=2025-10&day=25")
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "t.parquet"), "wb") as f:
            f.write(parquet)
        subprocess.run([TALLY, "convert", os.path.join(d, "t.parquet"), os.path.join(d, "t.csv")], check=True)
        back = open(os.path.join(d, "t.csv")).read()
    check(parquet[:4] == b"PAR1" and back == downloaded, "Parquet download read back by tally convert equals the CSV")
    page = get("/q/on_track.html?month=2025-10&day=25").decode()
    check(page.startswith("<!DOCTYPE html>") and "<form" not in page and "On track" in page, "HTML download: the report, without the form")

    # Malformed and hostile requests: 4xx each.
    def code(target, extra=""):
        return raw(port, ("GET %s HTTP/1.1\r\nHost: x\r\n%s%s\r\n" % (target, header, extra)).encode("latin-1"))
    check(400 <= raw(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n") < 500, "a 200 KB header: 4xx")
    check(code("/q/on_track?" + "&".join("p%d=1" % i for i in range(10_000))) == 400, "10,000 parameters: 400")
    check(code("/q/on_track?" + "&".join("p%d=1" % i for i in range(150))) == 400, "150 short parameters: 400")
    check(code("/q/on_track?month=%ZZ") == 400, "a bad percent escape: 400")
    check(code("/q/on_track?month=%C3%28") == 400, "bad UTF-8 in a value: 400")
    check(code("/q/../../etc/passwd") == 404 and code("/q/..%2F..%2Fetc%2Fpasswd") == 404 and code("/q/on_track/../x") == 404, "path traversal: 404")
    check(code("/q/on_track.json?month=abc") == 400 and code("/q/on_track.json?day=2025-11") == 400, "a value of the wrong type: 400")
    check(code("/q/on_track.json?mnth=2025-10") == 400, "an unknown parameter: 400")
    check(code("/q/on_track.csv?_table=9") == 400 and code("/q/on_track.csv?_table=x") == 400, "a table number out of range: 400")
    check(code("/q/no_such_script") == 404, "no such script: 404")
    check(raw(port, ("POST /q/on_track HTTP/1.1\r\nHost: x\r\n%sContent-Length: 0\r\n\r\n" % header).encode()) == 405, "POST to a page: 405")
    check(raw(port, b"NOT HTTP AT ALL\r\n\r\n") == 400, "not HTTP: 400")
    # While a slow query holds the engine, the index, the docs and cached pages are answered at once.
    outcome = {}
    slow = threading.Thread(target=lambda: outcome.setdefault("code", code("/q/explode.json")))
    slow.start()
    time.sleep(0.5)
    started = time.monotonic()
    others = [code("/"), code("/api"), code("/q/on_track.json?month=2025-10&day=25"), code("/q/on_track.csv?month=2025-10&day=25")]
    waited = time.monotonic() - started
    slow.join()
    check(others == [200] * 4 and waited < 1.0, "pages answered while a slow query runs (%.2f s for four)" % waited)
    check(outcome["code"] == 503, "a query past the time limit: 503 (got %d)" % outcome["code"])
    check(code("/index.json") == 200, "the index as JSON")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def status_of(opener, url, data=None):
    try:
        with opener.open(url, data) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def downloaded(folder, name):
    """The path of a file the browser is saving, once it is there (within 10 s); None if it never comes."""
    path = os.path.join(folder, name)
    for _ in range(100):
        if os.path.exists(path):
            return path
        time.sleep(0.1)
    return None


def as_browser(driver, base, path):
    """GETs a path with the browser's session cookie (pages forbid scripts from fetching, by their CSP)."""
    request = urllib.request.Request(base + path, headers={"Cookie": "tally_session=" + driver.get_cookie("tally_session")["value"]})
    with urllib.request.urlopen(request) as r:
        return r.read().decode()


def browser_checks(base, password, work):
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    os.makedirs(SHOTS, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1100,1400", "--hide-scrollbars"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 30)
    try:
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        driver.get(base + "/q/on_track")
        check("/login" in driver.current_url, "browser: a page asks for the login first")
        driver.save_screenshot(os.path.join(SHOTS, "login.png"))
        driver.find_element(By.ID, "user").send_keys("manager")
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form button").click()
        wait.until(expected_conditions.url_contains("/q/on_track"))
        check(driver.find_element(By.TAG_NAME, "h1").text == "On track for the month's target?", "browser: logged in, back at the page asked for")

        driver.get(base + "/")
        links = driver.find_elements(By.CSS_SELECTOR, "ul.scripts a")
        check(len(links) >= 45 and any(a.text == "On track for the month's target?" for a in links), "browser: the index lists the examples")
        driver.save_screenshot(os.path.join(SHOTS, "index.png"))
        next(a for a in links if a.get_attribute("href").endswith("/q/on_track")).click()
        month = wait.until(expected_conditions.presence_of_element_located((By.ID, "p-month")))
        check(month.get_attribute("type") == "month" and month.get_attribute("value") == "2025-11", "browser: a month picker holding the default")
        # A month picker takes its value from the page (typing into one depends on the locale).
        driver.execute_script("arguments[0].value = '2025-10'", month)
        day = driver.find_element(By.ID, "p-day")
        day.clear()
        day.send_keys("25")
        driver.find_element(By.CSS_SELECTOR, "form.params button").click()
        wait.until(expected_conditions.url_contains("month=2025-10"))
        check("day=25" in driver.current_url, "browser: the submitted form is the page's URL: " + driver.current_url)
        driver.save_screenshot(os.path.join(SHOTS, "on_track-2025-10.png"))
        rows = list(csv.reader(io.StringIO(tally_csv("on_track", "month=2025-10", "day=25"))))
        # The first result's rows: tally -f prints the second result's header and rows right after them.
        first = rows[:next((k for k, row in enumerate(rows) if k > 0 and len(row) != len(rows[0])), len(rows))]
        table = driver.find_element(By.CSS_SELECTOR, "section table")
        headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
        cells = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
        check(headers == first[0] and len(cells) == len(first) - 1, "browser: the table's columns and rows are tally -f's")
        same = all(shown == want if not re.fullmatch(r"-?[\d,]+(\.\d+)?", shown) else abs(float(shown.replace(",", "")) - float(want)) < 0.006
                   for row, want_row in zip(cells, first[1:]) for shown, want in zip(row, want_row))
        check(same, "browser: every cell shows tally -f's value (to its shown decimals)")
        for old in os.listdir(downloads):
            os.remove(os.path.join(downloads, old))
        driver.find_element(By.CSS_SELECTOR, "a.download-csv").click()
        path = downloaded(downloads, "on_track-1.csv")
        expected = tally_csv("on_track", "month=2025-10", "day=25")
        got = open(path).read() if path else ""
        check(got != "" and expected.startswith(got) and got.count("\n") == len(first), "browser: the downloaded CSV equals tally -f's table")

        # The manager's errand: the monthly review for October, read in the browser, a table saved as Excel.
        driver.get(base + "/")
        driver.find_element(By.CSS_SELECTOR, "a[href='/q/monthly_review']").click()
        month = wait.until(expected_conditions.presence_of_element_located((By.ID, "p-month")))
        driver.execute_script("arguments[0].value = '2025-10'", month)
        driver.find_element(By.CSS_SELECTOR, "form.params button").click()
        wait.until(expected_conditions.url_contains("month=2025-10"))
        headings = [h.text for h in driver.find_elements(By.TAG_NAME, "h2")]
        check("On track for the month's target?" in headings and len(headings) >= 8, "browser: the monthly review, %d sections" % len(headings))
        check("month = 2025-10" in driver.find_element(By.CSS_SELECTOR, "header p.meta").text, "browser: the review ran for the month picked")
        driver.find_element(By.CSS_SELECTOR, "a.download-xlsx").click()
        workbook = downloaded(downloads, "monthly_review-1.xlsx")
        sheet = zipfile.ZipFile(workbook).read("xl/worksheets/sheet1.xml").decode() if workbook else ""
        review = json.loads(as_browser(driver, base, "/q/monthly_review.json?month=2025-10"))
        check(sheet.count("<row ") == review["results"][0]["row_count"] + 1, "browser: the first table saved as an Excel workbook, every row")

        driver.get(base + "/q/last_12_months")
        svg = driver.find_element(By.CSS_SELECTOR, "figure svg")
        marks = svg.find_elements(By.CSS_SELECTOR, "rect, path, polyline, circle")
        check(svg.get_attribute("outerHTML").startswith("<svg") and len(marks) >= 12, "browser: the chart is an SVG with its marks (%d)" % len(marks))

        driver.get(base + "/q/on_track?month=abc&day=25")
        problem = driver.find_element(By.CSS_SELECTOR, "form.params .problem").text
        check("parameter month takes a period (like its default 2025-11), but was given `abc`" in problem, "browser: the shell's message beside the field")
        check(driver.find_elements(By.CSS_SELECTOR, "section table") == [], "browser: no results for a refused value")
        driver.save_screenshot(os.path.join(SHOTS, "refused.png"))

        driver.get(base + "/q/markup")
        try:
            driver.switch_to.alert
            alerted = True
        except NoAlertPresentException:
            alerted = False
        cell = driver.find_element(By.CSS_SELECTOR, "section table tbody td").text
        check(not alerted and cell == "<script>alert(1)</script>", "browser: markup in a cell is text, nothing runs")
        driver.get(base + "/q/evil")
        check("`.load` is off in served scripts" in driver.find_element(By.CSS_SELECTOR, "pre.error").text, "browser: a served .load is refused")

        driver.get(base + "/query")
        box = driver.find_element(By.ID, "q")
        box.send_keys("sales | agg n = count()")
        driver.find_element(By.CSS_SELECTOR, "form.adhoc button").click()
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "section table")))
        counted = subprocess.run([TALLY, "-c", "sales | agg n = count()", "--format", "csv"], env=ENV, capture_output=True, text=True).stdout.split()[1]
        shown = driver.find_element(By.CSS_SELECTOR, "section table tbody td").text.replace(",", "")
        check(shown == counted, "browser: the ad-hoc box runs a pipeline (%s rows)" % shown)
        box = driver.find_element(By.ID, "q")
        box.clear()
        box.send_keys("sales | where reg")
        from selenium.webdriver.common.keys import Keys
        box.send_keys(Keys.TAB)
        time.sleep(1)
        check(box.get_attribute("value").startswith("sales | where region"), "browser: Tab completes a column name in the ad-hoc box")

        # Every page of the examples, for a person to look at.
        names = [a["name"] for a in json.loads(as_browser(driver, base, "/index.json"))["scripts"] if a["group"] == "examples"]
        for name in names:
            driver.get(base + "/q/" + name)
            driver.save_screenshot(os.path.join(SHOTS, name + ".png"))
        check(len(names) >= 45, "browser: screenshots of %d example pages in %s" % (len(names), SHOTS))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
    print("serve test: %d failed" % len(failures))
    sys.exit(1 if failures else 0)
