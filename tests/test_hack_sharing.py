"""Hack the Election hands a valid vulnerability to the sharing program through the kernel
(S.2261 §8(d)(5) through §4(c)(4)): the advisory, its TLP, exactly who it went to, the remediation
records, the clocks and the award. Here, not in the app, because it reads both programs' records."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safelect.core.obligations.models import Obligation
from safelect.programs.hack import awards, findings
from safelect.programs.hack.models import Award, Remediation
from safelect.programs.hack.tests.test_hack import _actor, _clock, _report, build_program
from safelect.programs.sharing.models import Product, Recipient

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return build_program()


def test_a_valid_report_notifies_the_designating_vendor_and_every_user_of_the_product_through_sharing(program):
    staff, _ = program["staff"]
    one, one_client = program["one"]
    finding = _report(one, program["designation"])
    assert (finding.cvss_score, finding.severity, finding.cwe_id) == (9.3, "critical", 494)
    findings.triage(
        staff,
        finding,
        {
            "status": "valid",
            "triage_note": "Reproduced in the lab.",
            "novel": "yes",
            "novelty_reason": "No earlier report or bulletin.",
            "tlp": "amber",
        },
    )
    finding.refresh_from_db()
    product = Product.objects.get(reference=finding.sharing_reference)
    assert product.tlp == "amber" and product.published_at is not None and product.item.source == "research"
    notified = set(Recipient.objects.filter(product=product).values_list("organization__key", flat=True))
    assert notified == {"demo:vendor:ballotworks", "jurisdiction:0100100000", "state:WI"}  # designated; uses (case-insensitive)
    whys = dict(Remediation.objects.filter(finding=finding).values_list("organization__key", "why"))
    assert whys == {"demo:vendor:ballotworks": "designated", "jurisdiction:0100100000": "uses", "state:WI": "uses"}
    assert _clock("S2261-8d5", finding).status == "fulfilled_on_time"
    disclose = _clock("HACK-DISCLOSE", finding)
    zone = zoneinfo.ZoneInfo(disclose.time_zone)
    assert timezone.localtime(disclose.due_at, zone).date() == timezone.localtime(finding.notified_at, zone).date() + dt.timedelta(days=90)
    assert finding.disclosure_on == timezone.localtime(disclose.due_at, zone).date()
    award = Award.objects.get(finding=finding)
    assert (award.amount, award.status) == (10000, "proposed")  # the round's schedule for "critical"
    with pytest.raises(PermissionDenied):
        awards.approve(staff, award)  # leadership approves
    director, _, _ = _actor("national_leadership")
    awards.approve(director, award)
    assert [row["finding__researcher__public_name"] for row in awards.hall_of_fame()] == ["Q.T."]
    # disclosure: not before the coordinated date, unless the vendor agrees another
    with pytest.raises(ValidationError, match="coordinated disclosure date"):
        findings.disclose(staff, finding, "A public advisory long enough to be published, describing the fix. " * 2)
    findings.agree_disclosure_date(staff, finding, timezone.localdate() + dt.timedelta(days=10), "Val Vendor, by email on Monday")
    moved = Obligation.objects.filter(duty_code="HACK-DISCLOSE", subject_id=str(finding.pk)).order_by("pk")
    assert [o.status for o in moved] == ["waived", "open"]
    assert timezone.localtime(moved.last().due_at, zone).date() == timezone.localdate() + dt.timedelta(days=10)
    with pytest.raises(ValidationError):
        findings.agree_disclosure_date(staff, finding, timezone.localdate(), "too soon")
