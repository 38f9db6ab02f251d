"""The preparedness services: each clock from the obligations registry, each write per role and
against other organizations' objects, the report's figures against an independent count, and the
public catalog."""

from __future__ import annotations

import datetime as dt
import io
import json
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Clearance, Membership
from safelect.core.accounts.testing import assert_access, make_member
from safelect.core.directory.models import Organization
from safelect.core.obligations.models import Obligation
from safelect.programs.preparedness import assessments, catalog, clearances, report, threats
from safelect.programs.preparedness.models import AssessmentTeam, CatalogService, ClearanceRequest, ThreatAssessment

pytestmark = pytest.mark.django_db
EASTERN = zoneinfo.ZoneInfo("America/New_York")


def _actor(role: str, key: str | None = None):
    user, client = make_member(role, key)
    return Actor.member(Membership.objects.get(user=user)), client, user


def _clock(code: str, subject) -> Obligation:
    return Obligation.objects.get(duty_code=code, subject_type=subject._meta.label_lower, subject_id=str(subject.pk))


def test_the_90_day_and_30_day_clocks_start_with_the_states_request_not_the_local_draft():
    county, county_client, _ = _actor("local_election_official", "jurisdiction:0100100000")
    draft = assessments.request_assessment(county, {"systems": "Poll books\n\n  EMS server  "})
    assert draft.status == "awaiting_state" and draft.systems == "Poll books\nEMS server" and draft.received_at is None
    assert not Obligation.objects.filter(subject_type="preparedness.assessmentrequest", subject_id=str(draft.pk)).exists()
    wisconsin, _, _ = _actor("chief_state_election_official", "state:WI")
    with pytest.raises(PermissionDenied):
        assessments.submit_for_state(wisconsin, draft)  # another State's draft
    with pytest.raises(PermissionDenied):
        assessments.submit_for_state(county, draft)  # the county cannot make the State's request
    alabama, _, _ = _actor("chief_state_election_official", "state:AL")
    sent = assessments.submit_for_state(alabama, draft)
    commence = _clock("HR5011-205b1", sent)
    assert commence.holder.key == "national-office" and "90 calendar days" in commence.rule_description
    # the registry's rules: end of the 90th (30th) calendar day after the request, in the holder's zone
    zone = zoneinfo.ZoneInfo(commence.time_zone)
    received = timezone.localtime(sent.received_at, zone).date()
    assert timezone.localtime(commence.due_at, zone).date() == received + dt.timedelta(days=90)
    assert assessments.commence_by(sent) == commence.due_at
    county_zone = zoneinfo.ZoneInfo(sent.agency.time_zone)
    private = timezone.localtime(assessments.private_evaluation_from(sent), county_zone)
    assert private.date() == timezone.localtime(sent.received_at, county_zone).date() + dt.timedelta(days=30)
    assert (private.hour, private.minute) == (23, 59)  # the end of the 30th day in the county's zone
    assert not Obligation.objects.filter(duty_code="S2261-7f4").exists()  # a permission, not a duty
    page = county_client.get(f"/services/assessments/{sent.pk}/").content.decode()
    assert "may procure a reasonably equivalent evaluation" in page


def test_the_threat_assessment_clock_is_180_days_before_the_2026_and_2028_general_elections():
    staff, _, _ = _actor("national_program_staff")
    for year, election in ((2026, dt.date(2026, 11, 3)), (2028, dt.date(2028, 11, 7))):
        cycle = threats.clock_for(year)
        office = Organization.objects.get(key="national-office")
        due = timezone.localtime(cycle.due_at, zoneinfo.ZoneInfo(office.time_zone)).date()
        assert due == election - dt.timedelta(days=180)
        threats.plan_year(staff, year)
        assert ThreatAssessment.objects.filter(election_year=year).count() == 55  # HAVA's States
        wisconsin = ThreatAssessment.objects.get(election_year=year, state__usps="WI")
        assert threats.due_at(wisconsin) == cycle.due_at
    assert threats.plan_year(staff, 2026) == 0  # idempotent
    with pytest.raises(ValidationError):
        threats.plan_year(staff, 2027)


