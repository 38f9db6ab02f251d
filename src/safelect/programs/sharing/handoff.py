"""Vulnerabilities handed over by other programs (:mod:`safelect.core.vulnerabilities`), shared as
an advisory under S.2261 §4(c)(4) with the organizations that may be affected.

One transaction, with the handing person's permissions: the information is received (opening the
§4(c) clock), a decision to share it is recorded, an advisory is drafted with the notice's TLP and
published to the named organizations, which fulfils the clock. If the personal-data scan finds
something in the text (§4(g)), the advisory stays a draft for review in the sharing program and the
caller is told it is not yet published.
"""

from __future__ import annotations

from safelect.core.directory.models import Organization
from safelect.core.personal import services as personal
from safelect.core.vulnerabilities import Handed, VulnerabilityNotice

from . import services
from .models import Item, Product


def publish_vulnerability(actor, notice: VulnerabilityNotice) -> Handed:
    systems = sorted({code if code in services.SYSTEM_CODES else "other" for code in notice.systems})
    item = services.receive_item(
        actor,
        {
            "title": notice.title[:200],
            "topic": "vulnerability",
            "tlp": notice.tlp,
            "source": Item.Source.RESEARCH,
            "summary": notice.summary,
            "systems": systems,
        },
    )
    services.decide(
        actor,
        item,
        outcome="share",
        particular_information=f"The vulnerability reported as {notice.source_reference}, to those who may be affected.",
    )
    product = services.create_product(
        actor,
        {
            "kind": Product.Kind.ADVISORY,
            "title": notice.title[:200],
            "topic": "vulnerability",
            "tlp": notice.tlp,
            "systems": systems,
            "text": notice.summary,
            "services": notice.services,
            "stix_objects": list(notice.stix_objects),
            "affected_organizations": list(Organization.objects.filter(pk__in=notice.organization_ids)),
        },
        item=item,
    )
    if personal.findings_of(product).filter(decision="pending").exists():
        return Handed(product.reference, f"/sharing/products/{product.pk}/", published=False)
    share = services.publish(actor, product)
    return Handed(product.reference, f"/sharing/products/{product.pk}/", published=True, recipients=share.recipients.count())
