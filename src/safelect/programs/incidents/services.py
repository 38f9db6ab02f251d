"""Writes of incidents: the duties of S.2261 §4(h), (i) and (k), each with its clock.

Every service takes the kernel's :class:`Actor` first and checks the permission and the object
scope itself: an agency acts only for itself (a State's officials read but do not file a county's
report). Each write is one transaction with its journal entry, its obligations and its notices,
so a refused write changes nothing and a committed one is delivered.

Clocks (from the obligations registry):

* ``S2261-4h1`` — assess promptly and notify the State election official (policy target), opened
  when the agency becomes aware of a possible incident, fulfilled by the assessment;
* ``S2261-4i`` — notify the national office by the end of the 3rd calendar day after discovery, in
  the agency's time zone, opened when the assessment finds an incident, fulfilled by the notice (a
  late notice is recorded late, with the reason the agency gives).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.models import CLOSED_STATUSES, Obligation
from safelect.core.outbox import services as outbox

from . import evidence, personal, significance
from .models import ELECTION_SYSTEMS, SYSTEM_LABELS, EvidenceFile, Incident, IncidentNotice
from .permissions import DECIDE, REPORT
from .services_base import clocks_of, is_national_office, next_number
from .services_base import locked as _locked
from .services_base import moment as _moment

ASSESS_DUTY = "S2261-4h1"
NOTICE_DUTY = "S2261-4i"
PROVIDER_ASSESS_DUTY = "S2261-4h2"
PROVIDER_NOTICE_DUTY = "S2261-4j1"
AGENCY_KINDS = (Organization.Kind.LOCAL_ELECTION_AGENCY, Organization.Kind.STATE_ELECTION_OFFICE)
NOTICE_FIELDS = ("started_at", "ended_at", "circumstances", "systems", "information_acquired", "measures_planned", "measures_implemented")
REQUIRED_TEXT = {
    "circumstances": "Describe the circumstances of the incident (§4(k)(1)(B)).",
    "information_acquired": "Say what information was acquired, or that none is known to be (§4(k)(1)(B)).",
    "measures_planned": "Say which technical measures are planned, or that none are (§4(k)(1)(C)).",
    "measures_implemented": "Say which technical measures are implemented, or that none are yet (§4(k)(1)(C)).",
}


def _systems(value, errors: dict, field: str = "systems") -> list[str]:
    codes = [str(v) for v in (value or [])]
    unknown = [c for c in codes if c not in SYSTEM_LABELS]
    if unknown:
        errors[field] = f"Unknown election system(s): {', '.join(unknown)}. Choose from: {', '.join(c for c, _ in ELECTION_SYSTEMS)}."
    elif not codes:
        errors[field] = "Name at least one election system involved (or “Other”)."
    return list(dict.fromkeys(codes))


def _require_agency(actor: Actor) -> Organization:
    """The actor's organization: an election agency (S.2261 §3(7)) or an election service provider
    (§3(11)) that they act for."""
    actor.require(REPORT)
    organization = actor.organization
    if organization is None:
        raise PermissionDenied("only an election agency or an election service provider reports incidents here (S.2261 §4(h))")
    if organization.kind == Organization.Kind.ELECTION_SERVICE_PROVIDER:
        return organization
    if organization.kind not in AGENCY_KINDS or organization.state_id is None:
        raise PermissionDenied("only an election agency or an election service provider reports incidents here (S.2261 §4(h))")
    return organization


def _require_own(actor: Actor, incident: Incident, *, reopen: bool = False) -> Incident:
    """The agency that reported the incident, and nobody else, writes to it (404 outside scope).
    A closed incident takes no more writes, except (``reopen``) a new assessment of one closed as
    "no incident"."""
    actor.require(REPORT)
    current = _locked(actor, incident)
    if not actor.acts_for(current.organization):
        raise PermissionDenied(f"only {current.organization} writes to its incident {current.reference}")
    if current.closed_at is not None and not (reopen and current.assessment == Incident.Assessment.NO_INCIDENT):
        raise ValidationError(f"{current.reference} is closed; it takes no more assessments, notices or updates.")
    return current


def _reference(incident: Incident) -> str:
    return f"INC-{incident.aware_at.year}-{incident.pk:05d}"


def _text(moment: dt.datetime | None, zone: str) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def _obligation(incident: Incident, duty: str) -> Obligation | None:
    return clocks_of(incident).filter(duty_code=duty).first()


def report_possible(
    actor: Actor,
    *,
    title: str,
    aware_at: dt.datetime,
    how_learned: str,
    systems: list[str],
    idempotency_key: str = "",
    provider_incident: Incident | None = None,
) -> Incident:
    """§4(h): the agency records that it became aware of a possible incident.

    Opens the ``S2261-4h1`` clock; a local agency's State election officials are told at once.
    ``idempotency_key``: the same key from the same agency returns the incident already recorded
    (a retried request never records two)."""
    organization = _require_agency(actor)
    key = (idempotency_key or "").strip()[:100]
    if key:
        existing = Incident.objects.filter(organization=organization, idempotency_key=key).first()
        if existing is not None:
            return existing
    errors: dict[str, str] = {}
    title = (title or "").strip()
    how_learned = (how_learned or "").strip()
    if not title:
        errors["title"] = "Give the possible incident a short title."
    elif len(title) > 200:
        errors["title"] = "Keep the title under 200 characters."
    if not how_learned:
        errors["how_learned"] = "Say how the agency became aware of it."
    aware_at = _moment(aware_at, "aware_at", errors)
    codes = _systems(systems, errors)
    if provider_incident is not None and not provider_incident.notified_agencies.filter(pk=organization.pk).exists():
        errors["provider_incident"] = "Link only a provider's incident that your agency was notified of (S.2261 §4(j)(2))."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            incident = Incident.objects.create(
                reference=f"pending-{timezone.now().timestamp()}-{organization.pk}"[:20],
                organization=organization,
                state_id=organization.state_id,
                provider_incident=provider_incident,
                title=title,
                aware_at=aware_at,
                how_learned=how_learned,
                systems=codes,
                created_by=actor.user,
                idempotency_key=key,
            )
            incident.reference = _reference(incident)
            incident.save(update_fields=["reference"])
            record(
                actor=actor.user,
                organization=organization,
                action="incidents:incident:report",
                obj=incident,
                summary={"aware_at": aware_at.isoformat(), "systems": incident.system_labels, "title": title},
            )
            personal.scan_texts(actor, incident)
            if organization.kind == Organization.Kind.ELECTION_SERVICE_PROVIDER:
                # §4(h)(2) assess promptly, and §4(j)(1) notify the agencies served within 3 days of discovering the possible incident.
                obligations.open(PROVIDER_ASSESS_DUTY, incident, aware_at, organization, actor=actor.vouched())
                obligations.open(PROVIDER_NOTICE_DUTY, incident, aware_at, organization, actor=actor.vouched())
            else:
                obligations.open(ASSESS_DUTY, incident, aware_at, organization, actor=actor.vouched())
            if organization.kind == Organization.Kind.LOCAL_ELECTION_AGENCY:
                outbox.send(
                    "incidents.possible_incident",
                    context={
                        "state_id": organization.state_id,
                        "reporter": organization.name,
                        "reference": incident.reference,
                        "title": title,
                        "aware_text": _text(aware_at, organization.time_zone),
                        "systems": ", ".join(incident.system_labels),
                        "how_learned": how_learned,
                        "path": f"/incidents/{incident.pk}/",
                    },
                    actor=actor.vouched(),
                    organization=organization,
                    subject_object=incident,
                    dedupe_key=f"incidents.possible_incident:{incident.pk}",
                )
    except IntegrityError:
        if key:  # a concurrent retry with the same key won
            existing = Incident.objects.filter(organization=organization, idempotency_key=key).first()
            if existing is not None:
                return existing
        raise
    return incident


@transaction.atomic
def assess(
    actor: Actor,
    incident: Incident,
    *,
    outcome: str,
    reason: str = "",
    discovered_at: dt.datetime | None = None,
    next_review_on: dt.date | None = None,
) -> Incident:
    """§4(h)(1): record the assessment. "occurred" needs the moment of discovery (it starts the
    §4(i) clock); "no incident" needs the reason and closes the incident; "still assessing" the
    next review date. An incident closed as "no incident" may be assessed again (it reopens)."""
    current = _require_own(actor, incident, reopen=True)
    errors: dict[str, str] = {}
    if current.assessment == Incident.Assessment.OCCURRED:
        raise ValidationError({"outcome": "The incident was already assessed as having occurred; send updates to its notice instead."})
    if outcome not in Incident.Assessment.values:
        raise ValidationError({"outcome": f"Choose one of: {', '.join(Incident.Assessment.labels)}."})
    reason = (reason or "").strip()
    now = timezone.now()
    if outcome == Incident.Assessment.OCCURRED:
        discovered_at = _moment(discovered_at, "discovered_at", errors)
        if discovered_at is not None and discovered_at < current.aware_at - dt.timedelta(days=366):
            errors["discovered_at"] = "Discovery cannot be more than a year before the agency became aware of the possible incident."
    elif outcome == Incident.Assessment.NO_INCIDENT:
        if not reason:
            errors["reason"] = "Say why no incident occurred."
    else:
        today = now.astimezone(ZoneInfo(current.organization.time_zone)).date()
        if next_review_on is None:
            errors["next_review_on"] = "Give the date of the next review."
        elif next_review_on < today:
            errors["next_review_on"] = "The next review cannot be in the past."
    if errors:
        raise ValidationError(errors)
    before = current.assessment
    current.assessment = outcome
    current.assessment_reason = reason
    current.assessed_at = now
    current.next_review_on = next_review_on if outcome == Incident.Assessment.ASSESSING else None
    current.discovered_at = discovered_at if outcome == Incident.Assessment.OCCURRED else None
    current.save()
    record(
        actor=actor.user,
        organization=current.organization,
        action="incidents:incident:assess",
        obj=current,
        summary={
            "assessment": [before, outcome],
            "reason": reason,
            "discovered_at": discovered_at.isoformat() if discovered_at else None,
            "next_review_on": next_review_on.isoformat() if next_review_on else None,
        },
    )
    if outcome != Incident.Assessment.ASSESSING:
        assessing = _obligation(current, PROVIDER_ASSESS_DUTY if current.is_provider else ASSESS_DUTY)
        if assessing is not None and assessing.status not in CLOSED_STATUSES:
            obligations.fulfil(actor.vouched(), assessing, now, f"assessment recorded: {current.get_assessment_display()}")
    if outcome == Incident.Assessment.OCCURRED and not current.is_provider:
        obligations.open(NOTICE_DUTY, current, discovered_at, current.organization, actor=actor.vouched())
    if outcome == Incident.Assessment.NO_INCIDENT:  # nothing more to do: closed, the retention clock starts
        personal.open_retention(actor, current, now)
    elif current.closed_at is not None:  # reassessed after "no incident": open again
        personal.reopen(actor, current)
    personal.scan_texts(actor, current)
    incident.__dict__.update(current.__dict__)
    return current


def _notice_values(values: dict, errors: dict) -> dict:
    out = {}
    out["started_at"] = _moment(values.get("started_at"), "started_at", errors)
    out["ended_at"] = _moment(values.get("ended_at"), "ended_at", errors, required=False)
    if out["started_at"] and out["ended_at"] and out["ended_at"] < out["started_at"]:
        errors["ended_at"] = "The incident cannot end before it started."
    out["systems"] = _systems(values.get("systems"), errors)
    for name, message in REQUIRED_TEXT.items():
        text = (values.get(name) or "").strip()
        if not text:
            errors[name] = message
        out[name] = text
    return out


@transaction.atomic
def notify(actor: Actor, incident: Incident, values: dict, *, late_reason: str = "") -> IncidentNotice:
    """§4(i) with the §4(k)(1) content: the agency notifies the national office (and its State's
    officials). After the end of the 3rd calendar day from discovery the notice is recorded late,
    and ``late_reason`` is required."""
    current = _require_own(actor, incident)
    if current.is_provider:
        raise ValidationError({"notice": "A provider notifies the agencies it serves (S.2261 §4(j)), not the national office under §4(i)."})
    if current.assessment != Incident.Assessment.OCCURRED:
        raise ValidationError({"assessment": "Record the assessment that an incident occurred (with its discovery) before the notice."})
    if current.notified_at is not None:
        raise ValidationError(
            {"notice": f"The national office was notified on {_text(current.notified_at, current.organization.time_zone)}; send an update."}
        )
    return _first_notice(
        actor,
        current,
        values,
        {},
        clock=obligations.open(NOTICE_DUTY, current, current.discovered_at, current.organization, actor=actor.vouched()),
        late_reason=late_reason,
        late_words="3 calendar days after discovery",
        fulfilled_by=f"notice {current.reference} sent to the national office",
    )


def _first_notice(
    actor: Actor,
    current: Incident,
    values: dict,
    errors: dict,
    *,
    clock: Obligation,
    late_reason: str,
    late_words: str,
    fulfilled_by: str,
    agencies: list | None = None,
) -> IncidentNotice:
    """The first notice of an incident (§4(i) to the national office, §4(j)(1) to the agencies
    served): the §4(k)(1) content, late after the due moment of its ``clock`` (then the reason is
    required), the clock fulfilled, the recipients told."""
    content = _notice_values(values, errors)
    now = timezone.now()
    late = now > clock.due_at
    late_reason = (late_reason or "").strip()
    if late and not late_reason:
        errors["late_reason"] = (
            f"The notice was due by {_text(clock.due_at, current.organization.time_zone)} ({late_words}): say why it is late."
        )
    if errors:
        raise ValidationError(errors)
    notice = IncidentNotice.objects.create(incident=current, number=1, submitted_at=now, submitted_by=actor.user, **content)
    summary = {}
    if agencies is not None:  # a provider's notice (§4(j)): the agencies now see the incident
        current.notified_agencies.set(agencies)
        summary["agencies"] = [a.name for a in agencies]
    current.notified_at, current.notified_late, current.late_reason = now, late, late_reason if late else ""
    current.save(update_fields=["notified_at", "notified_late", "late_reason"])
    record(
        actor=actor.user,
        organization=current.organization,
        action="incidents:notice:send",
        obj=current,
        summary={"notice": 1, **summary, "late": late, "late_reason": late_reason if late else "", "systems": notice.system_labels},
    )
    if clock.status not in CLOSED_STATUSES:
        obligations.fulfil(actor.vouched(), clock, now, fulfilled_by)
    _send_notice(actor, current, notice)
    personal.scan_texts(actor, current)
    return notice


@transaction.atomic
def update(actor: Actor, incident: Incident, values: dict, *, note: str) -> IncidentNotice:
    """§4(k)(2): a new version of the content with the additional material information. Every
    earlier version is kept as it was sent."""
    current = _require_own(actor, incident)
    if current.notified_at is None:
        raise ValidationError({"notice": "Send the notice first; updates follow it."})
    errors: dict[str, str] = {}
    content = _notice_values(values, errors)
    note = (note or "").strip()
    if not note:
        errors["note"] = "Say what is new in this update (the additional material information)."
    if errors:
        raise ValidationError(errors)
    number = next_number(current.notices.all())
    notice = IncidentNotice.objects.create(
        incident=current, number=number, submitted_at=timezone.now(), submitted_by=actor.user, note=note, **content
    )
    record(
        actor=actor.user,
        organization=current.organization,
        action="incidents:notice:update",
        obj=current,
        summary={"notice": number, "note": note},
    )
    _send_notice(actor, current, notice)
    significance.open_update_duty(actor, current, notice.submitted_at)  # Congress is owed the news (§4(p)(1)(B))
    personal.scan_texts(actor, current)
    return notice


def _send_notice(actor: Actor, incident: Incident, notice: IncidentNotice) -> None:
    zone = incident.organization.time_zone
    outbox.send(
        "incidents.provider_notice" if incident.is_provider else "incidents.incident_notice",
        context={
            "state_id": incident.state_id,
            "reporter": incident.organization.name,
            "reference": incident.reference,
            "title": incident.title,
            "update": notice.is_update,
            "number": notice.number,
            "discovered_text": _text(incident.discovered_at, zone),
            "started_text": _text(notice.started_at, zone),
            "ended_text": _text(notice.ended_at, zone),
            "systems": ", ".join(notice.system_labels),
            "circumstances": notice.circumstances,
            "information_acquired": notice.information_acquired,
            "measures_planned": notice.measures_planned,
            "measures_implemented": notice.measures_implemented,
            "late": incident.notified_late and not notice.is_update,
            "late_reason": incident.late_reason,
            "agency_ids": list(incident.notified_agencies.values_list("pk", flat=True)),
            "path": f"/incidents/{incident.pk}/",
        },
        actor=actor.vouched(),
        organization=incident.organization,
        subject_object=incident,
        dedupe_key=f"incidents.incident_notice:{incident.pk}:{notice.number}",
    )


def may_attach(actor: Actor, incident: Incident) -> bool:
    """The reporting agency, and national-office staff who handle incidents, attach evidence."""
    if actor.may(REPORT) and actor.acts_for(incident.organization):
        return True
    return actor.may(DECIDE) and is_national_office(actor)


@transaction.atomic
def attach_evidence(actor: Actor, incident: Incident, upload, *, description: str = "") -> EvidenceFile:
    """Store an evidence file (size limit, sniffed type, SHA-256; see :mod:`.evidence`) and record it.

    ``upload`` is a Django ``UploadedFile`` (page or API). A refused file raises
    :class:`~django.core.exceptions.ValidationError` on ``file`` and stores nothing."""
    current = _locked(actor, incident)
    if not may_attach(actor, current):
        raise PermissionDenied(f"only {current.organization} and the national office attach evidence to {current.reference}")
    if current.closed_at is not None:
        raise ValidationError({"file": f"{current.reference} is closed; it takes no more evidence."})
    if upload is None:
        raise ValidationError({"file": "Choose a file."})
    try:
        sha, media_type, words, size = evidence.store(upload.chunks(), upload.size or 0)
    except evidence.EvidenceRefused as refused:
        raise ValidationError({"file": str(refused)}) from None
    description = (description or "").strip()
    if len(description) > 500:
        raise ValidationError({"description": "Keep the description under 500 characters."})
    attached = EvidenceFile.objects.create(
        incident=current,
        name=evidence.safe_name(upload.name),
        description=description,
        size=size,
        sha256=sha,
        media_type=media_type,
        kind_words=words,
        uploaded_by=actor.user,
        uploaded_at=timezone.now(),
    )
    record(
        actor=actor.user,
        organization=actor.organization or current.organization,
        action="incidents:evidence:attach",
        obj=current,
        summary={"file": attached.name, "sha256": sha, "size": size, "type": words},
    )
    personal.scan_new_evidence(actor, attached)
    return attached


def customers_of(provider: Organization):
    """The agencies the provider serves now (S.2261 §4(j): its "relevant election agencies")."""
    return Organization.objects.filter(provider_links__provider=provider, provider_links__ended_at__isnull=True).order_by("name")


@transaction.atomic
def notify_agencies(actor: Actor, incident: Incident, values: dict, *, agencies, late_reason: str = "") -> IncidentNotice:
    """§4(j)(1): a provider notifies the relevant election agencies — those it serves — of a possible
    incident, within 3 calendar days of discovering it (a later notice is recorded late, with the
    reason). The agencies then see the provider's incident and may link their own to it (§4(j)(2))."""
    current = _require_own(actor, incident)
    if not current.is_provider:
        raise ValidationError({"notice": "Election agencies notify the national office (S.2261 §4(i))."})
    if current.notified_at is not None:
        raise ValidationError({"notice": "The agencies were notified already; send an update."})
    errors: dict[str, str] = {}
    served = set(customers_of(current.organization).values_list("pk", flat=True))
    chosen = list(agencies or [])
    if not chosen:
        errors["agencies"] = "Choose the agencies you serve that the possible incident concerns."
    elif any(a.pk not in served for a in chosen):
        errors["agencies"] = "Notify only agencies your organization is recorded as serving (add them on your organization's page)."
    return _first_notice(
        actor,
        current,
        values,
        errors,
        clock=obligations.open(PROVIDER_NOTICE_DUTY, current, current.aware_at, current.organization, actor=actor.vouched()),
        late_reason=late_reason,
        late_words="3 calendar days after the possible incident was discovered",
        fulfilled_by=f"notice {current.reference} sent to {len(chosen)} agencies",
        agencies=chosen,
    )


__all__ = [
    "ASSESS_DUTY",
    "NOTICE_DUTY",
    "NOTICE_FIELDS",
    "PROVIDER_ASSESS_DUTY",
    "PROVIDER_NOTICE_DUTY",
    "assess",
    "attach_evidence",
    "customers_of",
    "may_attach",
    "notify",
    "notify_agencies",
    "report_possible",
    "update",
]
