"""Engagement list and search, detail (internal or State view), record form, follow-ups, review queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from .. import queries, services
from ..access import EDIT, FOLLOW_UP, REVIEW, VIEW, VIEW_INTERNAL, Actor, get_in_scope
from ..forms import CloseFollowUpForm, EngagementForm, FollowUpForm, ListFilterForm, ResolveFlagForm
from ..models import INTERNAL_FIELDS, TEXT_FIELDS, Engagement, FollowUp


@requires(VIEW)
def engagement_list(request):
    actor = Actor.of(request)
    term = request.GET.get("q", "").strip()
    found = queries.search(actor, term) if term else queries.engagements(actor).order_by("-meeting_date", "-pk")
    filters = ListFilterForm(request.GET or None, internal=actor.may(VIEW_INTERNAL))
    found = filters.apply(found)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagements/list.html",
        {
            "page": page,
            "q": term,
            "filters": filters,
            "query": query.urlencode(),
            "internal": actor.may(VIEW_INTERNAL),
            "may_edit": actor.may(EDIT),
            "open_flags": queries.open_flags(actor).count() if actor.may(REVIEW) else None,
        },
    )


@requires(VIEW)
def engagement_detail(request, pk: int):
    actor = Actor.of(request)
    engagement = get_in_scope(actor, Engagement.objects.select_related("region", "state", "jurisdiction"), pk=pk)
    internal = actor.may(VIEW_INTERNAL)
    fields = [(Engagement._meta.get_field(n).verbose_name, engagement.text(n)) for n in TEXT_FIELDS if internal or n not in INTERNAL_FIELDS]
    return render(
        request,
        "engagements/detail.html",
        {
            "engagement": engagement,
            "fields": fields,
            "internal": internal,
            "may_edit": actor.may(EDIT),
            "may_follow_up": actor.may(FOLLOW_UP),
            "follow_ups": engagement.follow_ups.select_related("owner") if internal else [],
            "flags": engagement.flags.select_related("source_version") if internal else [],
            "versions": engagement.source_versions.select_related("batch") if internal else [],
            "follow_up_form": FollowUpForm(),
            "close_form": CloseFollowUpForm(),
        },
    )


@requires(EDIT)
def engagement_form(request, pk: int | None = None):
    actor = Actor.of(request)
    engagement = get_in_scope(actor, Engagement.objects.all(), pk=pk) if pk else None
    if request.method == "POST":
        form = EngagementForm(request.POST)
        if form.is_valid():
            try:
                points = form.cleaned_data["points_of_contact"]
                if engagement is None:
                    engagement = services.create_engagement(actor, form.values(), points)
                    messages.success(request, "Engagement recorded.")
                else:
                    services.update_engagement(actor, engagement, form.values(), points)
                    messages.success(request, "Engagement updated.")
                return redirect("engagements:detail", pk=engagement.pk)
            except ValidationError as error:
                add_service_errors(form, error)
    else:
        form = EngagementForm(initial=EngagementForm.initial_for(engagement) if engagement else {})
    return render(request, "engagements/form.html", {"form": form, "engagement": engagement})


@requires(FOLLOW_UP)
def follow_up_open(request, pk: int):
    actor = Actor.of(request)
    engagement = get_in_scope(actor, Engagement.objects.all(), pk=pk)
    form = FollowUpForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_follow_up(
                actor,
                engagement,
                form.cleaned_data["description"],
                form.cleaned_data["due_date"],
                form.cleaned_data["owner"],
                form.cleaned_data["owner_text"],
            )
            messages.success(request, "Follow-up opened; its due date is tracked as an obligation.")
            return redirect("engagements:detail", pk=pk)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "engagements/follow_up_form.html", {"form": form, "engagement": engagement})


@requires(FOLLOW_UP)
def follow_up_close(request, pk: int):
    actor = Actor.of(request)
    follow_up = get_object_or_404(actor.restrict(FollowUp.objects.all()), pk=pk)
    form = CloseFollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_follow_up(actor, follow_up, form.cleaned_data["outcome"], form.cleaned_data["note"])
            messages.success(request, "Follow-up closed.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("engagements:detail", pk=follow_up.engagement_id)


@requires(REVIEW)
def review_queue(request):
    actor = Actor.of(request)
    page = Paginator(queries.open_flags(actor).order_by("engagement__region__number", "pk"), 25).get_page(request.GET.get("page"))
    return render(request, "engagements/review.html", {"page": page, "form": ResolveFlagForm()})


@requires(REVIEW)
def review_resolve(request, pk: int):
    actor = Actor.of(request)
    flag = get_object_or_404(queries.open_flags(actor), pk=pk)
    versions = _versions_of_field(flag)
    form = ResolveFlagForm(request.POST or None, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            keep = next((v for v, _ in versions if str(v.pk) == form.cleaned_data.get("keep")), None)
            services.resolve_flag(
                actor, flag, form.cleaned_data["outcome"], form.cleaned_data["note"], form.cleaned_data["state"], keep=keep
            )
            messages.success(request, "Flag closed.")
            return redirect("engagements:review")
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "engagements/resolve.html", {"flag": flag, "form": form, "versions": versions})


def _versions_of_field(flag) -> list:
    """(version, its text of the flagged field) for a disagreement between versions of a free-text field."""
    from ..importing import TEXT_FIELDS, parse_redacted

    if flag.kind != "version_conflict" or flag.field not in TEXT_FIELDS or flag.engagement_id is None:
        return []
    found = []
    for version in flag.engagement.source_versions.select_related("batch").order_by("batch_id", "pk"):
        if flag.field in version.texts:
            found.append((version, parse_redacted(version.texts[flag.field]).internal()))
    return found if len({text for _, text in found}) > 1 else []
