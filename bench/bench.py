"""Gatehouse benchmark: starts the release server on a fresh database, drives it with wrk,
and prints one table (also written as JSON to bench/results/).

Run through `make bench` (which builds the release server first). Settings:
  BENCH_DURATION   seconds per load scenario (default 10)
  BENCH_DATABASE   sqlite (default) or postgres
  BENCH_POSTGRES   PostgreSQL server URL (default postgres://postgres@127.0.0.1:5432)
  PGSSLMODE        disable: PostgreSQL without TLS (the server and psql both read it)
  BENCH_RESULTS    where the JSON goes (default bench/results)
"""

import base64
import gzip
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/gatehouse/target"))
SERVER = TARGET / "release/server"
LUA = ROOT / "bench/lua"
PORT = 3200
BASE = f"http://127.0.0.1:{PORT}"
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
DATABASE = os.environ.get("BENCH_DATABASE", "sqlite")
PASSWORD = "violet staple gorilla"
SIGN_IN_USERS = 20


def call(method, path, body=None, headers=None, base=BASE):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def rss_kib(pid, field):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1))


def context_switches(pid):
    """Context switches, voluntary and not, of all the server's threads so far: the cost a
    busy virtual machine makes dear, which each request pays in handing work between threads."""
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        try:
            total += sum(int(n) for n in re.findall(r"ctxt_switches:\s+(\d+)", status.read_text()))
        except OSError:  # a thread that ended meanwhile
            pass
    return total


def counting_switches(pid, measure):
    """`measure()`'s wrk result, with the server's context switches per request during it."""
    before = context_switches(pid)
    result = measure()
    result["switches_per_request"] = (context_switches(pid) - before) / max(result["requests"], 1)
    return result


@contextmanager
def fresh_database(database=DATABASE):
    """A new, empty database for one run: yields its URL and, on PostgreSQL, (server, name);
    dropped afterwards."""
    if database == "sqlite":
        yield f"sqlite://{tempfile.mkdtemp(prefix='gatehouse-bench-')}/bench.db?mode=rwc", None
        return
    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    name = f"gatehouse_bench_{secrets.token_hex(4)}"
    subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        yield f"{server}/{name}", (server, name)
    finally:
        subprocess.run(["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])


def wait_until_up(base, path):
    for _ in range(300):
        try:
            if call("GET", path, base=base)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"the server at {base} did not start")


@contextmanager
def gatehouse(url):
    """The release server on the database at `url`, with sign-in and sign-up limits raised for
    the run; stopped afterwards."""
    if not SERVER.exists():
        sys.exit(f"release server not built at {SERVER}: run `make bench`")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "AUTH_SECRET": base64.b64encode(secrets.token_bytes(48)).decode(),
        "PUBLIC_ORIGIN": BASE,
        "LEPTOS_SITE_ADDR": f"127.0.0.1:{PORT}",
        "LEPTOS_SITE_ROOT": str(ROOT / "target/site"),
        "LEPTOS_ENV": "PROD",
        "ACCESS_TOKEN_TTL_SECS": "3600",
        "RATE_LIMIT_SIGN_IN_PER_IP_PER_MINUTE": "100000000",
        "RATE_LIMIT_SIGN_UP_PER_IP_PER_HOUR": "100000000",
        "RUST_LOG": "error",
    }
    server = subprocess.Popen([str(SERVER)], cwd=ROOT, env=env)
    try:
        wait_until_up(BASE, "/api/health")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def uses_tls(server, name):
    """Whether the server's connections to its PostgreSQL database are encrypted: libpq's default
    `sslmode=prefer` takes TLS whenever the database server offers it, even on loopback, and
    that moves every number that waits on a query."""
    answer = subprocess.run(["psql", f"{server}/postgres", "-qAt", "-c",
                             "SELECT coalesce(bool_or(s.ssl), false) FROM pg_stat_ssl s "
                             f"JOIN pg_stat_activity a USING (pid) WHERE a.datname = '{name}'"],
                            capture_output=True, text=True, check=True).stdout.strip()
    return answer == "t"


