"""The national office's pages: the triage board with every clock, applications to decide, and the
program's upkeep — safe-harbour versions (§8(f)), the solicitation of agencies' input (§8(c)) and the
rounds (§8(d)(1), (3))."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.days import end_of_day
from safelect.core.directory.pages import page
from safelect.core.directory.queries import national_office, viewer_zone
from safelect.core.obligations.models import Obligation
from safelect.core.obligations.services import CLOSED_STATUSES
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import participation, researchers, rounds
from .access import is_office, visible_findings
from .clocks import DISCLOSE, NOTIFY, QUALIFY
from .forms import DecisionForm, RoundForm, SafeHarborForm, SolicitationForm
from .models import Award, Finding, Researcher, Round
from .permissions import MANAGE, VIEW


def _clocks(code: str, model) -> dict[int, Obligation]:
    label = model._meta.label_lower
    found = Obligation.objects.filter(duty_code=code, subject_type=label).exclude(status__in=CLOSED_STATUSES)
    return {int(o.subject_id): o for o in found}


@requires(VIEW)
def board(request):
    actor = Actor.of(request)
    if not is_office(actor):
        raise PermissionDenied("the triage board is the national office's")
    reports = list(visible_findings(actor).annotate(files=Count("proofs")).order_by("-submitted_at")[:500])
    notify, disclose = _clocks(NOTIFY, Finding), _clocks(DISCLOSE, Finding)
    qualify = _clocks(QUALIFY, Researcher)
    columns = [
        ("To triage", [f for f in reports if f.status == Finding.Status.SUBMITTED]),
        ("Valid: notification and disclosure", [f for f in reports if f.status == Finding.Status.VALID and f.disclosed_at is None]),
        ("Disclosed", [f for f in reports if f.disclosed_at is not None]),
        ("Closed without a vulnerability", [f for f in reports if f.status not in (Finding.Status.SUBMITTED, Finding.Status.VALID)]),
    ]
    return page(
        request,
        "hack/board.html",
        {
            "columns": [(title, [(f, notify.get(f.pk), disclose.get(f.pk)) for f in rows]) for title, rows in columns],
            "applications": [
                (r, qualify.get(r.pk)) for r in Researcher.objects.filter(status=Researcher.Status.PENDING).order_by("applied_at")
            ],
            "awards": Award.objects.filter(status=Award.Status.PROPOSED).select_related("finding"),
            "assistance": Finding.objects.filter(remediations__assistance_requested_at__isnull=False).distinct(),
            "may_manage": actor.may(MANAGE),
        },
    )


@requires(MANAGE)
def application(request, pk: int):
    actor = Actor.of(request)
    found = get_object_or_404(Researcher.objects.select_related("agreed_safe_harbor", "user"), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            researchers.decide(actor, found, qualified=form.cleaned_data["decision"] == "qualify", reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{found.reference} decided.")
            return redirect("hack:board")
    clock = _clocks(QUALIFY, Researcher).get(found.pk)
    return page(request, "hack/application.html", {"r": found, "form": form, "clock": clock})


@requires(MANAGE)
def manage(request):
    actor = Actor.of(request)
    zone = viewer_zone(request)
    action = request.POST.get("action") if request.method == "POST" else None
    now = timezone.now()
    harbor_form = SafeHarborForm(request.POST if action == "harbor" else None, prefix="harbor")
    input_form = SolicitationForm(request.POST if action == "input" else None, prefix="input")
    round_form = RoundForm(
        request.POST if action == "round" else None,
        prefix="round",
        zone=zone,
        scopes=rounds.offerable(now, now + dt.timedelta(days=3650)),
    )
    try:
        if action == "harbor" and harbor_form.is_valid():
            version = participation.publish_safe_harbor(actor, **harbor_form.cleaned_data)
            messages.success(request, f"Safe harbour version {version.version} published.")
            return redirect("hack:manage")
        if action == "input" and input_form.is_valid():
            data = input_form.cleaned_data
            found = participation.solicit_input(
                actor, title=data["title"], body=data["body"], closes_at=end_of_day(data["closes_on"], national_office().time_zone)
            )
            messages.success(request, f"Input solicited from every State and local election office ({found.reference}).")
            return redirect("hack:manage")
        if action == "round" and round_form.is_valid():
            data = {**round_form.cleaned_data, "opens_at": round_form.moment("opens_at"), "closes_at": round_form.moment("closes_at")}
            found = rounds.create_round(actor, data)
            messages.success(request, f"Round {found.reference} scheduled.")
            return redirect("hack:manage")
    except ValidationError as error:
        add_service_errors({"harbor": harbor_form, "input": input_form, "round": round_form}[action], error)
    return page(
        request,
        "hack/manage.html",
        {
            "harbor": participation.current_safe_harbor(),
            "harbor_form": harbor_form,
            "input_form": input_form,
            "round_form": round_form,
            "rounds": Round.objects.annotate(n_scopes=Count("scopes", distinct=True), n_findings=Count("findings", distinct=True)),
            "solicitations": participation.input_solicitations().annotate(n=Count("comments")),
            "next_round": Obligation.objects.filter(duty_code="S2261-8d1").exclude(status__in=CLOSED_STATUSES).order_by("due_at").first(),
        },
    )
