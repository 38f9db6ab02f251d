"""The permission kernel across apps: MFA conventions, tokens, demo users, OpenAPI security."""

import json

import pytest
from django.test import Client

from safelect.core.accounts import roles
from safelect.core.accounts.demo import DEMO_USERS, create_demo_data, demo_email
from safelect.core.accounts.models import Membership, TotpDevice, User
from safelect.core.accounts.permissions import has_permission
from safelect.core.accounts.testing import acting_request as _request
from safelect.core.accounts.testing import make_member


@pytest.mark.django_db
def test_personal_and_classified_permissions_need_totp_whatever_the_role(monkeypatch):
    table = dict(roles.grants())
    table["local_election_official"] = table["local_election_official"] | {"sharing:voter:view_personal", "sharing:brief:view_classified"}
    monkeypatch.setattr(roles, "grants", lambda: table)
    user, _ = make_member("local_election_official")
    for permission in ("sharing:voter:view_personal", "sharing:brief:view_classified"):
        assert not has_permission(_request(user, mfa=False), permission)
        assert has_permission(_request(user, mfa=True), permission)
    assert has_permission(_request(user, mfa=False), "accounts:organization:view")


def test_every_grant_names_a_known_role_and_app_resource_action():
    table = roles.grants()
    assert set(table) == set(roles.ROLES)
    assert all(p.count(":") == 2 for perms in table.values() for p in perms)


@pytest.mark.django_db
def test_demo_users_cover_every_role_and_are_idempotent():
    first = create_demo_data()
    second = create_demo_data()
    assert first == second
    held = {code for m in Membership.objects.filter(user__email__endswith="@demo.safelect.invalid") for code in m.roles}
    assert held == set(roles.ROLES)
    chief = User.objects.get(email=demo_email("wi-chief"))
    assert chief.memberships.count() == 2 and TotpDevice.objects.get(user=chief).is_confirmed
    assert User.objects.get(email=demo_email("autauga")).check_password("demo-password-2026")
    assert len(first) == len(DEMO_USERS)
    for (local, _name, memberships), login in zip(DEMO_USERS, first, strict=False):
        needs_mfa = any(roles.ROLES[code].requires_mfa for _key, codes, _admin in memberships for code in codes)
        assert login.email == demo_email(local) and ("TOTP secret" in login.note) == needs_mfa


@pytest.mark.django_db
def test_openapi_documents_token_auth_on_accounts_operations():
    schema = Client().get("/api/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    assert schema["paths"]["/api/accounts/me"]["get"]["security"]


@pytest.mark.django_db
def test_openapi_document_has_no_key_twice():
    """Swagger UI refuses a document with a repeated key ("duplicated mapping key") and shows only an error."""
    repeated = []

    def pairs(items):
        keys = [key for key, _ in items]
        repeated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(items)

    json.loads(Client().get("/api/openapi.json").content, object_pairs_hook=pairs)
    assert repeated == []
