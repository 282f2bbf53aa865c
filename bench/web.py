"""B4: pages through gunicorn at 10^6 cases against a bare Flask hello on the same gunicorn settings.

Why: an officer's day is the case page, the work queue and the forms that move
a case on. PERFORMANCE.md §6.1 sets them against the floor of the stack itself
(Flask on gunicorn answering "hello") so the ratio says what our session,
queries, templates and transaction cost, whatever the machine.

The data: 10^6 moratorium cases spread over 300 councils (England has 317), so
the officer's council holds about 3,300, each case with its asset, its
pending deadline and its audit event; built once with executemany on the
driver's connection and kept in var/bench/web-1000000.db. The officer signs in
for real (the sign-in form, CSRF token and password check) and the session
cookie is what the load generator sends.

- B4-GET case: `/officer/cases/<reference>`, cycling over 500 of the council's cases.
- B4-GET queue: `/officer/cases`, the work queue's first page.
- B4-POST: a compensation claim decided through `/officer/cases/<ref>/actions/decide`
  (CSRF check, the B1-D transition, the redirect), a fresh claim per request,
  by a second officer in another council so the claims never swell the queue above.
- Baseline: `bench.hello:application`, GET (and POST with the same form body).

Both servers run side by side with the same settings: `gunicorn --workers 2
--threads 1` (sync workers, as `casework run` starts the site), on SQLite. Rates
come from Debian's wrk (one thread, 4 connections), ours and hello interleaved
in ABBA order; the ratio is the median of the per-round ours/hello requests/s
(higher is better). Latency: wrk2 is not in Debian, so a small open-loop Python
client sends requests on a fixed schedule at half of our peak rate and times
each from its scheduled start (no coordinated omission), giving p50 and p99.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import secrets
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import requests

from bench.due import INSERT_DEADLINES, progress, stored
from bench.harness import Result, kept
from casework.db import Database
from casework.migrate import upgrade_to_head
from casework.services import accounts, councils
from casework.services.accounts import RoleGrant
from workflows.roles import Role

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 6, 1, 10, tzinfo=UTC)
COUNCILS = 300
CHUNK = 50_000
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway account in a throwaway database
OFFICER = "officer@b001.example.gov.uk"
DECIDER = "officer@b002.example.gov.uk"
GUNICORN = ("--workers", "2", "--threads", "1", "--worker-class", "sync", "--log-level", "warning")
CONNECTIONS = 4
CLAIMS_PER_RUN = 8_000
CATEGORIES = ("pub", "library", "community_centre", "shop", "sports", "green_space")
RENDERED = "/bench/queue-rendered"  # the second baseline's page (bench.rendered)
STATES = {"interim_moratorium": "interim_end", "full_moratorium": "full_end", "owner_free": "protected_end"}


def build(path: Path, n: int) -> None:
    """n moratorium cases over 300 councils, with assets, deadlines and events, and two officers; once."""
    if kept(path):
        return
    partial = path.with_suffix(".building")
    for leftover in path.parent.glob(partial.name + "*"):
        leftover.unlink()
    db = Database(f"sqlite:///{partial}")
    upgrade_to_head(db)
    council_ids = [councils.create_council(db, f"B{i:03d}", f"Benchmark Council {i}", now=NOW)
                   for i in range(1, COUNCILS + 1)]  # fmt: skip
    for email, code in ((OFFICER, "B001"), (DECIDER, "B002")):
        accounts.create_user(db, email, f"Officer of {code}", password=PASSWORD,
                             grants=(RoleGrant(Role.OFFICER, council_code=code),), now=NOW)  # fmt: skip
    db.dispose()
    connection = sqlite3.connect(partial, isolation_level=None)
    # Building only (the site sets its own on connect): no journal, and a cache big enough that inserting
    # random UUID keys into the indexes does not thrash; back to WAL at the end.
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144"):
        connection.execute(f"PRAGMA {pragma}")
    rng = random.Random(n)
    started = time.monotonic()
    created = stored(NOW - timedelta(days=30))
    for offset in range(0, n, CHUNK):
        assets, cases, deadlines, events = [], [], [], []
        for i in range(offset, min(n, offset + CHUNK)):
            council = council_ids[i % COUNCILS].hex
            asset_id, case_id = uuid.uuid4().hex, uuid.uuid4().hex
            ward = f"Ward {rng.randint(1, 20)}"
            assets.append((asset_id, council, f"BEN-A-{i:07d}", f"The Asset {i}", f"{i} High Street, Benchester",
                           "BN1 1AA", rng.choice(CATEGORIES), ward, "[]", "[]", 0, created))  # fmt: skip
            state = rng.choice(list(STATES))
            notice = (NOW - timedelta(days=rng.randint(1, 170))).date()
            due = NOW + timedelta(days=rng.randint(-3, 300))
            cases.append((case_id, council, f"BEN-MOR-{i:07d}", "moratorium", 1, state, 1, asset_id,
                          json.dumps({"notice_received_on": notice.isoformat(), "disposal_type": "freehold"}),
                          created, created, due.date().isoformat(), STATES[state]))  # fmt: skip
            deadlines.append((uuid.uuid4().hex, case_id, council, STATES[state], "moratorium.interim",
                              notice.isoformat(), due.date().isoformat(), stored(due), "LA 2011 s.95(3)(a)", "[]",
                              "fire", "interim_ends", "pending", 0, created))  # fmt: skip
            events.append((uuid.uuid4().hex, case_id, 1, "transition", "give_notice", "draft", state, None, "owner",
                           "Give notice of an intended disposal", "{}", created))  # fmt: skip
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO assets (id, council_id, reference, name, address, postcode, category, ward, title_numbers, "
            "parishes, offered_for_transfer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            assets,
        )
        connection.executemany(
            "INSERT INTO cases (id, council_id, reference, workflow, workflow_version, state, version, asset_id, "
            "facts, created_at, state_changed_at, next_due_date, next_due_timer) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            cases,
        )
        connection.executemany(INSERT_DEADLINES, deadlines)
        connection.executemany(
            "INSERT INTO case_events (id, case_id, seq, kind, trigger, from_state, to_state, actor_id, actor_role, "
            "summary, data, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            events,
        )
        connection.execute("COMMIT")
        progress(f"{n:,} cases for B4", min(n, offset + CHUNK), n, started)
    print()
    connection.execute("ANALYZE")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(path)


def add_claims(path: Path, n: int) -> tuple[str, list[str]]:
    """n compensation claims waiting for a decision in council B002; their common prefix and references."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    connection.execute("PRAGMA busy_timeout=30000")
    council = connection.execute("SELECT id FROM councils WHERE code = 'B002'").fetchone()[0]
    run = secrets.token_hex(3).upper()
    created = stored(datetime.now(UTC))
    prefix = f"BEN-CMP-{run}-"
    rows = [(uuid.uuid4().hex, council, f"{prefix}{i:05d}", "compensation", 1, "claim_received", 1,
             json.dumps({"claim_received_on": "2026-05-01"}), created, created) for i in range(n)]  # fmt: skip
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO cases (id, council_id, reference, workflow, workflow_version, state, version, facts, "
        "created_at, state_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    connection.execute("COMMIT")
    connection.close()
    return prefix, [row[2] for row in rows]


def decided(path: Path, prefix: str) -> int:
    """How many of this run's claims the POSTs really decided (a refused form would answer 200 too)."""
    connection = sqlite3.connect(path, timeout=30)
    count = connection.execute(
        "SELECT count(*) FROM cases WHERE reference LIKE ? AND state = 'decided'", (prefix + "%",)
    ).fetchone()[0]
    connection.close()
    return int(count)


def sample_cases(path: Path, k: int) -> list[str]:
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT reference FROM cases WHERE council_id = (SELECT id FROM councils WHERE code = 'B001') "
        "AND workflow = 'moratorium' LIMIT ?",
        (k,),
    ).fetchall()
    connection.close()
    return [row[0] for row in rows]


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path) -> Iterator[Server]:
    """`gunicorn app` with the shared settings, in its own process group; stopped on exit."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", *GUNICORN, app],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(port, process)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(server.base + "/", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):  # still starting (the rendered baseline reads first)
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app} did not start; see {log}") from None
                time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sign_in(base: str, email: str) -> requests.Session:
    """Sign in through the real form: the session comes back as a cookie."""
    browser = requests.Session()
    page = browser.get(base + "/account/sign-in", timeout=30)
    token = _CSRF.search(page.text)
    if token is None:
        raise RuntimeError("no CSRF token on the sign-in page")
    answer = browser.post(
        base + "/account/sign-in",
        data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"signing in as {email} failed: HTTP {answer.status_code}")
    return browser


def decision_body(browser: requests.Session, base: str, reference: str) -> str:
    """The decision form as the page gives it (its CSRF token), filled in as an officer would."""
    page = browser.get(f"{base}/officer/cases/{reference}/actions/decide", timeout=30)
    token = _CSRF.search(page.text)
    if page.status_code != 200 or token is None:
        raise RuntimeError(f"the decision form did not load: HTTP {page.status_code}")
    today = datetime.now(UTC).date()  # the form refuses a decision dated in the future
    fields = [("csrf_token", token.group(1)), ("version", "1"), ("trigger", "decide")]
    for name in ("decided_on", "reasons_given_on"):
        fields += [(name, str(today.day)), (name, str(today.month)), (name, str(today.year))]
    fields += [("amount_awarded", "0"), ("reasons", "No loss shown"), ("submit_action", "Decide the claim")]
    return urlencode(fields)


def cookie_header(browser: requests.Session) -> str:
    return "; ".join(f"{name}={value}" for name, value in browser.cookies.items())


def _lua(paths: list[str], method: str, body: str | None) -> str:
    listed = ",\n".join(json.dumps(p) for p in paths)
    body_lua = json.dumps(body) if body is not None else "nil"
    return (
        f"local paths = {{\n{listed}\n}}\nlocal i = 0\nlocal body = {body_lua}\n"
        f'request = function()\n  i = i + 1\n  return wrk.format("{method}", paths[(i - 1) % #paths + 1], nil, body)\n'
        "end\n"
    )


@dataclass
class Run:
    rate: float
    requests: int
    errors: int


def wrk(base: str, paths: list[str], *, seconds: float, headers: list[str], workdir: Path,
        method: str = "GET", body: str | None = None) -> Run:  # fmt: skip
    """wrk closed-loop at full speed: requests per second, and the non-2xx/3xx answers."""
    script = workdir / f"wrk-{os.getpid()}.lua"
    script.write_text(_lua(paths, method, body), encoding="utf-8")
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{round(seconds)}s", "-s", str(script)]
    for header in headers:
        command += ["-H", header]
    try:
        out = subprocess.run([*command, base], capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    finally:
        script.unlink(missing_ok=True)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors:.*", out)
    if rate is None or total is None:
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    bad = int(errors.group(1)) if errors else 0
    if socket_errors and "timeout" in socket_errors.group(0):
        bad += int(re.sub(r"\D", "", socket_errors.group(0).split("timeout")[1]) or 0)
    return Run(float(rate.group(1)), int(total.group(1)), bad)


def paced(base: str, next_path: Callable[[], str], *, rate: float, seconds: float, headers: dict[str, str],
          method: str = "GET", body: str | None = None) -> tuple[float, float, int, int]:  # fmt: skip
    """Open loop at a fixed rate, each request timed from its scheduled start: (p50 ms, p99 ms, errors, requests)."""
    host, port = base.removeprefix("http://").split(":")
    total = int(rate * seconds)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    slot = iter(range(total))
    start = time.perf_counter() + 0.2

    def client() -> None:
        nonlocal errors
        while True:
            with lock:
                index = next(slot, None)
                path = next_path() if index is not None else ""
            if index is None:
                return
            scheduled = start + index / rate
            pause = scheduled - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            try:
                connection.request(method, path, body=body, headers=headers)
                status = connection.getresponse().status
            finally:
                connection.close()
            took = time.perf_counter() - scheduled
            with lock:
                latencies.append(took)
                errors += status >= 400

    threads = [threading.Thread(target=client) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49] * 1000, cuts[98] * 1000, errors, len(latencies)


@dataclass
class Target:
    id: str
    what: str
    paths: Callable[[int], list[str]]  # the next paths for a run of about n requests
    headers: list[str]
    method: str = "GET"
    body: str | None = None
    baseline: str = "hello"  # or "rendered": the same page's template from data already read (bench.rendered)


@dataclass
class Comparison:
    ours_rates: list[float]
    hello_rates: list[float]
    errors: int  # non-2xx/3xx answers and timeouts on ours
    requests: int  # completed requests to ours, warm-up included


def compare(ours: Server, hello: Server, target: Target, *, seconds: float, rounds: int, workdir: Path,
            path: str = "/") -> Comparison:  # fmt: skip
    """ABBA rounds of wrk on ours and on the baseline (hello, at `path`), after one warm-up run of each."""
    ours_rates: list[float] = []
    hello_rates: list[float] = []
    errors = requests = 0
    hello_headers = [h for h in target.headers if not h.startswith("Cookie")]
    expected = 400 * seconds  # generous: a path list longer than any run needs

    def run_ours() -> None:
        nonlocal errors, requests
        run = wrk(ours.base, target.paths(int(expected)), seconds=seconds, headers=target.headers,
                  workdir=workdir, method=target.method, body=target.body)  # fmt: skip
        ours_rates.append(run.rate)
        errors += run.errors
        requests += run.requests

    def run_hello() -> None:
        run = wrk(hello.base, [path], seconds=seconds, headers=hello_headers, workdir=workdir,
                  method=target.method, body=target.body)  # fmt: skip
        hello_rates.append(run.rate)

    run_ours()  # warm-up: templates compiled, statement caches and SQLite's page cache filled
    run_hello()
    ours_rates.clear()
    hello_rates.clear()
    for round_no in range(rounds):
        pair = (run_ours, run_hello) if round_no % 2 == 0 else (run_hello, run_ours)
        for fn in pair:
            fn()
    return Comparison(ours_rates, hello_rates, errors, requests)


def b4(workdir: Path, *, n: int = 1_000_000, quick: bool = False) -> list[Result]:
    path = workdir / f"web-{n}.db"
    build(path, n)
    prefix, stock = add_claims(path, CLAIMS_PER_RUN)
    claims = iter(stock)
    cases = sample_cases(path, 500)
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(DATABASE_URL=f"sqlite:///{path}", SECRET_KEY=secrets.token_urlsafe(32), PYTHONPATH=str(ROOT),
               RATELIMIT_STORAGE_URI="memory://")  # fmt: skip
    seconds, rounds, latency_seconds = (2.0, 3, 4.0) if quick else (3.0, 4, 6.0)
    log = workdir / "b4-gunicorn.log"
    with (
        gunicorn("web.wsgi:application", env, log) as ours,
        gunicorn("bench.hello:application", env, log) as hello,
        gunicorn("bench.rendered:application", env, log) as rendered,
    ):
        officer = sign_in(ours.base, OFFICER)
        decider = sign_in(ours.base, DECIDER)
        body = decision_body(decider, ours.base, next(claims))
        form = "Content-Type: application/x-www-form-urlencoded"
        cycle = iter(_cycle([f"/officer/cases/{reference}" for reference in cases]))

        def case_paths(k: int) -> list[str]:
            return [next(cycle) for _ in range(min(k, 500))]

        def claim_paths(k: int) -> list[str]:
            return [f"/officer/cases/{next(claims)}/actions/decide" for _ in range(k)]

        targets = [
            Target("B4-GET case", "an officer's case page", case_paths, [f"Cookie: {cookie_header(officer)}"]),
            Target("B4-GET queue", "the officer's work queue, first page", lambda _: ["/officer/cases"],
                   [f"Cookie: {cookie_header(officer)}"]),
            Target("B4-GET queue/r", "the work queue against its own template rendered from data already read",
                   lambda _: ["/officer/cases"], [f"Cookie: {cookie_header(officer)}"], baseline="rendered"),
            Target("B4-POST", "a decision submitted through the form (CSRF, transition, redirect)", claim_paths,
                   [f"Cookie: {cookie_header(decider)}", form], "POST", body),
        ]  # fmt: skip
        results = []
        for target in targets:
            baseline, page = (rendered, RENDERED) if target.baseline == "rendered" else (hello, "/")
            comparison = compare(ours, baseline, target, seconds=seconds, rounds=rounds, workdir=workdir, path=page)
            results.append(_result(ours, target, comparison, latency_seconds))
    post = results[-1]
    post.notes["claims_decided"] = done = decided(path, prefix)
    if done < post.notes["requests"]:  # each completed POST must have decided its claim
        post.met = False
        print(f"B4-POST: {post.notes['requests']} POSTs answered but only {done} claims decided")
    return results


def _cycle(items: list[str]) -> Iterator[str]:
    while True:
        yield from items


def _result(ours: Server, target: Target, comparison: Comparison, latency_seconds: float) -> Result:
    ours_rates, hello_rates = comparison.ours_rates, comparison.hello_rates
    ratios = sorted(o / h for o, h in zip(ours_rates, hello_rates, strict=True))
    quartiles = statistics.quantiles(ratios, n=4)
    ratio = statistics.median(ratios)
    ours_rate, hello_rate = statistics.median(ours_rates), statistics.median(hello_rates)
    half = ours_rate / 2
    headers = dict(h.split(": ", 1) for h in target.headers)
    paths = _cycle(target.paths(int(half * latency_seconds) + 10))
    p50, p99, late_errors, paced_requests = paced(ours.base, lambda: next(paths), rate=half, seconds=latency_seconds,
                                  headers=headers, method=target.method, body=target.body)  # fmt: skip
    post = target.method == "POST"
    wanted, p99_limit = (0.25, 100.0) if post else (0.5 if target.baseline == "rendered" else 0.45, 50.0)
    errors = comparison.errors + late_errors
    met = ratio >= wanted and errors == 0 and (post or p99 <= p99_limit)
    target_text = (f">= {wanted}x {target.baseline} req/s" + (f"; p99 <= {p99_limit:.0f} ms at half peak"
                   if not post else f" (p99 <= {p99_limit:.0f} ms at half peak: §6.1, reported)"))  # fmt: skip
    return Result(
        target.id,
        f"{target.what}: {ours_rate:.0f} vs {target.baseline} {hello_rate:.0f} req/s (ratio = ours/{target.baseline} "
        f"req/s, higher is better); at {half:.0f} req/s p50 {p50:.1f} ms, p99 {p99:.1f} ms",
        ratio, (quartiles[0], quartiles[2]), 1e6 / ours_rate, 1e6 / hello_rate, target_text, met,
        {"ours_rps": round(ours_rate, 1), f"{target.baseline}_rps": round(hello_rate, 1), "paced_rps": round(half, 1),
         "p50_ms": round(p50, 1), "p99_ms": round(p99, 1), "errors": errors,
         "requests": comparison.requests + paced_requests,
         "gunicorn": " ".join(GUNICORN), "wrk": f"-t1 -c{CONNECTIONS}", "us_per_op": "microseconds per request"},
    )  # fmt: skip
