"""The services the national office gives election officials, each with the clock or report that
counts it: the catalog (S.2261 §4(m)), risk and vulnerability assessments (H.R. 5011 §205; S.2261
§7(f)(4)), clearance requests (S.2261 §4(l); H.R. 5011 §203) and pre-election threat assessments
(H.R. 5011 §204). Nothing classified is stored: no investigation content, no annex text."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safelect.core.stix import TLP_IDS

TLP_CHOICES = [(level, f"TLP:{level.upper()}") for level in TLP_IDS]


class CatalogService(models.Model):
    """One cybersecurity service a Federal agency provides to election agencies (S.2261 §4(m)(1)),
    with its point of contact; ``annex_note`` tells cleared personnel where and how to obtain the
    service's entry in the classified annex (§4(m)(2)) — the annex itself is never stored here."""

    class Category(models.TextChoices):
        ASSESSMENT = "assessment", "Assessments and testing"
        MONITORING = "monitoring", "Monitoring and detection"
        RESPONSE = "response", "Incident response"
        SHARING = "sharing", "Information sharing"
        TRAINING = "training", "Training and exercises"
        CLEARANCE = "clearance", "Security clearances"

    class Request(models.TextChoices):
        NONE = "", "Through the point of contact"
        ASSESSMENT = "assessment", "Request a risk and vulnerability assessment in safelect"
        CLEARANCE = "clearance", "Request a security clearance in safelect"
        INCIDENT = "incident", "Report an incident in safelect"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    agency = models.CharField(max_length=200, help_text="The Federal agency that provides it")
    category = models.CharField(max_length=20, choices=Category.choices)
    summary = models.TextField()
    eligibility = models.TextField(help_text="Who may receive it")
    how_to_request = models.TextField()
    request_in_safelect = models.CharField(max_length=20, choices=Request.choices, blank=True)
    cost = models.CharField(max_length=200, default="No cost to election agencies")
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=40, blank=True)
    annex_note = models.TextField(blank=True, help_text="Where and how cleared personnel obtain the classified annex entry")
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title


class AssessmentTeam(models.Model):
    """A team that carries out risk and vulnerability assessments; ``capacity`` is how many it runs
    at once (scheduling refuses more)."""

    name = models.CharField(max_length=100, unique=True)
    capacity = models.PositiveSmallIntegerField(default=1)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AssessmentRequest(models.Model):
    """A written request for a security risk and vulnerability assessment of named systems (H.R.
    5011 §205(b)). A local agency drafts one for its State; the chief State election official's
    office submits it, and only then does the 90-day clock start (§205(b)(1) counts from the request
    of the chief State election official)."""

    class Status(models.TextChoices):
        AWAITING_STATE = "awaiting_state", "Awaiting the State's request"
        REQUESTED = "requested", "Requested"
        SCHEDULED = "scheduled", "Scheduled"
        COMMENCED = "commenced", "Under way"
        DELIVERED = "delivered", "Report delivered"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    reference = models.CharField(max_length=40, unique=True)
    state = models.ForeignKey("directory.State", on_delete=models.PROTECT, related_name="+")
    state_office = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="+", help_text="Whose systems: the State office or a local agency"
    )
    systems = models.TextField(help_text="The systems to assess, one per line")
    window = models.CharField(max_length=200, blank=True, help_text="When the assessment may take place")
    status = models.CharField(max_length=20, choices=Status.choices)
    drafted_at = models.DateTimeField()
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(null=True, blank=True, help_text="The chief State election official's written request")
    team = models.ForeignKey(AssessmentTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments")
    start_on = models.DateField(null=True, blank=True)
    end_on = models.DateField(null=True, blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True, help_text="§205(b)(2): it cannot start within 90 days")
    commenced_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(blank=True)
    tlp = models.CharField("Sensitivity", max_length=20, choices=TLP_CHOICES, default="amber+strict")
    closed_at = models.DateTimeField(null=True, blank=True)

    SCOPE_FIELDS = {"organization_field": "agency", "shared_field": "state_office", "state_field": "state"}

    class Meta:
        ordering = ["-drafted_at"]

    def __str__(self) -> str:
        return self.reference


class Remediation(models.Model):
    """A finding's remediation: what, who owns it, by when, and its closing."""

    assessment = models.ForeignKey(AssessmentRequest, on_delete=models.CASCADE, related_name="remediations")
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]


