"""API tokens: hashed, shown once, scoped to permissions, expiring, revocable; 401 with reasons."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from safelect.core.accounts import services
from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import ApiToken, Membership
from safelect.core.accounts.permissions import membership_permissions
from safelect.core.journal.models import Entry

AUTAUGA, BALDWIN = "jurisdiction:0100100000", "jurisdiction:0100300000"


def _token(user, **kw):
    membership = Membership.objects.get(user=user)
    available = membership_permissions(membership, mfa=True)
    return services.create_token(
        Actor.member(membership), name=kw.pop("name", "test"), permissions=kw.pop("permissions", sorted(available)), **kw
    )


def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_token_created_on_the_account_page_is_shown_once_and_stored_hashed(make_member):
    user, client = make_member("local_election_official", AUTAUGA)
    response = client.post(
        "/accounts/tokens/",
        {
            "name": "EMS export",
            "permissions": ["accounts:organization:view"],
            "expires_on": (timezone.now() + dt.timedelta(days=30)).date().isoformat(),
        },
    )
    assert response.status_code == 201
    token = ApiToken.objects.get(user=user)
    raw = response.context["new_token"]
    assert raw.startswith(f"sfl_{token.prefix}_")
    secret = raw.split("_", 2)[2]
    assert secret not in token.token_hash and len(token.token_hash) == 64
    assert raw not in client.get("/accounts/").text
    assert Entry.objects.filter(action="accounts:token:create", object_id=str(token.pk)).exists()


@pytest.mark.django_db
def test_token_cannot_carry_more_than_its_creator_holds(make_member):
    user, client = make_member("local_election_official", AUTAUGA)
    response = client.post(
        "/api/accounts/tokens", {"name": "greedy", "permissions": ["accounts:clearance:manage"]}, content_type="application/json"
    )
    assert response.status_code == 422 and "cannot grant" in response.text
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_token_authenticates_acts_for_its_membership_and_is_scoped(make_member):
    user, _ = make_member("local_election_official", AUTAUGA)
    _token_obj, raw = _token(user)
    client = Client()
    me = client.get("/api/accounts/me", **_bearer(raw)).json()
    assert me["email"] == user.email and me["acting_organization"] == AUTAUGA and me["via_token"] is True
    assert client.get(f"/api/accounts/organizations/{AUTAUGA}", **_bearer(raw)).status_code == 200
    assert client.get(f"/api/accounts/organizations/{BALDWIN}", **_bearer(raw)).status_code == 404
    # A token never mints tokens nor switches organization.
    assert (
        client.post("/api/accounts/tokens", {"name": "x", "permissions": []}, content_type="application/json", **_bearer(raw)).status_code
        == 403
    )


@pytest.mark.django_db
def test_expired_revoked_and_unknown_tokens_get_401_with_the_reason(make_member):
    user, _ = make_member("local_election_official", AUTAUGA)
    token, raw = _token(user)
    client = Client()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    token.refresh_from_db()
    response = client.get("/api/accounts/me", **_bearer(raw))
    assert response.status_code == 401
    assert response.json() == {"detail": f"API token expired on {token.expires_at:%Y-%m-%d %H:%M} UTC"}
    token2, raw2 = _token(user, name="second")
    assert client.get("/api/accounts/me", **_bearer(raw2)).status_code == 200
    services.revoke_token(Actor.member(Membership.objects.get(user=user)), token=token2)
    response = client.get("/api/accounts/me", **_bearer(raw2))
    assert response.status_code == 401 and response.json() == {"detail": "API token revoked"}
    response = client.get("/api/accounts/me", **_bearer(raw2[:-2] + "xx"))
    assert response.status_code == 401 and response.json() == {"detail": "unknown API token"}
    assert Entry.objects.filter(action="accounts:token:revoke").exists()


@pytest.mark.django_db
def test_public_api_stays_open_and_anonymous_private_api_gets_401():
    client = Client()
    assert client.get("/api/directory/states/WI").status_code == 200
    response = client.get("/api/accounts/me")
    assert response.status_code == 401 and "Bearer" in response.json()["detail"]


@pytest.mark.django_db
def test_session_api_requires_csrf_for_unsafe_methods(make_member):
    user, _ = make_member("local_election_official", AUTAUGA)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        "/api/accounts/tokens", {"name": "x", "permissions": ["accounts:organization:view"]}, content_type="application/json"
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    token = client.get("/accounts/").cookies["csrftoken"].value
    response = client.post(
        "/api/accounts/tokens",
        {"name": "x", "permissions": ["accounts:organization:view"]},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201 and response.json()["token"].startswith("sfl_")


@pytest.mark.django_db
def test_the_token_form_and_list_name_permissions_in_words(make_member):
    from safelect.core.web.permissions import permission_words

    assert permission_words("engagements:engagement:view_internal") == "Engagements — see the internal columns of engagement"
    assert permission_words("obligations:statutory:record_inapplicable") == "Obligations — record as not applying: statutory"
    user, client = make_member("local_election_official", AUTAUGA)
    _token(user, permissions=["accounts:organization:view"])
    page = client.get("/accounts/").content.decode()
    assert "Accounts — see organization" in page
    assert ">accounts:organization:view<" not in page  # the code only in a tooltip
