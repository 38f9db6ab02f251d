"""Rendering the services' pages in the viewer's time zone: dates and times shown are those of the
acting organization's zone (the national office's for the public), so "May 7" is May 7 where the
reader is, not in UTC."""

from __future__ import annotations

from django.shortcuts import render

from safelect.core.directory.queries import viewer_zone


def page(request, template: str, context: dict):
    return render(request, template, {**context, "zone": viewer_zone(request)})
