"""Import limits: the same size limit on every path, cells and workbook parts bounded while
reading, NUL bytes and UTF-16 without a byte-order mark, an unbalanced quote — each refused with
the limit or the problem named, and nothing written."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from safelect.programs.engagements.importing import HEADERS, MAX_FILE_BYTES, ImportRefused, preview_import
from safelect.programs.engagements.models import Engagement, ImportBatch

HEADER = ",".join(f'"{h}"' for h in HEADERS.values()) + "\n"
ROW = '5,Wisconsin,,10/11/2017,Madison,,"Clerk",Logging,,,,,,\n'


def test_a_file_over_the_limit_is_refused_before_parsing_with_the_limit_named():
    big = (HEADER + ROW * (MAX_FILE_BYTES // len(ROW) + 10)).encode()
    with pytest.raises(ImportRefused, match=r"the file is 20\.\d MB; the limit is 20\.0 MB"):
        preview_import(big, "tracker.csv")


def test_a_cell_over_the_limit_is_refused():
    data = (HEADER + '5,Wisconsin,,10/11/2017,Madison,,"' + "x" * 40_000 + '",,,,,,,\n').encode()
    with pytest.raises(ImportRefused, match=r"column 7, has 40,000 characters; the limit is 32,767"):
        preview_import(data, "tracker.csv")


def test_a_workbook_whose_part_unpacks_too_large_is_refused_from_the_zip_index():
    """A small file that would unpack to a huge cell (the 394 KB workbook with a 400 MB cell)."""
    book = Workbook()
    book.active.append(list(HEADERS.values()))
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/sharedStrings-huge.xml", b"<sst>" + b"A" * (101 * 1024 * 1024) + b"</sst>")
    assert len(bomb.getvalue()) < 1024 * 1024
    with pytest.raises(ImportRefused, match="unpacks to 101.0 MB; the limit is 100.0 MB"):
        preview_import(bomb.getvalue(), "tracker.xlsx")


def test_a_nul_byte_after_the_first_8_kb_is_refused_at_preview_with_its_line():
    data = (HEADER + ROW * 200).encode() + b"5,Wis\x00consin,,10/11/2017,Madison,,,,,,,,,\n"
    assert len(data) > 8192
    with pytest.raises(ImportRefused, match=r"a NUL character at line 202"):
        preview_import(data, "tracker.csv")


def test_utf16_without_a_byte_order_mark_is_read_as_text():
    data = (HEADER + ROW).encode("utf-16-le")
    preview = preview_import(data, "tracker.csv")
    assert len(preview.meetings) == 1 and preview.meetings[0].state.abbr == "WI"


def test_an_unbalanced_quote_is_refused_instead_of_swallowing_later_rows():
    data = (HEADER + '5,Wisconsin,,10/11/2017,"Madison,,,,,,,,,\n' + ROW.replace('"', "") * 3).encode()
    with pytest.raises(ImportRefused, match=r"starts on line 2 is never closed"):
        preview_import(data, "tracker.csv")


@pytest.mark.django_db
def test_the_api_and_the_page_refuse_an_oversized_upload_quickly_and_store_nothing(make_member, settings):
    _, staff = make_member("national_program_staff")
    before = Engagement.objects.count()
    big = SimpleUploadedFile("tracker.csv", (HEADER + ROW * (MAX_FILE_BYTES // len(ROW) + 10)).encode(), "text/csv")
    response = staff.post("/api/engagements/imports", {"file": big})
    assert response.status_code == 422 and "the limit is 20.0 MB" in response.json()["detail"]
    big.seek(0)
    page = staff.post("/engagements/import/", {"file": big})
    assert page.status_code == 200 and "the limit is 20.0 MB" in page.content.decode()
    assert not ImportBatch.objects.exists() and Engagement.objects.count() == before


def test_the_command_refuses_over_its_limit_without_a_traceback(tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_text(HEADER + ROW * (2 * 1024 * 1024 // len(ROW)))
    safelect = str(Path(sys.executable).with_name("safelect"))
    refused = subprocess.run(
        [safelect, "engagements", "import", str(path), "--dry-run", "--json", "--max-size", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2 and "the limit is 1.0 MB" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.django_db
def test_the_command_accepts_a_raised_limit(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "tracker.csv"
    path.write_text(HEADER + ROW * (2 * 1024 * 1024 // len(ROW)))
    out = io.StringIO()
    call_command("engagements", "import", str(path), "--dry-run", "--json", "--max-size", "3", stdout=out)
    assert json.loads(out.getvalue())["dry_run"] is True
