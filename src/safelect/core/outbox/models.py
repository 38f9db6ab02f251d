"""Notices: what was sent, to whom, over which channel, and what happened to each delivery.

A :class:`Notice` is written by ``services.send`` inside the caller's transaction, with its
content rendered once; each recipient gets one :class:`Delivery` per channel (email, inbox,
webhook). Jobs move a delivery from ``pending`` to ``sent`` (or ``failed`` after the last
retry); every attempt leaves a :class:`DeliveryEvent`. Delivered in-app notices become
:class:`InboxItem` rows. The exactly-once design is explained in ``delivery.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safelect.core.accounts.encryption import EncryptedTextField


class Notice(models.Model):
    """One notice of a declared kind (``notices.py``), rendered once for all its recipients."""

    kind = models.CharField(max_length=100, db_index=True, help_text="NoticeKind.code, e.g. sharing.incident_reported")
    context = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organization the sender acted for.",
    )
    subject_type = models.CharField(max_length=100, blank=True, help_text="app_label.model of the object the notice is about")
    subject_id = models.CharField(max_length=64, blank=True)
    dedupe_key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, help_text="Sending the same key again returns this notice instead of a new one."
    )
    email_subject = models.CharField(max_length=300, blank=True)
    email_body = models.TextField(blank=True)
    inbox_title = models.CharField(max_length=300, blank=True)
    inbox_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class WebhookEndpoint(models.Model):
    """An organization's URL that receives notices as signed JSON.

    The secret cannot be hashed, because signing needs it (HMAC-SHA256 cannot be computed from a
    hash of the key), so it is encrypted at rest (``accounts.encryption``); it is shown once when
    the endpoint is registered and never again — pages and the API show only its last four
    characters.
    """

    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    secret = EncryptedTextField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "id"]

    def __str__(self) -> str:
        return f"{self.organization} → {self.url}"

    @property
    def secret_hint(self) -> str:
        return f"…{self.secret[-4:]}"


class Delivery(models.Model):
    """One notice to one recipient over one channel; its state machine lives here.

    ``pending`` (waiting, maybe after a failed attempt: ``next_attempt_at``) → ``sent`` or, after
    the last attempt, ``failed``; ``skipped`` when there was nothing to send (e.g. no address).
    While a worker delivers, the row is held by its transaction (``SELECT … FOR NO KEY UPDATE
    SKIP LOCKED``), so the claim disappears with the worker; see ``delivery.py``.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        INBOX = "inbox", "In-app inbox"
        WEBHOOK = "webhook", "Webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    # No database-level foreign keys on notice and user: ``send`` writes these rows with an
    # INSERT … SELECT from existing rows in one transaction, and 40,000 deferred constraint checks
    # at commit would cost more than half a second for a notice to every election agency. Django
    # still cascades deletions (users are deactivated, not deleted, in practice).
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries", db_constraint=False, db_index=False)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries", db_index=False
    )
    address = models.CharField(max_length=500, blank=True, help_text="Email address or URL at the time of sending.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["notice", "channel", "next_attempt_at"], name="outbox_delivery_due", condition=models.Q(status="pending")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "channel", "user"], name="one_delivery_per_user_channel", condition=models.Q(user__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["notice", "endpoint"], name="one_delivery_per_endpoint", condition=models.Q(endpoint__isnull=False)
            ),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.channel} of {self.notice} to {self.address} ({self.status})"

    def message_id(self) -> str:
        """The email's Message-ID, derived from the delivery: the same on every attempt."""
        from .delivery import message_id

        return message_id(self.pk, self.notice_id)


class DeliveryEvent(models.Model):
    """The delivery log: one row per thing that happened to a delivery (append-only by convention).

    ``handed_off`` is written and committed just before the last byte of an email goes to the SMTP
    server; a later claimer that finds it knows the message may have been accepted and does not
    send it again.
    """

    class Event(models.TextChoices):
        HANDED_OFF = "handed_off", "Handed to the SMTP server"
        SENT = "sent", "Sent"
        PRESUMED_SENT = "presumed_sent", "Presumed sent (worker stopped after hand-off)"
        RETRY = "retry", "Failed; will retry"
        FAILED = "failed", "Failed; no more attempts"
        SKIPPED = "skipped", "Skipped"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    event = models.CharField(max_length=20, choices=Event.choices)
    detail = models.TextField(blank=True)
    worker = models.CharField(max_length=100, blank=True)
    attempt = models.PositiveIntegerField(default=1, help_text="Which attempt of the delivery this event belongs to.")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.event} at {self.at:%Y-%m-%d %H:%M:%S}"


class InboxItem(models.Model):
    """An in-app notice in one person's inbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="inbox_items")
    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="inbox_item")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """A person's choice not to receive a kind of notice by email (they still get it in the inbox).

    Only kinds declared with ``email_opt_out_allowed=True`` honour it; statutory notifications
    are always emailed.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(max_length=100)
    email_enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_email_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} email {'on' if self.email_enabled else 'off'}"
