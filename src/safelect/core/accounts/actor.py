"""Who acts: the one argument every service takes.

An :class:`Actor` is a person acting for one organization through one membership, or the system
(an operator's command, a scheduled job, the demo loader). Services check permissions and object
scope against it themselves, so a write is refused the same way whether it came from a page, the
API, a command or a job::

    actor = Actor.of(request)              # web page or API (session or token)
    actor = Actor.member(membership)       # tests, jobs acting for a person
    actor = Actor.system(organization)     # the CLI run by an operator: every permission

    actor.require("obligations:obligation:fulfil")      # PermissionDenied (403) when missing
    rows = actor.restrict(Obligation.objects.all())      # only rows in the actor's scope

The journal records ``actor.user`` (``None`` is "system") and ``actor.organization``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .permissions import SELF_SERVICE, has_permission, membership_permissions, mfa_satisfied
from .scope import membership_scope, visible


class _Nobody:
    """The source of :meth:`Actor.person`: no membership, no session, no permission."""

    acting_membership = None
    api_token = None
    session = None

    def __repr__(self) -> str:
        return "nobody"


_NOBODY = _Nobody()


@dataclass(frozen=True)
class Actor:
    """``user`` and ``organization`` go to the journal; ``source`` decides what the actor may do."""

    user: Any = None
    organization: Any = None
    source: Any = None  # a request, a Membership, or None for the system

    @classmethod
    def of(cls, request) -> Actor:
        user = request.user if getattr(request, "user", None) is not None and request.user.is_authenticated else None
        return cls(user, getattr(request, "acting_organization", None), request)

    @classmethod
    def member(cls, membership) -> Actor:
        return cls(membership.user, membership.organization, membership)

    @classmethod
    def person(cls, user) -> Actor:
        """A person acting for no organization and holding no permission: someone who has just
        created their account from an invitation, before they sign in."""
        return cls(user, None, _NOBODY)

    @classmethod
    def system(cls, organization=None) -> Actor:
        return cls(None, organization, None)

    def vouched(self) -> Actor:
        """The same person with the checks already done: for a service calling another service
        as a consequence of a write it has authorised itself (closing an engagement follow-up
        fulfils its obligation). The journal still names the person and organization."""
        return Actor(self.user, self.organization, None)

    @property
    def is_system(self) -> bool:
        return self.source is None

    @property
    def membership(self):
        if self.source is None:
            return None
        if hasattr(self.source, "roles") and hasattr(self.source, "organization_id"):
            return self.source
        return getattr(self.source, "acting_membership", None)

    @property
    def mfa(self) -> bool:
        if self.source is None or self.membership is self.source:
            return True
        return mfa_satisfied(self.source)

    @property
    def role_codes(self) -> frozenset[str]:
        """Roles of the acting membership that count now (two-factor roles only after TOTP)."""
        from .roles import ROLES

        membership = self.membership
        if membership is None or not membership.is_active:
            return frozenset()
        return frozenset(c for c in membership.roles if c in ROLES and (self.mfa or not ROLES[c].requires_mfa))

    @property
    def scope_level(self) -> str | None:
        """``national``, ``region``, ``state``, ``jurisdiction``/``organization`` or ``None``."""
        if self.source is None:
            return "national"
        return membership_scope(self.membership, mfa=self.mfa)

    def may(self, permission: str) -> bool:
        if self.source is None:
            return True
        if self.source is _NOBODY:
            return False
        if self.membership is self.source:
            if self.user is not None and self.user.is_superuser:
                return True
            return permission in SELF_SERVICE or permission in membership_permissions(self.source, mfa=True)
        return has_permission(self.source, permission)

    def require(self, permission: str) -> None:
        if not self.may(permission):
            raise PermissionDenied(f"you do not have the permission {permission}")

    def acts_for(self, organization) -> bool:
        """True for the system, and for a person acting for ``organization`` itself."""
        if self.source is None:
            return True
        return organization is not None and self.organization is not None and self.organization.pk == organization.pk

    def restrict(self, queryset: QuerySet, permission: str | None = None, **scope_fields) -> QuerySet:
        """``queryset`` narrowed to the actor's object scope (and to nothing without ``permission``).

        The one scoping idiom: field paths default as in :func:`safelect.core.accounts.scope.visible`,
        or come from the model's ``SCOPE_FIELDS`` mapping when it declares one.
        """
        if (permission is not None and not self.may(permission)) or self.source is _NOBODY:
            return queryset.none()
        if self.source is None:
            return queryset
        fields = {**getattr(queryset.model, "SCOPE_FIELDS", {}), **scope_fields}
        return visible(queryset, self.source, **fields)

    def get_or_404(self, queryset: QuerySet, permission: str | None = None, **lookup):
        """One object inside scope; 404 for missing and out-of-scope alike (existence does not leak)."""
        try:
            return self.restrict(queryset, permission).get(**lookup)
        except (queryset.model.DoesNotExist, queryset.model.MultipleObjectsReturned):
            raise Http404(f"No {queryset.model._meta.verbose_name} found") from None


__all__ = ["Actor"]
