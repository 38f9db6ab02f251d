"""Every write of the accounts app: memberships, switching, invitations, API tokens, clearances.

Each service takes the kernel's :class:`~.actor.Actor` first, checks the permission and the object
scope itself (an organization's members are managed by an administrator acting for that
organization; a token or a switch concerns the actor's own account), is atomic, and journals what
it did with the acting organization. Sign-in writes (lock-out, TOTP, password reset) are in
:mod:`.signin`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.journal.services import record

from . import tokens
from .actor import Actor
from .models import ApiToken, Clearance, Invitation, Membership, User
from .roles import ROLES
from .signals import announce, invitation_sent

INVITATION_DAYS = 7
TOKEN_MAX_DAYS = 365
MANAGE_MEMBERS = "accounts:member:manage"
MANAGE_CLEARANCES = "accounts:clearance:manage"


def _require_admin_of(actor: Actor, organization) -> None:
    """Members of an organization are managed by an administrator acting for it (or the system)."""
    actor.require(MANAGE_MEMBERS)
    if not actor.acts_for(organization) and not (actor.user is not None and actor.user.is_superuser):
        raise PermissionDenied("you manage the members of the organization you act for")


def _journal_org(actor: Actor, fallback):
    return actor.organization or fallback


def _roles_fit(organization, roles: list[str]) -> None:
    if not roles:
        raise ValidationError({"roles": "Choose at least one role."})
    for code in roles:
        if code not in ROLES:
            raise ValidationError({"roles": f"Unknown role {code!r}."})
        if organization.kind not in ROLES[code].org_kinds:
            raise ValidationError({"roles": f"{ROLES[code].label} is not a role of a {organization.get_kind_display().lower()}."})


# --- memberships -------------------------------------------------------------------------------


@transaction.atomic
def add_membership(actor: Actor, *, organization, user: User, roles: list[str], is_admin: bool = False) -> Membership:
    """Give ``user`` a membership in ``organization`` (or update the roles of the existing one)."""
    _require_admin_of(actor, organization)
    _roles_fit(organization, roles)
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"roles": roles, "is_admin": is_admin}
    )
    if created:
        record(
            actor=actor.user,
            organization=_journal_org(actor, organization),
            action="accounts:membership:create",
            obj=membership,
            summary={"roles": roles, "is_admin": is_admin, "user": user.email},
        )
    else:
        change_roles(actor, membership=membership, roles=roles, is_admin=is_admin)
    return membership


@transaction.atomic
def change_roles(
    actor: Actor,
    *,
    membership: Membership,
    roles: list[str],
    is_admin: bool | None = None,
    is_active: bool | None = None,
) -> Membership:
    _require_admin_of(actor, membership.organization)
    _roles_fit(membership.organization, roles)
    before = {"roles": list(membership.roles), "is_admin": membership.is_admin, "is_active": membership.is_active}
    membership.roles = list(roles)
    if is_admin is not None:
        membership.is_admin = is_admin
    if is_active is not None:
        membership.is_active = is_active
    after = {"roles": list(membership.roles), "is_admin": membership.is_admin, "is_active": membership.is_active}
    if before != after:
        membership.save()
        from safelect.core.journal.services import changes

        record(
            actor=actor.user,
            organization=_journal_org(actor, membership.organization),
            action="accounts:membership:change",
            obj=membership,
            summary=changes(before, after),
        )
    return membership


@transaction.atomic
def switch_organization(actor: Actor, *, session, membership_id: int) -> Membership:
    """Make the actor act for one of their own active memberships in this session."""
    from .middleware import SESSION_KEY

    actor.require("accounts:organization:switch")
    user = actor.user
    if user is None:
        raise PermissionDenied("sign in to choose an organization")
    membership = Membership.objects.select_related("organization").filter(pk=membership_id, user=user, is_active=True).first()
    if membership is None:
        raise PermissionDenied("not one of your memberships")
    previous = session.get(SESSION_KEY)
    session[SESSION_KEY] = membership.pk
    record(
        actor=user,
        organization=membership.organization,
        action="accounts:membership:switch",
        obj=membership,
        summary={"acting_membership": [previous, membership.pk]},
    )
    return membership


# --- invitations -------------------------------------------------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def invite(actor: Actor, *, organization, email: str, roles: list[str], is_admin: bool = False) -> tuple[Invitation, str]:
    """Invite ``email`` to ``organization``; the link (with the raw token) goes to the outbox in the
    same transaction (see :mod:`.signals`) and is retried until the mail server takes it."""
    _require_admin_of(actor, organization)
    _roles_fit(organization, roles)
    email = User.objects.normalize_email(email).strip()
    if Membership.objects.filter(organization=organization, user__email__iexact=email, is_active=True).exists():
        raise ValidationError({"email": "This person is already a member of the organization."})
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        roles=roles,
        is_admin=is_admin,
        token_hash=_hash(raw),
        invited_by=actor.user,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    record(
        actor=actor.user,
        organization=_journal_org(actor, organization),
        action="accounts:invitation:send",
        obj=invitation,
        summary={"email": email, "roles": roles, "is_admin": is_admin},
    )
    announce(
        invitation_sent,
        invitation=invitation,
        link=f"{settings.BASE_URL}/accounts/invitations/{raw}/",
        inviter=actor.user,
    )
    return invitation, raw


def find_invitation(raw: str) -> Invitation | None:
    """The open invitation for a raw token, or None (unknown, used, revoked or expired)."""
    invitation = Invitation.objects.select_related("organization", "invited_by").filter(token_hash=_hash(raw)).first()
    return invitation if invitation is not None and invitation.is_open else None


@transaction.atomic
def accept_invitation(actor: Actor, *, raw: str) -> Membership:
    """The signed-in person named by the invitation accepts it and becomes a member. The invitation
    itself is the authority (an administrator of the organization sent it)."""
    user = actor.user
    if user is None:
        raise PermissionDenied("sign in (or create your account) to accept an invitation")
    invitation = Invitation.objects.select_for_update().select_related("organization").filter(token_hash=_hash(raw)).first()
    if invitation is None or not invitation.is_open:
        raise ValidationError("This invitation is not valid: it was used, withdrawn or has expired.")
    if invitation.email.lower() != user.email.lower():
        raise PermissionDenied("This invitation was sent to another email address.")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        actor=user, organization=invitation.organization, action="accounts:invitation:accept", obj=invitation, summary={"email": user.email}
    )
    joining = Actor(user, invitation.organization, None)  # vouched for by the invitation checked above
    return add_membership(joining, organization=invitation.organization, user=user, roles=invitation.roles, is_admin=invitation.is_admin)


@transaction.atomic
def revoke_invitation(actor: Actor, *, invitation: Invitation) -> Invitation:
    _require_admin_of(actor, invitation.organization)
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record(
            actor=actor.user, organization=_journal_org(actor, invitation.organization), action="accounts:invitation:revoke", obj=invitation
        )
    return invitation


# --- API tokens --------------------------------------------------------------------------------


def token_permissions_available(actor: Actor) -> frozenset[str]:
    """What a new token may carry: the acting membership's permissions as of now (no self-service
    except reading one's own account)."""
    from .permissions import SELF_SERVICE, membership_permissions

    return frozenset(membership_permissions(actor.membership, mfa=actor.mfa) - SELF_SERVICE)


