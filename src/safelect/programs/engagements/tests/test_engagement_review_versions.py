"""The review queue lets a person choose which version of a disagreeing field to keep."""

from __future__ import annotations

from pathlib import Path

import pytest

from safelect.core.accounts.testing import make_member
from safelect.core.journal.models import Entry
from safelect.programs.engagements import services
from safelect.programs.engagements.access import Actor
from safelect.programs.engagements.importing import parse_redacted
from safelect.programs.engagements.models import ReviewFlag

FIXTURE = Path(__file__).parent / "fixtures" / "000_61a82f5df613671c.txt"
pytestmark = pytest.mark.django_db


def _text_conflict() -> ReviewFlag:
    services.commit_import(FIXTURE.read_bytes(), FIXTURE.name, Actor.system())
    flags = ReviewFlag.objects.filter(kind="version_conflict", status="open").exclude(field__in=("state", "date", "region"))
    for flag in flags:
        texts = {v.texts.get(flag.field, "") for v in flag.engagement.source_versions.all()}
        if len(texts) > 1:
            return flag
    pytest.fail("the released record has a free-text disagreement between two printings")


def test_the_reviewer_keeps_the_earlier_versions_text():
    flag = _text_conflict()
    engagement = flag.engagement
    versions = list(engagement.source_versions.order_by("batch_id", "pk"))
    current = getattr(engagement, flag.field).marked()
    chosen = next(v for v in versions if v.texts.get(flag.field, "") != current)
    _, client = make_member("national_program_staff", "national-office")
    page = client.get(f"/engagements/review/{flag.pk}/").content.decode()
    assert "Keep the text of" in page and "The text as it is now" in page
    answer = client.post(
        f"/engagements/review/{flag.pk}/", {"outcome": "resolved", "note": "the earlier printing is right", "keep": str(chosen.pk)}
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    engagement.refresh_from_db()
    assert getattr(engagement, flag.field) == parse_redacted(chosen.texts[flag.field])
    flag.refresh_from_db()
    assert flag.status == "resolved"
    entry = Entry.objects.filter(action="engagements:flag:resolved").latest("id")
    assert entry.summary["kept_version"] == str(chosen)


def test_a_version_of_another_engagement_is_refused():
    flag = _text_conflict()
    other = next(v for v in flag.batch.versions.all() if v.engagement_id != flag.engagement_id)
    with pytest.raises(Exception, match="choose a version of this engagement"):
        services.resolve_flag(Actor.system(), flag, "resolved", "x", keep=other)
    flag.refresh_from_db()
    assert flag.status == "open"
