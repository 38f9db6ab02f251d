"""Hack the Election (S.2261 §8): the clocks from the obligations registry, CVSS 4.0 and CWE from their
libraries, every write per role and against other organizations' objects, who sees which report,
proof-of-concept files that are never rendered, and notification through the sharing program."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.utils import timezone

from safelect.core import confirmations
from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member, organization
from safelect.core.directory import services as directory
from safelect.core.directory.models import Organization
from safelect.core.obligations.models import Obligation
from safelect.core.outbox.testing import smtp_server  # noqa: F401  (fixture)
from safelect.programs.hack import findings, participation, researchers, rounds, scoring
from safelect.programs.hack.models import Award, Designation, Finding, ProofFile, Remediation, Researcher

pytestmark = pytest.mark.django_db
CRITICAL = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
PASSWORD = "a long enough pass phrase 2026"


def _actor(role: str, key=None):
    user, client = make_member(role, key)
    return Actor.member(Membership.objects.get(user=user)), client, user


def _clock(code: str, subject) -> Obligation:
    return Obligation.objects.get(duty_code=code, subject_type=subject._meta.label_lower, subject_id=str(subject.pk))


def _apply(email: str, **extra) -> Researcher:
    harbor = participation.current_safe_harbor()
    return researchers.apply(
        {
            "email": email,
            "legal_name": "Quinn Tester",
            "country": "United States",
            "password": PASSWORD,
            "attested_identity": True,
            "attested_adult": True,
            "attested_not_barred": True,
            "agree": True,
            "safe_harbor_version": harbor.version,
            **extra,
        }
    )


def _researcher_client(researcher: Researcher) -> tuple[Actor, Client]:
    client = Client()
    client.force_login(researcher.user)
    return Actor.member(researcher.user.memberships.get()), client


@pytest.fixture
def program():
    return build_program()


def build_program() -> dict:
    """Safe harbour, a vendor's tabulator used by Autauga County and Wisconsin, its designation, an open
    round, and two qualified researchers."""
    staff, staff_client, _ = _actor("national_program_staff")
    participation.publish_safe_harbor(
        staff, text="Good-faith testing within the rules is authorized. " * 3, consultation="Attorney General; DoD"
    )
    vendor, vendor_client, _ = _actor("election_service_provider_staff")
    county, county_client, _ = _actor("local_election_official", "jurisdiction:0100100000")
    state, state_client, _ = _actor("chief_state_election_official", "state:WI")
    tally = {"category": "tabulator", "manufacturer": "BallotWorks", "product": "Tally 5", "version": "5.4.1"}
    made = directory.add_system(vendor, organization=vendor.organization, values=tally)
    directory.add_system(county, organization=county.organization, values={**tally, "manufacturer": "ballotworks", "version": "5.3"})
    directory.add_system(state, organization=state.organization, values=tally)
    today = timezone.localdate()
    designation = participation.designate(
        vendor,
        {
            "system": made,
            "circumstances": "test_lab",
            "starts_on": today - dt.timedelta(days=1),
            "ends_on": today + dt.timedelta(days=30),
            "rules_of_engagement": "Lab units only; firmware and media in scope.",
            "out_of_scope": "Corporate network and staff.",
            "safe_harbor_version": 1,
            "agree": True,
        },
    )
    now = timezone.now()
    found_round = rounds.create_round(
        staff,
        {
            "title": "Test round",
            "opens_at": now - dt.timedelta(hours=1),
            "closes_at": now + dt.timedelta(days=20),
            "rules": "Report here; first report wins; keep it confidential.",
            "scopes": [designation],
            "award_critical": 10000,
            "award_high": 5000,
            "award_medium": 1000,
            "award_low": 100,
        },
    )
    one, two = _apply("one@test.safelect.invalid", hall_of_fame=True, public_name="Q.T."), _apply("two@test.safelect.invalid")
    for applicant in (one, two):
        researchers.confirm_email(confirmations.token(researchers.CONFIRM_PURPOSE, applicant.pk, applicant.user.email))
    researchers.decide(staff, one, qualified=True, reason="")
    researchers.decide(staff, two, qualified=True, reason="")
    return {
        "staff": (staff, staff_client),
        "vendor": (vendor, vendor_client),
        "county": (county, county_client),
        "state": (state, state_client),
        "designation": designation,
        "round": found_round,
        "one": _researcher_client(Researcher.objects.get(pk=one.pk)),
        "two": _researcher_client(Researcher.objects.get(pk=two.pk)),
    }


def _report(actor, designation, **extra) -> Finding:
    return findings.submit(
        actor,
        {
            "designation": designation,
            "title": "Unsigned firmware accepted from USB",
            "affected_version": "5.4.1",
            "description": "The unit installs firmware from a USB stick at boot without checking any signature.",
            "steps": "Copy UPDATE.BIN to a stick, insert it, power-cycle the unit.",
            "cwe": "CWE-494",
            "cvss_vector": CRITICAL,
            **extra,
        },
        extra.pop("files", ()) if "files" in extra else (),
    )


def test_cvss_40_vectors_are_scored_by_the_library_and_bad_ones_refused_with_the_reason():
    # FIRST's CVSS v4.0 calculator gives 9.3 (Critical) for this vector; the library is the oracle.
    assert scoring.score(CRITICAL) == scoring.Score(CRITICAL, 9.3, "critical")
    low = scoring.score("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N")
    assert low.severity in ("low", "none") and low.score < 4
    with pytest.raises(scoring.Refused, match="AV:X"):
        scoring.score("CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
    with pytest.raises(scoring.Refused, match="CVSS 4.0 vector"):
        scoring.score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
    with pytest.raises(scoring.Refused):
        scoring.score("CVSS:4.0/AV:N/AC:L")  # mandatory metrics missing
    assert scoring.weakness("cwe-79")[0] == 79 and "Cross-site Scripting" in scoring.weakness("79")[1]
    with pytest.raises(scoring.Refused, match="not in MITRE"):
        scoring.weakness("CWE-999999")
    with pytest.raises(scoring.Refused):
        scoring.weakness("XSS")


def test_the_application_clock_is_the_policy_duty_and_the_public_count_reports_it(program):
    staff, _ = program["staff"]
    pending = _apply("three@test.safelect.invalid")
    clock = _clock("HACK-QUALIFY", pending)
    office_zone = zoneinfo.ZoneInfo(clock.time_zone)
    assert timezone.localtime(clock.due_at, office_zone).date() == timezone.localtime(
        pending.applied_at, office_zone
    ).date() + dt.timedelta(days=5)
    assert clock.is_policy and clock.status == "open"
    one = Researcher.objects.get(user__email="one@test.safelect.invalid")
    assert _clock("HACK-QUALIFY", one).status == "fulfilled_on_time"
    speed = researchers.decision_speed()
    assert speed["decided"] == 2 and speed["pending"] == 1 and speed["within_target"] == 2
    with pytest.raises(ValidationError):
        researchers.decide(staff, pending, qualified=False, reason="")  # a refusal needs the reason
    with pytest.raises(ValidationError):
        researchers.decide(staff, one, qualified=False, reason="Already decided once.")
    county, _ = program["county"]
    with pytest.raises(PermissionDenied):
        researchers.decide(county, pending, qualified=True, reason="")
    page = Client().get("/hack/").content.decode()
    assert "2 applications decided" in page and "1 awaiting a decision" in page


def test_the_public_application_form_refuses_bad_input_and_changes_nothing(program):
    client = Client()
    before = (Researcher.objects.count(), Organization.objects.count())
    response = client.post("/hack/apply/", {"legal_name": "X", "email": "not-an-address", "password": "short"})
    page = response.content.decode()
    assert response.status_code == 200 and "Give an email address" in page and "Attest that the identity" in page
    assert "Agree to the rules and the safe-harbour statement, version 1" in page
    taken = {
        "legal_name": "Robin Example",
        "email": "one@test.safelect.invalid",
        "password": PASSWORD,
        "country": "US",
        "attested_identity": "on",
        "attested_adult": "on",
        "attested_not_barred": "on",
        "agree": "on",
        "safe_harbor_version": "1",
    }
    assert "An account with this address exists" in client.post("/hack/apply/", taken).content.decode()
    robot = client.post("/hack/apply/", {**taken, "email": "robot@test.safelect.invalid", "website": "http://spam.example"})
    assert robot.status_code == 302  # the honeypot: thanked, nothing kept
    assert (Researcher.objects.count(), Organization.objects.count()) == before
    ok = client.post("/hack/apply/", {**taken, "email": "robin@test.safelect.invalid"})
    assert ok.status_code == 302 and ok["Location"].endswith("/accounts/sign-in/")
    robin = Researcher.objects.get(user__email="robin@test.safelect.invalid")
    assert robin.status == "pending" and robin.organization.kind == "research_org" and robin.user.check_password(PASSWORD)
    signed = Client()
    signed.force_login(robin.user)
    assert "Awaiting the office" in signed.get("/hack/researcher/").content.decode()
    assert signed.get("/hack/report/").status_code == 403  # not qualified yet


def test_who_sees_which_report_per_role_and_object(program):
    staff, staff_client = program["staff"]
    one, one_client = program["one"]
    two, two_client = program["two"]
    vendor, vendor_client = program["vendor"]
    county, county_client = program["county"]
    _, baldwin_client, _ = _actor("local_election_official", "jurisdiction:0100300000")
    proof = SimpleUploadedFile("poc.py", b"#!/usr/bin/env python3\nprint('<script>alert(1)</script>')\n")
    mine = _report(one, program["designation"], files=[proof])
    url, api = f"/hack/findings/{mine.pk}/", f"/api/hack/findings/{mine.pk}"
    assert one_client.get(url).status_code == 200 and one_client.get(api).json()["steps"]
    assert two_client.get(url).status_code == 404 and two_client.get(api).status_code == 404  # another researcher's
    assert [f["reference"] for f in two_client.get("/api/hack/findings").json()] == []
    assert staff_client.get(url).status_code == 200
    assert "Copy UPDATE.BIN" in vendor_client.get(url).content.decode()  # designated the system: the full report
    assert county_client.get(url).status_code == 404  # uses the product, but not notified yet
    findings.triage(
        staff,
        mine,
        {"status": "valid", "triage_note": "Reproduced.", "novel": "no", "novelty_reason": "Known to the vendor.", "tlp": "amber"},
    )
    assert not Award.objects.filter(finding=mine).exists()  # known before: no award (§8(d)(3))
    page = county_client.get(url).content.decode()
    assert "Unsigned firmware" in page and "Copy UPDATE.BIN" not in page and "poc.py" not in page  # notified user: no steps, no files
    assert county_client.get(api).json()["steps"] is None
    assert baldwin_client.get(url).status_code == 404  # neither designated nor uses
    file_id = ProofFile.objects.get(finding=mine).pk
    download = one_client.get(f"/hack/findings/{mine.pk}/proofs/{file_id}/")
    assert download["Content-Type"] == "application/octet-stream" and "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff" and "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content).startswith(b"#!/usr/bin/env python3")
    assert county_client.get(f"/hack/findings/{mine.pk}/proofs/{file_id}/").status_code == 404
    assert two_client.get(f"/hack/findings/{mine.pk}/proofs/{file_id}/").status_code == 404


def test_bad_reports_are_refused_with_the_reason_and_nothing_is_kept(program, settings, tmp_path):
    settings.HOME = str(tmp_path)
    one, one_client = program["one"]
    designation = program["designation"]
    with pytest.raises(ValidationError) as refused:
        _report(one, designation, cvss_vector="CVSS:4.0/AV:N/AC:Q/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", cwe="CWE-9999999")
    assert "AC:Q" in str(refused.value.message_dict["cvss_vector"]) and "cwe" in refused.value.message_dict
    good = SimpleUploadedFile("notes.txt", b"plain notes\n")
    program_file = SimpleUploadedFile("exploit.exe", b"MZ\x90\x00" + b"\x00" * 64)
    response = one_client.post(
        "/hack/report/",
        {
            "designation": designation.pk,
            "title": "A report with a program attached",
            "affected_version": "5.4.1",
            "description": "Description long enough to be accepted by the service.",
            "steps": "Steps long enough to be accepted.",
            "cwe": "CWE-494",
            "cvss_vector": CRITICAL,
            "files": [good, program_file],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "exploit.exe" in page and "Windows program" in page
    assert not Finding.objects.exists() and not ProofFile.objects.exists()
    store = tmp_path / "hack-proofs"
    assert not store.exists() or [p for p in store.rglob("*") if p.is_file()] == []  # the good file was not left behind
    withdrawn = participation.withdraw(program["vendor"][0], designation)
    with pytest.raises(ValidationError, match="open now"):
        _report(one, withdrawn)
    unqualified = _apply("four@test.safelect.invalid")
    with pytest.raises(PermissionDenied):
        _report(_researcher_client(unqualified)[0], designation)


def test_every_write_is_refused_to_other_roles_and_other_organizations(program):
    staff, _ = program["staff"]
    one, one_client = program["one"]
    vendor, vendor_client = program["vendor"]
    county, county_client = program["county"]
    other_vendor, _, _ = _actor("election_service_provider_staff", organization("demo:vendor:pollbook"))
    finding = _report(one, program["designation"])
    with pytest.raises(PermissionDenied):
        findings.triage(one, finding, {"status": "valid"})  # a researcher does not triage
    with pytest.raises(PermissionDenied):
        findings.triage(vendor, finding, {"status": "valid"})
    with pytest.raises(Http404):
        participation.withdraw(other_vendor, program["designation"])  # another provider's designation: not even seen
    assert Designation.objects.get(pk=program["designation"].pk).withdrawn_at is None
    with pytest.raises(PermissionDenied):
        participation.publish_safe_harbor(vendor, text="x" * 80, consultation="none at all")
    with pytest.raises(PermissionDenied):
        rounds.create_round(county, {})
    with pytest.raises(ValidationError, match="another system|inventory"):
        participation.designate(other_vendor, {"system": program["designation"].system, "agree": True, "safe_harbor_version": 1})
    findings.triage(
        staff, finding, {"status": "valid", "triage_note": "Reproduced.", "novel": "yes", "novelty_reason": "New to all.", "tlp": "amber"}
    )
    remediation = Remediation.objects.get(finding=finding, organization=county.organization)
    with pytest.raises(PermissionDenied):
        findings.update_remediation(vendor, remediation, {"status": "remediated"})  # the county's record
    response = county_client.post(
        f"/hack/findings/{finding.pk}/",
        {"action": "remediation", "rem-status": "in_progress", "rem-assistance_request": "Please help us test the patch."},
    )
    assert response.status_code == 302
    remediation.refresh_from_db()
    assert remediation.status == "in_progress" and remediation.assistance_requested_at is not None
    assert one_client.post(f"/hack/findings/{finding.pk}/", {"action": "approve"}).status_code == 403
    second = _report(one, program["designation"], title="Another report to triage")
    triage = {
        "action": "triage",
        "triage-status": "informative",
        "triage-triage_note": "Not a vulnerability at all.",
        "triage-tlp": "amber",
    }
    assert county_client.post(f"/hack/findings/{second.pk}/", triage).status_code == 404  # not even visible to the county
    assert vendor_client.post(f"/hack/findings/{second.pk}/", triage).status_code == 403  # visible to the vendor, not its to triage
    assert Finding.objects.get(pk=second.pk).status == "submitted"
    assert county_client.get("/hack/board/").status_code == 403 and one_client.get("/hack/manage/").status_code == 403


def test_the_duplicate_finder_proposes_the_earlier_report_and_a_duplicate_needs_an_earlier_one(program):
    staff, staff_client = program["staff"]
    one, _ = program["one"]
    two, _ = program["two"]
    first = _report(one, program["designation"])
    other = _report(
        two,
        program["designation"],
        title="Cross-site scripting in the admin page",
        description="The admin page echoes input into HTML without encoding it, anywhere.",
        cwe="CWE-79",
    )
    again = _report(
        two,
        program["designation"],
        title="Firmware from USB installed without signature check",
        description="The unit accepts a firmware image on a USB stick at boot with no signature check.",
    )
    proposed = findings.similar_reports(again)
    assert proposed[0]["finding"] == first and proposed[0]["product"] and proposed[0]["cwe"]
    assert (
        other not in [p["finding"] for p in proposed] or proposed[0]["score"] > [p for p in proposed if p["finding"] == other][0]["score"]
    )
    assert first.reference in staff_client.get(f"/hack/findings/{again.pk}/").content.decode()
    with pytest.raises(ValidationError, match="earlier report"):
        findings.triage(staff, first, {"status": "duplicate", "triage_note": "Same as the later one.", "duplicate_of": again.reference})
    findings.triage(staff, again, {"status": "duplicate", "triage_note": "Reported first by another.", "duplicate_of": first.reference})
    again.refresh_from_db()
    assert again.duplicate_of == first and not Remediation.objects.filter(finding=again).exists()


def test_rounds_open_the_next_round_clock_and_refuse_a_schedule_that_pays_less_for_worse(program):
    staff, _ = program["staff"]
    current = program["round"]
    clock = _clock("S2261-8d1", current)
    zone = zoneinfo.ZoneInfo(clock.time_zone)
    assert timezone.localtime(clock.due_at, zone).date() == timezone.localtime(current.closes_at, zone).date() + dt.timedelta(days=365)
    now = timezone.now()
    values = {
        "title": "Later round",
        "opens_at": current.closes_at + dt.timedelta(days=1),
        "closes_at": current.closes_at + dt.timedelta(days=10),
        "rules": "The same rules as the round before.",
        "scopes": [program["designation"]],
        "award_critical": 100,
        "award_high": 500,
    }
    with pytest.raises(ValidationError, match="less"):
        rounds.create_round(staff, values)
    with pytest.raises(ValidationError, match="overlaps"):
        rounds.create_round(
            staff, {**values, "award_high": 50, "opens_at": now + dt.timedelta(days=400), "closes_at": now + dt.timedelta(days=410)}
        )
    later = rounds.create_round(staff, {**values, "award_high": 50})
    assert _clock("S2261-8d1", current).status == "open"  # scheduled, not yet opened
    assert rounds.record_openings(later.opens_at - dt.timedelta(minutes=1)) == 0
    with time_machine.travel(later.opens_at + dt.timedelta(hours=1)):
        assert rounds.record_openings(timezone.now()) == 1 and rounds.record_openings(timezone.now()) == 0
    fulfilled = _clock("S2261-8d1", current)
    assert fulfilled.status == "fulfilled_on_time" and fulfilled.fulfilled_at == later.opens_at
    assert _clock("S2261-8d1", later).status == "open"


def test_the_public_pages_and_the_advisory(program):
    staff, _ = program["staff"]
    one, _ = program["one"]
    finding = _report(one, program["designation"])
    findings.triage(
        staff,
        finding,
        {"status": "valid", "triage_note": "Reproduced.", "novel": "yes", "novelty_reason": "New to everyone asked.", "tlp": "amber"},
    )
    Finding.objects.filter(pk=finding.pk).update(disclosure_on=timezone.localdate())
    with pytest.raises(ValidationError, match="personal information"):
        findings.disclose(
            staff,
            Finding.objects.get(pk=finding.pk),
            "Found while testing: voter Jane Roe, SSN 536-22-8741, date of birth 04/12/1961, was in the export. " * 2,
        )
    assert not Finding.objects.get(pk=finding.pk).disclosed_at
    done = findings.disclose(
        staff, Finding.objects.get(pk=finding.pk), "BallotWorks Tally 5 accepted unsigned firmware from USB; fixed in 5.4.2. " * 2
    )
    public = Client()
    home = public.get("/hack/").content.decode()
    assert done.advisory_id in home and "Test round" in home and "$10,000" in home
    advisory = public.get(f"/hack/advisories/{done.advisory_id}/").content.decode()
    assert "CWE-494" in advisory and "9.3" in advisory and "Q.T." in advisory and "Copy UPDATE.BIN" not in advisory
    assert public.get("/hack/advisories/SAFELECT-1999-0001/").status_code == 404
    assert public.get("/hack/safe-harbor/").status_code == 200
    assert public.get("/hack/researcher/").status_code == 302 and public.get("/hack/board/").status_code == 302
    _, county_client = program["county"]
    assert "Triage board" not in county_client.get("/hack/").content.decode()  # not offered a page it may not open
    _, director_client, _ = _actor("national_leadership")
    assert "Triage board" in director_client.get("/hack/").content.decode()


def test_the_api_submits_for_qualified_researchers_and_answers_bad_vectors_with_the_field(program):
    import json

    one, one_client = program["one"]
    body = {
        "designation": program["designation"].pk,
        "title": "Tabulator accepts unsigned firmware",
        "affected_version": "5.4.1",
        "description": "The unit installs firmware from USB at boot without checking a signature.",
        "steps": "Copy UPDATE.BIN to a stick; power-cycle.",
        "cwe": "CWE-494",
        "cvss_vector": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:BOGUS",
    }
    refused = one_client.post("/api/hack/findings", json.dumps(body), content_type="application/json")
    assert refused.status_code == 422 and "cvss_vector" in refused.content.decode() and not Finding.objects.exists()
    made = one_client.post("/api/hack/findings", json.dumps({**body, "cvss_vector": CRITICAL}), content_type="application/json")
    assert made.status_code == 201 and made.json()["cvss_score"] == 9.3 and made.json()["severity"] == "critical"
    assert [s["reference"] for s in one_client.get("/api/hack/scopes").json()] == [program["designation"].reference]
    _, county_client = program["county"]
    assert county_client.post("/api/hack/findings", json.dumps(body), content_type="application/json").status_code == 403
    assert county_client.get("/api/hack/scopes").status_code == 403
    pending = _apply("five@test.safelect.invalid")
    _, pending_client = _researcher_client(pending)
    assert pending_client.get("/api/hack/scopes").status_code == 403


def test_a_researcher_withdraws_and_gives_consent_to_be_named_and_no_one_else_may(program):
    """Consent to be named (hall of fame, advisory credit) is the researcher's alone, and is withdrawn at once."""
    from safelect.core.journal.models import Entry
    from safelect.programs.hack import awards

    staff, _ = program["staff"]
    one, one_client = program["one"]
    finding = _report(one, program["designation"])
    findings.triage(
        staff, finding, {"status": "valid", "triage_note": "Reproduced.", "novel": "yes", "novelty_reason": "New to all.", "tlp": "amber"}
    )
    director, _, _ = _actor("national_leadership")
    awards.approve(director, awards.propose(staff, Finding.objects.get(pk=finding.pk)))
    assert [row["finding__researcher__public_name"] for row in awards.hall_of_fame()] == ["Q.T."]
    assert "Q.T." in Client().get("/hack/").content.decode()

    refused = one_client.post("/hack/researcher/", {"action": "listing", "listing-hall_of_fame": "on", "listing-public_name": "  "})
    assert refused.status_code == 400 and "Give the name to show" in refused.content.decode()
    assert Researcher.objects.get(user=one.user).public_name == "Q.T."
    for role in ("national_program_staff", "local_election_official", "election_service_provider_staff"):
        _, client, _ = _actor(role)
        assert client.post("/hack/researcher/", {"action": "listing", "listing-public_name": "Hijacked"}).status_code == 403
    _, two_client = program["two"]
    two_client.post("/hack/researcher/", {"action": "listing", "listing-hall_of_fame": "on", "listing-public_name": "Second"})
    assert Researcher.objects.get(user=one.user).public_name == "Q.T."  # another researcher changes only their own listing

    withdrawn = one_client.post("/hack/researcher/", {"action": "listing", "listing-public_name": "Q.T."})
    assert withdrawn.status_code == 302
    assert list(awards.hall_of_fame()) == [] and "Q.T." not in Client().get("/hack/").content.decode()
    assert Entry.objects.filter(action="hack:researcher:listing", object_id=str(Researcher.objects.get(user=one.user).pk)).exists()
    one_client.post("/hack/researcher/", {"action": "listing", "listing-hall_of_fame": "on", "listing-public_name": "Quinn T."})
    assert [row["finding__researcher__public_name"] for row in awards.hall_of_fame()] == ["Quinn T."]


