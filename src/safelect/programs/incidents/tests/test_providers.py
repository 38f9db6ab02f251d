"""Election service providers (S.2261 §4(h)(2), (j)): the agencies they serve, kept by both sides;
their possible incidents, the 3-day notice to those agencies, and the agencies' linked reports."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.core.directory import services as directory
from safelect.core.directory.models import Organization, ServiceRelationship
from safelect.core.obligations.models import Obligation, Status
from safelect.core.outbox.models import Delivery, Notice
from safelect.programs.incidents import services
from safelect.programs.incidents.models import Incident

EASTERN = ZoneInfo("America/New_York")
AUTAUGA, BALDWIN, VENDOR = "jurisdiction:0100100000", "jurisdiction:0100300000", "demo:vendor:ballotworks"
CONTENT = {
    "started_at": dt.datetime(2026, 11, 2, 20, 0, tzinfo=EASTERN),
    "ended_at": None,
    "systems": ["election_night_reporting"],
    "circumstances": "Our hosted results platform saw an intrusion attempt on the publishing server.",
    "information_acquired": "None known.",
    "measures_planned": "Forensic review of the publishing server.",
    "measures_implemented": "Rotated the publishing keys.",
}


def _member(role: str, key: str):
    user, client = make_member(role, key)
    return Actor.member(Membership.objects.get(user=user)), client


@pytest.fixture
def vendor(db):
    from safelect.core.accounts.demo import create_demo_data

    create_demo_data()  # the demo vendor organization
    return _member("election_service_provider_staff", VENDOR)


def test_both_sides_keep_the_relationship_and_nobody_else(vendor):
    actor, client = vendor
    response = client.post(
        reverse("accounts:provider-links", args=[VENDOR]),
        {
            "action": "add",
            "state": Organization.objects.get(key=AUTAUGA).state_id,
            "agency_name": "Autauga County",
            "services": "Hosts the results site",
        },
        follow=True,
    )
    assert "Recorded: " in response.content.decode()
    link = ServiceRelationship.objects.get()
    assert (link.provider.key, link.agency.key) == (VENDOR, AUTAUGA)
    county, county_client = _member("local_election_official", AUTAUGA)
    assert "Hosts the results site" in county_client.get(reverse("accounts:organization", args=[AUTAUGA])).content.decode()
    neighbour, neighbour_client = _member("local_election_official", BALDWIN)
    with pytest.raises(PermissionDenied):
        directory.end_link(neighbour, link)
    assert neighbour_client.post(reverse("accounts:provider-links", args=[AUTAUGA]), {"action": "end", "link": link.pk}).status_code in (
        403,
        404,
    )
    with pytest.raises(ValidationError, match="already recorded"):
        directory.link_provider(county, provider=link.provider, agency=link.agency, services="again")
    with pytest.raises(ValidationError, match="not an election agency"):
        directory.link_provider(actor, provider=link.provider, agency=Organization.objects.get(key="federal:dhs"), services="x")
    county_client.post(reverse("accounts:provider-links", args=[AUTAUGA]), {"action": "end", "link": link.pk})
    link.refresh_from_db()
    assert link.ended_at is not None


def test_a_provider_notifies_the_agencies_it_serves_within_three_days_and_they_see_and_link_it(vendor):
    actor, _client = vendor
    county, county_client = _member("local_election_official", AUTAUGA)
    neighbour, neighbour_client = _member("local_election_official", BALDWIN)
    directory.link_provider(actor, provider=actor.organization, agency=county.organization, services="Hosts the results site")
    with time_machine.travel(dt.datetime(2026, 11, 2, 23, 0, tzinfo=EASTERN), tick=False):
        incident = services.report_possible(
            actor,
            title="Intrusion attempt on the results platform",
            aware_at=dt.datetime(2026, 11, 2, 22, 0, tzinfo=EASTERN),
            how_learned="IDS alert",
            systems=["election_night_reporting"],
        )
    assert incident.state is None and incident.stage == "Possible incident: notice to the agencies served due"
    clock = Obligation.objects.get(duty_code="S2261-4j1", subject_id=str(incident.pk))
    zone = ZoneInfo(actor.organization.time_zone)  # the provider's own zone counts
    assert clock.due_at == dt.datetime(2026, 11, 5, 23, 59, 59, 999999, tzinfo=zone)
    assert Obligation.objects.filter(duty_code="S2261-4h2", subject_id=str(incident.pk)).exists()
    assert neighbour_client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 404

    with time_machine.travel(dt.datetime(2026, 11, 4, 9, 0, tzinfo=EASTERN), tick=False):
        with pytest.raises(ValidationError, match="recorded as serving"):
            services.notify_agencies(actor, incident, CONTENT, agencies=[neighbour.organization])
        services.notify_agencies(actor, incident, CONTENT, agencies=[county.organization])
    incident.refresh_from_db()
    assert incident.stage == "Agencies served notified" and Obligation.objects.get(pk=clock.pk).status == Status.FULFILLED_ON_TIME
    notice = Notice.objects.get(kind="incidents.provider_notice")
    assert (
        Delivery.objects.filter(notice=notice, user=county.user).exists()
        and not Delivery.objects.filter(notice=notice, user=neighbour.user).exists()
    )
    assert "Intrusion attempt" in county_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert neighbour_client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 404
    with pytest.raises(ValidationError, match="national office"):
        services.notify(actor, incident, CONTENT)

    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=ZoneInfo("America/Chicago")), tick=False):
        own = services.report_possible(
            county,
            title="Our results page",
            aware_at=dt.datetime(2026, 11, 4, 9, 30, tzinfo=ZoneInfo("America/Chicago")),
            how_learned="Provider notice",
            systems=["website"],
            provider_incident=incident,
        )
        with pytest.raises(ValidationError, match="notified of"):
            services.report_possible(
                neighbour,
                title="x",
                aware_at=dt.datetime(2026, 11, 4, 9, 30, tzinfo=ZoneInfo("America/Chicago")),
                how_learned="x",
                systems=["website"],
                provider_incident=incident,
            )
    assert own.provider_incident == incident and list(incident.agency_incidents.all()) == [own]


def test_a_provider_notice_on_day_four_is_late_and_needs_the_reason(vendor):
    actor, _client = vendor
    county, _ = _member("local_election_official", AUTAUGA)
    directory.link_provider(actor, provider=actor.organization, agency=county.organization, services="Pollbooks")
    with time_machine.travel(dt.datetime(2026, 11, 2, 23, 0, tzinfo=EASTERN), tick=False):
        incident = services.report_possible(
            actor,
            title="Pollbook sync",
            aware_at=dt.datetime(2026, 11, 2, 22, 0, tzinfo=EASTERN),
            how_learned="Support ticket",
            systems=["e_pollbook"],
        )
    with time_machine.travel(dt.datetime(2026, 11, 6, 9, 0, tzinfo=EASTERN), tick=False):
        with pytest.raises(ValidationError, match="say why it is late"):
            services.notify_agencies(actor, incident, CONTENT, agencies=[county.organization])
        services.notify_agencies(
            actor, incident, CONTENT, agencies=[county.organization], late_reason="Our on-call engineer missed the alert."
        )
    assert Incident.objects.get(pk=incident.pk).notified_late
    assert Obligation.objects.get(duty_code="S2261-4j1", subject_id=str(incident.pk)).status == Status.FULFILLED_LATE
