"""Hack the Election (S.2261 §8): what agencies and providers volunteer, the rounds of the
competition, the researchers who qualify, the vulnerabilities they report, the awards and the
remediation that follows.

* :class:`SafeHarbor` — the versioned safe-harbour statement that comes out of the §8(f)
  consultations (the Attorney General on 18 U.S.C. 1030 and 17 U.S.C. 1201; the Department of
  Defense offices behind "Hack the Pentagon"). Participants agree to one version.
* :class:`Designation` — §8(b), (d)(4): an agency or provider volunteers one system of its
  inventory for a period and in stated circumstances, with rules of engagement and what is out of scope.
* :class:`Round` — §8(d)(1): one round of the recurring competition, its scopes, rules and award schedule.
* :class:`Researcher` — §8(d)(2): an independent technical expert's qualification.
* :class:`Finding` — a vulnerability report against a scope, its triage, notification (§8(d)(5)) and
  coordinated disclosure; :class:`ProofFile` its proof-of-concept files (stored, never rendered or run).
* :class:`Award` — §8(d)(3): computed from the round's schedule for previously unidentified vulnerabilities.
* :class:`Remediation` — one notified organization's progress, and its request for technical assistance.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

SEVERITIES = [("critical", "Critical"), ("high", "High"), ("medium", "Medium"), ("low", "Low"), ("none", "None")]


class SafeHarbor(models.Model):
    """One version of the safe-harbour statement (S.2261 §8(f))."""

    version = models.PositiveIntegerField(unique=True)
    text = models.TextField()
    consultation = models.TextField(help_text="The §8(f) consultations this version reflects")
    effective_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Safe harbour, version {self.version}"


class Designation(models.Model):
    """A system volunteered for assessment (S.2261 §8(b), (d)(4))."""

    class Circumstances(models.TextChoices):
        TEST_LAB = "test_lab", "In a test laboratory (equipment supplied)"
        MOCK_ELECTION = "mock_election", "During a mock election"
        SOURCE_REVIEW = "source_review", "Source code and documentation review"
        PRODUCTION_READ_ONLY = "production_read_only", "Production, read-only (public-facing only)"

    reference = models.CharField(max_length=20, unique=True)
    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    system = models.ForeignKey("directory.ElectionSystem", on_delete=models.PROTECT, related_name="+")
    circumstances = models.CharField(max_length=30, choices=Circumstances.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    rules_of_engagement = models.TextField()
    out_of_scope = models.TextField()
    safe_harbor = models.ForeignKey(SafeHarbor, on_delete=models.PROTECT, related_name="+")
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    agreed_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    SCOPE_FIELDS = {"organization_field": "organization"}

    class Meta:
        ordering = ["-agreed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.system}"


class Round(models.Model):
    """One round of the recurring competition (S.2261 §8(d)(1)) with its award schedule (§8(d)(3))."""

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    rules = models.TextField()
    scopes = models.ManyToManyField(Designation, related_name="rounds")
    award_critical = models.PositiveIntegerField(default=0, help_text="US dollars")
    award_high = models.PositiveIntegerField(default=0)
    award_medium = models.PositiveIntegerField(default=0)
    award_low = models.PositiveIntegerField(default=0)
    non_monetary = models.CharField(max_length=300, blank=True, help_text="Recognition given with (or instead of) money")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_recorded_at = models.DateTimeField(null=True, blank=True, help_text="When the close opened the next-round clock")

    class Meta:
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def amount_for(self, severity: str) -> int:
        return {"critical": self.award_critical, "high": self.award_high, "medium": self.award_medium, "low": self.award_low}.get(
            severity, 0
        )


class Researcher(models.Model):
    """An independent technical expert and their qualification (S.2261 §8(d)(2))."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting the office's decision"
        QUALIFIED = "qualified", "Qualified"
        REFUSED = "refused", "Not qualified"

    reference = models.CharField(max_length=20, unique=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hack_researcher")
    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    legal_name = models.CharField(max_length=200)
    country = models.CharField(max_length=80)
    affiliations = models.TextField(blank=True, help_text="Employers and clients among election agencies and providers")
    attested_identity = models.BooleanField(default=False)
    attested_adult = models.BooleanField(default=False)
    attested_not_barred = models.BooleanField(default=False)
    agreed_safe_harbor = models.ForeignKey(SafeHarbor, on_delete=models.PROTECT, related_name="+")
    public_name = models.CharField(max_length=80, blank=True, help_text="Name shown in the hall of fame")
    hall_of_fame = models.BooleanField(default=False, help_text="Consents to be listed publicly")
    applied_at = models.DateTimeField()
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, help_text="When the last link confirming the email was sent")
    email_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the applicant followed the link; qualifying waits for it"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-applied_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.legal_name}"


