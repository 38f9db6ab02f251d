"""Competitive review (HSA §321): reviewers' scores (never on an application they have a conflict
with) and the ranking."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record

from ..models import Application, Program, Score
from ._shared import MAX_TEXT
from .applications import _reviewable


@transaction.atomic
def score(
    actor: Actor, application: Application, *, value: int | None, conflict: bool, conflict_note: str = "", comment: str = ""
) -> Score:
    """A reviewer's score (0–100) of a competitive application, or a declared conflict of interest
    (then no score, and the reviewer's view does not count in the ranking)."""
    application = _reviewable(actor, application)
    if application.program.kind != Program.Kind.COMPETITIVE:
        raise ValidationError("Only competitive programs are scored.")
    if conflict:
        if not (conflict_note or "").strip():
            raise ValidationError({"conflict_note": "Describe the conflict of interest."})
        value = None
    elif value is None or not 0 <= int(value) <= 100:
        raise ValidationError({"score": "A score from 0 to 100, or declare a conflict of interest."})
    found, _ = Score.objects.update_or_create(
        application=application,
        reviewer=actor.user,
        defaults={
            "score": value,
            "conflict": bool(conflict),
            "conflict_note": (conflict_note or "").strip()[:2000],
            "comment": (comment or "").strip()[:MAX_TEXT],
            "scored_at": timezone.now(),
        },
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:application:score",
        obj=application,
        summary={"conflict": bool(conflict)},
    )
    return found


def ranking(program: Program) -> list[dict]:
    """Competitive applications by mean score of reviewers without a conflict (unscored last)."""
    rows = []
    for app in program.applications.exclude(status=Application.Status.DRAFT).select_related("applicant"):
        counted = [s.score for s in app.scores.all() if not s.conflict and s.score is not None]
        rows.append(
            {
                "application": app,
                "mean": round(sum(counted) / len(counted), 1) if counted else None,
                "reviews": len(counted),
                "conflicts": sum(1 for s in app.scores.all() if s.conflict),
            }
        )
    return sorted(rows, key=lambda r: (r["mean"] is None, -(r["mean"] or 0), r["application"].reference))
