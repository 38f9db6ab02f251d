"""Benchmark: an election-night surge of incident reports through the API.

20 concurrent clients (``--clients``), each acting for its own county election office with its own
API token, post 500 reports in all (``--reports``) to ``safelect serve``: each report is a possible
incident (``POST /api/incidents/reports`` with an ``Idempotency-Key``), its assessment, its §4(i)
notice and one §4(k)(2) update — four writes, each with its journal entry, obligations and outbox
notices. Every tenth report of each client (its 1st, 11th, 21st…) is posted twice with the same key
(a client retrying after a timeout).
The peer, in the same run and at the same concurrency, is the bare authenticated API request
(``GET /api/accounts/me``): what any request costs before the incident services do anything.

Printed: p50 / p95 and the full range (min–max) per kind of request, and each as a ratio to the
bare request's; then the check that every report was stored exactly once with its two notices
(nothing lost, nothing doubled).

    .venv/bin/python bench/incident_surge.py [--clients 20] [--reports 500] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SAFELECT = str(Path(sys.executable).with_name("safelect"))

SETUP = """
import json
from safelect.core.accounts import services
from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership, User
from safelect.core.directory.models import Organization
orgs = list(Organization.objects.filter(kind="local_election_agency", state__usps__in=["AL", "GA", "TX"]).order_by("key")[:{clients}])
tokens = []
for n, org in enumerate(orgs):
    user = User.objects.create_user(username=f"surge{{n}}@bench.example", email=f"surge{{n}}@bench.example", password=None, full_name=f"Clerk {{n}}")
    membership = Membership.objects.create(user=user, organization=org, roles=["local_election_official"])
    _token, raw = services.create_token(Actor.member(membership), name="surge", permissions=["incidents:incident:report", "incidents:incident:view"])
    tokens.append(raw)
print(json.dumps(tokens))
"""

CHECK = """
import json
from safelect.programs.incidents.models import Incident, IncidentNotice
from django.db.models import Count
keys = list(Incident.objects.filter(idempotency_key__startswith="surge-").values_list("idempotency_key", flat=True))
notices = list(Incident.objects.filter(idempotency_key__startswith="surge-").annotate(n=Count("notices")).values_list("n", flat=True))
print(json.dumps({"incidents": len(keys), "distinct_keys": len(set(keys)), "with_two_notices": sum(1 for n in notices if n == 2)}))
"""


def run(env, *args, timeout=900) -> str:
    result = subprocess.run([SAFELECT, *args], env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        sys.exit(f"safelect {' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def analyze(env) -> None:
    """Refresh the planner's statistics, as autovacuum would have by now on a live system. Only the
    tables' owner may ANALYZE them (the application's role is silently skipped), so run as it."""
    run(
        {**env, "SAFELECT_DATABASE_ROLE": "owner"},
        "shell",
        "-c",
        "from django.db import connection; connection.cursor().execute('ANALYZE')",
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One county's API client over one keep-alive connection, timing every request."""

    def __init__(self, port: int, token: str, times: dict[str, list[float]], lock: threading.Lock):
        self.port, self.token, self.times, self.lock = port, token, times, lock
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, kind: str, method: str, path: str, body=None, headers=None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json", **(headers or {})}
        started = time.perf_counter()
        self.connection.request(method, path, body=data, headers=all_headers)
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times.setdefault(kind, []).append(elapsed)
        return response.status, json.loads(payload) if payload else {}


def moment(minutes_ago: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 60 * minutes_ago))


def county_night(client: Client, number: int, reports: int, failures: list[str]) -> None:
    content = {
        "started_at": moment(90),
        "ended_at": None,
        "systems": ["election_night_reporting"],
        "circumstances": "Bursts of requests against the results site.",
        "information_acquired": "None known.",
        "measures_planned": "Rate limiting at the provider.",
        "measures_implemented": "Blocked the address ranges.",
    }
    for r in range(reports):
        key = f"surge-{number}-{r}"
        report = {
            "title": f"Results site under load {number}-{r}",
            "aware_at": moment(60),
            "how_learned": "Hosting alert",
            "systems": ["election_night_reporting"],
        }
        status, incident = client.call("report", "POST", "/api/incidents/reports", report, {"Idempotency-Key": key})
        if status != 201:
            failures.append(f"{key}: report answered {status} {incident}")
            continue
        if r % 10 == 0:  # a retry after a timeout: the same key must not record a second incident
            status, again = client.call("report (retry)", "POST", "/api/incidents/reports", report, {"Idempotency-Key": key})
            if status != 200 or again.get("id") != incident["id"]:
                failures.append(f"{key}: retry answered {status}, id {again.get('id')} for {incident['id']}")
        pk = incident["id"]
        steps = [
            ("assessment", f"/api/incidents/reports/{pk}/assessment", {"outcome": "occurred", "discovered_at": moment(45)}, 200),
            ("notice", f"/api/incidents/reports/{pk}/notice", content, 201),
            ("update", f"/api/incidents/reports/{pk}/updates", {**content, "note": "The provider confirmed the source."}, 201),
        ]
        for kind, path, body, expected in steps:
            status, answer = client.call(kind, "POST", path, body)
            if status != expected:
                failures.append(f"{key}: {kind} answered {status} {answer}")
                break


