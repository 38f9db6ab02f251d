"""The kernel's services check permission and object scope themselves, whatever calls them.

Each write is attempted as an actor that a page would never offer it to (another organization's
administrator, a member without the permission, a person acting for nobody), directly at the
service, and must be refused with nothing changed.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from safelect.core.accounts import services as accounts
from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import ApiToken, Clearance, Invitation, Membership
from safelect.core.directory.models import Organization
from safelect.core.outbox import services as outbox
from safelect.core.outbox.models import InboxItem, WebhookEndpoint
from safelect.core.outbox.testing import deliver_pending

pytestmark = pytest.mark.django_db
AUTAUGA, BALDWIN = "jurisdiction:0100100000", "jurisdiction:0100300000"


def _actor(make_member, role, key, **kw):
    user, _ = make_member(role, key, **kw)
    return Actor.member(Membership.objects.get(user=user))


def test_members_are_managed_only_by_an_administrator_of_that_organization(make_member):
    baldwin = Organization.objects.get(key=BALDWIN)
    autauga_admin = _actor(make_member, "local_election_official", AUTAUGA, is_admin=True)
    baldwin_member = _actor(make_member, "local_election_official", BALDWIN)
    for actor in (autauga_admin, baldwin_member, Actor.person(baldwin_member.user)):
        with pytest.raises(PermissionDenied):
            accounts.invite(actor, organization=baldwin, email="x@test.safelect.invalid", roles=["local_election_official"])
        with pytest.raises(PermissionDenied):
            accounts.change_roles(actor, membership=baldwin_member.membership, roles=["local_election_official"], is_admin=True)
    assert not Invitation.objects.filter(email="x@test.safelect.invalid").exists()
    assert Membership.objects.get(pk=baldwin_member.membership.pk).is_admin is False
    baldwin_admin = _actor(make_member, "local_election_official", BALDWIN, is_admin=True)
    with transaction.atomic():
        invitation, _ = accounts.invite(
            baldwin_admin, organization=baldwin, email="y@test.safelect.invalid", roles=["local_election_official"]
        )
    with pytest.raises(PermissionDenied):
        accounts.revoke_invitation(autauga_admin, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    accounts.revoke_invitation(baldwin_admin, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_clearances_need_the_clearance_officer(make_member):
    official = _actor(make_member, "chief_state_election_official", "state:WI")
    sponsor = Organization.objects.get(key="national-office")
    with pytest.raises(PermissionDenied):
        accounts.grant_clearance(
            official, user=official.user, level="secret", kind="final", sponsor=sponsor, granted_on=dt.date(2026, 1, 5)
        )
    assert not Clearance.objects.filter(user=official.user).exists()


def test_tokens_belong_to_their_owner(make_member):
    owner = _actor(make_member, "local_election_official", AUTAUGA)
    other = _actor(make_member, "local_election_official", BALDWIN)
    with pytest.raises(PermissionDenied):  # the system acts for no membership: there is nobody to act for
        accounts.create_token(Actor.system(), name="x", permissions=["accounts:organization:view"])
    with pytest.raises(Exception, match="do not hold"):
        accounts.create_token(owner, name="x", permissions=["accounts:clearance:manage"])
    token, _ = accounts.create_token(owner, name="mine", permissions=["accounts:organization:view"])
    with pytest.raises(PermissionDenied):
        accounts.revoke_token(other, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_webhooks_and_inboxes_stay_with_their_organization_and_person(make_member):
    wi = _actor(make_member, "chief_state_election_official", "state:WI")
    mn = _actor(make_member, "chief_state_election_official", "state:MN")
    minnesota = Organization.objects.get(key="state:MN")
    with pytest.raises(PermissionDenied):
        outbox.register_webhook(wi, organization=minnesota, url="https://hooks.mn.example/in")
    assert not WebhookEndpoint.objects.filter(organization=minnesota).exists()
    endpoint = WebhookEndpoint.objects.create(organization=minnesota, url="https://hooks.mn.example/in", secret="s" * 32)
    with pytest.raises(PermissionDenied):
        outbox.deactivate_webhook(wi, endpoint=endpoint)
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).is_active
    with transaction.atomic():
        outbox.send("outbox.announcement", context={"title": "t", "message": "m", "organization_kinds": ["state_election_office"]})
    deliver_pending()
    theirs = list(InboxItem.objects.filter(user=mn.user).values_list("pk", flat=True))
    assert theirs  # the announcement reached Minnesota's official
    assert outbox.mark_read(wi, theirs) == 0  # another person's items are never touched
    assert not InboxItem.objects.filter(user=mn.user, read_at__isnull=False).exists()
