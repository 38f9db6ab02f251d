"""A running tracker: several weeks of summaries stacked in ONE sheet give the same meetings as the
same tables imported separately; a reprinted meeting with updated text merges, a different meeting
that shares its key (State, date, place) stays apart.

The workbooks are built here from the released record (``fixtures/000_61a82f5df613671c.txt``):
week 1 is the record as printed; week 2 reprints two of its meetings with a sentence added (how a
tracker updates a row) and adds a new meeting at the same State, date and place as one of them.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

from safelect.programs.engagements.importing import COLUMNS, TITLE, preview_import, read_path
from safelect.programs.engagements.importing.normalise import normalise_tables

FIXTURE = Path(__file__).parent / "fixtures" / "000_61a82f5df613671c.txt"


def _row(version, extra: str = "", discussion: str | None = None) -> list[str]:
    cells = {
        "region": version.printed_region,
        "state": version.state_text,
        "date": version.when.raw,
        **{c.field: version.text(c.field).marked() for c in COLUMNS if c.free_text},
    }
    if discussion is not None:  # another meeting: its own people, discussion, issues and notes
        for field in ("poc", "attendees", "issues", "follow_up", "leadership_awareness", "leadership_action", "next_engagement", "notes"):
            cells[field] = ""
        cells["attendees"] = "Deputy clerks of three counties; the State's voting-systems manager"
        cells["discussion"] = discussion
    if extra:
        cells["notes"] = (cells.get("notes", "") + " " + extra).strip()
    return [cells.get(c.field, "") for c in COLUMNS]


def _weeks():
    """Tables as (title, rows): the title line carries the region, as in the record."""
    readings = normalise_tables(read_path(FIXTURE))
    week1 = [(reading.table.title or TITLE, [_row(v) for v in reading.versions]) for reading in readings]
    dated = [(reading.table.title or TITLE, v) for reading in readings for v in reading.versions if v.when.date and v.state]
    (title_a, a), (title_b, b) = dated[0], dated[5]
    update = "Update: the State confirmed the follow-up was completed."
    other = "A separate tabletop exercise with county clerks on ballot-on-demand printers and e-pollbook failover."
    # the different meeting comes first, in a table of its own: only the text can tell it apart
    week2 = [(title_a, [_row(a, discussion=other)]), (title_b, [_row(b, extra=update)]), (title_a, [_row(a, extra=update)])]
    return week1, week2


def _workbook(tables_by_sheet) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for n, tables in enumerate(tables_by_sheet, start=1):
        sheet = book.create_sheet(f"Sheet {n}")
        for title, rows in tables:
            sheet.append([title])
            sheet.append([c.header for c in COLUMNS])
            for row in rows:
                sheet.append(row)
            sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_stacked_weeks_in_one_sheet_equal_the_same_tables_imported_apart():
    week1, week2 = _weeks()
    stacked = preview_import(_workbook([week1 + week2]), "tracker.xlsx")  # every table in one sheet
    apart = preview_import(_workbook([[t] for t in week1 + week2]), "weekly.xlsx")  # one table per sheet
    first_week = preview_import(_workbook([week1]), "week1.xlsx")

    def keys(preview):
        return sorted(
            (m.versions[0].state_text, m.versions[0].when.raw, m.versions[0].text("location").marked(), len(m.versions))
            for m in preview.meetings
        )

    assert len(first_week.meetings) == 42  # the released record's meetings, as the engine's tests list them
    assert keys(stacked) == keys(apart)
    assert len(stacked.meetings) == 42 + 1  # the two reprints merged; the different meeting with the same key did not
    reprinted = [m for m in stacked.meetings if any("Update: the State confirmed" in v.text("notes").marked() for v in m.versions)]
    assert len(reprinted) == 2 and all(len(m.versions) >= 2 for m in reprinted)
    separate = [m for m in stacked.meetings if "tabletop exercise" in m.versions[0].text("discussion").marked()]
    assert len(separate) == 1 and len(separate[0].versions) == 1
