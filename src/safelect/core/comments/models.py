"""Solicitations of comments and the comments received (see the app's docstring)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class Solicitation(models.Model):
    """A request for comments from every organization of ``audience_kinds``, open until ``closes_at``,
    about a subject of another app (``origin`` and the subject reference)."""

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=300)
    body = models.TextField(help_text="What is asked, in words")
    origin = models.CharField(max_length=60, help_text="The app that asks")
    subject_type = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+", help_text="Who asks")
    audience_kinds = ArrayField(models.CharField(max_length=40), blank=True, default=list)
    #: A public solicitation takes comments from anyone, without an account (S.2261 §5(f)); each goes
    #: through moderation and the personal-information scan before it is published.
    is_public = models.BooleanField(default=False)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() <= self.closes_at


class Comment(models.Model):
    """One organization's comment on a solicitation — or, on a public solicitation, one member of the
    public's (``organization`` empty) — and what was done with it."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"  # an organization's comment: no moderation
        AWAITING = "awaiting", "Awaiting moderation"
        HELD = "held", "Held: personal information to remove"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Not published"

    class Disposition(models.TextChoices):
        ADOPTED = "adopted", "Adopted"
        PARTLY = "partly", "Partly adopted"
        NOT_ADOPTED = "not_adopted", "Considered, not adopted"
        NOTED = "noted", "Noted (no change asked)"

    solicitation = models.ForeignKey(Solicitation, on_delete=models.CASCADE, related_name="comments")
    organization = models.ForeignKey("directory.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    # A public comment: the name and email are optional; the email is never published, and the name
    # is shown as "confirmed" only once the link sent to that address was followed.
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    client_key = models.CharField(max_length=64, blank=True, help_text="HMAC of the sender's address (rate limits); never the address")
    published_text = models.TextField(blank=True, help_text="What the public reads: the text with personal information removed")
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    moderation_note = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    disposition = models.CharField(max_length=20, choices=Disposition.choices, blank=True)
    disposition_note = models.TextField(blank=True)
    disposed_at = models.DateTimeField(null=True, blank=True)
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    SCOPE_FIELDS = {"organization_field": "organization"}

    class Meta:
        ordering = ["organization__name", "submitted_at"]
        constraints = [models.UniqueConstraint(fields=["solicitation", "organization"], name="one_comment_per_organization")]
