"""Incidents as S.2261 §4(h)–(k) describe them.

An :class:`Incident` begins when an election agency becomes aware of a *possible* election
cybersecurity incident (§4(h)): when, how, which election systems. Its assessment ends in
"occurred / reason to believe", "no incident" (with the reason) or "still assessing" (with the
next review date). Once an incident occurred, the agency notifies the national office (§4(i))
within 3 calendar days of discovery; the notice carries the §4(k)(1) content and is updated with
material information as it becomes available (§4(k)(2)). Each :class:`IncidentNotice` is one
version of that content (the first is the notice, the rest updates); none is ever changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

# The election systems an incident may involve (S.2261 §3(12) "election system" and §4(k)(1)(B):
# "the specific election systems believed to have been accessed"): a controlled vocabulary.
ELECTION_SYSTEMS = [
    ("voter_registration_database", "Voter registration database"),
    ("e_pollbook", "Electronic pollbook"),
    ("ballot_marking_device", "Ballot marking device"),
    ("tabulator", "Precinct tabulator"),
    ("central_count", "Central count system"),
    ("election_night_reporting", "Election night reporting"),
    ("website", "Election website"),
    ("email", "Email"),
    ("network", "Network"),
    ("other", "Other"),
]
SYSTEM_LABELS = dict(ELECTION_SYSTEMS)


class Incident(models.Model):
    """A possible, then assessed, election cybersecurity incident of one election agency."""

    class Assessment(models.TextChoices):
        ASSESSING = "assessing", "Still assessing"
        OCCURRED = "occurred", "Incident occurred (reason to believe)"
        NO_INCIDENT = "no_incident", "No incident"

    reference = models.CharField(max_length=20, unique=True)
    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="incidents")
    state = models.ForeignKey("directory.State", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents")
    title = models.CharField(max_length=200)
    aware_at = models.DateTimeField(help_text="When the agency became aware of the possible incident (§4(h))")
    how_learned = models.TextField()
    systems = models.JSONField(default=list)
    assessment = models.CharField(max_length=20, choices=Assessment.choices, default=Assessment.ASSESSING)
    assessment_reason = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    discovered_at = models.DateTimeField(null=True, blank=True, help_text="Discovery of the incident: starts the §4(i) clock")
    notified_at = models.DateTimeField(null=True, blank=True)
    notified_late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    # §4(j): the agencies a provider notified (they see the provider's incident) ...
    notified_agencies = models.ManyToManyField("directory.Organization", blank=True, related_name="+")
    # ... and §4(j)(2): an agency's own incident that follows from a provider's notice.
    provider_incident = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="agency_incidents")
    # Resolved and closed (by the reporter or the national office); closing starts the retention
    # clock after which personal information is purged (S.2261 §4(g); see .personal).
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    SCOPE_FIELDS = {"state_field": "state", "region_field": "state__region", "shared_field": "notified_agencies"}

    class Meta:
        ordering = ["-aware_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "idempotency_key"], condition=~models.Q(idempotency_key=""), name="one_incident_per_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def system_labels(self) -> list[str]:
        return [SYSTEM_LABELS.get(code, code) for code in self.systems]

    @property
    def is_provider(self) -> bool:
        return self.organization.kind == "election_service_provider"

    @property
    def stage(self) -> str:
        """Where the incident is, in words."""
        late = " (late)" if self.notified_late else ""
        if self.is_provider and self.notified_at:  # §4(j)(1): the agencies hear of the possible incident
            return "Agencies served notified" + late
        if self.assessment == self.Assessment.NO_INCIDENT:
            return "Closed: no incident"
        if self.closed_at is not None:
            return "Closed: resolved" + late
        if self.is_provider:
            return "Possible incident: notice to the agencies served due"
        if self.assessment == self.Assessment.ASSESSING:
            return "Possible incident: assessing"
        if self.notified_at is None:
            return "Incident: notice to the national office due"
        return "Incident: national office notified" + late


class IncidentNotice(models.Model):
    """One version of the §4(k)(1) content: number 1 is the §4(i) notice, later numbers are §4(k)(2) updates."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="notices")
    number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # §4(k)(1)(A): date and duration
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Empty while the incident continues")
    # §4(k)(1)(B): circumstances, the specific election systems believed accessed, information acquired
    circumstances = models.TextField()
    systems = models.JSONField(default=list)
    information_acquired = models.TextField()
    # §4(k)(1)(C): technical measures planned and implemented
    measures_planned = models.TextField()
    measures_implemented = models.TextField()
    note = models.TextField(blank=True, help_text="What changed in this update")

    SCOPE_FIELDS = {
        "organization_field": "incident__organization",
        "state_field": "incident__state",
        "region_field": "incident__state__region",
    }

    class Meta:
        ordering = ["incident", "number"]
        constraints = [models.UniqueConstraint(fields=["incident", "number"], name="one_incident_notice_per_number")]

    def __str__(self) -> str:
        return f"{self.incident.reference} notice {self.number}" if self.number > 1 else f"{self.incident.reference} notice"

    @property
    def is_update(self) -> bool:
        return self.number > 1

    @property
    def system_labels(self) -> list[str]:
        return [SYSTEM_LABELS.get(code, code) for code in self.systems]


