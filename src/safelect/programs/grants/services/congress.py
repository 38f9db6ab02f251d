"""The figures of the reports to Congress (H.R. 5011 HAVA §297D; HSA §321(b)) and the record that a
report was sent."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.models import CLOSED_STATUSES, Obligation

from ..clocks import CONGRESS_REPORT_DUTIES
from ..models import Application, Award, Payment, Program, Report
from ..permissions import MANAGE
from ._shared import _require


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
