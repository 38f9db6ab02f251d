"""The TAXII 2.1 server, driven by the OASIS ``taxii2-client`` through the whole Django stack
(middleware, URL map, views; a ``requests`` transport adapter hands each request to Django's test
client instead of a socket, so the test's database transaction is shared): discovery,
collections, paginated reads of more than 1,000 objects without repeats or gaps, added_after,
match[type], POST with status; a State user's token never sees another State's TLP:RED object
through any endpoint; every object returned passes ``stix2-validator``."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import requests
from stix2validator import validate_instance
from taxii2client.common import _HTTPConnection
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from safelect.core.accounts import services as accounts
from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Organization
from safelect.programs.sharing import services, taxii
from safelect.programs.sharing.models import Item, TaxiiObject

pytestmark = pytest.mark.django_db
BASE = "http://testserver/taxii2/"


class DjangoAdapter(requests.adapters.BaseAdapter):
    """A requests transport that answers through Django's test client (no socket, same transaction)."""

    def send(self, request, **kwargs):
        from urllib.parse import urlsplit

        from django.test import Client

        parts = urlsplit(request.url)
        extra = {}
        for name, value in request.headers.items():
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                extra[f"HTTP_{key}"] = value
        body = request.body or b""
        answer = Client().generic(
            request.method,
            parts.path + (f"?{parts.query}" if parts.query else ""),
            data=body,
            content_type=request.headers.get("Content-Type", ""),
            **extra,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = requests.structures.CaseInsensitiveDict(answer.items())
        response._content = answer.content
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


@pytest.fixture(autouse=True)
def _through_django(monkeypatch):
    """Every requests session (taxii2-client makes its own) answers http://testserver through Django."""
    original = requests.Session.get_adapter
    adapter = DjangoAdapter()

    def get_adapter(self, url):
        return adapter if url.startswith("http://testserver/") else original(self, url)

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)


def _session(user: str = "", password: str = "") -> requests.Session:
    session = requests.Session()
    session.mount("http://testserver", DjangoAdapter())
    if password:
        session.auth = (user or "client", password)
    return session


def _conn(password: str) -> _HTTPConnection:
    conn = _HTTPConnection("client", password, version="2.1")
    conn.session.mount("http://testserver", DjangoAdapter())
    return conn


SHARED = taxii.COLLECTIONS["shared"]["id"]
SUBMISSIONS = taxii.COLLECTIONS["submissions"]["id"]


def _token(role: str, key: str | None = None, permissions=("sharing:product:view",)) -> str:
    user, _ = make_member(role, key)
    actor = Actor.member(Membership.objects.get(user=user))
    _token_row, raw = accounts.create_token(actor, name="TAXII client", permissions=list(permissions))
    return raw


def _indicator(n: int, modified: str = "2026-11-02T12:00:00.000Z") -> dict:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.uuid5(uuid.NAMESPACE_URL, str(n))}",
        "created": "2026-11-02T12:00:00.000Z",
        "modified": modified,
        "name": f"Scanner {n}",
        "description": "Address scanning results sites",
        "pattern": f"[ipv4-addr:value = '198.51.{n // 250}.{n % 250}']",
        "pattern_type": "stix",
        "valid_from": "2026-11-02T12:00:00Z",
    }


def _publish(objects: list[dict], **audience) -> None:
    system = Actor.system(services.national_office())
    product = services.create_product(
        system,
        {
            "kind": "bulletin",
            "title": "Scanners",
            "topic": "threat",
            "tlp": audience.pop("tlp", "green"),
            "text": "Block them.",
            "stix_objects": objects,
            **audience,
        },
    )
    services.publish(system, product)


@pytest.fixture
def taxii_url():
    return BASE


