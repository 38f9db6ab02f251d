"""Importing at the database: commit the released record, re-import, other formats, refusals.

The engine's tests list the 42 meetings of ``000_61a82f5df613671c.txt`` by hand and explain
each (``test_import_document.EXPECTED``); here committing that file must give exactly those
records, keep all 65 printed rows as source versions and queue the review flags.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from safelect.core.journal.models import Entry
from safelect.programs.engagements import services
from safelect.programs.engagements.access import Actor
from safelect.programs.engagements.importing import COLUMNS, TITLE, ImportRefused, read_path
from safelect.programs.engagements.models import Engagement, ImportBatch, ReviewFlag, SourceVersion

FIXTURE = Path(__file__).parent / "fixtures" / "000_61a82f5df613671c.txt"
SYSTEM = Actor.system()


def _counts() -> tuple[int, ...]:
    return (
        Engagement.objects.count(),
        SourceVersion.objects.count(),
        ReviewFlag.objects.count(),
        ImportBatch.objects.count(),
        Entry.objects.count(),
    )


def _commit(data: bytes, name: str):
    return services.commit_import(data, name, SYSTEM)


@pytest.mark.django_db
def test_committing_the_released_record_gives_one_engagement_per_real_meeting():
    result = _commit(FIXTURE.read_bytes(), FIXTURE.name)
    assert result.committed and not result.already_imported
    assert Engagement.objects.count() == 42  # the engine test's hand-written list
    assert SourceVersion.objects.count() == 65  # every printed row kept as provenance
    report = result.report()
    assert report["engagements_created"] == 42 and report["duplicates_merged"] == 23
    assert [r["row"]["line"] for r in report["rejected"]] == [47, 102]
    assert ReviewFlag.objects.filter(status="open").count() == len(report["flags"]) > 0
    vermont = Engagement.objects.get(state__usps="VT")
    assert vermont.region.number == 1 and vermont.meeting_date.isoformat() == "2017-09-28"
    assert [v.position["line"] for v in vermont.source_versions.all()] == [6, 70]
    assert vermont.organization.key == "state:VT"
    misread = Engagement.objects.get(state_text="North Idaho")
    assert misread.state is None and misread.region.number == 1
    assert set(misread.flags.values_list("kind", flat=True)) >= {"region_mismatch", "unknown_state", "version_conflict"}
    assert Engagement.objects.filter(region__number=2, state__usps="NJ").count() == 9
    maine = Engagement.objects.get(state__usps="ME")
    assert maine.attendees.foia() == "(b)(6) (b)(5)"
    # one journal entry per engagement plus one for the batch
    assert Entry.objects.filter(action="engagements:engagement:import").count() == 42
    assert Entry.objects.filter(action="engagements:import:commit").count() == 1


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing():
    _commit(FIXTURE.read_bytes(), FIXTURE.name)
    before = _counts()
    again = _commit(FIXTURE.read_bytes(), FIXTURE.name)
    assert again.already_imported and not again.committed
    report = again.report()
    assert report["engagements_created"] == 0 and report["duplicates_merged"] == 0
    assert report["unchanged"] == 65
    assert _counts() == before


def _xlsx_other_order() -> bytes:
    order = list(range(13))
    random.Random(11).shuffle(order)
    book = Workbook()
    sheet = book.active
    for table in read_path(FIXTURE):
        width = max([len(table.header.cells)] + [len(r.cells) for r in table.rows])
        columns = order + list(range(13, width))
        pad = lambda cells: list(cells) + [""] * (width - len(cells))  # noqa: E731
        sheet.append([TITLE])
        sheet.append([pad(table.header.cells)[i] or None for i in columns])
        for row in table.rows:
            sheet.append([pad(row.cells)[i] or None for i in columns])
        sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_same_content_as_xlsx_in_another_column_order_commits_the_same_records():
    _commit(_xlsx_other_order(), "summary.xlsx")
    from_xlsx = sorted(Engagement.objects.values_list("fingerprint", "content_hash"))
    assert len(from_xlsx) == 42
    Engagement.objects.all().delete()
    ImportBatch.objects.all().delete()
    _commit(FIXTURE.read_bytes(), FIXTURE.name)
    assert sorted(Engagement.objects.values_list("fingerprint", "content_hash")) == from_xlsx
    # and the text version of the same content is then already imported
    assert _commit(_xlsx_other_order(), "again.xlsx").already_imported


def _missing_column() -> bytes:
    headers = [c.header for c in COLUMNS if c.field != "follow_up"]
    return (",".join(headers) + "\n" + ",".join(["1", "Vermont", "", "9/28/2017"] + [""] * 8) + "\n").encode()


def _xlsx_named_csv() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, name, problem",
    [
        (_missing_column(), "summary.csv", "'Follow-up Required'"),
        (_xlsx_named_csv(), "summary.csv", "ZIP archive"),
        (b"\x00\x01\x02binary\xff\xfe" * 20, "summary.csv", "binary content"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(data, name, problem):
    before = _counts()
    with pytest.raises(ImportRefused, match=problem):
        _commit(data, name)
    with pytest.raises(ImportRefused, match=problem):
        services.upload_for_preview(data, name, SYSTEM)
    assert _counts() == before


@pytest.mark.django_db
def test_an_error_midway_rolls_the_whole_file_back(monkeypatch):
    from safelect.programs.engagements.services import imports

    calls = {"n": 0}
    original = imports._write_meeting

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 30:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(imports, "_write_meeting", failing)
    before = _counts()
    with pytest.raises(RuntimeError):
        _commit(FIXTURE.read_bytes(), FIXTURE.name)
    assert _counts() == before


@pytest.mark.django_db
def test_upload_preview_then_commit_once():
    batch, preview = services.upload_for_preview(FIXTURE.read_bytes(), FIXTURE.name, SYSTEM)
    assert batch.state == "previewed" and preview.engagements_created == 42
    assert Engagement.objects.count() == 0  # a preview writes no engagement
    result = services.commit_batch(batch.pk, SYSTEM)
    assert result.committed and Engagement.objects.count() == 42
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already committed"):
        services.commit_batch(batch.pk, SYSTEM)
    second, preview = services.upload_for_preview(FIXTURE.read_bytes(), FIXTURE.name, SYSTEM)
    assert preview.changes_nothing
    assert services.commit_batch(second.pk, SYSTEM).already_imported
    second.refresh_from_db()
    assert second.state == "unchanged" and Engagement.objects.count() == 42