def test_delivering_a_threat_assessment_fulfils_that_states_clock_for_that_election_only():
    staff, staff_client, _ = _actor("national_program_staff")
    threats.plan_year(staff, 2026)
    threats.plan_year(staff, 2028)
    wisconsin = ThreatAssessment.objects.get(election_year=2026, state__usps="WI")
    with pytest.raises(ValidationError, match="how it was delivered"):
        threats.advance(staff, wisconsin, "delivered", "")
    chief, chief_client, _ = _actor("chief_state_election_official", "state:WI")
    with pytest.raises(PermissionDenied):
        threats.advance(chief, wisconsin, "drafting")
    threats.advance(staff, wisconsin, "developed")
    with pytest.raises(ValidationError, match="later step"):
        threats.advance(staff, wisconsin, "drafting")
    done = threats.advance(staff, wisconsin, "delivered", "Classified briefing at the fusion center.")
    assert done.delivered_at and done.developed_at
    office = Organization.objects.get(key="state:WI")
    clocks = Obligation.objects.filter(duty_code="HR5011-204a", subject_type="directory.organization", subject_id=str(office.pk))
    assert clocks.get(cycle="2026 general election").is_closed and not clocks.get(cycle="2028 general election").is_closed
    page = chief_client.get("/services/threats/?year=2026").content.decode()
    assert "Wisconsin" in page and "Minnesota" not in page  # a State sees its own
    assert (
        chief_client.get(f"/services/threats/{ThreatAssessment.objects.get(election_year=2026, state__usps='MN').pk}/").status_code == 404
    )


def test_scheduling_respects_capacity_and_a_late_start_sends_the_notice():
    alabama, alabama_client, _ = _actor("chief_state_election_official", "state:AL")
    staff, staff_client, _ = _actor("national_program_staff")
    team = AssessmentTeam.objects.create(name="Team Test", capacity=1)
    first = assessments.request_assessment(alabama, {"systems": "EMS", "agency": "Autauga County"})
    second = assessments.request_assessment(alabama, {"systems": "Registration"})
    today = timezone.localdate()
    assessments.schedule(staff, first, team, today + dt.timedelta(days=10), today + dt.timedelta(days=14))
    with pytest.raises(ValidationError, match="already runs 1"):
        assessments.schedule(staff, second, team, today + dt.timedelta(days=14), today + dt.timedelta(days=16))
    with pytest.raises(ValidationError):
        assessments.schedule(staff, second, team, today - dt.timedelta(days=1), today + dt.timedelta(days=2))
    with pytest.raises(PermissionDenied):
        assessments.schedule(alabama, second, team, today + dt.timedelta(days=20), today + dt.timedelta(days=21))
    late = assessments.schedule(staff, second, team, today + dt.timedelta(days=100), today + dt.timedelta(days=101))
    assert late.notice_sent_at is not None and _clock("HR5011-205b2", late).is_closed
    assert first.notice_sent_at is None and not Obligation.objects.filter(duty_code="HR5011-205b2", subject_id=str(first.pk)).exists()
    assessments.commence(staff, assessments.visible(staff).get(pk=first.pk))
    assert _clock("HR5011-205b1", first).is_closed
    calendar = staff_client.get("/services/assessments/calendar/").content.decode()
    assert first.reference in calendar


