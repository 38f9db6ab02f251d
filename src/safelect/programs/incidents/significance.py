"""Significant incidents and Congress (S.2261 §4(p)).

* :func:`adopt_definition` / :func:`record_submission` — the uniform definition of a "significant
  election cybersecurity incident" as versioned policy, and its submission to the appropriate
  congressional committees (§4(p)(2)); national-office leadership.
* :func:`determine_significant` — the record that there is a reasonable basis to conclude that a
  significant incident occurred: when, by whom, why, which criteria of the definition, which places.
  It opens the statutory clock ``S2261-4p1A`` (7 calendar days) held by the national office.
* :func:`notify_congress` — the notification itself, addressed to the committees and leaders of
  SEC. 3(2), the Senators of each affected State and the Representatives of each affected district
  (resolved by :mod:`safelect.core.directory.congress`), with the §4(k) content of the agency's
  latest notice. The first fulfils ``S2261-4p1A``; an agency update sent after it opens
  ``S2261-4p1B`` (update Congress within a reasonable period, a policy target), which the next
  notification fulfils.

The member offices' addresses are not in the congress-legislators files, so the notification is
delivered through the outbox to the national office (in-app and email), with the PDF letter to
transmit, and by email to ``SAFELECT_CONGRESS_LIAISON_EMAIL`` when it is set (the office of
legislative affairs). Nothing in an incident is withheld yet (no sharing decision exists); when the
sharing program withholds information, the letter will carry the minimised version.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.congress import congress_recipients
from safelect.core.directory.models import County, Jurisdiction, State
from safelect.core.directory.queries import national_office
from safelect.core.exports import pdf_bytes
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.models import CLOSED_STATUSES
from safelect.core.outbox import services as outbox

from .models import CongressNotification, Incident, SignificanceDefinition, SignificantDetermination
from .permissions import DECIDE, DEFINE
from .personal import minimised_sources
from .services_base import clocks_of, is_national_office, moment, next_number
from .services_base import locked as _locked

NOTIFY_DUTY = "S2261-4p1A"
UPDATE_DUTY = "S2261-4p1B"


def current_definition() -> SignificanceDefinition | None:
    return SignificanceDefinition.objects.order_by("-version").first()


@transaction.atomic
def adopt_definition(actor: Actor, *, text: str, criteria: list[tuple[str, str]], adopted_on: dt.date) -> SignificanceDefinition:
    """§4(p)(2)(A): a new version of the uniform definition (the earlier versions stay, as the
    determinations made under them refer to them)."""
    actor.require(DEFINE)
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "Write the definition."
    cleaned = [(str(code).strip(), str(label).strip()) for code, label in criteria if str(code).strip() and str(label).strip()]
    codes = [code for code, _ in cleaned]
    if not cleaned:
        errors["criteria"] = "List at least one criterion an analyst can tick."
    elif len(set(codes)) != len(codes):
        errors["criteria"] = "Each criterion needs its own code."
    if errors:
        raise ValidationError(errors)
    version = next_number(SignificanceDefinition.objects.all())
    definition = SignificanceDefinition.objects.create(
        version=version, text=text, criteria=cleaned, adopted_on=adopted_on, adopted_by=actor.user
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="incidents:definition:adopt",
        obj=definition,
        summary={"version": version, "criteria": codes},
    )
    return definition


@transaction.atomic
def record_submission(actor: Actor, definition: SignificanceDefinition, submitted_on: dt.date) -> SignificanceDefinition:
    """§4(p)(2)(B): the definition was submitted to the appropriate congressional committees."""
    actor.require(DEFINE)
    if submitted_on < definition.adopted_on:
        raise ValidationError({"submitted_on": "The definition cannot be submitted before it was adopted."})
    if submitted_on > timezone.now().date():
        raise ValidationError({"submitted_on": "This date is in the future."})
    definition.submitted_on = submitted_on
    definition.save(update_fields=["submitted_on"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="incidents:definition:submit",
        obj=definition,
        summary={"submitted_on": submitted_on.isoformat()},
    )
    return definition


def default_places(incident: Incident) -> tuple[list[County], list[State]]:
    """The reporting agency's county (a local agency), or its whole State (a State office); for a
    provider's incident, the places of the agencies it notified."""
    agencies = list(incident.notified_agencies.all()) if incident.is_provider else [incident.organization]
    counties, states = [], []
    for agency in agencies:
        jurisdiction = Jurisdiction.objects.filter(organization=agency).select_related("county").first()
        if jurisdiction is not None and jurisdiction.county_id:
            counties.append(jurisdiction.county)
        elif agency.state_id:
            states.append(agency.state)
    return counties, states


def _require_national(actor: Actor) -> None:
    actor.require(DECIDE)
    if not is_national_office(actor):
        raise PermissionDenied("the national office records significant incidents and notifies Congress (S.2261 §4(p))")


