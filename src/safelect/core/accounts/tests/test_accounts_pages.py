"""Who reaches each accounts route (every role plus anonymous), scope by URL and API, the
switcher, invitations and clearances."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from safelect.core.accounts import services
from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Clearance, Invitation, Membership, User
from safelect.core.accounts.queries import has_clearance
from safelect.core.accounts.roles import ROLES
from safelect.core.directory.models import Organization
from safelect.core.journal.models import Entry
from safelect.core.outbox.testing import deliver_pending

AUTAUGA, BALDWIN = "jurisdiction:0100100000", "jurisdiction:0100300000"
EVERY_ROLE = set(ROLES)
NATIONAL = {"national_program_staff", "national_leadership", "clearance_officer", "grants_officer"}
AT_AUTAUGA = {"local_election_official", "audit_board_member"}


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["accounts:sign-in", "accounts:password-reset"])
def test_public_pages(assert_access, route):
    assert_access(route, EVERY_ROLE | {"anonymous"})


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["accounts:account", "accounts:organizations", "accounts:two-factor-setup", "accounts:two-factor"])
def test_self_service_pages_need_a_sign_in(assert_access, route):
    assert_access(route, EVERY_ROLE)


@pytest.mark.django_db
def test_organization_profile_page_and_api_are_scoped(assert_access):
    assert_access("accounts:organization", NATIONAL | AT_AUTAUGA, kwargs={"key": AUTAUGA})
    assert_access(f"/api/accounts/organizations/{AUTAUGA}", NATIONAL | AT_AUTAUGA)
    wisconsin = {"chief_state_election_official", "state_election_staff", "regional_staff"} | NATIONAL
    assert_access("accounts:organization", wisconsin, kwargs={"key": "jurisdiction:00875"})  # Town of Albion, Dane County, WI (region 5)


@pytest.mark.django_db
def test_members_page_is_for_the_organizations_admins(assert_access):
    assert_access("accounts:members", AT_AUTAUGA, kwargs={"key": AUTAUGA}, is_admin=True)
    assert_access("accounts:members", set(), kwargs={"key": AUTAUGA}, is_admin=False)
    assert_access(f"/api/accounts/organizations/{AUTAUGA}/members", AT_AUTAUGA, is_admin=True)


@pytest.mark.django_db
def test_clearance_register_is_for_clearance_officers(assert_access):
    assert_access("accounts:clearances", {"clearance_officer"})
    assert_access("/api/accounts/clearances", {"clearance_officer"})


@pytest.mark.django_db
def test_api_me_and_token_creation(assert_access):
    assert_access("/api/accounts/me", EVERY_ROLE)
    expires = (timezone.now() + dt.timedelta(days=10)).date().isoformat()
    assert_access(
        "accounts:token-create",
        EVERY_ROLE,
        method="post",
        data={"name": "t", "permissions": ["accounts:organization:view"], "expires_on": expires},
    )


@pytest.mark.django_db
def test_county_official_gets_404_for_the_neighbouring_county(make_member):
    _, client = make_member("local_election_official", AUTAUGA, is_admin=True)
    assert client.get(f"/accounts/organizations/{AUTAUGA}/").status_code == 200
    assert client.get(f"/accounts/organizations/{BALDWIN}/").status_code == 404
    assert client.get(f"/accounts/organizations/{BALDWIN}/members/").status_code == 404
    assert client.get(f"/api/accounts/organizations/{BALDWIN}").status_code == 404
    assert client.get(f"/api/accounts/organizations/{BALDWIN}/members").status_code == 404


@pytest.mark.django_db
def test_switching_organization_changes_scope_and_is_journaled(make_member):
    user, client = make_member("chief_state_election_official", "state:WI")
    minnesota = Membership.objects.create(user=user, organization=Organization.objects.get(key="state:MN"), roles=["state_election_staff"])
    assert client.get("/api/accounts/me").json()["acting_organization"] == "state:WI"
    page = client.get("/accounts/organizations/")
    assert "Wisconsin" in page.text and "Minnesota" in page.text
    response = client.post("/accounts/organizations/", {"membership": minnesota.pk})
    assert response.status_code == 302
    assert client.get("/api/accounts/me").json()["acting_organization"] == "state:MN"
    assert client.get("/accounts/organizations/state:WI/").status_code == 404
    assert "Acting for Minnesota" in client.get("/accounts/").text
    entry = Entry.objects.filter(action="accounts:membership:switch").latest("sequence")
    assert entry.organization_id == minnesota.organization_id and entry.actor_id == user.pk
    # Someone else's membership cannot be chosen.
    other, _ = make_member("local_election_official", AUTAUGA)
    client.post("/accounts/organizations/", {"membership": Membership.objects.get(user=other).pk})
    assert client.get("/api/accounts/me").json()["acting_organization"] == "state:MN"


@pytest.mark.django_db
def test_invitation_by_email_creates_account_and_membership(make_member, smtp_server):
    admin, client = make_member("local_election_official", AUTAUGA, is_admin=True)
    response = client.post(
        f"/accounts/organizations/{AUTAUGA}/members/", {"email": "new.clerk@test.safelect.invalid", "roles": ["local_election_official"]}
    )
    assert response.status_code == 302 and deliver_pending() == 1
    invitation = Invitation.objects.get()
    link = next(w for w in smtp_server.messages[0].get_content().split() if "/accounts/invitations/" in w)
    raw = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash != raw and len(invitation.token_hash) == 64
    # A role the organization cannot hold is refused with a field message.
    response = client.post(f"/accounts/organizations/{AUTAUGA}/members/", {"email": "x@test.safelect.invalid", "roles": ["researcher"]})
    assert response.status_code == 400
    newcomer = Client()
    path = f"/accounts/invitations/{raw}/"
    assert newcomer.get(path).status_code == 200
    pw = "a long enough passphrase 77"
    response = newcomer.post(path, {"full_name": "New Clerk", "password1": pw, "password2": pw})
    assert response.status_code == 302
    user = User.objects.get(email="new.clerk@test.safelect.invalid")
    assert Membership.objects.get(user=user).organization.key == AUTAUGA
    assert Client().get(path).status_code == 404  # single use
    assert Entry.objects.filter(action="accounts:invitation:accept").exists()
    assert Entry.objects.filter(action="accounts:invitation:send").exists()


@pytest.mark.django_db
def test_expired_invitation_is_refused(make_member):
    admin, _ = make_member("local_election_official", AUTAUGA, is_admin=True)
    invitation, raw = services.invite(
        Actor.member(Membership.objects.get(user=admin)),
        organization=Organization.objects.get(key=AUTAUGA),
        email="late@test.safelect.invalid",
        roles=["local_election_official"],
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get(f"/accounts/invitations/{raw}/").status_code == 404


@pytest.mark.django_db
def test_clearance_officer_grants_and_revokes(make_member):
    officer, client = make_member("clearance_officer")
    person, person_client = make_member("state_election_staff", "state:WI")
    today = timezone.now().date()
    response = client.post(
        "/accounts/clearances/",
        {"email": person.email, "level": "secret", "kind": "interim", "sponsor": "national-office", "granted_on": today.isoformat()},
    )
    assert response.status_code == 400 and "need an expiry date" in response.text
    response = client.post(
        "/accounts/clearances/",
        {
            "email": person.email,
            "level": "secret",
            "kind": "interim",
            "sponsor": "national-office",
            "granted_on": today.isoformat(),
            "expires_on": (today + dt.timedelta(days=180)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert has_clearance(person, "confidential") and has_clearance(person, "secret") and not has_clearance(person, "top_secret")
    assert not has_clearance(person, "secret", on=today + dt.timedelta(days=181))
    assert "Secret" in person_client.get("/accounts/").text
    clearance = Clearance.objects.get(user=person)
    assert client.post(f"/accounts/clearances/{clearance.pk}/revoke/").status_code == 302
    assert not has_clearance(person, "confidential")
    assert person_client.post(f"/accounts/clearances/{clearance.pk}/revoke/").status_code == 403
    assert list(Entry.objects.filter(action__startswith="accounts:clearance:").values_list("action", flat=True).order_by("sequence")) == [
        "accounts:clearance:grant",
        "accounts:clearance:revoke",
    ]


@pytest.mark.django_db
def test_token_revoke_is_for_the_owner_only(make_member):
    owner, owner_client = make_member("local_election_official", AUTAUGA)
    membership = Membership.objects.get(user=owner)
    token, _ = services.create_token(Actor.member(membership), name="t", permissions=["accounts:organization:view"])
    _, other = make_member("local_election_official", BALDWIN)
    assert other.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert owner_client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_account_nav_shows_acting_organization_and_sign_out(make_member):
    _, client = make_member("local_election_official", AUTAUGA)
    page = client.get("/").text
    assert "Acting for Autauga County" in page and 'action="/accounts/sign-out/"' in page
    assert "Sign in" in Client().get("/").text


@pytest.mark.django_db
def test_invitations_show_role_names_not_codes(make_member):
    admin, client = make_member("local_election_official", AUTAUGA, is_admin=True)
    invitation, raw = services.invite(
        Actor.member(Membership.objects.get(user=admin)),
        organization=Organization.objects.get(key=AUTAUGA),
        email="named@test.safelect.invalid",
        roles=["local_election_official"],
    )
    members = client.get(f"/accounts/organizations/{AUTAUGA}/members/").content.decode()
    assert "named@test.safelect.invalid — Local election official" in members
    page = Client().get(f"/accounts/invitations/{raw}/").content.decode()
    assert "Local election official" in page and "local_election_official" not in page
