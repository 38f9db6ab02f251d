"""Findings of personal information, grouped for review (S.2261 §4(g)).

A :class:`Finding` is one *group* of matches in one source text of a subject (an incident's notice
field, an evidence file…): the same value found again in the same source (the same SSN twice), or
every cell of one voter-file column of an extract. The reviewer decides per group: *redact* or
*keep* (with the reason). The value itself is never stored here: the group is identified by an
HMAC of the value (keyed with the site's secret), and the page shows it by reading the source at
the first occurrence's offsets, so purging the source purges the finding too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .scanner import KINDS


class Finding(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Not yet reviewed"
        REDACT = "redact", "Redact"
        KEEP = "keep", "Keep"

    subject_type = models.CharField(max_length=100, help_text="app_label.model of what the source belongs to")
    subject_id = models.CharField(max_length=64)
    source = models.CharField(max_length=100, help_text="Which text of the subject, e.g. notice:12:circumstances, evidence:7")
    source_label = models.CharField(max_length=200)
    source_sha256 = models.CharField(max_length=64, help_text="Of the source text when it was scanned")
    kind = models.CharField(max_length=30, choices=list(KINDS.items()))
    how = models.CharField(max_length=100, help_text="Which recogniser found it")
    fingerprint = models.CharField(max_length=64, help_text="HMAC of the value (or of the column), never the value")
    count = models.PositiveIntegerField(default=1)
    start = models.PositiveBigIntegerField(help_text="First occurrence in the source")
    end = models.PositiveBigIntegerField()
    score = models.FloatField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField()
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["subject_type", "subject_id", "source", "start"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "source", "kind", "how", "fingerprint"], name="one_personal_finding_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.source_label}"

    @property
    def is_column(self) -> bool:
        return self.how.startswith("voter-file column")


class ScannedSource(models.Model):
    """That a source text of a subject was scanned, in which version (its SHA-256), finding what."""

    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=64)
    source = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    scanned_at = models.DateTimeField()
    matches = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject_type", "subject_id", "source"], name="one_scan_record_per_source")]
