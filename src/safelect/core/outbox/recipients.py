"""Who receives a notice: people (active members of organizations, by role) and organizations.

Rules return :class:`Recipients` built from querysets, so resolution happens in the database
(``services.send`` turns them into delivery rows with one INSERT … SELECT per channel) and a
notice to every election agency costs a handful of queries. Combine rules with ``|``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from safelect.core.accounts.models import Membership
from safelect.core.directory.models import Organization, State

STATE_OFFICIAL_ROLES = ("chief_state_election_official", "state_election_staff")


@dataclass(frozen=True)
class Recipients:
    users: QuerySet
    organizations: QuerySet

    def __or__(self, other: Recipients) -> Recipients:
        User = get_user_model()
        return Recipients(
            users=User.objects.filter(Q(pk__in=self.users.values("pk")) | Q(pk__in=other.users.values("pk"))),
            organizations=Organization.objects.filter(
                Q(pk__in=self.organizations.values("pk")) | Q(pk__in=other.organizations.values("pk"))
            ),
        )


def nobody() -> Recipients:
    return Recipients(get_user_model().objects.none(), Organization.objects.none())


def _organizations(organizations) -> QuerySet:
    if isinstance(organizations, QuerySet):
        return organizations
    if isinstance(organizations, Organization):
        return Organization.objects.filter(pk=organizations.pk)
    if isinstance(organizations, int):
        return Organization.objects.filter(pk=organizations)
    ids = [o.pk if isinstance(o, Organization) else o for o in organizations]
    return Organization.objects.filter(pk__in=ids)


def members_of(organizations, roles: Iterable[str] | None = None) -> Recipients:
    """Active members (active logins) of ``organizations`` — one, a list, ids or a queryset —
    holding any of ``roles`` (all members when None); the organizations receive webhooks."""
    orgs = _organizations(organizations)
    memberships = Membership.objects.filter(is_active=True, organization__in=orgs.values("pk"))
    if roles is not None:
        memberships = memberships.filter(roles__overlap=list(roles))
    users = get_user_model().objects.filter(is_active=True, pk__in=memberships.values("user_id"))
    return Recipients(users=users, organizations=orgs)


def users(people) -> Recipients:
    """Named people (users or ids), e.g. the reporter of an incident; no webhook."""
    ids = [getattr(p, "pk", p) for p in people]
    return Recipients(get_user_model().objects.filter(is_active=True, pk__in=ids), Organization.objects.none())


def organizations_of_kind(kind: str, roles: Iterable[str] | None = None) -> Recipients:
    """Members of every organization of a kind, e.g. ``"local_election_agency"``."""
    if kind not in Organization.Kind.values:
        raise ValueError(f"unknown organization kind {kind!r}")
    return members_of(Organization.objects.filter(kind=kind), roles)


def state_officials(state, roles: Iterable[str] = STATE_OFFICIAL_ROLES) -> Recipients:
    """The chief State election official's office of ``state`` (a State, its USPS code or id)."""
    if isinstance(state, str):
        state = State.objects.get(usps=state.upper())
    state_id = getattr(state, "pk", state)
    return members_of(Organization.objects.filter(kind=Organization.Kind.STATE_ELECTION_OFFICE, state_id=state_id), roles)


def national_office(roles: Iterable[str] | None = ("national_program_staff", "national_leadership")) -> Recipients:
    """Staff of the national election security office (by default program staff and leadership)."""
    return members_of(Organization.objects.filter(kind=Organization.Kind.NATIONAL_OFFICE), roles)
