"""Background jobs of Hack the Election."""

import datetime as dt

from safelect.core.jobs import periodic


@periodic(cron="7 * * * *", name="hack.record_round_openings", queueing_lock="hack.record_round_openings")
def record_round_openings(timestamp: int) -> int:
    """Fulfil the S.2261 §8(d)(1) next-round clocks of closed rounds once a later round opened."""
    from .rounds import record_openings

    return record_openings(dt.datetime.fromtimestamp(timestamp, tz=dt.UTC))
