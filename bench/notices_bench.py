"""Benchmark: one notice to every local election agency, resolved and written to the outbox, then
delivered by two ``safelect worker`` processes to a loopback SMTP server (aiosmtpd).

Targets: resolve + write in under 2 s; delivery at 300 emails/s or more. Runs on a
fresh data directory (its own embedded PostgreSQL): migrate, load the directory, create
``--officials`` officials per agency, send, deliver. The peer is plain smtplib sending the same
number of messages over one connection to the same server, without any bookkeeping (the ceiling);
the ratio says what the outbox's bookkeeping costs. The peer runs twice: over one connection, and
over as many connections at once as the workers run jobs (workers × concurrency), which is the
like-for-like comparison; the peer keeps no database, no hand-off marks and no inbox.

    .venv/bin/python bench/notices_bench.py [--officials 3] [--concurrency 4] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from safelect.core.outbox.testing import LoopbackSmtp  # noqa: E402  (no Django needed)

sys.path.insert(0, str(ROOT / "bench"))
from incident_surge import analyze  # noqa: E402  (the same helper)

SAFELECT = str(Path(sys.executable).with_name("safelect"))

SETUP = """
from safelect.core.accounts.models import Membership, User
from safelect.core.directory.models import Organization
orgs = list(Organization.objects.filter(kind="local_election_agency").values_list("pk", flat=True))
users = User.objects.bulk_create([User(username=f"bench{{o}}-{{i}}", email=f"official{{i}}.{{o}}@bench.example", password="!")
                                  for o in orgs for i in range({officials})], batch_size=5000)
Membership.objects.bulk_create([Membership(user=u, organization_id=orgs[n // {officials}], roles=["local_election_official"])
                                for n, u in enumerate(users)], batch_size=5000)
print(len(orgs), len(users))
"""

SEND = """
import json, time
from django.db import transaction
from safelect.core.outbox import services
started = time.perf_counter()
with transaction.atomic():
    notice = services.send("outbox.announcement", context={"title": "Patch the voter-registration system now",
                           "message": "A vulnerability affects it; see the advisory.", "organization_kinds": ["local_election_agency"]})
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "counts": notice.delivery_counts, "notice": notice.pk}))
"""

PROGRESS = """
from safelect.core.outbox.models import Delivery
print(Delivery.objects.filter(status="pending").count(), Delivery.objects.filter(status="failed").count())
"""


def run(env, *args, timeout=600) -> str:
    result = subprocess.run([SAFELECT, *args], env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        sys.exit(f"safelect {' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def peer_rate(port: int, n: int, connections: int = 1) -> float:
    """Plain smtplib, no database and no hand-off marks, over ``connections`` connections at once
    (threads, like a worker's jobs): the ceiling the outbox's bookkeeping is measured against."""
    import threading

    body = b"Subject: peer\r\nFrom: noreply@safelect.invalid\r\nTo: x@bench.example\r\n\r\nA vulnerability affects it.\r\n"

    def send(first: int, count: int) -> None:
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for i in range(first, first + count):
                smtp.sendmail(
                    "noreply@safelect.invalid",
                    [f"peer{i}@bench.example"],
                    body.replace(b"Subject: peer", b"Message-ID: <peer-%d@b>\r\nSubject: peer" % i),
                )

    share = n // connections
    threads = [threading.Thread(target=send, args=(k * share, share)) for k in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return share * connections / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=3, help="officials per local election agency (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--concurrency", type=int, default=4, help="jobs at once per worker (default 4)")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="safelect-bench-")
    smtp = LoopbackSmtp()
    env = {
        **os.environ,
        "SAFELECT_HOME": home,
        "SAFELECT_EMAIL_BACKEND": "smtp",
        "SAFELECT_EMAIL_HOST": "127.0.0.1",
        "SAFELECT_EMAIL_PORT": str(smtp.port),
        "SAFELECT_LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    holder = subprocess.Popen(
        [SAFELECT, "shell", "-c", "import sys; print('ready', flush=True); sys.stdin.read()"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    workers = []
    try:
        while (line := holder.stdout.readline()) and line.strip() != "ready":
            pass
        print(f"data directory {home}: migrating, loading the directory, creating officials…", flush=True)
        run(env, "migrate", "-v", "0")
        run(env, "directory", "load")
        agencies, officials = run(env, "shell", "-c", SETUP.format(officials=args.officials)).split()
        analyze(env)
        sent = json.loads(run(env, "shell", "-c", SEND))
        emails = sent["counts"].get("email", 0)

        started = time.perf_counter()
        for n in range(args.workers):
            workers.append(
                subprocess.Popen(
                    [SAFELECT, "worker", "--concurrency", str(args.concurrency), "--name", f"bench{n}"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        first = None
        while len(smtp.messages) < emails:
            if first is None and smtp.messages:
                first = time.perf_counter()
            if time.perf_counter() - started > 600:
                sys.exit(f"gave up: {len(smtp.messages)} of {emails} emails after 10 minutes")
            time.sleep(0.01)
        done = time.perf_counter()
        while run(env, "shell", "-c", PROGRESS).split()[0] != "0":  # the inbox deliveries too
            time.sleep(0.2)
        all_done = time.perf_counter()
        duplicates = len(smtp.messages) - len(set(smtp.mailbox.message_ids()))
        rate_total = emails / (done - started)
        rate_stream = (emails - 1) / (done - first) if first and done > first else float("nan")
        peer = peer_rate(smtp.port, min(emails, 3000))
        same = args.workers * args.concurrency
        peer_same = peer_rate(smtp.port, min(emails, 3000), connections=same)

        rows = [
            ("local election agencies", agencies, ""),
            ("officials (recipients)", officials, ""),
            ("deliveries written (email + inbox)", f"{sum(sent['counts'].values()):,}", ""),
            ("resolve + write to outbox", f"{sent['seconds']:.3f} s", "target < 2 s: " + ("met" if sent["seconds"] < 2 else "NOT MET")),
            (f"{args.workers} workers × concurrency {args.concurrency}: emails", f"{emails:,}", f"duplicates: {duplicates}"),
            ("delivery rate, from worker start", f"{rate_total:,.0f} /s", "target ≥ 300/s: " + ("met" if rate_total >= 300 else "NOT MET")),
            ("delivery rate, first to last message", f"{rate_stream:,.0f} /s", ""),
            ("inbox deliveries done too, after", f"{all_done - started:.1f} s", ""),
            ("peer: plain smtplib, one connection", f"{peer:,.0f} /s", f"ratio outbox/peer: {rate_total / peer:.2f}"),
            (
                f"peer: plain smtplib, {same} connections at once",
                f"{peer_same:,.0f} /s",
                f"ratio outbox/peer at the same concurrency: {rate_total / peer_same:.2f}",
            ),
        ]
        width = max(len(r[0]) for r in rows)
        print()
        for name, value, note in rows:
            print(f"{name.ljust(width)}  {value:>12}  {note}")
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            try:
                w.wait(timeout=30)
            except subprocess.TimeoutExpired:
                w.kill()
        holder.stdin.close()
        holder.wait(timeout=60)
        smtp.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
