"""Grant writes (S.2261 §7; H.R. 5011 §297–298; HSA §321). Each is one transaction with its journal
entry and its clocks; each checks the actor's permission and object scope itself. Refusals are
``PermissionDenied`` (who) or ``ValidationError`` naming the field (what); nothing is half-written.

Money is whole dollars (integers) everywhere. An allocation is computed by the pure formulas of
:mod:`.allocation` and frozen into the program when it is published; awards of a formula program
take the applicant State's line of that frozen table.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.days import end_of_day, local_date
from safelect.core.directory.models import Organization
from safelect.core.directory.queries import national_office
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.calendar_rules import add_months, fiscal_year_end
from safelect.core.obligations.models import CLOSED_STATUSES, Obligation
from safelect.core.references import create_numbered

from . import conditions as rules
from .access import visible_applications
from .allocation import formulas, tables
from .allocation.money import AllocationError
from .clocks import APPLY_DUTY, AUDIT_AWARD_DUTY, CONGRESS_REPORT_DUTIES, LIST_DUTY, RESEARCH_REPORT_DUTY, REVIEW_DUTY
from .content import APPLICANT_KINDS, fields_for
from .models import FORMULA_OF, STATUTES, Application, Award, ConditionCheck, Payment, Program, Provider, RemainingFunds, Report, Score
from .permissions import APPLY, MANAGE, REVIEW

MAX_TEXT = 20_000
MAX_DOLLARS = 10**12
CRITERIA = {
    "hr5011-297b": [
        ("A", "HAVA §297B(b)(2)(A)", "Owned and controlled by a citizen or permanent resident of the United States"),
        ("B", "HAVA §297B(b)(2)(B)", "Discloses any sourcing outside the United States for parts of the election infrastructure"),
        (
            "C",
            "HAVA §297B(b)(2)(C)",
            "Develops and maintains the election infrastructure consistently with the cybersecurity best practices",
        ),
        ("D", "HAVA §297B(b)(2)(D)", "Maintains its own information technology consistently with those best practices"),
        (
            "E",
            "HAVA §297B(b)(2)(E)",
            "Reports known or suspected security incidents to the chief State election official, the Chairman and the Secretary",
        ),
    ],
    "s2261-7d": [
        (
            "qualified",
            "S.2261 §7(d)(1)",
            "Qualified by GSA, through a competitive process, to help States identify, protect, detect, respond and recover",
        ),
        ("vehicle", "S.2261 §7(d)(2)–(3)", "Reachable through a contract vehicle that lets a State add its own funds"),
    ],
}


def _require(actor: Actor, permission: str, what: str) -> None:
    if not actor.may(permission):
        raise PermissionDenied(f"you may not {what}")


def _dollars(value, field: str, errors: dict, *, required: bool = True) -> int:
    text = str(value if value is not None else "").strip().replace(",", "").replace("$", "")
    if not text:
        if required:
            errors[field] = "Give an amount in whole dollars."
        return 0
    if not text.isdigit():
        errors[field] = "Whole dollars, with no cents or signs (e.g. 386000000)."
        return 0
    if int(text) > MAX_DOLLARS:
        errors[field] = "That is more than any appropriation."
        return 0
    return int(text)


def national_administrator(statute: str) -> Organization:
    """Who administers a statute's grants: the Election Assistance Commission for HAVA parts 7 and 8
    (H.R. 5011 §101, §111: "the Commission shall make a grant"); the national office (the Secretary's
    component of S.2261 §7(a)(1), and HSA §321) for the others."""
    if statute.startswith("hr5011"):
        found = Organization.objects.filter(kind=Organization.Kind.EAC).order_by("pk").first()
        if found is not None:
            return found
    return national_office()


# --- programs ------------------------------------------------------------------------------------


def compute_allocation(statute: str, appropriation: int, *, input_path: Path | str | None = None) -> dict | None:
    """The allocation table of a formula statute (JSON of :class:`.allocation.formulas.Allocation`).
    §7(g) needs its input (the votes on ineligible systems); §7(h) is split among its applicants when
    they are awarded (:func:`settle_audit_claims`); competitive programs have none."""
    formula = FORMULA_OF.get(statute)
    if formula is None or formula == "s2261-7h":
        return None
    if formula == "s2261-7e":
        return formulas.s2261_7e(appropriation).as_json()
    if formula == "hr5011-297":
        return formulas.hr5011_297(appropriation).as_json()
    if input_path is None:
        raise ValidationError(
            {
                "input_file": "A §7(g) program needs the votes on ineligible systems per State (CSV: state_abbr, votes_ineligible, votes_total)."
            }
        )
    return formulas.s2261_7g(appropriation, tables.claims(input_path, ("votes_ineligible", "votes_total"))).as_json()


@transaction.atomic
def create_program(actor: Actor, values: dict, *, input_path: Path | str | None = None) -> Program:
    """A draft program. For a formula statute the allocation is computed now (shown as a preview) and
    frozen when published."""
    _require(actor, MANAGE, "create grant programs")
    errors: dict = {}
    title = (values.get("title") or "").strip()
    if not title or len(title) > 200:
        errors["title"] = "Give a title of at most 200 characters."
    statute = values.get("statute") or ""
    if statute not in dict(STATUTES):
        errors["statute"] = "Choose the statute the program carries out."
    try:
        year = int(values.get("fiscal_year") or 0)
    except (TypeError, ValueError):
        year = 0
    if not 2018 <= year <= 2100:
        errors["fiscal_year"] = "Give the fiscal year, e.g. 2027."
    appropriation = _dollars(values.get("appropriation"), "appropriation", errors)
    opens, closes = values.get("opens_on"), values.get("closes_on")
    if not isinstance(opens, dt.date) or not isinstance(closes, dt.date):
        errors["closes_on"] = "Give the dates the application window opens and closes."
    elif closes < opens:
        errors["closes_on"] = "The window cannot close before it opens."
    if errors:
        raise ValidationError(errors)
    try:
        allocation = compute_allocation(statute, appropriation, input_path=input_path)
    except (AllocationError, tables.TableError) as exc:
        raise ValidationError({"input_file" if statute == "s2261-7g" else "appropriation": str(exc)}) from None
    program = create_numbered(
        Program,
        "GRT",
        timezone.now().year,
        title=title,
        statute=statute,
        fiscal_year=year,
        appropriation=appropriation,
        kind=Program.Kind.FORMULA if statute in FORMULA_OF else Program.Kind.COMPETITIVE,
        administrator=national_administrator(statute),
        opens_on=opens,
        closes_on=closes,
        allocation=allocation,
        population_source=", ".join(f"{k}: {v}" for k, v in ((allocation or {}).get("inputs") or {}).items()),
        created_by=actor.user,
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:program:create",
        obj=program,
        summary={"statute": statute, "appropriation": appropriation},
    )
    return program


def _window_end(program: Program, holder: Organization) -> dt.datetime:
    return end_of_day(program.closes_on, holder.time_zone)


@transaction.atomic
def publish(actor: Actor, program: Program) -> Program:
    """Open the program: its allocation is frozen as it is; each State with a line in a formula
    program's table gets its application clock (due when the window closes); publishing a §7(g)
    program is the §7(g)(2) list of designated States."""
    _require(actor, MANAGE, "publish grant programs")
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.status != Program.Status.DRAFT:
        raise ValidationError("This program is already published.")
    now = timezone.now()
    program.status, program.published_at = Program.Status.PUBLISHED, now
    program.save(update_fields=["status", "published_at"])
    if program.kind == Program.Kind.FORMULA and program.allocation:
        codes = [line["state"] for line in program.allocation["allocations"]]
        for office in Organization.objects.filter(kind=Organization.Kind.STATE_ELECTION_OFFICE, state__usps__in=codes).select_related(
            "state"
        ):
            obligations.open(APPLY_DUTY, program, now, office, actor=actor.vouched(), due_at=max(_window_end(program, office), now))
    if program.statute == "s2261-7g":
        office = program.administrator
        obligations.open(LIST_DUTY, None, None, office, actor=actor.vouched())
        obligations.fulfil_open(
            actor.vouched(), LIST_DUTY, None, now, f"{program.reference}: list of designated States published", holder=office
        )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:program:publish",
        obj=program,
        summary={
            "allocation_total": (program.allocation or {}).get("total"),
            "states": len((program.allocation or {}).get("allocations", [])),
        },
    )
    return program


# --- applications --------------------------------------------------------------------------------


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


def installments(amount: int, count: int, first_due: dt.date, months_apart: int = 3) -> list[tuple[int, dt.date, int]]:
    """(number, due date, whole dollars): equal parts, the odd dollars on the first payments."""
    base, extra = divmod(amount, count)
    return [(n + 1, add_months(first_due, n * months_apart), base + (1 if n < extra else 0)) for n in range(count)]


@transaction.atomic
def award(
    actor: Actor, application: Application, *, amount: int | None = None, payments: int = 1, first_due: dt.date | None = None
) -> Award:
    """Award the grant, only when every statutory condition is met or not applicable (each failing one
    is named). A formula program awards the applicant State's frozen allocation; the others an amount
    the officer gives, within what is left of the appropriation."""
    application = _reviewable(actor, application)
    problems = failing(application)
    if problems:
        raise ValidationError({"__all__": ["The application cannot be awarded:", *problems]})
    program = application.program
    code = application.applicant.state.usps if application.applicant.state_id else None
    if program.statute == "s2261-7h":
        settled = program.allocation or {}
        line = next((a for a in settled.get("allocations", []) if a.get("applicant") == application.reference), None)
        if line is None:
            raise ValidationError("Split the §7(h) pool among this cycle's applicants first (award them together).")
        amount = line["amount"]
    elif program.kind == Program.Kind.FORMULA:  # §7(f) interim grants are not a formula: the officer gives the amount
        allocated = program.allocated_to(code) if code else None
        if allocated is None:
            raise ValidationError("The applicant's State has no line in this program's allocation.")
        amount = allocated
    else:
        errors: dict = {}
        amount = _dollars(amount, "amount", errors)
        if errors or amount <= 0:
            raise ValidationError(errors or {"amount": "Give the amount awarded."})
    awarded = Award.objects.filter(application__program=program).aggregate(total=Sum("amount"))["total"] or 0
    if awarded + amount > program.appropriation:
        raise ValidationError({"amount": f"Only ${program.appropriation - awarded:,} of the appropriation is left."})
    if not 1 <= int(payments) <= 12:
        raise ValidationError({"payments": "Between 1 and 12 payments."})
    now = timezone.now()
    withheld = int(application.answers.get("withheld_amount") or 0) if application.answers.get("state_law_conflicts") else 0
    grant = Award.objects.create(
        application=application, amount=amount, awarded_at=now, awarded_by=actor.user, withheld=min(withheld, amount)
    )
    for number, due, part in installments(amount, int(payments), first_due or now.date()):
        Payment.objects.create(award=grant, number=number, due_on=due, amount=part)
    _decide(actor, application, Application.Status.AWARDED, "", "grants:application:award")
    if program.statute == "hsa-321":  # §321(b): a report for each fiscal year in which grants were awarded
        obligations.open(RESEARCH_REPORT_DUTY, None, fiscal_year_end(program.fiscal_year), program.administrator, actor=actor.vouched())
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:award:create",
        obj=application,
        summary={"amount": amount, "payments": int(payments)},
    )
    return grant


@transaction.atomic
def settle_audit_claims(actor: Actor, program: Program) -> dict:
    """S.2261 §7(h)(4): split the pool among this cycle's submitted applications whose conditions are
    all met — the claims in full when the pool suffices, otherwise in proportion to the ballots above
    the 5 % line — and freeze the split; then each is awarded its line."""
    _require(actor, MANAGE, "settle audit claims")
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.statute != "s2261-7h":
        raise ValidationError("Only a §7(h) program splits its pool among claims.")
    ready = [a for a in visible_applications(actor).filter(program=program, status=Application.Status.SUBMITTED) if not failing(a)]
    if not ready:
        raise ValidationError("No submitted application has all its conditions met.")
    population = tables.population()
    claims = []
    for n, app in enumerate(ready, start=1):
        code = app.applicant.state.usps
        claims.append(
            {
                "state": code,
                "applicant": app.reference,
                "row": n,
                "ballots_inspected": int(app.answers.get("ballots_inspected") or 0),
                "claimed_expenses": int(app.answers.get("claimed_expenses") or 0),
                "voting_age_population": app.answers.get("voting_age_population") or population.values.get(code),
            }
        )
    try:
        program.allocation = formulas.s2261_7h(program.appropriation, claims, population).as_json()
    except AllocationError as exc:
        raise ValidationError(str(exc)) from None
    program.save(update_fields=["allocation"])
    record(
        actor=actor.user, organization=actor.organization, action="grants:program:settle", obj=program, summary={"applications": len(ready)}
    )
    return program.allocation


def award_audit_cycle(actor: Actor, program: Program, payments: int = 1) -> list[Award]:
    """Settle and award every ready §7(h) application together, fulfilling the §7(h)(4) award date."""
    with transaction.atomic():
        settled = settle_audit_claims(actor, program)
        made = []
        for line in settled["allocations"]:
            application = Application.objects.get(reference=line["applicant"])
            made.append(award(actor, application, payments=payments))
        obligations.fulfil_open(actor.vouched(), AUDIT_AWARD_DUTY, None, timezone.now(), f"{program.reference}: audit grants awarded")
    return made


@transaction.atomic
def record_payment(actor: Actor, payment: Payment, paid_on: dt.date) -> Payment:
    _require(actor, MANAGE, "record payments")
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.paid_on is not None:
        raise ValidationError("This payment is already recorded as paid.")
    if paid_on > timezone.now().date():
        raise ValidationError({"paid_on": "A payment cannot be recorded in the future."})
    payment.paid_on = paid_on
    payment.save(update_fields=["paid_on"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:payment:paid",
        obj=payment.award.application,
        summary={"payment": payment.number, "amount": payment.amount},
    )
    return payment


def _own_award(actor: Actor, award_: Award) -> Award:
    _require(actor, APPLY, "act for a grantee")
    if actor.organization is None or award_.application.applicant_id != actor.organization.pk:
        raise PermissionDenied("only the grantee may do this")
    return award_


@transaction.atomic
def certify_remaining_funds(actor: Actor, award_: Award, certification: str, uses: str) -> RemainingFunds:
    """S.2261 §7(c)(2)(A): the State election official certifies that the State's election agencies
    have implemented the guidelines and proposes other election-administration uses."""
    award_ = _own_award(actor, award_)
    if award_.application.program.statute != "s2261-7":
        raise ValidationError("Remaining-funds certifications belong to S.2261 §7 grants.")
    if not (certification or "").strip() or not (uses or "").strip():
        raise ValidationError({"certification": "Give the certification and the uses proposed."})
    found = RemainingFunds.objects.create(
        award=award_,
        certification=certification.strip()[:MAX_TEXT],
        uses=uses.strip()[:MAX_TEXT],
        certified_by=actor.user,
        certified_at=timezone.now(),
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:remaining_funds:certify",
        obj=award_.application,
        summary={"certification": found.pk},
    )
    return found


@transaction.atomic
def decide_remaining_funds(actor: Actor, found: RemainingFunds, approved: bool, reason: str) -> RemainingFunds:
    """S.2261 §7(c)(2)(B): the Secretary's approval (or not) of the uses, with the reason."""
    _require(actor, REVIEW, "decide on remaining funds")
    found = RemainingFunds.objects.select_for_update().get(pk=found.pk)
    if found.approved is not None:
        raise ValidationError("Already decided.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason."})
    found.approved, found.decided_by, found.decided_at, found.decision_reason = bool(approved), actor.user, timezone.now(), reason.strip()
    found.save(update_fields=["approved", "decided_by", "decided_at", "decision_reason"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:remaining_funds:decide",
        obj=found.award.application,
        summary={"approved": bool(approved)},
    )
    return found


@transaction.atomic
def submit_report(actor: Actor, award_: Award, period: str, text: str, spent) -> Report:
    """The grantee's report on what the grant did (for research grants: its impact)."""
    award_ = _own_award(actor, award_)
    errors: dict = {}
    spent_dollars = _dollars(spent, "spent", errors)
    if not (period or "").strip():
        errors["period"] = "Name the period, e.g. FY2027."
    if not (text or "").strip():
        errors["text"] = "Say what was done with the money."
    if spent_dollars > award_.amount:
        errors["spent"] = f"More than the ${award_.amount:,} awarded."
    if errors:
        raise ValidationError(errors)
    report = Report.objects.create(
        award=award_,
        period=period.strip()[:40],
        text=text.strip()[:MAX_TEXT],
        spent=spent_dollars,
        submitted_at=timezone.now(),
        submitted_by=actor.user,
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:report:submit",
        obj=award_.application,
        summary={"period": report.period, "spent": spent_dollars},
    )
    return report


# --- competitive review --------------------------------------------------------------------------


@transaction.atomic
def score(
    actor: Actor, application: Application, *, value: int | None, conflict: bool, conflict_note: str = "", comment: str = ""
) -> Score:
    """A reviewer's score (0–100) of a competitive application, or a declared conflict of interest
    (then no score, and the reviewer's view does not count in the ranking)."""
    application = _reviewable(actor, application)
    if application.program.kind != Program.Kind.COMPETITIVE:
        raise ValidationError("Only competitive programs are scored.")
    if conflict:
        if not (conflict_note or "").strip():
            raise ValidationError({"conflict_note": "Describe the conflict of interest."})
        value = None
    elif value is None or not 0 <= int(value) <= 100:
        raise ValidationError({"score": "A score from 0 to 100, or declare a conflict of interest."})
    found, _ = Score.objects.update_or_create(
        application=application,
        reviewer=actor.user,
        defaults={
            "score": value,
            "conflict": bool(conflict),
            "conflict_note": (conflict_note or "").strip()[:2000],
            "comment": (comment or "").strip()[:MAX_TEXT],
            "scored_at": timezone.now(),
        },
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:application:score",
        obj=application,
        summary={"conflict": bool(conflict)},
    )
    return found


def ranking(program: Program) -> list[dict]:
    """Competitive applications by mean score of reviewers without a conflict (unscored last)."""
    rows = []
    for app in program.applications.exclude(status=Application.Status.DRAFT).select_related("applicant"):
        counted = [s.score for s in app.scores.all() if not s.conflict and s.score is not None]
        rows.append(
            {
                "application": app,
                "mean": round(sum(counted) / len(counted), 1) if counted else None,
                "reviews": len(counted),
                "conflicts": sum(1 for s in app.scores.all() if s.conflict),
            }
        )
    return sorted(rows, key=lambda r: (r["mean"] is None, -(r["mean"] or 0), r["application"].reference))


# --- providers -----------------------------------------------------------------------------------


@transaction.atomic
def save_provider(actor: Actor, values: dict, provider: Provider | None = None) -> Provider:
    """A provider on one of the two lists, with each criterion met or not and its evidence."""
    _require(actor, MANAGE, "keep the provider lists")
    listing = values.get("listing") or (provider.listing if provider else "")
    if listing not in CRITERIA:
        raise ValidationError({"listing": "Choose the list."})
    name = (values.get("name") or "").strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": "Give the provider's name (at most 200 characters)."})
    criteria = {}
    for code, _citation, _text in CRITERIA[listing]:
        met = values.get(f"met_{code}") in (True, "on", "yes", "true")
        evidence = (values.get(f"evidence_{code}") or "").strip()[:2000]
        if met and not evidence:
            raise ValidationError({f"evidence_{code}": "Say what shows the criterion is met."})
        criteria[code] = {"met": met, "evidence": evidence}
    provider = provider or Provider(listing=listing)
    provider.name, provider.services, provider.contract_vehicle, provider.criteria = (
        name,
        (values.get("services") or "").strip()[:MAX_TEXT],
        (values.get("contract_vehicle") or "").strip()[:200],
        criteria,
    )
    provider.save()
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:provider:save",
        obj=provider,
        summary={"listing": listing, "met": sum(c["met"] for c in criteria.values())},
    )
    return provider


