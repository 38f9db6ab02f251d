"""Delivery jobs. ``deliver`` is deferred by ``services.send`` in the sender's transaction; the
sweep (every minute, and once when a worker starts) re-defers jobs for deliveries that are due —
retries after backoff, and rows a killed worker left behind."""

from __future__ import annotations

import logging
import os
import socket

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from safelect.core.jobs import on_worker_start, periodic

from . import delivery

log = logging.getLogger(__name__)
QUEUE = "notices"


def _worker_label() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@app.task(name="outbox.deliver", queue=QUEUE, retry=RetryStrategy(max_attempts=5, exponential_wait=5))
def deliver(notice_id: int, channel: str) -> dict:
    """Deliver what is due of one notice on one channel; reschedule itself for later retries."""
    stats = delivery.deliver_notice(notice_id, channel, worker=_worker_label())
    _schedule_retry(notice_id, channel)
    return {"sent": stats.sent, "retried": stats.retried, "failed": stats.failed, "presumed_sent": stats.presumed}


def _schedule_retry(notice_id: int, channel: str) -> None:
    from .models import Delivery

    next_at = (
        Delivery.objects.filter(notice_id=notice_id, channel=channel, status=Delivery.Status.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if next_at is None:
        return
    try:
        deliver.configure(schedule_at=next_at, queueing_lock=f"outbox.retry:{notice_id}:{channel}").defer(
            notice_id=notice_id, channel=channel
        )
    except AlreadyEnqueued:
        pass


def defer_due() -> int:
    """Defer one job per (notice, channel) with due pending deliveries, unless one is waiting."""
    count = 0
    for notice_id, channel in delivery.due_pending():
        try:
            deliver.configure(queueing_lock=f"outbox.sweep:{notice_id}:{channel}").defer(notice_id=notice_id, channel=channel)
            count += 1
        except AlreadyEnqueued:
            pass
    return count


@periodic(cron="* * * * *", name="outbox.sweep")
def sweep(timestamp: int) -> int:
    """Safety net: pick up deliveries whose retry time came or whose worker died."""
    return defer_due()


@on_worker_start
def pick_up_after_crash() -> None:
    deferred = defer_due()
    if deferred:
        log.info("outbox: deferred %d delivery job(s) for due deliveries", deferred)