def test_a_report_reaches_only_the_state_the_agency_and_the_team():
    alabama, alabama_client, _ = _actor("chief_state_election_official", "state:AL")
    staff, staff_client, _ = _actor("national_program_staff")
    team = AssessmentTeam.objects.create(name="Team Report", capacity=3)
    made = assessments.request_assessment(alabama, {"systems": "EMS", "agency": "jurisdiction:0100100000"})
    today = timezone.localdate()
    assessments.schedule(staff, made, team, today, today + dt.timedelta(days=2))
    assessments.commence(staff, made)
    with pytest.raises(ValidationError, match="Remediation 1"):
        assessments.deliver_report(
            staff, made, "Findings: default passwords on the EMS.", "amber+strict", [{"title": "x", "owner": "", "due_on": None}]
        )
    assessments.deliver_report(
        staff,
        made,
        "Findings: default passwords on the EMS server.",
        "amber+strict",
        [{"title": "Change the passwords", "owner": "County IT", "due_on": today + dt.timedelta(days=10)}],
    )
    path = f"/services/assessments/{made.pk}/"
    allowed = {"national_program_staff", "chief_state_election_official", "state_election_staff", "local_election_official"}
    assert_access(
        path,
        allowed,
        organization_for_role={"chief_state_election_official": "state:AL", "state_election_staff": "state:AL"},
    )
    _, baldwin_client, _ = _actor("local_election_official", "jurisdiction:0100300000")
    assert baldwin_client.get(path).status_code == 404  # another county of the same State
    _, wisconsin_client, _ = _actor("chief_state_election_official", "state:WI")
    assert wisconsin_client.get(path).status_code == 404
    page = alabama_client.get(path).content.decode()
    assert "default passwords" in page and "TLP:AMBER+STRICT" in page
    county, county_client, _ = _actor("local_election_official", "jurisdiction:0100100000")
    item = made.remediations.get()
    baldwin, _, _ = _actor("local_election_official", "jurisdiction:0100300000")
    with pytest.raises(PermissionDenied):
        assessments.close_remediation(baldwin, item, "done")
    with pytest.raises(ValidationError):
        assessments.close_remediation(county, item, "")
    answer = county_client.post(path, {"action": "close_item", "item": item.pk, "note": "Passwords changed and recorded."})
    assert answer.status_code == 302
    made.refresh_from_db()
    assert made.status == "closed"


def test_clearance_requests_follow_the_statute_and_feed_the_kernels_record():
    chief, chief_client, chief_user = _actor("chief_state_election_official", "state:WI")
    officer, officer_client, _ = _actor("clearance_officer")
    staff_user, _ = make_member("state_election_staff", "state:WI")
    with pytest.raises(PermissionDenied):
        clearances.request_clearance(chief, {"person": staff_user.email, "category": "commission"})
    with pytest.raises(ValidationError, match="No active member"):
        clearances.request_clearance(chief, {"person": "nobody@test.safelect.invalid", "category": "state_technical"})
    made = clearances.request_clearance(
        chief, {"person": staff_user.email, "category": "state_technical", "level": "secret", "temporary": True}
    )
    assert made.expedited and made.state.usps == "WI"
    with pytest.raises(ValidationError, match="in progress"):
        clearances.request_clearance(chief, {"person": staff_user.email, "category": "state_technical"})
    county, _, county_user = _actor("local_election_official", "jurisdiction:0100100000")
    other = clearances.request_clearance(county, {"person": county_user.email, "category": "other_agency"})
    assert not other.expedited
    with pytest.raises(PermissionDenied):
        clearances.set_status(chief, made, "forms_submitted", timezone.localdate())
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        clearances.set_status(officer, made, "final", today)  # forms first
    with pytest.raises(ValidationError, match="future"):
        clearances.set_status(officer, made, "forms_submitted", today + dt.timedelta(days=1))
    clearances.set_status(officer, made, "forms_submitted", today)
    clearances.issue_temporary(officer, made, today, today + dt.timedelta(days=90))
    made.refresh_from_db()
    assert made.clearance.kind == "temporary" and clearances.holds_clearance(staff_user)
    clearances.set_status(officer, made, "final", today)
    made.refresh_from_db()
    assert made.clearance.kind == "final" and Clearance.objects.filter(user=staff_user, status="active").count() == 1
    clearances.set_status(officer, made, "expired", today)
    assert not clearances.holds_clearance(staff_user)
    # scope: Wisconsin sees its requests, not Alabama's county's
    listed = chief_client.get("/services/clearances/").content.decode()
    assert made.reference in listed and other.reference not in listed
    assert chief_client.get(f"/services/clearances/{other.pk}/").status_code == 404
    bad = officer_client.post(
        f"/services/clearances/{other.pk}/", {"action": "status", "status-status": "final", "status-on": "2020-01-01"}
    )
    assert bad.status_code == 200 and ClearanceRequest.objects.get(pk=other.pk).status == "requested"


