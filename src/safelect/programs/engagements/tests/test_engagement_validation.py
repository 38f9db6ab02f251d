"""Bad engagement input is refused with a field message and never reaches the database as a 500.

schemathesis found every server error of the API in one place: ``status`` was not validated, so an
unknown or 50-character value raised inside the database. A "held" meeting could also be dated in
the future.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safelect.core.directory.models import State
from safelect.programs.engagements import services
from safelect.programs.engagements.access import Actor
from safelect.programs.engagements.models import Engagement

pytestmark = pytest.mark.django_db


def _post(client, body):
    return client.post("/api/engagements/records", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("status", ["bogus", "x" * 50, "", "DATED"])
def test_unknown_statuses_are_refused_with_422(make_member, status):
    _, staff = make_member("national_program_staff")
    before = Engagement.objects.count()
    response = _post(staff, {"state": "WI", "status": status, "meeting_date": "2026-03-02"})
    assert response.status_code == 422 and "status" in response.content.decode()
    assert Engagement.objects.count() == before


def test_a_patch_with_an_unknown_status_is_refused(make_member):
    _, staff = make_member("national_program_staff")
    created = _post(staff, {"state": "WI", "status": "pending"}).json()
    response = staff.patch(f"/api/engagements/records/{created['id']}", json.dumps({"status": "y" * 40}), content_type="application/json")
    assert response.status_code == 422
    assert Engagement.objects.get(pk=created["id"]).status == "pending"


def test_the_service_refuses_an_unknown_status_whatever_the_caller():
    with pytest.raises(ValidationError) as refused:
        services.create_engagement(Actor.system(), {"state": State.objects.get(usps="WI"), "status": "held-ish"})
    assert "status" in refused.value.message_dict


def test_a_held_meeting_cannot_be_dated_in_the_future_but_a_scheduled_one_can(make_member):
    _, staff = make_member("national_program_staff")
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    refused = _post(staff, {"state": "WI", "status": "dated", "meeting_date": future})
    assert refused.status_code == 422 and "cannot be dated in the future" in refused.content.decode()
    assert _post(staff, {"state": "WI", "status": "scheduled", "meeting_date": future}).status_code == 201


def test_points_of_contact_do_not_reveal_which_addresses_have_accounts(make_member):
    _, staff = make_member("national_program_staff")
    county_user, _ = make_member("local_election_official")
    answers = []
    for address in (county_user.email, "nobody-at-all@test.safelect.invalid"):
        response = _post(staff, {"state": "WI", "status": "pending", "points_of_contact": [address]})
        assert response.status_code == 422
        answers.append(response.json()["detail"].replace(address, "ADDRESS"))
    assert answers[0] == answers[1]


def test_the_coverage_filter_refuses_from_after_to(make_member):
    _, staff = make_member("national_program_staff")
    page = staff.get("/engagements/coverage/", {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert page.status_code == 200 and "the end of the period is before its start" in page.content.decode()
