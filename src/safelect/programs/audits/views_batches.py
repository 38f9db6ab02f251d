"""Entering the votes counted by hand in one batch: a batch drawn for a batch-comparison round or a
batch of a full hand count (``batches.record_tally`` checks permission and scope)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from safelect.core.accounts.actor import Actor
from safelect.core.web.permissions import requires

from . import batches
from .access import visible_audits
from .permissions import VIEW


@requires(VIEW)
def tally(request, pk: int, tally_id: int):
    actor = Actor.of(request)
    audit = actor.get_or_404(visible_audits(actor), pk=pk)
    found = actor.get_or_404(batches.visible_tallies(actor).filter(audit=audit), pk=tally_id)
    contests = list(audit.contests.all())
    errors: list[str] = []
    given = found.votes or {}
    if request.method == "POST":
        given = {c.name: {choice: request.POST.get(f"votes:{c.name}:{choice}", "") for choice in c.choices} for c in contests}
        try:
            batches.record_tally(actor, found, given)
        except ValidationError as error:
            errors = error.messages
        except PermissionDenied as refused:
            errors = [str(refused)]
        else:
            messages.success(request, f"Hand tally of batch {found.batch} entered.")
            return redirect("audits:participant", pk=audit.pk, participant=found.participant_id)
    rows = [
        {"contest": c, "choices": [{"name": choice, "value": (given.get(c.name) or {}).get(choice, "")} for choice in c.choices]}
        for c in contests
    ]
    return render(request, "audits/tally.html", {"audit": audit, "tally": found, "rows": rows, "errors": errors})
