"""``safelect obligations duties | due | explain`` — the issue's acceptance examples through call_command."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from safelect.core.directory.models import Organization
from safelect.core.obligations import services
from safelect.core.obligations.services import SubjectRef

NAMED_IN_THE_ISSUE = {
    "S2261-4i",
    "S2261-4p1A",
    "HR5011-205b1",
    "HR5011-204a",
    "S2261-6a1",
    "HR5011-101-297D",
    "HR5011-121-321b",
    "S2261-5f",
    "S2261-5l",
}


def run(*args) -> str:
    out = StringIO()
    call_command("obligations", *args, stdout=out)
    return out.getvalue()


def test_duties_json_lists_every_duty_named_in_the_issue_with_citation_and_rule():
    data = json.loads(run("duties", "--json"))
    by_code = {d["code"]: d for d in data["duties"]}
    assert set(by_code) >= NAMED_IN_THE_ISSUE
    assert data["count"] == len(data["duties"]) >= 46
    assert by_code["S2261-4i"]["citation"] == "S.2261 §4(i)"
    assert by_code["S2261-4i"]["rule"]["kind"] == "days_after" and by_code["S2261-4i"]["rule"]["days"] == 3
    assert by_code["S2261-4p1A"]["rule"]["days"] == 7
    assert by_code["HR5011-205b1"]["rule"]["days"] == 90
    assert by_code["HR5011-204a"]["rule"]["kind"] == "days_before_federal_general_election"
    assert by_code["S2261-5f"]["rule"]["days"] == 45
    assert data["enactment"]["assumed_date"] == "2018-02-14"


def test_duties_table():
    text = run("duties")
    assert "S2261-4i" in text and "S.2261 §4(i)" in text and "policy target" in text


def test_explain_s2261_4i_across_the_dst_change():
    text = run("explain", "S2261-4i", "--trigger", "2026-03-06T23:30:00-05:00")
    assert "end of 2026-03-09 (America/New_York)" in text
    assert "2026-03-09T23:59:59.999999-04:00" in text
    assert "not later than 3 calendar days after" in text
    data = json.loads(run("explain", "S2261-4i", "--trigger", "2026-03-06T23:30:00-05:00", "--json"))
    assert data["due_local_date"] == "2026-03-09" and data["period_kind"] == "statutory"


def test_explain_threat_assessment_for_the_2026_general_election():
    data = json.loads(run("explain", "HR5011-204a", "--trigger", "2026-11-03", "--json"))
    assert data["due_local_date"] == "2026-05-07" and data["cycle"] == "2026 general election"


def test_explain_the_guidelines_review_and_the_joint_report():
    assert json.loads(run("explain", "S2261-5l", "--trigger", "2018-06-01", "--json"))["due_local_date"] == "2019-01-31"
    assert json.loads(run("explain", "S2261-5l", "--trigger", "2019-02-01", "--json"))["due_local_date"] == "2021-01-31"
    first = json.loads(run("explain", "S2261-6a1", "--json"))
    assert first["due_local_date"] == "2018-03-16" and first["enactment"]["applies"]  # 30 days after 2018-02-14
    assert json.loads(run("explain", "S2261-6a1", "--trigger", "2026-05-01", "--json"))["due_local_date"] == "2026-10-30"


def test_explain_without_a_trigger_lists_the_schedule():
    """§5(l): 2019-01-31 and every two years; §6(a)(1): 30 days after enactment, then 30 October."""
    review = json.loads(run("explain", "S2261-5l", "--json"))["schedule"]
    assert [o["due_date"] for o in review[:3]] == ["2019-01-31", "2021-01-31", "2023-01-31"]
    report = [o["due_date"] for o in json.loads(run("explain", "S2261-6a1", "--json"))["schedule"]]
    assert report[:4] == ["2018-03-16", "2018-10-30", "2019-10-30", "2020-10-30"]
    assert "schedule:  2019-01-31, 2021-01-31" in run("explain", "S2261-5l")


def test_explain_with_another_zone_and_bad_input():
    data = json.loads(run("explain", "S2261-4i", "--trigger", "2026-03-06T23:30:00-05:00", "--tz", "America/Los_Angeles", "--json"))
    assert data["due_local_date"] == "2026-03-09" and data["tz"] == "America/Los_Angeles"
    with pytest.raises(CommandError, match="unknown duty"):
        run("explain", "S2261-99", "--trigger", "2026-03-06")
    with pytest.raises(CommandError, match="UTC offset"):
        run("explain", "S2261-4i", "--trigger", "2026-03-06T23:30")
    with pytest.raises(CommandError, match="IANA"):
        run("explain", "S2261-4i", "--trigger", "2026-03-06", "--tz", "Mars/Olympus")
    with pytest.raises(CommandError, match="needs --trigger"):
        run("explain", "S2261-4i")


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 3, 8, 12, tzinfo=ZoneInfo("America/Chicago")), tick=False)
def test_due_lists_open_obligations_from_the_database():
    wi = Organization.objects.get(key="state:WI")
    soon = services.open(
        "S2261-4i",
        SubjectRef("sharing.incidentreport", "77", "Incident 77"),
        dt.datetime(2026, 3, 6, 10, tzinfo=ZoneInfo("America/Chicago")),
        wi,
    )
    later = services.open(
        "HR5011-205b1",
        wi,
        dt.datetime(2026, 3, 1, 10, tzinfo=ZoneInfo("America/New_York")),
        Organization.objects.get(key="national-office"),
    )
    data = json.loads(run("due", "--days", "30", "--json"))
    ids = [o["id"] for o in data["obligations"]]
    assert soon.pk in ids and later.pk not in ids
    row = next(o for o in data["obligations"] if o["id"] == soon.pk)
    assert row["status"] == "due_soon" and row["due_text"] == "end of 2026-03-09 (America/Chicago)"
    assert later.pk in [o["id"] for o in json.loads(run("due", "--days", "120", "--json"))["obligations"]]
    assert "Incident 77" in run("due", "--days", "30")


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 1, 15, 12, tzinfo=ZoneInfo("America/New_York")), tick=False)
def test_sweep_command_runs_once_and_changes_nothing_the_second_time():
    first = json.loads(run("sweep", "--json"))
    assert first["opened"] > 0
    assert json.loads(run("sweep", "--json"))["opened"] == 0
