"""Who sees what, per role, with the kernel's helpers; pages and API answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from safelect.core.accounts.testing import assert_access, make_member
from safelect.programs.engagements import demo
from safelect.programs.engagements.models import Engagement, ReviewFlag

FIXTURE = Path(__file__).parent / "fixtures" / "000_61a82f5df613671c.txt"
NATIONAL = {"national_program_staff", "national_leadership"}
STATE = {"chief_state_election_official", "state_election_staff"}


@pytest.fixture
def records(db):
    demo.create_demo_data()
    return Engagement.objects.get(state__usps="WI", follow_ups__isnull=False)


@pytest.mark.django_db
def test_who_may_open_each_page(records):
    ohio = Engagement.objects.filter(state__usps="OH").first()
    vermont = Engagement.objects.get(state__usps="VT")
    assert_access("engagements:list", NATIONAL | {"regional_staff"} | STATE)
    assert_access("engagements:coverage", NATIONAL | {"regional_staff"})
    assert_access("engagements:export", NATIONAL | {"regional_staff"})
    assert_access("engagements:import", {"national_program_staff"})
    assert_access("engagements:review", {"national_program_staff", "regional_staff"})
    assert_access("engagements:create", {"national_program_staff", "regional_staff"})
    # Wisconsin: region 5 (the default regional member) and Wisconsin's officials see it
    assert_access("engagements:detail", NATIONAL | {"regional_staff"} | STATE, kwargs={"pk": records.pk})
    assert_access("engagements:edit", {"national_program_staff", "regional_staff"}, kwargs={"pk": records.pk})
    # Ohio: region 5 too, but not Wisconsin's officials; Vermont: national only
    assert_access("engagements:detail", NATIONAL | {"regional_staff"}, kwargs={"pk": ohio.pk})
    assert_access("engagements:detail", NATIONAL, kwargs={"pk": vermont.pk})
    assert_access("engagements:edit", {"national_program_staff"}, kwargs={"pk": vermont.pk})
    assert_access(f"/api/engagements/records/{vermont.pk}", NATIONAL)


@pytest.mark.django_db
def test_state_officials_read_the_release_without_internal_columns(records):
    _, official = make_member("chief_state_election_official", "state:WI")
    page = official.get(reverse("engagements:detail", args=[records.pk])).content.decode()
    assert "(b)(6)" in page and "Alex Administrator" not in page
    assert "statewide risk-limiting audit pilot" not in page and "(b)(5)" in page
    assert "leadership awareness" not in page.lower() and "Budget request" not in page
    listing = official.get(reverse("engagements:list")).content.decode()
    assert "Wisconsin" in listing and "Vermont" not in listing
    data = official.get(f"/api/engagements/records/{records.pk}").json()
    assert "leadership_awareness" not in data["texts"] and "Alex" not in str(data)
    found = official.get("/api/engagements/records", {"q": "audit pilot"}).json()
    assert found == []
    _, staff = make_member("national_program_staff")
    internal = staff.get(reverse("engagements:detail", args=[records.pk])).content.decode()
    assert "Alex Administrator" in internal and "Budget request" in internal


@pytest.mark.django_db
def test_regional_staff_edit_only_their_region(records):
    _, field = make_member("regional_staff")  # region 5
    response = field.post(
        "/api/engagements/records",
        {"state": "TX", "meeting_date": "2017-10-02", "texts": {"discussion": "x"}},
        content_type="application/json",
    )
    assert response.status_code == 403 and not Engagement.objects.filter(state__usps="TX").exists()
    response = field.post(
        "/api/engagements/records",
        {"state": "MN", "meeting_date": "2017-10-02", "texts": {"discussion": "Met [[(b)(6)|the director]]"}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["texts"]["discussion"] == "Met [[(b)(6)|the director]]"
    created = response.json()["id"]
    moved = field.patch(f"/api/engagements/records/{created}", {"state": "TX"}, content_type="application/json")
    assert moved.status_code == 403 and Engagement.objects.get(pk=created).state.usps == "MN"


@pytest.mark.django_db
def test_import_upload_preview_commit_through_the_api_and_the_pages():
    _, staff = make_member("national_program_staff")
    with FIXTURE.open("rb") as upload:
        response = staff.post("/api/engagements/imports", {"file": upload})
    assert response.status_code == 201
    preview = response.json()
    assert preview["state"] == "previewed" and preview["report"]["engagements_created"] == 42
    assert Engagement.objects.count() == 0
    committed = staff.post(f"/api/engagements/imports/{preview['preview_id']}/commit")
    assert committed.status_code == 200 and committed.json()["engagements_created"] == 42
    assert staff.post(f"/api/engagements/imports/{preview['preview_id']}/commit").status_code == 422
    bad = staff.post("/api/engagements/imports", {"file": ("x.csv", b"\x00\x01binary")})
    page = staff.get(reverse("engagements:import-preview", args=[preview["preview_id"]]))
    assert page.status_code == 200 and b"Row by row" in page.content
    flag = ReviewFlag.objects.filter(kind="unknown_state").first()
    resolved = staff.post(
        f"/api/engagements/flags/{flag.pk}/resolve",
        {"outcome": "resolved", "note": "Rhode Island, per the field office", "state": "RI"},
        content_type="application/json",
    )
    assert resolved.status_code == 200
    assert Engagement.objects.get(pk=flag.engagement_id).state.usps == "RI"
    for path in ("engagements:coverage", "engagements:review", "engagements:list"):
        assert staff.get(reverse(path)).status_code == 200
    assert staff.get(reverse("engagements:list"), {"q": "voting machines"}).status_code == 200
    export = staff.get("/api/engagements/export", {"format": "csv", "foia": "true", "region": "1"})
    assert export.status_code == 200 and b"Weekly Summary" in export.content
    del bad


def _listed_states(client, **params) -> list[str]:
    import re

    page = client.get(reverse("engagements:list"), params).content.decode()
    return re.findall(r'<th scope="row"><a href="/engagements/\d+/">([^<]*)</a>', page)


@pytest.mark.django_db
def test_the_list_filters_by_region_state_and_point_of_contact(records):
    user, staff = make_member("national_program_staff")
    records.points_of_contact.add(user)
    everything = _listed_states(staff)
    jersey = _listed_states(staff, state="NJ")
    assert len(jersey) >= 9 and set(jersey) == {"New Jersey"} and len(everything) > len(jersey)
    region5 = set(_listed_states(staff, region="5"))
    assert {"Wisconsin", "Ohio"} <= region5 and "New Jersey" not in region5 and "Vermont" not in region5
    assert _listed_states(staff, poc=user.pk) == ["Wisconsin"]
    _, official = make_member("chief_state_election_official", "state:WI")
    assert 'aria-label="Filter engagements"' not in official.get(reverse("engagements:list")).content.decode()


@pytest.mark.django_db
def test_a_follow_up_is_owned_by_whoever_opens_it_unless_they_choose_another(records):
    """Both owner fields are optional on their own; the person opening the follow-up is the default owner."""
    user, staff = make_member("national_program_staff")
    url = reverse("engagements:follow-up-open", args=[records.pk])
    assert f'<option value="{user.pk}" selected>' in staff.get(url).content.decode()
    response = staff.post(url, {"description": "Send the template", "owner": str(user.pk), "due_date": "2026-12-15"})
    assert response.status_code == 302
    unowned = staff.post(url, {"description": "Send the template", "owner": "", "owner_text": "", "due_date": "2026-12-15"})
    assert "Choose who owns the follow-up" in unowned.content.decode()
