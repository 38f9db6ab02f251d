"""A TAXII 2.1 server (OASIS TAXII 2.1, §4 "Endpoints") over what sharing shares (S.2261 §4(c), (d)).

Endpoints, under ``/taxii2/``: discovery; one API root (``api/``); its status resources;
collections; a collection; its objects (GET with ``limit`` and ``next``, the
``X-TAXII-Date-Added-First``/``-Last`` headers and the filters ``added_after``, ``match[id]``,
``match[type]``, ``match[version]`` (``last`` by default, ``first``, ``all`` or timestamps) and
``match[spec_version]``; POST of an envelope where the caller may write); an object by id; its
versions; the manifest.

Two collections:

* **shared** (read): every STIX object of every published product, each caller seeing exactly the
  objects of the products the sharing rules let its organization see (:func:`.access.visible_products`:
  audience and TLP). An object carried by several products (the national office's identity, a TLP
  marking) is stored once and visible if any of them is. Nothing leaks through a filter, a version
  list, a manifest or a status resource: every endpoint starts from the same visible set.
* **submissions** (read and write for federal entities, the sharing center and the national
  office): partners POST envelopes; each object is checked with ``stix2-validator`` (refused with
  its messages), deduplicated by id and version, and the accepted ones become information received
  (an :class:`~.models.Item` with its §4(c) clock). Each partner reads back only its own.

Authentication is a safelect API token, as ``Authorization: Bearer`` or as the password of HTTP
Basic (what off-the-shelf clients send); a browser session is not accepted here. Media type
``application/taxii+json;version=2.1``; errors are TAXII error messages; 406 for an Accept header
that allows no TAXII 2.1 media type; 415 for a POST that is not one; 413 over the size limit.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from safelect.core import stix as kit
from safelect.core.accounts.actor import Actor
from safelect.core.web.permissions import requires

from . import services
from .access import handles_information, visible_products
from .models import Product, TaxiiObject, TaxiiStatus
from .permissions import SUBMIT, VIEW

MEDIA = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"
MAX_CONTENT = 10 * 1024 * 1024
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
NAMESPACE = uuid.UUID("2f6d8c1e-5b4a-4e7f-9c3d-8a1b2c3d4e5f")
COLLECTIONS = {
    "shared": {
        "id": str(uuid.uuid5(NAMESPACE, "shared")),
        "title": "Shared election security information",
        "description": "The STIX objects of the products the national office shared with your organization (S.2261 §4(c), (d)), within their TLP.",
    },
    "submissions": {
        "id": str(uuid.uuid5(NAMESPACE, "submissions")),
        "title": "Submissions to the national office",
        "description": "Post what your entity learned about an election cybersecurity incident, threat or vulnerability (S.2261 §4(b), (f)).",
    },
}
BY_ID = {c["id"]: name for name, c in COLLECTIONS.items()}


# --- responses -----------------------------------------------------------------------------------


def _taxii(data: dict, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(data), status=status, content_type=MEDIA)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def _error(status: int, title: str, description: str = "") -> HttpResponse:
    body = {"title": title, "http_status": str(status)}
    if description:
        body["description"] = description
    return _taxii(body, status)


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_timestamp(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def version_of(obj: dict) -> str:
    """The TAXII version of a STIX object: its ``modified`` (or ``created``), normalised so that
    versions compare as text."""
    moment = _parse_timestamp(str(obj.get("modified") or obj.get("created") or "1970-01-01T00:00:00Z"))
    return _timestamp(moment or dt.datetime(1970, 1, 1, tzinfo=dt.UTC))


def _guard(request, *, post: bool = False) -> HttpResponse | None:
    """Token only (no session), an acceptable Accept header, a TAXII POST body."""
    if getattr(request, "api_token", None) is None:
        return _error(401, "Send a safelect API token as Authorization: Bearer, or as the password of HTTP Basic.")
    accept = request.headers.get("Accept", "*/*")
    acceptable = any(part.strip().split(";")[0].strip() in ("application/taxii+json", "*/*", "application/*") for part in accept.split(","))
    if acceptable and "application/taxii+json" in accept and "version=" in accept and "version=2.1" not in accept.replace(" ", ""):
        acceptable = False
    if not acceptable:
        return _error(406, "This server answers application/taxii+json;version=2.1.")
    if post:
        kind = request.headers.get("Content-Type", "")
        if kind.split(";")[0].strip() != "application/taxii+json" or ("version=" in kind and "version=2.1" not in kind.replace(" ", "")):
            return _error(415, "Send the envelope as application/taxii+json;version=2.1.")
        if len(request.body) > MAX_CONTENT:
            return _error(413, f"The envelope is larger than {MAX_CONTENT} bytes.")
    return None


# --- what a caller sees --------------------------------------------------------------------------


def _may_write(actor: Actor, collection: str) -> bool:
    return collection == "submissions" and actor.may(SUBMIT)


def _may_read(actor: Actor, collection: str) -> bool:
    return collection == "shared" or actor.may(SUBMIT)


def visible_objects(actor: Actor, collection: str):
    """The one starting point of every read: the objects of ``collection`` this caller may see.

    The visible products are resolved first (a short list); each object is then kept if some visible
    product carries it — an ``EXISTS`` per row, so that a page of 100 walks the
    (collection, date_added, id) index and stops after 101 rows instead of joining every object."""
    objects = TaxiiObject.objects.filter(collection=collection)
    if collection == "shared":
        products = list(visible_products(actor).filter(published_at__isnull=False).values_list("pk", flat=True))
        if not products:
            return objects.none()
        carried = TaxiiObject.products.through.objects.filter(taxiiobject_id=OuterRef("pk"), product_id__in=products)
        return objects.filter(Exists(carried))
    if handles_information(actor):
        return objects
    return objects.filter(posted_by=actor.organization) if actor.organization is not None else objects.none()


def _filtered(request, objects, *, versions_default: str = "last"):
    """Apply added_after and the match[] filters; None and an error response when one is malformed."""
    query = request.GET
    if query.get("added_after"):
        after = _parse_timestamp(query["added_after"])
        if after is None:
            return None, _error(400, "added_after must be a timestamp.")
        objects = objects.filter(date_added__gt=after)
    if query.get("match[id]"):
        objects = objects.filter(stix_id__in=[v.strip() for v in query["match[id]"].split(",")])
    if query.get("match[type]"):
        objects = objects.filter(stix_type__in=[v.strip() for v in query["match[type]"].split(",")])
    if query.get("match[spec_version]"):
        objects = objects.filter(spec_version__in=[v.strip() for v in query["match[spec_version]"].split(",")])
    wanted = [v.strip() for v in query.get("match[version]", versions_default).split(",")]
    if "all" in wanted:
        return objects, None
    keep = Q(pk__in=[])
    for choice in wanted:
        if choice in ("last", "first"):
            # An only version is both; another is "last" when no later version of its id is among
            # the same objects (seen by this caller, through the same filters) — "first" likewise.
            beyond = "gt" if choice == "last" else "lt"
            other = objects.filter(stix_id=OuterRef("stix_id"), **{f"version__{beyond}": OuterRef("version")})
            keep |= Q(alone=True) | (Q(alone=False) & ~Exists(other))
            continue
        parsed = _parse_timestamp(choice)
        if parsed is None:
            return None, _error(400, "match[version] takes last, first, all or timestamps.")
        keep |= Q(version=_timestamp(parsed))
    return objects.filter(keep), None


def _page(request, objects):
    """(rows, more, next token) of one page, in date_added order; or an error response."""
    try:
        limit = min(max(int(request.GET.get("limit", DEFAULT_LIMIT)), 1), MAX_LIMIT)
    except ValueError:
        return None, None, None, _error(400, "limit must be a whole number.")
    objects = objects.order_by("date_added", "pk")
    token = request.GET.get("next")
    if token:
        try:
            moment_text, _, pk_text = base64.urlsafe_b64decode(token.encode()).decode().partition("|")
            moment, last_pk = _parse_timestamp(moment_text), int(pk_text)
        except (ValueError, UnicodeDecodeError):
            moment = None
        if moment is None:
            return None, None, None, _error(400, "next is not a token this server gave.")
        objects = objects.filter(Q(date_added__gt=moment) | Q(date_added=moment, pk__gt=last_pk))
    rows = list(objects[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    following = base64.urlsafe_b64encode(f"{rows[-1].date_added.isoformat()}|{rows[-1].pk}".encode()).decode() if more else None
    return rows, more, following, None


def _date_headers(rows) -> dict:
    if not rows:
        return {}
    return {"X-TAXII-Date-Added-First": _timestamp(rows[0].date_added), "X-TAXII-Date-Added-Last": _timestamp(rows[-1].date_added)}


# --- storing -------------------------------------------------------------------------------------


def _mark_versions(found: TaxiiObject) -> None:
    """A new version of an id that the collection already holds: none of its versions is alone."""
    others = TaxiiObject.objects.filter(collection=found.collection, stix_id=found.stix_id).exclude(pk=found.pk)
    if others.exists():
        TaxiiObject.objects.filter(collection=found.collection, stix_id=found.stix_id).update(alone=False)


def store_product(product: Product) -> int:
    """Put a published product's STIX objects in the shared collection (called by publish)."""
    from .stix import bundle_of

    now, added = timezone.now(), 0
    for obj in bundle_of(product)["objects"]:
        found, created = TaxiiObject.objects.get_or_create(
            collection="shared",
            stix_id=obj["id"],
            version=version_of(obj),
            defaults={"stix_type": obj["type"], "spec_version": obj.get("spec_version", "2.1"), "date_added": now, "data": obj},
        )
        found.products.add(product)
        if created:
            _mark_versions(found)
        added += created
    return added


