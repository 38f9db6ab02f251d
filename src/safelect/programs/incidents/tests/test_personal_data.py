"""S.2261 §4(g) in incidents: texts and text evidence are scanned, findings are reviewed (redact,
or keep with a reason) by the reporter or the national office only, the STIX export is minimised,
and closing starts the retention clock after which the personal information is purged."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from procrastinate.contrib.django.models import ProcrastinateJob
from stix2validator import validate_instance

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.core.journal.models import Entry
from safelect.core.obligations.models import Obligation, Status
from safelect.core.outbox.models import Notice
from safelect.core.personal.models import Finding
from safelect.programs.incidents import evidence, personal, services, stix
from safelect.programs.incidents.models import Incident, IncidentNotice
from safelect.programs.incidents.tasks import scan_evidence_job

CENTRAL = ZoneInfo("America/Chicago")
AUTAUGA, BALDWIN = "jurisdiction:0100100000", "jurisdiction:0100300000"
LEAKED = "Records of voter Jane Q. Doe, DOB 03/14/1962, SSN 536-22-1847 were copied to 203.0.113.5 and evil-results.xyz."
EXTRACT = b"first_name,last_name,dob,voter_id,precinct\nJane,Doe,1962-03-14,AL0012345678,Ward 3\nJohn,Roe,1970-01-02,AL0099887766,Ward 7\n"
pytestmark = pytest.mark.django_db


def _member(role: str, key: str):
    user, client = make_member(role, key)
    return Actor.member(Membership.objects.get(user=user)), client


@pytest.fixture
def notified(settings, tmp_path):
    """A county's incident, notified to the national office, whose notice names a voter."""
    settings.HOME = tmp_path
    county, client = _member("local_election_official", AUTAUGA)
    with time_machine.travel(dt.datetime(2026, 11, 3, 8, 0, tzinfo=CENTRAL), tick=False):
        incident = services.report_possible(
            county,
            title="Registration records copied",
            aware_at=dt.datetime(2026, 11, 3, 7, 30, tzinfo=CENTRAL),
            how_learned="Audit log",
            systems=["voter_registration_database"],
        )
        services.assess(county, incident, outcome="occurred", discovered_at=dt.datetime(2026, 11, 3, 7, 45, tzinfo=CENTRAL))
        services.notify(
            county,
            incident,
            {
                "started_at": dt.datetime(2026, 11, 2, 21, 0, tzinfo=CENTRAL),
                "ended_at": None,
                "circumstances": LEAKED,
                "systems": ["voter_registration_database"],
                "information_acquired": "Registration records; the clerk's line (334) 555-0100 was in the export.",
                "measures_planned": "Reset credentials.",
                "measures_implemented": "Blocked 203.0.113.5 at the firewall.",
            },
        )
    return Incident.objects.get(pk=incident.pk), county, client


def _finding(incident, kind: str) -> Finding:
    return Finding.objects.get(subject_type="incidents.incident", subject_id=str(incident.pk), kind=kind)


def test_the_notice_is_scanned_when_sent_and_the_journal_keeps_kinds_not_values(notified):
    incident, _county, _client = notified
    kinds = set(Finding.objects.filter(subject_id=str(incident.pk)).values_list("kind", flat=True))
    assert kinds == {"person_name", "date_of_birth", "ssn", "phone"}
    assert all(f.decision == "pending" for f in Finding.objects.all())
    scans = Entry.objects.filter(action="personal:finding:scan", object_id=str(incident.pk))
    assert scans.exists() and "536-22-1847" not in json.dumps([e.summary for e in scans])
    assert "Social Security number" in json.dumps(scans.last().summary)
    assert "536-22-1847" not in json.dumps(list(Finding.objects.values()), default=str)  # the value is never stored


