"""``safelect engagements import/export``, through Django's call_command."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from safelect.programs.engagements.models import Engagement, ImportBatch

FIXTURE = Path(__file__).parent / "fixtures" / "000_61a82f5df613671c.txt"


def _run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("engagements", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_dry_run_then_import_then_reimport():
    out, _ = _run("import", str(FIXTURE), "--dry-run", "--json")
    report = json.loads(out)
    assert report["engagements_created"] == 42 and report["dry_run"]
    assert {"row", "kind", "message"} <= set(report["flags"][0]) and report["rejected"]
    assert Engagement.objects.count() == 0 and ImportBatch.objects.count() == 0
    out, _ = _run("import", str(FIXTURE))
    assert "42 engagement(s) were created, 23 row(s) were merged" in out
    out, _ = _run("import", str(FIXTURE), "--json")
    again = json.loads(out)
    assert again["already_imported"] and again["engagements_created"] == 0 and again["duplicates_merged"] == 0
    assert Engagement.objects.count() == 42 and ImportBatch.objects.count() == 1


@pytest.mark.django_db
def test_refused_file_is_one_line_and_exit_status_2(tmp_path):
    bad = tmp_path / "summary.csv"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("engagements", "import", str(bad), stdout=StringIO(), stderr=err)
    assert exit_.value.code == 2
    assert err.getvalue().count("\n") == 1 and "ZIP archive" in err.getvalue()
    assert Engagement.objects.count() == 0


@pytest.mark.django_db
def test_export_foia_release_for_a_region(tmp_path):
    _run("import", str(FIXTURE))
    target = tmp_path / "r9.csv"
    out, _ = _run("export", "--format", "csv", "--region", "9", "--foia", "--out", str(target))
    assert "6 engagement(s)" in out and "FOIA release" in out
    text = target.read_text()
    assert text.startswith("Weekly Summary for Meetings with Elections Infrastructure Officials")
    assert "Region 9" in text and "Vermont" not in text
    for fmt in ("xlsx", "pdf"):
        _run("export", "--format", fmt, "--from", "2017-10-01", "--to", "2017-10-14", "--out", str(tmp_path / f"w.{fmt}"))
        assert (tmp_path / f"w.{fmt}").stat().st_size > 1000
