"""Public pages of Hack the Election (S.2261 §8): the program, how to take part, the rounds and
their award schedules, how fast qualification decisions are, the hall of fame and the disclosed
advisories; and the application to qualify (§8(d)(2))."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.pages import page
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import PUBLIC, allowed, requires

from . import awards, researchers
from .access import is_office, researcher_of
from .forms import ApplicationForm
from .models import Finding, Researcher, Round
from .participation import current_safe_harbor
from .permissions import DESIGNATE, MANAGE, SUBMIT, TRIAGE
from .rounds import current_or_next

APPLICATIONS_PER_HOUR = 30  # a flood of applications is refused for an hour, besides the honeypot


def _links(request) -> list[tuple[str, str]]:
    if not request.user.is_authenticated:
        return []
    pages = [
        (SUBMIT, "Your researcher portal", "hack:portal"),
        (DESIGNATE, "Your systems, designations and findings", "hack:systems"),
        (TRIAGE, "Triage board", "hack:board"),
        (MANAGE, "Rounds, safe harbour and input", "hack:manage"),
    ]
    found = [(label, reverse(name)) for permission, label, name in pages if allowed(request, permission)]
    if not allowed(request, TRIAGE) and is_office(Actor.of(request)):  # leadership: awards to approve
        found.append(("Triage board", reverse("hack:board")))
    return found


@requires(PUBLIC)
def home(request):
    now = timezone.now()
    return page(
        request,
        "hack/home.html",
        {
            "round": current_or_next(),
            "past_rounds": Round.objects.filter(closes_at__lt=now).order_by("-closes_at")[:5],
            "speed": researchers.decision_speed(),
            "hall": awards.hall_of_fame(),
            "advisories": Finding.objects.exclude(disclosed_at=None).select_related("designation__system").order_by("-disclosed_at")[:20],
            "harbor": current_safe_harbor(),
            "links": _links(request),
            "now": now,
        },
    )


@requires(PUBLIC)
def safe_harbor(request):
    return page(request, "hack/safe_harbor.html", {"harbor": current_safe_harbor()})


@requires(PUBLIC)
def apply(request):
    if request.user.is_authenticated:
        if researcher_of(Actor.of(request)) is not None:
            return redirect("hack:portal")
        messages.info(request, "You are signed in: an application creates a new account. Sign out first to apply as a researcher.")
    harbor = current_safe_harbor()
    form = ApplicationForm(request.POST or None, initial={"safe_harbor_version": harbor.version if harbor else ""})
    status = 200
    if request.method == "POST" and form.is_valid():
        if request.POST.get("website"):  # the honeypot: people do not see it, robots fill it
            messages.success(request, "Thank you: your application was received.")
            return redirect("hack:home")
        if Researcher.objects.filter(applied_at__gte=timezone.now() - timedelta(hours=1)).count() >= APPLICATIONS_PER_HOUR:
            form.add_error(None, "Too many applications arrived in the last hour. Please try again later.")
            status = 429
        else:
            try:
                found = researchers.apply({**form.cleaned_data, "password": request.POST.get("password", "")})
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Application {found.reference} received. Confirm your email address with the link just sent to it; then sign in "
                    f"with that address to follow the application. The office decides within {researchers.QUALIFY_DAYS} days.",
                )
                return redirect("accounts:sign-in")
    return page(request, "hack/apply.html", {"form": form, "harbor": harbor}, status=status)


@requires(PUBLIC)
def confirm(request, token: str):
    """The link sent to an applicant's address (no sign-in needed: having the mail is the proof)."""
    try:
        found = researchers.confirm_email(token)
    except ValidationError as error:
        return page(request, "hack/confirmed.html", {"error": error.messages[0]}, status=400)
    return page(request, "hack/confirmed.html", {"researcher": found})


@requires(PUBLIC)
def advisory(request, advisory_id: str):
    found = (
        Finding.objects.exclude(disclosed_at=None)
        .select_related("designation__system", "researcher", "round")
        .filter(advisory_id=advisory_id.upper())
        .first()
    )
    if found is None:
        raise Http404("No such advisory")
    return page(request, "hack/advisory.html", {"f": found})
