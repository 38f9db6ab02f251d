"""Pages of the §4(o) assessment of inter-State information sharing: the list and a draft, one
assessment with its comment period (the comments themselves live on the kernel's solicitation
page), issuing it and its distribution."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect

from safelect.core.accounts.actor import Actor
from safelect.core.comments.services import responses, undisposed
from safelect.core.directory.pages import page
from safelect.core.web.permissions import requires

from . import interstate
from .models import SharingAssessment
from .permissions import REPORT_MANAGE


@requires(REPORT_MANAGE)
def interstate_list(request):
    actor = Actor.of(request)
    errors = {}
    if request.method == "POST":
        try:
            made = interstate.create(actor, request.POST.get("title", ""), request.POST.get("scope", ""))
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, f"{made.reference} drafted.")
            return redirect("preparedness:interstate", pk=made.pk)
    return page(
        request,
        "preparedness/interstate_list.html",
        {"assessments": SharingAssessment.objects.all(), "errors": errors, "values": request.POST if errors else {}},
    )


@requires(REPORT_MANAGE)
def interstate_detail(request, pk: int):
    actor = Actor.of(request)
    found = get_object_or_404(SharingAssessment.objects.select_related("solicitation"), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "solicit":
                interstate.solicit(actor, found)
                messages.success(request, "Comments solicited from every State election office.")
            else:
                interstate.issue(actor, found, request.POST.get("findings", ""))
                messages.success(request, "Issued to every election agency and the congressional committees.")
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        return redirect("preparedness:interstate", pk=found.pk)
    rows = responses(found.solicitation) if found.solicitation else []
    return page(
        request,
        "preparedness/interstate.html",
        {
            "a": found,
            "responded": sum(1 for r in rows if r["comment"]),
            "asked": len(rows),
            "undisposed": undisposed(found.solicitation) if found.solicitation else 0,
            "distribution": interstate.distribution_summary(found) if found.issued_at else [],
        },
    )
