"""Shapes of the obligations API."""

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class SubjectOut(Schema):
    type: str
    id: str
    label: str


class ObligationOut(Schema):
    id: int
    duty: str
    citation: str
    title: str
    kind: str = Field(description='"statutory" or "policy" (an internal target, never law)')
    holder: str = Field(description="directory key of the holder organization")
    holder_name: str
    state: str | None
    subject: SubjectOut | None
    cycle: str
    trigger_at: dt.datetime
    due_at: dt.datetime = Field(description="end of the last day, in the holder's time zone")
    due_text: str
    time_zone: str
    status: str = Field(description="open, due_soon, overdue, fulfilled_on_time, fulfilled_late or waived")
    rule: str
    fulfilled_at: dt.datetime | None
    fulfilled_by_event: str
    waived_reason: str
    url: str


class ObligationDetailOut(ObligationOut):
    text: str
    history: list[dict[str, Any]]


class FulfilIn(Schema):
    event: str = Field(min_length=1, max_length=300, description="what fulfilled it, e.g. sharing.notification:42")
    at: dt.datetime | None = Field(None, description="when (with offset); now when omitted")


class WaiveIn(Schema):
    reason: str = Field(min_length=1, description="the written reason (required)")


class ExplainIn(Schema):
    code: str
    trigger: str | None = None
    tz: str = "America/New_York"
