"""Application pages: the applicant's form (draft, then submit), the application with each statutory
condition's outcome and reason, the grants officer's review (findings, changes, denial, award,
scores, payments) and the grantee's reports; the review queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.web.forms import add_service_errors
from safelect.core.web.permissions import requires

from . import conditions as rules
from . import services
from .access import visible_applications
from .content import fields_for
from .forms import (
    AwardForm,
    DecisionForm,
    JudgementForm,
    NoteForm,
    PaymentForm,
    RemainingFundsForm,
    ReportForm,
    ScoreForm,
    application_form,
)
from .models import Application, Payment, RemainingFunds
from .permissions import APPLY, MANAGE, REVIEW, VIEW_APPLICATIONS
from .views import program_or_404


def _initial(application: Application | None) -> dict:
    if application is None:
        return {}
    out = {}
    for key, value in application.answers.items():
        out[key] = "yes" if value is True else "no" if value is False else value
    if application.amount_requested:
        out["amount_requested"] = application.amount_requested
    return out


@requires(APPLY)
def apply(request, pk: int):
    actor = Actor.of(request)
    program = program_or_404(actor, pk)
    org = actor.organization
    existing = Application.objects.filter(program=program, applicant=org).first() if org else None
    local = org is not None and org.kind == Organization.Kind.LOCAL_ELECTION_AGENCY
    form = application_form(
        program.statute, local=local, data=request.POST or None, initial=_initial(existing), competitive=program.kind == "competitive"
    )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            application = services.save_application(actor, program, form.cleaned_data, submit=submit)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{application.reference} " + ("submitted for review." if submit else "saved as a draft."))
            return redirect("grants:application", pk=application.pk)
    allocation = program.allocated_to(org.state.usps) if org is not None and org.state_id else None
    return render(request, "grants/apply.html", {"program": program, "form": form, "application": existing, "allocation": allocation})


def _officer_post(request, actor: Actor, application: Application):
    """One review action from the application page; returns a form with errors, or None when done."""
    action = request.POST.get("action")
    if action == "judge":
        form = JudgementForm(request.POST)
        if form.is_valid():
            services.record_judgement(
                actor, application, form.cleaned_data["code"], form.cleaned_data["outcome"], form.cleaned_data["reason"]
            )
            return None
        return form
    if action in ("changes", "deny"):
        form = NoteForm(request.POST)
        if form.is_valid():
            (services.request_changes if action == "changes" else services.deny)(actor, application, form.cleaned_data["note"])
            return None
        return form
    if action == "award":
        form = AwardForm(request.POST)
        if form.is_valid():
            services.award(
                actor,
                application,
                amount=form.cleaned_data["amount"] or None,
                payments=form.cleaned_data["payments"],
                first_due=form.cleaned_data["first_due"],
            )
            return None
        return form
    if action == "score":
        form = ScoreForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.score(
                actor,
                application,
                value=data["score"],
                conflict=data["conflict"],
                conflict_note=data["conflict_note"],
                comment=data["comment"],
            )
            return None
        return form
    if action == "paid":
        form = PaymentForm(request.POST)
        payment = Payment.objects.filter(pk=request.POST.get("payment"), award__application=application).first()
        if payment is None:
            raise Http404("No such payment")
        if form.is_valid():
            services.record_payment(actor, payment, form.cleaned_data["paid_on"])
            return None
        return form
    if action == "decide_remaining":
        form = DecisionForm(request.POST)
        found = RemainingFunds.objects.filter(pk=request.POST.get("certification"), award__application=application).first()
        if found is None:
            raise Http404("No such certification")
        if form.is_valid():
            services.decide_remaining_funds(actor, found, form.cleaned_data["approved"] == "yes", form.cleaned_data["reason"])
            return None
        return form
    raise Http404("Unknown action")


def _grantee_post(request, actor: Actor, application: Application):
    action = request.POST.get("action")
    if action not in ("report", "remaining"):
        raise PermissionDenied("only grants officers review applications")
    award = getattr(application, "award", None)
    if award is None:
        raise Http404("Not awarded")
    if action == "report":
        form = ReportForm(request.POST)
        if form.is_valid():
            services.submit_report(actor, award, form.cleaned_data["period"], form.cleaned_data["text"], form.cleaned_data["spent"])
            return None
        return form
    if action == "remaining":
        form = RemainingFundsForm(request.POST)
        if form.is_valid():
            services.certify_remaining_funds(actor, award, form.cleaned_data["certification"], form.cleaned_data["uses"])
            return None
        return form
    raise PermissionDenied("unknown action")


@requires(VIEW_APPLICATIONS)
def application_detail(request, pk: int):
    actor = Actor.of(request)
    application = actor.get_or_404(visible_applications(actor), pk=pk)
    officer = actor.may(REVIEW)
    grantee = actor.may(APPLY) and actor.organization is not None and actor.organization.pk == application.applicant_id
    failed_form = None
    if request.method == "POST":
        if not (officer or grantee):
            raise PermissionDenied("you may not change this application")
        try:
            failed_form = _officer_post(request, actor, application) if officer else _grantee_post(request, actor, application)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            if failed_form is None:
                messages.success(request, "Saved.")
                return redirect("grants:application", pk=application.pk)
    program = application.program
    checks = {c.code: c for c in application.checks.select_related("checked_by")}
    conditions = [{"condition": c, "check": checks.get(c.code), "judged": c.check is None} for c in rules.for_statute(program.statute)]
    local = application.applicant.kind == Organization.Kind.LOCAL_ELECTION_AGENCY
    answers = [{"field": f, "value": application.answers.get(f.key)} for f in fields_for(program.statute, local=local)]
    award = getattr(application, "award", None)
    reviewing = officer and application.status == Application.Status.SUBMITTED
    today = timezone.now().date()
    return render(
        request,
        "grants/application.html",
        {
            "application": application,
            "program": program,
            "answers": answers,
            "conditions": conditions,
            "failing": services.failing(application) if reviewing else [],
            "award": award,
            "officer": officer,
            "grantee": grantee,
            "reviewing": reviewing,
            "clock": services.open_clock(application),
            "failed_form": failed_form,
            "note_form": NoteForm(),
            "award_form": AwardForm(initial={"payments": 1, "first_due": today}),
            "score_form": ScoreForm() if program.kind == "competitive" else None,
            "scores": application.scores.select_related("reviewer") if officer else [],
            "report_form": ReportForm() if grantee and award else None,
            "remaining_form": RemainingFundsForm() if grantee and award and program.statute == "s2261-7" else None,
            "may_manage": actor.may(MANAGE),
            "today": today,
            "allocation": program.allocated_to(application.applicant.state.usps) if application.applicant.state_id else None,
        },
    )


@requires(REVIEW)
def review_queue(request):
    actor = Actor.of(request)
    waiting = visible_applications(actor).filter(status=Application.Status.SUBMITTED).order_by("submitted_at")
    rows = [{"application": a, "clock": services.open_clock(a)} for a in waiting]
    return render(request, "grants/review.html", {"rows": rows})