class SignificanceDefinition(models.Model):
    """S.2261 §4(p)(2): the Secretary's uniform definition of a "significant election cybersecurity
    incident", as versioned policy: criteria an analyst ticks, the text, and the date it was
    submitted to the appropriate congressional committees (§4(p)(2)(B))."""

    version = models.PositiveIntegerField(unique=True)
    text = models.TextField()
    criteria = models.JSONField(help_text="[[code, label], …]")
    adopted_on = models.DateField()
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_on = models.DateField(null=True, blank=True, help_text="Submitted to the appropriate congressional committees")

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Definition of a significant incident, version {self.version}"

    @property
    def criteria_labels(self) -> dict[str, str]:
        return {code: label for code, label in self.criteria}


class SignificantDetermination(models.Model):
    """The national office's record that there is a reasonable basis to conclude that a significant
    incident occurred (§4(p)(1)(A)): when, by whom, why, under which definition, and which places
    the incident affects (their Senators and Representatives are notified)."""

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="significance")
    definition = models.ForeignKey(SignificanceDefinition, on_delete=models.PROTECT, related_name="+")
    criteria = models.JSONField(default=list)
    basis_at = models.DateTimeField(help_text="When there was a reasonable basis to conclude: starts the 7-day clock")
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField()
    counties = models.ManyToManyField("directory.County", blank=True, related_name="+")
    whole_states = models.ManyToManyField("directory.State", blank=True, related_name="+")

    SCOPE_FIELDS = {
        "organization_field": "incident__organization",
        "state_field": "incident__state",
        "region_field": "incident__state__region",
    }

    def __str__(self) -> str:
        return f"{self.incident.reference}: significant"

    @property
    def criteria_words(self) -> list[str]:
        labels = self.definition.criteria_labels
        return [labels.get(code, code) for code in self.criteria]


class CongressNotification(models.Model):
    """One notification of Congress about a significant incident: number 1 is the §4(p)(1)(A)
    notification, later numbers the §4(p)(1)(B) updates. ``recipients`` is the list as resolved
    when it was sent (membership changes; the record must not)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="congress_notifications")
    number = models.PositiveIntegerField()
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recipients = models.JSONField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    note = models.TextField(blank=True)

    SCOPE_FIELDS = {
        "organization_field": "incident__organization",
        "state_field": "incident__state",
        "region_field": "incident__state__region",
    }

    class Meta:
        ordering = ["incident", "number"]
        constraints = [models.UniqueConstraint(fields=["incident", "number"], name="one_congress_notification_per_number")]

    def __str__(self) -> str:
        return f"{self.incident.reference}: notification of Congress {self.number}"

    @property
    def recipient_count(self) -> int:
        r = self.recipients
        return sum(len(r.get(k, [])) for k in ("committees", "leaders", "senators", "representatives"))


class EvidenceFile(models.Model):
    """A file attached to an incident (see :mod:`.evidence`): stored by its SHA-256 outside the web root."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="evidence")
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=500, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    media_type = models.CharField(max_length=100)
    kind_words = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()
    # After the retention period a text file's personal information is purged: the stored file is
    # replaced by its purged copy (sha256 and size are then the copy's); the original's digest stays.
    purged_at = models.DateTimeField(null=True, blank=True)
    original_sha256 = models.CharField(max_length=64, blank=True)

    SCOPE_FIELDS = {
        "organization_field": "incident__organization",
        "state_field": "incident__state",
        "region_field": "incident__state__region",
    }

    class Meta:
        ordering = ["incident", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.incident.reference})"


class ReportDraft(models.Model):
    """A report of a possible incident, saved unfinished (one per person and organization): a
    clerk interrupted on election night comes back to it, on any device."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="one_report_draft_per_person")]
