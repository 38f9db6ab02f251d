"""The program's clocks, all kept by the obligations engine.

* ``S2261-8d1`` (registry, policy target 365 days): when a round closes, the next round is due.
* ``S2261-8d5`` (registry, "promptly", policy target 7 days): a vulnerability found valid must be
  notified to the agencies and providers concerned; fulfilled when the sharing program publishes it.
* ``HACK-QUALIFY`` (internal policy, 5 days): the "expeditious" qualification of §8(d)(2) — the
  office decides an application within 5 calendar days.
* ``HACK-DISCLOSE`` (internal policy, 90 days): coordinated disclosure 90 days after notification
  unless the vendor agrees another date (the date agreed is then the obligation's due date).
"""

from __future__ import annotations

from datetime import timedelta

from safelect.core.directory.queries import national_office
from safelect.core.obligations import services as obligations
from safelect.core.obligations.registry import get as get_duty
from safelect.core.obligations.registry import register_policy_duty

NEXT_ROUND = "S2261-8d1"
NOTIFY = "S2261-8d5"
QUALIFY = "HACK-QUALIFY"
DISCLOSE = "HACK-DISCLOSE"
QUALIFY_DAYS = 5
DISCLOSE_DAYS = 90

register_policy_duty(
    QUALIFY,
    "Decide a researcher's application to take part in Hack the Election",
    QUALIFY_DAYS,
    "national_office",
    lead_times=(timedelta(days=2),),
    origin="hack",
    citation="S.2261 §8(d)(2) (an expeditious process: internal policy target)",
    text=f"Program policy: the national office decides each application to qualify within {QUALIFY_DAYS} calendar days.",
    event="hack_researcher_applied",
    event_words="the application",
)
register_policy_duty(
    DISCLOSE,
    "Publish the advisory of a Hack the Election vulnerability (coordinated disclosure)",
    DISCLOSE_DAYS,
    "national_office",
    lead_times=(timedelta(days=14), timedelta(days=3)),
    origin="hack",
    citation="S.2261 §8(d)(5) (coordinated disclosure: internal policy)",
    text=f"Program policy: a vulnerability is disclosed publicly {DISCLOSE_DAYS} days after the affected agencies and providers "
    "were notified, unless the vendor agrees another date.",
    event="hack_vulnerability_notified",
    event_words="the notification of the affected agencies and providers",
)


def due(code: str, start):
    """When ``code`` falls due for an event at ``start``, by the registry's rule, in the office's time zone."""
    office = national_office()
    return get_duty(code).due(start, office.time_zone, enactment=obligations.enactment(), overrides=obligations.policy_overrides())
