"""Shapes of the engagements API.  Free text is given as ``text`` (the reader's rendering:
lossless marked text ``[[(b)(6)|content]]`` for national and regional staff, the FOIA release
for State officials) — internal columns are absent for readers who may not see them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema

from .importing import Status

#: One of the statuses a weekly summary prints (``dated`` = held on ``meeting_date``).
MeetingStatus = Literal[tuple(s.value for s in Status)]  # type: ignore[valid-type]


class EngagementOut(Schema):
    id: int
    region: int | None
    state: str | None
    state_text: str
    jurisdiction: str | None
    status: str
    meeting_date: dt.date | None
    year_inferred: bool
    texts: dict[str, str]
    points_of_contact: list[str]
    open_follow_ups: int


class EngagementIn(Schema):
    state: str
    jurisdiction: str | None = None
    status: MeetingStatus = "dated"
    meeting_date: dt.date | None = None
    texts: dict[str, str] = {}
    points_of_contact: list[str] = []  # email addresses of national-office users


class EngagementPatch(Schema):
    state: str | None = None
    status: MeetingStatus | None = None
    meeting_date: dt.date | None = None
    texts: dict[str, str] = {}


class FollowUpIn(Schema):
    description: str
    due_date: dt.date
    owner: str | None = None  # email address of a user
    owner_text: str = ""


class FollowUpOut(Schema):
    id: int
    engagement: int
    description: str
    owner: str
    due_date: dt.date
    status: str
    obligation: str


class CloseIn(Schema):
    outcome: str
    note: str = ""


class FlagOut(Schema):
    id: int
    engagement: int | None
    kind: str
    field: str
    message: str
    row: str | None
    status: str


class ResolveIn(Schema):
    outcome: str
    note: str
    state: str | None = None


class ProgressOut(Schema):
    done: int
    total: int
    error: str


class PreviewOut(Schema):
    preview_id: int
    state: str
    report: dict
    progress: ProgressOut | None = None  # while (and after) a background commit runs


class ErrorOut(Schema):
    detail: str
