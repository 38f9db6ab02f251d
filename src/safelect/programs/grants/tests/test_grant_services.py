"""Grant programs end to end through the services: a program's allocation frozen at publication, its
clocks, applications checked against each statutory condition with a reason, awards refused while a
condition fails (and the reason named), payments, the §7(h) pool split, competitive scoring with
conflicts, providers, and scope: nobody acts on another organization's application."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.core.obligations.models import Obligation
from safelect.programs.grants import services
from safelect.programs.grants.access import visible_applications
from safelect.programs.grants.models import Application, ConditionCheck, Program

pytestmark = pytest.mark.django_db
# The window must be open where the applicants are: their date, not this machine's (UTC is already
# tomorrow in the evening in the United States).
TODAY = timezone.localdate(timezone.now(), ZoneInfo("America/Chicago"))


def _actor(role: str, key: str | None = None) -> Actor:
    user, _ = make_member(role, key)
    return Actor.member(Membership.objects.get(user=user))


def _program(officer: Actor, statute: str = "s2261-7", amount: int = 386_000_000, year: int = 2027, **extra) -> Program:
    program = services.create_program(
        officer,
        {
            "title": f"{statute} FY{year}",
            "statute": statute,
            "fiscal_year": year,
            "appropriation": amount,
            # opened yesterday in Chicago: the window holds today's date in every applicant's time zone
            # (a researcher on the Pacific is still on yesterday when Chicago's day begins)
            "opens_on": TODAY - dt.timedelta(days=1),
            "closes_on": TODAY + dt.timedelta(days=60),
        },
        **extra,
    )
    return services.publish(officer, program)


GOOD_7 = {
    "implementation": "Every county adopts the guidelines' controls by the 2028 primary; the State pays for the tooling.",
    "audit_pilot_year": "2022",
    "match_amount": "800000",
    "buys_non_paper": "no",
}


def test_a_state_applies_the_conditions_are_checked_and_the_award_is_its_frozen_allocation():
    officer = _actor("grants_officer")
    program = _program(officer)
    assert program.allocation["total"] == 386_000_000 and program.allocated_to("WI") > 0
    clock = Obligation.objects.get(duty_code="GRANT-APPLY", holder__key="state:WI", subject_id=str(program.pk))
    assert clock.due_at.astimezone(ZoneInfo("America/Chicago")).date() == program.closes_on  # the end of the day in Wisconsin
    wisconsin = _actor("chief_state_election_official", "state:WI")
    draft = services.save_application(wisconsin, program, {"implementation": "draft"})
    assert draft.status == "draft"
    with pytest.raises(ValidationError) as missing:
        services.save_application(wisconsin, program, {"implementation": "x"}, submit=True)
    assert "match_amount" in missing.value.message_dict
    short = services.save_application(wisconsin, program, {**GOOD_7, "match_amount": "1"}, submit=True)
    checks = {c.code: c for c in short.checks.all()}
    assert checks["7b2Aiii"].outcome == "not_met" and "10 %" in checks["7b2Aiii"].reason
    assert checks["7b2Aii"].outcome == "met" and checks["7c3"].outcome == "met" and checks["7b4"].outcome == "met"
    assert Obligation.objects.get(duty_code="GRANT-APPLY", holder__key="state:WI", subject_id=str(program.pk)).status == "fulfilled_on_time"
    services.record_judgement(officer, short, "7b2Ai", "met", "The plan names each county's controls and a budget.")
    with pytest.raises(ValidationError) as refused:
        services.award(officer, short)
    assert any("§7(b)(2)(A)(iii)" in m and "not met" in m for m in refused.value.messages)  # the reason is shown
    assert not hasattr(Application.objects.get(pk=short.pk), "award") or Application.objects.get(pk=short.pk).status == "submitted"
    services.request_changes(officer, short, "Raise the match to 10 % of your allocation.")
    needed = -(-program.allocated_to("WI") // 10)
    fixed = services.save_application(wisconsin, program, {**GOOD_7, "match_amount": str(needed)}, submit=True)
    assert fixed.checks.get(code="7b2Aiii").outcome == "met"
    with pytest.raises(ValidationError, match="record_judgement|computed"):
        services.record_judgement(officer, fixed, "7b2Aiii", "met", "overrule")
    grant = services.award(officer, fixed, payments=4, first_due=TODAY)
    assert grant.amount == program.allocated_to("WI")
    assert sum(p.amount for p in grant.payments.all()) == grant.amount and grant.payments.count() == 4
    reviews = Obligation.objects.filter(duty_code="GRANT-REVIEW", subject_id=str(fixed.pk))
    assert [r.status for r in reviews] == ["fulfilled_on_time"] * 2  # one per submission: changes requested, then awarded


def test_a_non_paper_purchase_and_voter_data_are_refused_with_their_provisions():
    officer = _actor("grants_officer")
    program = _program(officer)
    minnesota = _actor("chief_state_election_official", "state:MN")
    text = "Voter Jane Roe, DOB 04/12/1961, SSN 536-22-8145, registration 55 Elm Street."
    app = services.save_application(
        minnesota, program, {**GOOD_7, "buys_non_paper": "yes", "implementation": text, "match_amount": "99999999"}, submit=True
    )
    checks = {c.code: c for c in app.checks.all()}
    assert checks["7c3"].outcome == "not_met" and "optical scanner" in checks["7c3"].reason
    assert checks["7b4"].outcome == "not_met" and "social security number" in checks["7b4"].reason and "536-22" not in checks["7b4"].reason
    services.record_judgement(officer, app, "7b2Ai", "met", "ok")
    with pytest.raises(ValidationError) as refused:
        services.award(officer, app)
    text = " ".join(refused.value.messages)
    assert "S.2261 §7(c)(3)" in text and "S.2261 §7(b)(4)" in text


def test_scope_and_permission_on_every_write():
    officer = _actor("grants_officer")
    program = _program(officer)
    wisconsin = _actor("chief_state_election_official", "state:WI")
    app = services.save_application(wisconsin, program, GOOD_7, submit=True)
    minnesota = _actor("chief_state_election_official", "state:MN")
    county = _actor("local_election_official")
    assert not visible_applications(minnesota).filter(pk=app.pk).exists()
    assert visible_applications(_actor("state_election_staff", "state:WI")).filter(pk=app.pk).exists()
    for who in (minnesota, county, wisconsin, _actor("national_program_staff")):
        for write in (
            lambda a: services.record_judgement(a, app, "7b2Ai", "met", "x"),
            lambda a: services.award(a, app),
            lambda a: services.deny(a, app, "x"),
            lambda a: services.request_changes(a, app, "x"),
        ):
            with pytest.raises(PermissionDenied):
                write(who)
    with pytest.raises(PermissionDenied):
        services.save_application(county, program, GOOD_7)  # a local agency may not apply to §7(a)
    with pytest.raises(PermissionDenied):
        services.create_program(wisconsin, {})
    assert ConditionCheck.objects.filter(application=app, code="7b2Ai").count() == 0
    grant = None
    services.record_judgement(officer, app, "7b2Ai", "met", "ok")
    grant = services.award(officer, app)
    with pytest.raises(PermissionDenied):
        services.submit_report(minnesota, grant, "FY2027", "not ours", 1)
    report = services.submit_report(wisconsin, grant, "FY2027", "Deployed endpoint monitoring in 72 counties.", 1_000)
    assert report.spent == 1_000
    with pytest.raises(ValidationError):
        services.submit_report(wisconsin, grant, "FY2027", "too much", grant.amount + 1)


def test_audit_reimbursement_pool_is_split_and_awarded_on_the_cycle():
    officer = _actor("grants_officer")
    program = _program(officer, "s2261-7h", 5_000_000)
    assert program.allocation is None
    colorado = _actor("chief_state_election_official", "state:CO")
    app = services.save_application(
        colorado,
        program,
        {"election": "2026 general", "office_scope": "statewide", "ballots_inspected": "300000", "claimed_expenses": "120000"},
        submit=True,
    )
    assert app.checks.get(code="7h1").outcome == "met"
    low = services.save_application(
        _actor("chief_state_election_official", "state:RI"),
        program,
        {"election": "2026 general", "office_scope": "statewide", "ballots_inspected": "10", "claimed_expenses": "5"},
        submit=True,
    )
    assert low.checks.get(code="7h1").outcome == "not_met"
    made = services.award_audit_cycle(officer, program)
    assert [g.amount for g in made] == [120_000]  # the pool suffices: the claim in full
    assert Application.objects.get(pk=low.pk).status == "submitted"


def test_competitive_research_scores_exclude_conflicts():
    officer, second = _actor("grants_officer"), _actor("grants_officer")
    program = _program(officer, "hsa-321", 2_000_000, year=2026)
    lab = _actor("researcher")
    app = services.save_application(
        lab,
        program,
        {
            "entity_kind": "nonprofit",
            "project_title": "Tamper-evident e-pollbooks",
            "proposal": "Build and test.",
            "amount_requested": "400000",
        },
        submit=True,
    )
    services.score(officer, app, value=80, conflict=False)
    with pytest.raises(ValidationError):
        services.score(second, app, value=None, conflict=True)
    services.score(second, app, value=None, conflict=True, conflict_note="I advised this lab last year.")
    row = services.ranking(program)[0]
    assert row["mean"] == 80 and row["reviews"] == 1 and row["conflicts"] == 1
    with pytest.raises(ValidationError, match="not yet reviewed"):
        services.award(officer, app, amount=400_000)
    services.record_judgement(officer, app, "321-merit", "met", "Ranked first of one.")
    with pytest.raises(ValidationError, match="left"):
        services.award(officer, app, amount=3_000_000)
    assert services.award(officer, app, amount=400_000).amount == 400_000
    # §321(b): a fiscal year with innovation grants owes a report, due 90 days after September 30
    clock = Obligation.objects.get(duty_code="HR5011-121-321b", cycle="FY2026")
    assert clock.local_due.date() == dt.date(2026, 12, 29)
    summary = services.fiscal_year_summary(2026)
    assert summary[0]["awarded"] == 400_000 and summary[0]["grantees"] == [(lab.organization.name, 400_000)]
    with pytest.raises(PermissionDenied):
        services.record_congress_report(lab, 2026, "HR5011-121-321b")
    services.record_congress_report(officer, 2026, "HR5011-121-321b")
    clock.refresh_from_db()
    assert clock.status == "fulfilled_on_time"
    with pytest.raises(ValidationError, match="No open"):
        services.record_congress_report(officer, 2026, "HR5011-121-321b")


def test_nonpaper_program_publication_is_the_7g2_list(tmp_path):
    officer = _actor("grants_officer")
    votes = tmp_path / "votes.csv"
    votes.write_text("state_abbr,votes_ineligible,votes_total\nGA,3900000,3900000\nPA,500000,6100000\nNJ,3000000,3900000\n")
    program = _program(officer, "s2261-7g", 186_000_000, input_path=votes)
    assert {a["state"] for a in program.allocation["allocations"]} == {"GA", "NJ"}  # PA is under 10 %
    assert Obligation.objects.get(duty_code="S2261-7g2").status.startswith("fulfilled")
    with pytest.raises(ValidationError, match="votes on ineligible"):
        services.create_program(
            officer, {"title": "x", "statute": "s2261-7g", "fiscal_year": 2027, "appropriation": 1, "opens_on": TODAY, "closes_on": TODAY}
        )


def test_providers_are_listed_only_with_every_criterion_met():
    officer = _actor("grants_officer")
    values = {
        "listing": "hr5011-297b",
        "name": "BallotWorks",
        **{f"met_{c}": "on" for c in "ABCD"},
        **{f"evidence_{c}": "Signed attestation" for c in "ABCD"},
    }
    provider = services.save_provider(officer, values)
    with pytest.raises(ValidationError, match="E"):
        services.publish_provider(officer, provider)
    provider = services.save_provider(officer, {**values, "met_E": "on", "evidence_E": "Incident reporting clause in contract"}, provider)
    assert services.publish_provider(officer, provider).published_at <= timezone.now()
    with pytest.raises(PermissionDenied):
        services.save_provider(_actor("election_service_provider_staff"), values)


def test_remaining_funds_are_certified_by_the_grantee_and_decided_by_an_officer():
    """S.2261 §7(c)(2): only the grantee certifies; only a grants officer decides, once, with a reason."""
    officer = _actor("grants_officer")
    program = _program(officer)
    wisconsin = _actor("chief_state_election_official", "state:WI")
    application = services.save_application(wisconsin, program, GOOD_7, submit=True)
    services.record_judgement(officer, application, "7b2Ai", "met", "ok")
    grant = services.award(officer, application)
    for stranger in (_actor("chief_state_election_official", "state:MN"), _actor("local_election_official"), officer):
        with pytest.raises(PermissionDenied):
            services.certify_remaining_funds(stranger, grant, "All agencies implemented the guidelines.", "Poll-book upgrades")
    with pytest.raises(ValidationError):
        services.certify_remaining_funds(wisconsin, grant, "", "Poll-book upgrades")
    found = services.certify_remaining_funds(wisconsin, grant, "All agencies implemented the guidelines.", "Poll-book upgrades")
    for stranger in (wisconsin, _actor("national_program_staff")):
        with pytest.raises(PermissionDenied):
            services.decide_remaining_funds(stranger, found, True, "fine")
    with pytest.raises(ValidationError):
        services.decide_remaining_funds(officer, found, True, "")
    decided = services.decide_remaining_funds(officer, found, True, "The uses are consistent with the guidelines.")
    assert decided.approved is True and decided.decided_by == officer.user
    with pytest.raises(ValidationError, match="Already decided"):
        services.decide_remaining_funds(officer, found, False, "changed my mind")
