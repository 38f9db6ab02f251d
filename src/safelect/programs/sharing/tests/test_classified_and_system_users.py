"""S.2261 §4(e): classified information is recorded as metadata only, with the two review clocks;
a declassified version becomes information to share. §4(c)(4): the agencies that reported
incidents involving a system may be affected. H.R. 5011 §202: per-official delivery is shown."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Organization, State
from safelect.core.obligations.models import Obligation, Status
from safelect.core.outbox.testing import deliver_pending
from safelect.programs.sharing import audience, classified, services
from safelect.programs.sharing.models import ClassifiedReceipt, Item, Recipient

pytestmark = pytest.mark.django_db


def _actor(role: str, key: str | None = None) -> Actor:
    user, _ = make_member(role, key)
    return Actor.member(Membership.objects.get(user=user))


def _clock(receipt, duty):
    return Obligation.objects.get(subject_type="sharing.classifiedreceipt", subject_id=str(receipt.pk), duty_code=duty)


def test_classified_information_is_metadata_with_its_review_clocks_and_a_declassified_item():
    staff = _actor("national_program_staff")
    fbi = Organization.objects.filter(kind="federal_entity").exclude(key="federal:dhs").first()
    dhs = Organization.objects.get(key="federal:dhs")
    with pytest.raises(ValidationError, match="portion marking"):
        classified.record_receipt(
            staff, {"description": "(S) targeting of a county", "topic": "threat", "level": "secret", "originator": fbi}
        )
    assert not ClassifiedReceipt.objects.exists()
    receipt = classified.record_receipt(
        staff, {"description": "Reporting on targeting of a county's network", "topic": "threat", "level": "secret", "originator": fbi}
    )
    assert _clock(receipt, "S2261-4e1").status == Status.OPEN
    with pytest.raises(PermissionDenied):
        classified.request_review(_actor("federal_partner_analyst", "federal:dhs"), receipt, reviewer=dhs)
    classified.request_review(staff, receipt, reviewer=dhs)
    assert _clock(receipt, "S2261-4e1").status == Status.FULFILLED_ON_TIME
    review = _clock(receipt, "S2261-4e2")
    assert review.status == Status.OPEN and review.holder == dhs
    outsider = _actor("federal_partner_analyst", fbi.key)  # not the reviewer
    with pytest.raises(PermissionDenied):
        classified.record_outcome(outsider, receipt, outcome="declassified", declassified_text="x")
    analyst = _actor("federal_partner_analyst", "federal:dhs")
    with pytest.raises(ValidationError, match="declassified version"):
        classified.record_outcome(analyst, receipt, outcome="partly", declassified_text="")
    classified.record_outcome(
        analyst, receipt, outcome="partly", declassified_text="A county's network was scanned from abroad.", tlp="amber"
    )
    receipt.refresh_from_db()
    assert receipt.outcome == "partly" and _clock(receipt, "S2261-4e2").status == Status.FULFILLED_ON_TIME
    item = receipt.declassified_item
    assert item.summary == "A county's network was scanned from abroad." and item.source_organization == dhs
    assert Obligation.objects.get(subject_type="sharing.item", subject_id=str(item.pk), duty_code="S2261-4c").status == Status.OPEN
    assert Item.objects.count() == 1  # only the declassified version


def test_the_classified_pages_show_each_party_its_own(client):
    _, staff = make_member("national_program_staff")
    fbi = Organization.objects.filter(kind="federal_entity").exclude(key="federal:dhs").first()
    created = staff.post(
        "/sharing/classified/", {"description": "Reporting on a vendor", "topic": "threat", "level": "secret", "originator": fbi.pk}
    )
    receipt = ClassifiedReceipt.objects.get()
    assert created.status_code == 302
    staff.post(f"/sharing/classified/{receipt.pk}/", {"action": "request", "reviewer": Organization.objects.get(key="federal:dhs").pk})
    _, dhs = make_member("federal_partner_analyst", "federal:dhs")
    page = dhs.get(f"/sharing/classified/{receipt.pk}/").content.decode()
    assert "Outcome of the review" in page and "Request the expedited" not in page
    _, isac = make_member("isac_analyst", "isac:ms-isac")
    assert isac.get(f"/sharing/classified/{receipt.pk}/").status_code == 404
    assert dhs.post(f"/sharing/classified/{receipt.pk}/", {"action": "outcome", "outcome": "denied", "tlp": "amber"}).status_code == 302
    assert ClassifiedReceipt.objects.get().outcome == "denied"
    _, county = make_member("local_election_official")
    assert county.get("/sharing/classified/").status_code == 403


def test_agencies_that_reported_incidents_with_the_system_may_be_affected():
    """Through the incidents API (programs never import each other) and the kernel's registry."""
    import json

    user, client = make_member("local_election_official", "jurisdiction:0100100000")
    county = Actor.member(Membership.objects.get(user=user))
    reported = client.post(
        "/api/incidents/reports",
        json.dumps({"title": "Pollbook", "aware_at": "2026-11-03T08:00:00+00:00", "how_learned": "x", "systems": ["e_pollbook"]}),
        content_type="application/json",
    )
    assert reported.status_code == 201, reported.content
    staff = _actor("national_program_staff")
    product = services.create_product(
        staff,
        {
            "kind": "advisory",
            "title": "Pollbook flaw",
            "topic": "vulnerability",
            "tlp": "amber",
            "text": "x",
            "systems": ["e_pollbook"],
            "to_system_users": True,
        },
    )
    assert audience.resolve(product) == {county.organization.pk: Recipient.Why.AFFECTED}
    other = services.create_product(
        staff,
        {
            "kind": "advisory",
            "title": "Tabulator flaw",
            "topic": "vulnerability",
            "tlp": "amber",
            "text": "x",
            "systems": ["tabulator"],
            "to_system_users": True,
        },
    )
    assert audience.resolve(other) == {}
    empty = services.create_product(
        staff, {"kind": "advisory", "title": "No system", "topic": "vulnerability", "tlp": "amber", "text": "x", "to_system_users": True}
    )
    assert "systems" in audience.audience_problems(empty)


def test_the_threat_notice_page_shows_delivery_per_official(smtp_server):
    staff_user, staff = make_member("national_program_staff")
    chief_user, _ = make_member("chief_state_election_official", "state:WI")
    system = Actor.system(services.national_office())
    notice = services.create_product(
        system,
        {
            "kind": "threat_notice",
            "title": "Threat to Wisconsin",
            "topic": "threat",
            "tlp": "amber",
            "text": "x",
            "affected_states": [State.objects.get(usps="WI")],
        },
    )
    services.publish(system, notice)
    assert deliver_pending() == 2  # email and inbox, through a real SMTP server on loopback
    assert [m["To"] for m in smtp_server.mailbox.wait_for(1)] == [chief_user.email]
    page = staff.get(f"/sharing/products/{notice.pk}/").content.decode()
    assert "Delivered to" in page and str(chief_user) in page and "in-app inbox: sent" in page
