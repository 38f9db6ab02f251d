"""Sharing as people and tools use it: the board, deciding, writing a product with the preview of
who receives it, publishing, the feed within TLP (pages, API, STIX export, PDF), subscriptions,
federal withholding, and the two commands."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from stix2validator import validate_instance

from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Organization
from safelect.programs.sharing.models import FederalWithholding, Item, Product, Recipient, Subscription
from safelect.programs.sharing.tests.test_sharing_services import BUNDLE, INDICATOR

pytestmark = pytest.mark.django_db


def test_staff_record_decide_write_preview_and_publish_on_the_pages():
    _, staff = make_member("national_program_staff")
    response = staff.post(
        "/sharing/items/new/",
        {"title": "Scanner", "topic": "threat", "source": "open_source", "tlp": "green", "summary": "Scans", "stix": json.dumps(BUNDLE)},
    )
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sharing/items/{item.pk}/"
    board = staff.get("/sharing/items/").content.decode()
    assert item.reference in board and "hour" in board
    refused = staff.post(
        f"/sharing/items/{item.pk}/", {"outcome": "withhold", "particular_information": "All", "good_cause": "x", "review_on": "2030-01-01"}
    )
    assert refused.status_code == 403  # staff share; leadership withholds
    assert staff.post(f"/sharing/items/{item.pk}/", {"outcome": "share", "particular_information": "All of it"}).status_code == 302
    form = staff.get(f"/sharing/products/new/?item={item.pk}").content.decode()
    assert 'value="Scanner"' in form
    created = staff.post(
        f"/sharing/products/new/?item={item.pk}",
        {
            "kind": "alert",
            "title": "Scanner",
            "topic": "threat",
            "text": "Block it.",
            "tlp": "green",
            "to_all_states": "on",
            "affected_counties": "01001",
            "stix": json.dumps(BUNDLE),
        },
    )
    product = Product.objects.get()
    assert created["Location"] == f"/sharing/products/{product.pk}/" and product.stix_objects == [INDICATOR]
    preview = staff.get(f"/sharing/products/{product.pk}/").content.decode()
    assert "57 organizations" in preview and "State election agency (§4(c)(2))" in preview and "Autauga County" in preview
    assert staff.post(f"/sharing/products/{product.pk}/").status_code == 302
    assert Recipient.objects.filter(product=product).count() == 57
    bad = staff.post(
        "/sharing/products/new/",
        {"kind": "alert", "title": "x", "topic": "threat", "text": "x", "tlp": "green", "affected_counties": "99999"},
    )
    assert bad.status_code == 200 and "99999" in bad.content.decode() and Product.objects.count() == 1


def test_recipients_read_within_tlp_by_page_api_stix_and_pdf():
    _, staff = make_member("national_program_staff")
    autauga = Organization.objects.get(key="jurisdiction:0100100000")
    staff.post(
        "/sharing/products/new/",
        {
            "kind": "alert",
            "title": "Red one",
            "topic": "threat",
            "text": "Only Autauga.",
            "tlp": "red",
            "affected_organizations": [],
            "affected_counties": "01001",
            "stix": json.dumps(BUNDLE),
        },
    )
    red = Product.objects.get(title="Red one")
    staff.post(f"/sharing/products/{red.pk}/")
    _, county = make_member("local_election_official", "jurisdiction:0100100000")
    _, neighbour = make_member("local_election_official", "jurisdiction:0100300000")
    _, alabama = make_member("chief_state_election_official", "state:AL")
    assert "Red one" in county.get("/sharing/").content.decode()
    for outsider in (neighbour, alabama):
        assert "Red one" not in outsider.get("/sharing/").content.decode()
        assert outsider.get(f"/sharing/products/{red.pk}/").status_code == 404
        assert outsider.get(f"/api/sharing/products/{red.pk}").status_code == 404
        assert outsider.get(f"/api/sharing/products/{red.pk}/stix").status_code == 404
        assert outsider.get(f"/sharing/products/{red.pk}.pdf").status_code == 404
        assert all(p["id"] != red.pk for p in outsider.get("/api/sharing/products").json())
    page = county.get(f"/sharing/products/{red.pk}/").content.decode()
    assert "TLP:RED" in page and "For the named recipients only." in page
    assert red.receipts.filter(organization=autauga).count() == 1
    bundle = county.get(f"/api/sharing/products/{red.pk}/stix").json()
    assert validate_instance(bundle).is_valid, [str(e) for e in validate_instance(bundle).errors]
    marking = next(o for o in bundle["objects"] if o["type"] == "marking-definition")
    assert marking["name"] == "TLP:RED" and INDICATOR["id"] in {o["id"] for o in bundle["objects"]}
    report = next(o for o in bundle["objects"] if o["type"] == "report")
    assert report["object_marking_refs"] == [marking["id"]] and INDICATOR["id"] in report["object_refs"]
    pdf = county.get(f"/sharing/products/{red.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_agencies_manage_their_subscription_and_the_feed_filters_by_it():
    _, county = make_member("local_election_official", "jurisdiction:0100100000")
    assert county.post("/sharing/subscription/", {"action": "save", "topics": ["vulnerability"], "systems": []}).status_code == 302
    found = Subscription.objects.get()
    assert found.organization.key == "jurisdiction:0100100000" and found.topics == ["vulnerability"]
    assert (
        county.put(
            "/api/sharing/subscription", json.dumps({"topics": ["threat"], "systems": ["tabulator"]}), content_type="application/json"
        ).status_code
        == 200
    )
    assert county.get("/api/sharing/subscription").json()["systems"] == ["tabulator"]
    _, vendor = make_member("election_service_provider_staff")
    assert vendor.get("/sharing/subscription/").status_code == 403
    assert county.post("/sharing/subscription/", {"action": "stop"}).status_code == 302 and not Subscription.objects.exists()


def test_partners_submit_as_themselves_and_record_their_written_withholding():
    _, dhs = make_member("federal_partner_analyst", "federal:dhs")
    created = dhs.post(
        "/api/sharing/items",
        json.dumps({"title": "Phishing kit", "topic": "threat", "tlp": "amber", "summary": "A kit", "stix": BUNDLE}),
        content_type="application/json",
    )
    assert created.status_code == 201 and Item.objects.get().source_organization.key == "federal:dhs"
    invalid = dhs.post(
        "/api/sharing/items",
        json.dumps(
            {"title": "x", "topic": "threat", "tlp": "amber", "summary": "x", "stix": {"type": "bundle", "id": "bundle--1", "objects": []}}
        ),
        content_type="application/json",
    )
    assert invalid.status_code == 422 and "does not match the id format" in invalid.content.decode() and Item.objects.count() == 1
    assert dhs.get(f"/sharing/items/{Item.objects.get().pk}/").status_code == 200  # its own submission
    recorded = dhs.post(
        "/sharing/withholdings/",
        {
            "decided_by_name": "The Under Secretary",
            "authority": "designee",
            "particular_information": "Names of sources",
            "good_cause": "Sources and methods",
            "decided_on": "2026-11-01",
        },
    )
    assert recorded.status_code == 302 and FederalWithholding.objects.get().organization.key == "federal:dhs"
    _, isac = make_member("isac_analyst", "isac:ms-isac")
    assert (
        isac.post(
            "/sharing/withholdings/",
            {"decided_by_name": "x", "authority": "head", "particular_information": "x", "good_cause": "x", "decided_on": "2026-11-01"},
        ).status_code
        == 403
    )
    _, county = make_member("local_election_official")
    assert (
        county.post(
            "/api/sharing/items",
            json.dumps({"title": "x", "topic": "threat", "tlp": "amber", "summary": "x"}),
            content_type="application/json",
        ).status_code
        == 403
    )


def test_the_publish_command_validates_imports_and_shares_and_audience_reports_it(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"type": "bundle", "id": "bundle--1", "objects": [{"type": "indicator", "id": "indicator--x"}]}))
    with pytest.raises(CommandError) as refused:
        call_command("sharing", "publish", "--bundle", str(bad), "--tlp", "amber")
    assert "'pattern' is a required property" in str(refused.value) and "nothing was written" in str(refused.value)
    assert not Item.objects.exists() and not Product.objects.exists()
    good = tmp_path / "good.json"
    good.write_text(json.dumps(BUNDLE))
    out = StringIO()
    call_command("sharing", "publish", "--bundle", str(good), "--tlp", "TLP:AMBER", "--affected-state", "VT", "--json", stdout=out)
    result = json.loads(out.getvalue())
    vermont = Organization.objects.filter(state__usps="VT", kind__in=["state_election_office", "local_election_agency"]).count()
    assert result["recipients"] == vermont and result["tlp"] == "TLP:AMBER"
    out = StringIO()
    call_command("sharing", "audience", "--product", result["product"], "--json", stdout=out)
    reported = json.loads(out.getvalue())
    assert reported["total"] == vermont and reported["counts"] == {"affected": vermont} and "state:VT" in reported["organizations"]
