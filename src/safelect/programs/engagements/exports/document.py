"""PDF writer of the weekly summary: WeasyPrint from an HTML template, letter landscape, the
header row repeated on every page (``thead { display: table-header-group }``)."""

from __future__ import annotations

from django.template.loader import render_to_string

from safelect.core.exports import pdf_bytes

from . import HEADERS, WeeklySummary


def render_html(summary: WeeklySummary) -> str:
    tables = [{"heading": t.heading, "rows": [[row[h] for h in HEADERS] for row in t.rows]} for t in summary.tables]
    from .workbook import WIDTHS

    total = sum(WIDTHS)
    widths = [round(100 * w / total, 2) for w in WIDTHS]  # the long free-text columns get the room
    return render_to_string(
        "engagements/weekly_summary_pdf.html", {"summary": summary, "headers": HEADERS, "tables": tables, "widths": widths}
    )


def write_pdf(summary: WeeklySummary) -> bytes:
    return pdf_bytes(render_html(summary))