def test_the_annual_report_equals_an_independent_count():
    chief, _, _ = _actor("chief_state_election_official", "state:WI")
    alabama, _, _ = _actor("chief_state_election_official", "state:AL")
    officer, _, _ = _actor("clearance_officer")
    staff, staff_client, _ = _actor("national_program_staff")
    people = [make_member("state_election_staff", "state:WI")[0] for _ in range(3)]
    today = timezone.localdate()
    for n, person in enumerate(people):
        made = clearances.request_clearance(chief, {"person": person.email, "category": "state_technical"})
        if n < 2:
            clearances.set_status(officer, made, "forms_submitted", today)
        if n == 0:
            clearances.issue_temporary(officer, made, today, today + dt.timedelta(days=30))
    team = AssessmentTeam.objects.create(name="Team Count", capacity=5)
    rva = assessments.request_assessment(alabama, {"systems": "EMS"})
    assessments.schedule(staff, rva, team, today, today + dt.timedelta(days=1))
    assessments.commence(staff, rva)
    year = today.year
    figures = report.figures(year)
    by_state = {row["state"]: row for row in figures["states"]}
    # independent count from the records
    wisconsin_requests = ClearanceRequest.objects.filter(state__usps="WI", requested_at__year=year)
    assert by_state["Wisconsin"]["sponsored"] == wisconsin_requests.count() == 3
    assert by_state["Wisconsin"]["officials"] == wisconsin_requests.values("person").distinct().count()
    assert by_state["Wisconsin"]["by_kind"] == {"Designated technical staff of a State election agency": 3}
    assert by_state["Wisconsin"]["temporary"] == ClearanceRequest.objects.filter(state__usps="WI", temporary_on__year=year).count() == 1
    assert [a["reference"] for a in by_state["Alabama"]["assessments"]] == [rva.reference]
    started = assessments.visible(staff).get(pk=rva.pk)
    assert by_state["Alabama"]["assessments"][0]["commenced"] == timezone.localtime(started.commenced_at).date().isoformat()
    assert by_state["Alabama"]["assessments"][0]["received"] == timezone.localtime(started.received_at).date().isoformat()
    assert figures["totals"]["states_helped"] == len(by_state)
    if year <= report.LAST_YEAR:
        draft = report.draft(staff, year)
        assert draft.figures == json.loads(json.dumps(figures))
        xlsx = staff_client.get(f"/services/report/?year={year}&format=xlsx")
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
        assert rows["Wisconsin"][1:4] == (3, 3, 1)
        assert staff_client.get(f"/services/report/?year={year}&format=pdf").content.startswith(b"%PDF")
        report.submit(staff, draft)
        with pytest.raises(ValidationError, match="submitted"):
            report.draft(staff, year)


def test_the_public_catalog_works_without_signing_in_and_shows_the_annex_only_to_the_cleared():
    staff, staff_client, _ = _actor("national_program_staff")
    with pytest.raises(ValidationError) as refused:
        catalog.save_service(staff, {"title": "", "contact_email": "not-an-email", "category": "x"})
    assert {"title", "contact_email", "category"} <= set(refused.value.message_dict)
    county, _, _ = _actor("local_election_official")
    with pytest.raises(PermissionDenied):
        catalog.save_service(county, {})
    values = {
        "title": "Network sensors",
        "agency": "Test Agency",
        "category": "monitoring",
        "summary": "Sensors that watch traffic.",
        "eligibility": "Election offices",
        "how_to_request": "Write to us",
        "contact_name": "Desk",
        "contact_email": "desk@test.safelect.invalid",
        "annex_note": "Ask the fusion center for the annex entry.",
        "published": True,
    }
    made = catalog.save_service(staff, values)
    catalog.save_service(staff, {**values, "title": "Hidden", "published": False})
    public = Client()
    page = public.get("/services/").content.decode()
    assert "Network sensors" in page and "Hidden" not in page and "Ask the fusion center" not in page and "classified annex" in page
    assert "Network sensors" not in public.get("/services/?q=phishing").content.decode()
    assert "Network sensors" in public.get("/services/?category=monitoring&agency=Test+Agency").content.decode()
    data = public.get("/services/catalog.json").json()
    entry = next(s for s in data["services"] if s["id"] == made.slug)
    assert entry["point_of_contact"]["email"] == "desk@test.safelect.invalid" and entry["classified_annex"] is True
    assert "annex_note" not in json.dumps(data) and "fusion center" not in json.dumps(data)
    assert "Network sensors" in public.get("/services/print/").content.decode()
    user, cleared_client = make_member("chief_state_election_official", "state:WI")
    national = Organization.objects.get(key="national-office")
    from safelect.core.accounts import services as accounts

    accounts.grant_clearance(
        Actor.system(national), user=user, level="secret", kind="final", sponsor=national, granted_on=timezone.localdate()
    )
    assert "Ask the fusion center" in cleared_client.get("/services/").content.decode()
    listing = staff_client.get("/services/").content.decode()
    assert "Not published" in listing and "Hidden" in listing  # staff find the entries they hid
    assert public.get(f"/services/catalog/{made.slug}/edit/").status_code in (302, 403)
    assert CatalogService.objects.filter(published=True).count() >= 1


