"""Reports to Congress and the bodies: every report's clock comes from the registry and its recipients
from the congress data; drafting, review, approval and submission each refuse the wrong role and the
wrong state; the strategy starts the implementation plan's 90 days; the Commission's appointment,
vacancy, first-meeting and final-report clocks follow what is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.core.directory.congress import SEC3_2_COMMITTEES, shipped_files
from safelect.core.directory.models import CongressCommittee
from safelect.core.directory.queries import national_office
from safelect.core.obligations import services as obligations
from safelect.core.obligations.models import Obligation
from safelect.core.obligations.registry import all_duties
from safelect.core.obligations.registry import get as get_duty
from safelect.programs.governance import bodies, catalog, plan, reports
from safelect.programs.governance.models import Body, Report
from safelect.programs.governance.recipients import resolve

pytestmark = pytest.mark.django_db


def _actor(role: str):
    user, client = make_member(role)
    return Actor.member(Membership.objects.get(user=user)), client


def test_every_report_kind_names_a_registry_duty_with_its_citation():
    codes = {d.code: d for d in all_duties()}
    for kind in catalog.KINDS:
        if kind.duty:
            assert kind.duty in codes, kind.key
            assert codes[kind.duty].citation == kind.citation, kind.key
        else:  # no statutory deadline: the register says so
            assert kind.key in {"panel-recommendations", "commission-interim", "sharing-assessment", "significance-definition"}


def test_every_recipient_comes_from_the_congress_data():
    committees = {c["thomas_id"]: c["name"] for c in yaml.safe_load((shipped_files() / "committees-current.yaml").read_text())}
    for kind in catalog.KINDS:
        found = resolve(kind.recipients)
        assert found and not any(r.get("missing") for r in found), kind.key
        for r in found:
            if r["kind"] == "committee":
                assert r["name"] == committees[r["code"]]
    sec3 = resolve(["sec3_2"])
    assert [r["code"] for r in sec3 if r["kind"] == "committee"] == [code for code, _ in SEC3_2_COMMITTEES]
    assert len([r for r in sec3 if r["kind"] == "leader"]) == 4
    # H.R. 5011 §206 names four committees; §402 three
    assert [r["code"] for r in resolve(catalog.BY_KEY["clearance-assessment"].recipients)] == ["HSHM", "HSHA", "SSGA", "SSRA"]
    assert [r["code"] for r in resolve(catalog.BY_KEY["resources"].recipients)] == ["HSHM", "HSHA", "SSGA"]
    # a committee the data lacks is named as missing, and submission is then refused
    CongressCommittee.objects.filter(code="SSRA").update(is_current=False)
    assert any(r.get("missing") and r["code"] == "SSRA" for r in resolve(["sec3_2"]))


def _written(staff, kind: str) -> Report:
    report = reports.start(staff, kind)
    texts = {s["key"]: f"Text of {s['heading']}." for s in report.sections if not s["generated"]}
    return reports.write(staff, report, texts=texts, authors="Office of Election Security")


def test_a_report_from_draft_to_submission_with_its_clock():
    staff, _ = _actor("national_program_staff")
    director, _ = _actor("national_leadership")
    state, _ = _actor("chief_state_election_official")
    with pytest.raises(PermissionDenied):
        reports.start(state, "resources")
    with pytest.raises(PermissionDenied):
        reports.start(director, "resources")
    with pytest.raises(ValidationError, match="drafted in safelect"):
        reports.start(staff, "paper-ballot-grants")  # drafted in the grants program
    report = reports.start(staff, "resources")
    # the clock is the registry's: H.R. 5011 §402, 120 days after enactment
    office = national_office()
    assert report.obligation.duty_code == "HR5011-402"
    assert report.obligation.due_at == get_duty("HR5011-402").due(None, office.time_zone, enactment=obligations.enactment())
    with pytest.raises(ValidationError, match="exists already"):
        reports.start(staff, "resources")
    with pytest.raises(ValidationError, match="Write every section"):
        reports.send_for_review(staff, report)
    with pytest.raises(ValidationError, match="No such section"):
        reports.write(staff, report, texts={"clocks": "made up"})  # a generated section is not written by hand
    report = reports.write(staff, report, texts={"funding": "Enough.", "resources": "Enough.", "personnel": "Short by 12."}, authors="OES")
    generated = next(s for s in report.sections if s["key"] == "clocks")
    assert "statutory deadline(s) tracked in safelect fell due" in generated["text"]
    report = reports.send_for_review(staff, report)
    with pytest.raises(PermissionDenied):
        reports.review(staff, report, approve=True)
    with pytest.raises(ValidationError, match="Say what to change"):
        reports.review(director, report, approve=False)
    report = reports.review(director, report, approve=False, note="Add the staffing table.")
    assert report.status == "drafting"
    report = reports.send_for_review(staff, report)
    report = reports.review(director, report, approve=True)
    with pytest.raises(PermissionDenied):
        reports.submit(staff, report)
    with pytest.raises(ValidationError, match="not in the future"):
        reports.submit(director, report, at=timezone.now() + dt.timedelta(days=2))
    report = reports.submit(director, report, public=True)
    assert [r["code"] for r in report.recipients] == ["HSHM", "HSHA", "SSGA"]
    obligation = Obligation.objects.get(pk=report.obligation_id)
    assert obligation.status in ("fulfilled_on_time", "fulfilled_late") and obligation.fulfilled_at == report.submitted_at
    # the public sees the submitted public version and its PDF
    client = Client()
    assert client.get(reverse("governance:report", args=[report.pk])).status_code == 200
    pdf = client.get(reverse("governance:report-pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_approver_is_not_the_drafter_and_protected_reports_stay_private():
    staff, staff_client = _actor("national_program_staff")
    director, _ = _actor("national_leadership")
    report = reports.start(staff, "foreign-threats")
    # §6(a)(2): the State election agencies' comments are solicited when the report starts
    assert report.solicitation is not None and report.solicitation.audience_kinds == ["state_election_office"]
    assert Client().get(reverse("governance:report", args=[report.pk])).status_code == 404
    _, state_client = _actor("chief_state_election_official")
    assert state_client.get(reverse("governance:report", args=[report.pk])).status_code == 404
    assert staff_client.get(reverse("governance:report", args=[report.pk])).status_code == 200
    report = reports.write(staff, report, texts={"threats": "Demo threats."}, authors="OES and ODNI")
    report = reports.send_for_review(staff, report)
    report = reports.review(director, report, approve=True)
    with pytest.raises(ValidationError, match="not published"):
        reports.submit(director, report, public=True)
    report = reports.submit(director, report)
    assert not report.is_public and Client().get(reverse("governance:report", args=[report.pk])).status_code == 404
    # a person holding both roles may not approve the report they started
    both = Membership.objects.get(user=staff.user)
    both.roles = [*both.roles, "national_leadership"]
    both.save(update_fields=["roles"])
    both_actor = Actor.member(both)
    own = reports.send_for_review(both_actor, _written(both_actor, "resources"))
    with pytest.raises(ValidationError, match="Someone other than"):
        reports.review(both_actor, own, approve=True)


def test_the_strategy_starts_the_plan_and_the_plan_tracks_progress():
    staff, staff_client = _actor("national_program_staff")
    director, _ = _actor("national_leadership")
    with pytest.raises(ValidationError, match="follows the issue of the national strategy"):
        reports.start(staff, "implementation-plan")
    strategy = _written(staff, "strategy")
    assert [s["cites"] for s in strategy.sections] == [f"H.R. 5011 §301(b)({n})" for n in range(1, 8)]
    strategy = reports.review(director, reports.send_for_review(staff, strategy), approve=True)
    strategy = reports.submit(director, strategy, public=True)
    clock = Obligation.objects.get(duty_code="HR5011-301c")
    assert clock.due_at == get_duty("HR5011-301c").due(strategy.submitted_at, national_office().time_zone)
    p = reports.start(staff, "implementation-plan")
    assert p.obligation_id == clock.pk
    objective = plan.add_objective(staff, p, title="Every State exercises its response plan", strategy_topic="H.R. 5011 §301(b)(2)")
    with pytest.raises(ValidationError, match="consideration"):
        plan.add_objective(staff, p, title="x", strategy_topic="a ninth consideration")
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="due after it starts"):
        plan.add_task(staff, objective, title="T", starts_on=today, due_on=today - dt.timedelta(days=1), cost=1, metric="m", target=1)
    with pytest.raises(ValidationError, match="Enter a number"):
        plan.add_task(staff, objective, title="T", starts_on=today, due_on=today, cost="lots", metric="m", target=1)
    task = plan.add_task(
        staff,
        objective,
        title="Tabletops",
        starts_on=today,
        due_on=today + dt.timedelta(days=90),
        cost="$1,200,000",
        metric="States",
        target=55,
        unit="States",
    )
    plan.update_progress(staff, task, "22")
    assert plan.progress_by_objective(p)[0]["progress"] == 40
    state, _ = _actor("chief_state_election_official")
    with pytest.raises(PermissionDenied):
        plan.update_progress(state, task, "55")
    p = reports.write(staff, p, texts={}, authors="OES")
    objectives = next(s for s in p.sections if s["key"] == "objectives")
    assert "1 strategic objective(s) with 1 task(s)" in objectives["text"]
    page = staff_client.get(reverse("governance:report", args=[p.pk]))
    assert page.status_code == 200 and b"Progress of each strategic objective" in page.content and b"40 %" in page.content


def _commission(staff) -> Body:
    return bodies.establish(staff, "commission", name="National Commission", established_on=timezone.localdate() - dt.timedelta(days=30))


SEATS = [
    "secretary",
    "chairman",
    "senate_majority",
    "senate_majority",
    "senate_minority",
    "senate_minority",
    "speaker",
    "speaker",
    "house_minority",
]


def test_the_commission_clocks_follow_appointments_vacancies_and_meetings():
    staff, staff_client = _actor("national_program_staff")
    state, _ = _actor("chief_state_election_official")
    with pytest.raises(PermissionDenied):
        _commission(state)
    body = _commission(staff)
    with pytest.raises(ValidationError, match="already recorded"):
        _commission(staff)
    office = national_office()
    # establishing the Commission opens §302(c)(4): all members within 60 days of enactment
    appoint_all = Obligation.objects.get(duty_code="HR5011-302c4")
    assert appoint_all.due_at == get_duty("HR5011-302c4").due(None, office.time_zone, enactment=obligations.enactment())
    day = timezone.localdate() - dt.timedelta(days=10)
    for n, who in enumerate(SEATS):
        bodies.appoint(staff, body, name=f"Member {n}", appointed_by=who, expertise="cybersecurity", appointed_on=day)
    assert not Obligation.objects.filter(duty_code="HR5011-302e1").exists()
    status = bodies.status(body)
    assert any("§302(c)(1)(F)" in v for v in status["violations"])
    tenth = bodies.appoint(staff, body, name="Member 9", appointed_by="house_minority", expertise="law", appointed_on=day)
    appoint_all.refresh_from_db()
    assert appoint_all.status in ("fulfilled_on_time", "fulfilled_late")
    first = Obligation.objects.get(duty_code="HR5011-302e1")
    assert first.due_at == get_duty("HR5011-302e1").due(bodies._at(day), office.time_zone)
    with pytest.raises(ValidationError, match="appoints no member"):
        bodies.appoint(staff, body, name="X", appointed_by="nass", expertise="law", appointed_on=day)
    with pytest.raises(ValidationError, match="in the future"):
        bodies.appoint(
            staff, body, name="X", appointed_by="speaker", expertise="law", appointed_on=timezone.localdate() + dt.timedelta(days=2)
        )
    # a vacancy starts the 60 days of §302(c)(5); the same authority's next appointment meets it
    bodies.vacate(staff, tenth, left_on=day + dt.timedelta(days=2), reason="Resigned")
    vacancy = Obligation.objects.get(duty_code="HR5011-302c5")
    assert vacancy.due_at == get_duty("HR5011-302c5").due(bodies._at(day + dt.timedelta(days=2)), office.time_zone)
    bodies.appoint(staff, body, name="Member 10", appointed_by="house_minority", expertise="law", appointed_on=day + dt.timedelta(days=5))
    vacancy.refresh_from_db()
    assert vacancy.status == "fulfilled_on_time"
    # the first meeting meets §302(e)(1) and starts the 18 months of §302(j)(2)
    held = timezone.now() - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="names the statute"):
        bodies.record_meeting(staff, body, held_at=held, title="Closed", agenda="Briefing", is_public=False)
    bodies.record_meeting(staff, body, held_at=held, title="First meeting", agenda="Elect the Chair and Vice Chair")
    first.refresh_from_db()
    assert first.status == "fulfilled_on_time"
    final = Obligation.objects.get(duty_code="HR5011-302j2")
    assert final.due_at == get_duty("HR5011-302j2").due(held, office.time_zone)


def test_panel_rules_refused_at_appointment_and_pages_per_role():
    staff, staff_client = _actor("national_program_staff")
    panel = bodies.establish(staff, "panel", name="Advisory Panel", established_on=timezone.localdate(), term_months=24)
    day = timezone.localdate()
    with pytest.raises(ValidationError, match="may not be appointed"):
        bodies.appoint(
            staff, panel, name="Fed", appointed_by="secretary", expertise="cybersecurity", appointed_on=day, federal_employee=True
        )
    member = bodies.appoint(staff, panel, name="Ana", appointed_by="nass", expertise="election law", appointed_on=day)
    assert member.term_ends_on == day.replace(year=day.year + 2)  # the term the Secretary set
    with pytest.raises(ValidationError, match="Secretary's appointees"):
        bodies.set_office(staff, member, "chair")
    state, state_client = _actor("chief_state_election_official")
    with pytest.raises(PermissionDenied):
        bodies.appoint(state, panel, name="X", appointed_by="nased", expertise="law", appointed_on=day)
    url = reverse("governance:body", args=["panel"])
    assert state_client.post(url, {"action": "appoint", "member-name": "X"}).status_code == 403
    assert Client().post(url, {"action": "appoint"}).status_code in (302, 403)
    closed = bodies.record_meeting(
        staff,
        panel,
        held_at=timezone.now(),
        title="Threat briefing",
        agenda="Classified briefing",
        is_public=False,
        protection="Executive Order 13526 (classified national security information)",
    )
    assert b"Threat briefing" not in Client().get(url).content and b"1 closed meeting" in Client().get(url).content
    assert b"Threat briefing" in staff_client.get(url).content
    answer = staff_client.post(url, {"action": "appoint", "member-name": "", "member-appointed_by": "nass"})
    assert answer.status_code == 422
    answer = staff_client.post(url, {"action": "vacate", "member": member.pk, "left_on": "31/12/2026", "reason": "Resigned"}, follow=True)
    assert b"Enter the date the member left" in answer.content
    member.refresh_from_db()
    assert member.left_on is None
    answer = staff_client.post(
        url, {"action": "vacate", "member": member.pk, "left_on": day.isoformat(), "reason": "Resigned"}, follow=True
    )
    member.refresh_from_db()
    assert member.left_on == day and b"Former members" in answer.content
    assert closed.pk
    for page in ("governance:home", "governance:guidelines", "governance:reports"):
        assert Client().get(reverse(page)).status_code == 200


def test_the_public_api():
    staff, _ = _actor("national_program_staff")
    from safelect.programs.governance import guidelines
    from safelect.programs.governance.forms import parse_sections

    draft = guidelines.draft(staff, title="G", summary="S.", sections=parse_sections("## A\nText."), factors={}, cycle="initial")
    client = Client()
    assert client.get("/api/governance/guidelines").json() == []  # a draft is not public
    assert client.get(f"/api/governance/guidelines/{draft.number}").status_code == 404
    guidelines.open_comment(staff, draft)
    [found] = client.get("/api/governance/guidelines").json()
    assert found["status"] == "comment" and found["comment_closes_at"] and found["sections"][0]["heading"] == "A"
    register = {r["key"]: r for r in client.get("/api/governance/reports").json()}
    assert register["resources"]["duty"] == "HR5011-402" and "120" in register["resources"]["rule"]
    assert [r["code"] for r in register["resources"]["recipients"]] == ["HSHM", "HSHA", "SSGA"]
    assert register["commission-interim"]["rule"] == "The statute sets no deadline"
