"""Periodic job of the obligations app: the deadline sweep, every five minutes.

``sweep_task`` opens the coming cycle of recurring and election-driven duties and sends
reminders and escalations (see :mod:`.sweep`). It is safe to run twice and on several workers at
once: each reminder threshold is claimed under a unique constraint before its notice is written.
The queueing lock keeps at most one sweep waiting when workers fall behind (procrastinate skips
a periodic defer that meets the lock).
"""

import datetime as dt
import logging

from safelect.core.jobs import periodic

log = logging.getLogger(__name__)


@periodic(cron="*/5 * * * *", name="obligations.sweep", queueing_lock="obligations.sweep")
def sweep_task(timestamp: int) -> dict:
    """Run the sweep for the moment the job was scheduled (procrastinate passes ``timestamp``)."""
    from .sweep import sweep

    report = sweep(dt.datetime.fromtimestamp(timestamp, tz=dt.UTC))
    if report.opened or report.reminders or report.escalations:
        log.info("obligations sweep: %s", report.as_dict())
    return report.as_dict()
