"""Grant pages: the dashboard (every program; a State's or agency's own grants), a program with its
allocation table (sortable, a bar per State, CSV/XLSX/PDF), creating and publishing a program, and
the qualified-provider lists. Applications are in :mod:`.views_applications`."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import State
from safelect.core.obligations.models import Obligation
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import exports, services
from .access import visible_applications, visible_programs, visible_providers
from .clocks import CONGRESS_REPORT_DUTIES
from .content import APPLICANT_KINDS
from .forms import ProgramForm, provider_form
from .models import Application, Provider
from .permissions import APPLY, MANAGE, REVIEW, VIEW, VIEW_APPLICATIONS

SORTS = {"amount": lambda line: -line["amount"], "state": lambda line: line["state"], "name": lambda line: line["name"]}


def program_or_404(actor: Actor, pk: int):
    found = visible_programs(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("No grant program found")
    return found


@requires(VIEW)
def home(request):
    actor = Actor.of(request)
    programs = visible_programs(actor).select_related("administrator")
    mine = visible_applications(actor).order_by("-created_at")[:50] if actor.may(VIEW_APPLICATIONS) else []
    state = actor.organization.state if actor.organization is not None and actor.organization.state_id else None
    if actor.may(VIEW_APPLICATIONS) and actor.organization is not None and actor.organization.kind in ("national_office", "eac"):
        state = State.objects.filter(usps=(request.GET.get("state") or "").upper()[:2]).first()  # a State's dashboard
        if state is not None:
            mine = visible_applications(actor).filter(applicant__state=state).order_by("-created_at")[:50]
    lines = []
    if state is not None:
        for program in programs:
            amount = program.allocated_to(state.usps)
            if amount is not None and program.status != "draft":
                lines.append({"program": program, "amount": amount})
    queue = visible_applications(actor).filter(status=Application.Status.SUBMITTED).count() if actor.may(REVIEW) else None
    return render(
        request,
        "grants/home.html",
        {
            "programs": programs,
            "applications": mine,
            "state": state,
            "lines": lines,
            "queue": queue,
            "may_manage": actor.may(MANAGE),
            "national": actor.organization is not None and actor.organization.kind in ("national_office", "eac"),
            "states": State.objects.order_by("name"),
        },
    )


@requires(MANAGE)
def program_new(request):
    actor = Actor.of(request)
    form = ProgramForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        upload = values.pop("input_file", None)
        try:
            with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
                if upload is not None:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                    handle.flush()
                program = services.create_program(actor, values, input_path=handle.name if upload is not None else None)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{program.reference} created as a draft. Check the allocation, then publish it.")
            return redirect("grants:program", pk=program.pk)
    return render(request, "grants/program_form.html", {"form": form})


@requires(VIEW)
def program_detail(request, pk: int):
    actor = Actor.of(request)
    program = program_or_404(actor, pk)
    if request.method == "POST":
        if not actor.may(MANAGE):
            raise Http404("No grant program found")
        try:
            if request.POST.get("action") == "publish":
                services.publish(actor, program)
                messages.success(request, "Published: the allocation is frozen and the application window is open.")
            elif request.POST.get("action") == "award_cycle":
                made = services.award_audit_cycle(actor, program)
                messages.success(request, f"{len(made)} audit grants awarded (S.2261 §7(h)(4)).")
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        return redirect("grants:program", pk=program.pk)
    table = program.allocation or {}
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "amount"
    lines = sorted(table.get("allocations", []), key=SORTS[sort])
    top = max((line["amount"] for line in lines), default=0) or 1
    bars = [{**line, "width": round(600 * line["amount"] / top, 1), "y": 22 * n} for n, line in enumerate(lines)]
    org = actor.organization
    may_apply = actor.may(APPLY) and org is not None and org.kind in APPLICANT_KINDS[program.statute] and program.status == "published"
    mine = visible_applications(actor).filter(program=program, applicant=org).first() if org is not None else None
    applications = visible_applications(actor).filter(program=program).order_by("applicant__name") if actor.may(REVIEW) else []
    return render(
        request,
        "grants/program.html",
        {
            "program": program,
            "table": table,
            "lines": lines,
            "bars": bars,
            "chart_height": 22 * len(bars) + 10,
            "sort": sort,
            "may_manage": actor.may(MANAGE),
            "may_apply": may_apply,
            "mine": mine,
            "applications": applications,
            "ranking": services.ranking(program) if program.kind == "competitive" and actor.may(REVIEW) else [],
        },
    )


@requires(VIEW)
def allocation_export(request, pk: int, fmt: str):
    actor = Actor.of(request)
    program = program_or_404(actor, pk)
    if not program.allocation:
        raise Http404("This program has no allocation table")
    writers = {
        "csv": (exports.allocation_csv, "text/csv; charset=utf-8"),
        "xlsx": (exports.allocation_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "pdf": (exports.allocation_pdf, "application/pdf"),
    }
    if fmt not in writers:
        raise Http404("No such format")
    write, media = writers[fmt]
    response = HttpResponse(write(program), content_type=media)
    response["Content-Disposition"] = f'attachment; filename="{program.reference}-allocation.{fmt}"'
    return response


@requires(VIEW)
def providers(request):
    actor = Actor.of(request)
    found = visible_providers(actor)

    def checklist(provider: Provider) -> list[dict]:
        return [
            {"citation": citation, "text": text, **provider.criteria.get(code, {"met": False, "evidence": ""})}
            for code, citation, text in services.CRITERIA[provider.listing]
        ]

    lists = [
        (code, label, [{"provider": p, "checklist": checklist(p)} for p in found if p.listing == code])
        for code, label in Provider.List.choices
    ]
    return render(request, "grants/providers.html", {"lists": lists, "may_manage": actor.may(MANAGE)})


@requires(MANAGE)
def provider_edit(request, pk: int | None = None, listing: str = ""):
    actor = Actor.of(request)
    provider = visible_providers(actor).filter(pk=pk).first() if pk else None
    if pk and provider is None:
        raise Http404("No provider found")
    listing = provider.listing if provider else (request.GET.get("listing") or request.POST.get("listing") or "hr5011-297b")
    if listing not in services.CRITERIA:
        raise Http404("No such list")
    form = provider_form(listing, request.POST or None, provider)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_provider(actor, {**form.cleaned_data, "listing": listing}, provider)
            if request.POST.get("action") == "publish":
                services.publish_provider(actor, saved)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{saved.name} saved" + (" and published to State election officials." if saved.published_at else ".")
            )
            return redirect("grants:providers")
    return render(
        request,
        "grants/provider_form.html",
        {"form": form, "provider": provider, "listing": listing, "listing_label": dict(Provider.List.choices)[listing]},
    )


@requires(VIEW_APPLICATIONS)
def congress_report(request):
    """The fiscal year's grant activity as the reports to Congress count it (HAVA §297D; HSA §321(b))."""
    actor = Actor.of(request)
    if not (actor.may(MANAGE) or actor.may(REVIEW) or actor.organization is None or actor.organization.kind in ("national_office", "eac")):
        raise PermissionDenied("the reports to Congress are the national office's and the Commission's")
    try:
        year = int(request.GET.get("fy") or request.POST.get("fy") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2018), 2100)
    if request.method == "POST":
        try:
            services.record_congress_report(actor, year, request.POST.get("duty", ""))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, f"Recorded as submitted for FY{year}.")
        return redirect(f"{request.path}?fy={year}")
    clocks = Obligation.objects.filter(duty_code__in=list(CONGRESS_REPORT_DUTIES), cycle=f"FY{year}").select_related("holder")
    return render(
        request,
        "grants/congress.html",
        {
            "year": year,
            "rows": services.fiscal_year_summary(year),
            "clocks": [{"clock": c, "title": CONGRESS_REPORT_DUTIES[c.duty_code]} for c in clocks],
            "may_manage": actor.may(MANAGE),
            "years": range(timezone.localdate().year + 1, 2017, -1),
        },
    )