def bare_requests(client: Client, count: int, failures: list[str]) -> None:
    for _ in range(count):
        status, _answer = client.call("bare request (GET /api/accounts/me)", "GET", "/api/accounts/me")
        if status != 200:
            failures.append(f"bare request answered {status}")


def phase(port, tokens, target, times, args) -> tuple[float, list[str]]:
    lock, failures = threading.Lock(), []
    clients = [Client(port, token, times, lock) for token in tokens]
    share = args.reports // len(clients)
    threads = [
        threading.Thread(target=target, args=(c, n, share, failures) if target is county_night else (c, share * 4, failures))
        for n, c in enumerate(clients)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, failures


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(sorted(values), n=100, method="inclusive")[int(q * 100) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="server processes (safelect serve --workers)")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="safelect-surge-")
    env = {**os.environ, "SAFELECT_HOME": home, "SAFELECT_EMAIL_BACKEND": "console", "SAFELECT_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    holder = subprocess.Popen(
        [SAFELECT, "shell", "-c", "import sys; print('ready', flush=True); sys.stdin.read()"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    server = None
    try:
        while (line := holder.stdout.readline()) and line.strip() != "ready":
            pass
        print(f"data directory {home}: migrating, loading the directory, creating {args.clients} county clerks with tokens…", flush=True)
        run(env, "migrate", "-v", "0")
        run(env, "directory", "load")
        tokens = json.loads(run(env, "shell", "-c", SETUP.format(clients=args.clients)))
        if len(tokens) != args.clients:
            sys.exit(f"only {len(tokens)} county offices found for {args.clients} clients")
        port = free_port()
        server = subprocess.Popen(
            [SAFELECT, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("safelect serve did not start")
                time.sleep(0.3)
        times: dict[str, list[float]] = {}
        phase(port, tokens[:2], bare_requests, {}, argparse.Namespace(reports=20))  # warm both server processes
        bare_seconds, bare_failures = phase(port, tokens, bare_requests, times, args)
        surge_seconds, failures = phase(port, tokens, county_night, times, args)
        failures += bare_failures
        check = json.loads(run(env, "shell", "-c", CHECK))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        holder.stdin.close()
        holder.wait(timeout=60)
        shutil.rmtree(home, ignore_errors=True)

    baseline = times["bare request (GET /api/accounts/me)"]
    base50, base95 = quantile(baseline, 0.50), quantile(baseline, 0.95)
    print(f"\n{args.clients} concurrent clients, {args.workers} server processes; {os.cpu_count()} CPUs")
    print(f"bare requests: {len(baseline)} in {bare_seconds:.1f} s; surge: {args.reports} reports × 4 writes in {surge_seconds:.1f} s\n")
    print(f"{'request':40} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'min–max ms':>16} {'p50 ×bare':>10} {'p95 ×bare':>10}")
    for kind, values in times.items():
        p50, p95 = quantile(values, 0.50), quantile(values, 0.95)
        span = f"{min(values) * 1000:.1f}–{max(values) * 1000:.0f}"
        print(f"{kind:40} {len(values):>6} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f} {span:>16} {p50 / base50:>10.1f} {p95 / base95:>10.1f}")
    expected = args.reports // args.clients * args.clients
    ok = not failures and check == {"incidents": expected, "distinct_keys": expected, "with_two_notices": expected}
    print(f"\nstored: {check} (expected {expected} incidents, each once, each with its notice and update)")
    for failure in failures[:10]:
        print("FAILED:", failure)
    print("nothing lost, nothing doubled" if ok else "CHECK FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
