"""XLSX (openpyxl) and CSV writers of the weekly summary, formula-safe through the kernel's export helper."""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from safelect.core.exports import csv_bytes, xlsx_append

from . import HEADERS, WeeklySummary

_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DATE_HEADER = "Meeting Date"


def _cell(header: str, value: str | None):
    """A meeting date that is exactly one day is written as a date cell (a spreadsheet sorts and
    filters it); anything else — "Pending", "TBD 3/2018", an unreadable date — stays text."""
    if header == DATE_HEADER and value:
        match = _US_DATE.match(value.strip())
        if match:
            month, day, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return value
    return value or None


# Column widths (characters) that keep the long free-text columns readable when printed.
WIDTHS = [7, 14, 18, 12, 14, 22, 40, 30, 30, 28, 18, 20, 24]


def write_xlsx(summary: WeeklySummary) -> bytes:
    """One sheet per region: title line, region/period line, bold frozen header row (repeated on
    every printed page), wrapped text, landscape."""
    book = Workbook()
    book.remove(book.active)
    tables = summary.tables or [None]
    for table in tables:
        name = f"Region {table.region}" if table and table.region else "Region not stated" if table else "Summary"
        sheet = book.create_sheet(name[:31])
        sheet.append([summary.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([table.heading if table else f"No engagements — {summary.period}"])
        sheet.append(HEADERS)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows if table else []:
            xlsx_append(sheet, [_cell(h, row[h]) for h in HEADERS])
        for row in sheet.iter_rows(min_row=4):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(cell.value, dt.date):
                    cell.number_format = "m/d/yyyy"
        for index, width in enumerate(WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A4"
        sheet.print_title_rows = "3:3"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(summary: WeeklySummary) -> bytes:
    """Tables one after another, each with the title line, its heading and the header row."""
    lines: list[list[str]] = []
    for table in summary.tables:
        lines += [[summary.title], [table.heading], HEADERS, *([row[h] for h in HEADERS] for row in table.rows), []]
    return csv_bytes(lines)
