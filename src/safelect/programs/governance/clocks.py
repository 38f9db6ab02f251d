"""The governance clocks, all from the obligations registry (no period is written here).

* ``S2261-5f`` — the 45-day public comment on a draft (a minimum period: the comment period closes
  at its end, and the guidelines may not go to the Secretary before).
* ``S2261-5h`` / ``S2261-5l`` — the panel's submission to the Secretary: 180 days after enactment,
  then the two-yearly review from January 31, 2019.
* ``S2261-5i`` — the Secretary's submission to Congress, 14 calendar days after receipt.
* ``HR5011-301a`` / ``HR5011-301c`` — the national strategy; its implementation plan 90 days after
  the strategy is issued.
* ``HR5011-302c4``, ``HR5011-302c5``, ``HR5011-302e1``, ``HR5011-302j2`` — the Commission's
  appointments, vacancies, first meeting and final report.
* every report of :mod:`.catalog` with a duty.

The panel and the Commission have no organization in the directory: their clocks are held — tracked —
by the national office, which supports the panel (S.2261 §5(a)(6)) and answers for the reports.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.queries import national_office
from safelect.core.obligations import services as obligations
from safelect.core.obligations.clocks import occurrences
from safelect.core.obligations.models import CLOSED_STATUSES, Obligation
from safelect.core.obligations.registry import get as get_duty
from safelect.core.obligations.sweep import HORIZON, SCHEDULED_TRIGGERS

COMMENT = "S2261-5f"
TO_SECRETARY = {"initial": "S2261-5h", "review": "S2261-5l"}
TO_CONGRESS = "S2261-5i"
STRATEGY = "HR5011-301a"
PLAN = "HR5011-301c"
APPOINT_ALL = "HR5011-302c4"
VACANCY = "HR5011-302c5"
FIRST_MEETING = "HR5011-302e1"
FINAL_REPORT = "HR5011-302j2"


def open_clock(code: str, subject, start: dt.datetime | None, actor: Actor | None = None) -> Obligation:
    return obligations.open(code, subject, start, national_office(), actor=actor)


def still_open(code: str, subject=None):
    """Open obligations of ``code`` (about ``subject``; any subject when None), earliest first."""
    found = Obligation.objects.filter(duty_code=code).exclude(status__in=CLOSED_STATUSES).order_by("due_at")
    if subject is not None:
        ref = obligations.SubjectRef.of(subject)
        found = found.filter(subject_type=ref.type, subject_id=ref.id)
    return found


def fulfil_earliest(actor: Actor, code: str, at: dt.datetime, event: str) -> Obligation | None:
    """Fulfil the earliest open cycle of a subject-less ``code`` (one submission meets one cycle), if
    any. A clock about a subject is met with the kernel's ``obligations.fulfil_open``."""
    found = still_open(code).filter(subject_type="").first()
    if found is None:
        return None
    return obligations.fulfil(actor.vouched(), found, at, event)


def ensure_clock(code: str, actor: Actor | None = None) -> Obligation | None:
    """The earliest open obligation of a scheduled duty with no subject, opening it as the sweep would
    if the sweep has not run yet: an enactment-counted duty's one obligation, or the coming cycle of a
    recurring one. None for event-driven duties (their event opens them)."""
    found = still_open(code).filter(subject_type="").first()
    if found is not None:
        return found
    duty = get_duty(code)
    if duty.trigger.kind == "enactment" and duty.recurrence == "once":
        return open_clock(code, None, None, actor)
    if duty.trigger.kind not in SCHEDULED_TRIGGERS:
        return None
    office, now = national_office(), timezone.now()
    done = set(Obligation.objects.filter(duty_code=code, subject_type="").values_list("cycle", flat=True))
    cycles = [
        o
        for o in occurrences(duty, now - HORIZON, now + HORIZON, office.time_zone, obligations.enactment(), obligations.policy_overrides())
        if o.label not in done
    ]
    started = [o for o in cycles if o.trigger_at <= now]  # the cycle under way (its period ended), else the next one
    for occurrence in started[-1:] or cycles[:1]:
        return obligations.open(duty, None, occurrence.trigger_at, office, actor=actor, cycle=occurrence.label, due_at=occurrence.due_at)
    return None