def test_every_page_declares_who_may_open_it():
    from safelect.core.accounts.roles import ROLES

    assert_access("/services/", {"anonymous", *ROLES})
    assert_access(
        "/services/assessments/",
        {"national_program_staff", "chief_state_election_official", "state_election_staff", "local_election_official"},
    )
    assert_access("/services/assessments/calendar/", {"national_program_staff"})
    assert_access(
        "/services/clearances/",
        {
            "national_program_staff",
            "national_leadership",
            "clearance_officer",
            "chief_state_election_official",
            "state_election_staff",
            "local_election_official",
        },
    )
    assert_access(
        "/services/threats/", {"national_program_staff", "national_leadership", "chief_state_election_official", "state_election_staff"}
    )
    assert_access("/services/report/", {"national_program_staff", "national_leadership"})
    assert_access("/services/catalog/new/", {"national_program_staff"})


def test_demo_runs_through_the_services():
    from safelect.core.accounts import demo as accounts_demo
    from safelect.core.obligations import demo as obligations_demo
    from safelect.programs.preparedness import demo
    from safelect.programs.preparedness.models import AssessmentRequest

    accounts_demo.create_demo_data()
    obligations_demo.create_demo_data()
    demo.create_demo_data()
    assert CatalogService.objects.filter(published=True).count() == len(demo.SERVICES)
    autauga = AssessmentRequest.objects.get(agency__key="jurisdiction:0100100000")
    assert autauga.notice_sent_at and autauga.status == "delivered" and autauga.remediations.filter(closed_at__isnull=False).count() == 1
    assert AssessmentRequest.objects.filter(status="awaiting_state").count() == 1
    chief = ClearanceRequest.objects.get(person__email=accounts_demo.demo_email("wi-chief"))
    assert chief.status == "final" and clearances.holds_clearance(chief.person)
    delivered = ThreatAssessment.objects.filter(election_year=2026, status="delivered")
    assert 0 < delivered.count() < 55 and not delivered.filter(state__usps__in=["WI", "PA", "AZ"]).exists()
    from safelect.programs.preparedness.models import SharingAssessment

    assert list(SharingAssessment.objects.order_by("pk").values_list("status", flat=True)) == ["comments", "comments"]
    earlier = SharingAssessment.objects.order_by("pk").first()
    assert not earlier.solicitation.is_open and earlier.solicitation.comments.filter(disposition="").count() == 1
    demo.create_demo_data()  # idempotent
    assert AssessmentRequest.objects.count() == 3 and ClearanceRequest.objects.count() == 3 and SharingAssessment.objects.count() == 2


