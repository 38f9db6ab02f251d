"""An agency's or provider's view (S.2261 §8(b), (d)(4), (d)(5)): its inventory of election systems
(the directory's), the systems it volunteers, and the findings against them or that it was notified of."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from safelect.core.accounts.actor import Actor
from safelect.core.directory import services as directory
from safelect.core.directory.models import ElectionSystem
from safelect.core.directory.pages import page
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import participation
from .access import visible_findings
from .forms import DesignationForm, SystemForm
from .models import Designation
from .permissions import DESIGNATE


@requires(DESIGNATE)
def systems(request):
    actor = Actor.of(request)
    organization = actor.organization
    if organization is None or organization.kind not in participation.VOLUNTEER_KINDS:
        raise PermissionDenied("election agencies and providers volunteer their own systems")
    inventory = ElectionSystem.objects.filter(organization=organization, retired_at__isnull=True)
    harbor = participation.current_safe_harbor()
    action = request.POST.get("action") if request.method == "POST" else None
    system_form = SystemForm(request.POST if action == "system" else None, prefix="system")
    designation_form = DesignationForm(
        request.POST if action == "designate" else None,
        prefix="designate",
        systems=inventory,
        initial={"safe_harbor_version": harbor.version if harbor else ""},
    )
    try:
        if action == "system" and system_form.is_valid():
            added = directory.add_system(actor, organization=organization, values=system_form.cleaned_data)
            messages.success(request, f"{added} added to your inventory.")
            return redirect("hack:systems")
        if action == "retire":
            found = ElectionSystem.objects.filter(organization=organization, pk=request.POST.get("system_id")).first()
            if found is None:
                raise PermissionDenied("not a system of your organization")
            directory.retire_system(actor, found)
            messages.success(request, f"{found} retired from your inventory.")
            return redirect("hack:systems")
        if action == "designate" and designation_form.is_valid():
            found = participation.designate(actor, designation_form.cleaned_data)
            messages.success(request, f"{found.system} volunteered ({found.reference}).")
            return redirect("hack:systems")
        if action == "withdraw":
            found = (
                actor.restrict(Designation.objects.filter(organization=organization)).filter(pk=request.POST.get("designation_id")).first()
            )
            if found is None:
                raise PermissionDenied("not a designation of your organization")
            participation.withdraw(actor, found)
            messages.success(request, f"{found.reference} withdrawn.")
            return redirect("hack:systems")
    except ValidationError as error:
        add_service_errors(system_form if action == "system" else designation_form, error)
    return page(
        request,
        "hack/systems.html",
        {
            "organization": organization,
            "inventory": inventory,
            "designations": Designation.objects.filter(organization=organization).select_related("system", "safe_harbor"),
            "findings": visible_findings(actor).order_by("-submitted_at"),
            "system_form": system_form,
            "designation_form": designation_form,
            "harbor": harbor,
        },
    )
