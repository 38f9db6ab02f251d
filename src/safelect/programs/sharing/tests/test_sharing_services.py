"""S.2261 §4(b)–(g), H.R. 5011 §202: every item has a decision and a clock; every share reaches
exactly its audience; TLP decides who sees a product; bad bundles are refused with the validator's
messages and write nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Organization, State
from safelect.core.journal.models import Entry
from safelect.core.obligations.models import Obligation, Status
from safelect.core.outbox.models import Delivery, Notice
from safelect.core.personal.models import Finding
from safelect.programs.sharing import access, audience, services
from safelect.programs.sharing.models import Item, Product, Recipient

pytestmark = pytest.mark.django_db
INDICATOR = {
    "type": "indicator",
    "spec_version": "2.1",
    "id": "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",
    "created": "2026-11-02T12:00:00.000Z",
    "modified": "2026-11-02T12:00:00.000Z",
    "name": "Results-site scanner",
    "description": "Address scanning election night reporting sites",
    "pattern": "[ipv4-addr:value = '203.0.113.77']",
    "pattern_type": "stix",
    "valid_from": "2026-11-02T12:00:00Z",
}
BUNDLE = {"type": "bundle", "id": "bundle--6b2f0c4e-8f7a-4b7e-9f52-3b0c1f4d2a10", "objects": [INDICATOR]}


def _actor(role: str, key: str | None = None) -> Actor:
    user, _ = make_member(role, key)
    return Actor.member(Membership.objects.get(user=user))


def _item(actor: Actor, **changes) -> Item:
    values = {
        "title": "Scanning of results sites",
        "topic": "threat",
        "tlp": "amber",
        "summary": "A scanner probes results sites.",
        "systems": ["election_night_reporting"],
        "stix": BUNDLE,
        "source": "open_source",
    }
    return services.receive_item(actor, {**values, **changes})


def _product(actor: Actor, **changes) -> Product:
    values = {
        "title": "Results sites scanned",
        "topic": "threat",
        "tlp": "green",
        "kind": "alert",
        "text": "Block the address.",
        "systems": ["election_night_reporting"],
        "stix_objects": [INDICATOR],
    }
    return services.create_product(actor, {**values, **changes})


def test_receiving_an_item_opens_the_share_promptly_clock_and_a_threat_the_202_clock():
    staff = _actor("national_program_staff")
    item = _item(staff)
    duties = set(Obligation.objects.filter(subject_type="sharing.item", subject_id=str(item.pk)).values_list("duty_code", flat=True))
    assert duties == {"S2261-4c", "HR5011-202"}
    assert Notice.objects.filter(kind="sharing.item_received").count() == 1
    dhs = _actor("federal_partner_analyst", "federal:dhs")
    theirs = _item(dhs, source="open_source", source_organization=None)
    assert theirs.source == Item.Source.FEDERAL and theirs.source_organization.key == "federal:dhs"  # a partner submits as itself
    county = _actor("local_election_official")
    with pytest.raises(PermissionDenied):
        _item(county)


def test_an_invalid_bundle_is_refused_with_the_validator_s_messages_and_writes_nothing():
    staff = _actor("national_program_staff")
    broken = {"type": "bundle", "id": "bundle--1", "objects": [{"type": "indicator", "id": "indicator--x"}]}
    with pytest.raises(ValidationError) as refused:
        _item(staff, stix=broken)
    message = refused.value.message_dict["stix"][0]
    assert "'pattern' is a required property" in message and "does not match the id format" in message
    assert not Item.objects.exists() and not Obligation.objects.filter(subject_type="sharing.item").exists()
    with pytest.raises(ValidationError, match="Nothing classified"):
        _item(staff, classified=True)


def test_withholding_needs_leadership_a_written_good_cause_and_a_review_date():
    staff, director = _actor("national_program_staff"), _actor("national_leadership")
    item = _item(staff)
    with pytest.raises(PermissionDenied):
        services.decide(staff, item, outcome="withhold", particular_information="All of it", good_cause="x", review_on=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.decide(director, item, outcome="withhold", particular_information="", good_cause="", review_on=None)
    assert set(refused.value.message_dict) == {"particular_information", "good_cause", "review_on"}
    services.decide(
        director,
        item,
        outcome="withhold",
        particular_information="The source's name",
        good_cause="It would expose the source",
        review_on=timezone.localdate() + dt.timedelta(days=90),
        title="Deputy Secretary (delegate)",
    )
    item.refresh_from_db()
    assert item.status == Item.Status.WITHHELD
    clock = Obligation.objects.get(subject_type="sharing.item", subject_id=str(item.pk), duty_code="S2261-4c")
    assert clock.status == Status.FULFILLED_ON_TIME
    entry = Entry.objects.get(action="sharing:item:withhold", object_id=str(item.pk))
    assert entry.summary["particular_information"] == "The source's name"
    services.decide(staff, item, outcome="share", particular_information="The indicators, without the source")
    item.refresh_from_db()
    assert item.status == Item.Status.PARTLY  # partial sharing is two decisions


def test_a_product_to_all_state_election_agencies_reaches_the_56_offices_and_nobody_else():
    staff = _actor("national_program_staff")
    county_user, _ = make_member("local_election_official")
    wi_chief, _ = make_member("chief_state_election_official", "state:WI")
    product = _product(staff, to_all_states=True)
    share = services.publish(staff, product)
    offices = set(Organization.objects.filter(kind="state_election_office").values_list("pk", flat=True))
    assert len(offices) == 56 and set(share.recipients.values_list("organization_id", flat=True)) == offices
    assert set(share.recipients.values_list("why", flat=True)) == {"state"}
    notice = Notice.objects.get(kind="sharing.product")
    delivered = set(Delivery.objects.filter(notice=notice, channel="inbox").values_list("user_id", flat=True))
    assert wi_chief.pk in delivered and county_user.pk not in delivered
    with pytest.raises(ValidationError, match="already published"):
        services.publish(staff, product)


def test_affected_agencies_plus_subscribers_and_exactly_those():
    staff = _actor("national_program_staff")
    services.subscribe(_actor("local_election_official", "jurisdiction:0100300000"), topics=["threat"], systems=[])  # Baldwin: threats
    services.subscribe(_actor("chief_state_election_official", "state:MN"), topics=["vulnerability"], systems=[])  # not threats
    autauga = Organization.objects.get(key="jurisdiction:0100100000")
    vermont = State.objects.get(usps="VT")
    product = _product(staff, to_subscribers=True, affected_organizations=[autauga], affected_states=[vermont])
    resolved = audience.resolve(product)
    vermont_agencies = set(Organization.objects.filter(state=vermont, kind__in=audience.AGENCIES).values_list("pk", flat=True))
    baldwin = Organization.objects.get(key="jurisdiction:0100300000").pk
    assert set(resolved) == {autauga.pk, baldwin} | vermont_agencies
    assert resolved[baldwin] == Recipient.Why.SUBSCRIBER and resolved[autauga.pk] == Recipient.Why.AFFECTED


def test_a_withheld_item_reaches_no_one():
    staff, director = _actor("national_program_staff"), _actor("national_leadership")
    item = _item(staff)
    services.decide(
        director,
        item,
        outcome="withhold",
        particular_information="All of it",
        good_cause="Ongoing investigation",
        review_on=timezone.localdate() + dt.timedelta(days=30),
    )
    assert not Product.objects.filter(item=item).exists() and not Recipient.objects.exists()
    assert not Notice.objects.filter(kind="sharing.product").exists()
    county = _actor("local_election_official")
    assert not access.visible_items(county).exists() and access.visible_items(director).filter(pk=item.pk).exists()


def test_tlp_red_goes_to_named_recipients_only_and_amber_strict_stays_in_the_organization():
    staff = _actor("national_program_staff")
    autauga = Organization.objects.get(key="jurisdiction:0100100000")
    with pytest.raises(ValidationError, match="named recipients only"):
        services.publish(staff, _product(staff, tlp="red", to_all_states=True))
    red = _product(staff, tlp="red", affected_organizations=[autauga])
    services.publish(staff, red)
    strict = _product(staff, tlp="amber+strict", affected_organizations=[autauga])
    services.publish(staff, strict)
    green = _product(staff, tlp="green", affected_organizations=[autauga])
    services.publish(staff, green)
    county = _actor("local_election_official", "jurisdiction:0100100000")
    assert set(access.visible_products(county)) == {red, strict, green}
    alabama = _actor("chief_state_election_official", "state:AL")  # same State, another organization
    assert set(access.visible_products(alabama)) == {green}
    baldwin = _actor("local_election_official", "jurisdiction:0100300000")
    assert set(access.visible_products(baldwin)) == {green}
    researcher = _actor("researcher")  # not of the community
    assert set(access.visible_products(researcher)) == set()


def test_personal_information_in_a_product_blocks_publishing_until_reviewed():
    staff = _actor("national_program_staff")
    product = _product(staff, text="Voter Jane Q. Doe, DOB 03/14/1962, reported the phishing email.", to_all_states=True)
    with pytest.raises(ValidationError, match="personal information"):
        services.publish(staff, product)
    assert not Recipient.objects.exists()
    from safelect.core.personal import services as personal

    decisions = {f.pk: ("redact", "") for f in personal.findings_of(product)}
    personal.decide(staff.vouched(), product, decisions)
    services.publish(staff, product)
    assert Recipient.objects.filter(product=product).count() == 56
    assert Finding.objects.filter(subject_type="sharing.product").count() == 2


def test_a_threat_notice_goes_to_the_chief_officials_of_the_chosen_states_with_read_receipts():
    staff = _actor("national_program_staff")
    item = _item(staff)
    chief = _actor("chief_state_election_official", "state:WI")
    wi_staff_user, _ = make_member("state_election_staff", "state:WI")
    with pytest.raises(ValidationError, match="Choose the States"):
        services.publish(
            staff,
            services.create_product(
                staff, {"title": "T", "topic": "threat", "tlp": "amber", "kind": "threat_notice", "text": "x"}, item=item
            ),
        )
    notice = services.create_product(
        staff,
        {
            "title": "Targeting of Wisconsin",
            "topic": "threat",
            "tlp": "amber",
            "kind": "threat_notice",
            "text": "x",
            "affected_states": [State.objects.get(usps="WI")],
        },
        item=item,
    )
    services.publish(staff, notice)
    sent = Notice.objects.get(kind="sharing.threat_notice")
    delivered = set(Delivery.objects.filter(notice=sent, channel="inbox").values_list("user_id", flat=True))
    assert chief.user.pk in delivered and wi_staff_user.pk not in delivered
    assert (
        Obligation.objects.get(subject_type="sharing.item", subject_id=str(item.pk), duty_code="HR5011-202").status
        == Status.FULFILLED_ON_TIME
    )
    services.mark_read(chief, notice)
    services.mark_read(chief, notice)
    assert notice.receipts.count() == 1
    services.mark_read(_actor("chief_state_election_official", "state:MN"), notice)  # not a recipient
    assert notice.receipts.count() == 1


def test_only_agencies_manage_their_own_subscription():
    with pytest.raises(PermissionDenied):
        services.subscribe(_actor("election_service_provider_staff"), topics=["threat"], systems=[])
    with pytest.raises(PermissionDenied):
        services.subscribe(_actor("federal_partner_analyst", "federal:dhs"), topics=["threat"], systems=[])
    county = _actor("local_election_official")
    with pytest.raises(ValidationError):
        services.subscribe(county, topics=["gossip"], systems=[])
    found = services.subscribe(county, topics=["threat"], systems=["tabulator"])
    assert found.organization == county.organization and json.dumps(found.topics) == '["threat"]'
