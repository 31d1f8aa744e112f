"""Two runs of `make bench` side by side, and how far each number moved.

  python3 bench/compare.py                  the newest run in bench/results against the one
                                            before it on the same database
  python3 bench/compare.py NEW.json         a run against the newest one in bench/results made
                                            before it on the same database
  python3 bench/compare.py OLD.json NEW.json

Run through `make bench-compare`. A shared machine's speed drifts between runs: the row of the
password hash's time (the same work in every run) shows how far the host itself moved, and a
number that moved less than that moved with the host, not with the code. The converse does not
hold: the requests that mostly wait on the database (`/api/me`, the task list, the token)
swing much further with a busy host than hashing does (twice as fast on the same code while
the hash moved 12%, 2026-11-29T06:04 and 08:42 on PostgreSQL). The context switches per
request of `/api/me` and the token move with the code more than with the host; the task
list's, whose rows the SQLite driver hands over one by one, move with both.
"""

import json
import sys
from pathlib import Path

from bench import ROOT, errors, print_table

KEPT = ROOT / "bench/results"

SCENARIOS = [("me", "GET /api/me"), ("tasks", "GET /api/tasks"), ("token", "POST /api/auth/token"),
             ("sign_in", "sign-in, 64 conn"), ("sign_in_256", "sign-in, 256 conn"), ("sign_up", "sign-up")]
# The scenarios whose context switches per request bench.py counts: what the code does (an
# extra query adds to them), and for the task list how fast the machine is as well.
COUNTED = SCENARIOS[:3]

# (label, how to read it from a run's JSON, unit, whether more is better)
SWITCHES = [(f"{label} switches/request", lambda r, k=key: r["scenarios"][k]["switches_per_request"], "{:.1f}", False)
            for key, label in COUNTED]
MEASURES = [
    *[(f"{label} req/s", lambda r, k=key: r["scenarios"][k]["rps"], "{:,.0f}", True) for key, label in SCENARIOS],
    *[(f"{label} p99 ms", lambda r, k=key: r["scenarios"][k]["p99_ms"], "{:.1f}", False) for key, label in SCENARIOS],
    *SWITCHES,
    ("sign-in, 256 conn errors", lambda r: errors(r["scenarios"]["sign_in_256"]), "{:,}", False),
    ("sign-in efficiency", lambda r: r["sign_in_efficiency"], "{:.2f}", True),
    ("one password hash ms (the host)", lambda r: r["hash_ms"], "{:.1f}", False),
    ("peak RSS MiB", lambda r: r["peak_rss_kib"] / 1024, "{:.1f}", False),
    ("idle RSS MiB", lambda r: r["idle_rss_kib"] / 1024, "{:.1f}", False),
    ("/signin download KB gzip", lambda r: r["signin_download"]["total_gzip"] / 1000, "{:.1f}", False),
    ("/signin hydrated warm ms", lambda r: r["signin_page"]["warm_ms"], "{:.0f}", False),
    ("/signin hydrated cold ms", lambda r: r["signin_page"]["cold_ms"], "{:.0f}", False),
]
# Measures bench.py began to take later, and since when: a run made before has none to show.
LATER = {label: "2026-11-29T01:10" for label, *_ in SWITCHES}


def is_bench_run(run):
    """`make bench`'s results, not `make bench-versus`'s, which sit in the same folder."""
    return isinstance(run, dict) and "database" in run and "me" in run.get("scenarios", {})


def kept_runs():
    """The runs in bench/results as (path, result), oldest first (their names start with their
    date)."""
    return [(path, run) for path in sorted(KEPT.glob("*.json")) if is_bench_run(run := load(path))]


def latest_before(new, runs):
    """The newest of `runs` made before the run `new` on the same database (a result's name
    starts with its date)."""
    new_path, new_run = new
    database = new_run["database"]
    earlier = [(path, run) for path, run in runs if path.name < new_path.name and run["database"] == database]
    if not earlier:
        sys.exit(f"no {database} run in {KEPT} before {new_path.name} to compare with")
    return earlier[-1]


def reading(run, path, label, read):
    """One measure of a run, or None where the run predates the measure. A later run missing
    one means this script and bench.py no longer agree on the results' shape: said, not shown
    as a gap."""
    if label in LATER and run["date"] < LATER[label]:
        return None
    try:
        return read(run)
    except (KeyError, TypeError):
        sys.exit(f"{path}: has no {label}: bench/compare.py and bench/bench.py disagree on the results")


def change(old, new, unit, more_is_better):
    if unit.format(old) == unit.format(new):
        return "same"
    if old == 0:
        return "was 0"
    percent = (new - old) / old * 100
    return f"{percent:+.1f}% ({'better' if (new > old) == more_is_better else 'worse'})"


def load(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        sys.exit(f"{path}: not readable as JSON ({error})")


def bench_run(path):
    """(path, result) of a file that holds a result of `make bench`."""
    run = load(path)
    if not is_bench_run(run):
        sys.exit(f"{path}: not a result of `make bench`")
    return Path(path), run


def compare(old_run, new_run):
    """Prints two (path, result) pairs side by side."""
    (old_path, old), (new_path, new) = old_run, new_run
    rows = []
    for label, read, unit, more_is_better in MEASURES:
        before, after = reading(old, old_path, label, read), reading(new, new_path, label, read)
        if before is None or after is None:
            shown = [unit.format(value) if value is not None else "not counted then" for value in (before, after)]
            rows.append((label, *shown, ""))
            continue
        rows.append((label, unit.format(before), unit.format(after), change(before, after, unit, more_is_better)))
    print(f"\n{Path(old_path).name} ({old['database']}, {old['duration_s']} s per scenario)"
          f"\n  against {Path(new_path).name} ({new['database']}, {new['duration_s']} s per scenario)\n")
    print_table(("measure", "old", "new", "change"), rows)


def main(arguments):
    if len(arguments) == 2:
        compare(*map(bench_run, arguments))
    elif len(arguments) == 1:
        new = bench_run(arguments[0])
        compare(latest_before(new, kept_runs()), new)
    elif not arguments:
        runs = kept_runs()
        if not runs:
            sys.exit(f"no benchmark results in {KEPT}: run `make bench` first")
        compare(latest_before(runs[-1], runs), runs[-1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
