"""Pages of S.2261 §4(p): the definition of a significant incident, the determination on an
incident, and the notifications of Congress (text, recipients, PDF letter). National office only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from safelect.core.accounts.actor import Actor
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import significance
from .forms import CongressForm, DefinitionForm, SignificanceForm, SubmissionForm
from .models import CongressNotification, SignificanceDefinition, SignificantDetermination
from .permissions import DECIDE, DEFINE
from .views import visible_incident

NATIONAL_ZONE = "America/New_York"


@requires(DECIDE)
def definition(request):
    actor = Actor.of(request)
    current = significance.current_definition()
    may_define = actor.may(DEFINE)
    adopt = DefinitionForm(request.POST if request.POST.get("action") == "adopt" else None, prefix="adopt")
    submit = SubmissionForm(request.POST if request.POST.get("action") == "submit" else None, prefix="submit")
    if request.method == "POST" and not may_define:
        raise PermissionDenied("only national-office leadership adopts the definition and records its submission (S.2261 §4(p)(2))")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "adopt" and adopt.is_valid():
                version = significance.adopt_definition(actor, **adopt.cleaned_data)
                messages.success(request, f"Version {version.version} of the definition adopted.")
                return redirect("incidents:definition")
            if request.POST.get("action") == "submit" and submit.is_valid() and current is not None:
                significance.record_submission(actor, current, submit.cleaned_data["submitted_on"])
                messages.success(request, "Submission to the committees recorded.")
                return redirect("incidents:definition")
        except ValidationError as error:
            add_service_errors(adopt if request.POST.get("action") == "adopt" else submit, error)
    return render(
        request,
        "incidents/definition.html",
        {"current": current, "versions": SignificanceDefinition.objects.all(), "may_define": may_define, "adopt": adopt, "submit": submit},
    )


@requires(DECIDE)
def determine(request, pk: int):
    actor, incident = visible_incident(request, pk)
    current = significance.current_definition()
    if current is None:
        messages.error(request, "No definition of a significant incident is adopted yet (S.2261 §4(p)(2)).")
        return redirect("incidents:definition")
    form = SignificanceForm(request.POST or None, definition=current, zone=NATIONAL_ZONE)
    if request.method == "POST" and form.is_valid():
        try:
            significance.determine_significant(
                actor,
                incident,
                criteria=form.cleaned_data["criteria"],
                basis_at=form.moment("basis_at"),
                reason=form.cleaned_data["reason"],
                counties=form.cleaned_data["counties"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Recorded as significant: Congress is owed a notification within 7 calendar days (S.2261 §4(p)(1)(A))."
            )
            return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "incidents/form.html",
        {"form": form, "incident": incident, "title": "Record a significant incident (S.2261 §4(p))", "button": "Record as significant"},
    )


@requires(DECIDE)
def notify(request, pk: int):
    actor, incident = visible_incident(request, pk)
    form = CongressForm(request.POST or None)
    determination = SignificantDetermination.objects.filter(incident=incident).first()
    recipients = significance.recipients_for(determination) if determination is not None else None
    if request.method == "POST" and form.is_valid():
        try:
            sent = significance.notify_congress(actor, incident, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Notification sent to {sent.recipient_count} recipients; the letter is ready to transmit.")
            return redirect("incidents:congress", pk=incident.pk, number=sent.number)
    return render(request, "incidents/congress_form.html", {"form": form, "incident": incident, "recipients": recipients})


def _notification(request, pk: int, number: int) -> CongressNotification:
    actor, incident = visible_incident(request, pk)
    found = incident.congress_notifications.filter(number=number).first()
    if found is None:
        raise Http404("No such notification")
    return found


@requires(DECIDE)
def congress_notification(request, pk: int, number: int):
    return render(request, "incidents/congress.html", {"notification": _notification(request, pk, number)})


@requires(DECIDE)
def congress_pdf(request, pk: int, number: int):
    notification = _notification(request, pk, number)
    response = HttpResponse(significance.letter_pdf(notification), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{notification.incident.reference}-congress-{number}.pdf"'
    return response
