"""Awards and what follows them: installments, the §7(h) audit reimbursement cycle, payments, the
certification and approval of remaining funds, and grantees' reports."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.calendar_rules import add_months, fiscal_year_end

from ..access import visible_applications
from ..allocation import formulas, tables
from ..allocation.money import AllocationError
from ..clocks import AUDIT_AWARD_DUTY, RESEARCH_REPORT_DUTY
from ..models import Application, Award, Payment, Program, RemainingFunds, Report
from ..permissions import APPLY, MANAGE, REVIEW
from ._shared import MAX_TEXT, _dollars, _require
from .applications import _decide, _reviewable, failing


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
