"""Shapes of the Hack the Election API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class ScopeOut(Schema):
    id: int
    reference: str
    system: str
    category: str
    organization: str
    circumstances: str
    starts_on: dt.date
    ends_on: dt.date
    rules_of_engagement: str
    out_of_scope: str
    safe_harbor_version: int


class FindingIn(Schema):
    designation: int
    title: str
    affected_version: str
    description: str
    steps: str
    cwe: str
    cvss_vector: str


class FindingOut(Schema):
    id: int
    reference: str
    title: str
    status: str
    system: str
    affected_version: str
    cwe: str
    cvss_vector: str
    cvss_score: float
    severity: str
    submitted_at: dt.datetime
    notified_at: dt.datetime | None
    disclosure_on: dt.date | None
    advisory_id: str
    description: str
    steps: str | None  # only for those who see the full report
