"""The assessment of inter-State information sharing about election cybersecurity (S.2261 §4(o)).

* **Draft**: national staff name the assessment and its scope (§4(o)(1): the MS-ISAC's structure and
  functioning for election cybersecurity, and other inter-State sharing mechanisms).
* **Comments** (§4(o)(2)): a solicitation through the kernel's comment mechanism to every State
  election office. The statute sets no period; the comment period is the registry's policy duty
  ``PREP-4O-COMMENTS`` (45 days unless the deployment sets another target): it gives the closing
  moment and is the national office's clock to consider the comments. Who responded and who did not,
  reminders and a disposition for each comment live on the solicitation's page.
* **Issue** (§4(o)(3)): after the close, with a disposition recorded for every comment, the assessment
  is issued jointly with the Commission's Chairman to all election agencies known to safelect (State
  offices and local election agencies), the Commission, and the congressional committees: one notice
  to their members, and one distribution record per organization — how many members received it, or
  that it goes by letter because the organization has no member in safelect.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.comments import services as comments
from safelect.core.directory.models import Organization
from safelect.core.directory.queries import national_office
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.registry import get as get_duty
from safelect.core.obligations.registry import register_policy_duty
from safelect.core.outbox.services import send
from safelect.core.references import create_numbered

from .models import Distribution, SharingAssessment
from .permissions import REPORT_MANAGE

COMMENT_DUTY = "PREP-4O-COMMENTS"
COMMENT_DAYS = 45
RECIPIENT_KINDS = (
    Organization.Kind.STATE_ELECTION_OFFICE,
    Organization.Kind.LOCAL_ELECTION_AGENCY,
    Organization.Kind.EAC,
    Organization.Kind.CONGRESS,
)

register_policy_duty(
    COMMENT_DUTY,
    "Hear and consider the State election agencies' comments on the inter-State sharing assessment",
    COMMENT_DAYS,
    "national_office",
    lead_times=(timedelta(days=14), timedelta(days=3)),
    origin="preparedness",
    citation="S.2261 §4(o)(2) (comment period: internal policy)",
    text=f"Program policy: comments on the §4(o) assessment are solicited from all State election agencies and received for "
    f"{COMMENT_DAYS} days; the national office then considers each one before the assessment is issued.",
    event="sharing_assessment_comments_solicited",
    event_words="the solicitation of comments",
)


def comment_period_end(start):
    """The closing moment of a comment period opened at ``start``, from the registry's rule."""
    office = national_office()
    return get_duty(COMMENT_DUTY).due(start, office.time_zone, enactment=obligations.enactment(), overrides=obligations.policy_overrides())


@transaction.atomic
def create(actor: Actor, title: str, scope: str) -> SharingAssessment:
    actor.require(REPORT_MANAGE)
    title, scope = (title or "").strip(), (scope or "").strip()
    errors = {}
    if not title or len(title) > 300:
        errors["title"] = "Name the assessment (at most 300 characters)."
    if len(scope) < 20:
        errors["scope"] = "Say what the assessment covers and what the States are asked."
    if errors:
        raise ValidationError(errors)
    found = create_numbered(SharingAssessment, "ISA", timezone.now().year, title=title, scope=scope, created_by=actor.user)
    record(actor=actor.user, organization=actor.organization, action="preparedness:interstate:create", obj=found, summary={"title": title})
    return found


def _locked(actor: Actor, assessment: SharingAssessment) -> SharingAssessment:
    actor.require(REPORT_MANAGE)
    return SharingAssessment.objects.select_for_update().get(pk=assessment.pk)


@transaction.atomic
def solicit(actor: Actor, assessment: SharingAssessment) -> SharingAssessment:
    """Ask every State election office for comments until the policy period ends."""
    assessment = _locked(actor, assessment)
    if assessment.status != SharingAssessment.Status.DRAFTING:
        raise ValidationError("Comments are already solicited.")
    now = timezone.now()
    office = national_office()
    clock = obligations.open(COMMENT_DUTY, assessment, now, office, actor=actor.vouched())
    assessment.solicitation = comments.open_solicitation(
        actor.vouched(),
        title=f"Comments on the assessment of inter-State information sharing: {assessment.title}",
        body=assessment.scope,
        audience_kinds=[Organization.Kind.STATE_ELECTION_OFFICE],
        closes_at=clock.due_at,
        origin="preparedness",
        subject=assessment,
    )
    assessment.status = SharingAssessment.Status.COMMENTS
    assessment.save(update_fields=["solicitation", "status"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="preparedness:interstate:solicit",
        obj=assessment,
        summary={"closes_at": clock.due_at.isoformat()},
    )
    return assessment


@transaction.atomic
def issue(actor: Actor, assessment: SharingAssessment, findings: str) -> SharingAssessment:
    """Issue the assessment once comments closed and each has a disposition; record the distribution."""
    assessment = _locked(actor, assessment)
    if assessment.status != SharingAssessment.Status.COMMENTS or assessment.solicitation is None:
        raise ValidationError("Solicit the States' comments first; an issued assessment is final.")
    if assessment.solicitation.is_open:
        raise ValidationError(f"Comments close on {timezone.localtime(assessment.solicitation.closes_at):%B %-d, %Y}: issue after that.")
    waiting = comments.undisposed(assessment.solicitation)
    if waiting:
        raise ValidationError(f"{waiting} comment(s) have no disposition yet: consider each before issuing.")
    findings = (findings or "").strip()
    if len(findings) < 50:
        raise ValidationError({"findings": "Write the assessment as issued (at least a paragraph)."})
    now = timezone.now()
    assessment.findings, assessment.status, assessment.issued_at = findings, SharingAssessment.Status.ISSUED, now
    assessment.save(update_fields=["findings", "status", "issued_at"])
    recipients = Organization.objects.filter(kind__in=RECIPIENT_KINDS).annotate(
        members=Count("memberships", filter=Q(memberships__is_active=True, memberships__user__is_active=True))
    )
    Distribution.objects.bulk_create(
        [
            Distribution(
                assessment=assessment, organization_id=org.pk, members_notified=org.members, by_letter=org.members == 0, delivered_at=now
            )
            for org in recipients.only("pk")
        ]
    )
    send(
        "preparedness.interstate_assessment",
        context={
            "reference": assessment.reference,
            "title": assessment.title,
            "jointly": assessment.issued_jointly_with,
            "organization_ids": list(recipients.values_list("pk", flat=True)),
            "path": reverse("preparedness:interstate", args=[assessment.pk]),
        },
        actor=actor.user,
        organization=actor.organization,
        subject_object=assessment,
    )
    obligations.fulfil_open(
        actor.vouched(), COMMENT_DUTY, assessment, now, f"{assessment.reference}: comments considered, assessment issued"
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="preparedness:interstate:issue",
        obj=assessment,
        summary={"recipients": assessment.distribution.count(), "by_letter": assessment.distribution.filter(by_letter=True).count()},
    )
    return assessment


def distribution_summary(assessment: SharingAssessment) -> list[dict]:
    """Per kind of recipient: organizations, reached in safelect, by letter."""
    rows = []
    for kind in RECIPIENT_KINDS:
        found = assessment.distribution.filter(organization__kind=kind)
        total = found.count()
        letters = found.filter(by_letter=True).count()
        rows.append({"kind": Organization.Kind(kind).label, "total": total, "in_safelect": total - letters, "by_letter": letters})
    return rows
