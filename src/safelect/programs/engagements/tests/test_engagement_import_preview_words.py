"""The import preview's numbers agree, a preview can be discarded, and a file imported before
promises nothing again."""

from __future__ import annotations

from pathlib import Path

import pytest

from safelect.core.accounts.testing import make_member
from safelect.core.journal.models import Entry
from safelect.programs.engagements import services
from safelect.programs.engagements.access import Actor
from safelect.programs.engagements.models import Engagement, ImportBatch

FIXTURE = Path(__file__).parent / "fixtures" / "000_61a82f5df613671c.txt"
pytestmark = pytest.mark.django_db


def test_row_badges_add_up_to_the_summary():
    batch, preview = services.upload_for_preview(FIXTURE.read_bytes(), FIXTURE.name, Actor.system())
    report = batch.report
    counts = report["row_counts"]
    assert counts["create"] == report["engagements_created"] == 42
    assert counts["merge"] == report["duplicates_merged"] == 23
    assert counts["reject"] == len(report["rejected"]) == 2
    assert sum(counts[k] for k in ("create", "merge", "reject", "unchanged")) == report["rows_read"]
    _, client = make_member("national_program_staff", "national-office")
    page = client.get(f"/engagements/import/{batch.pk}/").content.decode()
    assert page.count('<span class="usa-tag">create</span>') == 42 + 1  # each row's badge, plus the legend
    assert page.count('<span class="usa-tag">merge</span>') == 23 + 1


def test_a_preview_is_discarded_and_a_committed_import_is_not():
    _, client = make_member("national_program_staff", "national-office")
    batch, _ = services.upload_for_preview(FIXTURE.read_bytes(), FIXTURE.name, Actor.system())
    assert client.post(f"/engagements/import/{batch.pk}/discard/").status_code == 302
    assert not ImportBatch.objects.filter(pk=batch.pk).exists() and Engagement.objects.count() == 0
    assert Entry.objects.filter(action="engagements:import:discard").count() == 1
    committed, _ = services.upload_for_preview(FIXTURE.read_bytes(), FIXTURE.name, Actor.system())
    services.commit_batch(committed.pk, Actor.system())
    answer = client.post(f"/api/engagements/imports/{committed.pk}/discard")
    assert answer.status_code == 422 and "only a preview can be discarded" in answer.json()["detail"]
    assert ImportBatch.objects.filter(pk=committed.pk).exists()
    _, county = make_member("local_election_official", "jurisdiction:0100100000")
    again, _ = services.upload_for_preview(FIXTURE.read_bytes(), FIXTURE.name, Actor.system())
    assert county.post(f"/engagements/import/{again.pk}/discard/").status_code in (403, 404)
    assert ImportBatch.objects.filter(pk=again.pk).exists()


def test_previewing_a_file_already_imported_promises_no_flags():
    services.commit_import(FIXTURE.read_bytes(), FIXTURE.name, Actor.system())
    batch, preview = services.upload_for_preview(FIXTURE.read_bytes(), FIXTURE.name, Actor.system())
    assert batch.report["flags"] == [] and batch.report["engagements_created"] == 0
    assert batch.report["row_counts"]["unchanged"] == 65