class ClearanceRequest(models.Model):
    """A request to sponsor a person's security clearance (S.2261 §4(l); H.R. 5011 §203), tracked by
    status and date only. State election officials, their designated technical staff and the
    Commission's members and staff go through the expedited process (§4(l)(1)–(2))."""

    class Category(models.TextChoices):
        STATE_OFFICIAL = "state_official", "State election official"
        STATE_TECHNICAL = "state_technical", "Designated technical staff of a State election agency"
        COMMISSION = "commission", "Member or staff of the Election Assistance Commission"
        OTHER_AGENCY = "other_agency", "Personnel of another election agency"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        FORMS_SUBMITTED = "forms_submitted", "Forms submitted"
        INTERIM = "interim", "Interim clearance"
        FINAL = "final", "Final clearance"
        DENIED = "denied", "Denied"
        EXPIRED = "expired", "Expired"

    EXPEDITED = {Category.STATE_OFFICIAL, Category.STATE_TECHNICAL, Category.COMMISSION}

    reference = models.CharField(max_length=40, unique=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="clearance_requests")
    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    state = models.ForeignKey("directory.State", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=20, choices=Category.choices)
    level = models.CharField(max_length=20, default="secret")
    temporary = models.BooleanField(default=False, help_text="A temporary clearance is asked for (H.R. 5011 §203(3))")
    justification = models.TextField(blank=True, help_text="Why the person needs access (no investigation content)")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    forms_submitted_on = models.DateField(null=True, blank=True)
    interim_on = models.DateField(null=True, blank=True)
    final_on = models.DateField(null=True, blank=True)
    denied_on = models.DateField(null=True, blank=True)
    expired_on = models.DateField(null=True, blank=True)
    temporary_on = models.DateField(null=True, blank=True, help_text="A temporary clearance was issued")
    clearance = models.ForeignKey(
        "accounts.Clearance",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The kernel's record it produced",
    )

    SCOPE_FIELDS = {"organization_field": "organization", "state_field": "state"}

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def expedited(self) -> bool:
        return self.category in self.EXPEDITED


class ThreatAssessment(models.Model):
    """The pre-election threat assessment for one State and one regularly scheduled Federal general
    election (H.R. 5011 §204): developed by the Secretary with the Commission's Chairman, submitted
    to the chief State election official. Tracked here by status; its content travels through the
    classified channels the DNI uses, not through safelect."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DRAFTING = "drafting", "Being developed"
        DEVELOPED = "developed", "Developed with the Commission"
        DELIVERED = "delivered", "Delivered"

    state_office = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    state = models.ForeignKey("directory.State", on_delete=models.PROTECT, related_name="+")
    election_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    developed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True, help_text="An unclassified note: how it was delivered")

    SCOPE_FIELDS = {"organization_field": "state_office", "state_field": "state"}

    class Meta:
        ordering = ["election_year", "state__name"]
        constraints = [
            models.UniqueConstraint(fields=["state_office", "election_year"], name="one_threat_assessment_per_state_and_election")
        ]


class AnnualReport(models.Model):
    """The H.R. 5011 §206 report for one year: generated from the records as a draft, reviewed,
    then submitted (the date recorded; the clock fulfilled)."""

    year = models.PositiveSmallIntegerField(unique=True, help_text="The year reported on")
    figures = models.JSONField(help_text="The figures as submitted")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year"]


class SharingAssessment(models.Model):
    """The joint assessment by the Secretary and the Commission's Chairman of the MS-ISAC's structure
    and functioning for election cybersecurity and of other inter-State sharing mechanisms (S.2261
    §4(o)): drafted, with comments solicited from all State election agencies and considered, then
    issued to every election agency known and to the appropriate congressional committees."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", "Drafting"
        COMMENTS = "comments", "Comments solicited"
        ISSUED = "issued", "Issued"

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=300)
    scope = models.TextField(help_text="What the assessment covers and asks the States")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFTING)
    solicitation = models.ForeignKey("comments.Solicitation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(blank=True, help_text="The assessment as issued")
    issued_jointly_with = models.CharField(max_length=200, default="the Chairman of the Election Assistance Commission")
    issued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class Distribution(models.Model):
    """One recipient organization of an issued §4(o) assessment, and how it was delivered."""

    assessment = models.ForeignKey(SharingAssessment, on_delete=models.CASCADE, related_name="distribution")
    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    members_notified = models.PositiveIntegerField(help_text="Members who received it in safelect (inbox and email)")
    by_letter = models.BooleanField(default=False, help_text="No member in safelect: sent by letter")
    delivered_at = models.DateTimeField()

    class Meta:
        ordering = ["organization__name"]
        constraints = [models.UniqueConstraint(fields=["assessment", "organization"], name="one_distribution_per_organization")]
