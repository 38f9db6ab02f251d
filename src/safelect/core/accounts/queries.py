"""Read functions other apps call: memberships, clearances, the acting organization."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import Clearance, Membership
from .scope import get_visible_or_404, visible  # noqa: F401  (re-exported for other apps)


def has_clearance(user, level: str, on: dt.date | None = None) -> bool:
    """True when ``user`` holds an active clearance at ``level`` or higher on the date ``on`` (today)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    on = on or timezone.now().date()
    wanted = Clearance.LEVEL_ORDER[Clearance.Level(level)]
    levels = [lv for lv, rank in Clearance.LEVEL_ORDER.items() if rank >= wanted]
    return (
        Clearance.objects.filter(user=user, status=Clearance.Status.ACTIVE, level__in=levels, granted_on__lte=on)
        .exclude(expires_on__lt=on)
        .exists()
    )


def current_clearances(user):
    return Clearance.objects.filter(user=user).select_related("sponsor").order_by("-granted_on")


def memberships_of(user):
    return Membership.objects.filter(user=user, is_active=True).select_related("organization").order_by("organization__name")


def members_of(organization):
    return Membership.objects.filter(organization=organization).select_related("user").order_by("user__email")
