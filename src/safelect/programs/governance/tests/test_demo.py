"""The governance demo is recorded through the services, twice without duplicates, and shows what
the pages are for: a published version with a comment whose SSN was removed, a version open for
comment with one comment held, the panel complete and the Commission one seat short."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safelect.core.accounts.demo import create_demo_data as create_accounts
from safelect.core.comments.models import Comment
from safelect.programs.governance import bodies
from safelect.programs.governance.demo import create_demo_data
from safelect.programs.governance.models import Body, GuidelineVersion, Report

pytestmark = pytest.mark.django_db


def test_the_demo_is_idempotent_and_shows_each_state():
    create_accounts()
    create_demo_data()
    create_demo_data()
    v1, v2 = GuidelineVersion.objects.order_by("number")
    assert (v1.status, v2.status) == ("published", "comment")
    published = Comment.objects.filter(solicitation=v1.solicitation, status="published")
    assert published.count() == 2 and not any("219-09-9999" in c.published_text for c in published)
    assert Comment.objects.filter(solicitation=v2.solicitation, status="held").count() == 1
    assert bodies.status(Body.objects.get(kind="panel"))["violations"] == []
    assert any("§302(c)(1)" in v for v in bodies.status(Body.objects.get(kind="commission"))["violations"])
    assert Report.objects.get(kind="strategy").status == "submitted"
    assert Report.objects.get(kind="implementation-plan").objectives.count() == 2
    client = Client()
    page = client.get(reverse("governance:guideline", args=[1]))
    assert page.status_code == 200 and b"[Social Security number removed]" in page.content and b"219-09-9999" not in page.content
    diff = client.get(reverse("governance:diff", args=[2]))
    assert diff.status_code == 200 and b"Election-night reporting" in diff.content
    home = client.get(reverse("governance:home"))
    assert home.status_code == 200 and b"Open for public comment" in home.content