def wrk(script, path, connections, env, threads=2, base=BASE, duration=DURATION):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
               "-s", str(LUA / script), base + path]
    output = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "BENCH_LUA": str(LUA), **env},
                            check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def gzip_size(data):
    return len(gzip.compress(data, compresslevel=9))


def download_sizes(paths):
    """What the browser downloads for /signin: every same-origin file Chromium fetched on a cold
    load (the page, CSS, JS, the main WASM and the lazily loaded chunks), raw and gzipped."""
    files, served = {}, {}
    for path in paths:
        status, _, body = call("GET", path)
        assert status == 200, f"{path}: {status}"
        files[path] = body
        # What actually crosses the wire when the browser offers brotli, as Chromium does: the
        # precompressed .br files of the release build, the page compressed on the fly.
        status, headers, body = call("GET", path, headers={"Accept-Encoding": "br, gzip"})
        assert status == 200, f"{path}: {status}"
        served[path] = {"bytes": len(body), "encoding": headers.get("Content-Encoding", "identity")}
    assert "/signin" in files, "/signin was not fetched"
    # The build's files carry a content hash in their names: gatehouse.<hash>.css and so on.
    for kind in ["css", "js", "wasm"]:
        assert any(path.startswith("/pkg/gatehouse.") and path.endswith(f".{kind}") for path in files), \
            f"the app's .{kind} was not fetched for /signin"
    raw = {path: len(body) for path, body in files.items()}
    gz = {path: gzip_size(body) for path, body in files.items()}
    wasm_gzip = sum(size for path, size in gz.items() if path.endswith(".wasm"))
    return {"raw_bytes": raw, "gzip_bytes": gz, "total_raw": sum(raw.values()), "total_gzip": sum(gz.values()),
            "wasm_gzip": wasm_gzip, "served": served,
            "total_served": sum(file["bytes"] for file in served.values())}


def main():
    cores = os.cpu_count()
    with fresh_database() as (url, postgres), gatehouse(url) as server:
        results = run(server.pid, cores)
        if postgres:
            results["database_tls"] = uses_tls(*postgres)

    results.update({
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "database": DATABASE,
        "duration_s": DURATION,
        "cores": cores,
    })
    report(results)


HASH_TIME = [str(SERVER), "passwords", "time"]


def password_hash_ms(command=HASH_TIME):
    """One password hash as the server does it (`server passwords time`: the median of 15
    verifications with the server's parameters), or as another `command` prints it."""
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return float(output.strip())


def all_cores_hashing(cores, rounds=4, command=HASH_TIME):
    """Hash times with every core hashing at once, the state the sign-in runs put the machine in
    (a sustained all-core load can be slower per hash than one burst)."""
    with ThreadPoolExecutor(cores) as pool:
        return [ms for runs in pool.map(lambda _: [password_hash_ms(command) for _ in range(rounds)], range(cores))
                for ms in runs]


def seed_users(base=BASE):
    """Signs up the users the sign-in runs take turns as, and signs the first one in: returns
    the sign-in's JSON body and its session cookie."""
    for n in range(SIGN_IN_USERS):
        status, _, _ = call("POST", "/api/auth/sign-up/email", {
            "name": f"Bench {n}", "email": f"bench-{n}@example.com", "password": PASSWORD}, base=base)
        # Gatehouse answers 201 Created; Better Auth, which versus.py seeds the same way, 200.
        assert status in (200, 201), f"{base}: sign-up answered {status}"
    status, headers, body = call("POST", "/api/auth/sign-in/email",
                                 {"email": "bench-0@example.com", "password": PASSWORD}, base=base)
    assert status == 200, f"{base}: sign-in answered {status}"
    return json.loads(body), headers["Set-Cookie"].split(";")[0]