# --- endpoints -----------------------------------------------------------------------------------


def _collection(actor: Actor, collection_id: str) -> tuple[str | None, HttpResponse | None]:
    name = BY_ID.get(collection_id)
    if name is None or not _may_read(actor, name):
        return None, _error(404, "No such collection.")
    return name, None


def _collection_info(actor: Actor, name: str) -> dict:
    c = COLLECTIONS[name]
    return {**c, "can_read": _may_read(actor, name), "can_write": _may_write(actor, name), "media_types": [STIX_MEDIA]}


@csrf_exempt
@requires(VIEW)
def discovery(request):
    if (refused := _guard(request)) is not None:
        return refused
    root = request.build_absolute_uri("/taxii2/api/")
    return _taxii(
        {
            "title": "safelect TAXII 2.1",
            "description": "Election security information shared under S.2261 §4(c)–(f), for partners' tools.",
            "contact": "The national election security program office",
            "default": root,
            "api_roots": [root],
        }
    )


@csrf_exempt
@requires(VIEW)
def api_root(request):
    if (refused := _guard(request)) is not None:
        return refused
    return _taxii(
        {
            "title": "safelect",
            "description": "Shared products and partner submissions",
            "versions": [MEDIA],
            "max_content_length": MAX_CONTENT,
        }
    )


