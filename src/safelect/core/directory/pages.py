"""Rendering a program's page in the viewer's time zone: dates and times shown are those of the
acting organization's zone (the national office's for the public), so "May 7" is May 7 where the
reader is, not in UTC. Templates wrap their dates in ``{% timezone zone %}``."""

from __future__ import annotations

from django.shortcuts import render

from .queries import viewer_zone


def page(request, template: str, context: dict, status: int = 200):
    return render(request, template, {**context, "zone": viewer_zone(request)}, status=status)
