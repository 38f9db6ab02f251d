"""The incidents API's JSON shapes (documented in the OpenAPI schema at /api/docs).

Moments are ISO 8601 with an offset (``2026-11-02T22:15:00-06:00``); a moment without one is
refused. ``systems`` are codes of the controlled vocabulary (``GET /api/incidents/systems``).
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str


class SystemOut(Schema):
    code: str
    label: str


class PossibleIn(Schema):
    """S.2261 §4(h): an election agency became aware of a possible incident."""

    title: str = Field(..., max_length=200)
    aware_at: dt.datetime = Field(..., description="When the agency became aware of the possible incident (with offset)")
    how_learned: str
    systems: list[str] = Field(..., description="Election systems involved (codes)")


class AssessmentIn(Schema):
    outcome: str = Field(..., description="occurred | no_incident | assessing")
    reason: str = ""
    discovered_at: dt.datetime | None = Field(None, description="Required for occurred: starts the 3-day clock of §4(i)")
    next_review_on: dt.date | None = Field(None, description="Required for assessing")


class NoticeIn(Schema):
    """The §4(k)(1) content."""

    started_at: dt.datetime
    ended_at: dt.datetime | None = None
    systems: list[str]
    circumstances: str
    information_acquired: str
    measures_planned: str
    measures_implemented: str


class FirstNoticeIn(NoticeIn):
    late_reason: str = Field("", description="Required when the notice is sent after the end of the 3rd calendar day after discovery")


class UpdateIn(NoticeIn):
    note: str = Field(..., description="What is new: the additional material information (§4(k)(2))")


class NoticeOut(NoticeIn):
    number: int
    submitted_at: dt.datetime
    note: str


class ClockOut(Schema):
    duty: str
    citation: str
    status: str
    due_at: dt.datetime
    fulfilled_at: dt.datetime | None


class EvidenceOut(Schema):
    id: int
    name: str
    description: str
    size: int
    sha256: str
    media_type: str
    uploaded_at: dt.datetime


class IncidentOut(Schema):
    id: int
    reference: str
    agency: str
    state: str | None = Field(None, description="USPS code of the agency's State (none for an election service provider)")
    title: str
    stage: str
    aware_at: dt.datetime
    how_learned: str
    systems: list[str]
    assessment: str
    assessment_reason: str
    next_review_on: dt.date | None
    discovered_at: dt.datetime | None
    notified_at: dt.datetime | None
    notified_late: bool
    late_reason: str
    notices: list[NoticeOut]
    clocks: list[ClockOut]
    evidence: list[EvidenceOut]