@csrf_exempt
@requires(VIEW)
def collections(request):
    if (refused := _guard(request)) is not None:
        return refused
    actor = Actor.of(request)
    return _taxii({"collections": [_collection_info(actor, name) for name in COLLECTIONS if _may_read(actor, name)]})


@csrf_exempt
@requires(VIEW)
def collection(request, collection_id: str):
    if (refused := _guard(request)) is not None:
        return refused
    actor = Actor.of(request)
    name, missing = _collection(actor, collection_id)
    return missing or _taxii(_collection_info(actor, name))


@csrf_exempt
@requires(VIEW)
def objects(request, collection_id: str):
    if request.method == "POST":
        return _post(request, collection_id)
    if (refused := _guard(request)) is not None:
        return refused
    actor = Actor.of(request)
    name, missing = _collection(actor, collection_id)
    if missing:
        return missing
    found, bad = _filtered(request, visible_objects(actor, name))
    if bad:
        return bad
    rows, more, following, bad = _page(request, found)
    if bad:
        return bad
    body = {"more": more, "objects": [row.data for row in rows]}
    if following:
        body["next"] = following
    return _taxii(body, headers=_date_headers(rows))


@csrf_exempt
@requires(VIEW)
def manifest(request, collection_id: str):
    if (refused := _guard(request)) is not None:
        return refused
    actor = Actor.of(request)
    name, missing = _collection(actor, collection_id)
    if missing:
        return missing
    found, bad = _filtered(request, visible_objects(actor, name))
    if bad:
        return bad
    rows, more, following, bad = _page(request, found)
    if bad:
        return bad
    body = {
        "more": more,
        "objects": [
            {"id": r.stix_id, "date_added": _timestamp(r.date_added), "version": r.version, "media_type": STIX_MEDIA} for r in rows
        ],
    }
    if following:
        body["next"] = following
    return _taxii(body, headers=_date_headers(rows))


@csrf_exempt
@requires(VIEW)
def object_by_id(request, collection_id: str, object_id: str):
    if (refused := _guard(request)) is not None:
        return refused
    actor = Actor.of(request)
    name, missing = _collection(actor, collection_id)
    if missing:
        return missing
    found, bad = _filtered(request, visible_objects(actor, name).filter(stix_id=object_id))
    if bad:
        return bad
    rows, more, following, bad = _page(request, found)
    if bad:
        return bad
    if not rows:
        return _error(404, "No such object.")
    body = {"more": more, "objects": [row.data for row in rows]}
    if following:
        body["next"] = following
    return _taxii(body, headers=_date_headers(rows))


