"""Notices over the API: one's own inbox; an organization's webhooks (the secret is shown once)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from safelect.core.accounts.actor import Actor
from safelect.core.web.permissions import requires

from . import services
from .models import WebhookEndpoint

router = Router(tags=["outbox"])


class InboxItemOut(Schema):
    id: int
    title: str
    body: str
    kind: str
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_kind(obj):
        return obj.notice.kind


@router.get("/inbox", response=list[InboxItemOut], summary="My inbox, newest first")
@requires("outbox:inbox:view")
def inbox(request, unread: bool = False, limit: int = 50):
    items = services.inbox_of(request.user)
    if unread:
        items = items.filter(read_at__isnull=True)
    return list(items[: max(1, min(limit, 500))])


@router.post("/inbox/{item_id}/read", response={200: dict}, summary="Mark one of my notices read")
@requires("outbox:inbox:view")
def read(request, item_id: int):
    get_object_or_404(services.inbox_of(request.user), pk=item_id)
    services.mark_read(Actor.of(request), [item_id])
    return {"unread": services.unread_count(request.user)}


class WebhookIn(Schema):
    url: str


class WebhookOut(Schema):
    id: int
    url: str
    is_active: bool
    secret_hint: str


class WebhookCreated(WebhookOut):
    secret: str


def _acting_organization(request):
    organization = getattr(request, "acting_organization", None)
    if organization is None:
        raise PermissionDenied("act for an organization to manage its webhooks")
    return organization


@router.get("/webhooks", response=list[WebhookOut], summary="Webhooks of the organization I act for")
@requires("outbox:webhook:manage")
def webhooks(request):
    return list(WebhookEndpoint.objects.filter(organization=_acting_organization(request)))


@router.post("/webhooks", response={201: WebhookCreated}, summary="Register a webhook; its secret is returned only now")
@requires("outbox:webhook:manage")
def create_webhook(request, payload: WebhookIn):
    endpoint, secret = services.register_webhook(Actor.of(request), organization=_acting_organization(request), url=payload.url)
    return 201, {"id": endpoint.pk, "url": endpoint.url, "is_active": True, "secret_hint": endpoint.secret_hint, "secret": secret}


@router.delete("/webhooks/{endpoint_id}", response={204: None}, summary="Deactivate a webhook")
@requires("outbox:webhook:manage")
def delete_webhook(request, endpoint_id: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id, organization=_acting_organization(request))
    services.deactivate_webhook(Actor.of(request), endpoint=endpoint)
    return 204, None
