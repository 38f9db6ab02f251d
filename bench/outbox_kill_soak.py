"""Soak: SIGKILL a ``safelect worker`` at random moments while it delivers email, many times, and
count what the loopback SMTP server received: duplicates (must be 0) and losses (each must be a
delivery the log records as ``presumed_sent``, i.e. killed between the commit of its hand-off mark
and the final "." reaching the server — the residual window described in ``outbox/delivery.py``).

Each round sends ``--notices`` notices to ``--people`` officials, starts a worker, kills it at a
uniformly random moment while messages are arriving, starts a second worker and waits for every
email. Loopback only, on a fresh data directory; bounded by ``--rounds`` and ``--minutes``.

    .venv/bin/python bench/outbox_kill_soak.py [--rounds 30] [--minutes 10] [--concurrency 4]

To measure another version of the code, put its ``src`` first: ``PYTHONPATH=/path/to/old/src``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from safelect.core.outbox.testing import LoopbackSmtp  # noqa: E402  (no Django needed)

SAFELECT = str(Path(sys.executable).with_name("safelect"))

SETUP = """
from safelect.core.accounts.models import Membership, User
from safelect.core.directory.models import Organization
orgs = [Organization.objects.create(key=f"jurisdiction:soak{{i}}", name=f"Soak County {{i}}", kind="local_election_agency") for i in range(4)]
users = User.objects.bulk_create([User(username=f"s{{i}}", email=f"official{{i}}@soak.example") for i in range({people})])
Membership.objects.bulk_create([Membership(user=u, organization=orgs[i % 4], roles=["local_election_official"]) for i, u in enumerate(users)])
"""

SEND = """
from django.db import transaction
from safelect.core.outbox import services
with transaction.atomic():
    for n in range({notices}):
        services.send("outbox.announcement", context={{"title": f"Round {round} notice {{n}}", "message": "Soak", "organization_kinds": ["local_election_agency"]}})
"""

REPORT = """
import json
from safelect.core.outbox import delivery
from safelect.core.outbox.models import Delivery, DeliveryEvent
email = Delivery.objects.filter(channel="email")
print(json.dumps({
    "expected": [delivery.message_id(d.pk, d.notice_id) for d in email],
    "pending": Delivery.objects.filter(status="pending").count(),
    "presumed": [delivery.message_id(e.delivery_id, e.delivery.notice_id)
                 for e in DeliveryEvent.objects.select_related("delivery").filter(event="presumed_sent", delivery__channel="email")],
}))
"""


def run(env, *args, timeout=300) -> str:
    result = subprocess.run([SAFELECT, *args], env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        sys.exit(f"safelect {' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def worker(env, name: str, concurrency: int) -> subprocess.Popen:
    return subprocess.Popen(
        [SAFELECT, "worker", "--concurrency", str(concurrency), "--name", name],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(w: subprocess.Popen) -> None:
    if w.poll() is None:
        w.send_signal(signal.SIGTERM)
        try:
            w.wait(timeout=30)
        except subprocess.TimeoutExpired:
            w.kill()
            w.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=10.0, help="stop starting rounds after this long")
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--notices", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4, help="jobs at once in the killed worker (default 4)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)  # aiosmtpd: every killed session is an "exception"

    home = tempfile.mkdtemp(prefix="safelect-soak-")
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
    env.pop("DJANGO_SETTINGS_MODULE", None)
    holder = subprocess.Popen(
        [SAFELECT, "shell", "-c", "import sys; print('ready', flush=True); sys.stdin.read()"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    started = time.monotonic()
    kills = mid_stream = 0
    lost_total, unexplained, duplicates = [], [], {}
    per_round = args.people * args.notices
    span = 1.0  # seconds from first to last message, measured on the first round
    try:
        while (line := holder.stdout.readline()) and line.strip() != "ready":
            pass
        run(env, "migrate", "-v", "0")
        run(env, "shell", "-c", SETUP.format(people=args.people))
        for rnd in range(args.rounds):
            if time.monotonic() - started > args.minutes * 60:
                break
            before = len(smtp.messages)
            run(env, "shell", "-c", SEND.format(notices=args.notices, round=rnd))
            first = worker(env, f"soak{rnd}a", args.concurrency)
            while len(smtp.messages) == before and first.poll() is None:
                time.sleep(0.001)
            t0 = time.monotonic()
            time.sleep(rng.uniform(0, span * 0.9))
            first.send_signal(signal.SIGKILL)
            first.wait()
            kills += 1
            at_kill = len(smtp.messages) - before
            if rnd == 0 and at_kill >= per_round:
                span = time.monotonic() - t0
            mid_stream += 0 < at_kill < per_round
            second = worker(env, f"soak{rnd}b", 2)
            deadline = time.monotonic() + 120
            while len(smtp.messages) - before < per_round and time.monotonic() < deadline:
                report = json.loads(run(env, "shell", "-c", REPORT))
                if report["pending"] == 0:
                    break
                time.sleep(0.3)
            time.sleep(0.5)  # a duplicate would arrive now
            stop(second)
            report = json.loads(run(env, "shell", "-c", REPORT))
            received = Counter(smtp.mailbox.message_ids())
            duplicates = {m: n for m, n in received.items() if n > 1}
            missing = set(report["expected"]) - set(received)
            new = sorted(missing - set(lost_total))
            lost_total += new
            unexplained += [m for m in new if m not in report["presumed"]]
            print(f"round {rnd + 1}: killed after {at_kill}/{per_round}; lost {len(new)}; duplicates so far {len(duplicates)}", flush=True)
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
        smtp.stop()
        shutil.rmtree(home, ignore_errors=True)

    print()
    print(f"kills: {kills} ({mid_stream} while messages were still arriving), concurrency {args.concurrency}")
    print(f"duplicates: {len(duplicates)}")
    print(
        f"losses: {len(lost_total)} ({len(lost_total) / max(mid_stream, 1):.3f} per mid-stream kill); "
        f"not recorded as presumed_sent: {len(unexplained)}"
    )
    if duplicates or unexplained:
        sys.exit(1)


if __name__ == "__main__":
    main()