def test_the_review_page_shows_each_finding_in_context_and_keeping_needs_a_reason(notified):
    incident, _county, client = notified
    page = client.get(f"/incidents/{incident.pk}/personal/").content.decode()
    assert "<mark>536-22-1847</mark>" in page and "Social Security number in Notice — circumstances" in page
    ssn, phone = _finding(incident, "ssn"), _finding(incident, "phone")
    refused = client.post(
        f"/incidents/{incident.pk}/personal/", {f"decision-{ssn.pk}": "redact", f"decision-{phone.pk}": "keep", f"reason-{phone.pk}": ""}
    )
    assert refused.status_code == 200 and "Say why this personal information may be kept" in refused.content.decode()
    assert not Finding.objects.exclude(decision="pending").exists()  # nothing half-saved
    done = client.post(
        f"/incidents/{incident.pk}/personal/",
        {f"decision-{ssn.pk}": "redact", f"decision-{phone.pk}": "keep", f"reason-{phone.pk}": "The clerk's office line is public"},
    )
    assert done.status_code == 302
    assert _finding(incident, "ssn").decision == "redact" and _finding(incident, "phone").reason == "The clerk's office line is public"
    assert Entry.objects.filter(action="personal:finding:decide", object_id=str(incident.pk)).count() == 1
    client.post(f"/incidents/{incident.pk}/personal/", {"action": "redact-pending"})
    assert not Finding.objects.filter(decision="pending").exists() and _finding(incident, "phone").decision == "keep"


def test_only_the_reporter_and_national_staff_review_and_other_incidents_findings_are_refused(notified):
    incident, county, _client = notified
    ssn = _finding(incident, "ssn")
    neighbour, neighbour_client = _member("local_election_official", BALDWIN)
    with pytest.raises(Http404):
        personal.decide(neighbour, incident, {ssn.pk: ("keep", "mine")})
    assert neighbour_client.get(f"/incidents/{incident.pk}/personal/").status_code == 404
    state, state_client = _member("chief_state_election_official", "state:AL")  # sees the incident, does not review it
    with pytest.raises(PermissionDenied):
        personal.decide(state, incident, {ssn.pk: ("keep", "x")})
    assert state_client.get(f"/incidents/{incident.pk}/personal/").status_code == 403
    regional, _ = _member("regional_staff", "national-office")  # a regional office outside Alabama's region
    with pytest.raises(Http404):
        personal.decide(regional, incident, {ssn.pk: ("keep", "x")})
    staff, _ = _member("national_program_staff", "national-office")
    assert personal.decide(staff, incident, {ssn.pk: ("redact", "")}) == 1
    with time_machine.travel(dt.datetime(2026, 11, 4, 8, 0, tzinfo=CENTRAL), tick=False):
        other = services.report_possible(
            county,
            title="Another",
            aware_at=dt.datetime(2026, 11, 4, 7, 0, tzinfo=CENTRAL),
            how_learned="Voter Ann Lee, DOB 01/02/1980",
            systems=["email"],
        )
    theirs = Finding.objects.filter(subject_id=str(other.pk)).first()
    with pytest.raises(ValidationError, match="does not belong"):
        personal.decide(county, incident, {theirs.pk: ("keep", "smuggled")})
    assert Finding.objects.get(pk=theirs.pk).decision == "pending"
    with pytest.raises(PermissionDenied):  # the kernel service refuses anyone the program did not vouch for
        from safelect.core.personal import services as personal_data

        personal_data.decide(county, incident, {ssn.pk: ("keep", "x")})


def test_the_stix_export_is_valid_minimised_and_carries_the_indicators(notified):
    incident, county, client = notified
    bundle = stix.bundle_of(incident)
    assert validate_instance(bundle).is_valid, [str(e) for e in validate_instance(bundle).errors]
    by_type: dict[str, list[dict]] = {}
    for obj in bundle["objects"]:
        by_type.setdefault(obj["type"], []).append(obj)
    (found,) = by_type["incident"]
    assert "536-22-1847" not in json.dumps(bundle) and "[Social Security number removed]" in found["description"]
    assert "(334) 555-0100" not in json.dumps(bundle)  # not reviewed yet: removed
    patterns = {i["pattern"] for i in by_type["indicator"]}
    assert patterns == {"[ipv4-addr:value = '203.0.113.5']", "[domain-name:value = 'evil-results.xyz']"}
    assert all(r["relationship_type"] == "indicates" and r["target_ref"] == found["id"] for r in by_type["relationship"])
    assert len(by_type["relationship"]) == 2
    marking = by_type["marking-definition"][0]
    assert marking["name"] == "TLP:AMBER+STRICT" and all(
        o.get("object_marking_refs") == [marking["id"]] for o in by_type["indicator"] + by_type["incident"]
    )
    reporter = next(i for i in by_type["identity"] if i["name"] == incident.organization.name)
    assert found["created_by_ref"] == reporter["id"]
    # keeping a finding with a reason lets it through; ids are stable from one export to the next
    phone = _finding(incident, "phone")
    personal.decide(county, incident, {phone.pk: ("keep", "public office line")})
    again = client.get(f"/api/incidents/reports/{incident.pk}/stix")
    assert again.status_code == 200 and again["Content-Type"].startswith("application/stix+json")
    body = again.json()
    assert "(334) 555-0100" in json.dumps(body) and "536-22-1847" not in json.dumps(body)
    assert {o["id"] for o in body["objects"]} == {o["id"] for o in bundle["objects"]}
    outsider, outsider_client = _member("local_election_official", BALDWIN)
    assert outsider_client.get(f"/api/incidents/reports/{incident.pk}/stix").status_code == 404
    assert outsider_client.get(f"/incidents/{incident.pk}/stix/").status_code == 404


