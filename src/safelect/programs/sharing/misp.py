"""MISP in and out (S.2261 §4(d), (f): the sharing center and many agencies run MISP).

* **Feed** (``/api/sharing/misp/manifest.json``, ``hashes.csv``, ``<uuid>.json``): each published
  product the caller may see (the same audience and TLP rules as the pages) is one MISP event,
  converted from the product's STIX 2.1 bundle by CIRCL's ``misp-stix`` (``ExternalSTIX2toMISPParser``)
  and written in the feed format by PyMISP (``MISPEvent.to_feed``). A MISP instance adds it as a
  feed of type "MISP Feed" with the header ``Authorization: Bearer <safelect API token>``.
* **TLP and distribution.** Every event carries the product's ``tlp:`` tag (MISP's TLP taxonomy,
  2.0 names). Distribution inside the receiving MISP follows the label: TLP:CLEAR → "All
  communities" (3), TLP:GREEN → "Connected communities" (2), TLP:AMBER, AMBER+STRICT and RED →
  "Your organisation only" (0). safelect has no MISP sharing groups; an organization that wants one
  maps the tag to its own group.
* **Import** (``POST /api/sharing/misp-events``): a partner's MISP event JSON is loaded by PyMISP,
  converted to STIX 2.1 by ``misp-stix`` (``MISPtoSTIX21Parser``), checked with ``stix2-validator``
  and recorded as information received (§4(b)), with its §4(c) clock.
"""

from __future__ import annotations

import uuid

from pymisp import MISPEvent, MISPOrganisation
from pymisp.abstract import pymisp_json_default as json_default  # noqa: F401  (the feed's JSON: UUIDs, dates)

from .models import Product
from .stix import bundle_of

DISTRIBUTION = {"clear": 3, "green": 2, "amber": 0, "amber+strict": 0, "red": 0}
THREAT_LEVEL = {"alert": 1, "threat_notice": 1, "advisory": 2, "bulletin": 3}
ORG_UUID = str(uuid.uuid5(uuid.NAMESPACE_URL, "safelect:national-office"))


def event_of(product: Product) -> MISPEvent:
    """A product as a MISP event (its STIX bundle through misp-stix, then safelect's metadata)."""
    import stix2
    from misp_stix_converter import ExternalSTIX2toMISPParser

    parser = ExternalSTIX2toMISPParser()
    parser.load_stix_bundle(stix2.parse(bundle_of(product), allow_custom=True))
    parser.parse_stix_bundle()
    event: MISPEvent = parser.misp_event
    moment = product.published_at or product.created_at
    event.uuid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"safelect:{product.reference}"))
    event.info = f"{product.reference}: {product.title}"
    event.date = moment.date()
    event.timestamp = moment
    event.publish_timestamp = moment
    event.published = True
    event.analysis = 2
    event.threat_level_id = THREAT_LEVEL.get(product.kind, 2)
    event.distribution = DISTRIBUTION[product.tlp]
    org = MISPOrganisation()
    org.from_dict(name=product.owner.name, uuid=ORG_UUID)
    event.Orgc = org
    event.add_tag(f"tlp:{product.tlp}")
    for part in [*event.attributes, *event.objects, *(a for o in event.objects for a in o.attributes), *event.event_reports]:
        part.distribution = 5  # inherit the event's
    return event


def feed_entry(product: Product) -> dict:
    """``{"Event": …, "_manifest": …, "_hashes": […]}`` as PyMISP writes a feed."""
    return event_of(product).to_feed(with_meta=True, with_distribution=True)


def manifest(products) -> dict:
    out = {}
    for product in products:
        entry = feed_entry(product)["Event"]
        out.update(entry["_manifest"])
    return out


def hashes_csv(products) -> str:
    lines = []
    for product in products:
        entry = feed_entry(product)["Event"]
        lines.extend(f"{h},{entry['uuid']}" for h in entry["_hashes"])
    return "\n".join(lines) + ("\n" if lines else "")


def event_document(product: Product) -> dict:
    entry = feed_entry(product)["Event"]
    entry.pop("_manifest", None)
    entry.pop("_hashes", None)
    return {"Event": entry}


def product_for(products, event_uuid: str) -> Product | None:
    for product in products:
        if str(uuid.uuid5(uuid.NAMESPACE_URL, f"safelect:{product.reference}")) == event_uuid:
            return product
    return None


def bundle_from_event(data: dict) -> dict:
    """A partner's MISP event JSON as a STIX 2.1 bundle (PyMISP loads it; misp-stix converts it)."""
    import json

    from misp_stix_converter import MISPtoSTIX21Parser

    event = MISPEvent()
    event.load(data)
    parser = MISPtoSTIX21Parser()
    parser.parse_misp_event(json.loads(event.to_json()))
    return json.loads(parser.bundle.serialize())
