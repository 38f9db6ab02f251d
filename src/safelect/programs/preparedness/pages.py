"""Rendering the services' pages in the viewer's time zone: dates and times shown are those of the
acting organization's zone (the national office's for the public), so "May 7" is May 7 where the
reader is, not in UTC."""

from __future__ import annotations

from django.shortcuts import render

from safelect.core.directory.models import Organization


def viewer_zone(request) -> str:
    membership = getattr(request, "acting_membership", None)
    organization = getattr(membership, "organization", None)
    if organization is not None and organization.time_zone:
        return organization.time_zone
    office = Organization.objects.filter(kind=Organization.Kind.NATIONAL_OFFICE).order_by("pk").first()
    return office.time_zone if office is not None else "America/New_York"


def page(request, template: str, context: dict):
    return render(request, template, {**context, "zone": viewer_zone(request)})
