"""A product as a STIX 2.1 bundle (S.2261 §4(d)): a ``report`` carrying the minimised text, the TLP
2.0 marking (§4(d)(3)) on everything safelect writes, the national office's identity as the
creator, further-sharing guidance and helpful services as report properties, and the product's
own STIX objects (indicators, vulnerabilities, courses of action…) referenced by the report."""

from __future__ import annotations

import datetime as dt
import json

import stix2

from safelect.core import stix as kit

from .models import Product
from .services import minimised_text

REPORT_TYPES = {"alert": "threat-report", "advisory": "vulnerability", "bulletin": "threat-report", "threat_notice": "threat-report"}


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def bundle_of(product: Product) -> dict:
    marking = kit.tlp(product.tlp)
    office = kit.identity(product.owner.key, product.owner.name)
    objects = [stix2.parse(o, allow_custom=True) for o in product.stix_objects]
    texts = minimised_text(product)
    moment = product.published_at or product.created_at
    report = stix2.Report(
        id=kit.stable_id("report", "safelect", product.reference),
        created=_utc(product.created_at),
        modified=_utc(moment),
        name=f"{product.reference}: {texts.get('product:title', product.title)}",
        description=texts.get("product:text", product.text),
        published=_utc(moment),
        report_types=[REPORT_TYPES.get(product.kind, "threat-report")],
        object_refs=[o.id for o in objects] or [office.id],
        created_by_ref=office.id,
        object_marking_refs=[marking.id],
        external_references=[{"source_name": "safelect", "external_id": product.reference}],
        x_safelect_further_sharing=product.further_sharing or None,
        x_safelect_services=[s for s in product.services.splitlines() if s.strip()] or None,
        allow_custom=True,
    )
    bundle = stix2.Bundle(marking, office, report, *objects, allow_custom=True)
    return json.loads(bundle.serialize())
