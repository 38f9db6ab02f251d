"""Rendering the program's pages in the viewer's time zone (the national office's for the public)."""

from __future__ import annotations

from django.shortcuts import render

from safelect.core.directory.queries import viewer_zone


def page(request, template: str, context: dict, status: int = 200):
    return render(request, template, {**context, "zone": viewer_zone(request)}, status=status)
