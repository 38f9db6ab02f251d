"""Shapes of the accounts API."""

import datetime as dt

from ninja import Schema


class MembershipOut(Schema):
    id: int
    organization_key: str
    organization_name: str
    roles: list[str]
    is_admin: bool
    acting: bool


class MeOut(Schema):
    email: str
    full_name: str
    acting_organization: str | None
    memberships: list[MembershipOut]
    permissions: list[str]
    via_token: bool


class SwitchIn(Schema):
    membership: int


class OrganizationProfileOut(Schema):
    key: str
    name: str
    kind: str
    state: str | None
    region: int | None
    parent: str | None
    time_zone: str
    description: str


class MemberOut(Schema):
    email: str
    full_name: str
    roles: list[str]
    is_admin: bool
    is_active: bool


class InvitationIn(Schema):
    email: str
    roles: list[str]
    is_admin: bool = False


class InvitationOut(Schema):
    id: int
    email: str
    roles: list[str]
    is_admin: bool
    expires_at: dt.datetime


class TokenIn(Schema):
    name: str
    permissions: list[str]
    expires_at: dt.datetime | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    organization_key: str
    permissions: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class ClearanceIn(Schema):
    email: str
    level: str
    kind: str
    sponsor: str
    granted_on: dt.date
    expires_on: dt.date | None = None


class ClearanceOut(Schema):
    id: int
    email: str
    level: str
    kind: str
    sponsor: str
    granted_on: dt.date
    expires_on: dt.date | None
    status: str
