"""Weekly summary exports; export → import round trip; the FOIA release withholds."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from safelect.core.directory.models import State
from safelect.programs.engagements import exports, services
from safelect.programs.engagements.access import Actor
from safelect.programs.engagements.models import Engagement, ImportBatch, SourceVersion

FIXTURE = Path(__file__).parent / "fixtures" / "000_61a82f5df613671c.txt"
SYSTEM = Actor.system()
SECRET = "Jane Q. Clerk, deputy director"


@pytest.fixture
def records(db):
    services.commit_import(FIXTURE.read_bytes(), FIXTURE.name, SYSTEM)
    wisconsin = State.objects.get(usps="WI")
    return services.create_engagement(
        SYSTEM,
        {
            "state": wisconsin,
            "meeting_date": dt.date(2017, 10, 11),
            "location": "Madison, WI",
            "attendees": f"[[(b)(6)|{SECRET}]], Wisconsin Elections Commission",
            "discussion": "Reviewed the voter registration system's logging. [[(b)(5)|Considering a pilot audit.]]",
            "leadership_awareness": "[[(b)(5)|Budget shortfall for poll-book upgrades]]",
        },
    )


def _all(release: bool = False):
    return exports.build_summary(Engagement.objects.all(), release=release)


def _snapshot():
    return (
        Engagement.objects.count(),
        SourceVersion.objects.count(),
        ImportBatch.objects.count(),
        sorted(Engagement.objects.values_list("content_hash", flat=True)),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(records, fmt):
    data = exports.write(_all(), fmt)
    before = _snapshot()
    result = services.commit_import(data, f"export.{fmt}", SYSTEM)
    report = result.report()
    assert result.already_imported, [r for r in report["rows"] if r["outcome"] != "unchanged"][:3]
    assert report["engagements_created"] == 0 and report["duplicates_merged"] == 0
    assert report["unchanged"] == 43 and not report["rejected"]
    assert _snapshot() == before


@pytest.mark.django_db
def test_export_of_a_region_and_period_reads_back_as_the_same_meetings(records):
    summary = exports.build_summary(
        Engagement.objects.all(), release=False, region=5, date_from=dt.date(2017, 10, 9), date_to=dt.date(2017, 10, 15)
    )
    assert [t.region for t in summary.tables] == [5]
    assert [r["State"] for r in summary.tables[0].rows] == ["Wisconsin"]
    preview = services.preview_file(exports.write(summary, "csv"), "week.csv")
    assert preview.changes_nothing and len(preview.meetings) == 1


@pytest.mark.django_db
def test_the_foia_release_contains_no_redacted_text(records):
    internal = exports.write(_all(), "csv").decode()
    assert SECRET in internal  # the internal document keeps the content (lossless)
    for fmt in ("csv", "xlsx"):
        data = exports.write(_all(release=True), fmt)
        text = (
            data.decode()
            if fmt == "csv"
            else "\n".join(str(c) for ws in load_workbook(io.BytesIO(data)) for row in ws.iter_rows(values_only=True) for c in row if c)
        )
        for withheld in (SECRET, "Considering a pilot audit", "Budget shortfall"):
            assert withheld not in text, (fmt, withheld)
        assert "(b)(6), Wisconsin Elections Commission" in text
        assert "[[" not in text
    pdf = exports.write(_all(release=True), "pdf")
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    if text is not None:
        assert SECRET not in text and "Budget shortfall" not in text and "Weekly Summary" in text


def _pdf_text(pdf: bytes) -> str | None:
    try:
        done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    except (FileNotFoundError, subprocess.CalledProcessError):
        return None
    return done.stdout.decode()


@pytest.mark.django_db
def test_xlsx_layout(records):
    book = load_workbook(io.BytesIO(exports.write(_all(), "xlsx")))
    assert book.sheetnames[:2] == ["Region 1", "Region 2"]
    sheet = book["Region 5"]
    assert sheet["A1"].value == "Weekly Summary for Meetings with Elections Infrastructure Officials"
    assert sheet["A2"].value.startswith("Region 5")
    assert [c.value for c in sheet[3]] == exports.HEADERS and sheet["A3"].font.bold
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    column = exports.HEADERS.index("Meeting Date") + 1
    dates = [sheet.cell(row=r, column=column) for r in range(4, sheet.max_row + 1)]
    exact = [c for c in dates if isinstance(c.value, dt.datetime)]
    assert exact and all(c.number_format == "m/d/yyyy" for c in exact)  # sortable date cells, not text
    assert all(isinstance(c.value, str) for c in dates if c not in exact and c.value)  # "Pending", "TBD" stay words


@pytest.mark.django_db
def test_pdf_is_landscape_with_a_repeating_header(records):
    from safelect.programs.engagements.exports.document import render_html

    html = render_html(_all())
    assert "size: letter landscape" in html and "thead { display: table-header-group; }" in html
    pdf = exports.write(_all(), "pdf")
    assert pdf.startswith(b"%PDF")
    from weasyprint import HTML

    pages = HTML(string=html).render().pages
    assert len(pages) >= 7 and all((p.width, p.height) == (1056, 816) for p in pages)  # 11 x 8.5 in
