"""Every object page links to its history, and the history pages of engagements and obligations
answer (they answered 404: nobody had registered them), inside the reader's scope only."""

import datetime as dt

import pytest
from django.urls import reverse

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization, State
from safelect.core.obligations import services as obligations
from safelect.core.obligations.services import SubjectRef
from safelect.programs.engagements import services as engagements

pytestmark = pytest.mark.django_db


def test_engagement_history_is_linked_and_scoped(make_member):
    engagement = engagements.create_engagement(Actor.system(), {"state": State.objects.get(usps="WI"), "status": "pending"})
    history = reverse("journal:history", args=["engagements.engagement", engagement.pk])
    _, staff = make_member("national_program_staff")
    assert history in staff.get(reverse("engagements:detail", args=[engagement.pk])).content.decode()
    page = staff.get(history)
    assert page.status_code == 200 and "engagements:engagement:create" in page.content.decode()
    _, wisconsin = make_member("chief_state_election_official", "state:WI")
    assert wisconsin.get(history).status_code == 200
    _, minnesota = make_member("chief_state_election_official", "state:MN")
    assert minnesota.get(history).status_code == 404


def test_obligation_history_is_linked_and_scoped(make_member):
    county = Organization.objects.filter(kind="local_election_agency", state__usps="WI").order_by("pk").first()
    o = obligations.open("S2261-4i", SubjectRef("sharing.incidentreport", "h1", "Incident h1"), dt.datetime.now(dt.UTC), county)
    history = reverse("journal:history", args=["obligations.obligation", o.pk])
    _, official = make_member("local_election_official", county)
    assert history in official.get(reverse("obligations:detail", args=[o.pk])).content.decode()
    assert official.get(history).status_code == 200
    _, other = make_member("local_election_official")
    assert other.get(history).status_code == 404