def run(pid, cores):
    idle_rss = rss_kib(pid, "VmRSS")
    # Seed: the sign-in users, the first of them with a session and 50 tasks.
    signed_in, cookie = seed_users()
    token = signed_in["token"]
    auth = {"Authorization": f"Bearer {token}"}
    for n in range(50):
        assert call("POST", "/api/tasks", {"title": f"Task number {n}"}, auth)[0] == 201
    hash_alone_ms = password_hash_ms()

    scenarios = {
        "me": counting_switches(pid, lambda: wrk("bearer_get.lua", "/api/me", 64, {"TOKEN": token})),
        "tasks": counting_switches(pid, lambda: wrk("bearer_get.lua", "/api/tasks", 64, {"TOKEN": token})),
        "token": counting_switches(pid, lambda: wrk("token.lua", "/api/auth/token", 64,
                                                    {"COOKIE": cookie, "ORIGIN": BASE})),
    }
    # The hash baseline is taken right before and right after the sign-in run, so a shared
    # machine's speed drifting during the benchmark moves both sides of the ratio alike.
    hashes = all_cores_hashing(cores)
    scenarios["sign_in"] = wrk("sign_in.lua", "/api/auth/sign-in/email", 64, {"USERS": str(SIGN_IN_USERS)})
    hashes += all_cores_hashing(cores)
    hash_ms = statistics.median(hashes)
    scenarios["sign_in_256"] = wrk("sign_in.lua", "/api/auth/sign-in/email", 256, {"USERS": str(SIGN_IN_USERS)})
    peak_rss = rss_kib(pid, "VmHWM")
    scenarios["sign_up"] = wrk("sign_up.lua", "/api/auth/sign-up/email", 64, {})
    page = json.loads(subprocess.run(["node", str(ROOT / "bench/page_load.mjs"), BASE, "5"], capture_output=True,
                                     text=True, check=True, cwd=ROOT / "end2end").stdout)
    return {
        "hash_ms": hash_ms,
        "hash_alone_ms": hash_alone_ms,
        "scenarios": scenarios,
        "sign_in_efficiency": sign_in_efficiency(scenarios["sign_in"]["rps"], cores, hash_ms),
        "peak_rss_kib": peak_rss,
        "idle_rss_kib": idle_rss,
        "after_rss_kib": rss_kib(pid, "VmRSS"),
        "signin_download": download_sizes(page.pop("fetched")),
        "signin_page": page,
    }


def sign_in_efficiency(sign_ins_per_s, cores, hash_ms):
    """Sign-ins per second over what the cores could do if they did nothing but hash."""
    return sign_ins_per_s / (cores / (hash_ms / 1000))


def errors(result):
    return (result["non_2xx"] + result["connect_errors"] + result["read_errors"] + result["write_errors"]
            + result["timeouts"])


def report(results):
    s = results["scenarios"]
    rows = []
    for key, label in [("me", "GET /api/me, bearer, 64 conn"), ("tasks", "GET /api/tasks (50 tasks), 64 conn"),
                       ("token", "POST /api/auth/token (cookie → JWT), 64 conn"),
                       ("sign_in", "POST /api/auth/sign-in/email, 64 conn"),
                       ("sign_in_256", "POST /api/auth/sign-in/email, 256 conn"),
                       ("sign_up", "POST /api/auth/sign-up/email, unique users, 64 conn")]:
        r = s[key]
        switches = f' · {r["switches_per_request"]:.1f} context switches/request' if "switches_per_request" in r else ""
        rows.append((label, f'{r["rps"]:,.0f} req/s',
                     f'p50 {r["p50_ms"]:.2f} ms · p99 {r["p99_ms"]:.2f} ms · errors {errors(r)}{switches}'))
    # Above 1 the cores did more than hash nonstop could: the baseline's hashes ran slower than
    # the sign-ins' did, so the host's speed moved within the run and the ratio says little.
    drifted = " · above 1: the host's speed moved within the run" if results["sign_in_efficiency"] > 1 else ""
    rows.append(("sign-in efficiency", f'{results["sign_in_efficiency"]:.2f}',
                 f'sign-ins/s ÷ ({results["cores"]} cores ÷ one hash {results["hash_ms"]:.1f} ms with every core '
                 f'hashing; {results["hash_alone_ms"]:.1f} ms alone){drifted}'))
    rows.append(("peak RSS through the sign-in runs", f'{results["peak_rss_kib"] / 1024:.1f} MiB', ""))
    d = results["signin_download"]
    rows.append(("/signin download (HTML+JS+WASM+CSS)", f'{d["total_gzip"] / 1000:.1f} KB gzip',
                 f'{d["total_raw"] / 1000:.1f} KB raw in {len(d["raw_bytes"])} files; '
                 f'wasm {d["wasm_gzip"] / 1000:.1f} KB gzip; {d["total_served"] / 1000:.1f} KB as served '
                 f'to a browser that accepts brotli'))
    p = results["signin_page"]
    rows.append(("/signin hydrated, Chromium", f'warm {p["warm_ms"]:.0f} ms', f'cold {p["cold_ms"]:.0f} ms (median of {p["runs"]})'))
    rows.append(("RSS idle (started, no requests) / after", f'{results["idle_rss_kib"] / 1024:.1f} MiB',
                 f'{results["after_rss_kib"] / 1024:.1f} MiB after'))

    database = results["database"]
    if "database_tls" in results:
        database += " over TLS" if results["database_tls"] else " without TLS"
    print(f'\nGatehouse benchmark · {database} · {results["duration_s"]} s per scenario · {results["date"]}\n')
    print_table(("scenario", "result", "detail"), rows)
    results["budgets"] = budgets(results)
    print()
    print_table(("budget", "verdict", "measured"),
                [(b["budget"], "met" if b["met"] else "MISSED", b["measured"]) for b in results["budgets"]])
    write_results(results, results["database"])


