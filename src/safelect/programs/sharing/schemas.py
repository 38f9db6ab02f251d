"""The sharing API's JSON shapes (documented in the OpenAPI schema at /api/docs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str


class ItemIn(Schema):
    """Information received (S.2261 §4(b)): a federal entity or the sharing center submits as itself."""

    title: str = Field(..., max_length=200)
    topic: str = Field(..., description="incident | threat | vulnerability")
    tlp: str = Field(..., description="TLP 2.0: clear | green | amber | amber+strict | red")
    summary: str
    systems: list[str] = Field(default_factory=list, description="Election system codes (GET /api/incidents/systems)")
    stix: dict[str, Any] | None = Field(None, description="A STIX 2.1 bundle; refused with the OASIS validator's messages when invalid")
    received_at: dt.datetime | None = Field(None, description="Default: now")
    source: str | None = Field(
        None, description="National office only: federal_entity | sharing_center | agency_incident | provider | research | open_source"
    )


class ItemOut(Schema):
    id: int
    reference: str
    title: str
    topic: str
    tlp: str
    status: str
    received_at: dt.datetime


class ProductOut(Schema):
    id: int
    reference: str
    kind: str
    title: str
    text: str = Field(..., description="Minimised (S.2261 §4(g)) for recipients")
    topic: str
    tlp: str
    further_sharing: str
    published_at: dt.datetime | None


class SubscriptionIn(Schema):
    topics: list[str] = Field(default_factory=list, description="Empty: every topic")
    systems: list[str] = Field(default_factory=list, description="Empty: every election system")


class SubscriptionOut(SubscriptionIn):
    organization: str
