"""Grant programs, applications, the review of each statutory condition, awards, payments,
qualified providers and reviewer scores (S.2261 §7; H.R. 5011 §297–298B; HSA §321)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

STATUTES = [
    ("s2261-7", "S.2261 §7(a)–(e): election system cybersecurity and modernization grants"),
    ("s2261-7f", "S.2261 §7(f): interim grants for election preparedness"),
    ("s2261-7g", "S.2261 §7(g): replacing voting systems that are not paper-ballot optical scan"),
    ("s2261-7h", "S.2261 §7(h): reimbursing the inspection of paper ballots by hand"),
    ("hr5011-297", "H.R. 5011 §101 (HAVA §297): paper ballot voting systems and security improvements"),
    ("hr5011-298", "H.R. 5011 §111 (HAVA §298): risk-limiting audits"),
    ("hsa-321", "H.R. 5011 §121 (Homeland Security Act §321): election infrastructure innovation research"),
]
FORMULA_OF = {"s2261-7": "s2261-7e", "s2261-7g": "s2261-7g", "s2261-7h": "s2261-7h", "hr5011-297": "hr5011-297"}


class Program(models.Model):
    """One grant program for one fiscal year: its statute, appropriation, window and, for a formula
    program, the allocation table frozen when it is published."""

    class Kind(models.TextChoices):
        FORMULA = "formula", "Formula"
        COMPETITIVE = "competitive", "Competitive"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Open for applications"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    statute = models.CharField(max_length=20, choices=STATUTES)
    fiscal_year = models.PositiveSmallIntegerField()
    appropriation = models.BigIntegerField(help_text="Whole dollars")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    administrator = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    allocation = models.JSONField(null=True, blank=True, help_text="The allocation (formula programs), frozen at publication")
    population_source = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-fiscal_year", "statute", "pk"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def statute_label(self) -> str:
        return dict(STATUTES)[self.statute]

    def allocated_to(self, state_code: str) -> int | None:
        """The frozen allocation's amount for a State (None: not a formula program, or not listed)."""
        for line in (self.allocation or {}).get("allocations", []):
            if line["state"] == state_code and not line.get("applicant"):
                return line["amount"]
        return None


class Application(models.Model):
    """An application to a program, with the statute's required content in ``answers``."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        CHANGES = "changes_requested", "Changes requested"
        DENIED = "denied", "Denied"
        AWARDED = "awarded", "Awarded"

    reference = models.CharField(max_length=40, unique=True)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict)
    amount_requested = models.BigIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, help_text="Changes requested, or the reason for a denial")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    SCOPE_FIELDS = {"organization_field": "applicant"}

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["program", "applicant"], name="one_application_per_program_and_applicant")]

    def __str__(self) -> str:
        return f"{self.reference} {self.applicant.name}"


class ConditionCheck(models.Model):
    """The reviewer's finding on one statutory condition of one application, with its reason."""

    class Outcome(models.TextChoices):
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checks")
    code = models.CharField(max_length=40)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.TextField()
    automatic = models.BooleanField(default=False, help_text="Computed by safelect from the answers and the allocation")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField()

    SCOPE_FIELDS = {"organization_field": "application__applicant"}

    class Meta:
        ordering = ["application", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "code"], name="one_check_per_condition")]


class Award(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    amount = models.BigIntegerField()
    awarded_at = models.DateTimeField()
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    withheld = models.BigIntegerField(default=0, help_text="S.2261 §7(b)(3)(B)(iii): not to be spent until the legal issue is resolved")

    SCOPE_FIELDS = {"organization_field": "application__applicant"}


class Payment(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="payments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount = models.BigIntegerField()
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["award", "number"]
        constraints = [models.UniqueConstraint(fields=["award", "number"], name="one_payment_per_number")]


class RemainingFunds(models.Model):
    """S.2261 §7(c)(2): the State's written certification that its agencies have implemented the
    guidelines, and the Secretary's approval of other election-administration uses."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="remaining_funds")
    certification = models.TextField()
    uses = models.TextField()
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    certified_at = models.DateTimeField()
    approved = models.BooleanField(null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)


class Provider(models.Model):
    """A qualified provider: an entity GSA qualified (S.2261 §7(d)), or a vendor checked against the
    criteria of HAVA §297B(b)(2) (H.R. 5011), criterion by criterion with evidence."""

    class List(models.TextChoices):
        GSA = "s2261-7d", "S.2261 §7(d): qualified private-sector cybersecurity providers"
        VENDOR = "hr5011-297b", "H.R. 5011 (HAVA §297B(b)): qualified election infrastructure vendors"

    listing = models.CharField(max_length=20, choices=List.choices)
    name = models.CharField(max_length=200)
    organization = models.ForeignKey("directory.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    services = models.TextField(blank=True)
    contract_vehicle = models.CharField(max_length=200, blank=True)
    criteria = models.JSONField(default=dict, help_text="criterion code → {met, evidence}")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["listing", "name"]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """A reviewer's score of a competitive application (HSA §321), with any conflict of interest
    declared; a declared conflict keeps the score out of the ranking."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    conflict = models.BooleanField(default=False)
    conflict_note = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    scored_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="one_score_per_reviewer")]


class Report(models.Model):
    """A grantee's report on what the money did (progress; for research grants, impact)."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(max_length=40)
    text = models.TextField()
    spent = models.BigIntegerField(default=0)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    SCOPE_FIELDS = {"organization_field": "award__application__applicant"}

    class Meta:
        ordering = ["award", "submitted_at"]
