"""The weekly summary, written by the software: XLSX, PDF and CSV.

Per region (one table each) or national (every region), for a week or any date range, in the
13-column layout of the "Weekly Summary for Meetings with Elections Infrastructure Officials"
with its title line.  The internal document writes free text losslessly
(``[[(b)(6)|content]]``), so exporting and importing again changes nothing; the **FOIA
release** replaces every redacted span with its exemption code and contains no withheld text.

Period: a dated meeting belongs to the period of its date; an undated one (pending, scheduled,
awaiting an after-action report) to the period in which its record last changed — that is
when a weekly summary would have reported its status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from ..importing import COLUMNS, TITLE
from ..rows import engagement_cells

HEADERS = [column.header for column in COLUMNS]
FORMATS = ("xlsx", "pdf", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class SummaryTable:
    """One region's table: its heading line and its rows (header → cell)."""

    region: int | None
    heading: str
    rows: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class WeeklySummary:
    title: str
    period: str
    release: bool
    tables: list[SummaryTable]


def in_period(queryset: QuerySet, date_from: dt.date | None, date_to: dt.date | None) -> QuerySet:
    """Engagements of the period (see the module docstring)."""
    if date_from:
        queryset = queryset.filter(Q(meeting_date__gte=date_from) | Q(meeting_date__isnull=True, updated_at__date__gte=date_from))
    if date_to:
        queryset = queryset.filter(Q(meeting_date__lte=date_to) | Q(meeting_date__isnull=True, updated_at__date__lte=date_to))
    return queryset


def period_label(date_from: dt.date | None, date_to: dt.date | None) -> str:
    if date_from and date_to:
        return f"{date_from.isoformat()} to {date_to.isoformat()}"
    if date_from:
        return f"from {date_from.isoformat()}"
    if date_to:
        return f"to {date_to.isoformat()}"
    return "all dates"


def build_summary(
    engagements: QuerySet, *, release: bool, region: int | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> WeeklySummary:
    """Select and lay out the summary; ``engagements`` is already narrowed to the reader's scope."""
    chosen = in_period(engagements, date_from, date_to)
    if region is not None:
        chosen = chosen.filter(region__number=region)
    chosen = chosen.select_related("region", "state").prefetch_related("points_of_contact").order_by("region__number", "pk")
    period = period_label(date_from, date_to)
    tables: dict[int | None, SummaryTable] = {}
    for engagement in chosen:
        number = engagement.region.number if engagement.region_id else None
        if number not in tables:
            name = f"Region {number}" if number else "Region not stated"
            tables[number] = SummaryTable(number, f"{name} — {period}" + (" — FOIA release" if release else ""))
        tables[number].rows.append(engagement_cells(engagement, release=release))
    return WeeklySummary(TITLE, period, release, list(tables.values()))


def write(summary: WeeklySummary, fmt: str) -> bytes:
    """The summary as ``xlsx``, ``pdf`` or ``csv`` bytes."""
    if fmt == "xlsx":
        from .workbook import write_xlsx

        return write_xlsx(summary)
    if fmt == "csv":
        from .workbook import write_csv

        return write_csv(summary)
    if fmt == "pdf":
        from .document import write_pdf

        return write_pdf(summary)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def file_name(fmt: str, *, release: bool, region: int | None, date_from, date_to) -> str:
    parts = ["weekly-summary", f"region-{region}" if region else "national"]
    if date_from or date_to:
        parts.append(f"{date_from or 'start'}_{date_to or 'now'}")
    if release:
        parts.append("foia-release")
    return "-".join(str(p) for p in parts) + f".{fmt}"


__all__ = ["CONTENT_TYPES", "FORMATS", "HEADERS", "SummaryTable", "WeeklySummary", "build_summary", "file_name", "in_period", "write"]
