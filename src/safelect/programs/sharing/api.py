"""The sharing JSON API: partners submit information; recipients read the products shared with
them (within TLP), as JSON or STIX 2.1; agencies manage their subscription. Thin: the services
and :mod:`.access` check permission, scope and TLP."""

import json
from typing import Any

from django.http import Http404, HttpResponse
from ninja import Body, Router, Status

from safelect.core.accounts.actor import Actor
from safelect.core.web.permissions import requires

from . import services, stix
from .access import handles_information, visible_products
from .models import Item, Product, Subscription
from .permissions import SUBMIT, SUBSCRIBE, VIEW
from .schemas import ErrorOut, ItemIn, ItemOut, ProductOut, SubscriptionIn, SubscriptionOut

router = Router(tags=["sharing"])


def _item_out(item: Item) -> ItemOut:
    return ItemOut(
        id=item.pk,
        reference=item.reference,
        title=item.title,
        topic=item.topic,
        tlp=item.tlp,
        status=item.status,
        received_at=item.received_at,
    )


def _product_out(actor: Actor, product: Product) -> ProductOut:
    text = product.text if handles_information(actor) else services.minimised_text(product)["product:text"]
    return ProductOut(
        id=product.pk,
        reference=product.reference,
        kind=product.kind,
        title=product.title,
        text=text,
        topic=product.topic,
        tlp=product.tlp,
        further_sharing=product.further_sharing,
        published_at=product.published_at,
    )


def _product(request, pk: int) -> tuple[Actor, Product]:
    actor = Actor.of(request)
    found = visible_products(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No product found")
    return actor, found


@router.post("/items", response={201: ItemOut, 403: ErrorOut, 422: ErrorOut}, summary="Submit information received (S.2261 §4(b), (f))")
@requires(SUBMIT)
def submit_item(request, data: ItemIn):
    item = services.receive_item(Actor.of(request), data.dict())
    return Status(201, _item_out(item))


@router.get("/products", response=list[ProductOut], summary="Products shared with you (within their TLP), newest first, at most 200")
@requires(VIEW)
def list_products(request):
    actor = Actor.of(request)
    return [_product_out(actor, p) for p in visible_products(actor).order_by("-published_at", "-created_at")[:200]]


@router.get("/products/{pk}", response=ProductOut, summary="One product (opening it records your read receipt)")
@requires(VIEW)
def get_product(request, pk: int):
    actor, product = _product(request, pk)
    services.mark_read(actor, product)
    return _product_out(actor, product)


@router.get("/products/{pk}/stix", summary="One product as a STIX 2.1 bundle with its TLP 2.0 marking")
@requires(VIEW)
def product_stix(request, pk: int):
    _actor, product = _product(request, pk)
    return HttpResponse(json.dumps(stix.bundle_of(product)), content_type="application/stix+json;version=2.1")


@router.get(
    "/subscription",
    response={200: SubscriptionOut, 404: ErrorOut},
    summary="Your agency's subscription to ongoing updates (S.2261 §4(c)(3))",
)
@requires(SUBSCRIBE)
def get_subscription(request):
    actor = Actor.of(request)
    found = Subscription.objects.filter(organization=actor.organization).first() if actor.organization else None
    if found is None:
        raise Http404("Your agency has no subscription")
    return SubscriptionOut(organization=found.organization.name, topics=found.topics, systems=found.systems)


@router.put(
    "/subscription", response={200: SubscriptionOut, 403: ErrorOut, 422: ErrorOut}, summary="Subscribe your agency to ongoing updates"
)
@requires(SUBSCRIBE)
def put_subscription(request, data: SubscriptionIn):
    found = services.subscribe(Actor.of(request), topics=data.topics, systems=data.systems)
    return SubscriptionOut(organization=found.organization.name, topics=found.topics, systems=found.systems)


# --- MISP (see .misp) ------------------------------------------------------------------------------


def _feed_products(actor: Actor):
    return list(visible_products(actor).filter(published_at__isnull=False).select_related("owner").order_by("published_at")[:500])


@router.get("/misp/manifest.json", summary="MISP feed: the manifest of the products shared with you")
@requires(VIEW)
def misp_manifest(request):
    from . import misp

    return HttpResponse(
        json.dumps(misp.manifest(_feed_products(Actor.of(request))), default=misp.json_default), content_type="application/json"
    )


@router.get("/misp/hashes.csv", summary="MISP feed: the MD5 hashes of the attribute values, with their event")
@requires(VIEW)
def misp_hashes(request):
    from . import misp

    return HttpResponse(misp.hashes_csv(_feed_products(Actor.of(request))), content_type="text/csv")


@router.get("/misp/{event_uuid}.json", summary="MISP feed: one event")
@requires(VIEW)
def misp_event(request, event_uuid: str):
    from . import misp

    product = misp.product_for(_feed_products(Actor.of(request)), event_uuid)
    if product is None:
        raise Http404("No such event")
    return HttpResponse(json.dumps(misp.event_document(product), default=misp.json_default), content_type="application/json")


@router.post(
    "/misp-events",
    response={201: ItemOut, 403: ErrorOut, 422: ErrorOut},
    summary="Submit a MISP event (converted to STIX 2.1 with misp-stix)",
)
@requires(SUBMIT)
def submit_misp_event(request, data: dict[str, Any] = Body(..., description='A MISP event as MISP exports it ({"Event": {…}})')):
    from django.core.exceptions import ValidationError

    from . import misp

    try:
        bundle = misp.bundle_from_event(data)
    except Exception as exc:  # PyMISP and misp-stix raise many kinds for a malformed event
        raise ValidationError({"event": f"PyMISP or misp-stix could not read this MISP event: {exc}"}) from None
    event = data.get("Event", data) if isinstance(data, dict) else {}
    tags = [t.get("name", "") for t in event.get("Tag", []) if isinstance(t, dict)]
    tlp = next((t.split(":", 1)[1] for t in tags if t.lower().startswith("tlp:")), "amber").lower().replace("white", "clear")
    item = services.receive_item(
        Actor.of(request),
        {
            "title": str(event.get("info") or "MISP event")[:200],
            "topic": "threat",
            "tlp": tlp if tlp in ("clear", "green", "amber", "amber+strict", "red") else "amber",
            "summary": f"MISP event {event.get('uuid', '')} converted to STIX 2.1 ({len(bundle.get('objects', []))} objects).",
            "stix": bundle,
            "source": "federal_entity",
        },
    )
    return Status(201, _item_out(item))
