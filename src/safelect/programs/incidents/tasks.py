"""Background jobs of incidents: scanning a large evidence file for personal information, and the
daily purge of personal information from closed incidents whose retention period ended (§4(g))."""

import datetime as dt
import logging

from procrastinate.contrib.django import app

from safelect.core.jobs import periodic

log = logging.getLogger(__name__)


@app.task(name="incidents.scan_evidence")
def scan_evidence_job(evidence_id: int) -> None:
    """Scan one text evidence file (safe to run twice: an unchanged file is not scanned again)."""
    from .personal import scan_evidence_now

    scan_evidence_now(evidence_id)


@periodic(cron="17 3 * * *", name="incidents.purge_personal_data", queueing_lock="incidents.purge_personal_data")
def purge_personal_data(timestamp: int) -> int:
    """Purge the closed incidents whose retention clock fell due (safe to run twice: purged once)."""
    from .personal import purge_due

    done = purge_due(dt.datetime.fromtimestamp(timestamp, tz=dt.UTC))
    if done:
        log.info("purged personal information of %s", ", ".join(reference for reference, _ in done))
    return len(done)
