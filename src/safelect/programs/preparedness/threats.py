"""Pre-election threat assessments (H.R. 5011 §204): for each State, not later than 180 days before
each regularly scheduled Federal general election (from November 2018), an assessment of the threats
to election infrastructure, developed by the Secretary with the Commission's Chairman, to the chief
State election official.

The clock is the registry's ``HR5011-204a`` (one obligation per HAVA State office, opened by the
obligations sweep or here). This module tracks each State's assessment for an election year —
planned, being developed, developed with the Commission, delivered — and delivering it fulfils
that State's clock for that election. The assessment's content is classified and travels outside
safelect; only its status, dates and an unclassified note are kept.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.directory.queries import national_office
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.calendar_rules import federal_general_election
from safelect.core.obligations.clocks import occurrences
from safelect.core.obligations.models import Obligation
from safelect.core.obligations.registry import get as duty
from safelect.core.outbox.services import send

from .models import ThreatAssessment
from .permissions import THREAT_MANAGE, THREAT_VIEW

DUTY = "HR5011-204a"
ORDER = [
    ThreatAssessment.Status.PLANNED,
    ThreatAssessment.Status.DRAFTING,
    ThreatAssessment.Status.DEVELOPED,
    ThreatAssessment.Status.DELIVERED,
]


def cycle_label(year: int) -> str:
    return f"{year} general election"


def visible(actor: Actor):
    return actor.restrict(ThreatAssessment.objects.select_related("state", "state_office"), THREAT_VIEW)


def state_offices():
    """The chief State election officials' offices §204 is owed to (HAVA's 55 States)."""
    offices = Organization.objects.filter(kind=Organization.Kind.STATE_ELECTION_OFFICE, state__isnull=False).select_related("state")
    return [o for o in offices.order_by("state__name") if o.state.is_hava_state]


def clock_for(year: int):
    """(trigger, due moment) of the §204 clock for the general election of ``year``, from the registry."""
    office = national_office()
    election = federal_general_election(year)
    start = dt.datetime(election.year, 1, 1, tzinfo=dt.UTC) - dt.timedelta(days=400)
    end = dt.datetime(election.year, 12, 31, tzinfo=dt.UTC)
    for cycle in occurrences(duty(DUTY), start, end, office.time_zone, obligations.enactment(), obligations.policy_overrides()):
        if cycle.label == cycle_label(year):
            return cycle
    raise ValidationError(f"No regularly scheduled Federal general election in {year}.")


@transaction.atomic
def plan_year(actor: Actor, year: int) -> int:
    """Track every State's assessment for the general election of ``year`` (idempotent): one record
    and one open clock per State office. Returns how many records were new."""
    actor.require(THREAT_MANAGE)
    if year % 2 or not 2018 <= year <= 2100:
        raise ValidationError({"year": "Regularly scheduled Federal general elections are in even years from 2018."})
    cycle = clock_for(year)
    office = national_office()
    made = 0
    for state_office in state_offices():
        _, new = ThreatAssessment.objects.get_or_create(
            state_office=state_office, election_year=year, defaults={"state": state_office.state}
        )
        made += new
        obligations.open(
            DUTY,
            state_office,
            cycle.trigger_at,
            office,
            actor=actor.vouched(),
            cycle=cycle.label,
            due_at=cycle.due_at,
            historical=cycle.due_at < timezone.now(),
        )
    record(
        actor=actor.user, organization=actor.organization, action="preparedness:threat:plan", obj=None, summary={"year": year, "new": made}
    )
    return made


def clocks(year: int, state_office_id: int | None = None):
    """The §204 clocks of the general election of ``year`` (one per State office)."""
    found = Obligation.objects.filter(duty_code=DUTY, subject_type="directory.organization", cycle=cycle_label(year))
    return found if state_office_id is None else found.filter(subject_id=str(state_office_id))


def due_moments(year: int) -> dict[int, dt.datetime]:
    """State office id → the due moment of its clock for ``year`` (one query for the whole table)."""
    return {int(subject_id): due for subject_id, due in clocks(year).values_list("subject_id", "due_at")}


def due_at(assessment: ThreatAssessment) -> dt.datetime | None:
    found = clocks(assessment.election_year, assessment.state_office_id).first()
    return found.due_at if found else None


@transaction.atomic
def advance(actor: Actor, assessment: ThreatAssessment, status: str, note: str = "") -> ThreatAssessment:
    """Move one State's assessment forward; delivering it fulfils that State's clock for the election."""
    actor.require(THREAT_MANAGE)
    if not visible(actor).filter(pk=assessment.pk).exists():
        raise PermissionDenied("that assessment is outside your scope")
    found = ThreatAssessment.objects.select_for_update(of=("self",)).select_related("state", "state_office").get(pk=assessment.pk)
    if status not in ORDER or ORDER.index(status) <= ORDER.index(found.status):
        raise ValidationError({"status": f"It is {found.get_status_display().lower()}: choose a later step."})
    note = (note or "").strip()
    if status == ThreatAssessment.Status.DELIVERED and len(note) < 5:
        raise ValidationError({"note": "Say how it was delivered (an unclassified note)."})
    now = timezone.now()
    found.status, found.note = status, (note or found.note)[:2000]
    if status in (ThreatAssessment.Status.DEVELOPED, ThreatAssessment.Status.DELIVERED) and found.developed_at is None:
        found.developed_at = now
    if status == ThreatAssessment.Status.DELIVERED:
        found.delivered_at, found.delivered_by = now, actor.user
        for clock in clocks(found.election_year, found.state_office_id):
            if not clock.is_closed:
                obligations.fulfil(actor.vouched(), clock, now, f"Threat assessment delivered to {found.state.name}")
        send(
            "preparedness.threat_assessment",
            context={
                "year": found.election_year,
                "delivered_text": f"{timezone.localtime(now):%B %-d, %Y}",
                "note": found.note,
                "state_office_id": found.state_office_id,
                "path": reverse("preparedness:threats") + f"?year={found.election_year}",
            },
            actor=actor.user,
            organization=actor.organization,
            subject_object=found,
        )
    found.save()
    record(
        actor=actor.user,
        organization=actor.organization,
        action="preparedness:threat:advance",
        obj=found,
        summary={"state": found.state.usps, "year": found.election_year, "status": status},
    )
    return found
