"""Jobs of the directory: loading the reference data in the background."""

import logging

from procrastinate.contrib.django import app

log = logging.getLogger(__name__)


@app.task(name="directory.load_reference_data", queue="default", queueing_lock="directory.load_reference_data")
def load_reference_data_task() -> dict:
    """Load (or refresh) the directory; idempotent, so a retried job changes nothing more."""
    from .services import SYSTEM, load_reference_data

    report = load_reference_data(SYSTEM)
    log.info("directory loaded: %s", report.as_dict())
    return report.as_dict()