@transaction.atomic
def publish_provider(actor: Actor, provider: Provider) -> Provider:
    """Publish to State election officials (S.2261 §7(d)(4)); a vendor only with every criterion met."""
    _require(actor, MANAGE, "publish the provider lists")
    unmet = [code for code, c in provider.criteria.items() if not c.get("met")]
    if unmet:
        raise ValidationError(f"Not every criterion is met ({', '.join(unmet)}); the provider cannot be listed.")
    provider.published_at = timezone.now()
    provider.save(update_fields=["published_at"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:provider:publish",
        obj=provider,
        summary={"listing": provider.listing},
    )
    return provider


def fiscal_year_summary(fiscal_year: int) -> list[dict]:
    """What the reports to Congress count for a fiscal year (H.R. 5011 HAVA §297D; HSA §321(b)):
    per program, the appropriation, the applications by status, the amounts awarded and paid, and
    the grantees' own reports."""
    rows = []
    for program in Program.objects.filter(fiscal_year=fiscal_year).exclude(status=Program.Status.DRAFT).order_by("statute", "pk"):
        awards = Award.objects.filter(application__program=program).select_related("application__applicant")
        paid = (
            Payment.objects.filter(award__application__program=program, paid_on__isnull=False).aggregate(total=Sum("amount"))["total"] or 0
        )
        statuses = {
            label: program.applications.filter(status=code).count() for code, label in Application.Status.choices if code != "draft"
        }
        rows.append(
            {
                "program": program,
                "statuses": statuses,
                "awarded": sum(a.amount for a in awards),
                "paid": paid,
                "grantees": [(a.application.applicant.name, a.amount) for a in awards],
                "reports": Report.objects.filter(award__application__program=program).select_related("award__application__applicant"),
            }
        )
    return rows


@transaction.atomic
def record_congress_report(actor: Actor, fiscal_year: int, duty: str, at: dt.datetime | None = None) -> list[Obligation]:
    """Record that the fiscal year's report to Congress was submitted: fulfils the open clock of
    ``duty`` (HAVA §297D, the EAC's; HSA §321(b), the Secretary's) for that year."""
    _require(actor, MANAGE, "record reports to Congress")
    if duty not in CONGRESS_REPORT_DUTIES:
        raise ValidationError({"duty": "Choose one of the grant reports to Congress."})
    at = at or timezone.now()
    cycle = f"FY{fiscal_year}"
    clocks = Obligation.objects.filter(duty_code=duty, cycle=cycle).exclude(status__in=CLOSED_STATUSES)
    if not clocks.exists():
        raise ValidationError(f"No open {CONGRESS_REPORT_DUTIES[duty]} clock for {cycle}.")
    try:
        done = [obligations.fulfil(actor.vouched(), clock, at, f"{CONGRESS_REPORT_DUTIES[duty]} for {cycle} submitted") for clock in clocks]
    except obligations.ObligationError as exc:
        raise ValidationError(f"Not recorded: {exc} (the report covers a fiscal year that has not ended).") from None
    record(
        actor=actor.user,
        organization=actor.organization,
        action="grants:congress_report:submit",
        summary={"duty": duty, "fiscal_year": fiscal_year},
    )
    return done


def open_clock(application: Application) -> Obligation | None:
    """The review clock of an application, for the pages."""
    return (
        Obligation.objects.filter(duty_code=REVIEW_DUTY, subject_type="grants.application", subject_id=str(application.pk))
        .order_by("-opened_at")
        .first()
    )
