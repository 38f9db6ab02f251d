"""Incident pages and API as each role uses them: who sees what, other organizations' ids, the
form a county fills in on election night, retried API requests and refused input."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from safelect.core.accounts.testing import assert_access, make_member
from safelect.core.obligations.models import Obligation
from safelect.programs.incidents.models import Incident, IncidentNotice

CENTRAL = ZoneInfo("America/Chicago")
NOW = dt.datetime(2026, 11, 3, 9, 0, tzinfo=CENTRAL)
VIEWERS = {
    "local_election_official",
    "chief_state_election_official",
    "state_election_staff",
    "national_program_staff",
    "regional_staff",
    "national_leadership",
    "election_service_provider_staff",
}
REPORTERS = {"local_election_official", "chief_state_election_official", "state_election_staff", "election_service_provider_staff"}
POSSIBLE = {
    "title": "Phishing email to poll workers",
    "aware_at": "2026-11-03T07:30:00-06:00",
    "how_learned": "A poll worker forwarded the email",
    "systems": ["email"],
}
NOTICE = {
    "started_at": "2026-11-02T18:00:00-06:00",
    "ended_at": None,
    "systems": ["email", "e_pollbook"],
    "circumstances": "A poll worker entered credentials on a look-alike page.",
    "information_acquired": "The poll worker's e-pollbook password.",
    "measures_planned": "Reset all poll worker passwords.",
    "measures_implemented": "Reset the affected password; blocked the domain.",
}


@pytest.mark.django_db
def test_who_may_open_the_incident_pages():
    assert_access("incidents:list", VIEWERS)
    assert_access("incidents:create", REPORTERS)
    assert_access("/api/incidents/reports", VIEWERS)


@pytest.mark.django_db
def test_a_county_reports_on_the_page_and_only_the_right_people_see_it():
    _, county = make_member("local_election_official", "jurisdiction:0100100000")
    with time_machine.travel(NOW, tick=False):
        page = county.get(reverse("incidents:create")).content.decode()
        assert "Local time in America/Chicago" in page
        response = county.post(
            reverse("incidents:create"),
            {"title": "Phishing email", "aware_at": "2026-11-03T07:30", "how_learned": "A poll worker forwarded it", "systems": ["email"]},
        )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("incidents:detail", args=[incident.pk])
    assert incident.aware_at == dt.datetime(2026, 11, 3, 7, 30, tzinfo=CENTRAL)  # read in the county's zone
    detail = county.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Record the assessment" in detail and "S.2261 §4(h)(1)" in detail

    _, alabama = make_member("chief_state_election_official", "state:AL")
    _, wisconsin = make_member("chief_state_election_official", "state:WI")
    _, neighbour = make_member("local_election_official", "jurisdiction:0100300000")
    _, staff = make_member("national_program_staff")
    _, dhs = make_member("federal_partner_analyst")
    _, vendor = make_member("election_service_provider_staff")
    assert incident.reference in alabama.get(reverse("incidents:list")).content.decode()
    state_view = alabama.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Phishing email" in state_view and "Record the assessment" not in state_view  # reads, does not file
    assert staff.get(reverse("incidents:detail", args=[incident.pk])).status_code == 200
    for outsider in (wisconsin, neighbour, vendor):
        assert incident.reference not in outsider.get(reverse("incidents:list")).content.decode()
        assert outsider.get(reverse("incidents:detail", args=[incident.pk])).status_code == 404
        assert outsider.get(f"/api/incidents/reports/{incident.pk}").status_code == 404
        assert outsider.get(reverse("journal:history", args=["incidents.incident", incident.pk])).status_code == 404
    for outsider in (dhs,):
        assert outsider.get(reverse("incidents:detail", args=[incident.pk])).status_code == 403
    # The neighbouring county cannot write to it by URL either, and nothing changes.
    assert neighbour.post(reverse("incidents:assess", args=[incident.pk]), {"outcome": "no_incident", "reason": "x"}).status_code == 404
    assert alabama.post(reverse("incidents:assess", args=[incident.pk]), {"outcome": "no_incident", "reason": "x"}).status_code == 403
    assert Incident.objects.get().assessment == Incident.Assessment.ASSESSING


@pytest.mark.django_db
def test_the_form_says_what_is_wrong_and_saves_nothing():
    _, county = make_member("local_election_official", "jurisdiction:0100100000")
    with time_machine.travel(NOW, tick=False):
        response = county.post(reverse("incidents:create"), {"title": "", "aware_at": "2026-11-04T07:30", "how_learned": "", "systems": []})
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was saved" in page and "usa-error-message" in page
    assert not Incident.objects.exists()
    with time_machine.travel(NOW, tick=False):
        response = county.post(
            reverse("incidents:create"), {"title": "x", "aware_at": "2026-11-04T07:30", "how_learned": "y", "systems": ["email"]}
        )
    assert "This moment is in the future." in response.content.decode() and not Incident.objects.exists()


@pytest.mark.django_db
def test_the_api_walks_an_incident_from_possible_to_updated_and_a_retry_records_nothing_twice():
    _, county = make_member("local_election_official", "jurisdiction:0100100000")
    with time_machine.travel(NOW, tick=False):
        first = county.post("/api/incidents/reports", POSSIBLE, content_type="application/json", HTTP_IDEMPOTENCY_KEY="pw-1")
        again = county.post("/api/incidents/reports", POSSIBLE, content_type="application/json", HTTP_IDEMPOTENCY_KEY="pw-1")
        assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
        pk = first.json()["id"]
        assessed = county.post(
            f"/api/incidents/reports/{pk}/assessment",
            {"outcome": "occurred", "discovered_at": "2026-11-03T08:00:00-06:00"},
            content_type="application/json",
        )
        assert assessed.status_code == 200, assessed.json()
        clock = next(c for c in assessed.json()["clocks"] if c["duty"] == "S2261-4i")
        due = dt.datetime.fromisoformat(clock["due_at"].replace("Z", "+00:00"))
        assert clock["citation"] == "S.2261 §4(i)" and due == dt.datetime(2026, 11, 6, 23, 59, 59, 999000, tzinfo=CENTRAL)
        refused = county.post(f"/api/incidents/reports/{pk}/notice", {**NOTICE, "circumstances": " "}, content_type="application/json")
        assert refused.status_code == 422 and "circumstances" in str(refused.json())
        sent = county.post(f"/api/incidents/reports/{pk}/notice", NOTICE, content_type="application/json")
        assert sent.status_code == 201 and sent.json()["notified_late"] is False
        updated = county.post(
            f"/api/incidents/reports/{pk}/updates", {**NOTICE, "note": "Second poll worker affected."}, content_type="application/json"
        )
        assert updated.status_code == 201 and [n["number"] for n in updated.json()["notices"]] == [1, 2]
    assert Incident.objects.count() == 1 and IncidentNotice.objects.count() == 2
    assert Obligation.objects.get(duty_code="S2261-4i", subject_id=str(pk)).status == "fulfilled_on_time"
    naive = county.post("/api/incidents/reports", {**POSSIBLE, "aware_at": "2026-11-03T07:30:00"}, content_type="application/json")
    assert naive.status_code == 422 and "time zone" in str(naive.json())


@pytest.mark.django_db
def test_an_unfinished_report_is_saved_as_a_draft_for_its_author_only_and_starts_no_clock():
    from safelect.programs.incidents.models import ReportDraft

    _, county = make_member("local_election_official", "jurisdiction:0100100000")
    _, colleague = make_member("local_election_official", "jurisdiction:0100100000")
    url = reverse("incidents:create")
    with time_machine.travel(NOW, tick=False):
        saved = county.post(
            url,
            {"action": "draft", "title": "Strange pop-up on the pollbook", "aware_at": "", "how_learned": "", "systems": ["e_pollbook"]},
            follow=True,
        )
        page = saved.content.decode()
        assert "Draft saved" in page and "Continuing your draft" in page and "Strange pop-up on the pollbook" in page
        assert re.search(r'<input[^>]*value="e_pollbook"[^>]*checked', page), "the ticked system comes back ticked"
        assert not Incident.objects.exists() and not Obligation.objects.exists()
        assert "Strange pop-up" not in colleague.get(url).content.decode()  # drafts are personal
        recorded = county.post(
            url,
            {
                "action": "record",
                "title": "Strange pop-up on the pollbook",
                "aware_at": "2026-11-03T07:30",
                "how_learned": "A poll worker called",
                "systems": ["e_pollbook"],
            },
        )
    assert recorded.status_code == 302 and Incident.objects.count() == 1
    assert not ReportDraft.objects.exists()  # recording the report clears the draft
    county.post(url, {"action": "draft", "title": "Another"})
    county.post(url, {"action": "discard"})
    assert not ReportDraft.objects.exists()
