"""Who may do what: ``has_permission(request, permission)`` and the accounts app's own grants.

The acting membership (set by :mod:`.middleware`) decides. Its roles' permissions count, except:

* roles with ``requires_mfa`` count only once the session passed TOTP (``session["mfa_verified"]``)
  or the request carries an API token (whose creation required it);
* permissions ending in ``:view_classified`` or ``:view_personal`` need TOTP whatever the role
  ("anyone who can see classified or personal data" signs in with two factors);
* an API token narrows the permissions to the subset it was created with;
* a membership flagged ``is_admin`` adds :data:`ADMIN_PERMISSIONS` (managing its own members);
* :data:`SELF_SERVICE` permissions (a person's own account) belong to every signed-in person.

Superusers pass every check.
"""

from __future__ import annotations

from .roles import ROLES, permissions_of

MFA_PERMISSION_SUFFIXES = (":view_classified", ":view_personal")

# A person's own account: every signed-in person, whatever their memberships.
SELF_SERVICE = frozenset({"accounts:account:view", "accounts:account:manage", "accounts:organization:switch"})
# Of those, what an API token may use (a token never mints tokens or switches organization).
TOKEN_SELF_SERVICE = frozenset({"accounts:account:view"})
# Added by Membership.is_admin.
ADMIN_PERMISSIONS = frozenset({"accounts:member:manage"})

GRANTS = {
    **{code: ["accounts:organization:view"] for code in ROLES},
    "clearance_officer": ["accounts:organization:view", "accounts:clearance:manage"],
}

_CACHE = "_safelect_permissions"


def permission_needs_mfa(permission: str) -> bool:
    return permission.endswith(MFA_PERMISSION_SUFFIXES)


def mfa_satisfied(request) -> bool:
    if getattr(request, "api_token", None) is not None:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("mfa_verified"))


def membership_permissions(membership, *, mfa: bool) -> frozenset[str]:
    """The permissions one membership gives, with or without a passed second factor."""
    if membership is None or not membership.is_active:
        return frozenset()
    roles = [code for code in membership.roles if code in ROLES and (mfa or not ROLES[code].requires_mfa)]
    granted = set(permissions_of(roles))
    if membership.is_admin:
        granted |= ADMIN_PERMISSIONS
    if not mfa:
        granted = {p for p in granted if not permission_needs_mfa(p)}
    return frozenset(granted)


def effective_permissions(request) -> frozenset[str]:
    """Everything the request may do now (cached on the request)."""
    cached = getattr(request, _CACHE, None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        result: frozenset[str] = frozenset()
    else:
        token = getattr(request, "api_token", None)
        granted = set(membership_permissions(getattr(request, "acting_membership", None), mfa=mfa_satisfied(request)))
        if token is not None:
            granted = (granted & set(token.permissions)) | TOKEN_SELF_SERVICE
        else:
            granted |= SELF_SERVICE
        result = frozenset(granted)
    try:
        setattr(request, _CACHE, result)
    except AttributeError:  # pragma: no cover - exotic request objects
        pass
    return result


def has_permission(request, permission: str) -> bool:
    """True when the request, acting for its organization, holds ``permission``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return permission in effective_permissions(request)


def would_have_with_mfa(request, permission: str) -> bool:
    """True when passing TOTP would grant ``permission`` (used to send people to two-factor sign-in)."""
    if mfa_satisfied(request):
        return False
    return permission in membership_permissions(getattr(request, "acting_membership", None), mfa=True)


def user_requires_mfa(user) -> bool:
    """Anyone holding a role that requires TOTP, or a permission to see classified or personal data."""
    if user.is_superuser:
        return True
    for membership in user.memberships.filter(is_active=True):
        if any(ROLES[c].requires_mfa for c in membership.roles if c in ROLES):
            return True
        if any(permission_needs_mfa(p) for p in membership_permissions(membership, mfa=True)):
            return True
    return False
