"""S.2261 §4(h), (i), (k): a possible incident, its assessment, the 3-day notice and its updates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.core.journal.models import Entry
from safelect.core.obligations.models import Obligation, Status
from safelect.core.outbox.models import Delivery, Notice
from safelect.programs.incidents import services
from safelect.programs.incidents.models import Incident, IncidentNotice

CENTRAL = ZoneInfo("America/Chicago")  # Autauga County, Alabama
AUTAUGA, BALDWIN = "jurisdiction:0100100000", "jurisdiction:0100300000"


def _actor(role: str, key: str) -> Actor:
    user, _client = make_member(role, key)
    return Actor.member(Membership.objects.get(user=user))


def _content(**changes) -> dict:
    values = {
        "started_at": dt.datetime(2026, 11, 2, 21, 0, tzinfo=CENTRAL),
        "ended_at": dt.datetime(2026, 11, 2, 23, 30, tzinfo=CENTRAL),
        "circumstances": "Repeated log-in attempts against the election night reporting site from one address range.",
        "systems": ["election_night_reporting"],
        "information_acquired": "None known.",
        "measures_planned": "Rotate the administrator credentials.",
        "measures_implemented": "Blocked the address range at the firewall.",
    }
    return {**values, **changes}


def _possible(county: Actor, **changes) -> Incident:
    values = {
        "title": "Log-in attempts on the results site",
        "aware_at": dt.datetime(2026, 11, 2, 22, 15, tzinfo=CENTRAL),
        "how_learned": "Alert from the hosting provider",
        "systems": ["election_night_reporting", "website"],
    }
    return services.report_possible(county, **{**values, **changes})


@pytest.mark.django_db
def test_a_county_reports_a_possible_incident_its_state_is_told_at_once_and_the_assessment_clock_opens():
    county = _actor("local_election_official", AUTAUGA)
    state_official, _ = make_member("chief_state_election_official", "state:AL")
    with time_machine.travel(dt.datetime(2026, 11, 2, 22, 30, tzinfo=CENTRAL), tick=False):
        incident = _possible(county)
    assert incident.reference == f"INC-2026-{incident.pk:05d}" and incident.state.usps == "AL"
    clock = Obligation.objects.get(duty_code="S2261-4h1", subject_id=str(incident.pk))
    assert clock.holder == incident.organization and clock.is_policy
    notice = Notice.objects.get(kind="incidents.possible_incident")
    channels = set(Delivery.objects.filter(notice=notice, user=state_official).values_list("channel", flat=True))
    assert channels == {"email", "inbox"}
    assert Entry.objects.filter(action="incidents:incident:report", object_id=str(incident.pk)).exists()


@pytest.mark.django_db
def test_the_notice_is_due_by_the_end_of_the_third_calendar_day_in_the_agency_s_zone_and_day_four_is_late():
    county = _actor("local_election_official", AUTAUGA)
    with time_machine.travel(dt.datetime(2026, 11, 2, 22, 30, tzinfo=CENTRAL), tick=False):
        incident = _possible(county)
        services.assess(county, incident, outcome="occurred", discovered_at=dt.datetime(2026, 11, 2, 22, 20, tzinfo=CENTRAL))
    assessed = Obligation.objects.get(duty_code="S2261-4h1", subject_id=str(incident.pk))
    assert assessed.status == Status.FULFILLED_ON_TIME
    clock = Obligation.objects.get(duty_code="S2261-4i", subject_id=str(incident.pk))
    assert clock.due_at == dt.datetime(2026, 11, 5, 23, 59, 59, 999999, tzinfo=CENTRAL)
    assert not clock.is_policy and "3 calendar days after the discovery of the incident" in clock.rule_description

    with time_machine.travel(dt.datetime(2026, 11, 6, 9, 0, tzinfo=CENTRAL), tick=False):  # day 4
        with pytest.raises(ValidationError) as refused:
            services.notify(county, incident, _content())
        assert "late_reason" in refused.value.message_dict and "2026-11-05 23:59" in refused.value.message_dict["late_reason"][0]
        assert not IncidentNotice.objects.exists()
        services.notify(county, incident, _content(), late_reason="The clerk was counting ballots until Thursday night.")
    incident.refresh_from_db()
    assert incident.notified_late and incident.late_reason.startswith("The clerk")
    assert Obligation.objects.get(pk=clock.pk).status == Status.FULFILLED_LATE
    sent = Notice.objects.get(kind="incidents.incident_notice")
    assert "Sent after the 3-day limit" in sent.email_body


@pytest.mark.django_db
def test_a_notice_on_day_three_is_on_time_and_updates_keep_every_version():
    county = _actor("local_election_official", AUTAUGA)
    with time_machine.travel(dt.datetime(2026, 11, 3, 8, 0, tzinfo=CENTRAL), tick=False):
        incident = _possible(county)
        services.assess(county, incident, outcome="occurred", discovered_at=dt.datetime(2026, 11, 3, 7, 0, tzinfo=CENTRAL))
    with time_machine.travel(dt.datetime(2026, 11, 6, 23, 0, tzinfo=CENTRAL), tick=False):
        first = services.notify(county, incident, _content())
    with time_machine.travel(dt.datetime(2026, 11, 9, 10, 0, tzinfo=CENTRAL), tick=False):
        second = services.update(
            county, incident, _content(information_acquired="A list of poll worker emails."), note="Forensics found data taken."
        )
    assert Obligation.objects.get(duty_code="S2261-4i", subject_id=str(incident.pk)).status == Status.FULFILLED_ON_TIME
    assert [n.number for n in incident.notices.all()] == [1, 2]
    first.refresh_from_db()
    assert first.information_acquired == "None known." and second.information_acquired.startswith("A list")
    assert Notice.objects.filter(kind="incidents.incident_notice").count() == 2


@pytest.mark.django_db
def test_bad_input_is_refused_in_words_and_writes_nothing():
    county = _actor("local_election_official", AUTAUGA)
    with time_machine.travel(dt.datetime(2026, 11, 2, 22, 30, tzinfo=CENTRAL), tick=False):
        with pytest.raises(ValidationError) as refused:
            _possible(county, aware_at=dt.datetime(2026, 11, 3, 9, 0, tzinfo=CENTRAL), systems=["toaster"], how_learned=" ")
        errors = refused.value.message_dict
        assert "in the future" in errors["aware_at"][0] and "toaster" in errors["systems"][0] and errors["how_learned"]
        assert not Incident.objects.exists() and not Obligation.objects.filter(duty_code="S2261-4h1").exists()
        incident = _possible(county)
        with pytest.raises(ValidationError, match="reason"):
            services.assess(county, incident, outcome="no_incident")
        with pytest.raises(ValidationError, match="future"):
            services.assess(county, incident, outcome="occurred", discovered_at=dt.datetime(2026, 11, 4, tzinfo=CENTRAL))
        with pytest.raises(ValidationError, match="next review"):
            services.assess(county, incident, outcome="assessing")
        with pytest.raises(ValidationError, match="assessment"):
            services.notify(county, incident, _content())
        services.assess(county, incident, outcome="occurred", discovered_at=dt.datetime(2026, 11, 2, 22, 0, tzinfo=CENTRAL))
        with pytest.raises(ValidationError) as refused:
            services.notify(
                county, incident, _content(circumstances="", measures_planned="", ended_at=dt.datetime(2026, 11, 2, 20, 0, tzinfo=CENTRAL))
            )
        errors = refused.value.message_dict
        assert "§4(k)(1)(B)" in errors["circumstances"][0] and "§4(k)(1)(C)" in errors["measures_planned"][0]
        assert "before it started" in errors["ended_at"][0]
    assert not IncidentNotice.objects.exists() and Incident.objects.get().notified_at is None


@pytest.mark.django_db
def test_only_the_reporting_agency_writes_and_others_get_404_or_403():
    county = _actor("local_election_official", AUTAUGA)
    with time_machine.travel(dt.datetime(2026, 11, 2, 22, 30, tzinfo=CENTRAL), tick=False):
        incident = _possible(county)
    neighbour = _actor("local_election_official", BALDWIN)
    with pytest.raises(Http404):
        services.assess(neighbour, incident, outcome="no_incident", reason="not ours")
    state = _actor("chief_state_election_official", "state:AL")  # sees the county's incident, does not file for it
    with pytest.raises(PermissionDenied):
        services.assess(state, incident, outcome="no_incident", reason="false alarm")
    staff = _actor("national_program_staff", "national-office")
    with pytest.raises(PermissionDenied):
        services.assess(staff, incident, outcome="no_incident", reason="false alarm")
    with pytest.raises(PermissionDenied):
        services.report_possible(staff, title="x", aware_at=incident.aware_at, how_learned="x", systems=["email"])
    dhs = _actor("federal_partner_analyst", "federal:dhs")
    with pytest.raises(PermissionDenied):
        services.report_possible(dhs, title="x", aware_at=incident.aware_at, how_learned="x", systems=["email"])
    vendor = _actor("election_service_provider_staff", "demo:vendor:ballotworks")
    with pytest.raises(Http404):  # a provider not notified of it does not see the county's incident
        services.assess(vendor, incident, outcome="no_incident", reason="x")
    assert Incident.objects.get().assessment == Incident.Assessment.ASSESSING


@pytest.mark.django_db
def test_the_same_idempotency_key_never_records_two_incidents():
    county = _actor("local_election_official", AUTAUGA)
    with time_machine.travel(dt.datetime(2026, 11, 2, 22, 30, tzinfo=CENTRAL), tick=False):
        first = _possible(county, idempotency_key="enr-2026-11-02-1")
        again = _possible(county, idempotency_key="enr-2026-11-02-1")
        other = _possible(county, idempotency_key="enr-2026-11-02-2")
    assert first.pk == again.pk != other.pk
    assert Incident.objects.count() == 2 and Notice.objects.filter(kind="incidents.possible_incident").count() == 2
