"""Who sees which findings (see :mod:`.permissions`): the office all; a researcher their own; an
agency or provider those against the systems it designated and those it was notified of."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from safelect.core.accounts.actor import Actor

from .models import Finding, Researcher
from .permissions import SUBMIT, TRIAGE, VIEW


def is_office(actor: Actor) -> bool:
    return actor.is_system or actor.may(TRIAGE) or (actor.may(VIEW) and actor.scope_level == "national")


def visible_findings(actor: Actor) -> QuerySet[Finding]:
    found = Finding.objects.select_related("designation__organization", "designation__system", "researcher", "round")
    if not actor.may(VIEW):
        return found.none()
    if is_office(actor):
        return found
    if actor.may(SUBMIT):
        return found.filter(researcher__user=actor.user) if actor.user is not None else found.none()
    if actor.organization is None:
        return found.none()
    org = actor.organization.pk
    ids = Finding.objects.filter(Q(designation__organization=org) | Q(remediations__organization=org)).values("pk")
    return found.filter(pk__in=ids)


def finding_or_404(actor: Actor, pk: int) -> Finding:
    found = visible_findings(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No such report")
    return found


def researcher_of(actor: Actor) -> Researcher | None:
    if actor.user is None:
        return None
    return Researcher.objects.filter(user=actor.user).first()