@csrf_exempt
@requires(VIEW)
def object_versions(request, collection_id: str, object_id: str):
    if (refused := _guard(request)) is not None:
        return refused
    actor = Actor.of(request)
    name, missing = _collection(actor, collection_id)
    if missing:
        return missing
    found, bad = _filtered(request, visible_objects(actor, name).filter(stix_id=object_id), versions_default="all")
    if bad:
        return bad
    rows, more, following, bad = _page(request, found)
    if bad:
        return bad
    if not rows:
        return _error(404, "No such object.")
    body = {"more": more, "versions": sorted(r.version for r in rows)}
    if following:
        body["next"] = following
    return _taxii(body, headers=_date_headers(rows))


@csrf_exempt
@requires(VIEW)
def status(request, status_id: str):
    if (refused := _guard(request)) is not None:
        return refused
    actor = Actor.of(request)
    try:
        key = uuid.UUID(status_id)
    except ValueError:
        return _error(404, "No such status.")
    found = TaxiiStatus.objects.filter(status_id=key).first()
    if found is None or not (
        handles_information(actor) or (actor.organization is not None and found.organization_id == actor.organization.pk)
    ):
        return _error(404, "No such status.")
    return _taxii(_status_body(found))


def _status_body(found: TaxiiStatus) -> dict:
    return {
        "id": str(found.status_id),
        "status": "complete",
        "request_timestamp": _timestamp(found.request_timestamp),
        "total_count": len(found.successes) + len(found.failures),
        "success_count": len(found.successes),
        "successes": found.successes,
        "failure_count": len(found.failures),
        "failures": found.failures,
        "pending_count": 0,
        "pendings": [],
    }


def _post(request, collection_id: str) -> HttpResponse:
    if (refused := _guard(request, post=True)) is not None:
        return refused
    actor = Actor.of(request)
    name, missing = _collection(actor, collection_id)
    if missing:
        return missing
    if not _may_write(actor, name):
        return _error(403, "You may not write to this collection.")
    try:
        envelope = json.loads(request.body)
    except ValueError as exc:
        return _error(400, "The envelope is not JSON.", str(exc))
    objects_in = envelope.get("objects") if isinstance(envelope, dict) else None
    if not isinstance(objects_in, list) or not objects_in:
        return _error(400, "Send an envelope with a non-empty objects list.")
    if len(objects_in) > kit.MAX_BUNDLE_OBJECTS:
        return _error(413, f"At most {kit.MAX_BUNDLE_OBJECTS} objects per envelope.")
    now = timezone.now()
    successes, failures, accepted = [], [], []
    with transaction.atomic():
        for obj in objects_in:
            if not isinstance(obj, dict):
                failures.append({"id": "", "message": "not a STIX object"})
                continue
            problems = kit.validation_errors({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": [obj]})
            if problems:
                failures.append(
                    {"id": str(obj.get("id", "")), "version": str(obj.get("modified", "")), "message": "; ".join(problems)[:2000]}
                )
                continue
            version = version_of(obj)
            found, created = TaxiiObject.objects.get_or_create(
                collection=name,
                stix_id=obj["id"],
                version=version,
                defaults={
                    "stix_type": obj["type"],
                    "spec_version": obj.get("spec_version", "2.1"),
                    "date_added": now,
                    "data": obj,
                    "posted_by": actor.organization,
                },
            )
            successes.append(
                {"id": obj["id"], "version": version, "message": "stored" if created else "already stored (same id and version)"}
            )
            if created:
                _mark_versions(found)
                accepted.append(obj)
        if accepted:
            services.receive_item(
                actor,
                {
                    "title": f"TAXII submission from {actor.organization.name}: {len(accepted)} STIX object(s)"[:200],
                    "topic": "threat",
                    "tlp": "amber",
                    "summary": f"Posted to the TAXII collection “{COLLECTIONS[name]['title']}”: "
                    + ", ".join(sorted({o["type"] for o in accepted}))
                    + ".",
                    "stix": {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": accepted},
                    "source": "federal_entity",
                },
            )
        found_status = TaxiiStatus.objects.create(
            status_id=uuid.uuid4(),
            organization=actor.organization,
            collection=name,
            request_timestamp=now,
            successes=successes,
            failures=failures,
        )
    return _taxii(_status_body(found_status), status=202)
