"""Gatehouse beside Better Auth on Node: the same requests, the same wrk scripts, the same
PostgreSQL server, on the same machine, one server at a time. Prints one table and writes it as
JSON to bench/results/<date>-versus-better-auth.json.

Run through `make bench-versus` (which builds Gatehouse's release server and installs Better
Auth from bench/better-auth/package-lock.json). Both run as shipped: Gatehouse as `make bench`
runs it, Better Auth with its defaults (scrypt passwords, database sessions) and one Node worker
per core. Rate limits are out of the way on both, and neither uses TLS to the database. Settings
as for bench.py: BENCH_DURATION, BENCH_POSTGRES, BENCH_RESULTS.
"""

import base64
import json
import os
import secrets
import signal
import statistics
import subprocess
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import bench

BETTER_AUTH = bench.ROOT / "bench/better-auth"
BETTER_AUTH_PORT = 3300
BETTER_AUTH_BASE = f"http://127.0.0.1:{BETTER_AUTH_PORT}"
BETTER_AUTH_HASH_TIME = ["node", str(BETTER_AUTH / "server.mjs"), "hash-time"]
# The scenarios that hash run three times as long: a server whose answers take several seconds
# under this load would otherwise be measured mostly while its queue fills, not at its steady
# rate. Answers still count as timeouts past wrk's 10 s.
HASHING_DURATION = 3 * bench.DURATION


