"""A signed checkpoint of the journal every 10 minutes (see ``checkpoints``)."""

from safelect.core.jobs import periodic

from . import checkpoints


@periodic(cron="*/10 * * * *", name="journal.checkpoint")
def checkpoint(timestamp: int) -> None:
    checkpoints.write()
