"""Sharing pages: the feed of products, the national board of information awaiting a decision, an
item with its decisions, product authoring with the preview of exactly who will receive it, the
product page (TLP banner, STIX objects, receipts), the subscription page, and federal withholding."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.personal import review as findings_review
from safelect.core.personal import services as personal
from safelect.core.personal.models import Finding
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import audience, classified, services, stix
from .access import handles_information, visible_items, visible_products
from .forms import ClassifiedForm, DecisionForm, ItemForm, OutcomeForm, ProductForm, ReviewRequestForm, SubscriptionForm, WithholdingForm
from .models import FederalWithholding, Item, Product, Subscription
from .permissions import DECIDE, PUBLISH, SUBMIT, SUBSCRIBE, VIEW, VIEW_ITEMS, WITHHOLD

PAGE_SIZE = 25


def _product_or_404(actor: Actor, pk: int) -> Product:
    found = visible_products(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No product found")
    return found


@requires(VIEW)
def feed(request):
    actor = Actor.of(request)
    products = visible_products(actor).order_by("-published_at", "-created_at")
    q = (request.GET.get("q") or "").strip()[:200]
    if q:
        products = products.filter(Q(title__icontains=q) | Q(text__icontains=q) | Q(reference__iexact=q))
    subscription = Subscription.objects.filter(organization=actor.organization).first() if actor.organization else None
    mine = request.GET.get("mine") == "1" and subscription is not None
    if mine:
        if subscription.topics:
            products = products.filter(topic__in=subscription.topics)
        if subscription.systems:
            match = Q(pk__in=[])
            for code in subscription.systems:
                match |= Q(systems__contains=[code])
            products = products.filter(match)
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sharing/feed.html",
        {
            "page": page,
            "q": q,
            "mine": mine,
            "subscription": subscription,
            "handles": handles_information(actor),
            "may_publish": actor.may(PUBLISH),
            "may_subscribe": actor.may(SUBSCRIBE) and actor.organization is not None and actor.organization.kind in audience.AGENCIES,
            "may_submit": actor.may(SUBMIT),
        },
    )


@requires(VIEW_ITEMS)
def board(request):
    """The national board: information awaiting a sharing decision, oldest first, with its age."""
    actor = Actor.of(request)
    items = visible_items(actor)
    awaiting = items.filter(status=Item.Status.AWAITING).order_by("received_at")
    now = timezone.now()
    rows = [{"item": i, "age_hours": int((now - i.received_at).total_seconds() // 3600)} for i in awaiting]
    decided = items.exclude(status=Item.Status.AWAITING).order_by("-received_at")[:50]
    return render(request, "sharing/board.html", {"rows": rows, "decided": decided, "may_submit": actor.may(SUBMIT)})


@requires(SUBMIT)
def item_new(request):
    actor = Actor.of(request)
    partner = not handles_information(actor)
    form = ItemForm(request.POST or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.receive_item(actor, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{item.reference} recorded: the national office decides promptly whether to share it (S.2261 §4(c))."
            )
            return redirect("sharing:item", pk=item.pk)
    return render(request, "sharing/form.html", {"form": form, "title": "Information received", "button": "Record the information"})


@requires(VIEW)
def item_detail(request, pk: int):
    actor = Actor.of(request)
    item = visible_items(actor).filter(pk=pk).first()
    if item is None:
        raise Http404("No item found")
    form = DecisionForm(request.POST or None) if actor.may(DECIDE) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("only the national office decides on sharing")
        if form.is_valid():
            try:
                services.decide(actor, item, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Decision recorded.")
                return redirect("sharing:item", pk=item.pk)
    from safelect.core.obligations.models import Obligation

    clocks = Obligation.objects.filter(subject_type="sharing.item", subject_id=str(item.pk)).order_by("opened_at")
    return render(
        request,
        "sharing/item.html",
        {
            "item": item,
            "decisions": item.decisions.select_related("decided_by"),
            "form": form,
            "clocks": clocks,
            "now": timezone.now(),
            "may_withhold": actor.may(WITHHOLD),
            "may_publish": actor.may(PUBLISH),
            "products": item.products.all(),
            "stix": json.dumps(item.stix, indent=2) if item.stix and handles_information(actor) else "",
        },
    )


@requires(PUBLISH)
def product_new(request):
    actor = Actor.of(request)
    item = None
    if request.GET.get("item"):
        item = visible_items(actor).filter(pk=request.GET["item"]).first()
    initial = {"title": item.title, "topic": item.topic, "tlp": item.tlp, "text": item.summary, "systems": item.systems} if item else {}
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(actor, form.values(), item=item)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{product.reference} saved as a draft. Check who will receive it, then publish.")
            return redirect("sharing:product", pk=product.pk)
    return render(
        request, "sharing/form.html", {"form": form, "title": "Write a product to share", "button": "Save the draft", "item": item}
    )


@requires(VIEW)
def product_detail(request, pk: int):
    actor = Actor.of(request)
    product = _product_or_404(actor, pk)
    handles = handles_information(actor)
    if request.method == "POST":
        if not actor.may(PUBLISH):
            raise PermissionDenied("only the national office publishes")
        try:
            share = services.publish(actor, product)
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    messages.error(request, f"Not published: {problem}")
        else:
            total = share.recipients.count()
            messages.success(request, f"{product.reference} published to {total} organization{'s' if total != 1 else ''}.")
        return redirect("sharing:product", pk=product.pk)
    services.mark_read(actor, product)
    preview = None
    if handles and product.published_at is None:
        resolved = audience.resolve(product)
        names = dict(Organization.objects.filter(pk__in=list(resolved)[:200]).values_list("pk", "name"))
        preview = {
            "counts": audience.counts(resolved),
            "total": len(resolved),
            "first": sorted(names.values())[:200],
            "problems": audience.audience_problems(product),
        }
    findings = personal.findings_of(product)
    return render(
        request,
        "sharing/product.html",
        {
            "product": product,
            "handles": handles,
            "preview": preview,
            "may_publish": actor.may(PUBLISH) and product.published_at is None,
            "share": product.shares.first(),
            "recipients": product.recipients.select_related("organization").order_by("why", "organization__name")[:300] if handles else [],
            "receipts": product.receipts.select_related("user", "organization") if handles else [],
            "deliveries": _deliveries(product) if handles and product.kind == Product.Kind.THREAT_NOTICE else [],
            "pending": findings.filter(decision=Finding.Decision.PENDING).count() if handles else 0,
            "findings": findings.count() if handles else 0,
            "services": [s for s in product.services.splitlines() if s.strip()],
            "text": product.text if handles else services.minimised_text(product)["product:text"],
        },
    )


def _deliveries(product: Product):
    """Per official, how the threat notice was delivered (H.R. 5011 §202)."""
    from safelect.core.outbox.models import Delivery

    return (
        Delivery.objects.filter(notice__subject_type="sharing.product", notice__subject_id=str(product.pk), user__isnull=False)
        .select_related("user")
        .order_by("user__full_name", "channel")[:300]
    )


@requires(PUBLISH)
def product_personal(request, pk: int):
    """§4(g): the personal information found in a draft, to redact or keep with a reason."""
    actor = Actor.of(request)
    product = _product_or_404(actor, pk)
    findings = personal.findings_of(product).filter(purged_at__isnull=True).order_by("decision", "source", "start")
    errors: dict = {}
    if request.method == "POST":
        try:
            changed = services.review_personal(actor, product, findings_review.posted_decisions(request.POST, findings))
        except ValidationError as error:
            errors = error.message_dict
            messages.error(request, "Nothing was saved: correct the decisions marked below.")
        else:
            messages.success(request, f"{changed} decision{'s' if changed != 1 else ''} recorded.")
            return redirect("sharing:product-personal", pk=product.pk)
    sources = {s.key: s.text for s in services.product_sources(product)}
    page = Paginator(findings, 50).get_page(request.GET.get("page"))
    rows = findings_review.rows(page, lambda key: sources.get(key, ""), post=request.POST, errors=errors)
    by = {d: findings.filter(decision=d).count() for d in Finding.Decision.values}
    status = {"total": sum(by.values()), "pending": by["pending"], "redact": by["redact"], "keep": by["keep"], "files_pending": []}
    return render(request, "sharing/personal.html", {"product": product, "rows": rows, "page": page, "status": status, "errors": errors})


@requires(VIEW)
def product_stix(request, pk: int):
    actor = Actor.of(request)
    product = _product_or_404(actor, pk)
    response = HttpResponse(
        json.dumps(stix.bundle_of(product), indent=2, ensure_ascii=False), content_type="application/stix+json;version=2.1"
    )
    response["Content-Disposition"] = f'attachment; filename="{product.reference}.stix.json"'
    return response


@requires(VIEW)
def product_pdf(request, pk: int):
    """The product as PDF; each recipient's copy names them in its footer (§4(g) protection)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    actor = Actor.of(request)
    product = _product_or_404(actor, pk)
    services.mark_read(actor, product)
    reader = str(actor.user) if actor.user else "safelect"
    html = render_to_string(
        "sharing/product_pdf.html",
        {
            "product": product,
            "text": product.text if handles_information(actor) else services.minimised_text(product)["product:text"],
            "reader": reader,
            "organization": actor.organization.name if actor.organization else "",
            "printed": timezone.now(),
        },
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{product.reference}.pdf"'
    return response


@requires(SUBSCRIBE)
def subscription(request):
    actor = Actor.of(request)
    org = actor.organization
    if org is None or org.kind not in audience.AGENCIES:
        raise PermissionDenied("only election agencies subscribe to ongoing updates (S.2261 §4(c)(3))")
    current = Subscription.objects.filter(organization=org).first()
    form = SubscriptionForm(request.POST or None, initial={"topics": current.topics, "systems": current.systems} if current else {})
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            services.unsubscribe(actor)
            messages.success(request, "Your agency no longer receives ongoing updates.")
            return redirect("sharing:subscription")
        if form.is_valid():
            try:
                services.subscribe(actor, topics=form.cleaned_data["topics"], systems=form.cleaned_data["systems"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Your agency receives ongoing updates on what it chose.")
                return redirect("sharing:subscription")
    return render(request, "sharing/subscription.html", {"form": form, "current": current, "organization": org})


@requires(SUBMIT)
def withholdings(request):
    """§4(b): a federal entity records its written withholding; the national office reads them all."""
    actor = Actor.of(request)
    org = actor.organization
    federal = org is not None and org.kind in (Organization.Kind.FEDERAL_ENTITY, Organization.Kind.EAC)
    form = WithholdingForm(request.POST or None) if federal else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("only a federal entity records its own withholding (S.2261 §4(b))")
        if form.is_valid():
            try:
                services.record_federal_withholding(actor, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The written determination is recorded.")
                return redirect("sharing:withholdings")
    found = FederalWithholding.objects.select_related("organization")
    if not handles_information(actor):
        found = found.filter(organization=org)
    return render(request, "sharing/withholdings.html", {"form": form, "withholdings": found[:200]})


@requires(SUBMIT)
def classified_list(request):
    """§4(e): classified information received, as metadata, with its review clocks."""
    actor = Actor.of(request)
    form = ClassifiedForm(request.POST or None) if actor.may(DECIDE) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("only the national office records classified information received")
        if form.is_valid():
            try:
                receipt = classified.record_receipt(actor, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, f"{receipt.reference} recorded. Request the expedited declassification review promptly (S.2261 §4(e)(1))."
                )
                return redirect("sharing:classified-detail", pk=receipt.pk)
    receipts = classified.visible_receipts(actor).select_related("originator", "reviewer")[:200]
    return render(request, "sharing/classified.html", {"form": form, "receipts": receipts})


@requires(SUBMIT)
def classified_detail(request, pk: int):
    actor = Actor.of(request)
    receipt = classified.visible_receipts(actor).filter(pk=pk).select_related("originator", "reviewer").first()
    if receipt is None:
        raise Http404("No record found")
    ask = ReviewRequestForm(request.POST if request.POST.get("action") == "request" else None) if actor.may(DECIDE) else None
    own_review = actor.organization is not None and receipt.reviewer_id == actor.organization.pk
    answer = (
        OutcomeForm(request.POST if request.POST.get("action") == "outcome" else None)
        if (handles_information(actor) or own_review)
        else None
    )
    if request.method == "POST":
        form = ask if request.POST.get("action") == "request" else answer
        if form is None:
            raise PermissionDenied("you may not record this")
        if form.is_valid():
            try:
                if form is ask:
                    classified.request_review(actor, receipt, reviewer=form.cleaned_data["reviewer"])
                else:
                    classified.record_outcome(actor, receipt, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Recorded.")
                return redirect("sharing:classified-detail", pk=receipt.pk)
    from safelect.core.obligations.models import Obligation

    clocks = Obligation.objects.filter(subject_type="sharing.classifiedreceipt", subject_id=str(receipt.pk)).order_by("opened_at")
    return render(
        request,
        "sharing/classified_detail.html",
        {
            "receipt": receipt,
            "ask": ask if receipt.outcome == "pending" else None,
            "answer": answer if receipt.outcome == "requested" else None,
            "clocks": clocks,
            "now": timezone.now(),
        },
    )
