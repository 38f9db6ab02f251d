"""The grants API's JSON shapes (documented in the OpenAPI schema at /api/docs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str


class ProgramOut(Schema):
    id: int
    reference: str
    title: str
    statute: str
    citation: str = Field(..., description="The statute the program carries out")
    fiscal_year: int
    appropriation: int = Field(..., description="Whole dollars")
    kind: str
    status: str
    opens_on: dt.date
    closes_on: dt.date
    published_at: dt.datetime | None


class AllocationOut(Schema):
    formula: str
    citation: str
    amount: int
    total: int
    frozen: bool = Field(..., description="True once the program is published: the table no longer changes")
    allocations: list[dict[str, Any]]
    excluded: list[dict[str, Any]]
    assumptions: list[str]


class CheckOut(Schema):
    code: str
    citation: str
    outcome: str | None
    reason: str


class ApplicationOut(Schema):
    id: int
    reference: str
    program: str
    applicant: str
    status: str
    submitted_at: dt.datetime | None
    awarded: int | None = Field(None, description="Whole dollars awarded, once awarded")
    conditions: list[CheckOut]
