"""The inbox, email preferences and the delivery log. Writes go through ``services``."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from safelect.core.accounts.actor import Actor
from safelect.core.web.permissions import requires

from . import services
from .models import Delivery, Notice


@requires("outbox:inbox:view")
def inbox(request):
    items = services.inbox_of(request.user)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(request, "outbox/inbox.html", {"page": page, "unread": items.filter(read_at__isnull=True).count()})


@requires("outbox:inbox:view")
def inbox_item(request, item_id: int):
    item = services.inbox_of(request.user).filter(pk=item_id).first()  # only one's own items
    if item is None:
        raise Http404("no such notice in your inbox")
    if not item.is_read:
        services.mark_read(Actor.of(request), [item.pk])
        item.refresh_from_db(fields=["read_at"])
    return render(request, "outbox/inbox_item.html", {"item": item})


@require_POST
@requires("outbox:inbox:view")
def mark_all_read(request):
    changed = services.mark_read(Actor.of(request))
    messages.success(request, f"{changed} notice(s) marked read.")
    return redirect("outbox:inbox")


@requires("outbox:preference:edit")
def preferences(request):
    if request.method == "POST":
        choices = {kind.code: f"email:{kind.code}" in request.POST for kind, _ in services.email_preferences(request.user)}
        services.set_email_preferences(Actor.of(request), choices)
        messages.success(request, "Your email preferences were saved.")
        return redirect("outbox:preferences")
    return render(
        request,
        "outbox/preferences.html",
        {
            "choices": services.email_preferences(request.user),
            "required": [k for k in services.registry.all_kinds() if not k.email_opt_out_allowed],
        },
    )


@requires("outbox:delivery:view")
def notices(request):
    rows = Notice.objects.annotate(
        total=Count("deliveries"),
        sent=Count("deliveries", filter=Q(deliveries__status="sent")),
        failed=Count("deliveries", filter=Q(deliveries__status="failed")),
    ).order_by("-pk")  # newest first; an aggregate drops the model's default ordering
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "outbox/notices.html", {"page": page})


@requires("outbox:delivery:view")
def notice_log(request, notice_id: int):
    notice = get_object_or_404(Notice, pk=notice_id)
    deliveries = Delivery.objects.filter(notice=notice).select_related("user", "endpoint__organization").prefetch_related("events")
    status = request.GET.get("status")
    if status in Delivery.Status.values:
        deliveries = deliveries.filter(status=status)
    found = dict(Delivery.objects.filter(notice=notice).values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    counts = [(value, label, found[value]) for value, label in Delivery.Status.choices if value in found]
    page = Paginator(deliveries, 100).get_page(request.GET.get("page"))
    return render(request, "outbox/notice_log.html", {"notice": notice, "page": page, "counts": counts, "status": status})