@transaction.atomic
def create_token(
    actor: Actor,
    *,
    name: str,
    permissions: list[str],
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token acting for the actor's membership with ``permissions`` ⊆ what the actor may
    do now (:func:`token_permissions_available`). Returns the token and the raw value, which is
    never shown again. A token never mints tokens: a request made with one is refused."""
    actor.require("accounts:account:manage")
    user, membership = actor.user, actor.membership
    if user is None or membership is None or membership.user_id != user.pk or not membership.is_active:
        raise PermissionDenied("a token acts for one of your own active memberships")
    if getattr(actor.source, "api_token", None) is not None:
        raise PermissionDenied("an API token cannot create tokens")
    available = token_permissions_available(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name that says where it is used."})
    extra = sorted(set(permissions) - set(available))
    if extra:
        raise ValidationError({"permissions": f"You cannot grant what you do not hold: {', '.join(extra)}."})
    if not permissions:
        raise ValidationError({"permissions": "Choose at least one permission."})
    now = timezone.now()
    expires_at = expires_at or now + dt.timedelta(days=90)
    if expires_at <= now or expires_at > now + dt.timedelta(days=TOKEN_MAX_DAYS):
        raise ValidationError({"expires_at": f"Choose an expiry between now and {TOKEN_MAX_DAYS} days from now."})
    prefix, secret = tokens.new_token_parts()
    token = ApiToken.objects.create(
        user=user,
        membership=membership,
        name=name[:100],
        prefix=prefix,
        token_hash=tokens.hash_secret(secret),
        permissions=sorted(set(permissions)),
        expires_at=expires_at,
    )
    record(
        actor=user,
        organization=membership.organization,
        action="accounts:token:create",
        obj=token,
        summary={"permissions": token.permissions, "expires_at": expires_at.isoformat()},
    )
    return token, tokens.format_token(prefix, secret)


@transaction.atomic
def revoke_token(actor: Actor, *, token: ApiToken) -> ApiToken:
    actor.require("accounts:account:manage")
    if not actor.is_system and (actor.user is None or (token.user_id != actor.user.pk and not actor.user.is_superuser)):
        raise PermissionDenied("not your token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor.user, organization=token.membership.organization, action="accounts:token:revoke", obj=token)
    return token


# --- clearances --------------------------------------------------------------------------------


@transaction.atomic
def grant_clearance(
    actor: Actor, *, user: User, level: str, kind: str, sponsor, granted_on: dt.date, expires_on: dt.date | None = None
) -> Clearance:
    actor.require(MANAGE_CLEARANCES)
    if level not in Clearance.Level.values:
        raise ValidationError({"level": f"Unknown level {level!r}."})
    if kind not in Clearance.Kind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}."})
    if kind != Clearance.Kind.FINAL and expires_on is None:
        raise ValidationError({"expires_on": "Interim and temporary clearances need an expiry date."})
    if expires_on is not None and expires_on < granted_on:
        raise ValidationError({"expires_on": "The expiry date is before the grant date."})
    clearance = Clearance.objects.create(user=user, level=level, kind=kind, sponsor=sponsor, granted_on=granted_on, expires_on=expires_on)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="accounts:clearance:grant",
        obj=clearance,
        summary={
            "user": user.email,
            "level": level,
            "kind": kind,
            "sponsor": sponsor.key,
            "granted_on": granted_on.isoformat(),
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    return clearance


@transaction.atomic
def revoke_clearance(actor: Actor, *, clearance: Clearance) -> Clearance:
    actor.require(MANAGE_CLEARANCES)
    if clearance.status != Clearance.Status.REVOKED:
        clearance.status = Clearance.Status.REVOKED
        clearance.revoked_at = timezone.now()
        clearance.save(update_fields=["status", "revoked_at"])
        record(actor=actor.user, organization=actor.organization, action="accounts:clearance:revoke", obj=clearance)
    return clearance
