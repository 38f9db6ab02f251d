"""What each caller sees in grants, through the kernel's scope idiom.

* Programs: published ones to everyone who may read grants; drafts only to those who manage them.
* Applications (and their checks, awards, payments, reports): ``Actor.restrict`` with the
  application's ``SCOPE_FIELDS`` — grants officers and national staff every one, a State's
  officials their State's (the State office's and its local agencies'), a local agency or a
  research organization its own. Out of scope is a 404, never a 403.
* Providers: published ones to everyone who may read grants; the rest to grants officers.
"""

from __future__ import annotations

from django.db.models import QuerySet

from safelect.core.accounts.actor import Actor

from .models import Application, Program, Provider
from .permissions import MANAGE, VIEW, VIEW_APPLICATIONS


def _actor(who) -> Actor:
    return who if isinstance(who, Actor) else Actor.of(who)


def visible_programs(who) -> QuerySet:
    actor = _actor(who)
    if not actor.may(VIEW):
        return Program.objects.none()
    if actor.may(MANAGE) or actor.is_system:
        return Program.objects.all()
    return Program.objects.exclude(status=Program.Status.DRAFT)


def visible_applications(who) -> QuerySet:
    actor = _actor(who)
    return actor.restrict(Application.objects.select_related("program", "applicant", "applicant__state"), VIEW_APPLICATIONS)


def visible_providers(who) -> QuerySet:
    actor = _actor(who)
    if not actor.may(VIEW):
        return Provider.objects.none()
    if actor.may(MANAGE):
        return Provider.objects.all()
    return Provider.objects.filter(published_at__isnull=False)