@contextmanager
def better_auth(url):
    """Better Auth's server on the database at `url` (its tables made first); stopped afterwards,
    workers and all."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BETTER_AUTH_SECRET": base64.b64encode(secrets.token_bytes(32)).decode(),
        "PORT": str(BETTER_AUTH_PORT),
        "NODE_ENV": "production",
    }
    # Its own process group, so the workers go with it.
    server = subprocess.Popen(["node", "server.mjs", "serve"], cwd=BETTER_AUTH, env=env, start_new_session=True)
    try:
        bench.wait_until_up(BETTER_AUTH_BASE, "/api/auth/ok")
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def process_tree(pid):
    """`pid` and its children (the cluster's workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *map(int, children)]


def rss_mib(pids, field):
    return sum(bench.rss_kib(pid, field) for pid in pids) / 1024


def cpu_seconds(pids):
    ticks = 0
    for pid in pids:
        # utime and stime, the 14th and 15th fields; the command name before them may hold spaces.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def settle(pids, most_s=180):
    """Waits until the server has finished the work the last run left it, and says how long that
    took. A server that goes on with requests whose clients have gone would otherwise be measured
    with that work still running in the next scenario."""
    start = time.monotonic()
    last = cpu_seconds(pids)
    while time.monotonic() - start < most_s:
        time.sleep(0.5)
        now = cpu_seconds(pids)
        if now - last < 0.025:
            break
        last = now
    return time.monotonic() - start


def measure(base, pid, hash_time, cores):
    """The scenarios both servers answer alike, against the server at `base`."""
    pids = process_tree(pid)
    idle = rss_mib(pids, "VmRSS")
    _, cookie = bench.seed_users(base)
    assert bench.call("GET", "/api/auth/get-session", headers={"Cookie": cookie}, base=base)[0] == 200

    busy_after = {}

    def run(name, *args, duration=bench.DURATION):
        result = bench.wrk(*args, base=base, duration=duration)
        busy_after[name] = settle(pids)
        return result

    scenarios = {"get_session": run("get_session", "cookie_get.lua", "/api/auth/get-session", 64, {"COOKIE": cookie})}
    hashes = bench.all_cores_hashing(cores, rounds=2, command=hash_time)
    users = {"USERS": str(bench.SIGN_IN_USERS)}
    scenarios["sign_in"] = run("sign_in", "sign_in.lua", "/api/auth/sign-in/email", 64, users,
                               duration=HASHING_DURATION)
    hashes += bench.all_cores_hashing(cores, rounds=2, command=hash_time)
    hash_ms = statistics.median(hashes)
    scenarios["sign_in_256"] = run("sign_in_256", "sign_in.lua", "/api/auth/sign-in/email", 256, users,
                                   duration=HASHING_DURATION)
    scenarios["sign_up"] = run("sign_up", "sign_up.lua", "/api/auth/sign-up/email", 64, {},
                               duration=HASHING_DURATION)
    return {
        "scenarios": scenarios,
        "busy_after_s": busy_after,
        "hash_ms": hash_ms,
        "sign_in_efficiency": bench.sign_in_efficiency(scenarios["sign_in"]["rps"], cores, hash_ms),
        "idle_rss_mib": idle,
        "peak_rss_mib": rss_mib(pids, "VmHWM"),
        "processes": len(pids),
    }


def main():
    # node-postgres connects without TLS unless told otherwise, so Gatehouse does too here (it
    # takes TLS whenever the database server offers it, as Debian's does): the same wire for both.
    os.environ.setdefault("PGSSLMODE", "disable")
    cores = os.cpu_count()
    results = {}
    with bench.fresh_database("postgres") as (url, postgres), bench.gatehouse(url) as server:
        results["gatehouse"] = measure(bench.BASE, server.pid, bench.HASH_TIME, cores)
        results["database_tls"] = bench.uses_tls(*postgres)
    with bench.fresh_database("postgres") as (url, _), better_auth(url) as server:
        results["better_auth"] = measure(BETTER_AUTH_BASE, server.pid, BETTER_AUTH_HASH_TIME, cores)
    lock = json.loads((BETTER_AUTH / "package-lock.json").read_text())
    results.update({
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_s": bench.DURATION,
        "hashing_duration_s": HASHING_DURATION,
        "cores": cores,
        "better_auth_version": lock["packages"]["node_modules/better-auth"]["version"],
        "node_version": subprocess.run(["node", "--version"], capture_output=True, text=True,
                                       check=True).stdout.strip(),
    })
    report(results)


def report(results):
    ours, theirs = results["gatehouse"], results["better_auth"]

    def load(key):
        a, b = ours["scenarios"][key], theirs["scenarios"][key]
        return (f'{a["rps"]:,.0f}/s · p99 {a["p99_ms"]:.1f} ms · errors {bench.errors(a)}',
                f'{b["rps"]:,.0f}/s · p99 {b["p99_ms"]:.1f} ms · errors {bench.errors(b)}',
                f'{a["rps"] / b["rps"]:.2f}×' if b["rps"] else "—")

    rows = [
        ("GET /api/auth/get-session, cookie, 64 conn", *load("get_session")),
        ("POST /api/auth/sign-in/email, 64 conn", *load("sign_in")),
        ("POST /api/auth/sign-in/email, 256 conn", *load("sign_in_256")),
        ("POST /api/auth/sign-up/email, unique users, 64 conn", *load("sign_up")),
        ("one password check, every core hashing", f'{ours["hash_ms"]:.1f} ms (Argon2id, 19 MiB)',
         f'{theirs["hash_ms"]:.1f} ms (scrypt, 32 MiB)', ""),
        ("sign-in efficiency (sign-ins/s ÷ cores/hash)", f'{ours["sign_in_efficiency"]:.2f}',
         f'{theirs["sign_in_efficiency"]:.2f}', ""),
        ("still working after the 256-conn sign-ins stopped", f'{ours["busy_after_s"]["sign_in_256"]:.1f} s',
         f'{theirs["busy_after_s"]["sign_in_256"]:.1f} s', ""),
        ("RSS idle / peak", f'{ours["idle_rss_mib"]:.0f} / {ours["peak_rss_mib"]:.0f} MiB',
         f'{theirs["idle_rss_mib"]:.0f} / {theirs["peak_rss_mib"]:.0f} MiB in {theirs["processes"]} processes', ""),
    ]
    header = ("scenario", "Gatehouse", f'Better Auth {results["better_auth_version"]}, Node {results["node_version"]}',
              "Gatehouse ÷ Better Auth")
    tls = "over TLS" if results["database_tls"] else "without TLS"
    print(f'\nGatehouse beside Better Auth · postgres {tls} · {results["duration_s"]} s per scenario, '
          f'{results["hashing_duration_s"]} s for those that hash · {results["date"]}\n')
    bench.print_table(header, rows)
    bench.write_results(results, "versus-better-auth")


if __name__ == "__main__":
    main()
