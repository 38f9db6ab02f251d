"""Grant pages and API as each role would use them: the dashboard, a program's allocation table
(sorted, charted, exported as formula-safe CSV, XLSX and PDF), applying and submitting, the
officer's findings and award on the application page, the review queue, the provider lists, and
the API — with other States' applications answering 404 everywhere."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from safelect.core.accounts.testing import make_member
from safelect.programs.grants import demo
from safelect.programs.grants.models import Application, Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs():
    demo.create_demo_data()
    return {p.statute: p for p in Program.objects.all()}


def test_the_dashboard_for_each_role(programs):
    _, officer = make_member("grants_officer")
    page = officer.get("/grants/").content.decode()
    assert "New program" in page and "Review queue (3)" in page
    colorado = officer.get("/grants/?state=CO").content.decode()
    assert "Colorado's allocations" in colorado and "Reimbursing hand inspection" in colorado and "Wisconsin chief" not in colorado
    assert "Reports to Congress" in page and officer.get("/grants/congress/?fy=2027").status_code == 200
    _, wisconsin = make_member("chief_state_election_official", "state:WI")
    assert wisconsin.get("/grants/congress/").status_code == 403
    page = wisconsin.get("/grants/").content.decode()
    assert "Wisconsin's allocations" in page and "New program" not in page and "Review queue" not in page
    _, vendor = make_member("election_service_provider_staff")
    assert vendor.get("/grants/").status_code == 200
    assert vendor.get("/grants/review/").status_code == 403
    from django.test import Client

    assert Client().get("/grants/").status_code in (302, 401)


def test_the_allocation_table_sorts_charts_and_exports_safely(programs):
    program = programs["s2261-7"]
    _, wisconsin = make_member("chief_state_election_official", "state:WI")
    page = wisconsin.get(f"/grants/programs/{program.pk}/?sort=name").content.decode()
    assert page.index("Alabama (AL)") < page.index("Wyoming (WY)") and "<svg" in page and "Raised to its floor" in page
    Program.objects.filter(pk=program.pk).update(title='=HYPERLINK("http://evil.example","x")')
    text = wisconsin.get(f"/grants/programs/{program.pk}/allocation.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][1].startswith("'=HYPERLINK")  # neutralised
    amounts = [int(r[3]) for r in rows if len(r) > 3 and r[0] in {line["state"] for line in program.allocation["allocations"]}]
    assert sum(amounts) == 386_000_000
    book = load_workbook(io.BytesIO(wisconsin.get(f"/grants/programs/{program.pk}/allocation.xlsx").content))
    assert book["Allocation"]["B1"].data_type == "s" and book["Allocation"]["B1"].value.startswith("=HYPERLINK")
    pdf = wisconsin.get(f"/grants/programs/{program.pk}/allocation.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert wisconsin.get(f"/grants/programs/{program.pk}/allocation.doc").status_code == 404


def test_a_state_applies_and_the_officer_reviews_on_the_pages(programs):
    program = programs["hr5011-297"]
    _, ohio = make_member("chief_state_election_official", "state:OH")
    form = ohio.get(f"/grants/programs/{program.pk}/apply/").content.decode()
    assert "HAVA §297C(2)" in form
    refused = ohio.post(f"/grants/programs/{program.pk}/apply/", {"action": "submit", "use_description": "Replace DREs"})
    assert refused.status_code == 200 and "Required to submit" in refused.content.decode()
    assert Application.objects.filter(program=program).count() == 0  # nothing half-written
    done = ohio.post(
        f"/grants/programs/{program.pk}/apply/",
        {"action": "submit", "use_description": "Replace DREs in 12 counties", "rla_certification": "yes", "paper_ballot_systems": "yes"},
    )
    application = Application.objects.get(program=program)
    assert done.status_code == 302 and application.status == "submitted"
    _, minnesota = make_member("chief_state_election_official", "state:MN")
    assert minnesota.get(f"/grants/applications/{application.pk}/").status_code == 404
    assert minnesota.post(f"/grants/applications/{application.pk}/", {"action": "award"}).status_code == 404
    _, officer = make_member("grants_officer")
    page = officer.get(f"/grants/applications/{application.pk}/").content.decode()
    assert "HAVA §297C(2)" in page and "(computed)" in page and "Award the grant" in page
    awarded = officer.post(
        f"/grants/applications/{application.pk}/", {"action": "award", "payments": "2", "first_due": "2027-01-15", "amount": ""}
    )
    assert awarded.status_code == 302
    application.refresh_from_db()
    assert application.status == "awarded" and application.award.amount == program.allocated_to("OH")
    assert ohio.post(f"/grants/applications/{application.pk}/", {"action": "award"}).status_code == 403


def test_an_award_refused_shows_the_statutory_reason(programs):
    program = programs["s2261-7"]
    application = Application.objects.get(program=program, applicant__key="state:WI")
    _, officer = make_member("grants_officer")
    answer = officer.post(
        f"/grants/applications/{application.pk}/", {"action": "award", "payments": "1", "first_due": "2027-01-15"}, follow=True
    )
    text = answer.content.decode()
    assert "cannot be awarded" in text and "S.2261 §7(b)(2)(A)(i)" in text
    application.refresh_from_db()
    assert application.status == "submitted"


def test_providers_and_the_api(programs):
    _, wisconsin = make_member("chief_state_election_official", "state:WI")
    page = wisconsin.get("/grants/providers/").content.decode()
    assert "BallotWorks" in page and "HAVA §297B(b)(2)(E)" in page and "Edit the checklist" not in page
    assert wisconsin.get("/grants/providers/new/").status_code == 403
    listed = wisconsin.get("/api/grants/programs").json()
    assert {p["statute"] for p in listed} >= {"s2261-7", "hr5011-297"}
    table = wisconsin.get(f"/api/grants/programs/{programs['s2261-7'].pk}/allocation").json()
    assert table["frozen"] and table["total"] == 386_000_000
    mine = wisconsin.get("/api/grants/applications").json()
    assert [a["applicant"] for a in mine] == ["Wisconsin chief State election official's office"] or all(
        "Wisconsin" in a["applicant"] for a in mine
    )
    other = Application.objects.get(applicant__key="state:MN")
    assert wisconsin.get(f"/api/grants/applications/{other.pk}").status_code == 404


def test_drafts_and_writes_are_the_officers_alone(programs):

    from safelect.core.accounts.actor import Actor
    from safelect.core.accounts.models import Membership
    from safelect.programs.grants import services

    officer_user, officer = make_member("grants_officer")
    draft = services.create_program(
        Actor.member(Membership.objects.get(user=officer_user)),
        {
            "title": "Draft",
            "statute": "hr5011-298",
            "fiscal_year": 2027,
            "appropriation": "20000000",
            "opens_on": timezone.localdate(timezone.now(), ZoneInfo("America/Chicago")),
            "closes_on": timezone.localdate(timezone.now(), ZoneInfo("America/Chicago")),
        },
    )
    _, wisconsin = make_member("chief_state_election_official", "state:WI")
    assert wisconsin.get(f"/grants/programs/{draft.pk}/").status_code == 404
    assert wisconsin.get(f"/api/grants/programs/{draft.pk}/allocation").status_code == 404
    assert draft.pk not in [p["id"] for p in wisconsin.get("/api/grants/programs").json()]
    assert wisconsin.post(f"/grants/programs/{draft.pk}/", {"action": "publish"}).status_code == 404
    published = programs["s2261-7"]
    assert wisconsin.post(f"/grants/programs/{published.pk}/", {"action": "award_cycle"}).status_code == 404
    assert officer.get(f"/grants/programs/{draft.pk}/").status_code == 200
    _, county = make_member("local_election_official")
    answer = county.post(f"/grants/programs/{published.pk}/apply/", {"action": "submit", "implementation": "x"})
    assert "may not apply to this program" in answer.content.decode()
    assert not Application.objects.filter(applicant__key="jurisdiction:0100100000").exists()
    payment_target = Application.objects.get(applicant__key="state:MN").award.payments.last()
    _, minnesota = make_member("chief_state_election_official", "state:MN")
    assert (
        minnesota.post(
            f"/grants/applications/{payment_target.award.application.pk}/",
            {"action": "paid", "payment": payment_target.pk, "paid_on": "2026-11-30"},
        ).status_code
        == 403
    )
    payment_target.refresh_from_db()
    assert payment_target.paid_on is None
