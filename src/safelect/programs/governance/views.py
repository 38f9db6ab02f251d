"""The public governance pages and the guidelines' pages: the document viewer with its public comment
form, the versions and their differences; for the secretariat and the Secretary, the steps of the
lifecycle on the same page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.comments.views_public import published_context, receive
from safelect.core.directory.pages import page
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import PUBLIC, allowed, requires

from . import bodies, guidelines, plan, reports
from .forms import ConsultationForm, VersionForm, format_sections, parse_sections
from .models import Body, GuidelineVersion, Report
from .permissions import MANAGE, SECRETARY

Status = GuidelineVersion.Status


@requires(PUBLIC)
def home(request):
    strategy_plan = Report.objects.filter(kind="implementation-plan").order_by("-created_at").first()
    visible_plan = strategy_plan if strategy_plan and (strategy_plan.is_public or allowed(request, MANAGE)) else None
    return page(
        request,
        "governance/home.html",
        {
            "current": guidelines.current(),
            "in_comment": GuidelineVersion.objects.filter(status=Status.COMMENT).first(),
            "bodies": [(b, bodies.status(b)) for b in Body.objects.all()],
            "register": reports.register(),
            "plan": visible_plan,
            "progress": plan.progress_by_objective(visible_plan) if visible_plan else [],
            "manage": allowed(request, MANAGE),
        },
    )


@requires(PUBLIC)
def guideline_list(request):
    manage = allowed(request, MANAGE)
    versions = GuidelineVersion.objects.all() if manage else GuidelineVersion.objects.exclude(status=Status.DRAFT)
    form = None
    if manage:
        form = VersionForm(request.POST or None, prefix="new")
        if request.method == "POST" and form.is_valid():
            try:
                found = guidelines.draft(
                    Actor.of(request),
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    sections=parse_sections(form.cleaned_data["sections"]),
                    factors=form.factors(),
                    cycle=form.cleaned_data["cycle"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Version {found.number} drafted.")
                return redirect("governance:guideline", number=found.number)
    elif request.method == "POST":
        raise PermissionDenied("you may not draft guidelines")
    return page(request, "governance/guidelines.html", {"versions": versions, "form": form, "current": guidelines.current()})


def _version_or_404(request, number: int) -> GuidelineVersion:
    found = GuidelineVersion.objects.select_related("solicitation").filter(number=number).first()
    if found is None or (not guidelines.is_public(found) and not allowed(request, MANAGE)):
        raise Http404("No such version")
    return found


STEPS = {
    "open-comment": (
        MANAGE,
        lambda actor, v, post: guidelines.open_comment(actor, v, federal_register=post.get("federal_register", "")),
        "The 45-day public comment period is open.",
    ),
    "close-comment": (
        MANAGE,
        lambda actor, v, post: guidelines.close_comment(actor, v),
        "The comment period is closed: consider the comments.",
    ),
    "submit-secretary": (
        MANAGE,
        lambda actor, v, post: guidelines.submit_to_secretary(actor, v),
        "Submitted to the Secretary: the 14 days of S.2261 §5(i) run.",
    ),
    "send-congress": (
        SECRETARY,
        lambda actor, v, post: guidelines.send_to_congress(
            actor, v, modified=post.get("modified") == "yes", justification=post.get("justification", "")
        ),
        "Sent to the appropriate congressional committees.",
    ),
    "publish": (
        SECRETARY,
        lambda actor, v, post: guidelines.distribute_and_publish(actor, v),
        "Distributed to every election agency and published.",
    ),
}


@requires(PUBLIC)
def guideline(request, number: int):
    version = _version_or_404(request, number)
    actor = Actor.of(request)
    manage, secretary = allowed(request, MANAGE), allowed(request, SECRETARY)
    errors, posted, status = {}, {}, 200
    edit = (
        VersionForm(
            request.POST if request.POST.get("action") == "revise" else None,
            prefix="edit",
            initial={
                "title": version.title,
                "cycle": version.cycle,
                "summary": version.summary,
                "sections": format_sections(version.sections),
            }
            | {f"factor_{k}": v for k, v in version.factors.items()},
        )
        if manage and version.status in (Status.DRAFT, Status.REVISION)
        else None
    )
    if edit is not None:  # the title and the cycle are fixed when the version is drafted
        del edit.fields["title"], edit.fields["cycle"]
    consult = ConsultationForm(request.POST if request.POST.get("action") == "consult" else None, prefix="consult") if manage else None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "comment":
            if version.status != Status.COMMENT or version.solicitation is None:
                raise Http404("No comment period")
            received, errors, status = receive(request, version.solicitation)
            if received:
                return redirect("governance:guideline", number=number)
            posted = request.POST
        elif action in STEPS:
            permission, step, done = STEPS[action]
            if not allowed(request, permission):
                raise PermissionDenied("you may not take this step")
            try:
                step(actor, version, request.POST)
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
            else:
                messages.success(request, done)
            return redirect("governance:guideline", number=number)
        elif action == "revise" and edit is not None:
            if edit.is_valid():
                try:
                    guidelines.revise(
                        actor,
                        version,
                        summary=edit.cleaned_data["summary"],
                        sections=parse_sections(edit.cleaned_data["sections"]),
                        factors=edit.factors(),
                    )
                except ValidationError as error:
                    add_service_errors(edit, error)
                else:
                    messages.success(request, "The text is saved.")
                    return redirect("governance:guideline", number=number)
        elif action == "consult" and consult is not None:
            if consult.is_valid():
                try:
                    guidelines.consult(actor, version, **consult.cleaned_data)
                except ValidationError as error:
                    add_service_errors(consult, error)
                else:
                    messages.success(request, "Consultation recorded.")
                    return redirect("governance:guideline", number=number)
        else:
            raise PermissionDenied("you may not do that here")
        status = status if status != 200 else 422
    previous = GuidelineVersion.objects.filter(number__lt=version.number).order_by("-number").first()
    context = {
        "v": version,
        "coverage": guidelines.coverage(version),
        "factors": [(cite, words, version.factors.get(cite, "")) for cite, words in guidelines.FACTORS.items()],
        "consultations": guidelines.consultation_checklist(version),
        "considered": guidelines.comments_to_consider(version),
        "previous": previous,
        "manage": manage,
        "secretary": secretary,
        "edit": edit,
        "consult": consult,
        "errors": errors,
        "posted": posted,
        "now": timezone.now(),
        "clock": guidelines.clocks.still_open(guidelines.clocks.TO_CONGRESS, version).first(),
    }
    if version.solicitation is not None:
        context.update(published_context(version.solicitation))
    return page(request, "governance/guideline.html", context, status=status)


@requires(PUBLIC)
def guideline_diff(request, number: int):
    version = _version_or_404(request, number)
    previous = GuidelineVersion.objects.filter(number__lt=version.number).order_by("-number").first()
    if previous is None:
        raise Http404("The first version has nothing to compare with")
    return page(request, "governance/diff.html", {"v": version, "previous": previous, "lines": guidelines.diff(previous, version)})
