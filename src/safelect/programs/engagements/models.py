"""Engagements with State and local election officials, and where each one came from.

* :class:`Engagement` — one real meeting, in the 13 columns of the "Weekly Summary for Meetings
  with Elections Infrastructure Officials"; free text keeps its FOIA redaction spans.
* :class:`ImportBatch` — one uploaded weekly-summary file: previewed, then committed once.
* :class:`SourceVersion` — one printed row of an imported file, kept as provenance of the
  engagement it became ("keeps every source version").
* :class:`ReviewFlag` — a doubtful value or a disagreement between versions, waiting for a person
  (never silently fixed).
* :class:`FollowUp` — a "GETBACK": an action item with owner, due date and status, tracked as an
  internal-policy obligation.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from .fields import RedactedTextField
from .importing import MeetingWhen, RedactedText, Status
from .importing.when import WhenProblem

MeetingStatus = models.TextChoices(
    "MeetingStatus",
    [
        (s.name, (s.value, label))
        for s, label in [
            (Status.DATED, "Held"),
            (Status.SCHEDULED, "Scheduled"),
            (Status.PENDING, "Pending"),
            (Status.AWAITING_AAR, "Awaiting after-action report"),
            (Status.DECLINED, "Declined"),
            (Status.CANCELLED, "Cancelled"),
            (Status.TO_BE_DETERMINED, "To be determined"),
            (Status.NOT_APPLICABLE, "Not applicable"),
            (Status.UNKNOWN, "Not stated"),
        ]
    ],
)

#: Free-text columns, in weekly-summary order; the engine's field names are the model's.
TEXT_FIELDS = (
    "location",
    "poc",
    "attendees",
    "discussion",
    "issues",
    "follow_up",
    "leadership_awareness",
    "leadership_action",
    "next_engagement",
    "notes",
)
#: Columns State election officials never see.
INTERNAL_FIELDS = ("leadership_awareness", "leadership_action")


class Engagement(models.Model):
    """One meeting of national-office staff with election officials."""

    region = models.ForeignKey(
        "directory.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        help_text="Empty only for an imported row no region could be read for (flagged).",
    )
    state = models.ForeignKey(
        "directory.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        help_text="Empty when the record names several States or none recognised (see the review queue).",
    )
    state_text = models.CharField(max_length=200, blank=True, help_text="The State cell as printed in the weekly summary.")
    jurisdiction = models.ForeignKey("directory.Jurisdiction", null=True, blank=True, on_delete=models.PROTECT, related_name="engagements")
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        help_text="The election office met: the jurisdiction's, else the State's chief election official's office.",
    )
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=Status.DATED.value)
    meeting_date = models.DateField(null=True, blank=True)
    year_inferred = models.BooleanField(default=False, help_text="The source printed no year; it was taken from the reporting period.")
    date_text = models.CharField(max_length=100, blank=True, help_text="The Meeting Date cell as printed, when it could not be read.")

    location = RedactedTextField("meeting location")
    poc = RedactedTextField("national-office points of contact (as printed)")
    attendees = RedactedTextField("key attendees and affiliations")
    discussion = RedactedTextField("key discussion points")
    issues = RedactedTextField("issues or concerns")
    follow_up = RedactedTextField("follow-up required")
    leadership_awareness = RedactedTextField("for leadership awareness (internal)")
    leadership_action = RedactedTextField("leadership action (internal)")
    next_engagement = RedactedTextField("next scheduled engagement")
    notes = RedactedTextField("notes / comments")
    jurisdiction_text = RedactedTextField("local jurisdiction (as printed)")

    points_of_contact = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="engagements_as_poc")
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True, help_text="Meeting fingerprint of the import that created it.")
    content_hash = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the record as one weekly-summary row.")
    search_vector = SearchVectorField(null=True, editable=False, help_text="Internal text, for national and regional staff.")
    release_vector = SearchVectorField(null=True, editable=False, help_text="Released text without internal columns, for State officials.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    #: Object scope for ``Actor.restrict`` (the meeting's State and region decide).
    SCOPE_FIELDS = {"state_field": "state", "region_field": "region"}

    class Meta:
        ordering = ["region__number", "state_text", "meeting_date", "pk"]
        indexes = [
            GinIndex(fields=["search_vector"], name="engagement_search_gin"),
            GinIndex(fields=["release_vector"], name="engagement_release_gin"),
            models.Index(fields=["state", "meeting_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.state_text or 'Unknown State'} — {self.when_label}"

    def text(self, name: str) -> RedactedText:
        return getattr(self, name)

    @property
    def when(self) -> MeetingWhen:
        """The Meeting Date as the import engine represents it (for export and comparison)."""
        if self.date_text:
            return MeetingWhen(self.date_text, Status.UNKNOWN, problem=WhenProblem.UNREADABLE)
        return MeetingWhen("", Status(self.status), self.meeting_date, self.year_inferred)

    @property
    def when_label(self) -> str:
        if self.date_text:
            return self.date_text
        label = self.get_status_display() if self.status != Status.DATED.value else ""
        date = self.meeting_date.isoformat() if self.meeting_date else ""
        return " ".join(p for p in (label, date) if p) or "date not stated"


class ImportBatch(models.Model):
    """One weekly-summary file: previewed (bytes kept until commit), then committed all-or-nothing."""

    class State(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        QUEUED = "queued", "Committing in the background"
        COMMITTED = "committed", "Committed"
        UNCHANGED = "unchanged", "Already imported (nothing written)"
        FAILED = "failed", "Refused at commit (nothing written)"

    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    content = models.BinaryField(help_text="The uploaded bytes, so the commit imports exactly what was previewed.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.PREVIEWED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("directory.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    previewed_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, help_text="The preview (and, once committed, the commit) report.")

    class Meta:
        ordering = ["-previewed_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"


class ImportProgress(models.Model):
    """How far a background commit has got: written through its own connection, so readers see it
    while the all-or-nothing commit transaction is still open."""

    batch = models.OneToOneField(ImportBatch, primary_key=True, on_delete=models.CASCADE, related_name="progress")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class SourceVersion(models.Model):
    """One printed row of an imported file: provenance of the engagement it became."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="source_versions")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="versions")
    position = models.JSONField(help_text="File, table, sheet and line of the row.")
    cells = models.JSONField(help_text="Every cell exactly as read.")
    texts = models.JSONField(
        default=dict, blank=True, help_text="Each free-text field of this version, as marked-up text (so a reviewer can keep it)."
    )
    fingerprint = models.CharField(max_length=64, unique=True)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["batch_id", "pk"]

    def __str__(self) -> str:
        return self.position.get("label", self.fingerprint[:12])


