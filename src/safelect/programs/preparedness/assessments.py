"""Security risk and vulnerability assessments on request (H.R. 5011 §205(b); S.2261 §7(f)(4)).

* **Request.** The chief State election official's office requests an assessment of named systems —
  its own or a local agency's. A local agency may draft one; it becomes a request when its State
  submits it. The request opens the registry's ``HR5011-205b1`` clock (the national office
  commences within 90 days, to the extent practicable); the registry's ``S2261-7f4`` rule gives the
  date from which, without an evaluation, the agency *may* procure a private one with grant money —
  a permission it sees on the page, not a duty of the office, so no obligation is opened for it.
* **Scheduling** against the teams' capacity (assessments at once, over the scheduled days). A start
  after the 90 days is the determination of §205(b)(2): scheduling it sends the requester the notice
  with the date the assessment will begin, and records ``HR5011-205b2`` as done.
* **Commencing** fulfils ``HR5011-205b1``; **the report** (findings, TLP:AMBER+STRICT unless the
  team chooses otherwise) is delivered to the State and the assessed agency only; a report
  delivered within the 30 days means the §7(f)(4) permission never arises. **Remediation items** have an owner and a
  due date and are tracked to closure.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.directory.queries import national_office
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.models import Obligation
from safelect.core.obligations.registry import get as get_duty
from safelect.core.outbox.services import send
from safelect.core.references import create_numbered
from safelect.core.stix import TLP_IDS

from .models import AssessmentRequest, AssessmentTeam, Remediation
from .permissions import ASSESSMENT_MANAGE, ASSESSMENT_REQUEST, ASSESSMENT_VIEW

COMMENCE_DUTY = "HR5011-205b1"
NOTICE_DUTY = "HR5011-205b2"
PRIVATE_EVALUATION = "S2261-7f4"
MAX_SYSTEMS = 50
ACTIVE = (AssessmentRequest.Status.SCHEDULED, AssessmentRequest.Status.COMMENCED)


def visible(actor: Actor):
    """Assessments the actor may see: the assessment team all; a State its own; an agency its own."""
    return actor.restrict(
        AssessmentRequest.objects.select_related("state", "state_office", "agency", "team"), ASSESSMENT_VIEW, shared_field="state_office"
    )


def _systems(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise ValidationError({"systems": "Name the systems to assess, one per line."})
    if len(lines) > MAX_SYSTEMS or any(len(line) > 300 for line in lines):
        raise ValidationError({"systems": f"At most {MAX_SYSTEMS} systems of 300 characters each."})
    return "\n".join(lines)


def _state_office(state) -> Organization:
    return Organization.objects.get(kind=Organization.Kind.STATE_ELECTION_OFFICE, state=state)


def commence_by(request: AssessmentRequest) -> dt.datetime | None:
    """The due moment of the 90-day clock (None before the State's request)."""
    clock = Obligation.objects.filter(duty_code=COMMENCE_DUTY, subject_type="preparedness.assessmentrequest", subject_id=str(request.pk))
    found = clock.order_by("pk").first()
    return found.due_at if found else None


def private_evaluation_from(request: AssessmentRequest) -> dt.datetime | None:
    """S.2261 §7(f)(4): the end of the 30-day period after the request, from which the agency may
    procure a private evaluation — computed by the registry's rule (a permission, so no obligation
    is opened). None before the State's request, and when the Department's report came in time."""
    if request.received_at is None:
        return None
    until = get_duty(PRIVATE_EVALUATION).due(
        request.received_at, request.agency.time_zone, enactment=obligations.enactment(), overrides=obligations.policy_overrides()
    )
    if request.delivered_at is not None and request.delivered_at <= until:
        return None
    return until


def _path(request: AssessmentRequest) -> str:
    return reverse("preparedness:assessment", args=[request.pk])


def _start_clocks(actor: Actor, request: AssessmentRequest) -> None:
    office = national_office()
    clock = obligations.open(COMMENCE_DUTY, request, request.received_at, office, actor=actor.vouched())
    send(
        "preparedness.assessment_requested",
        context={
            "reference": request.reference,
            "state": request.state.name,
            "agency": request.agency.name,
            "systems": request.systems,
            "due_text": timezone.localtime(clock.due_at).strftime("%B %-d, %Y"),
            "path": _path(request),
        },
        actor=actor.user,
        organization=actor.organization,
        subject_object=request,
    )


@transaction.atomic
def request_assessment(actor: Actor, values: dict) -> AssessmentRequest:
    """A State office requests (or a local agency drafts for its State) an assessment of ``systems``;
    a State office may name one of its local agencies in ``agency`` (key or name)."""
    actor.require(ASSESSMENT_REQUEST)
    org = actor.organization
    if (
        org is None
        or org.state_id is None
        or org.kind not in (Organization.Kind.STATE_ELECTION_OFFICE, Organization.Kind.LOCAL_ELECTION_AGENCY)
    ):
        raise PermissionDenied("a State election office or a local election agency requests assessments")
    systems = _systems(values.get("systems", ""))
    window = (values.get("window") or "").strip()[:200]
    agency = org
    if org.kind == Organization.Kind.STATE_ELECTION_OFFICE and (values.get("agency") or "").strip():
        wanted = values["agency"].strip()
        agencies = Organization.objects.filter(kind=Organization.Kind.LOCAL_ELECTION_AGENCY, state_id=org.state_id)
        agency = agencies.filter(Q(key=wanted) | Q(name__iexact=wanted)).first()
        if agency is None and len(wanted) >= 4:
            starting = list(agencies.filter(name__istartswith=wanted)[:2])
            agency = starting[0] if len(starting) == 1 else None
        if agency is None:
            raise ValidationError({"agency": f"Not a local election agency of {org.state.name}: {wanted}."})
    now = timezone.now()
    by_state = org.kind == Organization.Kind.STATE_ELECTION_OFFICE
    request = create_numbered(
        AssessmentRequest,
        "RVA",
        now.year,
        state_id=org.state_id,
        state_office=org if by_state else _state_office(org.state),
        agency=agency,
        systems=systems,
        window=window,
        status=AssessmentRequest.Status.REQUESTED if by_state else AssessmentRequest.Status.AWAITING_STATE,
        drafted_at=now,
        drafted_by=actor.user,
        received_at=now if by_state else None,
    )
    if by_state:
        _start_clocks(actor, request)
    record(
        actor=actor.user,
        organization=org,
        action="preparedness:assessment:request" if by_state else "preparedness:assessment:draft",
        obj=request,
        summary={"agency": agency.name, "systems": systems.count("\n") + 1},
    )
    return request


def _mine(actor: Actor, request: AssessmentRequest) -> AssessmentRequest:
    """The request, locked, if the actor may see it (the scope query is DISTINCT: lock by key)."""
    if not visible(actor).filter(pk=request.pk).exists():
        raise PermissionDenied("that assessment is outside your scope")
    return (
        AssessmentRequest.objects.select_for_update(of=("self",))
        .select_related("state", "state_office", "agency", "team")
        .get(pk=request.pk)
    )


@transaction.atomic
def submit_for_state(actor: Actor, request: AssessmentRequest) -> AssessmentRequest:
    """The State office turns a local agency's draft into its written request: the clocks start."""
    actor.require(ASSESSMENT_REQUEST)
    request = _mine(actor, request)
    if actor.organization is None or actor.organization.pk != request.state_office_id:
        raise PermissionDenied("only the chief State election official's office requests the assessment")
    if request.status != AssessmentRequest.Status.AWAITING_STATE:
        raise ValidationError("This request is already submitted.")
    request.status, request.received_at = AssessmentRequest.Status.REQUESTED, timezone.now()
    request.save(update_fields=["status", "received_at"])
    _start_clocks(actor, request)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="preparedness:assessment:request",
        obj=request,
        summary={"agency": request.agency.name},
    )
    return request


