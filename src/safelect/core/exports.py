"""The one export helper: spreadsheet files that cannot run what people typed.

Text in safelect comes from the public, from other organizations and from imported files. A
spreadsheet program treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula, so an exported ``=HYPERLINK("http://evil",
"click")`` or ``=cmd|' /C calc'!A0`` would run on an official's desktop ("CSV injection", OWASP).
The database keeps the original text; only the file written for a spreadsheet changes:

* **CSV** — such a cell is written with a leading apostrophe (``'=1+2``), which spreadsheet
  programs show as text. :func:`restore` undoes exactly that on import, so a file exported by
  safelect reads back to the same text (a cell that already started with apostrophes before a
  trigger character gets one more, so the mapping is one-to-one).
* **XLSX** — every text cell is written with the string data type, never as a formula, so the
  cell shows the text as typed and nothing is evaluated; no apostrophe is needed.

Every app writes its CSV and XLSX through :func:`csv_bytes` / :class:`CsvRows` and
:func:`xlsx_append`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

#: Characters that make a spreadsheet program read a cell as a formula (OWASP CSV injection).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A CSV cell value that a spreadsheet program shows as text (numbers and dates unchanged)."""
    if not isinstance(value, str) or not value:
        return value
    if value.lstrip("'").startswith(TRIGGERS):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text :func:`neutralise` was given (for importers reading files safelect exported)."""
    if value.startswith("'") and value.lstrip("'").startswith(TRIGGERS):
        return value[1:]
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return neutralise(value)


class _Line:
    def write(self, value: str) -> str:
        return value


class CsvRows:
    """Formula-safe CSV lines, one at a time (for streaming responses)::

    lines = CsvRows()
    yield lines.row(HEADER)
    for o in queryset.iterator():
        yield lines.row([...])
    """

    def __init__(self):
        self._writer = csv.writer(_Line())

    def row(self, values: Iterable[Any]) -> str:
        return self._writer.writerow([_cell(v) for v in values])


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """A whole formula-safe CSV file (UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def xlsx_append(sheet, values: Sequence[Any]) -> None:
    """Append one row to an openpyxl sheet; text cells are strings, never formulas."""
    sheet.append([None if v is None else v for v in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row=row, column=column)
            cell.value = value
            cell.data_type = "s"  # openpyxl marks text starting with "=" as a formula ("f")


def xlsx_bytes(sheets: Sequence[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    """A whole workbook of ``(sheet title, rows)``; text cells are strings, never formulas."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for row in rows:
            xlsx_append(sheet, list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_bytes(html: str) -> bytes:
    """A PDF of an HTML document (WeasyPrint; imported here, lazily, because it loads Pango)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


__all__ = ["TRIGGERS", "CsvRows", "csv_bytes", "neutralise", "pdf_bytes", "restore", "xlsx_append", "xlsx_bytes"]
