"""The governance JSON API (public, read-only): the guidelines as published or open for comment, and
the register of reports to Congress with each report's clock and recipients. Comments are received
on the document's page only (its honeypot and moderation are the spam controls; no API to flood)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Router, Schema

from safelect.core.web.permissions import PUBLIC, requires

from . import guidelines, reports
from .models import GuidelineVersion

router = Router(tags=["governance"])


class SectionOut(Schema):
    heading: str
    text: str
    covers: list[str]


class GuidelineOut(Schema):
    number: int
    title: str
    cycle: str
    status: str
    summary: str
    comment_closes_at: dt.datetime | None
    published_at: dt.datetime | None
    sections: list[SectionOut]


class RecipientOut(Schema):
    kind: str
    code: str
    name: str
    basis: str


class ReportKindOut(Schema):
    key: str
    title: str
    citation: str
    duty: str
    rule: str
    next_due_at: dt.datetime | None
    drafted: str
    recipients: list[RecipientOut]


def _out(v: GuidelineVersion) -> dict:
    return {
        "number": v.number,
        "title": v.title,
        "cycle": v.cycle,
        "status": v.status,
        "summary": v.summary,
        "comment_closes_at": v.solicitation.closes_at if v.solicitation_id else None,
        "published_at": v.published_at,
        "sections": v.sections,
    }


@router.get("/guidelines", response=list[GuidelineOut], summary="Guideline versions open for comment or further (drafts excluded)")
@requires(PUBLIC)
def guideline_list(request):
    found = GuidelineVersion.objects.select_related("solicitation").order_by("-number")
    return [_out(v) for v in found if guidelines.is_public(v)]


@router.get("/guidelines/{number}", response=GuidelineOut, summary="One version of the guidelines")
@requires(PUBLIC)
def guideline_detail(request, number: int):
    found = GuidelineVersion.objects.select_related("solicitation").filter(number=number).first()
    if found is None or not guidelines.is_public(found):
        raise Http404("No such version")
    return _out(found)


@router.get("/reports", response=list[ReportKindOut], summary="Every statutory report: its clock and its recipients")
@requires(PUBLIC)
def report_register(request):
    return [
        {
            "key": row["kind"].key,
            "title": row["kind"].title,
            "citation": row["kind"].citation,
            "duty": row["kind"].duty,
            "rule": row["duty"].describe_rule() if row["duty"] else "The statute sets no deadline",
            "next_due_at": row["next"].due_at if row["next"] else None,
            "drafted": row["kind"].drafted,
            "recipients": [{k: r[k] for k in ("kind", "code", "name", "basis")} for r in row["recipients"]],
        }
        for row in reports.register()
    ]
