"""Read functions on obligations (other apps may call these), always inside object scope.

Scope (``core.accounts.scope``) with the obligation's *holder* as its organization and its
``state`` (the holder's State, or the State a national duty is owed to) as its State: a holder
sees its own obligations and its child organizations'; national roles see all; regional staff
their region's States; State roles their State's organizations.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safelect.core.accounts.scope import visible

from .models import Obligation, Status

SCOPE = {"organization_field": "holder", "state_field": "state"}


def base() -> QuerySet:
    return Obligation.objects.select_related("holder", "state")


def visible_obligations(request_or_membership, queryset: QuerySet | None = None) -> QuerySet:
    """Obligations the acting membership (a request or a membership) may see."""
    return visible(queryset if queryset is not None else base(), request_or_membership, **SCOPE)


def visible_to_user(user) -> QuerySet:
    """Everything any of ``user``'s active memberships may see (the calendar feed has no session)."""
    if user.is_superuser:
        return base()
    condition = Q(pk__in=[])
    for membership in user.memberships.filter(is_active=True).select_related("organization"):
        condition |= Q(pk__in=visible(Obligation.objects.all(), membership, **SCOPE).values("pk"))
    return base().filter(condition)


def of_organization(organization, queryset: QuerySet | None = None) -> QuerySet:
    """The obligations an organization holds ("my deadlines")."""
    return (queryset if queryset is not None else base()).filter(holder=organization)


def filtered(queryset: QuerySet, *, status: str = "", duty: str = "", state: str = "", now=None) -> QuerySet:
    if status:
        queryset = queryset.with_status(status, now)
    if duty:
        queryset = queryset.filter(duty_code=duty)
    if state:
        queryset = queryset.filter(state__usps=state.upper())
    return queryset


def due_within(days: int, now: dt.datetime | None = None, queryset: QuerySet | None = None) -> QuerySet:
    """Open obligations due in the next ``days`` days, and those already overdue."""
    now = now or timezone.now()
    qs = queryset if queryset is not None else base()
    return qs.open().filter(due_at__lte=now + dt.timedelta(days=days)).order_by("due_at", "pk")


def overdue_first(queryset: QuerySet, now: dt.datetime | None = None) -> list[Obligation]:
    """Overdue, then due soon, then open, then closed; each by due moment."""
    now = now or timezone.now()
    rank = {Status.OVERDUE: 0, Status.DUE_SOON: 1, Status.OPEN: 2}
    return sorted(queryset, key=lambda o: (rank.get(o.status_at(now), 3), o.due_at, o.pk))


def history(obligation: Obligation):
    """The journal entries recorded about this obligation, oldest first."""
    from safelect.core.journal.models import Entry

    return Entry.objects.filter(object_type="obligations.obligation", object_id=str(obligation.pk)).order_by("id")


# --- the compliance board ------------------------------------------------------------------------

BOARD_COLUMNS = [Status.OVERDUE, Status.DUE_SOON, Status.OPEN, Status.FULFILLED_ON_TIME, Status.FULFILLED_LATE, Status.WAIVED]


def _counts(queryset: QuerySet, group: str, now: dt.datetime) -> list[dict]:
    open_ = Q(status=Status.OPEN)
    return list(
        queryset.order_by()
        .values(group)
        .annotate(
            overdue=Count("pk", filter=open_ & Q(due_at__lt=now)),
            due_soon=Count("pk", filter=open_ & Q(due_soon_at__lte=now, due_at__gte=now)),
            open=Count("pk", filter=open_ & Q(due_soon_at__gt=now)),
            fulfilled_on_time=Count("pk", filter=Q(status=Status.FULFILLED_ON_TIME)),
            fulfilled_late=Count("pk", filter=Q(status=Status.FULFILLED_LATE)),
            waived=Count("pk", filter=Q(status=Status.WAIVED)),
            total=Count("pk"),
        )
    )


def board(queryset: QuerySet, now: dt.datetime | None = None) -> dict:
    """Counts by duty and by State, overdue first; totals; the overdue obligations themselves."""
    from .registry import get

    now = now or timezone.now()
    by_duty = _counts(queryset, "duty_code", now)
    for row in by_duty:
        try:
            duty = get(row["duty_code"])
            row.update(citation=duty.citation, title=duty.title, is_policy=duty.is_policy)
        except KeyError:
            row.update(citation=row["duty_code"], title="(no longer registered)", is_policy=True)
    by_state = _counts(queryset.select_related(None), "state__usps", now)
    names = dict(queryset.model.state.field.related_model.objects.values_list("usps", "name"))
    for row in by_state:
        row["usps"] = row.pop("state__usps") or ""
        row["name"] = names.get(row["usps"], "National and Federal (no State)")
    order = lambda r: (-r["overdue"], -r["due_soon"], -r["open"], r.get("citation") or r.get("name"))  # noqa: E731
    totals = {s.value: sum(r[s.value] for r in by_duty) for s in BOARD_COLUMNS}
    peak = max([r["overdue"] for r in by_state] + [0])
    for row in by_state:  # heat: share of the worst State's overdue count, in fifths
        row["heat"] = 0 if not row["overdue"] else 1 + (4 * row["overdue"]) // max(peak, 1)
    return {
        "by_duty": sorted(by_duty, key=order),
        "by_state": sorted(by_state, key=order),
        "totals": totals,
        "overdue": list(queryset.overdue(now).order_by("due_at")[:200]),
        "now": now,
    }


# --- the month calendar --------------------------------------------------------------------------


@dataclass
class Day:
    date: dt.date
    in_month: bool
    items: list[Obligation] = field(default_factory=list)


def month(queryset: QuerySet, year: int, month_number: int, tz: str) -> list[list[Day]]:
    """Weeks (Sunday first) of the month with the obligations due on each day.

    A deadline sits on its *holder's* date (the end of that day in the holder's zone), whoever
    looks: a Guam office's duty due on 3 March is on 3 March for a viewer in Washington too, where
    that instant is already 2 March. ``tz`` (the viewer's zone) only says which day is today."""
    weeks_dates = calendar.Calendar(firstweekday=6).monthdatescalendar(year, month_number)
    first, last = weeks_dates[0][0], weeks_dates[-1][-1]
    # Zones run from UTC-12 to UTC+14: a day's deadlines fall within a day either side in UTC.
    start = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(0), tzinfo=dt.UTC)
    items: dict[dt.date, list[Obligation]] = defaultdict(list)
    for obligation in queryset.filter(due_at__gte=start, due_at__lt=end).order_by("due_at", "pk"):
        day = obligation.due_at.astimezone(ZoneInfo(obligation.time_zone)).date()
        if first <= day <= last:
            items[day].append(obligation)
    return [[Day(d, d.month == month_number, items.get(d, [])) for d in week] for week in weeks_dates]
