"""Incident pages: the list (a national board, a State's view, an agency's own), the report form,
the incident page with its timeline and clocks, and the assessment, notice and update forms."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.queries import display_zone
from safelect.core.journal.history import entries_of
from safelect.core.obligations.models import Obligation
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import evidence as evidence_store
from . import personal, services
from .forms import AssessmentForm, FirstNoticeForm, PossibleIncidentForm, ProviderNoticeForm, UpdateForm
from .models import Incident, ReportDraft, SignificantDetermination
from .permissions import DECIDE, REPORT, VIEW
from .services_base import clocks_of

DRAFT_FIELDS = ("title", "aware_at", "how_learned", "provider_incident")


def _may_report(actor: Actor) -> bool:
    org = actor.organization
    return actor.may(REPORT) and org is not None and (org.kind in services.AGENCY_KINDS or org.kind == "election_service_provider")


@requires(VIEW)
def incident_list(request):
    actor = Actor.of(request)
    found = actor.restrict(Incident.objects.select_related("organization", "state"), VIEW)
    show = request.GET.get("show", "open")
    if show == "open":
        found = found.exclude(assessment=Incident.Assessment.NO_INCIDENT)
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    clocks = {
        o.subject_id: o
        for o in Obligation.objects.filter(
            subject_type="incidents.incident",
            subject_id__in=[str(i.pk) for i in page],
            duty_code__in=[services.ASSESS_DUTY, services.NOTICE_DUTY],
        ).order_by("opened_at")
    }
    rows = [(incident, clocks.get(str(incident.pk))) for incident in page]
    context = {"page": page, "rows": rows, "show": show, "may_report": _may_report(actor), "may_decide": actor.may(DECIDE)}
    return render(request, "incidents/list.html", context)


@requires(REPORT)
def incident_new(request):
    actor = Actor.of(request)
    if not _may_report(actor):
        messages.error(request, "Only an election agency reports its incidents here: switch to your agency's membership.")
        return redirect("incidents:list")
    shared = Incident.objects.filter(notified_agencies=actor.organization).order_by("-aware_at")
    draft = ReportDraft.objects.filter(user=request.user, organization=actor.organization).first()
    action = request.POST.get("action", "record")
    if request.method == "POST" and action in ("draft", "discard"):
        if action == "discard":
            ReportDraft.objects.filter(user=request.user, organization=actor.organization).delete()
            messages.success(request, "Draft discarded.")
        else:
            data = {name: request.POST.get(name, "")[:5000] for name in DRAFT_FIELDS}
            data["systems"] = request.POST.getlist("systems")[:20]
            ReportDraft.objects.update_or_create(
                user=request.user, organization=actor.organization, defaults={"data": data, "saved_at": timezone.now()}
            )
            messages.success(
                request, "Draft saved: nothing is reported and no clock starts until you record it. It waits here for you, on any device."
            )
        return redirect("incidents:create")
    if request.method == "POST":
        form = PossibleIncidentForm(request.POST, zone=display_zone(actor.organization), provider_incidents=shared)
    else:
        form = PossibleIncidentForm(initial=draft.data if draft else None, zone=display_zone(actor.organization), provider_incidents=shared)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.report_possible(
                actor,
                title=form.cleaned_data["title"],
                aware_at=form.moment("aware_at"),
                how_learned=form.cleaned_data["how_learned"],
                systems=form.cleaned_data["systems"],
                provider_incident=form.cleaned_data.get("provider_incident"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            ReportDraft.objects.filter(user=request.user, organization=actor.organization).delete()
            messages.success(request, f"Possible incident {incident.reference} recorded. Assess it promptly (S.2261 §4(h)).")
            return redirect("incidents:detail", pk=incident.pk)
    context = {
        "form": form,
        "title": "Report a possible incident",
        "button": "Record the possible incident",
        "draft": draft,
        "drafts": True,
    }
    return render(request, "incidents/form.html", context)


@requires(VIEW)
def incident_detail(request, pk: int):
    actor = Actor.of(request)
    incident = actor.get_or_404(Incident.objects.select_related("organization", "state"), VIEW, pk=pk)
    own = actor.may(REPORT) and actor.acts_for(incident.organization)
    clocks = clocks_of(incident)
    zone = incident.organization.time_zone
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "notices": incident.notices.select_related("submitted_by"),
            "clocks": clocks,
            "history": entries_of(incident)[:200],
            "own": own,
            "may_assess": own
            and incident.assessment != Incident.Assessment.OCCURRED
            and (incident.closed_at is None or incident.assessment == Incident.Assessment.NO_INCIDENT),
            "may_notify": own
            and not incident.is_provider
            and incident.assessment == Incident.Assessment.OCCURRED
            and incident.notified_at is None,
            "may_notify_agencies": own and incident.is_provider and incident.notified_at is None,
            "notified_agencies": incident.notified_agencies.order_by("name"),
            "linked": incident.agency_incidents.select_related("organization") if own or actor.may(DECIDE) else [],
            "may_update": own and incident.notified_at is not None and incident.closed_at is None,
            "may_decide": actor.may(DECIDE),
            "determination": SignificantDetermination.objects.filter(incident=incident).select_related("definition").first(),
            "congress": incident.congress_notifications.all(),
            "evidence": incident.evidence.select_related("uploaded_by"),
            "may_attach": services.may_attach(actor, incident) and incident.closed_at is None,
            "may_review": personal.may_review(actor, incident),
            "privacy": personal.review_status(incident),
            "may_close": personal.may_review(actor, incident)
            and incident.closed_at is None
            and (incident.notified_at is not None or (incident.is_provider and incident.assessment != Incident.Assessment.ASSESSING)),
            "max_evidence_mb": evidence_store.MAX_EVIDENCE_BYTES // (1024 * 1024),
            "zone": zone,
            "now": timezone.now(),
        },
    )


def visible_incident(request, pk: int) -> tuple[Actor, Incident]:
    """(the actor, the incident if they may see it; 404 otherwise). Services check who may write."""
    actor = Actor.of(request)
    return actor, actor.get_or_404(Incident.objects.select_related("organization", "state"), VIEW, pk=pk)


@requires(REPORT)
def incident_assess(request, pk: int):
    actor, incident = visible_incident(request, pk)
    form = AssessmentForm(request.POST or None, zone=incident.organization.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            services.assess(
                actor,
                incident,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                discovered_at=form.moment("discovered_at"),
                next_review_on=form.cleaned_data["next_review_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Assessment recorded.")
            return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "incidents/form.html",
        {"form": form, "incident": incident, "title": "Assess the possible incident", "button": "Record the assessment"},
    )


@requires(REPORT)
def incident_notify(request, pk: int):
    actor, incident = visible_incident(request, pk)
    form = FirstNoticeForm(request.POST or None, zone=incident.organization.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            services.notify(actor, incident, form.values(), late_reason=form.cleaned_data["late_reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The national office and your State's election officials are notified.")
            return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "incidents/form.html",
        {"form": form, "incident": incident, "title": "Notify the national office (S.2261 §4(i))", "button": "Send the notice"},
    )


@requires(REPORT)
def incident_update(request, pk: int):
    actor, incident = visible_incident(request, pk)
    latest = incident.notices.order_by("-number").first()
    initial = {}
    if latest is not None:
        zone = incident.organization.time_zone
        initial = {
            name: getattr(latest, name)
            for name in ("systems", "circumstances", "information_acquired", "measures_planned", "measures_implemented")
        }
        initial["started_at"] = latest.started_at.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        if latest.ended_at:
            initial["ended_at"] = latest.ended_at.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    form = UpdateForm(request.POST or None, initial=initial, zone=incident.organization.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            services.update(actor, incident, form.values(), note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Update sent (S.2261 §4(k)(2)).")
            return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "incidents/form.html",
        {"form": form, "incident": incident, "title": "Update the notice with new material information", "button": "Send the update"},
    )


__all__ = ["incident_assess", "incident_detail", "incident_list", "incident_new", "incident_notify", "incident_update"]


@requires(VIEW)
def evidence_upload(request, pk: int):
    """POST only: attach a file (the form is on the incident page)."""
    actor, incident = visible_incident(request, pk)
    if request.method != "POST":
        return redirect("incidents:detail", pk=incident.pk)
    if not services.may_attach(actor, incident):
        raise PermissionDenied("you may not attach evidence to this incident")
    try:
        attached = services.attach_evidence(actor, incident, request.FILES.get("file"), description=request.POST.get("description", ""))
    except ValidationError as error:
        for problems in error.message_dict.values():
            for problem in problems:
                messages.error(request, f"The file was not attached: {problem}")
    else:
        messages.success(request, f"{attached.name} attached ({attached.kind_words}, SHA-256 {attached.sha256[:16]}…).")
    return redirect("incidents:detail", pk=incident.pk)


@requires(VIEW)
def evidence_download(request, pk: int, file_id: int):
    """Always a download, never rendered: octet-stream, nosniff, a sandboxing CSP."""
    actor, incident = visible_incident(request, pk)
    found = incident.evidence.filter(pk=file_id).first()
    if found is None:
        raise Http404("No such evidence file")
    return evidence_response(found)


def evidence_response(found) -> FileResponse:
    return evidence_store.POLICY.download(found.sha256, found.name)


@requires(REPORT)
def incident_notify_agencies(request, pk: int):
    """§4(j)(1): a provider notifies the agencies it serves."""
    actor, incident = visible_incident(request, pk)
    customers = services.customers_of(incident.organization)
    form = ProviderNoticeForm(request.POST or None, zone=incident.organization.time_zone, customers=customers)
    if request.method == "POST" and form.is_valid():
        try:
            services.notify_agencies(
                actor, incident, form.values(), agencies=list(form.cleaned_data["agencies"]), late_reason=form.cleaned_data["late_reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The agencies are notified (S.2261 §4(j)).")
            return redirect("incidents:detail", pk=incident.pk)
    title = "Notify the agencies you serve (S.2261 §4(j))"
    if not customers.exists():
        messages.warning(request, "No agency is recorded as served by your organization: add them on your organization's page first.")
    return render(request, "incidents/form.html", {"form": form, "incident": incident, "title": title, "button": "Send the notice"})
