"""Applications: answers checked against the statute's conditions, submitted on the window's clock,
reviewed (the automatic checks and the officer's judgements), sent back or denied."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.days import local_date
from safelect.core.directory.models import Organization
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.models import Obligation
from safelect.core.references import create_numbered

from .. import conditions as rules
from ..access import visible_applications
from ..allocation import tables
from ..clocks import APPLY_DUTY, REVIEW_DUTY
from ..content import APPLICANT_KINDS, fields_for
from ..models import Application, Award, ConditionCheck, Program
from ..permissions import APPLY, REVIEW
from ._shared import MAX_TEXT, _dollars, _require


def _clean_answers(program: Program, applicant: Organization, raw: dict) -> tuple[dict, dict]:
    errors, answers = {}, {}
    local = applicant.kind == Organization.Kind.LOCAL_ELECTION_AGENCY
    for field in fields_for(program.statute, local=local):
        value = raw.get(field.key)
        if field.kind == "text":
            text = str(value or "").strip()
            if len(text) > MAX_TEXT:
                errors[field.key] = f"At most {MAX_TEXT:,} characters."
            answers[field.key] = text
        elif field.kind in ("money", "count", "year"):
            answers[field.key] = _dollars(value, field.key, errors, required=False) if str(value or "").strip() else None
        elif field.kind == "yesno":
            answers[field.key] = True if value in (True, "yes", "on", "true") else False if value in (False, "no", "false") else None
        elif field.kind == "choice":
            answers[field.key] = value if value in dict(field.choices) else None
            if value and answers[field.key] is None:
                errors[field.key] = "Choose one of the options."
    return answers, errors


def _missing(program: Program, applicant: Organization, answers: dict) -> dict:
    local = applicant.kind == Organization.Kind.LOCAL_ELECTION_AGENCY
    return {
        f.key: "Required to submit." for f in fields_for(program.statute, local=local) if f.required and answers.get(f.key) in (None, "")
    }


def context_for(application: Application) -> dict:
    """What the automatic checks compare with: the frozen allocation of the applicant's State, its
    census population, the State's §7(e) amount and interim grants already made (§7(f)(5))."""
    program, applicant = application.program, application.applicant
    code = applicant.state.usps if applicant.state_id else None
    out: dict = {"allocation": program.allocated_to(code) if code else None}
    if program.statute == "s2261-7h" and code:
        population = tables.population()
        if population.quality.get(code) != "upper_bound":
            out["state_population"] = population.values.get(code)
    if program.statute == "s2261-7f" and code:
        formula_program = (
            Program.objects.filter(
                statute="s2261-7", fiscal_year=program.fiscal_year, status__in=[Program.Status.PUBLISHED, Program.Status.CLOSED]
            )
            .order_by("pk")
            .first()
        )
        out["state_formula_amount"] = formula_program.allocated_to(code) if formula_program else None
        granted = Award.objects.filter(application__program=program, application__applicant__state__usps=code).exclude(
            application=application
        )
        out["state_interim_awarded"] = granted.aggregate(total=Sum("amount"))["total"] or 0
    return out


def run_automatic_checks(application: Application, at: dt.datetime) -> list[ConditionCheck]:
    context = context_for(application)
    done = []
    for condition in rules.for_statute(application.program.statute):
        if condition.check is None:
            continue
        outcome, reason = condition.check(application, context)
        check, _ = ConditionCheck.objects.update_or_create(
            application=application,
            code=condition.code,
            defaults={"outcome": outcome, "reason": reason, "automatic": True, "checked_by": None, "checked_at": at},
        )
        done.append(check)
    return done


