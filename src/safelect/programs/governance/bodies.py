"""Members and meetings of the Advisory Panel (S.2261 §5(a)) and the National Commission (H.R. 5011
§302), with the Commission's clocks:

* ``HR5011-302c4`` — every member appointed within 60 days of enactment: fulfilled when the tenth
  member is appointed; that appointment starts ``HR5011-302e1`` (first meeting within 30 days);
* ``HR5011-302c5`` — a vacancy filled within 60 days: opened when a member leaves, fulfilled by the
  next appointment by the same appointing authority;
* ``HR5011-302e1`` fulfilled by the first meeting, which starts ``HR5011-302j2`` (the final report
  18 months later).

Composition is checked by :mod:`.composition`; violations are shown, not refused (appointments
arrive one at a time). What is refused: an appointing authority the body does not have, and a
federal officer or employee on the Advisory Panel (§5(a)(3)(A) says they "may not" be appointed).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.days import start_of_day
from safelect.core.directory.queries import national_office
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.calendar_rules import add_months

from . import clocks, composition
from .models import Body, Meeting, Member
from .permissions import MANAGE


@transaction.atomic
def establish(actor: Actor, kind: str, *, name: str, established_on: dt.date, term_months: int | None = None) -> Body:
    """Record a body's establishment. The Commission's (H.R. 5011 §302(a), by the Act itself) opens the
    clock of §302(c)(4): every member appointed within 60 days of enactment."""
    actor.require(MANAGE)
    if kind not in Body.Kind.values:
        raise ValidationError({"kind": "The Advisory Panel or the Commission."})
    if Body.objects.filter(kind=kind).exists():
        raise ValidationError(f"The {Body.Kind(kind).label} is already recorded.")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the body."})
    _check_date(established_on, "established_on")
    body = Body.objects.create(
        kind=kind, name=name[:200], established_on=established_on, term_months=term_months if kind == Body.Kind.PANEL else None
    )
    if kind == Body.Kind.COMMISSION:
        clocks.ensure_clock(clocks.APPOINT_ALL, actor)
    record(actor=actor.user, organization=actor.organization, action="governance:body:establish", obj=body, summary={"kind": kind})
    return body


def _check_date(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "Record it once it happened (the date is in the future)."})


@transaction.atomic
def appoint(
    actor: Actor,
    body: Body,
    *,
    name: str,
    appointed_by: str,
    expertise: str,
    appointed_on: dt.date,
    federal_employee: bool = False,
    office: str = Member.Office.MEMBER,
    term_ends_on: dt.date | None = None,
) -> Member:
    actor.require(MANAGE)
    body = Body.objects.select_for_update().get(pk=body.pk)
    name, expertise = (name or "").strip(), (expertise or "").strip()
    errors = {}
    if not name or len(name) > 200:
        errors["name"] = "Give the member's name (at most 200 characters)."
    seats = composition.PANEL_SEATS if body.kind == Body.Kind.PANEL else composition.COMMISSION_SEATS
    if appointed_by not in seats:
        errors["appointed_by"] = (
            f"{composition.APPOINTER_WORDS.get(appointed_by, appointed_by or 'Nobody')} appoints no member of the {body.name}."
        )
    if not expertise:
        errors["expertise"] = "Name the member's fields of expertise."
    if body.kind == Body.Kind.PANEL and federal_employee:
        errors["federal_employee"] = (
            "S.2261 §5(a)(3)(A): officers and employees of the United States may not be appointed to the Advisory Panel."
        )
    if office not in Member.Office.values:
        errors["office"] = "Choose member, chair or vice chair."
    if term_ends_on and term_ends_on <= appointed_on:
        errors["term_ends_on"] = "The term ends after the appointment."
    if errors:
        raise ValidationError(errors)
    _check_date(appointed_on, "appointed_on")
    if body.kind == Body.Kind.PANEL and body.term_months and term_ends_on is None:
        term_ends_on = add_months(appointed_on, body.term_months)
    member = Member.objects.create(
        body=body,
        name=name,
        appointed_by=appointed_by,
        expertise=expertise[:300],
        federal_employee=federal_employee,
        appointed_on=appointed_on,
        office=office,
        term_ends_on=term_ends_on,
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:member:appoint",
        obj=body,
        summary={"member": name, "appointed_by": appointed_by},
    )
    if body.kind == Body.Kind.COMMISSION:
        _commission_clocks_after_appointment(actor, body, member)
    return member


def _at(day: dt.date) -> dt.datetime:
    return start_of_day(day, national_office().time_zone)


def _commission_clocks_after_appointment(actor: Actor, body: Body, member: Member) -> None:
    at = _at(member.appointed_on)
    vacancy = clocks.still_open(clocks.VACANCY).filter(subject_type="governance.member")
    for obligation in vacancy:
        left = Member.objects.filter(pk=obligation.subject_id, body=body, appointed_by=member.appointed_by).first()
        if left is not None:
            obligations.fulfil(actor.vouched(), obligation, max(at, obligation.trigger_at), f"governance.member-appointed:{member.pk}")
            break
    serving = composition.serving(body.members.all(), member.appointed_on)
    if len(serving) >= composition.COMMISSION_SIZE and not body.first_meeting_on:
        clocks.fulfil_earliest(actor, clocks.APPOINT_ALL, at, f"governance.commission-complete:{body.pk}")
        clocks.open_clock(clocks.FIRST_MEETING, body, at, actor)


@transaction.atomic
def set_office(actor: Actor, member: Member, office: str) -> Member:
    """Designate the Chair (panel: by the Secretary among the Secretary's appointees) or elect the
    Chair and Vice Chair (Commission, §302(d)). The previous holder of the office becomes a member."""
    actor.require(MANAGE)
    member = Member.objects.select_for_update().select_related("body").get(pk=member.pk)
    if office not in Member.Office.values:
        raise ValidationError({"office": "Choose member, chair or vice chair."})
    if member.left_on:
        raise ValidationError("A former member holds no office.")
    if member.body.kind == Body.Kind.PANEL and office == Member.Office.VICE_CHAIR:
        raise ValidationError("The Advisory Panel has a Chairperson only (S.2261 §5(a)(2)(A)).")
    if member.body.kind == Body.Kind.PANEL and office == Member.Office.CHAIR and member.appointed_by != "secretary":
        raise ValidationError("S.2261 §5(a)(2)(A): the Chairperson is one of the Secretary's appointees.")
    if office != Member.Office.MEMBER:
        Member.objects.filter(body=member.body, office=office, left_on=None).exclude(pk=member.pk).update(office=Member.Office.MEMBER)
    member.office = office
    member.save(update_fields=["office"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:member:office",
        obj=member.body,
        summary={"member": member.name, "office": office},
    )
    return member


@transaction.atomic
def vacate(actor: Actor, member: Member, *, left_on: dt.date, reason: str) -> Member:
    """A member leaves; a Commission vacancy starts the 60-day clock of §302(c)(5)."""
    actor.require(MANAGE)
    member = Member.objects.select_for_update().select_related("body").get(pk=member.pk)
    if member.left_on:
        raise ValidationError("This member already left.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the seat is vacant (term ended, resigned…)."})
    if left_on < member.appointed_on:
        raise ValidationError({"left_on": "A member leaves after being appointed."})
    _check_date(left_on, "left_on")
    member.left_on, member.left_reason, member.office = left_on, reason[:200], Member.Office.MEMBER
    member.save(update_fields=["left_on", "left_reason", "office"])
    if member.body.kind == Body.Kind.COMMISSION:
        clocks.open_clock(clocks.VACANCY, member, _at(left_on), actor)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:member:vacate",
        obj=member.body,
        summary={"member": member.name, "reason": reason[:200]},
    )
    return member


@transaction.atomic
def record_meeting(
    actor: Actor, body: Body, *, held_at: dt.datetime, title: str, agenda: str, is_public: bool = True, protection: str = ""
) -> Meeting:
    """Schedule or record a meeting with its agenda; a closed meeting names what protects it."""
    actor.require(MANAGE)
    body = Body.objects.select_for_update().get(pk=body.pk)
    title, agenda, protection = (title or "").strip(), (agenda or "").strip(), (protection or "").strip()
    errors = {}
    if not title or len(title) > 200:
        errors["title"] = "Give the meeting a title (at most 200 characters)."
    if not agenda:
        errors["agenda"] = "Write the agenda."
    if not is_public and len(protection) < 10:
        errors["protection"] = "A closed meeting names the statute, regulation or order that protects it (H.R. 5011 §302(h))."
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        body=body, held_at=held_at, title=title, agenda=agenda, is_public=is_public, protection=protection[:300] if not is_public else ""
    )
    if body.kind == Body.Kind.COMMISSION and body.first_meeting_on is None and held_at <= timezone.now():
        _first_meeting(actor, body, held_at)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:meeting:record",
        obj=body,
        summary={"title": title, "public": is_public},
    )
    return meeting


def _first_meeting(actor: Actor, body: Body, held_at: dt.datetime) -> None:
    body.first_meeting_on = timezone.localtime(held_at).date()
    body.save(update_fields=["first_meeting_on"])
    obligations.fulfil_open(actor.vouched(), clocks.FIRST_MEETING, body, held_at, f"governance.commission-first-meeting:{body.pk}")
    clocks.open_clock(clocks.FINAL_REPORT, body, held_at, actor)


@transaction.atomic
def record_minutes(actor: Actor, meeting: Meeting, minutes: str) -> Meeting:
    actor.require(MANAGE)
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    minutes = (minutes or "").strip()
    if len(minutes) < 10:
        raise ValidationError({"minutes": "Write the minutes."})
    if meeting.held_at > timezone.now():
        raise ValidationError("Minutes follow the meeting.")
    meeting.minutes = minutes[:50_000]
    meeting.save(update_fields=["minutes"])
    body = meeting.body
    if body.kind == Body.Kind.COMMISSION and body.first_meeting_on is None:
        _first_meeting(actor, body, meeting.held_at)
    record(
        actor=actor.user, organization=actor.organization, action="governance:meeting:minutes", obj=body, summary={"meeting": meeting.pk}
    )
    return meeting


def status(body: Body) -> dict:
    """Serving members, former members and the composition rules' violations."""
    members = list(body.members.all())
    serving = composition.serving(members, timezone.localdate())
    return {
        "serving": serving,
        "former": [m for m in members if m not in serving],
        "violations": composition.violations(body.kind, serving),
    }
