"""Significant incidents and the notification of Congress (S.2261 §4(p))."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.core.obligations.models import Obligation, Status
from safelect.core.outbox.models import Delivery, Notice
from safelect.programs.incidents import services, significance
from safelect.programs.incidents.models import CongressNotification, SignificantDetermination

CENTRAL = ZoneInfo("America/Chicago")
EASTERN = ZoneInfo("America/New_York")  # the national office's zone
SHARED = Path(__file__).resolve().parents[5].parent / "shared" / "data"
CRITERIA = [
    ("registration_access", "Confirmed unauthorised access to a voter registration database"),
    ("votes_affected", "Votes or vote counts could have been altered"),
    ("multi_jurisdiction", "More than one jurisdiction affected"),
]
CONTENT = {
    "started_at": dt.datetime(2026, 11, 2, 18, 0, tzinfo=CENTRAL),
    "ended_at": None,
    "systems": ["voter_registration_database"],
    "circumstances": "An attacker used a stolen clerk account to read the county's registration records.",
    "information_acquired": "Names and addresses of 1,200 voters.",
    "measures_planned": "Forensic review.",
    "measures_implemented": "Disabled the account.",
}


def _actor(role: str, key: str | None = None) -> Actor:
    user, _ = make_member(role, key)
    return Actor.member(Membership.objects.get(user=user))


@pytest.fixture
def notified_incident(db):
    county = _actor("local_election_official", "jurisdiction:0100100000")
    with time_machine.travel(dt.datetime(2026, 11, 3, 8, 0, tzinfo=CENTRAL), tick=False):
        incident = services.report_possible(
            county,
            title="Registration records read",
            aware_at=dt.datetime(2026, 11, 3, 7, 0, tzinfo=CENTRAL),
            how_learned="Audit log",
            systems=["voter_registration_database"],
        )
        services.assess(county, incident, outcome="occurred", discovered_at=dt.datetime(2026, 11, 3, 7, 30, tzinfo=CENTRAL))
        services.notify(county, incident, CONTENT)
    return county, incident


def _define(director: Actor):
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, 0, tzinfo=EASTERN), tick=False):
        return significance.adopt_definition(
            director, text="An incident is significant when …", criteria=CRITERIA, adopted_on=dt.date(2026, 1, 10)
        )


@pytest.mark.django_db
def test_leadership_adopts_and_submits_the_definition_and_no_one_else_may():
    director = _actor("national_leadership")
    with pytest.raises(PermissionDenied):
        significance.adopt_definition(_actor("national_program_staff"), text="x", criteria=CRITERIA, adopted_on=dt.date(2026, 1, 10))
    with pytest.raises(ValidationError, match="own code"):
        significance.adopt_definition(director, text="x", criteria=[("a", "A"), ("a", "B")], adopted_on=dt.date(2026, 1, 10))
    first = _define(director)
    second = significance.adopt_definition(director, text="Revised", criteria=CRITERIA[:2], adopted_on=dt.date(2026, 2, 1))
    assert (first.version, second.version) == (1, 2) and significance.current_definition() == second
    with pytest.raises(ValidationError, match="before it was adopted"):
        significance.record_submission(director, second, dt.date(2026, 1, 5))
    significance.record_submission(director, second, dt.date(2026, 2, 3))
    second.refresh_from_db()
    assert second.submitted_on == dt.date(2026, 2, 3)


@pytest.mark.django_db
def test_a_significant_incident_opens_the_seven_day_clock_and_congress_is_notified_with_the_right_recipients(notified_incident, settings):
    settings.CONGRESS_LIAISON_EMAIL = "legislative.affairs@example.gov"
    county, incident = notified_incident
    _define(_actor("national_leadership"))
    staff = _actor("national_program_staff")
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=EASTERN), tick=False):
        determination = significance.determine_significant(
            staff,
            incident,
            criteria=["registration_access"],
            basis_at=dt.datetime(2026, 11, 4, 9, 0, tzinfo=EASTERN),
            reason="Registration data of 1,200 voters read.",
        )
    assert [str(c) for c in determination.counties.all()] == ["Autauga County, AL"]  # the reporting county by default
    clock = Obligation.objects.get(duty_code="S2261-4p1A", subject_id=str(incident.pk))
    assert clock.holder.key == "national-office" and clock.due_at == dt.datetime(2026, 11, 11, 23, 59, 59, 999999, tzinfo=EASTERN)

    with time_machine.travel(dt.datetime(2026, 11, 6, 15, 0, tzinfo=EASTERN), tick=False):
        sent = significance.notify_congress(staff, incident)
    # Expected recipients from the files alone: Alabama's two Senators; the Representatives of the
    # districts the Census relationship file puts Autauga County (01001) in.
    seats = {int(r["cd"]) for r in csv.DictReader((SHARED / "county_cd.csv").open()) if r["county_fips5"] == "01001"}
    got = sent.recipients
    assert len(got["committees"]) == 10 and len(got["leaders"]) == 4
    assert len(got["senators"]) == 2 and {p["state"] for p in got["senators"]} == {"AL"}
    assert {p["district"] for p in got["representatives"]} | {
        int(s.split("-")[1]) for s in got["vacant_districts"] if s[-2:] != "AL"
    } == seats
    assert "1,200 voters" in sent.body and "Autauga County" in sent.body and "section 4(p)(1)" in sent.body
    assert Obligation.objects.get(pk=clock.pk).status == Status.FULFILLED_ON_TIME
    notice = Notice.objects.get(kind="incidents.congress_notification")
    assert Delivery.objects.filter(notice=notice, address="legislative.affairs@example.gov").exists()
    assert significance.letter_pdf(sent)[:4] == b"%PDF"

    # The agency learns more: Congress is owed an update (§4(p)(1)(B)), which needs its news.
    with time_machine.travel(dt.datetime(2026, 11, 8, 9, 0, tzinfo=CENTRAL), tick=False):
        services.update(
            county,
            incident,
            {**CONTENT, "information_acquired": "Names, addresses and birth dates of 1,200 voters."},
            note="Birth dates too.",
        )
    update_clock = Obligation.objects.get(duty_code="S2261-4p1B", subject_id=str(incident.pk))
    assert update_clock.is_policy and update_clock.status == Status.OPEN
    with time_machine.travel(dt.datetime(2026, 11, 9, 9, 0, tzinfo=EASTERN), tick=False):
        with pytest.raises(ValidationError, match="additional information"):
            significance.notify_congress(staff, incident)
        second = significance.notify_congress(staff, incident, note="Birth dates were also read.")
    assert second.number == 2 and "UPDATE 1" in second.body and "birth dates" in second.body
    assert Obligation.objects.get(pk=update_clock.pk).status == Status.FULFILLED_ON_TIME


@pytest.mark.django_db
def test_only_the_national_office_decides_and_bad_input_writes_nothing(notified_incident):
    county, incident = notified_incident
    _define(_actor("national_leadership"))
    for outsider in (county, _actor("chief_state_election_official", "state:AL"), _actor("federal_partner_analyst")):
        with pytest.raises(PermissionDenied):
            significance.determine_significant(outsider, incident, criteria=["votes_affected"], basis_at=incident.discovered_at, reason="x")
    staff = _actor("national_program_staff")
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=EASTERN), tick=False):
        with pytest.raises(ValidationError) as refused:
            significance.determine_significant(
                staff, incident, criteria=["made_up"], basis_at=dt.datetime(2026, 11, 5, tzinfo=EASTERN), reason=" "
            )
        errors = refused.value.message_dict
        assert "made_up" in errors["criteria"][0] and "future" in errors["basis_at"][0] and errors["reason"]
        with pytest.raises(ValidationError, match="significant first"):
            significance.notify_congress(staff, incident)
    assert not SignificantDetermination.objects.exists() and not CongressNotification.objects.exists()
    assert not Obligation.objects.filter(duty_code="S2261-4p1A").exists()


@pytest.mark.django_db
def test_the_national_office_records_significance_and_notifies_congress_on_the_pages(notified_incident):
    from django.urls import reverse

    from safelect.core.accounts.testing import assert_access

    _county, incident = notified_incident
    assert_access("incidents:definition", {"national_program_staff", "national_leadership"})
    _, director = make_member("national_leadership")
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, 0, tzinfo=EASTERN), tick=False):
        response = director.post(
            reverse("incidents:definition"),
            {
                "action": "adopt",
                "adopt-text": "Significant when …",
                "adopt-criteria": "votes_affected | Votes could have been altered\nbad line",
                "adopt-adopted_on": "2026-01-10",
            },
        )
        assert "Line 2" in response.content.decode() and significance.current_definition() is None
        director.post(
            reverse("incidents:definition"),
            {
                "action": "adopt",
                "adopt-text": "Significant when …",
                "adopt-criteria": "votes_affected | Votes could have been altered",
                "adopt-adopted_on": "2026-01-10",
            },
        )
    assert significance.current_definition().criteria == [["votes_affected", "Votes could have been altered"]]
    _, staff = make_member("national_program_staff")
    _, alabama = make_member("chief_state_election_official", "state:AL")
    assert alabama.get(reverse("incidents:determine", args=[incident.pk])).status_code == 403
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=EASTERN), tick=False):
        refused = staff.post(
            reverse("incidents:determine", args=[incident.pk]),
            {"criteria": ["votes_affected"], "basis_at": "2026-11-04T09:00", "reason": "x", "counties": "01001, 99999"},
        )
        assert "99999" in refused.content.decode() and not SignificantDetermination.objects.exists()
        staff.post(
            reverse("incidents:determine", args=[incident.pk]),
            {"criteria": ["votes_affected"], "basis_at": "2026-11-04T09:00", "reason": "Tallies at risk", "counties": "01001, 01003"},
        )
        determination = SignificantDetermination.objects.get()
        assert determination.basis_at == dt.datetime(2026, 11, 4, 9, 0, tzinfo=EASTERN)
        assert sorted(c.fips5 for c in determination.counties.all()) == ["01001", "01003"]
        preview = staff.get(reverse("incidents:notify-congress", args=[incident.pk])).content.decode()
        assert "Senate Committee on Rules and Administration" in preview and "Affected district" in preview
        sent = staff.post(reverse("incidents:notify-congress", args=[incident.pk]), {"note": ""})
    assert sent.status_code == 302 and sent["Location"] == reverse("incidents:congress", args=[incident.pk, 1])
    letter = staff.get(reverse("incidents:congress", args=[incident.pk, 1])).content.decode()
    assert "Download the letter (PDF)" in letter and "Tallies at risk" in letter
    pdf = staff.get(reverse("incidents:congress-pdf", args=[incident.pk, 1]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert alabama.get(reverse("incidents:congress", args=[incident.pk, 1])).status_code == 403
    state_view = alabama.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Notification of a significant election cybersecurity incident" in state_view and "Download the letter" not in state_view
