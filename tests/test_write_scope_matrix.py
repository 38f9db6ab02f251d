"""Every role × every API write that names an object × objects of other organizations.

Reads already held everywhere when safelect was attacked; writes did not (obligations: see
``test_obligation_write_scope``). Here each write operation of every app is tried by one member of
every role (at the role's usual organization, two-factor passed, organization admin where the
route needs it) against a fresh object that belongs to someone else: another person's token,
inbox item and webhook, a Vermont engagement (region 1; the regional staff member is region 5),
another State's organization. Only the roles listed may succeed; for everyone else the answer is
401/403/404/422 *and* the object is unchanged in the database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction

from safelect.core.accounts import services as accounts
from safelect.core.accounts.models import ApiToken, Clearance, Invitation, Membership
from safelect.core.accounts.roles import ROLES
from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Organization, State
from safelect.core.outbox import services as outbox
from safelect.core.outbox.models import InboxItem, WebhookEndpoint
from safelect.programs.engagements import services as engagements
from safelect.programs.engagements.access import Actor
from safelect.programs.engagements.models import Engagement, FollowUp, ReviewFlag

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system()


def _stranger(role="local_election_official", org="jurisdiction:0100100000"):
    user, _ = make_member(role, org)
    return user, Membership.objects.get(user=user)


def _vermont_engagement() -> Engagement:
    vermont = State.objects.get(usps="VT")
    return engagements.create_engagement(SYSTEM, {"state": vermont, "status": "pending", "notes": "original"})


@dataclass
class Write:
    name: str
    method: str
    make: Callable[[], object]  # creates the target; returns it
    path: Callable[[object], str]
    body: dict | None
    changed: Callable[[object], bool]  # did the write take effect?
    allowed: frozenset[str] = frozenset()
    admin: bool = False


def _token():
    user, membership = _stranger()
    token, _ = accounts.create_token(Actor.member(membership), name="theirs", permissions=["accounts:organization:view"])
    return token


def _clearance():
    user, _ = _stranger()
    sponsor = Organization.objects.get(key="national-office")
    return accounts.grant_clearance(
        Actor.system(sponsor), user=user, level="secret", kind="final", sponsor=sponsor, granted_on=dt.date(2026, 1, 5)
    )


def _inbox_item():
    from safelect.core.outbox import delivery

    user, membership = _stranger()
    with transaction.atomic():
        notice = outbox.send(
            "outbox.announcement", context={"title": "theirs", "message": "m", "organization_kinds": ["local_election_agency"]}
        )
    delivery.deliver_notice(notice.pk, "inbox")
    return InboxItem.objects.get(user=user, notice=notice)


def _webhook():
    org = Organization.objects.get(key="state:MN")
    return WebhookEndpoint.objects.create(organization=org, url="https://hooks.mn.example/in", secret="s" * 32)


def _follow_up():
    engagement = _vermont_engagement()
    return engagements.open_follow_up(SYSTEM, engagement, "Send the checklist", dt.date(2026, 12, 31), owner_text="Region 1")


def _flag():
    engagement = _vermont_engagement()
    return ReviewFlag.objects.create(engagement=engagement, kind="unknown_state", field="state", message="check the State")


def _fresh(model, obj):
    return model.objects.get(pk=obj.pk)


WRITES = [
    Write(
        "revoke someone else's API token",
        "post",
        _token,
        lambda t: f"/api/accounts/tokens/{t.pk}/revoke",
        None,
        lambda t: _fresh(ApiToken, t).revoked_at is not None,
    ),
    Write(
        "revoke a clearance",
        "post",
        _clearance,
        lambda c: f"/api/accounts/clearances/{c.pk}/revoke",
        None,
        lambda c: _fresh(Clearance, c).revoked_at is not None,
        frozenset({"clearance_officer"}),
    ),
    Write(
        "invite into another State's office",
        "post",
        lambda: Organization.objects.get(key="state:MN"),
        lambda o: f"/api/accounts/organizations/{o.key}/invitations",
        {"email": "intruder@test.safelect.invalid", "roles": ["state_election_staff"]},
        lambda o: Invitation.objects.filter(organization=o, email="intruder@test.safelect.invalid").exists(),
        admin=True,
    ),
    Write(
        "mark someone else's notice read",
        "post",
        _inbox_item,
        lambda i: f"/api/outbox/inbox/{i.pk}/read",
        None,
        lambda i: _fresh(InboxItem, i).read_at is not None,
    ),
    Write(
        "delete another organization's webhook",
        "delete",
        _webhook,
        lambda w: f"/api/outbox/webhooks/{w.pk}",
        None,
        lambda w: not _fresh(WebhookEndpoint, w).is_active,
        admin=True,
    ),
    Write(
        "edit a Vermont engagement",
        "patch",
        _vermont_engagement,
        lambda e: f"/api/engagements/records/{e.pk}",
        {"texts": {"notes": "rewritten"}},
        lambda e: _fresh(Engagement, e).text("notes").internal() == "rewritten",
        frozenset({"national_program_staff"}),
    ),
    Write(
        "open a follow-up on a Vermont engagement",
        "post",
        _vermont_engagement,
        lambda e: f"/api/engagements/records/{e.pk}/follow-ups",
        {"description": "x", "due_date": "2026-12-31", "owner_text": "me"},
        lambda e: FollowUp.objects.filter(engagement_id=e.pk).exists(),
        frozenset({"national_program_staff"}),
    ),
    Write(
        "close a Vermont follow-up",
        "post",
        _follow_up,
        lambda f: f"/api/engagements/follow-ups/{f.pk}/close",
        {"outcome": "cancelled", "note": "not needed"},
        lambda f: _fresh(FollowUp, f).status != "open",
        frozenset({"national_program_staff"}),
    ),
    Write(
        "resolve a Vermont review flag",
        "post",
        _flag,
        lambda f: f"/api/engagements/flags/{f.pk}/resolve",
        {"outcome": "dismissed", "note": "fine"},
        lambda f: _fresh(ReviewFlag, f).status != "open",
        frozenset({"national_program_staff"}),
    ),
]


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_only_the_listed_roles_change_another_organizations_object(write):
    wrong = []
    for role in ROLES:
        target = write.make()
        _, client = make_member(role, is_admin=write.admin)
        body = json.dumps(write.body) if write.body is not None else None
        response = getattr(client, write.method)(write.path(target), body, content_type="application/json")
        took_effect = write.changed(target)
        if role in write.allowed:
            if not (200 <= response.status_code < 300 and took_effect):
                wrong.append(f"{role}: expected the write to succeed, got {response.status_code} {response.content[:200]!r}")
        elif response.status_code not in (401, 403, 404, 422) or took_effect:
            wrong.append(f"{role}: expected refusal with nothing changed, got {response.status_code}, changed={took_effect}")
    assert not wrong, f"{write.name}:\n" + "\n".join(wrong)
