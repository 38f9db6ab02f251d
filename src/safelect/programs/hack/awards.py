"""Awards (S.2261 §8(d)(3)): for reports of previously unidentified vulnerabilities, from the round's
schedule by severity (monetary, non-monetary, or both). Triage proposes the award when it records a
valid, previously unidentified vulnerability; leadership approves it. The public hall of fame lists
approved awards of researchers who consented to be named, under the name they chose."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record
from safelect.core.outbox.services import send

from .models import Award, Finding
from .permissions import APPROVE_AWARD, TRIAGE


@transaction.atomic
def propose(actor: Actor, finding: Finding) -> Award:
    actor.require(TRIAGE)
    if finding.status != Finding.Status.VALID or not finding.novel:
        raise ValidationError({"award": "Awards are for valid, previously unidentified vulnerabilities (§8(d)(3))."})
    amount = finding.round.amount_for(finding.severity)
    award, created = Award.objects.get_or_create(
        finding=finding,
        defaults={
            "severity": finding.severity,
            "amount": amount,
            "non_monetary": finding.round.non_monetary,
            "proposed_at": timezone.now(),
        },
    )
    if created:
        record(actor=actor.user, organization=actor.organization, action="hack:award:propose", obj=finding, summary={"amount": amount})
    return award


@transaction.atomic
def approve(actor: Actor, award: Award) -> Award:
    actor.require(APPROVE_AWARD)
    current = Award.objects.select_for_update().select_related("finding__researcher").get(pk=award.pk)
    if current.status == Award.Status.APPROVED:
        raise ValidationError({"award": "This award was already approved."})
    current.status, current.approved_by, current.approved_at = Award.Status.APPROVED, actor.user, timezone.now()
    current.save(update_fields=["status", "approved_by", "approved_at"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="hack:award:approve",
        obj=current.finding,
        summary={"amount": current.amount},
    )
    send(
        "hack.award",
        context={
            "reference": current.finding.reference,
            "amount": current.amount,
            "non_monetary": current.non_monetary,
            "organization_ids": [current.finding.researcher.organization_id],
            "path": f"/hack/findings/{current.finding_id}/",
        },
        actor=actor.vouched(),
        organization=actor.organization,
        subject_object=current.finding,
        dedupe_key=f"hack.award:{current.pk}",
    )
    return current


def hall_of_fame():
    """Researchers with approved awards who consented to be named (public)."""
    return (
        Award.objects.filter(status=Award.Status.APPROVED, finding__researcher__hall_of_fame=True)
        .values("finding__researcher__public_name")
        .annotate(findings=Count("pk"), total=Sum("amount"), latest=Max("approved_at"))
        .order_by("-findings", "finding__researcher__public_name")
    )