def booked(team: AssessmentTeam, start: dt.date, end: dt.date, exclude: int | None = None) -> int:
    """The most assessments of ``team`` running on any one day of ``start``..``end``."""
    others = team.assessments.filter(status__in=ACTIVE, start_on__lte=end, end_on__gte=start).exclude(pk=exclude)
    spans = list(others.values_list("start_on", "end_on"))
    most, day = 0, start
    while day <= end:
        most = max(most, sum(1 for s, e in spans if s <= day <= e))
        day += dt.timedelta(days=1)
    return most


@transaction.atomic
def schedule(actor: Actor, request: AssessmentRequest, team: AssessmentTeam, start_on: dt.date, end_on: dt.date) -> AssessmentRequest:
    """Book a team for the assessment; a start after the 90 days sends the §205(b)(2) notice."""
    actor.require(ASSESSMENT_MANAGE)
    request = _mine(actor, request)
    if request.status not in (AssessmentRequest.Status.REQUESTED, AssessmentRequest.Status.SCHEDULED):
        raise ValidationError(f"The assessment is {request.get_status_display().lower()}: it cannot be scheduled.")
    team = AssessmentTeam.objects.select_for_update().filter(pk=getattr(team, "pk", team), active=True).first()
    if team is None:
        raise ValidationError({"team": "Choose an active assessment team."})
    today = timezone.localdate()
    if not isinstance(start_on, dt.date) or not isinstance(end_on, dt.date):
        raise ValidationError({"start_on": "Give the first and last day."})
    if start_on < today:
        raise ValidationError({"start_on": "The first day cannot be in the past."})
    if end_on < start_on or (end_on - start_on).days > 90:
        raise ValidationError({"end_on": "The last day is on or after the first, within 90 days of it."})
    if booked(team, start_on, end_on, exclude=request.pk) >= team.capacity:
        raise ValidationError({"team": f"{team.name} already runs {team.capacity} assessment(s) on some of those days."})
    due = commence_by(request)
    late = due is not None and start_on > timezone.localtime(due).date()
    request.team, request.start_on, request.end_on, request.status = team, start_on, end_on, AssessmentRequest.Status.SCHEDULED
    fields = ["team", "start_on", "end_on", "status"]
    now = timezone.now()
    if late and request.notice_sent_at is None:
        request.notice_sent_at = now
        fields.append("notice_sent_at")
        obligations.open(NOTICE_DUTY, request, now, national_office(), actor=actor.vouched())
        obligations.fulfil_open(actor.vouched(), NOTICE_DUTY, request, now, f"Requester told it begins {start_on:%B %-d, %Y}")
    request.save(update_fields=fields)
    send(
        "preparedness.assessment_scheduled",
        context={
            "reference": request.reference,
            "late": late,
            "start_text": f"{start_on:%B %-d, %Y}",
            "end_text": f"{end_on:%B %-d, %Y}",
            "team": team.name,
            "systems": request.systems.replace("\n", "; "),
            "state_office_id": request.state_office_id,
            "agency_id": request.agency_id,
            "path": _path(request),
        },
        actor=actor.user,
        organization=actor.organization,
        subject_object=request,
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="preparedness:assessment:schedule",
        obj=request,
        summary={"team": team.name, "start_on": start_on.isoformat(), "end_on": end_on.isoformat(), "late_notice": late},
    )
    return request


