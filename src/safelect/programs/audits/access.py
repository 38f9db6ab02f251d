"""What each caller sees in audits, through the kernel's scope idiom (``Actor.restrict`` with each
model's ``SCOPE_FIELDS``): national staff every audit; a State's officials their State's audits and
participants; a jurisdiction's officials the audits it takes part in and only its own participation
and files. Out of scope is a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from safelect.core.accounts.actor import Actor

from .models import Audit, Participant, Upload
from .permissions import MANAGE, VIEW


def _actor(who) -> Actor:
    return who if isinstance(who, Actor) else Actor.of(who)


def runs(actor: Actor, audit: Audit) -> bool:
    """True for the State election office that runs the audit (acting with the right to manage it)."""
    return actor.may(MANAGE) and actor.organization is not None and audit.organization_id == actor.organization.pk


def require_runs(actor: Actor, audit: Audit, what: str) -> None:
    """Refuse anyone but the State that runs the audit: ``what`` completes "only the State that runs
    the audit …" in the refusal."""
    actor.require(MANAGE)
    if not runs(actor, audit):
        raise PermissionDenied(f"only the State that runs the audit {what}")


def visible_audits(who) -> QuerySet:
    return _actor(who).restrict(Audit.objects.select_related("state", "organization"), VIEW)


def visible_participants(who) -> QuerySet:
    return _actor(who).restrict(Participant.objects.select_related("organization", "audit"), VIEW)


def visible_uploads(who) -> QuerySet:
    return _actor(who).restrict(Upload.objects.select_related("participant__organization", "participant__audit"), VIEW)