@transaction.atomic
def determine_significant(
    actor: Actor,
    incident: Incident,
    *,
    criteria: list[str],
    basis_at: dt.datetime,
    reason: str,
    counties: list[County] | None = None,
    states: list[State] | None = None,
) -> SignificantDetermination:
    """§4(p)(1)(A): there is a reasonable basis to conclude that this is a significant incident."""
    _require_national(actor)
    current = _locked(actor, incident)
    definition = current_definition()
    errors: dict[str, str] = {}
    if definition is None:
        raise ValidationError({"criteria": "No definition of a significant incident is adopted yet (§4(p)(2))."})
    if current.assessment != Incident.Assessment.OCCURRED:
        errors["incident"] = "Only an incident the agency assessed as having occurred can be significant."
    if SignificantDetermination.objects.filter(incident=current).exists():
        errors["incident"] = f"{current.reference} is already recorded as significant."
    codes = list(dict.fromkeys(str(c) for c in criteria or []))
    unknown = [c for c in codes if c not in definition.criteria_labels]
    if unknown:
        errors["criteria"] = f"Not criteria of definition version {definition.version}: {', '.join(unknown)}."
    elif not codes:
        errors["criteria"] = "Tick the criteria of the definition that the incident meets."
    basis_at = moment(basis_at, "basis_at", errors)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Say why there is a reasonable basis to conclude that the incident is significant."
    if errors:
        raise ValidationError(errors)
    if not counties and not states:
        counties, states = default_places(current)
    now = timezone.now()
    determination = SignificantDetermination.objects.create(
        incident=current, definition=definition, criteria=codes, basis_at=basis_at, reason=reason, decided_by=actor.user, decided_at=now
    )
    determination.counties.set(counties or [])
    determination.whole_states.set(states or [])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="incidents:significance:determine",
        obj=current,
        summary={
            "definition_version": definition.version,
            "criteria": determination.criteria_words,
            "basis_at": basis_at.isoformat(),
            "reason": reason,
            "places": [str(c) for c in counties or []] + [s.name for s in states or []],
        },
    )
    obligations.open(NOTIFY_DUTY, current, basis_at, national_office(), actor=actor.vouched())
    return determination


def recipients_for(determination: SignificantDetermination) -> dict:
    return congress_recipients(list(determination.counties.select_related("state")), list(determination.whole_states.all())).as_dict()


LETTER_FIELDS = ("circumstances", "information_acquired", "measures_planned", "measures_implemented")


def letter_context(incident: Incident, determination: SignificantDetermination, recipients: dict, number: int, note: str = "") -> dict:
    zone = ZoneInfo(incident.organization.time_zone)
    latest = incident.notices.order_by("-number").first()
    texts = minimised_sources(incident)

    def local(moment):
        return moment.astimezone(zone).strftime("%B %-d, %Y, %-I:%M %p %Z") if moment else ""

    return {
        "incident": incident,
        "determination": determination,
        "recipients": recipients,
        "number": number,
        "note": note,
        "latest": latest,
        # §4(g): the letter carries the minimised content (personal information not kept in review is removed)
        "content": {field: texts.get(f"notice:{latest.number}:{field}", "") for field in LETTER_FIELDS} if latest else {},
        "discovered": local(incident.discovered_at),
        "basis": local(determination.basis_at),
        "started": local(latest.started_at) if latest else "",
        "ended": local(latest.ended_at) if latest and latest.ended_at else "",
        "places": [str(c) for c in determination.counties.select_related("state")] + [s.name for s in determination.whole_states.all()],
    }


@transaction.atomic
def notify_congress(actor: Actor, incident: Incident, *, note: str = "") -> CongressNotification:
    """Send the §4(p)(1)(A) notification, or (after it) a §4(p)(1)(B) update with ``note``."""
    _require_national(actor)
    current = _locked(actor, incident)
    determination = SignificantDetermination.objects.filter(incident=current).first()
    if determination is None:
        raise ValidationError({"incident": "Record that the incident is significant first (§4(p)(1)(A))."})
    number = next_number(current.congress_notifications.all())
    note = (note or "").strip()
    if number > 1 and not note:
        raise ValidationError({"note": "Say what additional information this update carries (§4(p)(1)(B))."})
    recipients = recipients_for(determination)
    context = letter_context(current, determination, recipients, number, note)
    subject = (
        f"Notification of a significant election cybersecurity incident ({current.reference})"
        if number == 1
        else f"Update {number - 1} to the notification of a significant election cybersecurity incident ({current.reference})"
    )
    body = render_to_string("incidents/congress_letter.txt", context)
    notification = CongressNotification.objects.create(
        incident=current,
        number=number,
        sent_at=timezone.now(),
        sent_by=actor.user,
        recipients=recipients,
        subject=subject,
        body=body,
        note=note,
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="incidents:congress:notify",
        obj=current,
        summary={"notification": number, "recipients": notification.recipient_count, "note": note},
    )
    duty = NOTIFY_DUTY if number == 1 else UPDATE_DUTY
    for clock in clocks_of(current).filter(duty_code=duty).exclude(status__in=CLOSED_STATUSES):
        obligations.fulfil(actor.vouched(), clock, notification.sent_at, f"notification {number} of Congress sent")
    liaison = getattr(settings, "CONGRESS_LIAISON_EMAIL", "") or ""
    outbox.send(
        "incidents.congress_notification",
        context={
            "reference": current.reference,
            "subject": subject,
            "body": body,
            "recipient_count": notification.recipient_count,
            "path": f"/incidents/{current.pk}/congress/{number}/",
        },
        actor=actor.vouched(),
        organization=actor.organization,
        subject_object=current,
        dedupe_key=f"incidents.congress_notification:{current.pk}:{number}",
        addresses=[liaison] if liaison else [],
    )
    return notification


def open_update_duty(actor: Actor, incident: Incident, at: dt.datetime) -> None:
    """An agency's update after Congress was notified is additional information (§4(p)(1)(B))."""
    if incident.congress_notifications.exists():
        obligations.open(UPDATE_DUTY, incident, at, national_office(), actor=actor.vouched())


def letter_pdf(notification: CongressNotification) -> bytes:
    """The notification as a PDF letter (the text sent, laid out for transmission)."""
    html = render_to_string("incidents/congress_letter.html", {"notification": notification, "recipients": notification.recipients})
    return pdf_bytes(html)


__all__ = [
    "NOTIFY_DUTY",
    "UPDATE_DUTY",
    "adopt_definition",
    "current_definition",
    "determine_significant",
    "letter_pdf",
    "notify_congress",
    "open_update_duty",
    "record_submission",
]