def test_the_interstate_assessment_hears_every_state_then_reaches_every_agency():
    from safelect.core.comments import services as comments
    from safelect.core.comments.models import Solicitation
    from safelect.programs.preparedness import interstate
    from safelect.programs.preparedness.models import Distribution

    staff, staff_client, _ = _actor("national_program_staff")
    county, _, _ = _actor("local_election_official")
    with pytest.raises(PermissionDenied):
        interstate.create(county, "x", "y" * 30)
    with pytest.raises(ValidationError):
        interstate.create(staff, "", "short")
    made = interstate.create(staff, "MS-ISAC and regional sharing, 2026", "How States share election threat information today " * 2)
    solicited = interstate.solicit(staff, made)
    sol = solicited.solicitation
    # the comment period comes from the registry's policy duty: 45 days, to the end of the day
    clock = _clock("PREP-4O-COMMENTS", solicited)
    zone = zoneinfo.ZoneInfo(clock.time_zone)
    assert sol.closes_at == clock.due_at == interstate.comment_period_end(sol.opens_at)
    assert timezone.localtime(clock.due_at, zone).date() == timezone.localtime(sol.opens_at, zone).date() + dt.timedelta(days=45)
    wisconsin, _, _ = _actor("chief_state_election_official", "state:WI")
    comment = comments.submit_comment(wisconsin, sol, "The EI-ISAC works for us; regional calls fill the gaps.")
    with pytest.raises(ValidationError, match="close on"):
        interstate.issue(staff, solicited, "Findings " * 10)
    Solicitation.objects.filter(pk=sol.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="no disposition"):
        interstate.issue(staff, solicited, "Findings " * 10)
    comments.dispose(staff, comment, "adopted", "Regional calls are recommended in the assessment.")
    issued = interstate.issue(staff, solicited, "The MS-ISAC's election services reach every State; findings follow. " * 2)
    kinds = ("state_election_office", "local_election_agency", "eac", "congress")
    assert Distribution.objects.filter(assessment=issued).count() == Organization.objects.filter(kind__in=kinds).count()
    wi = Distribution.objects.get(assessment=issued, organization__key="state:WI")
    assert wi.members_notified >= 1 and not wi.by_letter
    assert Distribution.objects.filter(assessment=issued, by_letter=True).exists()  # most agencies have no member here
    assert clock.__class__.objects.get(pk=clock.pk).is_closed
    page = staff_client.get(f"/services/interstate/{issued.pk}/").content.decode()
    assert "Distribution" in page and "Local election agency" in page
    with pytest.raises(ValidationError):
        interstate.issue(staff, issued, "again " * 20)


def test_every_write_by_every_role_against_another_organizations_object_changes_nothing():
    """Each page write, tried by one member of every role (at the role's usual organization): only
    the listed roles change the Alabama assessment, the Autauga clearance request, the Alabama
    threat assessment; every other answer leaves the record as it was."""
    from safelect.core.accounts.roles import ROLES
    from safelect.programs.preparedness.models import AssessmentRequest

    alabama, _, _ = _actor("chief_state_election_official", "state:AL")
    staff, _, _ = _actor("national_program_staff")
    county, _, county_user = _actor("local_election_official", "jurisdiction:0100100000")
    team = AssessmentTeam.objects.create(name="Team Matrix", capacity=50)
    today = timezone.localdate()
    writes = [
        (
            "schedule an Alabama assessment",
            lambda: assessments.request_assessment(alabama, {"systems": "EMS"}),
            lambda a: (
                f"/services/assessments/{a.pk}/",
                {
                    "action": "schedule",
                    "schedule-team": team.pk,
                    "schedule-start_on": str(today + dt.timedelta(days=5)),
                    "schedule-end_on": str(today + dt.timedelta(days=6)),
                },
            ),
            lambda a: AssessmentRequest.objects.get(pk=a.pk).status == "scheduled",
            {"national_program_staff"},
        ),
        (
            "send Autauga's draft as Alabama's request",
            lambda: assessments.request_assessment(county, {"systems": "Poll books"}),
            lambda a: (f"/services/assessments/{a.pk}/", {"action": "submit"}),
            lambda a: AssessmentRequest.objects.get(pk=a.pk).status == "requested",
            set(),  # only Alabama's own office, which no default membership is
        ),
        (
            "record a clearance status",
            lambda: (
                clearances.request_clearance(county, {"person": county_user.email, "category": "other_agency"})
                if not ClearanceRequest.objects.filter(person=county_user, status="requested").exists()
                else ClearanceRequest.objects.get(person=county_user, status="requested")
            ),
            lambda c: (f"/services/clearances/{c.pk}/", {"action": "status", "status-status": "forms_submitted", "status-on": str(today)}),
            lambda c: ClearanceRequest.objects.get(pk=c.pk).status == "forms_submitted",
            {"clearance_officer"},
        ),
    ]
    wrong = []
    for name, make, request_for, changed, allowed in writes:
        for role in ROLES:
            target = make()
            _, client = make_member(role)
            path, data = request_for(target)
            answer = client.post(path, data)
            took = changed(target)
            if role in allowed:
                if not took:
                    wrong.append(f"{name}: {role} should have succeeded ({answer.status_code})")
            elif took or answer.status_code >= 500:
                wrong.append(f"{name}: {role} changed it or failed ({answer.status_code})")
            if took and name == "record a clearance status":
                ClearanceRequest.objects.filter(pk=target.pk).update(status="requested", forms_submitted_on=None)
    assert not wrong, "\n".join(wrong)
