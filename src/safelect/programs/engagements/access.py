"""Who sees and changes which engagements.

* National-office staff and leadership see and edit everything;
* regional staff see and edit their region (the region of their membership's organization);
* a State's election officials see their own State's engagements, without the internal columns
  (leadership awareness, leadership action) and without redacted content (they read the FOIA
  release text).

Scope is the kernel's (:func:`safelect.core.accounts.scope.visible`, on ``state``/``region``);
what a role may do is its ``permissions.GRANTS``.  :class:`Actor` carries who acts, from a
request (web, API), a membership (tests, jobs) or the system (the CLI run by an operator).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from safelect.core.accounts.actor import Actor as KernelActor
from safelect.core.accounts.scope import visible

VIEW = "engagements:engagement:view"
VIEW_INTERNAL = "engagements:engagement:view_internal"
EDIT = "engagements:engagement:edit"
IMPORT = "engagements:import:run"
REVIEW = "engagements:review:resolve"
FOLLOW_UP = "engagements:followup:edit"
EXPORT = "engagements:export:run"
EXPORT_INTERNAL = "engagements:export:internal"
COVERAGE = "engagements:coverage:view"

SCOPE = {"state_field": "state", "region_field": "region"}


class Actor(KernelActor):
    """The kernel's :class:`~safelect.core.accounts.actor.Actor`, with the engagements' scope fields."""

    def scope(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` of engagements narrowed to what this actor may see."""
        if self.source is None:
            return queryset
        return visible(queryset, self.source, **SCOPE)

    def scope_related(self, queryset: QuerySet, path: str) -> QuerySet:
        """Rows related to an engagement through ``path`` (e.g. ``engagement``), in scope."""
        if self.source is None:
            return queryset
        return visible(queryset, self.source, organization_field=f"{path}__organization",
                       state_field=f"{path}__state", region_field=f"{path}__region")

    @property
    def sees_internal(self) -> bool:
        return self.may(VIEW_INTERNAL)


def get_in_scope(actor: Actor, queryset: QuerySet, **lookup):
    """One engagement inside scope; 404 for missing and out-of-scope alike."""
    try:
        return actor.scope(queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("No engagement found") from None


def require_in_scope(actor: Actor, engagement, permission: str) -> None:
    """Permission and object scope for a write on ``engagement`` (403 / 404)."""
    actor.require(permission)
    if engagement.pk and not actor.scope(type(engagement).objects.filter(pk=engagement.pk)).exists():
        raise Http404("No engagement found")