def test_discovery_collections_and_paginated_reads_without_repeats_or_gaps(taxii_url):
    _publish([_indicator(n) for n in range(1200)], to_all_states=True)
    raw = _token("chief_state_election_official", "state:WI")
    server = Server(taxii_url, user="wisconsin", password=raw)  # the token as the Basic password
    assert server.title == "safelect TAXII 2.1" and len(server.api_roots) == 1
    root: ApiRoot = server.default
    titles = {c.title: c for c in root.collections}
    shared = titles["Shared election security information"]
    assert shared.can_read and not shared.can_write and "Submissions to the national office" not in titles
    seen, returned = [], []
    for envelope in as_pages(shared.get_objects, per_request=250):
        seen.extend(o["id"] for o in envelope.get("objects", []))
        returned.extend(envelope.get("objects", []))
    checked = validate_instance({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": returned})
    assert checked.is_valid, [str(e) for e in checked.errors][:5]  # every object the server returned
    expected = {o.stix_id for o in TaxiiObject.objects.filter(collection="shared")}
    assert len(seen) == len(set(seen)) == len(expected) > 1200  # the indicators, the report, the identity, the marking
    assert set(seen) == expected
    only_reports = shared.get_objects(type="report")
    assert [o["type"] for o in only_reports["objects"]] == ["report"]
    later = shared.get_objects(added_after=(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).isoformat())
    assert later.get("objects", []) == []
    manifest = next(as_pages(shared.get_manifest, per_request=10))
    assert (
        manifest["more"] is True
        and len(manifest["objects"]) == 10
        and all(m["media_type"] == taxii.STIX_MEDIA for m in manifest["objects"])
    )
    one = shared.get_object(_indicator(7)["id"])
    assert one["objects"][0]["name"] == "Scanner 7"
    assert shared.object_versions(_indicator(7)["id"])["versions"] == ["2026-11-02T12:00:00.000000Z"]
    for obj in next(as_pages(shared.get_objects, per_request=50))["objects"]:
        assert validate_instance({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": [obj]}).is_valid


def test_a_red_object_of_another_state_is_absent_from_every_endpoint(taxii_url):
    secret = _indicator(99999)
    _publish([secret], tlp="red", affected_organizations=[Organization.objects.get(key="state:MN")])
    _publish([_indicator(1)], to_all_states=True)
    shared = Collection(f"{taxii_url}api/collections/{SHARED}/", conn=_conn(_token("chief_state_election_official", "state:WI")))
    listed = [o["id"] for o in shared.get_objects()["objects"]]
    assert secret["id"] not in listed and _indicator(1)["id"] in listed
    assert secret["id"] not in [m["id"] for m in shared.get_manifest()["objects"]]
    assert shared.get_objects(id=secret["id"]).get("objects", []) == []
    for call in (lambda: shared.get_object(secret["id"]), lambda: shared.object_versions(secret["id"])):
        with pytest.raises(requests.HTTPError) as refused:
            call()
        assert refused.value.response.status_code == 404
    minnesota = Collection(f"{taxii_url}api/collections/{SHARED}/", conn=_conn(_token("chief_state_election_official", "state:MN")))
    assert secret["id"] in [o["id"] for o in minnesota.get_objects()["objects"]]


def test_a_partner_posts_an_envelope_gets_its_status_and_invalid_objects_are_refused(taxii_url):
    raw = _token("federal_partner_analyst", "federal:dhs", permissions=("sharing:product:view", "sharing:item:submit"))
    submissions = Collection(f"{taxii_url}api/collections/{SUBMISSIONS}/", conn=_conn(raw))
    assert submissions.can_write
    broken = {"type": "indicator", "spec_version": "2.1", "id": "indicator--not-a-uuid"}
    status = submissions.add_objects({"objects": [_indicator(1), _indicator(2), broken]}, wait_for_completion=False)
    assert status.status == "complete" and status.success_count == 2 and status.failure_count == 1
    assert "does not match the id format" in status.failures[0]["message"]
    again = submissions.add_objects({"objects": [_indicator(1)]}, wait_for_completion=False)
    assert again.success_count == 1 and "already stored" in again.successes[0]["message"]
    assert TaxiiObject.objects.filter(collection="submissions").count() == 2  # deduplicated by id and version
    item = Item.objects.get()
    assert item.source_organization.key == "federal:dhs" and len(item.stix["objects"]) == 2  # information received: §4(c) clock
    newer = _indicator(1, modified="2026-11-03T12:00:00.000Z")
    submissions.add_objects({"objects": [newer]}, wait_for_completion=False)
    assert len(submissions.object_versions(newer["id"])["versions"]) == 2
    assert submissions.get_object(newer["id"])["objects"][0]["modified"] == newer["modified"]  # last by default
    assert len(submissions.get_object(newer["id"], version="all")["objects"]) == 2
    status_url = f"{taxii_url}api/status/{status.id}/"
    other = _token(
        "federal_partner_analyst",
        "federal:dhs" if False else Organization.objects.filter(kind="federal_entity").exclude(key="federal:dhs").first().key,
        permissions=("sharing:product:view", "sharing:item:submit"),
    )
    assert _session("x", other).get(status_url, headers={"Accept": taxii.MEDIA}).status_code == 404
    assert _session("x", raw).get(status_url, headers={"Accept": taxii.MEDIA}).status_code == 200
    theirs = Collection(f"{taxii_url}api/collections/{SUBMISSIONS}/", conn=_conn(other))
    assert theirs.get_objects().get("objects", []) == []  # each partner reads back only its own
    county = _token("local_election_official")
    with pytest.raises((requests.HTTPError, TAXIIServiceException)):
        Collection(f"{taxii_url}api/collections/{SUBMISSIONS}/", conn=_conn(county)).get_objects()


def test_the_protocol_edges(taxii_url):
    raw = _token("chief_state_election_official", "state:WI")
    url = f"{taxii_url}api/collections/{SHARED}/objects/"
    anonymous = _session()
    assert anonymous.get(url, headers={"Accept": taxii.MEDIA}).status_code == 401
    assert _session("x", "sfl_wrong_token").get(url, headers={"Accept": taxii.MEDIA}).status_code == 401
    bearer = {"Authorization": f"Bearer {raw}"}
    assert anonymous.get(url, headers={**bearer, "Accept": taxii.MEDIA}).status_code == 200
    assert anonymous.get(url, headers={**bearer, "Accept": "application/xml"}).status_code == 406
    assert anonymous.get(url, headers={**bearer, "Accept": "application/taxii+json;version=2.0"}).status_code == 406
    refused = anonymous.get(url, headers={**bearer, "Accept": taxii.MEDIA}, params={"next": "garbage"})
    assert refused.status_code == 400 and refused.headers["Content-Type"] == taxii.MEDIA and refused.json()["http_status"] == "400"
    writer = _token("federal_partner_analyst", "federal:dhs", permissions=("sharing:product:view", "sharing:item:submit"))
    post = anonymous.post(
        f"{taxii_url}api/collections/{SUBMISSIONS}/objects/",
        data="{}",
        headers={"Authorization": f"Bearer {writer}", "Accept": taxii.MEDIA, "Content-Type": "application/json"},
    )
    assert post.status_code == 415
    assert anonymous.get(f"{taxii_url}api/collections/{uuid.uuid4()}/", headers={**bearer, "Accept": taxii.MEDIA}).status_code == 404


def test_match_version_picks_among_the_versions_the_caller_may_see(taxii_url):
    """first / last / all / a timestamp; and "last" is the latest version *this caller* may see: a
    newer version carried only by another State's TLP:RED product neither leaks nor hides the older."""
    versions = ["2026-11-02T12:00:00.000Z", "2026-11-03T12:00:00.000Z", "2026-11-04T12:00:00.000Z"]
    _publish([_indicator(5, modified=versions[0]), _indicator(5, modified=versions[1])], to_all_states=True)
    _publish([_indicator(5, modified=versions[2])], tlp="red", affected_organizations=[Organization.objects.get(key="state:MN")])
    ident = _indicator(5)["id"]
    wisconsin = Collection(f"{taxii_url}api/collections/{SHARED}/", conn=_conn(_token("chief_state_election_official", "state:WI")))
    minnesota = Collection(f"{taxii_url}api/collections/{SHARED}/", conn=_conn(_token("chief_state_election_official", "state:MN")))

    def modified(collection, **filters):
        return sorted(o["modified"] for o in collection.get_objects(id=ident, **filters).get("objects", []))

    assert modified(wisconsin) == [versions[1]]  # last by default, among what Wisconsin sees
    assert modified(wisconsin, version="first") == [versions[0]]
    assert modified(wisconsin, version="all") == versions[:2]
    assert modified(wisconsin, version="first,last") == versions[:2]
    assert modified(wisconsin, version=versions[2]) == []
    assert modified(wisconsin, version=versions[0]) == [versions[0]]
    assert len(wisconsin.object_versions(ident)["versions"]) == 2
    assert modified(minnesota) == [versions[2]]
    assert modified(minnesota, version="all") == versions
    listed = [o for o in wisconsin.get_objects(type="indicator")["objects"] if o["id"] == ident]
    assert [o["modified"] for o in listed] == [versions[1]]  # one row per id in a plain read
