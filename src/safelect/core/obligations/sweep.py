"""The sweep the periodic job runs: open the coming cycles, send reminders and escalations.

Both halves are safe to run twice and from several workers at once:

* opening relies on the obligation's unique constraints (duty + holder + subject + cycle);
* each reminder threshold is *claimed* with ``INSERT … ON CONFLICT DO NOTHING RETURNING`` on
  ``Reminder(obligation, threshold)``; only the transaction whose insert returned a row sends
  the notice, in the same transaction, with ``dedupe_key="obligation:<id>:<threshold>"`` as a
  second guard in the outbox.

Which cycles are opened (decided here, documented in the README section of the obligations CLI):

* only duties with a schedule of their own (enactment, fixed date, fiscal-year, election and
  periodic triggers); event-driven duties are opened by the app that records the event;
* not duties with a ``condition`` (e.g. H.R. 5011 §321(b) only for fiscal years in which grants
  were awarded): the program that knows the condition holds opens them;
* the holder is the national office when it holds or co-holds the duty (the DNI's §204 threat
  assessment is "developed by the Secretary and Chairman", so the national office tracks it),
  the EAC for EAC duties; duties held only by an unnamed Federal entity (GAO's §6(b) report) are
  not opened automatically;
* H.R. 5011 §204 is owed to "the chief State election official of each State": one obligation
  per State — the 55 States of HAVA §901 (the Northern Mariana Islands are not one) — held by the
  national office, with that State's office as the subject, so the board shows which States have
  received the assessment;
* the coming cycle is every cycle due within :data:`HORIZON` and, at least, the next one.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from safelect.core.directory.models import Organization
from safelect.core.journal.services import record

from . import services
from .clocks import occurrences
from .explain import format_due
from .models import Obligation, Reminder
from .registry import all_duties
from .registry.duty import Duty
from .thresholds import OVERDUE, describe_lead, passed_thresholds

log = logging.getLogger(__name__)

#: Cycles due within this period are opened (and at least the next cycle of each duty).
HORIZON = dt.timedelta(days=400)
#: How far ahead to look for "the next cycle" of a duty with none inside the horizon.
FAR = dt.timedelta(days=6 * 366)
#: Duties owed to every chief State election official: one obligation per State office.
PER_STATE_DUTIES = frozenset({"HR5011-204a"})
SCHEDULED_TRIGGERS = frozenset({"enactment", "fixed_date", "fiscal_year_end", "federal_general_election", "periodic"})


@dataclass
class SweepReport:
    opened: int = 0
    reminders: int = 0
    escalations: int = 0
    skipped: int = 0
    codes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"opened": self.opened, "reminders": self.reminders, "escalations": self.escalations, "skipped": self.skipped}


# --- opening the coming cycles -------------------------------------------------------------------


def scheduled_duties() -> list[Duty]:
    """Duties the periodic job opens by itself (see the module docstring)."""
    return [d for d in all_duties() if d.trigger.kind in SCHEDULED_TRIGGERS and not d.condition]


def holders_for(duty: Duty) -> list[tuple[Organization, Organization | None]]:
    """(holder, subject) pairs the opener uses for ``duty``; empty when it opens none."""
    if "national_office" in (duty.holder, *duty.co_holders):
        office = Organization.objects.filter(kind=Organization.Kind.NATIONAL_OFFICE).order_by("pk").first()
        if office is None:
            return []
        if duty.code in PER_STATE_DUTIES:
            states = Organization.objects.filter(kind=Organization.Kind.STATE_ELECTION_OFFICE).select_related("state").order_by("name")
            return [(office, s) for s in states if s.state is None or s.state.is_hava_state]
        return [(office, None)]
    if duty.holder == "eac":
        return [(o, None) for o in Organization.objects.filter(kind=Organization.Kind.EAC)]
    return []


def coming_cycles(duty: Duty, tz: str, now: dt.datetime):
    """Occurrences due within the horizon, or else the next one."""
    within = list(occurrences(duty, now, now + HORIZON, tz, services.enactment(), services.policy_overrides()))
    if within:
        return within
    later = occurrences(duty, now, now + FAR, tz, services.enactment(), services.policy_overrides())
    first = next(iter(later), None)
    return [first] if first else []


def _open_cycles(duty: Duty, cycles_in, now: dt.datetime, *, historical: bool = False) -> int:
    """Open, for each holder of ``duty``, the cycles ``cycles_in(zone)`` lists that are not open
    yet (computed once per time zone); returns how many were new."""
    opened = 0
    by_zone: dict[str, list] = {}
    for holder, subject in holders_for(duty):
        if holder.time_zone not in by_zone:
            by_zone[holder.time_zone] = list(cycles_in(holder.time_zone))
        for occurrence in by_zone[holder.time_zone]:
            if Obligation.objects.filter(
                duty_code=duty.code, holder=holder, cycle=occurrence.label, subject_id=str(subject.pk) if subject else ""
            ).exists():
                continue
            services.open(
                duty,
                subject,
                occurrence.trigger_at,
                holder,
                cycle=occurrence.label,
                due_at=occurrence.due_at,
                now=now,
                historical=historical,
            )
            opened += 1
    return opened


def open_coming_cycles(now: dt.datetime | None = None) -> int:
    """Open the coming cycle of every scheduled duty for its holders; returns how many were new."""
    now = now or timezone.now()
    return sum(_open_cycles(duty, lambda tz, duty=duty: coming_cycles(duty, tz, now), now) for duty in scheduled_duties())


def open_past_cycles(code: str, since: dt.date, now: dt.datetime | None = None) -> int:
    """Open, marked historical, the cycles of a scheduled duty due between ``since`` and now —
    only on request (``safelect obligations open-past``): the periodic opener never opens a past
    cycle, so a new installation is not flooded with duties overdue the moment they appear.
    Returns how many were new."""
    from .registry import get

    now = now or timezone.now()
    duty = get(code)
    if duty not in scheduled_duties():
        raise ValueError(f"{duty.citation} has no schedule of its own: its obligations open when their event is recorded")

    def past(tz: str):
        start = dt.datetime.combine(since, dt.time(0), tzinfo=ZoneInfo(tz))
        found = occurrences(duty, start, now, tz, services.enactment(), services.policy_overrides())
        return [occurrence for occurrence in found if occurrence.due_at < now]

    return _open_cycles(duty, past, now, historical=True)


# --- reminders and escalation --------------------------------------------------------------------

_CLAIM = (
    "INSERT INTO obligations_reminder (obligation_id, threshold, sent_at, skipped, notice_ref) "
    "VALUES (%s, %s, %s, %s, '') ON CONFLICT (obligation_id, threshold) DO NOTHING RETURNING id"
)


def claim(obligation_id: int, threshold: str, now: dt.datetime, *, skipped: bool = False) -> int | None:
    """Claim one threshold; the new reminder's id, or ``None`` when another sweep already did."""
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, [obligation_id, threshold, now, skipped])
        row = cursor.fetchone()
    return row[0] if row else None