def test_a_stix_bundle_attached_as_evidence_adds_its_indicators(notified):
    incident, county, _client = notified
    partner = {
        "type": "bundle",
        "id": "bundle--6b2f0c4e-8f7a-4b7e-9f52-3b0c1f4d2a10",
        "objects": [
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",
                "created": "2026-11-02T12:00:00.000Z",
                "modified": "2026-11-02T12:00:00.000Z",
                "pattern": "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
                "pattern_type": "stix",
                "valid_from": "2026-11-02T12:00:00Z",
            }
        ],
    }
    services.attach_evidence(county, incident, SimpleUploadedFile("iocs.json", json.dumps(partner).encode()))
    bundle = stix.bundle_of(incident)
    assert validate_instance(bundle).is_valid
    assert "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade" in {o["id"] for o in bundle["objects"]}


def test_a_voter_file_extract_attached_as_evidence_is_reviewed_by_column(notified):
    incident, county, client = notified
    services.attach_evidence(county, incident, SimpleUploadedFile("export.csv", EXTRACT))
    columns = Finding.objects.filter(subject_id=str(incident.pk), source__startswith="evidence:").order_by("how")
    assert [(f.how, f.count) for f in columns] == [
        ("voter-file column dob", 2),
        ("voter-file column first_name", 2),
        ("voter-file column last_name", 2),
        ("voter-file column voter_id", 2),
    ]
    assert "2 cells of the column" in client.get(f"/incidents/{incident.pk}/personal/").content.decode()


def test_a_large_text_file_is_scanned_by_the_background_job(notified, settings):
    incident, county, _client = notified
    big = EXTRACT + b"Pat,Poe,1980-05-06,AL0011111111,Ward 9\n" * 40000  # over 1 MB
    assert len(big) > personal.INLINE_SCAN_BYTES
    attached = services.attach_evidence(county, incident, SimpleUploadedFile("big.csv", big))
    assert not Finding.objects.filter(source=f"evidence:{attached.pk}").exists()
    assert personal.review_status(incident)["files_pending"] == [attached]
    job = ProcrastinateJob.objects.get(task_name="incidents.scan_evidence")
    scan_evidence_job(**job.args)
    scan_evidence_job(**job.args)  # safe to run twice
    dob = Finding.objects.get(source=f"evidence:{attached.pk}", how="voter-file column dob")
    assert dob.count == 40002 and personal.review_status(incident)["files_pending"] == []


