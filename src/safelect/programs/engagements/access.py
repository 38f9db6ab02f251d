"""Who sees and changes which engagements.

* National-office staff and leadership see and edit everything;
* regional staff see and edit their region (the region of their membership's organization);
* a State's election officials see their own State's engagements, without the internal columns
  (leadership awareness, leadership action) and without redacted content (they read the FOIA
  release text).

Scope is the kernel's (``Actor.restrict`` with each model's ``SCOPE_FIELDS``: the meeting's State
and region); what a role may do is its ``permissions.GRANTS``.  The kernel's :class:`Actor` carries
who acts, from a request (web, API), a membership (tests, jobs) or the system (the CLI).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from safelect.core.accounts.actor import Actor

VIEW = "engagements:engagement:view"
VIEW_INTERNAL = "engagements:engagement:view_internal"
EDIT = "engagements:engagement:edit"
IMPORT = "engagements:import:run"
REVIEW = "engagements:review:resolve"
FOLLOW_UP = "engagements:followup:edit"
EXPORT = "engagements:export:run"
EXPORT_INTERNAL = "engagements:export:internal"
COVERAGE = "engagements:coverage:view"

__all__ = ["Actor", "get_in_scope", "require_in_scope"]


def get_in_scope(actor: Actor, queryset: QuerySet, **lookup):
    """One engagement inside scope; 404 for missing and out-of-scope alike."""
    return actor.get_or_404(queryset, **lookup)


def require_in_scope(actor: Actor, engagement, permission: str) -> None:
    """Permission and object scope for a write on ``engagement`` (403 / 404)."""
    actor.require(permission)
    if engagement.pk and not actor.restrict(type(engagement).objects.filter(pk=engagement.pk)).exists():
        raise Http404("No engagement found")
