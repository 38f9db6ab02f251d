"""Classified information (S.2261 §4(e)), as metadata only.

safelect is an unclassified system: nothing classified is stored. The national office records
*that* it received classified information about an election cybersecurity incident, threat or
vulnerability — an unclassified description, the level, the originating entity, when — which
opens ``S2261-4e1``: the Secretary promptly requests an expedited declassification review from a
federal entity with the authority to conduct it. Recording the request fulfils that clock and opens
``S2261-4e2`` for the reviewing entity: conduct the review promptly. The entity (or the national
office on its word) records the outcome — declassified, partly declassified, denied — which fulfils
the review clock; a declassified version, entered as unclassified text, becomes an information item
with its own "share promptly" clock (§4(c)).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.references import create_numbered

from . import services
from .access import handles_information
from .models import TOPICS, ClassifiedReceipt
from .permissions import DECIDE, SUBMIT

REQUEST_DUTY = "S2261-4e1"
REVIEW_DUTY = "S2261-4e2"
FEDERAL = (Organization.Kind.FEDERAL_ENTITY, Organization.Kind.EAC)
CONTENT_WORDS = ("(S)", "(TS)", "(C)", "//NOFORN", "SECRET//", "TOP SECRET")


def visible_receipts(actor: Actor):
    if handles_information(actor):
        return ClassifiedReceipt.objects.all()
    if actor.organization is None or actor.organization.kind not in FEDERAL:
        return ClassifiedReceipt.objects.none()
    return ClassifiedReceipt.objects.filter(reviewer=actor.organization) | ClassifiedReceipt.objects.filter(originator=actor.organization)


@transaction.atomic
def record_receipt(actor: Actor, values: dict) -> ClassifiedReceipt:
    actor.require(DECIDE)
    errors: dict[str, str] = {}
    description = (values.get("description") or "").strip()
    if not description:
        errors["description"] = "Describe it in unclassified words (never the content)."
    elif len(description) > 300:
        errors["description"] = "Keep the unclassified description under 300 characters."
    elif any(word in description.upper() for word in CONTENT_WORDS):
        errors["description"] = "This looks like classified portion marking: enter only an unclassified description."
    if values.get("topic") not in dict(TOPICS):
        errors["topic"] = "Choose incident, threat or vulnerability."
    if values.get("level") not in ClassifiedReceipt.Level.values:
        errors["level"] = "Choose the classification level."
    originator = values.get("originator")
    if originator is None or originator.kind not in FEDERAL:
        errors["originator"] = "Choose the federal entity it came from."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    office = services.national_office()
    receipt = create_numbered(
        ClassifiedReceipt,
        "CLS",
        now.year,
        description=description,
        topic=values["topic"],
        level=values["level"],
        originator=originator,
        received_at=values.get("received_at") or now,
        recorded_by=actor.user,
    )
    record(
        actor=actor.user,
        organization=actor.organization or office,
        action="sharing:classified:record",
        obj=receipt,
        summary={"level": receipt.get_level_display(), "originator": originator.name},
    )
    obligations.open(REQUEST_DUTY, receipt, receipt.received_at, office, actor=actor.vouched())
    return receipt


@transaction.atomic
def request_review(actor: Actor, receipt: ClassifiedReceipt, *, reviewer: Organization | None) -> ClassifiedReceipt:
    actor.require(DECIDE)
    current = ClassifiedReceipt.objects.select_for_update().get(pk=receipt.pk)
    if current.outcome != ClassifiedReceipt.Outcome.PENDING:
        raise ValidationError({"reviewer": "The review was already requested."})
    if reviewer is None or reviewer.kind not in FEDERAL:
        raise ValidationError({"reviewer": "Choose a federal entity with authority to conduct the review."})
    now = timezone.now()
    current.reviewer, current.requested_at, current.outcome = reviewer, now, ClassifiedReceipt.Outcome.REQUESTED
    current.save(update_fields=["reviewer", "requested_at", "outcome"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="sharing:classified:request",
        obj=current,
        summary={"reviewer": reviewer.name},
    )
    obligations.fulfil_open(actor.vouched(), REQUEST_DUTY, current, now, f"review requested from {reviewer.name}")
    obligations.open(REVIEW_DUTY, current, now, reviewer, actor=actor.vouched())
    return current


@transaction.atomic
def record_outcome(
    actor: Actor, receipt: ClassifiedReceipt, *, outcome: str, note: str = "", declassified_text: str = "", tlp: str = "amber"
) -> ClassifiedReceipt:
    """The reviewing entity's answer (its analyst, or the national office on its word)."""
    actor.require(SUBMIT)
    current = ClassifiedReceipt.objects.select_for_update().get(pk=receipt.pk)
    own_review = actor.organization is not None and current.reviewer_id == actor.organization.pk
    if not (handles_information(actor) or own_review):
        raise PermissionDenied("only the reviewing entity or the national office records the outcome of the review (S.2261 §4(e)(2))")
    if current.outcome != ClassifiedReceipt.Outcome.REQUESTED:
        raise ValidationError({"outcome": "Request the review first; its outcome is recorded once."})
    errors = {}
    if outcome not in (ClassifiedReceipt.Outcome.DECLASSIFIED, ClassifiedReceipt.Outcome.PARTLY, ClassifiedReceipt.Outcome.DENIED):
        errors["outcome"] = "Choose declassified, partly declassified or denied."
    text = (declassified_text or "").strip()
    if outcome in (ClassifiedReceipt.Outcome.DECLASSIFIED, ClassifiedReceipt.Outcome.PARTLY) and not text:
        errors["declassified_text"] = "Enter the declassified version (it becomes information to share)."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    current.outcome, current.outcome_at, current.outcome_note = outcome, now, (note or "").strip()
    if text:
        current.declassified_item = services.receive_item(
            Actor.system(services.national_office()),
            {
                "title": f"Declassified: {current.description}"[:200],
                "topic": current.topic,
                "tlp": tlp,
                "summary": text,
                "source": "federal_entity",
                "source_organization": current.reviewer,
            },
        )
    current.save(update_fields=["outcome", "outcome_at", "outcome_note", "declassified_item"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="sharing:classified:outcome",
        obj=current,
        summary={"outcome": current.get_outcome_display()},
    )
    obligations.fulfil_open(actor.vouched(), REVIEW_DUTY, current, now, f"review concluded: {current.get_outcome_display().lower()}")
    return current
