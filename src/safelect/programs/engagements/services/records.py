"""Recording and editing engagements by hand, and resolving the review queue.

Every write checks the permission and the object scope *after* the change as well as before,
inside the transaction: regional staff cannot move a record out of (or into) a region that is
not theirs.  Journal summaries name the fields changed with their *released* (FOIA) values, so
withheld content never enters the append-only journal, where it could not be removed later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.directory.models import Organization, State
from safelect.core.journal.services import record

from ..access import EDIT, REVIEW, Actor, require_in_scope
from ..importing import RedactedText, Status, parse_redacted, redaction_problems
from ..models import TEXT_FIELDS, Engagement, ReviewFlag, SourceVersion
from ..rows import refresh_search

PLAIN_FIELDS = ("region", "state", "jurisdiction", "status", "meeting_date")
STATUSES = frozenset(s.value for s in Status)


def _released(engagement: Engagement) -> dict[str, Any]:
    values: dict[str, Any] = {
        "region": engagement.region.number if engagement.region_id else None,
        "state": engagement.state.usps if engagement.state_id else engagement.state_text,
        "jurisdiction": engagement.jurisdiction.eavs_code if engagement.jurisdiction_id else None,
        "status": engagement.status,
        "meeting_date": engagement.meeting_date.isoformat() if engagement.meeting_date else None,
    }
    values.update({name: engagement.text(name).foia() for name in TEXT_FIELDS})
    return values


def _apply(engagement: Engagement, values: Mapping[str, Any]) -> None:
    problems = {
        name: "; ".join(found)
        for name, value in values.items()
        if name in TEXT_FIELDS and isinstance(value, str) and (found := redaction_problems(value))
    }
    if problems:
        raise ValidationError(problems)
    for name, value in values.items():
        if name in TEXT_FIELDS:
            setattr(engagement, name, value if isinstance(value, RedactedText) else parse_redacted(value or ""))
        elif name in PLAIN_FIELDS:
            setattr(engagement, name, value)
        else:
            raise ValidationError({name: "not an engagement field"})
    if engagement.jurisdiction_id and engagement.state_id and engagement.jurisdiction.state_id != engagement.state_id:
        raise ValidationError({"jurisdiction": "the jurisdiction is not in the chosen State"})
    if engagement.state_id and not engagement.region_id:
        engagement.region = engagement.state.region
    if engagement.state_id and engagement.region_id and engagement.state.region_id != engagement.region_id:
        raise ValidationError({"region": f"{engagement.state.name} is in {engagement.state.region}"})
    if engagement.status not in STATUSES:
        raise ValidationError({"status": f"choose one of {', '.join(sorted(STATUSES))}"})
    if engagement.status == Status.DATED.value and engagement.meeting_date is None:
        raise ValidationError({"meeting_date": "a held meeting needs its date (or choose a status)"})
    if (
        ("meeting_date" in values or "status" in values)
        and engagement.status == Status.DATED.value
        and engagement.meeting_date > timezone.localdate() + dt.timedelta(days=1)
    ):
        raise ValidationError(
            {"meeting_date": "a held meeting cannot be dated in the future; choose the status 'scheduled' for a meeting still to come"}
        )
    if "state" in values:
        engagement.state_text = engagement.state.name if engagement.state_id else engagement.state_text
    if "meeting_date" in values or "status" in values:
        engagement.year_inferred, engagement.date_text = False, ""
    engagement.organization = (
        engagement.jurisdiction.organization
        if engagement.jurisdiction_id
        else Organization.objects.filter(key=f"state:{engagement.state.usps}").first()
        if engagement.state_id
        else None
    )


def _check_scope(actor: Actor, engagement: Engagement) -> None:
    if not actor.restrict(Engagement.objects.filter(pk=engagement.pk)).exists():
        raise PermissionDenied("the engagement would be outside the regions and States you may edit")


@transaction.atomic
def create_engagement(actor: Actor, values: Mapping[str, Any], points_of_contact: Iterable = ()) -> Engagement:
    """Record a meeting.  ``values``: region/state/jurisdiction objects, status, meeting_date and
    free text (marked text such as ``"met [[(b)(6)|J. Doe]]"`` or :class:`RedactedText`)."""
    actor.require(EDIT)
    engagement = Engagement(created_by=actor.user, status=Status.DATED.value)
    _apply(engagement, values)
    engagement.save()
    engagement.points_of_contact.set(list(points_of_contact))
    _check_scope(actor, engagement)
    refresh_search(engagement)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="engagements:engagement:create",
        obj=engagement,
        summary=_released(engagement),
    )
    return engagement


@transaction.atomic
def update_engagement(
    actor: Actor, engagement: Engagement, values: Mapping[str, Any], points_of_contact: Iterable | None = None
) -> Engagement:
    """Change a recorded meeting; journals the changed fields (released values)."""
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    require_in_scope(actor, engagement, EDIT)
    before = _released(engagement)
    _apply(engagement, values)
    engagement.save()
    if points_of_contact is not None:
        engagement.points_of_contact.set(list(points_of_contact))
    _check_scope(actor, engagement)
    refresh_search(engagement)
    after = _released(engagement)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed or points_of_contact is not None:
        record(
            actor=actor.user,
            organization=actor.organization,
            action="engagements:engagement:update",
            obj=engagement,
            summary=changed or {"description": "points of contact"},
        )
    return engagement


@transaction.atomic
def resolve_flag(
    actor: Actor, flag: ReviewFlag, outcome: str, note: str = "", state: State | None = None, keep: SourceVersion | None = None
) -> ReviewFlag:
    """Close a review flag as ``resolved`` or ``dismissed``, with a note.

    Resolving a State or region flag may set the engagement's State (and so its region); resolving
    a disagreement between versions may ``keep`` one version's text of the field in question. The
    correction is made by the person, journalled, and the flag says who decided and why.
    """
    flag = ReviewFlag.objects.select_for_update(of=("self",)).select_related("engagement").get(pk=flag.pk)
    if flag.engagement is not None:
        require_in_scope(actor, flag.engagement, REVIEW)
    else:
        actor.require(REVIEW)
    if flag.status != ReviewFlag.Status.OPEN:
        raise ValidationError("this flag is already closed")
    if outcome not in (ReviewFlag.Status.RESOLVED, ReviewFlag.Status.DISMISSED):
        raise ValidationError({"outcome": "choose resolved or dismissed"})
    if not note.strip():
        raise ValidationError({"note": "say how the flag was resolved or why it is dismissed"})
    if state is not None:
        if flag.engagement is None:
            raise ValidationError({"state": "this flag belongs to no engagement"})
        update_engagement(actor, flag.engagement, {"state": state, "region": state.region})
    if keep is not None:
        if flag.engagement is None or keep.engagement_id != flag.engagement_id:
            raise ValidationError({"keep": "choose a version of this engagement"})
        if flag.field not in TEXT_FIELDS:
            raise ValidationError({"keep": "only a free-text field can be taken from a version"})
        update_engagement(actor, flag.engagement, {flag.field: keep.texts.get(flag.field, "")})
    flag.status, flag.resolution_note = outcome, note.strip()
    flag.resolved_by, flag.resolved_at = actor.user, timezone.now()
    flag.save()
    record(
        actor=actor.user,
        organization=actor.organization,
        action=f"engagements:flag:{outcome}",
        obj=flag,
        summary={
            "kind": flag.kind,
            "note": flag.resolution_note,
            "state": state.usps if state else None,
            "kept_version": str(keep) if keep is not None else None,
        },
    )
    return flag
