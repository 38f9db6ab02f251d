"""Follow-ups ("GETBACK"s): open, complete, cancel — each with its obligation."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.directory.models import Organization
from safelect.core.directory.queries import national_office
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.models import Obligation

from ..access import FOLLOW_UP, Actor, require_in_scope
from ..followups import GETBACK_DUTY, due_moment
from ..models import Engagement, FollowUp


def _holder(actor: Actor) -> Organization:
    """The national-office organization that owes the follow-up: the actor's, else the national office."""
    org = actor.organization
    if org is not None and org.kind == Organization.Kind.NATIONAL_OFFICE:
        return org
    return national_office()


@transaction.atomic
def open_follow_up(actor: Actor, engagement: Engagement, description: str, due_date: dt.date, owner=None, owner_text: str = "") -> FollowUp:
    """Record a follow-up and open its obligation in the same transaction."""
    require_in_scope(actor, engagement, FOLLOW_UP)
    description = description.strip()
    if not description:
        raise ValidationError({"description": "say what has to be done"})
    if owner is None and not owner_text.strip():
        raise ValidationError({"owner": "Choose who owns the follow-up, or type the owner's name below."})
    follow_up = FollowUp.objects.create(
        engagement=engagement,
        description=description,
        owner=owner,
        owner_text=owner_text.strip()[:200],
        due_date=due_date,
        created_by=actor.user,
    )
    holder = _holder(actor)
    obligation = obligations.open(
        GETBACK_DUTY, follow_up, timezone.now(), holder, actor=actor, due_at=due_moment(due_date, holder.time_zone)
    )
    follow_up.obligation_ref = f"obligations.obligation:{obligation.pk}"
    follow_up.save(update_fields=["obligation_ref"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="engagements:followup:open",
        obj=follow_up,
        summary={"engagement": engagement.pk, "due_date": due_date.isoformat(), "owner": follow_up.owner_label},
    )
    return follow_up


def obligation_of(follow_up: FollowUp) -> Obligation | None:
    if not follow_up.obligation_ref:
        return None
    return Obligation.objects.filter(pk=int(follow_up.obligation_ref.rsplit(":", 1)[1])).first()


@transaction.atomic
def close_follow_up(actor: Actor, follow_up: FollowUp, outcome: str, note: str = "") -> FollowUp:
    """Mark a follow-up done (fulfils its obligation) or cancelled (waives it, with a reason)."""
    follow_up = FollowUp.objects.select_for_update(of=("self",)).select_related("engagement").get(pk=follow_up.pk)
    require_in_scope(actor, follow_up.engagement, FOLLOW_UP)
    if follow_up.status != FollowUp.Status.OPEN:
        raise ValidationError("this follow-up is already closed")
    if outcome not in (FollowUp.Status.DONE, FollowUp.Status.CANCELLED):
        raise ValidationError({"outcome": "choose done or cancelled"})
    if outcome == FollowUp.Status.CANCELLED and not note.strip():
        raise ValidationError({"note": "say why the follow-up is cancelled"})
    now = timezone.now()
    obligation = obligation_of(follow_up)
    if obligation is not None and obligation.status == "open":
        if outcome == FollowUp.Status.DONE:
            obligations.fulfil(actor.vouched(), obligation, now, f"engagements.followup:{follow_up.pk} done")
        else:
            obligations.waive(actor.vouched(), obligation, note)
    follow_up.status, follow_up.closed_at = outcome, now
    follow_up.save(update_fields=["status", "closed_at"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action=f"engagements:followup:{outcome}",
        obj=follow_up,
        summary={"note": note.strip()},
    )
    return follow_up
