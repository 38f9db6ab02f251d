"""Test helpers every app uses to check who may reach its routes (a pytest plugin).

Register once in the root ``conftest.py``: ``pytest_plugins = ["safelect.core.accounts.testing"]``.
Then, in any app's tests::

    def test_who_may_see_incidents(assert_access):
        assert_access("sharing:incident-list", allowed_roles={"national_program_staff", "local_election_official"})

:func:`assert_access` signs in one member of EVERY role in ``roles.ROLES`` (each at the role's
usual organization, with two-factor passed) plus an anonymous client, and asserts that the
allowed ones get 2xx (or a redirect that is not to sign-in) and the others get 401/403/404 or a
redirect to sign-in. :func:`make_member` gives one such signed-in client.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .middleware import SESSION_KEY
from .roles import ROLES

ANONYMOUS = "anonymous"

# The organization each role acts for unless a test says otherwise.
DEFAULT_ORGANIZATION = {
    "national_program_staff": "national-office",
    "regional_staff": "national-office:region:5",
    "national_leadership": "national-office",
    "clearance_officer": "national-office",
    "grants_officer": "national-office",
    "chief_state_election_official": "state:WI",
    "state_election_staff": "state:WI",
    "local_election_official": "jurisdiction:0100100000",
    "election_service_provider_staff": "demo:vendor:ballotworks",
    "researcher": "demo:research:civic-lab",
    "federal_partner_analyst": "federal:dhs",
    "isac_analyst": "isac:ms-isac",
    "audit_board_member": "jurisdiction:0100100000",
}

_serial = itertools.count(1)


def organization(key: str):
    """The organization ``key``, creating the demo ones (vendors, research lab, regional offices) if needed."""
    from safelect.core.directory.models import Organization

    from .demo import ensure_demo_organization

    found = Organization.objects.filter(key=key).first()
    return found if found is not None else ensure_demo_organization(key)


def make_member(
    role: str, organization_key=None, *, mfa: bool = True, is_admin: bool = False, email: str | None = None, password: str | None = None
):
    """A new user holding ``role`` at the organization (a key or an Organization), and a test
    client signed in as them, acting for that membership, with two-factor passed when ``mfa``."""
    from safelect.core.directory.models import Organization

    from .models import Membership, User

    org = organization_key if isinstance(organization_key, Organization) else organization(organization_key or DEFAULT_ORGANIZATION[role])
    n = next(_serial)
    email = email or f"{role.replace('_', '-')}-{n}@test.safelect.invalid"
    user = User.objects.create_user(username=email, email=email, password=password, full_name=f"Test {ROLES[role].label} {n}")
    membership = Membership.objects.create(user=user, organization=org, roles=[role], is_admin=is_admin)
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = membership.pk
    session["mfa_verified"] = bool(mfa)
    session.save()
    return user, client


def acting_request(user, mfa: bool = True):
    """A bare GET request for ``user``, acting for their default membership, as the middleware sets it up."""
    from django.test import RequestFactory

    from .middleware import ActingOrganizationMiddleware

    request = RequestFactory().get("/")
    request.user = user
    request.session = {"mfa_verified": mfa}
    ActingOrganizationMiddleware(lambda r: None)(request)
    return request


def _denied(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        return location.startswith((settings.LOGIN_URL, "/accounts/two-factor/"))
    return False


def _allowed(response) -> bool:
    return 200 <= response.status_code < 400 and not _denied(response)


def assert_access(
    route: str,
    allowed_roles: Iterable[str],
    *,
    method: str = "get",
    kwargs: dict | None = None,
    data=None,
    content_type: str | None = None,
    organization_for_role: dict | Callable | None = None,
    is_admin: bool = False,
) -> dict[str, int]:
    """Assert allow/deny for every role and for anonymous; returns role → status code.

    ``route`` is a URL name (reversed with ``kwargs``) or a path starting with ``/``.
    ``allowed_roles`` may include ``"anonymous"``. ``organization_for_role`` maps a role to an
    organization key (or is a callable role → key); default :data:`DEFAULT_ORGANIZATION`.
    """
    allowed = set(allowed_roles)
    unknown = allowed - set(ROLES) - {ANONYMOUS}
    assert not unknown, f"unknown roles in allowed_roles: {sorted(unknown)}"
    path = route if route.startswith("/") else reverse(route, kwargs=kwargs)
    extra = {"content_type": content_type} if content_type else {}
    results: dict[str, int] = {}
    wrong: list[str] = []
    for role in [*ROLES, ANONYMOUS]:
        if role == ANONYMOUS:
            client = Client()
        else:
            if callable(organization_for_role):
                key = organization_for_role(role)
            else:
                key = (organization_for_role or {}).get(role)
            _, client = make_member(role, key, is_admin=is_admin)
        response = (
            getattr(client, method.lower())(path, data, **extra) if data is not None else getattr(client, method.lower())(path, **extra)
        )
        results[role] = response.status_code
        expected_allowed = role in allowed
        ok = _allowed(response) if expected_allowed else _denied(response)
        if not ok:
            where = f" -> {response.get('Location')}" if response.has_header("Location") else ""
            wrong.append(f"{role}: expected {'allowed' if expected_allowed else 'denied'}, got {response.status_code}{where}")
    assert not wrong, f"{method.upper()} {path}:\n" + "\n".join(wrong)
    return results


@pytest.fixture
def member(db):
    """``member(role, organization_key=None, mfa=True, is_admin=False)`` → (user, signed-in client)."""
    return make_member


@pytest.fixture(name="make_member")
def make_member_fixture(db):
    return make_member


@pytest.fixture(name="assert_access")
def assert_access_fixture(db):
    return assert_access