class ReviewFlag(models.Model):
    """A value a person must look at: a doubtful State or region, a date, a version conflict."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    engagement = models.ForeignKey(Engagement, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    source_version = models.ForeignKey(SourceVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="flags")
    kind = models.CharField(max_length=40, db_index=True)
    field = models.CharField(max_length=40, blank=True)
    message = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolution_note = models.TextField(blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    #: Object scope for ``Actor.restrict`` (the meeting's State and region decide).
    SCOPE_FIELDS = {
        "organization_field": "engagement__organization",
        "state_field": "engagement__state",
        "region_field": "engagement__region",
    }

    class Meta:
        ordering = ["status", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.message[:80]}"

    KIND_WORDS = {
        "region_mismatch": "Region does not fit the State",
        "invalid_region": "Region is not 1–10",
        "unknown_state": "State not recognised",
        "multiple_states": "Several States named",
        "missing_state": "No State",
        "impossible_date": "Impossible date",
        "unreadable_date": "Unreadable date",
        "shifted_cells": "Cells in the wrong columns",
        "version_conflict": "Two versions disagree",
        "duplicate_row": "Row printed twice",
        "malformed_redaction": "Malformed redaction (withheld)",
        "inferred_year": "Year taken from the period",
        "markup_stripped": "Formatting removed",
        "status_from_text": "Status read from the text",
        "ignored_column": "Column ignored",
    }

    @property
    def kind_label(self) -> str:
        return self.KIND_WORDS.get(self.kind, self.kind.replace("_", " ").capitalize())


class FollowUp(models.Model):
    """A follow-up ("GETBACK") from an engagement: an internal-policy obligation."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="engagement_follow_ups"
    )
    owner_text = models.CharField(max_length=200, blank=True, help_text="Owner named in text (not a safelect user).")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    obligation_ref = models.CharField(max_length=100, blank=True, help_text="The obligation that tracks this follow-up's due date.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    #: Object scope for ``Actor.restrict`` (the meeting's State and region decide).
    SCOPE_FIELDS = {
        "organization_field": "engagement__organization",
        "state_field": "engagement__state",
        "region_field": "engagement__region",
    }

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"GETBACK {self.description[:60]} (due {self.due_date})"

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner else self.owner_text
