"""Acceptance: killing a worker mid-delivery and starting another delivers each email exactly once.

The whole scenario runs in subprocesses on a fresh data directory (its own embedded PostgreSQL),
because the workers must see committed data: ``safelect migrate``, ``safelect shell -c`` to create
officials and notices, ``safelect worker`` (SIGKILLed mid-delivery), a second worker, and a loopback
aiosmtpd server in this process that records every Message-ID it accepts.

The kill is not left to chance: the server stalls on a chosen message at one of the two points of
the protocol in ``outbox/delivery.py`` that matter — before the hand-off (DATA not yet answered)
and after it (the final "." read, 250 not yet sent) — and the worker is killed while it waits
there. The worker runs one job at a time, so the stalled message is the only one in flight.
Kills at random moments, where the residual window after the hand-off mark can lose a message,
are measured by ``bench/outbox_kill_soak.py``.
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
PEOPLE, NOTICES = 40, 2
STALL_ON = 5  # the fifth message: the first batch is well under way, its first four already marked

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
    "log": {delivery.message_id(d.pk, d.notice_id): [[e.event, e.attempt, e.worker.split(":")[-1]] for e in d.events.order_by("id")]
            for d in rows.filter(channel="email").prefetch_related("events")},
}))
"""


def run(env, *args, timeout=120):
    result = subprocess.run([SAFELECT, *args], env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def scenario(tmp_path):
    smtp = LoopbackSmtp()
    env = {
        **os.environ,
        "SAFELECT_HOME": str(tmp_path / "home"),
        "SAFELECT_EMAIL_BACKEND": "smtp",
        "SAFELECT_EMAIL_HOST": "127.0.0.1",
        "SAFELECT_EMAIL_PORT": str(smtp.port),
        "SAFELECT_LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # One long-lived process holds the embedded server so that killed workers never stop it.
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


def start_worker(env, workers, name, concurrency=1):
    w = subprocess.Popen(
        [SAFELECT, "worker", "--concurrency", str(concurrency), "--name", name],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers.append(w)
    return w


def kill_while_stalled(env, smtp, workers, point):
    """Deliver with one worker, SIGKILL it while the server holds message STALL_ON at ``point``,
    release the server, deliver the rest with a second worker; return (stall, report, received)."""
    run(env, "shell", "-c", CREATE)
    stall = smtp.stall(point, nth=STALL_ON)
    first = start_worker(env, workers, "first")
    assert stall.reached.wait(60), f"the worker never reached {point} of message {STALL_ON}"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    stall.release()
    delivered_before = len(smtp.messages)

    start_worker(env, workers, "second", concurrency=2)
    total = PEOPLE * NOTICES
    try:
        smtp.mailbox.wait_for(total, timeout=90)
    finally:
        time.sleep(1.0)  # anything sent twice would arrive now
        report = json.loads(run(env, "shell", "-c", REPORT).strip().splitlines()[-1])
    received = Counter(smtp.mailbox.message_ids())
    duplicates = {mid: n for mid, n in received.items() if n > 1}
    assert not duplicates, f"sent twice: {duplicates}"
    assert len(report["expected"]) == total
    missing = set(report["expected"]) - set(received)
    assert not missing, {m: report["log"].get(m) for m in missing}
    assert set(received) == set(report["expected"])
    assert report["status"] == {"pending": 0, "sent": 2 * total, "failed": 0}
    assert report["inbox_items"] == report["inbox_deliveries"] == total
    return stall, report, delivered_before, str(first.pid)


def test_worker_killed_before_hand_off_sends_that_email_once_after_restart(scenario):
    env, smtp, workers = scenario
    stall, report, delivered_before, killed = kill_while_stalled(env, smtp, workers, "data")
    # The server never got the stalled message: four were delivered, and their marks survive.
    assert delivered_before == STALL_ON - 1
    assert len(report["presumed_ids"]) == STALL_ON - 1
    marked_by_killed = {mid for mid, log in report["log"].items() if any(e[2] == killed for e in log)}
    assert marked_by_killed == set(report["presumed_ids"]), "only the four handed-off messages carry the killed worker's marks"
    # The stalled one (same notice as the four, to the recipient the server saw) went out once,
    # from the second worker, on the first attempt the log records.
    notice = report["presumed_ids"][0].split(".")[0]
    stalled = [
        mid
        for mid, m in zip(smtp.mailbox.message_ids(), smtp.messages, strict=True)
        if m["To"] in stall.rcpt_tos and mid.startswith(notice + ".")
    ]
    assert len(stalled) == 1 and stalled[0] not in report["presumed_ids"]
    assert [(e[0], e[1]) for e in report["log"][stalled[0]]] == [("handed_off", 1), ("sent", 1)]
    assert killed not in {e[2] for e in report["log"][stalled[0]]}


def test_worker_killed_after_hand_off_is_presumed_sent_not_sent_again(scenario):
    env, smtp, workers = scenario
    stall, report, delivered_before, killed = kill_while_stalled(env, smtp, workers, "end_of_data")
    # The server had kept the stalled message when the worker died: the five are recorded as
    # presumed sent by the second worker (their marks committed, the batch's "sent" rolled back).
    assert delivered_before == STALL_ON
    assert stall.message_id in report["presumed_ids"]
    assert len(report["presumed_ids"]) == STALL_ON
    log = report["log"][stall.message_id]
    assert [(e[0], e[1]) for e in log] == [("handed_off", 1), ("presumed_sent", 1)]
    assert log[0][2] == killed and log[1][2] != killed