@transaction.atomic
def commence(actor: Actor, request: AssessmentRequest) -> AssessmentRequest:
    """The assessment has begun: the 90-day clock is fulfilled (on time or late)."""
    actor.require(ASSESSMENT_MANAGE)
    request = _mine(actor, request)
    if request.status != AssessmentRequest.Status.SCHEDULED:
        raise ValidationError("Schedule the assessment before it begins.")
    now = timezone.now()
    request.status, request.commenced_at = AssessmentRequest.Status.COMMENCED, now
    request.save(update_fields=["status", "commenced_at"])
    obligations.fulfil_open(actor.vouched(), COMMENCE_DUTY, request, now, f"{request.reference} commenced by {request.team.name}")
    record(actor=actor.user, organization=actor.organization, action="preparedness:assessment:commence", obj=request, summary={})
    return request


@transaction.atomic
def deliver_report(actor: Actor, request: AssessmentRequest, findings: str, tlp: str, remediations: list[dict]) -> AssessmentRequest:
    """Deliver the findings (TLP:AMBER+STRICT by default) with remediation items (title, owner, due)."""
    actor.require(ASSESSMENT_MANAGE)
    request = _mine(actor, request)
    if request.status != AssessmentRequest.Status.COMMENCED:
        raise ValidationError("Only an assessment under way can deliver its report.")
    findings = (findings or "").strip()
    errors: dict = {}
    if len(findings) < 20:
        errors["findings"] = "Write the findings (at least a sentence)."
    if tlp not in TLP_IDS:
        errors["tlp"] = "Choose the report's TLP marking."
    items = []
    for n, item in enumerate(remediations or [], start=1):
        title, owner, due = (item.get("title") or "").strip(), (item.get("owner") or "").strip(), item.get("due_on")
        if not title and not owner and not due:
            continue
        if not title or not owner or not isinstance(due, dt.date):
            errors[f"remediation {n}"] = f"Remediation {n}: a title, an owner and a due date."
            continue
        items.append(Remediation(assessment=request, title=title[:300], owner=owner[:200], due_on=due))
    if errors:
        raise ValidationError(list(errors.values()))
    now = timezone.now()
    request.findings, request.tlp, request.delivered_at, request.status = findings, tlp, now, AssessmentRequest.Status.DELIVERED
    request.save(update_fields=["findings", "tlp", "delivered_at", "status"])
    Remediation.objects.bulk_create(items)
    window = private_evaluation_from(request)
    if window is not None and now <= window:
        for clock in Obligation.objects.filter(
            duty_code=PRIVATE_EVALUATION, subject_type="preparedness.assessmentrequest", subject_id=str(request.pk)
        ):
            if not clock.is_closed:
                obligations.waive(Actor.system(), clock, f"Evaluated by the Department: {request.reference} report delivered", at=now)
    send(
        "preparedness.assessment_report",
        context={
            "reference": request.reference,
            "tlp": f"TLP:{tlp.upper()}",
            "remediations": len(items),
            "state_office_id": request.state_office_id,
            "agency_id": request.agency_id,
            "path": _path(request),
        },
        actor=actor.user,
        organization=actor.organization,
        subject_object=request,
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="preparedness:assessment:report",
        obj=request,
        summary={"tlp": tlp, "remediations": len(items)},
    )
    return request


