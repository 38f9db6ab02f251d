"""The implementation plan of the national strategy (H.R. 5011 §301(c)): strategic objectives and
their tasks (§301(c)(1)), each with projected timeline and cost (§301(c)(2)) and a metric with target
and actual (§301(c)(3)); progress updated as the work goes. The plan is a report of kind
``implementation-plan``; objectives and tasks change while it is drafted, progress at any time after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.journal.services import record

from .models import Objective, Report, Task
from .permissions import DRAFT

TOPICS = [f"H.R. 5011 §301(b)({n})" for n in range(1, 8)]


def _plan(report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.kind != "implementation-plan":
        raise ValidationError("Objectives belong to the implementation plan.")
    return report


def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").replace("$", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "Enter a number."}) from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError({field: "Enter a number from 0 to 999,999,999,999."})
    return amount


@transaction.atomic
def add_objective(actor: Actor, report: Report, *, title: str, strategy_topic: str) -> Objective:
    actor.require(DRAFT)
    report = _plan(report)
    if report.status != Report.Status.DRAFTING:
        raise ValidationError("Objectives are added while the plan is drafted.")
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise ValidationError({"title": "Name the objective (at most 300 characters)."})
    if strategy_topic not in TOPICS:
        raise ValidationError({"strategy_topic": "Choose the consideration of the strategy (§301(b)) it answers."})
    number = (report.objectives.aggregate(n=Max("number"))["n"] or 0) + 1
    found = Objective.objects.create(plan=report, number=number, title=title, strategy_topic=strategy_topic)
    record(actor=actor.user, organization=actor.organization, action="governance:plan:objective", obj=report, summary={"number": number})
    return found


@transaction.atomic
def add_task(
    actor: Actor, objective: Objective, *, title: str, starts_on: dt.date, due_on: dt.date, cost, metric: str, target, unit: str = ""
) -> Task:
    actor.require(DRAFT)
    report = _plan(objective.plan)
    if report.status != Report.Status.DRAFTING:
        raise ValidationError("Tasks are added while the plan is drafted.")
    title, metric = (title or "").strip(), (metric or "").strip()
    errors = {}
    if not title or len(title) > 300:
        errors["title"] = "Name the task (at most 300 characters)."
    if not metric or len(metric) > 300:
        errors["metric"] = "Say how performance is measured (§301(c)(3))."
    if due_on < starts_on:
        errors["due_on"] = "The task is due after it starts."
    if errors:
        raise ValidationError(errors)
    target_amount = _amount(target, "target")
    if target_amount == 0:
        raise ValidationError({"target": "A target above zero."})
    found = Task.objects.create(
        objective=objective,
        title=title,
        starts_on=starts_on,
        due_on=due_on,
        cost=_amount(cost, "cost").quantize(Decimal(1)),
        metric=metric,
        target=target_amount,
        unit=(unit or "").strip()[:40],
    )
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:plan:task",
        obj=report,
        summary={"objective": objective.number},
    )
    return found


@transaction.atomic
def update_progress(actor: Actor, task: Task, actual) -> Task:
    actor.require(DRAFT)
    task = Task.objects.select_for_update().select_related("objective__plan").get(pk=task.pk)
    task.actual, task.updated_at = _amount(actual, "actual"), timezone.now()
    task.save(update_fields=["actual", "updated_at"])
    record(
        actor=actor.user,
        organization=actor.organization,
        action="governance:plan:progress",
        obj=task.objective.plan,
        summary={"task": task.pk, "actual": str(task.actual)},
    )
    return task


def progress_by_objective(report: Report) -> list[dict]:
    """Each objective's average progress over its tasks, for the chart and its table."""
    out = []
    for n, objective in enumerate(report.objectives.prefetch_related("tasks")):
        tasks = list(objective.tasks.all())
        share = round(sum(t.progress for t in tasks) / len(tasks)) if tasks else 0
        # chart geometry (SVG user units): one 12-unit row per objective, a 400-unit bar for 100 %
        out.append({"objective": objective, "tasks": tasks, "progress": share, "y": n * 12, "bar": share * 4, "bottom": n * 12 + 12})
    return out
