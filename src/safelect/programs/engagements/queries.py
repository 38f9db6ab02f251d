"""Reading engagements: the reader's scope, full-text search, and coverage of the 56 States.

Other apps may call these.  Every function takes the :class:`~.access.Actor` reading, so scope
(and, for search, which text is searchable) always applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from safelect.core.directory.models import Region, State

from .access import VIEW_INTERNAL, Actor
from .models import Engagement, FollowUp, ReviewFlag

RECENT_DAYS = 30


def engagements(actor: Actor) -> QuerySet:
    """Engagements the actor may see, with what list pages need."""
    return actor.restrict(Engagement.objects.select_related("region", "state", "jurisdiction"))


def open_flags(actor: Actor) -> QuerySet:
    return actor.restrict(ReviewFlag.objects.filter(status=ReviewFlag.Status.OPEN)).select_related(
        "engagement", "engagement__state", "engagement__region", "source_version"
    )


def search(actor: Actor, text: str) -> QuerySet:
    """PostgreSQL full-text search, web-search syntax (``"exact phrase" -word or``), best first.

    State officials search the released text of the non-internal columns only, so a search can
    never reveal withheld words or internal columns to them.
    """
    vector = "search_vector" if actor.may(VIEW_INTERNAL) else "release_vector"
    query = SearchQuery(text, search_type="websearch", config="english")
    return engagements(actor).filter(**{vector: query}).annotate(rank=SearchRank(F(vector), query)).order_by("-rank", "-meeting_date", "pk")


@dataclass(frozen=True)
class StateCoverage:
    """One tile of the coverage map and one row of its table."""

    state: State
    last: Engagement | None
    open_follow_ups: int
    overdue_follow_ups: int
    days_since: int | None
    category: str  # recent | stale | planned | none

    @property
    def category_symbol(self) -> str:
        return CATEGORIES[self.category][1] + " "

    @property
    def label(self) -> str:
        """The tile's accessible name, e.g. "Wisconsin: last engaged 2017-10-11, 12 days ago, 1 open follow-up"."""
        if self.last is None:
            return f"{self.state.name}: no engagement recorded"
        parts = [f"{self.state.name}: "]
        if self.last.meeting_date:
            when = f"last engaged {self.last.meeting_date.isoformat()}"
            if self.days_since is not None:
                when += f", {self.days_since} day{'s' if self.days_since != 1 else ''} ago"
        else:
            when = f"last engagement {self.last.get_status_display().lower()}"
        parts.append(when)
        parts.append(f", {self.open_follow_ups} open follow-up{'s' if self.open_follow_ups != 1 else ''}")
        if self.overdue_follow_ups:
            parts.append(f" ({self.overdue_follow_ups} overdue)")
        return "".join(parts)


CATEGORIES = {
    "recent": ("Engaged in the last 30 days", "●"),
    "stale": ("Last engaged more than 30 days ago", "◐"),
    "planned": ("Only pending, scheduled or undated engagements", "◌"),
    "none": ("No engagement recorded", "✕"),
}


def coverage(
    actor: Actor, *, region: int | None = None, poc=None, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[tuple[Region, list[StateCoverage]]]:
    """For every State and territory, grouped by region: the last engagement in the period (and
    in the actor's scope), its status, open follow-ups and days since contact.

    Days count to the end of the period when one is chosen, else to today.
    """
    as_of = date_to or timezone.localdate()
    chosen = engagements(actor).filter(state__isnull=False)
    if poc is not None:
        chosen = chosen.filter(points_of_contact=poc)
    if date_from:
        chosen = chosen.filter(Q(meeting_date__gte=date_from) | Q(meeting_date__isnull=True))
    if date_to:
        chosen = chosen.filter(Q(meeting_date__lte=date_to) | Q(meeting_date__isnull=True))
    last_dated: dict[int, Engagement] = {}
    last_any: dict[int, Engagement] = {}
    for engagement in chosen.order_by("state_id", F("meeting_date").desc(nulls_last=True), "-pk"):
        last_any.setdefault(engagement.state_id, engagement)
        if engagement.meeting_date and engagement.meeting_date <= as_of:
            last_dated.setdefault(engagement.state_id, engagement)
    follow_ups = {
        row["engagement__state"]: row
        for row in actor.restrict(FollowUp.objects.filter(status=FollowUp.Status.OPEN))
        .values("engagement__state")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=as_of)))
    }
    states = State.objects.select_related("region").order_by("region__number", "name")
    if region is not None:
        states = states.filter(region__number=region)
    grouped: dict[Region, list[StateCoverage]] = {}
    for state in states:
        dated = last_dated.get(state.pk)
        last = dated or last_any.get(state.pk)
        days = (as_of - dated.meeting_date).days if dated else None
        category = (
            "none" if last is None else "planned" if dated is None else "recent" if days is not None and days <= RECENT_DAYS else "stale"
        )
        counts = follow_ups.get(state.pk, {})
        grouped.setdefault(state.region, []).append(
            StateCoverage(state, last, counts.get("open", 0), counts.get("overdue", 0), days, category)
        )
    return list(grouped.items())


# Tile-grid positions (column, row) that keep the country's shape; territories in the last row.
TILES = {
    "AK": (1, 1),
    "ME": (12, 1),
    "WI": (7, 2),
    "VT": (11, 2),
    "NH": (12, 2),
    "WA": (2, 3),
    "ID": (3, 3),
    "MT": (4, 3),
    "ND": (5, 3),
    "MN": (6, 3),
    "IL": (7, 3),
    "MI": (8, 3),
    "NY": (10, 3),
    "MA": (11, 3),
    "OR": (2, 4),
    "NV": (3, 4),
    "WY": (4, 4),
    "SD": (5, 4),
    "IA": (6, 4),
    "IN": (7, 4),
    "OH": (8, 4),
    "PA": (9, 4),
    "NJ": (10, 4),
    "CT": (11, 4),
    "RI": (12, 4),
    "CA": (2, 5),
    "UT": (3, 5),
    "CO": (4, 5),
    "NE": (5, 5),
    "MO": (6, 5),
    "KY": (7, 5),
    "WV": (8, 5),
    "VA": (9, 5),
    "MD": (10, 5),
    "DE": (11, 5),
    "AZ": (3, 6),
    "NM": (4, 6),
    "KS": (5, 6),
    "AR": (6, 6),
    "TN": (7, 6),
    "NC": (8, 6),
    "SC": (9, 6),
    "DC": (10, 6),
    "OK": (5, 7),
    "LA": (6, 7),
    "MS": (7, 7),
    "AL": (8, 7),
    "GA": (9, 7),
    "HI": (1, 8),
    "TX": (5, 8),
    "FL": (10, 8),
    "GU": (1, 10),
    "MP": (2, 10),
    "AS": (3, 10),
    "PR": (10, 10),
    "VI": (11, 10),
}
