"""CSV and XLSX input, refusals, and export → import round trips.

"The same content as XLSX with columns in another order imports to the same result; a file
with a missing required column, or a binary file named .csv, is refused with a message
naming the problem, and nothing is written. Export → import round-trips without change."
Workbooks and CSVs are generated here with openpyxl and csv rather than committed.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from safelect.programs.engagements.importing import (
    COLUMNS,
    TITLE,
    ImportPreview,
    ImportRefused,
    Meeting,
    canonical_cells,
    preview_import,
    read_path,
)

FIXTURE = Path(__file__).parent / "fixtures" / "000_61a82f5df613671c.txt"
HEADERS = [column.header for column in COLUMNS]


def _document_tables() -> list[tuple[list[str], list[list[str]]]]:
    """The record's tables as (header, rows) with the record's own header spellings."""
    return [(list(t.header.cells), [list(r.cells) for r in t.rows]) for t in read_path(FIXTURE)]


def _reorder(header: Sequence[str], rows: list[list[str]], order: list[int]):
    width = max([len(header)] + [len(r) for r in rows])
    pad = lambda cells: list(cells) + [""] * (width - len(cells))  # noqa: E731
    new_order = order + list(range(len(order), width))  # extra (shifted) cells stay last
    return [pad(header)[i] for i in new_order], [[pad(r)[i] for i in new_order] for r in rows]


def _xlsx(tables, *, one_sheet: bool) -> bytes:
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("Summary") if one_sheet else None
    for number, (header, rows) in enumerate(tables, start=1):
        if not one_sheet:
            sheet = book.create_sheet(f"Table {number}")
        assert sheet is not None
        sheet.append([TITLE])
        sheet.append(header)
        for row in rows:
            sheet.append([cell if cell != "" else None for cell in row])
        sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(tables) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for header, rows in tables:
        writer.writerow([TITLE])
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])
    return out.getvalue().encode("utf-8")


def _summary(meeting: Meeting) -> tuple:
    return (
        meeting.key,
        meeting.state.abbr if meeting.state else None,
        meeting.state_text,
        meeting.when.key(),
        {name: text for name, text in meeting.texts.items() if text},
        len(meeting.versions),
        sorted((f.kind.value, f.field) for f in meeting.flags if f.kind.value != "ignored_column"),
    )


def _same_result(a: ImportPreview, b: ImportPreview) -> None:
    assert [_summary(m) for m in a.meetings] == [_summary(m) for m in b.meetings]
    assert [m.fingerprint for m in a.meetings] == [m.fingerprint for m in b.meetings]
    assert a.engagements_created == b.engagements_created
    assert a.duplicates_merged == b.duplicates_merged
    assert len(a.rejected) == len(b.rejected)


@pytest.fixture(scope="module")
def original() -> ImportPreview:
    return preview_import(FIXTURE.read_bytes(), FIXTURE.name)


@pytest.mark.parametrize("one_sheet", [True, False])
def test_xlsx_with_columns_in_another_order_imports_to_the_same_result(original, one_sheet) -> None:
    order = list(range(13))
    random.Random(5).shuffle(order)
    tables = [_reorder(h, rows, order) for h, rows in _document_tables()]
    again = preview_import(_xlsx(tables, one_sheet=one_sheet), "summary.xlsx")
    _same_result(original, again)
    assert again.meetings[6].versions[0].position.sheet in ("Summary", "Table 2")


def test_csv_with_columns_in_another_order_imports_to_the_same_result(original) -> None:
    order = list(reversed(range(13)))
    tables = [_reorder(h, rows, order) for h, rows in _document_tables()]
    _same_result(original, preview_import(_csv(tables), "summary.csv"))


def _export(meetings: Sequence[Meeting], order: list[int]) -> list[tuple[list[str], list[list[str]]]]:
    """One table per region, canonical headers, columns in ``order`` (a writer's job)."""
    by_region: dict[int, list[list[str]]] = {}
    for meeting in meetings:
        cells = canonical_cells(meeting)
        by_region.setdefault(meeting.region or 0, []).append([cells[h] for h in HEADERS])
    return [_reorder(HEADERS, rows, order) for rows in by_region.values()]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trips_the_meetings(original, fmt) -> None:
    order = list(range(13))
    random.Random(7).shuffle(order)
    tables = _export(original.meetings, order)
    data = _csv(tables) if fmt == "csv" else _xlsx(tables, one_sheet=False)
    again = preview_import(data, f"export.{fmt}")
    by_key = lambda p: sorted(  # noqa: E731
        ((m.key, m.state_text, m.when.key(), {n: t for n, t in m.texts.items() if t}) for m in p.meetings),
        key=repr,
    )
    assert by_key(again) == by_key(original)
    assert again.engagements_created == 42 and again.duplicates_merged == 0
    # exported once more, the export is identical: the round trip is stable
    again_cells = sorted(tuple(canonical_cells(m).values()) for m in again.meetings)
    assert again_cells == sorted(tuple(canonical_cells(m).values()) for m in original.meetings)


def test_release_export_renders_exemption_codes(original) -> None:
    maine = canonical_cells(original.meetings[2], release=True)
    assert maine["Key Attendees & Affiliation other than POC"] == "(b)(6) (b)(5)"


def _canonical_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


ROW = ["1", "Vermont", "", "9/28/2017", "", "(b) (6)", "text", "", "", "", "", "", ""]


def test_missing_required_column_is_refused_with_its_name() -> None:
    header = [h for h in HEADERS if h != "Key Discussion Points"]
    with pytest.raises(ImportRefused, match="Key Discussion Points"):
        preview_import(_canonical_csv(header, [ROW[:12]]), "missing.csv")


def test_missing_state_column_is_refused_with_its_name() -> None:
    header = [h for h in HEADERS if h != "State"]
    with pytest.raises(ImportRefused, match="'State'"):
        preview_import(_canonical_csv(header, [ROW[:12]]), "missing.csv")


def test_duplicated_column_is_refused() -> None:
    with pytest.raises(ImportRefused, match="twice"):
        preview_import(_canonical_csv(HEADERS + ["DHS FOC"], [ROW]), "dup.csv")


@pytest.mark.parametrize(
    ("data", "name", "problem"),
    [
        (b"", "empty.csv", "empty"),
        (b"  \n\n", "blank.txt", "empty"),
        (b"\x00\x01\x02binary\x00" * 10, "data.csv", "binary"),
        (b"PK\x03\x04" + b"\x00" * 40, "book.csv", "ZIP"),
        (b"%PDF-1.4 ...", "scan.csv", "PDF"),
        ("Region,State\n1,Québec\n".encode("latin-1"), "latin.csv", "not UTF-8"),
        (b"not a workbook", "book.xlsx", "not a valid XLSX"),
        (b"PK\x03\x04 truncated zip", "book.xlsx", "not a valid XLSX"),
        (b"Region,State\n", "summary.pdf", "unsupported file type"),
        (b"Region\tState\n", "old.xls", ".xls"),
        (b"just some prose\nand more\n", "notes.txt", "no weekly-summary header"),
        (b"1,Vermont,x,9/28/2017,a,b\n", "headless.csv", "data before any header"),
    ],
)
def test_bad_files_are_refused_with_the_problem_named(data: bytes, name: str, problem: str) -> None:
    with pytest.raises(ImportRefused, match=problem):
        preview_import(data, name)


def test_real_xlsx_renamed_to_csv_is_refused() -> None:
    data = _xlsx([(HEADERS, [ROW])], one_sheet=True)
    with pytest.raises(ImportRefused, match="ZIP archive"):
        preview_import(data, "summary.csv")


def test_utf8_bom_utf16_and_tab_separated_csv_are_read() -> None:
    text = "\t".join(HEADERS) + "\n" + "\t".join(ROW) + "\n"
    for data, name in [(b"\xef\xbb\xbf" + text.encode(), "bom.txt"), (text.encode("utf-16"), "wide.txt"), (text.encode(), "tabs.csv")]:
        preview = preview_import(data, name)
        assert [m.state_text for m in preview.meetings] == ["Vermont"], name


def test_header_synonyms_and_an_unknown_extra_column() -> None:
    header = [
        "Region",
        "State",
        "Meeting Location",
        "Meeting Date",
        "DHS FOC",
        "Key Attendees & Affiliations (other than FOC)",
        "Key Discussion Points",
        "Issues or Concerns",
        "Follow-up Required",
        "For NFPD Leadership Awareness",
        "Leadership Action",
        "Next Scheduled Meeting",
        "Notes / Comments",
        "Internal ID",
    ]
    preview = preview_import(_canonical_csv(header, [ROW + ["X-1"]]), "synonyms.csv")
    assert preview.meetings[0].text("attendees").exemptions == ("(b)(6)",)
    assert [n.kind.value for n in preview.notes] == ["ignored_column"]


def test_csv_cells_with_newlines_keep_their_line_numbers() -> None:
    rows = [ROW[:6] + ["line one\nline two"] + ROW[7:], ["1", "Maine"] + [""] * 11]
    preview = preview_import(_canonical_csv(HEADERS, rows), "multi.csv")
    assert [v.position.line for m in preview.meetings for v in m.versions] == [2, 4]


def test_identical_row_printed_twice_in_one_table_is_one_meeting_flagged() -> None:
    other = ["1", "Maine", "", "Pending"] + [""] * 9
    preview = preview_import(_canonical_csv(HEADERS, [ROW, other, ROW]), "twice.csv")
    assert len(preview.meetings) == 2
    vermont = preview.meetings[0]
    assert [v.position.line for v in vermont.versions] == [2, 4]
    assert len({v.fingerprint for v in vermont.versions}) == 2  # both printings kept
    assert [f.kind.value for f in vermont.flags] == ["duplicate_row"]
    assert [r.outcome for r in preview.rows] == ["create", "create", "flag"]


def test_a_table_without_years_takes_the_files_reporting_period() -> None:
    with_year = ROW
    no_year = ["9", "Nevada", "Las Vegas", "11-Oct"] + [""] * 9
    data = _csv([(HEADERS, [with_year]), (HEADERS, [no_year])])
    preview = preview_import(data, "two.csv")
    nevada = preview.meetings[1]
    assert nevada.when.date == __import__("datetime").date(2017, 10, 11)
    assert any("file's dates" in n.message for n in nevada.flags if n.kind.value == "inferred_year")


def test_impossible_and_unknown_values_in_a_csv_are_flagged() -> None:
    rows = [["1", "Vermont", "", "2/30/2017"] + [""] * 9, ["3", "Atlantis", "", "9/1/2017"] + [""] * 9]
    preview = preview_import(_canonical_csv(HEADERS, rows), "odd.csv")
    kinds = {(f.row.line, f.kind.value) for f in preview.flags if f.row}
    assert (2, "impossible_date") in kinds and (3, "unknown_state") in kinds
    assert [r.outcome for r in preview.rows] == ["flag", "flag"]
    assert json.loads(json.dumps(preview.to_json()))["engagements_created"] == 2
