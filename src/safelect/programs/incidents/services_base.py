"""What every incident write starts with: the incident, in the actor's scope, locked."""

from __future__ import annotations

from safelect.core.accounts.actor import Actor

from .models import Incident
from .permissions import VIEW


def locked(actor: Actor, incident: Incident) -> Incident:
    """The incident row locked for this transaction, if the actor may see it (404 otherwise).

    Scope first (its query may need DISTINCT for shared incidents, which a row lock cannot take),
    then the lock by primary key."""
    visible = actor.get_or_404(Incident.objects.all(), VIEW, pk=incident.pk)
    return Incident.objects.select_for_update(of=("self",)).select_related("organization", "state").get(pk=visible.pk)
