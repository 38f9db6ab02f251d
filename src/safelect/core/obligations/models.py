"""Obligations: instances of the registry's duties, their reminders, and calendar-feed tokens.

An :class:`Obligation` is one duty owed by one directory organization (the *holder*, whose
time zone counts the days) for one subject or cycle: "Dane County must notify the national
office of incident 42 by the end of 2026-03-09" (S.2261 §4(i)). Apps open them through
``obligations.services.open``; the periodic job opens the coming cycle of recurring and
election-driven duties. The due moment is computed once, at opening, by the pure engine
(``core.obligations.clocks``) and stored with the rule's wording, so a later change of a
policy-target setting never moves an existing deadline silently.

Status: *fulfilled on time*, *fulfilled late* and *waived* are stored (they are facts);
*open*, *due soon* and *overdue* are derived from the clock (:meth:`Obligation.status_at`),
so nothing needs to run at midnight for a deadline to pass.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .registry import get as get_duty
from .registry.duty import Duty


def validate_duty_code(value: str) -> None:
    try:
        get_duty(value)
    except KeyError:
        raise ValidationError(f"{value!r} is not a duty in the obligations registry") from None


class Status(models.TextChoices):
    """Every status an obligation can show. Only the last three (and OPEN) are stored."""

    OPEN = "open", "Open"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    FULFILLED_ON_TIME = "fulfilled_on_time", "Fulfilled on time"
    FULFILLED_LATE = "fulfilled_late", "Fulfilled late"
    WAIVED = "waived", "Waived"


STORED_STATUSES = [Status.OPEN, Status.FULFILLED_ON_TIME, Status.FULFILLED_LATE, Status.WAIVED]
CLOSED_STATUSES = {Status.FULFILLED_ON_TIME, Status.FULFILLED_LATE, Status.WAIVED}


class ObligationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Status.OPEN)

    def overdue(self, now: dt.datetime | None = None):
        return self.filter(status=Status.OPEN, due_at__lt=now or timezone.now())

    def due_soon(self, now: dt.datetime | None = None):
        now = now or timezone.now()
        return self.filter(status=Status.OPEN, due_soon_at__lte=now, due_at__gte=now)

    def with_status(self, status: str, now: dt.datetime | None = None):
        """Filter by any status, derived ones included."""
        now = now or timezone.now()
        if status == Status.OVERDUE:
            return self.overdue(now)
        if status == Status.DUE_SOON:
            return self.due_soon(now)
        if status == Status.OPEN:  # open and neither due soon nor overdue
            return self.filter(status=Status.OPEN, due_soon_at__gt=now)
        return self.filter(status=status)


class Obligation(models.Model):
    """One duty owed by one organization, with its computed due moment.

    ``subject_*`` name what the duty is about (an incident report, a request, the State an
    assessment is owed to) without a foreign key, so any app can open obligations;
    they are empty for duties without a subject (an annual report). ``state`` is the State
    the obligation concerns — the holder's, or for a national holder the State it is owed
    to — and drives the board's "by State" view and State-level scope.
    """

    duty_code = models.CharField(max_length=40, validators=[validate_duty_code], db_index=True)
    is_policy = models.BooleanField(
        default=False, help_text="An internal policy target, not a statutory deadline (shown as such everywhere)."
    )
    subject_type = models.CharField(max_length=100, blank=True, default="", help_text="app_label.model of the subject")
    subject_id = models.CharField(max_length=64, blank=True, default="")
    subject_label = models.CharField(max_length=300, blank=True, default="")
    holder = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="obligations")
    state = models.ForeignKey("directory.State", null=True, blank=True, on_delete=models.PROTECT, related_name="obligations")
    time_zone = models.CharField(max_length=64, help_text="The holder's zone when opened: it counts the days.")
    trigger_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True, help_text="End of the last permitted day in the holder's zone.")
    due_soon_at = models.DateTimeField(help_text="From this moment the obligation shows as due soon.")
    rule_description = models.TextField(help_text="The rule as worded when the obligation was opened.")
    is_historical = models.BooleanField(
        default=False,
        help_text="A past cycle opened on request (``safelect obligations open-past``) to record what was done then; "
        "kept out of 'My deadlines' unless asked for.",
    )
    cycle = models.CharField(
        max_length=80, blank=True, default="", help_text='e.g. "FY2026" or "2026 general election"; empty for one-off duties'
    )
    status = models.CharField(max_length=20, choices=[(s.value, s.label) for s in STORED_STATUSES], default=Status.OPEN, db_index=True)
    opened_at = models.DateTimeField(default=timezone.now)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    fulfilled_by_event = models.CharField(
        max_length=300, blank=True, default="", help_text="What fulfilled it: a reference such as 'sharing.incident:42 notified'"
    )
    waived_at = models.DateTimeField(null=True, blank=True)
    waived_reason = models.TextField(blank=True, default="")

    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["duty_code", "holder", "subject_type", "subject_id", "trigger_at"], name="obligation_once_per_trigger"
            ),
            models.UniqueConstraint(
                fields=["duty_code", "holder", "subject_type", "subject_id", "cycle"],
                condition=~Q(cycle=""),
                name="obligation_once_per_cycle",
            ),
            models.CheckConstraint(
                condition=~Q(status="waived") | (~Q(waived_reason="") & Q(waived_at__isnull=False)), name="obligation_waiver_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["fulfilled_on_time", "fulfilled_late"]) | Q(fulfilled_at__isnull=False),
                name="obligation_fulfilment_has_moment",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["holder", "status"])]

    def __str__(self) -> str:
        about = f" — {self.subject_label}" if self.subject_label else (f" — {self.cycle}" if self.cycle else "")
        return f"{self.duty_code}{about} ({self.holder})"

    @property
    def duty(self) -> Duty:
        return get_duty(self.duty_code)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def status_at(self, now: dt.datetime | None = None) -> Status:
        """The status shown at ``now``: stored when closed, derived from the clock when open."""
        if self.status != Status.OPEN:
            return Status(self.status)
        now = now or timezone.now()
        if now > self.due_at:
            return Status.OVERDUE
        if now >= self.due_soon_at:
            return Status.DUE_SOON
        return Status.OPEN

    @property
    def current_status(self) -> Status:
        return self.status_at()

    @property
    def local_due(self) -> dt.datetime:
        from zoneinfo import ZoneInfo

        return self.due_at.astimezone(ZoneInfo(self.time_zone))

    @property
    def kind_label(self) -> str:
        return "internal policy target" if self.is_policy else "statutory deadline"


class Reminder(models.Model):
    """A reminder or escalation sent (or deliberately skipped) for one threshold of one obligation.

    The unique constraint is what makes "each reminder sent once per threshold, even with several
    workers": a sweep claims a threshold with ``INSERT … ON CONFLICT DO NOTHING`` and only the
    worker whose insert succeeded sends the notice, in the same transaction.
    ``threshold`` is ``lead-<seconds>`` (a lead time before the due day) or ``overdue``.
    """

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=40)
    sent_at = models.DateTimeField()
    skipped = models.BooleanField(default=False, help_text="Passed while a later threshold was also due; not sent.")
    notice_ref = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["obligation", "threshold"], name="one_reminder_per_threshold")]

    def __str__(self) -> str:
        return f"{self.threshold} for obligation {self.obligation_id}"


class CalendarFeedToken(models.Model):
    """A person's secret iCalendar feed address. Only a SHA-256 of the token is stored; the token
    is shown once. Revoking sets ``revoked_at``; a person has at most one live token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_calendar_feed_token")]

    def __str__(self) -> str:
        return f"calendar feed of {self.user} ({'revoked' if self.revoked_at else 'live'})"
