"""Acceptance: killing a worker mid-delivery and starting another delivers each email exactly once.

The whole scenario runs in subprocesses on a fresh data directory (its own embedded PostgreSQL),
because the workers must see committed data: ``safelect migrate``, ``safelect shell -c`` to create
officials and notices, ``safelect worker`` (SIGKILLed mid-stream), a second worker, and a loopback
aiosmtpd server in this process that records every Message-ID it accepts.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from safelect.core.outbox.testing import LoopbackSmtp

SAFELECT = str(Path(sys.executable).with_name("safelect"))
PEOPLE, NOTICES = 200, 3

CREATE = f"""
from django.db import transaction
from safelect.core.accounts.models import Membership, User
from safelect.core.directory.models import Organization
from safelect.core.outbox import services
orgs = [Organization.objects.create(key=f"jurisdiction:crash{{i}}", name=f"Crash County {{i}}", kind="local_election_agency") for i in range(4)]
users = User.objects.bulk_create([User(username=f"o{{i}}", email=f"official{{i}}@crash.example") for i in range({PEOPLE})])
Membership.objects.bulk_create([Membership(user=u, organization=orgs[i % 4], roles=["local_election_official"]) for i, u in enumerate(users)])
with transaction.atomic():
    for n in range({NOTICES}):
        services.send("outbox.announcement", context={{"title": f"Notice {{n}}", "message": "Test", "organization_kinds": ["local_election_agency"]}})
"""

REPORT = """
import json
from safelect.core.outbox import delivery
from safelect.core.outbox.models import Delivery, DeliveryEvent, InboxItem
rows = Delivery.objects.all()
print(json.dumps({
    "expected": [delivery.message_id(d.pk, d.notice_id) for d in rows.filter(channel="email")],
    "status": {s: rows.filter(status=s).count() for s in ("pending", "sent", "failed")},
    "inbox_items": InboxItem.objects.count(), "inbox_deliveries": rows.filter(channel="inbox").count(),
    "presumed": DeliveryEvent.objects.filter(event="presumed_sent").count(),
    "events": {delivery.message_id(e.delivery_id, e.delivery.notice_id): [e.event, e.attempt, e.worker, e.detail]
               for e in DeliveryEvent.objects.select_related("delivery").exclude(event__in=["sent", "handed_off", "presumed_sent"])},
    "presumed_ids": [delivery.message_id(e.delivery_id, e.delivery.notice_id) for e in DeliveryEvent.objects.select_related("delivery").filter(event="presumed_sent")],
}))
"""


def run(env, *args, timeout=120):
    result = subprocess.run([SAFELECT, *args], env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def scenario(tmp_path):
    smtp = LoopbackSmtp()
    env = {**os.environ, "SAFELECT_HOME": str(tmp_path / "home"), "SAFELECT_EMAIL_BACKEND": "smtp",
           "SAFELECT_EMAIL_HOST": "127.0.0.1", "SAFELECT_EMAIL_PORT": str(smtp.port), "SAFELECT_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # One long-lived process holds the embedded server so that killed workers never stop it.
    holder = subprocess.Popen([SAFELECT, "shell", "-c", "import sys; print('ready', flush=True); sys.stdin.read()"], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    workers = []
    try:
        while (line := holder.stdout.readline()) and line.strip() != "ready":
            pass  # the server is up before anyone else joins
        assert line, "the process holding the database did not start"
        run(env, "migrate", "-v", "0")
        yield env, smtp, workers
    finally:
        for w in workers:
            if w.poll() is None:
                w.send_signal(signal.SIGTERM)
                try:
                    w.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    w.kill()
        holder.stdin.close()
        holder.wait(timeout=30)
        smtp.stop()


def start_worker(env, workers, name):
    w = subprocess.Popen([SAFELECT, "worker", "--concurrency", "2", "--name", name], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    workers.append(w)
    return w


def test_killed_worker_then_restart_delivers_each_email_exactly_once(scenario):
    env, smtp, workers = scenario
    run(env, "shell", "-c", CREATE)
    total = PEOPLE * NOTICES
    first = start_worker(env, workers, "first")
    deadline = time.monotonic() + 60
    while len(smtp.messages) < total // 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    at_kill = len(smtp.messages)
    assert 0 < at_kill < total, f"the kill should land mid-stream ({at_kill} of {total} delivered)"

    start_worker(env, workers, "second")
    try:
        smtp.mailbox.wait_for(total, timeout=90)
    finally:
        time.sleep(1.0)  # anything sent twice would arrive now
        report = json.loads(run(env, "shell", "-c", REPORT).strip().splitlines()[-1])
        missing = set(report["expected"]) - set(smtp.mailbox.message_ids())
        if missing:  # say which and what the log says, for the record
            print("missing:", {m: (m in report["presumed_ids"], report["events"].get(m)) for m in missing}, report["status"])

    received = Counter(smtp.mailbox.message_ids())
    duplicates = {mid: n for mid, n in received.items() if n > 1}
    assert not duplicates, f"sent twice: {duplicates}"
    assert set(received) == set(report["expected"]) and len(report["expected"]) == total
    assert report["status"] == {"pending": 0, "sent": 2 * total, "failed": 0}
    assert report["inbox_items"] == report["inbox_deliveries"] == total
    print(f"killed after {at_kill} of {total} emails; {report['presumed']} presumed sent after hand-off")