@transaction.atomic
def save_application(actor: Actor, program: Program, raw: dict, *, submit: bool = False) -> Application:
    """Create or update the actor's organization's application; ``submit`` sends it for review
    (every required answer given, the window open), runs the automatic checks and starts the
    review clock."""
    _require(actor, APPLY, "apply for grants")
    applicant = actor.organization
    if applicant is None:
        raise PermissionDenied("act for an organization to apply")
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.status != Program.Status.PUBLISHED:
        raise ValidationError("This program is not open for applications.")
    if applicant.kind not in APPLICANT_KINDS[program.statute]:
        raise PermissionDenied(f"a {applicant.get_kind_display().lower()} may not apply to this program")
    now = timezone.now()
    today = local_date(now, applicant.time_zone)
    if not program.opens_on <= today <= program.closes_on:
        raise ValidationError(f"The application window is {program.opens_on:%B %-d, %Y} to {program.closes_on:%B %-d, %Y}.")
    answers, errors = _clean_answers(program, applicant, raw)
    amount = _dollars(raw.get("amount_requested"), "amount_requested", errors, required=False)
    if submit:
        errors = {**_missing(program, applicant, answers), **errors}
    if errors:
        raise ValidationError(errors)
    application = Application.objects.select_for_update().filter(program=program, applicant=applicant).first()
    if application is None:
        application = create_numbered(Application, "APP", now.year, program=program, applicant=applicant, created_by=actor.user)
    elif application.status not in (Application.Status.DRAFT, Application.Status.CHANGES):
        raise ValidationError(f"This application is {application.get_status_display().lower()}; it can no longer be changed.")
    application.answers, application.amount_requested = answers, amount
    fields = ["answers", "amount_requested"]
    if submit:
        application.status, application.submitted_at = Application.Status.SUBMITTED, now
        fields += ["status", "submitted_at"]
    application.save(update_fields=fields)
    if submit:
        run_automatic_checks(application, now)
        obligations.fulfil_open(actor.vouched(), APPLY_DUTY, program, now, f"{application.reference} submitted", holder=applicant)
        obligations.open(REVIEW_DUTY, application, now, program.administrator, actor=actor.vouched())
    record(
        actor=actor.user,
        organization=applicant,
        action="grants:application:submit" if submit else "grants:application:save",
        obj=application,
        summary={"program": program.reference, "status": application.status},
    )
    return application


def _reviewable(actor: Actor, application: Application) -> Application:
    _require(actor, REVIEW, "review grant applications")
    found = visible_applications(actor).select_for_update(of=("self",)).filter(pk=application.pk).first()
    if found is None:
        raise PermissionDenied("that application is outside your scope")
    if found.status != Application.Status.SUBMITTED:
        raise ValidationError(f"The application is {found.get_status_display().lower()}, not awaiting review.")
    return found


@transaction.atomic
def record_judgement(actor: Actor, application: Application, code: str, outcome: str, reason: str) -> ConditionCheck:
    """A grants officer's finding on a judged condition ("will likely implement"), with its reason."""
    application = _reviewable(actor, application)
    condition = next((c for c in rules.for_statute(application.program.statute) if c.code == code), None)
    if condition is None:
        raise ValidationError({"code": "No such condition for this statute."})
    if condition.check is not None:
        raise ValidationError({"code": f"{condition.citation} is computed from the answers; request changes instead of overruling it."})
    if outcome not in dict(ConditionCheck.Outcome.choices):
        raise ValidationError({"outcome": "Choose met, not met or not applicable."})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the finding: it is the record that the condition was applied."})
    check, _ = ConditionCheck.objects.update_or_create(
        application=application,
        code=code,
        defaults={
            "outcome": outcome,
            "reason": reason[:MAX_TEXT],
            "automatic": False,
            "checked_by": actor.user,
            "checked_at": timezone.now(),
        },
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:application:judge",
        obj=application,
        summary={"condition": code, "outcome": outcome},
    )
    return check


def failing(application: Application) -> list[str]:
    """Each condition that stops an award, with its reason (an empty list: all met or not applicable)."""
    checks = {c.code: c for c in application.checks.all()}
    out = []
    for condition in rules.for_statute(application.program.statute):
        check = checks.get(condition.code)
        if check is None:
            out.append(f"{condition.citation}: not yet reviewed — {condition.text}.")
        elif check.outcome == ConditionCheck.Outcome.NOT_MET:
            out.append(f"{condition.citation}: not met — {check.reason}")
    return out


def _decide(actor: Actor, application: Application, status: str, note: str, action: str) -> Application:
    now = timezone.now()
    application.status, application.decided_at, application.decision_note = status, now, note[:MAX_TEXT]
    application.save(update_fields=["status", "decided_at", "decision_note"])
    obligations.fulfil_open(
        actor.vouched(), REVIEW_DUTY, application, now, f"{application.reference}: {application.get_status_display().lower()}"
    )
    record(actor=actor.user, organization=actor.organization, action=action, obj=application, summary={"status": status})
    return application


@transaction.atomic
def request_changes(actor: Actor, application: Application, note: str) -> Application:
    application = _reviewable(actor, application)
    if not (note or "").strip():
        raise ValidationError({"note": "Say what the applicant must change."})
    return _decide(actor, application, Application.Status.CHANGES, note.strip(), "grants:application:request_changes")


@transaction.atomic
def deny(actor: Actor, application: Application, reason: str) -> Application:
    application = _reviewable(actor, application)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for the denial; the applicant sees it."})
    return _decide(actor, application, Application.Status.DENIED, reason.strip(), "grants:application:deny")


def open_clock(application: Application) -> Obligation | None:
    """The review clock of an application, for the pages."""
    return (
        Obligation.objects.filter(duty_code=REVIEW_DUTY, subject_type="grants.application", subject_id=str(application.pk))
        .order_by("-opened_at")
        .first()
    )
