"""Per-person iCalendar feeds (RFC 5545) behind an unguessable, revocable token URL.

The token is 32 random bytes (``secrets.token_urlsafe(32)``), shown once; only its SHA-256 is
stored (:class:`~.models.CalendarFeedToken`). Calendar programs cannot sign in, so the feed URL
itself is the credential: it serves exactly the obligations the token owner's memberships may
see, and a revoked or replaced token gets a 404.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from safelect.core.journal.services import record

from .explain import format_due
from .models import CalendarFeedToken

PRODID = "-//safelect//obligations calendar feed//EN"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_token(user) -> str:
    """Revoke any live token of ``user`` and create a new one; returns the token (shown once)."""
    now = timezone.now()
    CalendarFeedToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeedToken.objects.create(user=user, token_hash=_hash(token), created_at=now)
    record(
        actor=user,
        action="obligations:feed:issue",
        obj=feed,
        object_label=f"calendar feed of {user}",
        summary="calendar feed token issued (earlier tokens revoked)",
    )
    return token


@transaction.atomic
def revoke_tokens(user) -> int:
    """Revoke the live token of ``user``; returns how many were revoked (0 or 1)."""
    live = list(CalendarFeedToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for feed in live:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        record(
            actor=user,
            action="obligations:feed:revoke",
            obj=feed,
            object_label=f"calendar feed of {user}",
            summary="calendar feed token revoked",
        )
    return len(live)


def live_token(user) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def user_for_token(token: str):
    """The active owner of a live token, or ``None``."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeedToken.objects.select_related("user").filter(token_hash=_hash(token), revoked_at__isnull=True).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeedToken.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def feed_url(token: str) -> str:
    return settings.BASE_URL + reverse("obligations:feed", args=[token])


def build_calendar(obligations, *, now: dt.datetime | None = None) -> bytes:
    """One VEVENT per obligation: UID, DTSTAMP, DTSTART at the due moment (in the holder's zone),
    SUMMARY, DESCRIPTION with the citation and rule, URL of the obligation page."""
    now = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "safelect deadlines")
    host = settings.BASE_URL.split("://", 1)[-1].split("/", 1)[0] or "safelect"
    for o in obligations:
        event = Event()
        event.add("uid", f"obligation-{o.pk}@{host}")
        event.add("dtstamp", now.astimezone(dt.UTC))
        # The deadline is the end of the last day; the event marks that instant in UTC so every
        # calendar program shows it at the right moment, whatever zone its reader is in.
        event.add("dtstart", o.due_at.astimezone(dt.UTC))
        event.add("duration", dt.timedelta(0))
        status = o.status_at(now)
        prefix = {"overdue": "OVERDUE: ", "fulfilled_on_time": "Done: ", "fulfilled_late": "Done late: ", "waived": "Waived: "}.get(
            status.value, ""
        )
        try:
            duty = o.duty
            citation, title, text, internal = duty.citation, duty.title, duty.text, duty.is_internal
        except KeyError:
            citation, title, text, internal = o.duty_code, o.duty_code, "", True
        about = f" — {o.subject_label}" if o.subject_label else (f" [{o.cycle}]" if o.cycle else "")
        event.add("summary", f"{prefix}{citation}: {title}{about}")
        lines = [
            f"{citation} — {title}",
            f"Holder: {o.holder.name}",
            f"Due: {format_due(o.due_at, o.time_zone)} ({o.due_at.astimezone(ZoneInfo(o.time_zone)).isoformat()})",
            f"Kind: {o.kind_label}" + (" — not a deadline set by law" if o.is_policy else ""),
            f"Rule: {o.rule_description}",
            f"Status: {status.label}",
        ]
        if text:
            lines.append(f"Policy: {text}" if internal else f'Statute: "{text}"')
        event.add("description", "\n".join(lines))
        event.add("url", settings.BASE_URL + reverse("obligations:detail", args=[o.pk]))
        event.add("categories", ["internal policy target" if o.is_policy else "statutory deadline"])
        cal.add_component(event)
    return cal.to_ical()


def feed_obligations(user):
    """What a person's feed shows: open obligations they may see, and those closed in the last 90 days."""
    from . import queries

    since = timezone.now() - dt.timedelta(days=90)
    return (queries.visible_to_user(user).filter(due_at__gte=since) | queries.visible_to_user(user).open()).distinct()
