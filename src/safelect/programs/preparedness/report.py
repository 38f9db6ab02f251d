"""The annual report to Congress on clearance assistance and risk and vulnerability assessments
(H.R. 5011 §206), generated from the records.

For the year reported on, per State: (1) §203 — the officials helped (people with a clearance
request made or advanced during the year), the clearances sponsored (requests made during the
year: the national office sponsors each; also counted by kind of person) and the temporary
clearances issued; (2) §205 — each
assessment whose request, start or §205(b)(2) notice fell in the year, with the date the request was
received, the date it commenced and the date the notice was sent. "Which States were helped" is
every State with any of these. The Commission's people are reported on their own row.

The draft is generated, reviewed on its page, downloaded (XLSX, PDF) and submitted: the submission
date is recorded and the registry's ``HR5011-206`` clock for that report is fulfilled.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import State
from safelect.core.directory.queries import national_office
from safelect.core.exports import xlsx_append
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.models import CLOSED_STATUSES, Obligation

from .models import AnnualReport, AssessmentRequest, ClearanceRequest
from .permissions import REPORT_MANAGE

DUTY = "HR5011-206"
COMMISSION = "Election Assistance Commission"
FIRST_YEAR, LAST_YEAR = 2018, 2026  # "annually thereafter through 2026"


def _in(day, year: int) -> bool:
    if day is None:
        return False
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return day.year == year


def figures(year: int) -> dict:
    """The report's figures for ``year`` (see the module docstring)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows: dict[str, dict] = {}

    def row(name: str) -> dict:
        return rows.setdefault(name, {"state": name, "officials": set(), "sponsored": 0, "temporary": 0, "by_kind": {}, "assessments": []})

    moved = Q(requested_at__date__range=(start, end))
    for field in ("forms_submitted_on", "interim_on", "final_on", "denied_on", "expired_on", "temporary_on"):
        moved |= Q(**{f"{field}__range": (start, end)})
    for request in ClearanceRequest.objects.filter(moved).select_related("state"):
        entry = row(request.state.name if request.state else COMMISSION)
        entry["officials"].add(request.person_id)
        entry["sponsored"] += _in(request.requested_at, year)
        if _in(request.requested_at, year):
            label = request.get_category_display()
            entry["by_kind"][label] = entry["by_kind"].get(label, 0) + 1
        entry["temporary"] += _in(request.temporary_on, year)
    for request in AssessmentRequest.objects.exclude(received_at=None).select_related("state", "agency").order_by("received_at"):
        if not any(_in(d, year) for d in (request.received_at, request.commenced_at, request.notice_sent_at)):
            continue
        row(request.state.name)["assessments"].append(
            {
                "reference": request.reference,
                "agency": request.agency.name,
                "received": timezone.localtime(request.received_at).date().isoformat(),
                "commenced": timezone.localtime(request.commenced_at).date().isoformat() if request.commenced_at else "",
                "notice": timezone.localtime(request.notice_sent_at).date().isoformat() if request.notice_sent_at else "",
            }
        )
    order = {s.name: n for n, s in enumerate(State.objects.order_by("name"))}
    states = sorted(rows.values(), key=lambda r: order.get(r["state"], len(order)))
    for entry in states:
        entry["officials"] = len(entry["officials"])
    return {
        "year": year,
        "states": states,
        "totals": {
            "states_helped": len(states),
            "officials": sum(r["officials"] for r in states),
            "sponsored": sum(r["sponsored"] for r in states),
            "temporary": sum(r["temporary"] for r in states),
            "assessments": sum(len(r["assessments"]) for r in states),
        },
    }


@transaction.atomic
def draft(actor: Actor, year: int) -> AnnualReport:
    """Generate (or regenerate, until submitted) the report on ``year``."""
    actor.require(REPORT_MANAGE)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": f"§206 reports cover {FIRST_YEAR} to {LAST_YEAR}."})
    if year > timezone.localdate().year:
        raise ValidationError({"year": "A report covers a year that has begun."})
    report, _ = AnnualReport.objects.select_for_update().get_or_create(year=year, defaults={"figures": {}})
    if report.submitted_at is not None:
        raise ValidationError("This report is submitted; it no longer changes.")
    report.figures, report.reviewed_by = figures(year), None
    report.save(update_fields=["figures", "reviewed_by"])
    record(
        actor=actor.user, organization=actor.organization, action="preparedness:report:draft", obj=report, summary=report.figures["totals"]
    )
    return report


@transaction.atomic
def submit(actor: Actor, report: AnnualReport) -> AnnualReport:
    """Record the submission to the four committees and fulfil the §206 clock due first."""
    actor.require(REPORT_MANAGE)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.submitted_at is not None:
        raise ValidationError("This report is already submitted.")
    if report.figures != figures(report.year):
        raise ValidationError("The records changed since this draft: generate it again and review it before submitting.")
    now = timezone.now()
    report.submitted_at, report.reviewed_by = now, actor.user
    report.save(update_fields=["submitted_at", "reviewed_by"])
    first = (
        Obligation.objects.filter(duty_code=DUTY, holder=national_office()).exclude(status__in=CLOSED_STATUSES).order_by("due_at").first()
    )
    if first is not None:
        obligations.fulfil(actor.vouched(), first, now, f"§206 report on {report.year} submitted")
    record(
        actor=actor.user, organization=actor.organization, action="preparedness:report:submit", obj=report, summary={"year": report.year}
    )
    return report


HEADER = [
    "State",
    "Officials helped (§203)",
    "Clearances sponsored",
    "Temporary clearances issued",
    "Assessments (§205)",
    "Sponsored by kind",
]
ASSESSMENT_HEADER = ["State", "Assessment", "Agency", "Request received", "Commenced", "Notice sent (§205(b)(2))"]


def xlsx(report: AnnualReport) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Section 203 and 205"
    xlsx_append(sheet, [f"H.R. 5011 §206 report on {report.year}"])
    xlsx_append(sheet, HEADER)
    for entry in report.figures["states"]:
        kinds = "; ".join(f"{label}: {n}" for label, n in sorted(entry["by_kind"].items()))
        xlsx_append(sheet, [entry["state"], entry["officials"], entry["sponsored"], entry["temporary"], len(entry["assessments"]), kinds])
    totals = report.figures["totals"]
    xlsx_append(sheet, ["All States", totals["officials"], totals["sponsored"], totals["temporary"], totals["assessments"]])
    dates = book.create_sheet("Assessments")
    xlsx_append(dates, ASSESSMENT_HEADER)
    for entry in report.figures["states"]:
        for a in entry["assessments"]:
            xlsx_append(dates, [entry["state"], a["reference"], a["agency"], a["received"], a["commenced"], a["notice"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(report: AnnualReport) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("preparedness/report_pdf.html", {"report": report, "figures": report.figures, "printed": timezone.now()})
    return HTML(string=html).write_pdf()
