"""What the incident writes share: the incident in the actor's scope, locked; the check of a moment
typed by a person; the incident's clocks; the national office as the actor; version numbers."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.obligations.models import Obligation
from safelect.core.obligations.services import FUTURE_TOLERANCE  # one tolerance for "not in the future"

from .models import Incident
from .permissions import VIEW


def locked(actor: Actor, incident: Incident) -> Incident:
    """The incident row locked for this transaction, if the actor may see it (404 otherwise).

    Scope first (its query may need DISTINCT for shared incidents, which a row lock cannot take),
    then the lock by primary key."""
    visible = actor.get_or_404(Incident.objects.all(), VIEW, pk=incident.pk)
    return Incident.objects.select_for_update(of=("self",)).select_related("organization", "state").get(pk=visible.pk)


def moment(value, field: str, errors: dict, *, required: bool = True) -> dt.datetime | None:
    """A moment a person gave: required (unless not), with its time zone, not in the future."""
    if value in (None, ""):
        if required:
            errors[field] = "This moment is required."
        return None
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        errors[field] = "Give a date and time with its time zone."
        return None
    if value > timezone.now() + FUTURE_TOLERANCE:
        errors[field] = "This moment is in the future."
    return value


def clocks_of(incident_or_pk) -> QuerySet:
    """The obligations opened for an incident, oldest first."""
    pk = getattr(incident_or_pk, "pk", incident_or_pk)
    return Obligation.objects.filter(subject_type="incidents.incident", subject_id=str(pk)).order_by("opened_at")


def is_national_office(actor: Actor) -> bool:
    """The system, or a person acting for the national office (or one of its regional offices)."""
    return actor.is_system or (actor.organization is not None and actor.organization.kind == Organization.Kind.NATIONAL_OFFICE)


def next_number(numbered: QuerySet) -> int:
    """The next version number among ``numbered`` (rows with a ``number`` or ``version`` field)."""
    field = "version" if "version" in {f.name for f in numbered.model._meta.fields} else "number"
    return (numbered.order_by(f"-{field}").values_list(field, flat=True).first() or 0) + 1
