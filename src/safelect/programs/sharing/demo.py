"""Demo sharing for ``safelect demo``, recorded through the real services (clocks, journal,
outbox): an item from DHS awaiting a decision; an item shared as a TLP:GREEN alert to every State
election agency and the subscribers, with indicators; a TLP:RED advisory to Autauga County only; an
item withheld by leadership's written determination; a threat notice to Wisconsin's chief election
official (H.R. 5011 §202); Autauga County subscribed to ongoing updates. Idempotent (by title)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization, State

from . import services
from .models import Item, Product, Subscription

INDICATORS = [
    {
        "type": "indicator",
        "spec_version": "2.1",
        "id": "indicator--6f3c8a2e-4b1d-4c7e-9a55-0d2b7e9c1f01",
        "created": "2026-10-28T14:00:00.000Z",
        "modified": "2026-10-28T14:00:00.000Z",
        "name": "Scanner probing election night reporting sites",
        "description": "Address seen enumerating results-publishing paths on county websites.",
        "pattern": "[ipv4-addr:value = '198.51.100.23']",
        "pattern_type": "stix",
        "valid_from": "2026-10-28T14:00:00Z",
        "indicator_types": ["malicious-activity"],
    },
    {
        "type": "course-of-action",
        "spec_version": "2.1",
        "id": "course-of-action--0c8b4a3f-7d2e-4f61-8b9a-5e1d3c7a2b44",
        "created": "2026-10-28T14:00:00.000Z",
        "modified": "2026-10-28T14:00:00.000Z",
        "name": "Put the results site behind the content delivery network's web application firewall",
        "description": "Serve results only through the CDN; block direct access to the origin server.",
    },
]


def _has(title: str) -> bool:
    return Item.objects.filter(title=title).exists() or Product.objects.filter(title=title).exists()


@transaction.atomic
def create_demo_data():
    office = services.national_office()
    system = Actor.system(office)
    now = timezone.now()
    dhs = Organization.objects.filter(key="federal:dhs").first()
    autauga = Organization.objects.get(key="jurisdiction:0100100000")

    if dhs is not None and not _has("Phishing kit impersonating a voting-equipment vendor"):
        services.receive_item(
            Actor.system(dhs),
            {
                "title": "Phishing kit impersonating a voting-equipment vendor",
                "topic": "threat",
                "tlp": "amber",
                "summary": "A phishing kit sends 'firmware update' emails that look like a voting-equipment vendor's support desk.",
                "systems": ["email", "tabulator"],
                "source": "federal_entity",
                "source_organization": dhs,
                "received_at": now - dt.timedelta(hours=30),
            },
        )

    if not _has("Scanning of election night reporting sites"):
        item = services.receive_item(
            system,
            {
                "title": "Scanning of election night reporting sites",
                "topic": "threat",
                "tlp": "green",
                "summary": "One address enumerates results-publishing paths on county websites.",
                "systems": ["election_night_reporting", "website"],
                "source": "sharing_center",
                "received_at": now - dt.timedelta(days=2),
                "stix": {"type": "bundle", "id": "bundle--3e7f1c52-9a4b-4d8e-b6a1-2c9d0e8f7a65", "objects": INDICATORS},
            },
        )
        services.decide(system, item, outcome="share", particular_information="The indicator and the recommended measure")
        alert = services.create_product(
            system,
            {
                "kind": "alert",
                "title": "Scanning of election night reporting sites",
                "topic": "threat",
                "tlp": "green",
                "text": "One address is enumerating results-publishing paths on county websites. Block it, and serve results only through your content delivery network.",
                "systems": ["election_night_reporting", "website"],
                "further_sharing": "Share with the vendors who host your results site.",
                "services": "Cyber hygiene vulnerability scanning of public websites\nRemote penetration testing",
                "stix_objects": INDICATORS,
                "to_federal": True,
                "to_all_states": True,
                "to_subscribers": True,
            },
            item=item,
        )
        services.publish(system, alert)

    if not _has("Credential reuse at the county clerk's office"):
        red = services.create_product(
            system,
            {
                "kind": "advisory",
                "title": "Credential reuse at the county clerk's office",
                "topic": "vulnerability",
                "tlp": "red",
                "text": "A password of a clerk's office account appears in a public breach corpus. Change it and turn on two-factor sign-in.",
                "affected_organizations": [autauga],
            },
        )
        services.publish(system, red)

    if not _has("Source reporting on a planned intrusion"):
        withheld = services.receive_item(
            system,
            {
                "title": "Source reporting on a planned intrusion",
                "topic": "threat",
                "tlp": "red",
                "summary": "Reporting whose release would expose its source.",
                "source": "federal_entity",
            },
        )
        services.decide(
            system,
            withheld,
            outcome="withhold",
            particular_information="The reporting and its source",
            good_cause="Releasing it would reveal a confidential source during an active investigation.",
            review_on=now.date() + dt.timedelta(days=60),
            title="Deputy Secretary (delegate of the Secretary)",
        )

    wisconsin = State.objects.filter(usps="WI").first()
    if wisconsin is not None and not _has("Threats against Wisconsin's registration portal"):
        threat = services.create_product(
            system,
            {
                "kind": "threat_notice",
                "title": "Threats against Wisconsin's registration portal",
                "topic": "threat",
                "tlp": "amber+strict",
                "text": "Actors discussed denial-of-service attacks against the online registration portal in the week before the deadline.",
                "affected_states": [wisconsin],
            },
        )
        services.publish(system, threat)

    if not Subscription.objects.filter(organization=autauga).exists():
        services.subscribe(Actor.system(autauga), topics=["threat", "vulnerability"], systems=[])
    return []
