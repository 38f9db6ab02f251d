"""The "Personal information" page of an incident (S.2261 §4(g)): each finding in its context, to
redact or keep with a reason; closing an incident; its STIX 2.1 export."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from safelect.core.personal import review as findings_review
from safelect.core.personal import services as personal_data
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import personal, stix
from .forms import CloseForm
from .permissions import VIEW
from .views import visible_incident

PAGE_SIZE = 50


@requires(VIEW)
def review(request, pk: int):
    actor, incident = visible_incident(request, pk)
    if not personal.may_review(actor, incident):
        raise PermissionDenied("only the reporting organization and the national office review personal information")
    findings = (
        personal_data.findings_of(incident)
        .filter(purged_at__isnull=True)
        .select_related("decided_by")
        .order_by("decision", "source", "start")
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            changed = personal.decide(actor, incident, findings_review.posted_decisions(request.POST, findings))
        except ValidationError as error:
            errors = error.message_dict
            messages.error(request, "Nothing was saved: correct the decisions marked below.")
        else:
            messages.success(request, f"{changed} decision{'s' if changed != 1 else ''} recorded.")
            return redirect("incidents:personal", pk=incident.pk)
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = findings_review.rows(page, lambda source: personal.source_text(incident, source), post=request.POST, errors=errors)
    return render(
        request,
        "incidents/personal.html",
        {"incident": incident, "rows": rows, "page": page, "status": personal.review_status(incident), "errors": errors},
    )


@requires(VIEW)
def close(request, pk: int):
    actor, incident = visible_incident(request, pk)
    if not personal.may_review(actor, incident):
        raise PermissionDenied("only the reporting organization and the national office close an incident")
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            personal.close(actor, incident, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The incident is closed. Its personal information will be purged when the retention period ends.")
            return redirect("incidents:detail", pk=incident.pk)
    return render(
        request, "incidents/form.html", {"form": form, "incident": incident, "title": "Close the incident", "button": "Close the incident"}
    )


@requires(VIEW)
def stix_export(request, pk: int):
    """The incident as a STIX 2.1 bundle (minimised: personal information not explicitly kept is removed)."""
    actor, incident = visible_incident(request, pk)
    bundle = stix.bundle_of(incident)
    response = HttpResponse(json.dumps(bundle, indent=2, ensure_ascii=False), content_type="application/stix+json;version=2.1")
    response["Content-Disposition"] = f'attachment; filename="{incident.reference}.stix.json"'
    return response
