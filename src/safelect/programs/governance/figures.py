"""Sections generated from safelect's data, where a report states figures.

Each generator returns ``{"text": str, "table": {"head": [...], "rows": [[...]]}}``; the text is a
fixed template filled with counts, so a generated section never contains invented prose. They read
only the kernel (obligations, comments) and this program's own records: figures another program
owns are reported by that program (see :mod:`.catalog`, ``drafted="elsewhere"``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from safelect.core.comments import services as comment_services
from safelect.core.obligations.models import Obligation, Status
from safelect.core.obligations.registry import get as get_duty

from .models import Report, Task


def _period(report: Report) -> tuple[dt.datetime, dt.datetime]:
    """The period reported on: the year before the report's due moment (or before today)."""
    end = report.obligation.due_at if report.obligation_id else timezone.now()
    return end - dt.timedelta(days=365), end


def clocks(report: Report) -> dict:
    """The statutory clocks that fell due in the period, per duty: met on time, late, waived, still open."""
    start, end = _period(report)
    found = Obligation.objects.filter(due_at__gte=start, due_at__lt=end, duty_code__regex=r"^(S2261|HR5011)-").values_list(
        "duty_code", "status"
    )
    by_duty: dict[str, Counter] = {}
    for code, status in found:
        by_duty.setdefault(code, Counter())[status] += 1
    rows = []
    for code in sorted(by_duty):
        counts = by_duty[code]
        rows.append(
            [
                get_duty(code).citation,
                get_duty(code).title,
                counts[Status.FULFILLED_ON_TIME],
                counts[Status.FULFILLED_LATE],
                counts[Status.WAIVED],
                counts[Status.OPEN],
            ]
        )
    total = sum(sum(c.values()) for c in by_duty.values())
    late = sum(c[Status.FULFILLED_LATE] for c in by_duty.values())
    still = sum(c[Status.OPEN] for c in by_duty.values())
    text = (
        f"From {start:%B %-d, %Y} to {end:%B %-d, %Y}, {total} statutory deadline(s) tracked in safelect fell due: "
        f"{late} met late and {still} not yet met."
    )
    return {"text": text, "table": {"head": ["Provision", "Duty", "On time", "Late", "Not applicable", "Open"], "rows": rows}}


def state_comments(report: Report) -> dict:
    """S.2261 §6(a)(2): the comments the State election agencies chose to give."""
    if report.solicitation_id is None:
        return {"text": "The State election agencies' comments have not been solicited yet.", "table": None}
    s = report.solicitation
    comments = list(s.comments.exclude(organization=None).select_related("organization").order_by("organization__name"))
    asked = comment_services.audience(s).count()
    text = (
        f"The Secretary solicited comments from all {asked} State election agencies ({s.reference}, closing "
        f"{timezone.localtime(s.closes_at):%B %-d, %Y}); participation is voluntary. {len(comments)} commented."
    )
    rows = [[c.organization.name, c.text, c.get_disposition_display() if c.disposition else "Not yet considered"] for c in comments]
    return {"text": text, "table": {"head": ["State election agency", "Comment", "Disposition"], "rows": rows}}


def _tasks(report: Report):
    return Task.objects.filter(objective__plan=report).select_related("objective").order_by("objective__number", "due_on")


def plan_objectives(report: Report) -> dict:
    rows = [[f"{t.objective.number}. {t.objective.title}", t.title, f"{t.progress} %"] for t in _tasks(report)]
    objectives = report.objectives.count()
    return {
        "text": f"The plan sets {objectives} strategic objective(s) with {len(rows)} task(s).",
        "table": {"head": ["Objective", "Task", "Progress"], "rows": rows},
    }


def plan_costs(report: Report) -> dict:
    tasks = list(_tasks(report))
    rows = [[t.title, f"{t.starts_on:%Y-%m-%d}", f"{t.due_on:%Y-%m-%d}", f"${t.cost:,.0f}"] for t in tasks]
    total = sum((t.cost for t in tasks), 0)
    return {
        "text": f"Projected cost of all tasks: ${total:,.0f}.",
        "table": {"head": ["Task", "Starts", "Due", "Projected cost"], "rows": rows},
    }


def plan_metrics(report: Report) -> dict:
    rows = [
        [t.title, t.metric, f"{t.target:g} {t.unit}".strip(), f"{t.actual:g} {t.unit}".strip(), f"{t.progress} %"] for t in _tasks(report)
    ]
    met = sum(1 for t in _tasks(report) if t.progress >= 100)
    return {
        "text": f"{met} of {len(rows)} task(s) have reached their target.",
        "table": {"head": ["Task", "Metric", "Target", "Actual", "Progress"], "rows": rows},
    }


GENERATORS = {
    "clocks": clocks,
    "state_comments": state_comments,
    "plan_objectives": plan_objectives,
    "plan_costs": plan_costs,
    "plan_metrics": plan_metrics,
}
