"""Grant programs (S.2261 §7; H.R. 5011 §297–298; HSA §321): created with their frozen allocation
table, published with every eligible applicant's application clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.days import end_of_day
from safelect.core.directory.models import Organization
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.references import create_numbered

from ..allocation import formulas, tables
from ..allocation.money import AllocationError
from ..clocks import APPLY_DUTY, LIST_DUTY
from ..models import FORMULA_OF, STATUTES, Program
from ..permissions import MANAGE
from ._shared import _dollars, _require, national_administrator


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
