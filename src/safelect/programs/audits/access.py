"""What each caller sees in audits, through the kernel's scope idiom (``Actor.restrict`` with each
model's ``SCOPE_FIELDS``): national staff every audit; a State's officials their State's audits and
participants; a jurisdiction's officials the audits it takes part in and only its own participation
and files. Out of scope is a 404."""

from __future__ import annotations

from django.db.models import QuerySet

from safelect.core.accounts.actor import Actor

from .models import Audit, Participant, Upload
from .permissions import VIEW


def _actor(who) -> Actor:
    return who if isinstance(who, Actor) else Actor.of(who)


def visible_audits(who) -> QuerySet:
    return _actor(who).restrict(Audit.objects.select_related("state", "organization"), VIEW)


def visible_participants(who) -> QuerySet:
    return _actor(who).restrict(Participant.objects.select_related("organization", "audit"), VIEW)


def visible_uploads(who) -> QuerySet:
    return _actor(who).restrict(Upload.objects.select_related("participant__organization", "participant__audit"), VIEW)
