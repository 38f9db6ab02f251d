"""The public catalog of cybersecurity services (S.2261 §4(m)): cards with search and filters that
work without JavaScript, a print view and a JSON version; and its upkeep by national staff."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse

from safelect.core.accounts.actor import Actor
from safelect.core.directory.pages import page
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import PUBLIC, allowed, requires

from . import catalog
from .clearances import holds_clearance
from .forms import CatalogForm
from .models import CatalogService
from .permissions import (
    ASSESSMENT_MANAGE,
    ASSESSMENT_VIEW,
    CATALOG_MANAGE,
    CLEARANCE_VIEW,
    REPORT_MANAGE,
    THREAT_VIEW,
)

REQUEST_URLS = {
    CatalogService.Request.ASSESSMENT: "preparedness:assessment-new",
    CatalogService.Request.CLEARANCE: "preparedness:clearances",
    CatalogService.Request.INCIDENT: "incidents:create",
}


def request_url(service: CatalogService) -> str:
    name = REQUEST_URLS.get(service.request_in_safelect)
    try:
        return reverse(name) if name else ""
    except NoReverseMatch:  # the app behind the link is not installed in this deployment
        return ""


def _links(request) -> list[tuple[str, str]]:
    """The services' working pages the signed-in person may open."""
    if not request.user.is_authenticated:
        return []
    pages = [
        (ASSESSMENT_VIEW, "Risk and vulnerability assessments", "preparedness:assessments"),
        (ASSESSMENT_MANAGE, "Assessment teams' calendar", "preparedness:calendar"),
        (CLEARANCE_VIEW, "Security clearance requests", "preparedness:clearances"),
        (THREAT_VIEW, "Pre-election threat assessments", "preparedness:threats"),
        (REPORT_MANAGE, "Annual report to Congress", "preparedness:report"),
        (REPORT_MANAGE, "Assessment of inter-State information sharing", "preparedness:interstate-list"),
        (CATALOG_MANAGE, "Add a service to the catalog", "preparedness:catalog-new"),
    ]
    return [(label, reverse(name)) for permission, label, name in pages if allowed(request, permission)]


@requires(PUBLIC)
def catalog_page(request):
    q, category, agency = request.GET.get("q", "")[:200], request.GET.get("category", ""), request.GET.get("agency", "")[:200]
    services = list(catalog.published(q, category, agency))
    cleared = holds_clearance(request.user)
    return page(
        request,
        "preparedness/catalog.html",
        {
            "services": [{"service": s, "request_url": request_url(s)} for s in services],
            "q": q,
            "category": category,
            "agency": agency,
            "categories": CatalogService.Category.choices,
            "agencies": catalog.agencies(),
            "cleared": cleared,
            "links": _links(request),
            "may_edit": (may_edit := request.user.is_authenticated and allowed(request, CATALOG_MANAGE)),
            "unpublished": CatalogService.objects.filter(published=False) if may_edit else [],
            "total": CatalogService.objects.filter(published=True).count(),
        },
    )


@requires(PUBLIC)
def catalog_print(request):
    return page(request, "preparedness/catalog_print.html", {"services": catalog.published()})


@requires(PUBLIC)
def catalog_json(request):
    base = request.build_absolute_uri(reverse("preparedness:catalog"))
    rows = []
    for service in catalog.published():
        link = request_url(service)
        rows.append(catalog.as_json(service, base, request.build_absolute_uri(link) if link else ""))
    response = JsonResponse({"catalog": "Cybersecurity services for election agencies (S.2261 §4(m))", "services": rows})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _edit(request, service: CatalogService | None):
    actor = Actor.of(request)
    initial = {} if service is None else {f: getattr(service, f) for f in CatalogForm.base_fields}
    form = CatalogForm(request.POST or None, initial=initial or {"published": True})
    if request.method == "POST" and form.is_valid():
        try:
            saved = catalog.save_service(actor, form.cleaned_data, service)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{saved.title} saved{'' if saved.published else ' (not published)'}.")
            return redirect(reverse("preparedness:catalog") + f"#service-{saved.slug}")
    return page(request, "preparedness/catalog_form.html", {"form": form, "service": service})


@requires(CATALOG_MANAGE)
def catalog_new(request):
    return _edit(request, None)


@requires(CATALOG_MANAGE)
def catalog_edit(request, slug: str):
    return _edit(request, get_object_or_404(CatalogService, slug=slug))
