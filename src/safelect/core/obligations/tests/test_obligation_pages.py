"""Pages, CSV, calendar feed and API of obligations: who may use them and what each person sees."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from safelect.core.accounts.roles import ROLES
from safelect.core.accounts.testing import assert_access, make_member
from safelect.core.directory.models import Organization
from safelect.core.obligations import feeds, services
from safelect.core.obligations.services import SubjectRef

CHI = ZoneInfo("America/Chicago")
NOW = dt.datetime(2026, 3, 12, 12, tzinfo=CHI)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

BOARD_ROLES = {"national_program_staff", "national_leadership", "regional_staff", "chief_state_election_official", "state_election_staff"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def county(usps: str) -> Organization:
    return Organization.objects.filter(kind="local_election_agency", state__usps=usps).order_by("pk").first()


@pytest.fixture
def world():
    """An overdue §4(i) in a WI county, a due-soon one in an MN county, one in CA, a national §205(b)."""

    def incident(org, n, trigger):
        return services.open("S2261-4i", SubjectRef("sharing.incidentreport", str(n), f"Incident {n}"), trigger, org)

    wi, mn, ca = county("WI"), county("MN"), county("CA")
    return {
        "wi": incident(wi, 1, dt.datetime(2026, 3, 6, 9, tzinfo=CHI)),  # due end of 9 March: overdue
        "mn": incident(mn, 2, dt.datetime(2026, 3, 10, 9, tzinfo=CHI)),  # due end of 13 March: due soon
        "ca": incident(ca, 3, dt.datetime(2026, 3, 10, 9, tzinfo=CHI)),
        "national": services.open(
            "HR5011-205b1",
            Organization.objects.get(key="state:WI"),
            dt.datetime(2026, 1, 2, 9, tzinfo=CHI),
            Organization.objects.get(key="national-office"),
        ),
    }


def test_who_may_open_the_pages():
    everyone = set(ROLES)
    assert_access("obligations:mine", everyone)
    assert_access("obligations:calendar", everyone, kwargs={"year": 2026, "month": 3})
    assert_access("obligations:export", everyone)
    assert_access("obligations:board", BOARD_ROLES)


def _ids_in_csv(client) -> set[int]:
    response = client.get(reverse("obligations:export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    return {int(r["id"]) for r in rows}


def test_scope_holder_state_region_national(world):
    ids = {k: o.pk for k, o in world.items()}
    _, local = make_member("local_election_official", world["wi"].holder)
    _, state = make_member("chief_state_election_official", "state:WI")
    _, regional = make_member("regional_staff", "national-office:region:5")
    _, national = make_member("national_program_staff", "national-office")
    assert _ids_in_csv(local) == {ids["wi"]}
    assert _ids_in_csv(state) >= {ids["wi"], ids["national"]} and not _ids_in_csv(state) & {ids["mn"], ids["ca"]}
    assert {ids["wi"], ids["mn"]} <= _ids_in_csv(regional) and ids["ca"] not in _ids_in_csv(regional)
    assert set(ids.values()) <= _ids_in_csv(national)
    # out of scope is a 404, never a 403
    assert local.get(reverse("obligations:detail", args=[ids["mn"]])).status_code == 404
    assert local.get(reverse("obligations:detail", args=[ids["wi"]])).status_code == 200


def test_overdue_shows_first_on_the_national_board_and_my_deadlines(world):
    _, national = make_member("national_leadership", "national-office")
    page = national.get(reverse("obligations:board")).content.decode()
    assert "Overdue now" in page and f'href="/obligations/{world["wi"].pk}/"' in page
    assert page.index(f"/obligations/{world['wi'].pk}/") < page.index("By duty")
    assert 'data-status="overdue"' in page
    _, local = make_member("local_election_official", world["wi"].holder)
    mine = local.get(reverse("obligations:mine")).content.decode()
    assert "Incident 1" in mine and 'data-status="overdue"' in mine and "Statutory" in mine


def test_detail_page_shows_citation_quote_rule_and_history(world):
    _, national = make_member("national_program_staff", "national-office")
    page = national.get(reverse("obligations:detail", args=[world["wi"].pk])).content.decode()
    assert "S.2261 §4(i)" in page and "in no event longer than 3 calendar days" in page
    assert "not later than 3 calendar days after" in page and "obligations:obligation:open" in page
    _, county_official = make_member("local_election_official", world["wi"].holder)
    response = county_official.post(
        reverse("obligations:fulfil", args=[world["wi"].pk]), {"event": "sharing.notification:9", "at": "2026-03-11T10:00"}
    )
    assert response.status_code == 302
    world["wi"].refresh_from_db()
    assert world["wi"].status == "fulfilled_late"
    assert world["wi"].fulfilled_at == dt.datetime(2026, 3, 11, 10, tzinfo=CHI)


def test_waive_needs_a_reason_and_reopen_undoes_it_from_the_page(world):
    _, national = make_member("national_program_staff", "national-office")
    detail = reverse("obligations:detail", args=[world["mn"].pk])
    refused = national.post(reverse("obligations:waive", args=[world["mn"].pk]), {"reason": "   "}, follow=True)
    assert refused.redirect_chain[-1][0] == detail and "Not waived" in refused.content.decode()
    world["mn"].refresh_from_db()
    assert world["mn"].status != "waived"
    waived = national.post(reverse("obligations:waive", args=[world["mn"].pk]), {"reason": "Duplicate of #12"}, follow=True)
    assert "Waived; the reason is in the obligation" in waived.content.decode()
    world["mn"].refresh_from_db()
    assert world["mn"].status == "waived" and world["mn"].waived_reason == "Duplicate of #12"
    national.post(reverse("obligations:reopen", args=[world["mn"].pk]), {"reason": "Not a duplicate after all"})
    world["mn"].refresh_from_db()
    assert world["mn"].status != "waived"


def test_policy_targets_are_never_shown_as_law(world):
    o = services.open(
        "S2261-4h1",
        SubjectRef("sharing.incidentreport", "5", "Possible incident 5"),
        dt.datetime(2026, 3, 11, 9, tzinfo=CHI),
        world["wi"].holder,
    )
    _, local = make_member("local_election_official", o.holder)
    page = local.get(reverse("obligations:detail", args=[o.pk])).content.decode()
    assert "internal policy target" in page and "not a deadline set by law" in page and "promptly" in page
    assert "Policy target" in local.get(reverse("obligations:mine")).content.decode()


def test_calendar_month_grid(world):
    _, state = make_member("state_election_staff", "state:WI")
    page = state.get(reverse("obligations:calendar", kwargs={"year": 2026, "month": 3})).content.decode()
    assert 'role="grid"' in page and 'data-date="2026-03-09"' in page
    cell = page[page.index('data-date="2026-03-09"') :]
    cell = cell[: cell.index("</td>")]
    assert "S.2261 §4(i)" in cell and "1 due" in cell
    assert state.get(reverse("obligations:calendar", kwargs={"year": 2026, "month": 13})).status_code == 404
    assert state.get(reverse("obligations:calendar-today")).status_code == 302


def test_my_deadlines_pages_and_filters_a_long_list():
    """The national office holds the §204 assessment for each of 55 States: 25 to a page, and a
    filter by duty and by what the obligation is about."""
    from safelect.core.obligations.sweep import open_coming_cycles

    open_coming_cycles(NOW)
    _, staff = make_member("national_program_staff", "national-office")
    first = staff.get(reverse("obligations:mine")).content.decode()
    assert "page 1 of" in first and first.count('data-label="Status"') == 25
    threat = staff.get(reverse("obligations:mine"), {"duty": "HR5011-204a"}).content.decode()
    assert "55 obligations" in threat
    wisconsin = staff.get(reverse("obligations:mine"), {"duty": "HR5011-204a", "q": "Wisconsin"}).content.decode()
    assert "1 obligation," in wisconsin or "1 obligation." in wisconsin
    assert "Wisconsin" in wisconsin and "Minnesota" not in wisconsin
    second = staff.get(reverse("obligations:mine"), {"duty": "HR5011-204a", "page": 2}).content.decode()
    assert "page 2 of 3" in second and "duty=HR5011-204a&amp;page=1" in second  # the filter survives paging


def test_a_deadline_sits_on_its_holders_date_for_a_viewer_elsewhere():
    """A Hawaii county's 3-day notice ends at 23:59 on 9 March in Honolulu — already 10 March in
    Washington. On the national office's calendar it stays on 9 March, with Hawaii's zone shown."""
    hawaii = county("HI")
    zone = ZoneInfo(hawaii.time_zone)
    assert hawaii.time_zone == "Pacific/Honolulu"
    duty = services.open(
        "S2261-4i", SubjectRef("sharing.incidentreport", "77", "Incident 77"), dt.datetime(2026, 3, 6, 9, tzinfo=zone), hawaii
    )
    assert duty.due_at.astimezone(zone).date() == dt.date(2026, 3, 9)
    assert duty.due_at.astimezone(ZoneInfo("America/New_York")).date() == dt.date(2026, 3, 10)
    _, staff = make_member("national_program_staff", "national-office")
    page = staff.get(reverse("obligations:calendar", kwargs={"year": 2026, "month": 3})).content.decode()
    cell = page[page.index('data-date="2026-03-09"') :]
    assert "Incident 77" in cell[: cell.index("</td>")] and "(Pacific/Honolulu)" in cell[: cell.index("</td>")]
    after = page[page.index('data-date="2026-03-10"') :]
    assert "Incident 77" not in after[: after.index("</td>")]


def test_calendar_feed_token_ical_and_revocation(world):
    user, client = make_member("local_election_official", world["wi"].holder)
    page = client.post(reverse("obligations:feed-settings"), {"action": "create"}).content.decode()
    assert "shown only once" in page
    url = page.split('<code id="feed-url">')[1].split("</code>")[0]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    path = reverse("obligations:feed", args=[token])
    anonymous = type(client)()
    response = anonymous.get(path)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1  # only the holder's own obligation
    event = events[0]
    assert str(event["UID"]).startswith(f"obligation-{world['wi'].pk}@")
    assert event.decoded("DTSTART") == world["wi"].due_at.replace(microsecond=0)  # iCalendar counts whole seconds
    assert event.decoded("DTSTAMP") is not None
    assert "S.2261 §4(i)" in str(event["SUMMARY"]) and str(event["SUMMARY"]).startswith("OVERDUE")
    assert "S.2261 §4(i)" in str(event["DESCRIPTION"]) and "3 calendar days" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(f"/obligations/{world['wi'].pk}/")
    # the settings page never shows the token again
    assert token not in client.get(reverse("obligations:feed-settings")).content.decode()
    # regenerate: the old address stops working
    new = feeds.issue_token(user)
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(reverse("obligations:feed", args=[new])).status_code == 200
    client.post(reverse("obligations:feed-settings"), {"action": "revoke"})
    assert anonymous.get(reverse("obligations:feed", args=[new])).status_code == 404
    assert anonymous.get(reverse("obligations:feed", args=["x" * 43])).status_code == 404


def test_api_list_detail_and_actions(world):
    _, national = make_member("national_program_staff", "national-office")
    rows = national.get("/api/obligations/obligations?status=overdue").json()
    assert world["wi"].pk in [r["id"] for r in rows] and all(r["status"] == "overdue" for r in rows)
    detail = national.get(f"/api/obligations/obligations/{world['wi'].pk}").json()
    assert detail["citation"] == "S.2261 §4(i)" and detail["kind"] == "statutory" and detail["history"]
    assert detail["due_at"].startswith("2026-03-09T23:59:59.999")  # JSON keeps milliseconds
    bad = national.post(
        f"/api/obligations/obligations/{world['mn'].pk}/waive", json.dumps({"reason": "  "}), content_type="application/json"
    )
    assert bad.status_code == 422
    ok = national.post(
        f"/api/obligations/obligations/{world['mn'].pk}/waive",
        json.dumps({"reason": "Not an election cybersecurity incident."}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "waived"
    refused = national.post(
        f"/api/obligations/obligations/{world['ca'].pk}/fulfil",
        json.dumps({"event": "sharing.notification:3"}),
        content_type="application/json",
    )
    assert refused.status_code == 403 and "may not record the fulfilment" in refused.json()["detail"]
    _, ca_official = make_member("local_election_official", world["ca"].holder)
    done = ca_official.post(
        f"/api/obligations/obligations/{world['ca'].pk}/fulfil",
        json.dumps({"event": "sharing.notification:3"}),
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "fulfilled_on_time"
    _, local = make_member("local_election_official", world["wi"].holder)
    assert local.get(f"/api/obligations/obligations/{world['mn'].pk}").status_code == 404
    assert (
        local.post(
            f"/api/obligations/obligations/{world['wi'].pk}/waive", json.dumps({"reason": "x"}), content_type="application/json"
        ).status_code
        == 403
    )


def test_api_registry_and_explain_are_public():
    from django.test import Client

    client = Client()
    duties = client.get("/api/obligations/duties").json()
    assert any(d["code"] == "HR5011-204a" for d in duties)
    result = client.get("/api/obligations/explain", {"code": "S2261-4i", "trigger": "2026-03-06T23:30:00-05:00"}).json()
    assert result["due_local_date"] == "2026-03-09"
    assert client.get("/api/obligations/explain", {"code": "S2261-4i", "trigger": "soon"}).status_code == 422
    assert client.get("/api/obligations/explain", {"code": "nope"}).status_code == 404
