"""Every governance write on the pages, tried by a member of every other role and by the public: the
answer is a refusal (403, 404, or the sign-in page for the public) and nothing changes — no journal
entry, no state moved. Staff's and leadership's own refusals are in the other tests."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safelect.core.accounts.actor import Actor
from safelect.core.accounts.models import Membership
from safelect.core.accounts.roles import ROLES
from safelect.core.accounts.testing import make_member
from safelect.core.journal.models import Entry
from safelect.programs.governance import bodies, guidelines, reports
from safelect.programs.governance.forms import parse_sections
from safelect.programs.governance.models import Body, GuidelineVersion, Report

pytestmark = pytest.mark.django_db
ALLOWED = {"national_program_staff", "national_leadership"}


def _writes(version: GuidelineVersion, report: Report, body: Body) -> list[tuple[str, dict]]:
    guideline = reverse("governance:guideline", args=[version.number])
    member = body.members.first()
    steps = ["close-comment", "submit-secretary", "send-congress", "publish", "revise", "consult", "open-comment"]
    return [
        *[(guideline, {"action": step, "modified": "no"}) for step in steps],
        (reverse("governance:guidelines"), {"new-title": "T", "new-cycle": "initial", "new-summary": "S", "new-sections": "## A\\nB"}),
        (reverse("governance:body", args=[body.kind]), {"action": "appoint", "member-name": "X", "member-appointed_by": "nass"}),
        (reverse("governance:body", args=[body.kind]), {"action": "vacate", "member": member.pk, "left_on": "2026-01-01", "reason": "x"}),
        (reverse("governance:body", args=[body.kind]), {"action": "office", "member": member.pk, "office": "chair"}),
        (reverse("governance:reports"), {"kind": "resources"}),
        *[
            (reverse("governance:report", args=[report.pk]), {"action": a, "note": "n", "section-funding": "x"})
            for a in ("write", "send-review", "approve", "return", "submit")
        ],
        (reverse("comments:moderation", args=[version.solicitation_id]), {"comment": 0, "action": "publish"}),
    ]


def test_no_other_role_and_not_the_public_can_write():
    user, _ = make_member("national_program_staff")
    staff = Actor.member(Membership.objects.get(user=user))
    version = guidelines.open_comment(
        staff, guidelines.draft(staff, title="G", summary="S", sections=parse_sections("## A\nB"), factors={}, cycle="initial")
    )
    report = reports.start(staff, "commission-interim")
    body = bodies.establish(staff, "panel", name="Panel", established_on=timezone.localdate(), term_months=24)
    bodies.appoint(staff, body, name="Ana", appointed_by="nass", expertise="election law", appointed_on=timezone.localdate())
    clients = [("public", Client())] + [(role, make_member(role)[1]) for role in sorted(ROLES) if role not in ALLOWED]
    before = (
        Entry.objects.count(),
        version.status,
        report.status,
        body.members.count(),
        Report.objects.count(),
        GuidelineVersion.objects.count(),
    )
    for role, client in clients:
        for url, data in _writes(version, report, body):
            answer = client.post(url, data)
            if role == "public":
                assert answer.status_code in (302, 403, 404), (role, url, data, answer.status_code)
                assert answer.status_code != 302 or "/accounts/sign-in/" in answer["Location"], (role, url, data)
            else:
                assert answer.status_code in (403, 404), (role, url, data, answer.status_code)
    version.refresh_from_db()
    report.refresh_from_db()
    after = (
        Entry.objects.count(),
        version.status,
        report.status,
        body.members.count(),
        Report.objects.count(),
        GuidelineVersion.objects.count(),
    )
    assert after == before
