"""Shapes of the directory's JSON API."""

from ninja import Schema


class RegionOut(Schema):
    number: int
    name: str


class StateOut(Schema):
    usps: str
    fips: str
    name: str
    kind: str
    region: int
    time_zone: str
    jurisdiction_count: int


class JurisdictionOut(Schema):
    eavs_code: str
    name: str
    kind: str
    state: str
    county_fips: str | None
    organization_key: str


class OrganizationOut(Schema):
    key: str
    name: str
    kind: str
    state: str | None
    region: int | None
    time_zone: str