# What Next.js 16 with the Better Auth React client measured for the same sign-in page on this
# kind of machine: the budgets' yardstick.
NEXT_JS_COLD_MS = 577


def budgets(results):
    """Each performance budget beside what this run measured. `/api/me`'s throughput budget is
    set for SQLite; on PostgreSQL the row says so rather than holding it to SQLite's number."""
    s = results["scenarios"]
    me, crowd, download, page = s["me"], s["sign_in_256"], results["signin_download"], results["signin_page"]
    peak_mib, idle_mib = results["peak_rss_kib"] / 1024, results["idle_rss_kib"] / 1024
    me_budget = "GET /api/me ≥ 10,000 req/s, p99 ≤ 15 ms"
    if results["database"] != "sqlite":
        me_budget += " (set for SQLite)"
    rows = [
        (me_budget, me["rps"] >= 10_000 and me["p99_ms"] <= 15,
         f'{me["rps"]:,.0f} req/s, p99 {me["p99_ms"]:.1f} ms'),
        # Three decimals: a run just under the budget must not read as 0.85 beside "MISSED".
        ("sign-in efficiency ≥ 0.85", results["sign_in_efficiency"] >= 0.85, f'{results["sign_in_efficiency"]:.3f}'),
        ("256 sign-in connections: no errors, peak RSS ≤ 300 MiB", errors(crowd) == 0 and peak_mib <= 300,
         f'{errors(crowd)} errors, {peak_mib:.1f} MiB'),
        ("/signin download ≤ 150 KB gzip", download["total_gzip"] <= 150_000,
         f'{download["total_gzip"] / 1000:.1f} KB'),
        (f"/signin hydrated ≤ 400 ms warm, < {NEXT_JS_COLD_MS} ms cold",
         page["warm_ms"] <= 400 and page["cold_ms"] < NEXT_JS_COLD_MS,
         f'{page["warm_ms"]:.0f} / {page["cold_ms"]:.0f} ms'),
        ("idle RSS ≤ 40 MiB", idle_mib <= 40, f"{idle_mib:.1f} MiB"),
    ]
    return [{"budget": budget, "met": bool(met), "measured": measured} for budget, met, measured in rows]


def print_table(header, rows):
    """A Markdown table, every column but the last padded to its widest cell."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    for i, row in enumerate([header, *rows]):
        print("| " + " | ".join([*(cell.ljust(width) for cell, width in zip(row, widths)), row[-1]]))
        if i == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|--------")


def write_results(results, name):
    """Keeps a run's results as bench/results/<date>-<name>.json (or under $BENCH_RESULTS)."""
    directory = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench/results"))
    directory.mkdir(parents=True, exist_ok=True)
    out = directory / f'{results["date"].replace(":", "")}-{name}.json'
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