def test_the_applicant_confirms_their_address_by_a_link_sent_over_smtp_before_qualifying(program, smtp_server):  # noqa: F811
    from safelect.programs.hack.tasks import send_researcher_confirmation

    staff, _ = program["staff"]
    applicant = _apply("six@test.safelect.invalid")
    assert send_researcher_confirmation(researcher_id=applicant.pk) is True
    assert send_researcher_confirmation(researcher_id=applicant.pk) is False  # a second run of the job sends nothing
    [message] = smtp_server.mailbox.wait_for(1)
    assert message["To"] == "six@test.safelect.invalid"
    link = re.search(r"(/hack/confirm/[^/\s]+/)", message.get_body(preferencelist=("plain",)).get_content()).group(1)
    with pytest.raises(ValidationError, match="not confirmed yet"):
        researchers.decide(staff, applicant, qualified=True, reason="")
    public = Client()
    assert public.get("/hack/confirm/not-a-token/").status_code == 400
    forged = confirmations.token("comment", applicant.pk, "six@test.safelect.invalid")  # another purpose's link
    assert public.get(f"/hack/confirm/{forged}/").status_code == 400
    _, signed = _researcher_client(applicant)
    page = signed.get("/hack/researcher/").content.decode()
    assert "Confirm your email address" in page
    asked = signed.post("/hack/researcher/", {"action": "resend"}, follow=True).content.decode()
    assert "less than ten minutes ago" in asked
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        assert "A new link was sent" in signed.post("/hack/researcher/", {"action": "resend"}, follow=True).content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        expired = public.get(link)
        assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert Researcher.objects.get(pk=applicant.pk).email_confirmed_at is None
    assert public.get(link).status_code == 200
    confirmed = Researcher.objects.get(pk=applicant.pk)
    assert confirmed.email_confirmed_at is not None
    assert "Confirm your email address" not in signed.get("/hack/researcher/").content.decode()
    assert "already confirmed" in signed.post("/hack/researcher/", {"action": "resend"}, follow=True).content.decode()
    assert researchers.decide(staff, confirmed, qualified=True, reason="").status == "qualified"