@transaction.atomic
def close_remediation(actor: Actor, item: Remediation, note: str) -> Remediation:
    """Close a remediation item: the assessed agency, its State or the team, with a note; when the
    last is closed the assessment is closed."""
    if not (actor.may(ASSESSMENT_MANAGE) or actor.may(ASSESSMENT_REQUEST)):
        raise PermissionDenied("you may not close remediation items")
    request = _mine(actor, item.assessment)
    item = Remediation.objects.select_for_update().get(pk=item.pk, assessment=request)
    if item.closed_at is not None:
        raise ValidationError("This item is already closed.")
    note = (note or "").strip()
    if len(note) < 3:
        raise ValidationError({"note": "Say how it was remediated."})
    item.closed_at, item.closing_note = timezone.now(), note[:2000]
    item.save(update_fields=["closed_at", "closing_note"])
    if not request.remediations.filter(closed_at__isnull=True).exists():
        request.status, request.closed_at = AssessmentRequest.Status.CLOSED, timezone.now()
        request.save(update_fields=["status", "closed_at"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="preparedness:remediation:close",
        obj=request,
        summary={"item": item.title},
    )
    return item


def calendar(start: dt.date, weeks: int = 8) -> dict:
    """Per team, per day of ``weeks`` weeks from ``start``: the assessments booked (for the page)."""
    days = [start + dt.timedelta(days=n) for n in range(weeks * 7)]
    end = days[-1]
    rows = []
    for team in AssessmentTeam.objects.filter(active=True):
        booked_ = list(team.assessments.filter(status__in=ACTIVE, start_on__lte=end, end_on__gte=start).select_related("state"))
        cells = []
        for day in days:
            on = [a for a in booked_ if a.start_on <= day <= a.end_on]
            cells.append({"day": day, "assessments": on, "full": len(on) >= team.capacity})
        rows.append({"team": team, "cells": cells})
    return {"days": days, "rows": rows}