class Finding(models.Model):
    """A vulnerability report and what became of it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted, awaiting triage"
        VALID = "valid", "Valid"
        DUPLICATE = "duplicate", "Duplicate"
        OUT_OF_SCOPE = "out_of_scope", "Out of scope"
        INFORMATIVE = "informative", "Informative (no vulnerability)"

    reference = models.CharField(max_length=20, unique=True)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="findings")
    designation = models.ForeignKey(Designation, on_delete=models.PROTECT, related_name="findings")
    researcher = models.ForeignKey(Researcher, on_delete=models.PROTECT, related_name="findings")
    title = models.CharField(max_length=200)
    affected_version = models.CharField(max_length=60)
    description = models.TextField()
    steps = models.TextField(help_text="Steps to reproduce")
    cwe_id = models.PositiveIntegerField()
    cwe_name = models.CharField(max_length=300)
    cvss_vector = models.CharField(max_length=300)
    cvss_score = models.DecimalField(max_digits=3, decimal_places=1)
    severity = models.CharField(max_length=10, choices=SEVERITIES)
    submitted_at = models.DateTimeField()
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.SUBMITTED)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    novel = models.BooleanField(null=True, help_text="Previously unidentified (§8(d)(3))")
    novelty_reason = models.TextField(blank=True)
    triage_note = models.TextField(blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    sharing_reference = models.CharField(max_length=20, blank=True)
    sharing_path = models.CharField(max_length=200, blank=True)
    disclosure_on = models.DateField(null=True, blank=True, help_text="Coordinated public disclosure date")
    disclosure_agreed = models.CharField(max_length=300, blank=True, help_text="Who agreed a date other than the policy's")
    advisory_id = models.CharField(max_length=30, blank=True, unique=False)
    advisory_text = models.TextField(blank=True)
    disclosed_at = models.DateTimeField(null=True, blank=True)
    notified = models.ManyToManyField("directory.Organization", through="Remediation", related_name="+")

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def cwe_label(self) -> str:
        return f"CWE-{self.cwe_id}: {self.cwe_name}"


class ProofFile(models.Model):
    """A proof-of-concept file: kept in the kernel's attachment store, served only as a download."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="proofs")
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    media_type = models.CharField(max_length=100)
    kind_words = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["finding", "uploaded_at", "pk"]


class Award(models.Model):
    """The award for a previously unidentified vulnerability, computed from the round's schedule."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"

    finding = models.OneToOneField(Finding, on_delete=models.PROTECT, related_name="award")
    severity = models.CharField(max_length=10, choices=SEVERITIES)
    amount = models.PositiveIntegerField(help_text="US dollars")
    non_monetary = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)


class Remediation(models.Model):
    """One notified organization's remediation of a finding (S.2261 §8(d)(5))."""

    class Why(models.TextChoices):
        DESIGNATED = "designated", "Designated the system"
        USES = "uses", "Uses the product"

    class Status(models.TextChoices):
        NOTIFIED = "notified", "Notified"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        IN_PROGRESS = "in_progress", "Remediation in progress"
        REMEDIATED = "remediated", "Remediated"
        NOT_AFFECTED = "not_affected", "Not affected"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="remediations")
    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    why = models.CharField(max_length=12, choices=Why.choices)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NOTIFIED)
    note = models.TextField(blank=True)
    assistance_requested_at = models.DateTimeField(null=True, blank=True)
    assistance_request = models.TextField(blank=True, help_text="The technical assistance asked for (§8(d)(5))")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["finding", "organization__name"]
        constraints = [models.UniqueConstraint(fields=["finding", "organization"], name="one_remediation_per_finding_organization")]
