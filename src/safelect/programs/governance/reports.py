"""Reports to Congress drafted in safelect: start, write, review, approve, submit, publish.

    drafting ──send_for_review──▶ in_review ──review(approve)──▶ approved ──submit──▶ submitted
                 ◀──review(return, with a note)──┘

* A report starts against its clock: the open obligation of its duty in the registry (the earliest
  open one; for enactment-counted duties it is opened if the sweep has not yet). Kinds the statute
  gives no deadline (§5(c), §302(j)(1)) have none.
* Its sections come from the catalog (each citing the provision that asks for it); generated sections
  are computed from the data when the report is started, refreshed until it is approved, and frozen
  at approval.
* The foreign-threats report solicits the State election agencies' comments when it starts (§6(a)(2),
  through the kernel's comment mechanism, closing with the report's clock).
* Drafting is staff's; review, approval and submission are leadership's (acting for the Secretary),
  and the approver is never the person who started the report.
* Submission resolves the recipients from the congress data (refused if the data lacks one) and
  fulfils the clock; issuing the strategy starts the implementation plan's 90 days (§301(c)).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.comments import services as comments
from safelect.core.journal.services import record
from safelect.core.obligations import services as obligations
from safelect.core.obligations.models import CLOSED_STATUSES, Obligation
from safelect.core.obligations.registry import get as get_duty
from safelect.core.references import create_numbered

from . import catalog, clocks, figures
from .models import Report
from .permissions import APPROVE, DRAFT
from .recipients import resolve

Status = Report.Status
MAX_TEXT = 100_000


def kind_of(report: Report) -> catalog.ReportKind:
    return catalog.BY_KEY[report.kind]


def _clock(kind: catalog.ReportKind, actor: Actor):
    if not kind.duty:
        return None
    return clocks.ensure_clock(kind.duty, actor)


@transaction.atomic
def start(actor: Actor, kind_key: str) -> Report:
    actor.require(DRAFT)
    kind = catalog.BY_KEY.get(kind_key)
    if kind is None or kind.drafted != "program":
        raise ValidationError({"kind": "Choose a report drafted in safelect."})
    if kind.key == "implementation-plan" and not Report.objects.filter(kind="strategy", status=Status.SUBMITTED).exists():
        raise ValidationError("The implementation plan follows the issue of the national strategy (H.R. 5011 §301(c)).")
    obligation = _clock(kind, actor)
    if kind.duty and obligation is None:
        raise ValidationError(f"No open {kind.citation} deadline: the report's clock has not started (or every cycle was met).")
    if obligation is not None and Report.objects.filter(obligation=obligation).exists():
        raise ValidationError(f"A report for this {kind.citation} deadline exists already.")
    now = timezone.now()
    report = create_numbered(
        Report,
        "RTC",
        now.year,
        kind=kind.key,
        title=kind.title,
        cycle=obligation.cycle if obligation else "",
        obligation=obligation,
        sections=[{"key": s.key, "heading": s.heading, "cites": s.cites, "generated": s.generated, "text": ""} for s in kind.sections],
        created_at=now,
        created_by=actor.user,
    )
    if kind.key == "foreign-threats":
        # a week before the deadline leaves time to consider them; a report started late gives the States two weeks
        closes = (
            obligation.due_at - dt.timedelta(days=7) if obligation.due_at - now > dt.timedelta(days=21) else now + dt.timedelta(days=14)
        )
        report.solicitation = comments.open_solicitation(
            actor,
            title=f"Comments for the report on foreign threats to elections ({report.cycle or report.reference})"[:300],
            body="S.2261 §6(a)(2): the Secretary solicits and considers the comments of all State election agencies for the joint "
            "report to Congress on foreign threats to elections. Participation is voluntary and at the discretion of the State.",
            audience_kinds=["state_election_office"],
            closes_at=closes,
            origin="governance",
            subject=report,
        )
        report.save(update_fields=["solicitation"])
    _generate(report)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:report:start",
        obj=report,
        summary={"kind": kind.key, "cycle": report.cycle},
    )
    return report


def _generate(report: Report) -> None:
    for section in report.sections:
        if section["generated"]:
            made = figures.GENERATORS[section["generated"]](report)
            section["text"], section["table"] = made["text"], made["table"]
    report.save(update_fields=["sections"])


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def write(actor: Actor, report: Report, *, texts: dict[str, str], authors: str = "") -> Report:
    """Save the prose sections (by key) and the authors; regenerates the generated ones."""
    actor.require(DRAFT)
    report = _locked(report)
    if report.status != Status.DRAFTING:
        raise ValidationError("Only a report being drafted changes (a returned report is drafting again).")
    keys = {s["key"] for s in report.sections if not s["generated"]}
    unknown = [k for k in texts if k not in keys]
    if unknown:
        raise ValidationError(f"No such section: {', '.join(unknown)}.")
    for section in report.sections:
        if section["key"] in texts:
            text = (texts[section["key"]] or "").strip()
            if len(text) > MAX_TEXT:
                raise ValidationError({section["key"]: f"At most {MAX_TEXT:,} characters."})
            section["text"] = text
    report.authors = (authors or report.authors).strip()[:300]
    report.save(update_fields=["sections", "authors"])
    _generate(report)
    record(
        actor=actor.user, organization=actor.organization, action="governance:report:write", obj=report, summary={"sections": sorted(texts)}
    )
    return report


@transaction.atomic
def send_for_review(actor: Actor, report: Report) -> Report:
    actor.require(DRAFT)
    report = _locked(report)
    if report.status != Status.DRAFTING:
        raise ValidationError("The report is not being drafted.")
    empty = [s["heading"] for s in report.sections if not s["generated"] and not s["text"].strip()]
    if empty:
        raise ValidationError(f"Write every section first; empty: {'; '.join(empty)}.")
    if not report.authors:
        raise ValidationError({"authors": "Name the authors."})
    _generate(report)
    report.status = Status.IN_REVIEW
    report.save(update_fields=["status"])
    record(actor=actor.user, organization=actor.organization, action="governance:report:send-review", obj=report, summary={})
    return report


@transaction.atomic
def review(actor: Actor, report: Report, *, approve: bool, note: str = "") -> Report:
    """Approve (sections frozen) or return to drafting with a note."""
    actor.require(APPROVE)
    report = _locked(report)
    if report.status != Status.IN_REVIEW:
        raise ValidationError("The report is not in review.")
    if report.created_by_id and actor.user and report.created_by_id == actor.user.pk:
        raise ValidationError("Someone other than the person who started the report approves it.")
    note = (note or "").strip()
    now = timezone.now()
    report.reviewed_by, report.reviewed_at, report.review_note = actor.user, now, note[:4000]
    if approve:
        _generate(report)
        report.status, report.approved_by, report.approved_at = Status.APPROVED, actor.user, now
    else:
        if len(note) < 5:
            raise ValidationError({"note": "Say what to change."})
        report.status = Status.DRAFTING
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "approved_by", "approved_at"])
    record(actor=actor.user, organization=actor.organization, action="governance:report:review", obj=report, summary={"approved": approve})
    return report


@transaction.atomic
def submit(actor: Actor, report: Report, *, at: dt.datetime | None = None, public: bool = False) -> Report:
    """Record the submission to the recipients the statute names (resolved now from the congress data)."""
    actor.require(APPROVE)
    report = _locked(report)
    if report.status != Status.APPROVED:
        raise ValidationError("Only an approved report is submitted.")
    kind = kind_of(report)
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5) or (report.approved_at and at < report.approved_at - dt.timedelta(days=1)):
        raise ValidationError({"at": "The submission moment is after the approval and not in the future."})
    recipients = resolve(kind.recipients)
    missing = [r["code"] for r in recipients if r.get("missing")]
    if missing:
        raise ValidationError(f"The congress data lacks {', '.join(missing)}: load current data first (safelect directory load-congress).")
    if public and not kind.public:
        raise ValidationError({"public": f"The {kind.citation} report is not published (it may carry protected information)."})
    report.status, report.submitted_at, report.recipients, report.is_public = Status.SUBMITTED, at, recipients, public
    report.save(update_fields=["status", "submitted_at", "recipients", "is_public"])
    if report.obligation_id:
        obligation = Obligation.objects.get(pk=report.obligation_id)
        if obligation.status not in CLOSED_STATUSES:
            obligations.fulfil(actor.vouched(), obligation, at, f"governance.report:{report.pk}")
    if kind.key == "strategy":
        clocks.open_clock(clocks.PLAN, None, at, actor)
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:report:submit",
        obj=report,
        summary={"recipients": [r["name"] for r in recipients], "public": public},
    )
    return report


def register() -> list[dict]:
    """Every statutory report with its clock, recipients and where it stands (a fixed number of queries)."""
    codes = [k.duty for k in catalog.KINDS if k.duty]
    next_due: dict[str, Obligation] = {}
    for o in Obligation.objects.filter(duty_code__in=codes, subject_type="").exclude(status__in=CLOSED_STATUSES).order_by("due_at"):
        next_due.setdefault(o.duty_code, o)
    latest: dict[str, Report] = {}
    for r in Report.objects.order_by("kind", "-created_at").distinct("kind"):
        latest[r.kind] = r
    rows, cache = [], {}
    for kind in catalog.KINDS:
        rows.append(
            {
                "kind": kind,
                "duty": get_duty(kind.duty) if kind.duty else None,
                "next": next_due.get(kind.duty),
                "recipients": resolve(kind.recipients, cache),
                "latest": latest.get(kind.key) if kind.drafted == "program" else None,
            }
        )
    return rows
