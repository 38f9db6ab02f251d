"""The home page: the front door for the public, a desk for each signed-in person."""

import datetime as dt

import pytest
from django.test import Client

from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Organization
from safelect.core.obligations import services
from safelect.core.obligations.services import SubjectRef

pytestmark = pytest.mark.django_db


def test_the_public_sees_the_front_door_not_a_desk():
    page = Client().get("/").content.decode()
    assert "Election infrastructure security" in page and "Your desk" not in page


def test_a_state_official_sees_deadlines_notices_and_the_state_at_a_glance():
    wisconsin = Organization.objects.get(key="state:WI")
    county = Organization.objects.filter(kind="local_election_agency", state__usps="WI").order_by("pk").first()
    services.open(
        "S2261-4i", SubjectRef("sharing.incidentreport", "1", "Incident at the State"), dt.datetime(2026, 1, 5, tzinfo=dt.UTC), wisconsin
    )
    services.open(
        "S2261-4i", SubjectRef("sharing.incidentreport", "2", "Incident in a county"), dt.datetime(2026, 1, 5, tzinfo=dt.UTC), county
    )
    _, client = make_member("state_election_staff", "state:WI")
    page = client.get("/").content.decode()
    assert "Your desk" in page and "Next deadlines" in page and "Incident at the State" in page
    assert "Wisconsin at a glance" in page and "2 overdue" in page  # the State's and its county's
    assert "Unread notices" in page and "My open follow-ups" in page


def test_a_county_official_sees_only_their_own_panels():
    _, client = make_member("local_election_official", "jurisdiction:0100100000")
    page = client.get("/").content.decode()
    assert "Next deadlines" in page and "at a glance" not in page
    assert "My open follow-ups" not in page  # county officials do not open the engagement record