def test_closing_starts_the_retention_clock_and_the_purge_removes_personal_information_everywhere(notified, settings):
    incident, county, client = notified
    attached = services.attach_evidence(county, incident, SimpleUploadedFile("export.csv", EXTRACT))
    original = attached.sha256
    phone = _finding(incident, "phone")
    personal.decide(county, incident, {phone.pk: ("keep", "public office line")})
    with pytest.raises(ValidationError, match="resolved"):
        personal.close(county, incident, note="  ")
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=CENTRAL), tick=False):
        response = client.post(f"/incidents/{incident.pk}/close/", {"note": "Credentials reset; no further access."})
        assert response.status_code == 302
    incident.refresh_from_db()
    clock = Obligation.objects.get(duty_code=personal.PURGE_DUTY, subject_id=str(incident.pk))
    assert clock.due_at.astimezone(ZoneInfo("America/New_York")).date() == dt.date(2027, 11, 20)
    assert incident.stage.startswith("Closed")
    with pytest.raises(ValidationError, match="closed"):
        services.update(county, incident, {}, note="more")
    with pytest.raises(ValidationError, match="closed"):
        services.attach_evidence(county, incident, SimpleUploadedFile("late.log", b"late\n"))
    with pytest.raises(PermissionDenied):  # a person never purges by hand
        personal.purge(county, incident)
    assert personal.purge_due(dt.datetime(2027, 11, 1, tzinfo=dt.UTC)) == []  # not yet due
    with time_machine.travel(dt.datetime(2027, 11, 21, 3, 17, tzinfo=dt.UTC), tick=False):  # the daily job on the last day
        done = personal.purge_due()
    assert [reference for reference, _ in done] == [incident.reference]
    notice = IncidentNotice.objects.get(incident=incident)
    assert "536-22-1847" not in notice.circumstances and "[Social Security number purged]" in notice.circumstances
    assert "(334) 555-0100" not in notice.information_acquired  # kept for sharing, purged all the same
    assert "203.0.113.5" in notice.circumstances  # the indicators stay
    for sent in Notice.objects.filter(subject_type="incidents.incident", subject_id=str(incident.pk)):
        assert "536-22-1847" not in sent.email_body + json.dumps(sent.context)
    attached.refresh_from_db()
    assert attached.purged_at and attached.original_sha256 == original and attached.sha256 != original
    assert b"Jane" not in evidence.path_of(attached.sha256).read_bytes() and not evidence.path_of(original).exists()
    entry = Entry.objects.filter(action="personal:data:purge", object_id=str(incident.pk)).get()
    assert entry.summary["purged"]["Social Security number"] == 1 and "Date of birth" in entry.summary["purged"]
    assert "536-22-1847" not in json.dumps(entry.summary)
    clock.refresh_from_db()
    assert clock.status == Status.FULFILLED_ON_TIME
    assert personal.purge_due(dt.datetime(2027, 12, 1, tzinfo=dt.UTC)) == []  # once
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Purged on 2027-11-21" in page
    with pytest.raises(ValidationError, match="purged"):
        personal.decide(county, incident, {phone.pk: ("redact", "")})


def test_no_incident_closes_and_a_new_assessment_reopens_with_the_clock_waived(settings, tmp_path):
    settings.HOME = tmp_path
    county, _ = _member("local_election_official", AUTAUGA)
    with time_machine.travel(dt.datetime(2026, 11, 3, 8, 0, tzinfo=CENTRAL), tick=False):
        incident = services.report_possible(
            county,
            title="Odd pop-up",
            aware_at=dt.datetime(2026, 11, 3, 7, 0, tzinfo=CENTRAL),
            how_learned="A poll worker",
            systems=["e_pollbook"],
        )
        services.assess(county, incident, outcome="no_incident", reason="A browser extension")
        incident.refresh_from_db()
        assert incident.closed_at is not None
        services.assess(county, incident, outcome="occurred", discovered_at=dt.datetime(2026, 11, 3, 7, 50, tzinfo=CENTRAL))
    incident.refresh_from_db()
    assert incident.closed_at is None
    assert Obligation.objects.get(duty_code=personal.PURGE_DUTY, subject_id=str(incident.pk)).status == Status.WAIVED


def test_the_operator_s_command_lists_then_purges(notified, settings):
    from io import StringIO

    from django.core.management import call_command

    incident, county, _client = notified
    personal.close(county, incident, note="Resolved")
    out = StringIO()
    with time_machine.travel(dt.datetime(2028, 1, 1, tzinfo=dt.UTC), tick=False):
        call_command("incidents", "purge-personal-data", "--dry-run", stdout=out)
        assert f"{incident.reference}: closed" in out.getvalue() and "nothing was changed" in out.getvalue()
        assert IncidentNotice.objects.get(incident=incident).circumstances == LEAKED
        call_command("incidents", "purge-personal-data", stdout=out)
    assert "1 × Social Security number" in out.getvalue() and "1 incident(s) purged." in out.getvalue()
    assert "536-22-1847" not in IncidentNotice.objects.get(incident=incident).circumstances


def test_the_letter_to_congress_carries_the_minimised_content(notified):
    from safelect.programs.incidents import significance

    incident, _county, _client = notified
    office, _ = _member("national_leadership", "national-office")
    with time_machine.travel(dt.datetime(2026, 11, 4, 9, 0, tzinfo=CENTRAL), tick=False):
        significance.adopt_definition(
            office, text="Significant when…", criteria=[("vrdb", "Registration database accessed")], adopted_on=dt.date(2026, 11, 1)
        )
        significance.determine_significant(
            office, incident, criteria=["vrdb"], basis_at=dt.datetime(2026, 11, 4, 8, 0, tzinfo=CENTRAL), reason="Voter records copied"
        )
        letter = significance.notify_congress(office, incident)
    assert "536-22-1847" not in letter.body and "[Social Security number removed]" in letter.body and "203.0.113.5" in letter.body
