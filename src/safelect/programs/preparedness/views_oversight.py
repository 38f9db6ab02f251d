"""Pages for clearance requests (S.2261 §4(l); H.R. 5011 §203), pre-election threat assessments
(H.R. 5011 §204) and the annual report to Congress (H.R. 5011 §206)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.days import local_date
from safelect.core.directory.pages import page
from safelect.core.directory.queries import national_office
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import clearances, report, threats
from .forms import ClearanceRequestForm, ClearanceStatusForm, TemporaryForm, ThreatForm
from .models import AnnualReport, ThreatAssessment
from .permissions import CLEARANCE_MANAGE, CLEARANCE_REQUEST, CLEARANCE_VIEW, REPORT_MANAGE, THREAT_MANAGE, THREAT_VIEW


@requires(CLEARANCE_VIEW)
def clearance_list(request):
    actor = Actor.of(request)
    form = ClearanceRequestForm(request.POST or None)
    kind = getattr(actor.organization, "kind", None)
    allowed = clearances.CATEGORIES_FOR.get(kind, set())
    form.fields["category"].choices = [(c, label) for c, label in form.fields["category"].choices if c in allowed]
    may_request = actor.may(CLEARANCE_REQUEST) and bool(allowed)
    if request.method == "POST":
        if not may_request:
            raise PermissionDenied("you may not request clearances")
        if form.is_valid():
            try:
                made = clearances.request_clearance(actor, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    f"{made.reference} requested{' (expedited process)' if made.expedited else ''}: the clearance officer takes it from here.",
                )
                return redirect("preparedness:clearances")
    return page(
        request,
        "preparedness/clearances.html",
        {"requests": clearances.visible(actor), "form": form, "may_request": may_request, "officer": actor.may(CLEARANCE_MANAGE)},
    )


@requires(CLEARANCE_VIEW)
def clearance_detail(request, pk: int):
    actor = Actor.of(request)
    found = actor.get_or_404(clearances.visible(actor), pk=pk)
    status_form, temporary_form = ClearanceStatusForm(prefix="status"), TemporaryForm(prefix="temporary")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "status":
                status_form = ClearanceStatusForm(request.POST, prefix="status")
                if status_form.is_valid():
                    data = status_form.cleaned_data
                    clearances.set_status(actor, found, data["status"], data["on"], data.get("expires_on"))
                    messages.success(request, "Status recorded.")
                    return redirect("preparedness:clearance", pk=found.pk)
            elif action == "temporary":
                temporary_form = TemporaryForm(request.POST, prefix="temporary")
                if temporary_form.is_valid():
                    clearances.issue_temporary(actor, found, temporary_form.cleaned_data["on"], temporary_form.cleaned_data["expires_on"])
                    messages.success(request, "Temporary clearance recorded.")
                    return redirect("preparedness:clearance", pk=found.pk)
            else:
                raise ValidationError("Unknown action.")
        except ValidationError as error:
            add_service_errors(temporary_form if action == "temporary" else status_form, error)
        found = actor.get_or_404(clearances.visible(actor), pk=pk)
    return page(
        request,
        "preparedness/clearance.html",
        {"c": found, "officer": actor.may(CLEARANCE_MANAGE), "status_form": status_form, "temporary_form": temporary_form},
    )


def _day(moment, zone: str):
    """The calendar day of a due moment in the zone that counts it (None stays None)."""
    return local_date(moment, zone) if moment is not None else None


def _late(assessment: ThreatAssessment, due) -> bool:
    return bool(assessment.delivered_at and due and assessment.delivered_at > due)


def _year(request, default: int | None = None) -> int:
    """The four-digit year asked for, or ``default`` (the coming even year)."""
    text = (request.POST.get("year") if request.method == "POST" else None) or request.GET.get("year", "")
    if text.isdigit() and len(text) == 4:
        return int(text)
    if default is not None:
        return default
    today = timezone.localdate()
    return today.year + (today.year % 2)


@requires(THREAT_VIEW)
def threat_list(request):
    actor = Actor.of(request)
    year = _year(request)
    if request.method == "POST":
        try:
            made = threats.plan_year(actor, year)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        except PermissionDenied as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"Tracking every State's assessment for the {year} general election ({made} new).")
        return redirect(f"{request.path}?year={year}")
    rows = list(threats.visible(actor).filter(election_year=year))
    try:
        cycle = threats.clock_for(year)
    except ValidationError:
        cycle = None
    counts = {s: sum(1 for r in rows if r.status == s) for s, _ in ThreatAssessment.Status.choices}
    zone = national_office().time_zone  # the clock's holder: its due day is a day in its zone
    due = threats.due_moments(year)
    return page(
        request,
        "preparedness/threats.html",
        {
            "year": year,
            "years": [y for y in range(2026, 2034, 2)],
            "rows": [{"a": r, "due": _day(due.get(r.state_office_id), zone), "late": _late(r, due.get(r.state_office_id))} for r in rows],
            "due_day": _day(cycle.due_at, zone) if cycle else None,
            "counts": [(label, counts[s]) for s, label in ThreatAssessment.Status.choices],
            "manage": actor.may(THREAT_MANAGE),
        },
    )


@requires(THREAT_VIEW)
def threat_detail(request, pk: int):
    actor = Actor.of(request)
    found = actor.get_or_404(threats.visible(actor), pk=pk)
    form = ThreatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            threats.advance(actor, found, form.cleaned_data["status"], form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{found.state.name}: recorded.")
            return redirect(reverse("preparedness:threats") + f"?year={found.election_year}")
    return page(
        request,
        "preparedness/threat.html",
        {"a": found, "due": _day(threats.due_at(found), national_office().time_zone), "form": form, "manage": actor.may(THREAT_MANAGE)},
    )


@requires(REPORT_MANAGE)
def annual_report(request):
    actor = Actor.of(request)
    year = _year(request, default=timezone.localdate().year - 1)
    found = AnnualReport.objects.filter(year=year).first()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "submit" and found is not None:
                report.submit(actor, found)
                messages.success(request, f"The report on {year} is recorded as submitted to the committees.")
            else:
                report.draft(actor, year)
                messages.success(request, f"Draft of the report on {year} generated from the records: review it below.")
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        return redirect(f"{request.path}?year={year}")
    fmt = request.GET.get("format")
    if found is not None and fmt in ("xlsx", "pdf"):
        body = report.xlsx(found) if fmt == "xlsx" else report.pdf(found)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx" else "application/pdf"
        response = HttpResponse(body, content_type=media)
        response["Content-Disposition"] = f'attachment; filename="hr5011-206-report-{year}.{fmt}"'
        return response
    return page(
        request,
        "preparedness/report.html",
        {
            "year": year,
            "years": list(range(report.FIRST_YEAR, min(report.LAST_YEAR, timezone.localdate().year) + 1)),
            "report": found,
            "stale": found is not None and found.submitted_at is None and found.figures != report.figures(year),
        },
    )
