"""MISP in and out: the feed shows each caller exactly the products it may see, every event loads in
PyMISP's MISPEvent, hashes are MD5 of the attribute values; a partner's MISP event is converted to
STIX 2.1 with misp-stix and recorded as information received."""

from __future__ import annotations

import hashlib
import json

import pytest
from pymisp import MISPEvent

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Organization
from safelect.programs.sharing import services
from safelect.programs.sharing.models import Item
from safelect.programs.sharing.tests.test_sharing_services import INDICATOR

pytestmark = pytest.mark.django_db


def _publish(tlp: str, **audience):
    system = Actor.system(services.national_office())
    product = services.create_product(
        system,
        {
            "kind": "alert",
            "title": f"{tlp} one",
            "topic": "threat",
            "tlp": tlp,
            "text": "Block it.",
            "stix_objects": [INDICATOR],
            **audience,
        },
    )
    services.publish(system, product)
    return product


def test_the_feed_carries_what_the_caller_may_see_and_every_event_loads_in_pymisp():
    _publish("green", to_all_states=True)
    _publish("red", affected_organizations=[Organization.objects.get(key="state:MN")])
    _, wisconsin = make_member("chief_state_election_official", "state:WI")
    manifest = wisconsin.get("/api/sharing/misp/manifest.json").json()
    assert len(manifest) == 1
    ((event_uuid, meta),) = manifest.items()
    assert meta["info"].endswith("green one") and "tlp:green" in [t["name"] for t in meta["Tag"]]
    document = wisconsin.get(f"/api/sharing/misp/{event_uuid}.json").json()
    event = MISPEvent()
    event.load(document)
    assert event.info.endswith("green one") and [a.value for a in event.attributes] == ["203.0.113.77"]
    assert event.distribution == 2  # TLP:GREEN → connected communities
    hashes = wisconsin.get("/api/sharing/misp/hashes.csv").content.decode().split()
    assert f"{hashlib.md5(b'203.0.113.77').hexdigest()},{event_uuid}" in hashes
    _, minnesota = make_member("chief_state_election_official", "state:MN")
    assert len(minnesota.get("/api/sharing/misp/manifest.json").json()) == 2
    red_uuid = next(u for u, m in minnesota.get("/api/sharing/misp/manifest.json").json().items() if m["info"].endswith("red one"))
    assert wisconsin.get(f"/api/sharing/misp/{red_uuid}.json").status_code == 404
    red = MISPEvent()
    red.load(minnesota.get(f"/api/sharing/misp/{red_uuid}.json").json())
    assert red.distribution == 0 and "tlp:red" in [t.name for t in red.tags]


def test_a_partner_s_misp_event_becomes_information_received():
    event = MISPEvent()
    event.info = "Phishing infrastructure against clerks"
    event.add_attribute("domain", "clerk-login-update.example")
    event.add_attribute("ip-dst", "198.51.100.40")
    event.add_tag("tlp:green")
    _, dhs = make_member("federal_partner_analyst", "federal:dhs")
    created = dhs.post("/api/sharing/misp-events", event.to_json(), content_type="application/json")
    assert created.status_code == 201, created.content
    item = Item.objects.get()
    assert item.tlp == "green" and item.source_organization.key == "federal:dhs"
    patterns = " ".join(o.get("pattern", "") for o in item.stix["objects"])
    assert "clerk-login-update.example" in patterns and "198.51.100.40" in patterns
    bad = dhs.post("/api/sharing/misp-events", json.dumps({"Event": {"Attribute": [{"type": "ip-dst"}]}}), content_type="application/json")
    assert bad.status_code == 422 and Item.objects.count() == 1
    _, county = make_member("local_election_official")
    assert county.post("/api/sharing/misp-events", event.to_json(), content_type="application/json").status_code == 403
