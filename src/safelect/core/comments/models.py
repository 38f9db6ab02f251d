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
    audience_kinds = ArrayField(models.CharField(max_length=40))
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
    """One organization's comment on a solicitation, and what was done with it."""

    class Disposition(models.TextChoices):
        ADOPTED = "adopted", "Adopted"
        PARTLY = "partly", "Partly adopted"
        NOT_ADOPTED = "not_adopted", "Considered, not adopted"
        NOTED = "noted", "Noted (no change asked)"

    solicitation = models.ForeignKey(Solicitation, on_delete=models.CASCADE, related_name="comments")
    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    disposition = models.CharField(max_length=20, choices=Disposition.choices, blank=True)
    disposition_note = models.TextField(blank=True)
    disposed_at = models.DateTimeField(null=True, blank=True)
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    SCOPE_FIELDS = {"organization_field": "organization"}

    class Meta:
        ordering = ["organization__name"]
        constraints = [models.UniqueConstraint(fields=["solicitation", "organization"], name="one_comment_per_organization")]