def notice_context(obligation: Obligation, threshold: str, when: str) -> dict:
    duty = obligation.duty
    holder = obligation.holder
    return {
        "obligation_id": obligation.pk,
        "duty_code": duty.code,
        "citation": duty.citation,
        "title": duty.title,
        "holder_id": holder.pk,
        "holder_kind": holder.kind,
        "holder_name": holder.name,
        "supervisor_id": holder.parent_id,
        "subject_label": obligation.subject_label,
        "cycle": obligation.cycle,
        "due_text": format_due(obligation.due_at, obligation.time_zone),
        "due_at": obligation.due_at.astimezone(ZoneInfo(obligation.time_zone)).isoformat(),
        "rule": obligation.rule_description,
        "kind_label": obligation.kind_label,
        "is_policy": obligation.is_policy,
        "path": reverse("obligations:detail", args=[obligation.pk]),
        "threshold": threshold,
        "when": when,
    }


def _send(kind: str, obligation: Obligation, threshold: str, when: str, reminder_id: int) -> None:
    from safelect.core.outbox.services import send

    notice = send(
        kind,
        context=notice_context(obligation, threshold, when),
        organization=obligation.holder,
        subject_object=obligation,
        dedupe_key=f"obligation:{obligation.pk}:{threshold}",
    )
    Reminder.objects.filter(pk=reminder_id).update(notice_ref=f"outbox.notice:{notice.pk}")
    record(
        actor=None,
        organization=obligation.holder,
        action="obligations:escalation:send" if kind == "obligations.overdue" else "obligations:reminder:send",
        obj=obligation,
        summary={"threshold": threshold, "notice": notice.pk, "when": when},
    )


def remind(obligation: Obligation, now: dt.datetime, report: SweepReport) -> None:
    """Send what is due for one obligation (one transaction)."""
    with transaction.atomic():
        if now > obligation.due_at:
            reminder_id = claim(obligation.pk, OVERDUE, now)
            if reminder_id is not None:
                _send("obligations.overdue", obligation, OVERDUE, "overdue", reminder_id)
                report.escalations += 1
            return
        passed = passed_thresholds(obligation.due_at, obligation.time_zone, obligation.duty.reminder_lead_times, now)
        if not passed:
            return
        (latest, lead), earlier = passed[-1], passed[:-1]
        reminder_id = claim(obligation.pk, latest, now)
        if reminder_id is not None:
            _send("obligations.reminder", obligation, latest, describe_lead(lead), reminder_id)
            report.reminders += 1
        for code, _ in earlier:  # thresholds that passed unsent (opened late): record, do not nag
            if claim(obligation.pk, code, now, skipped=True) is not None:
                report.skipped += 1


def send_reminders(now: dt.datetime | None = None) -> SweepReport:
    """Reminders at each lead-time threshold and escalations for overdue obligations."""
    now = now or timezone.now()
    report = SweepReport()
    candidates = (
        Obligation.objects.open()
        .filter(due_soon_at__lte=now)
        .exclude(reminders__threshold=OVERDUE)
        .select_related("holder")
        .order_by("due_at", "pk")
    )
    for obligation in candidates.iterator():
        try:
            obligation.duty  # noqa: B018 - a registered policy duty may have gone with its app
        except KeyError:
            log.warning("obligation %s: duty %s is not registered; no reminder", obligation.pk, obligation.duty_code)
            continue
        remind(obligation, now, report)
    return report


def sweep(now: dt.datetime | None = None) -> SweepReport:
    """Both halves, as the periodic job runs them."""
    now = now or timezone.now()
    opened = open_coming_cycles(now)
    report = send_reminders(now)
    report.opened = opened
    return report
