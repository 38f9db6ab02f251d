"""Governance: the bodies the bills create, the guidelines and their public comment, the national
strategy and its implementation plan, and every statutory report to Congress.

* :class:`Body` and :class:`Member` — the Advisory Panel (S.2261 §5(a)) and the National Commission
  to Protect United States Democratic Institutions (H.R. 5011 §302(c)); :mod:`.composition` checks
  their membership rules. :class:`Meeting` — agendas and minutes, public unless protected.
* :class:`GuidelineVersion` — one version of the election cybersecurity guidelines (S.2261 §5(b)):
  its sections, the §5(e) factors considered, the §5(g) consultations (:class:`Consultation`), the
  45-day public comment of §5(f) (a public solicitation of the kernel's comment mechanism), the
  submission to the Secretary (§5(h) or §5(l)), the Secretary's submission to Congress within 14
  days (§5(i)) with any written justification of modifications, distribution (§5(j)) and
  publication (§5(k)).
* :class:`Report` — one statutory report to Congress (every kind in :mod:`.catalog`): its clock (an
  obligation of the registry), sections (some generated from safelect's data), review, approval,
  recipients resolved from the congress data, submission and public version.
* :class:`Objective`, :class:`Task` — the implementation plan of H.R. 5011 §301(c): strategic
  objectives, tasks with timelines, costs and metrics, and progress.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Body(models.Model):
    """The Advisory Panel (S.2261 §5(a)) or the National Commission (H.R. 5011 §302)."""

    class Kind(models.TextChoices):
        PANEL = "panel", "Advisory Panel on election cybersecurity (S.2261 §5(a))"
        COMMISSION = "commission", "National Commission to Protect United States Democratic Institutions (H.R. 5011 §302)"

    kind = models.CharField(max_length=12, choices=Kind.choices, unique=True)
    name = models.CharField(max_length=200)
    established_on = models.DateField()
    term_months = models.PositiveSmallIntegerField(null=True, blank=True, help_text="S.2261 §5(a)(4): the term set by the Secretary")
    first_meeting_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A member of a body: who appointed them, their expertise and eligibility, term and office."""

    class Appointer(models.TextChoices):
        SECRETARY = "secretary", "The Secretary of Homeland Security"
        NASS = "nass", "National Association of Secretaries of State"
        NASED = "nased", "National Association of State Election Directors"
        NACO = "naco", "National Association of Counties"
        NLC = "nlc", "National League of Cities"
        CHAIRMAN = "chairman", "The Chairman of the Election Assistance Commission"
        SENATE_MAJORITY = "senate_majority", "The majority leader of the Senate"
        SENATE_MINORITY = "senate_minority", "The minority leader of the Senate"
        SPEAKER = "speaker", "The Speaker of the House of Representatives"
        HOUSE_MINORITY = "house_minority", "The minority leader of the House of Representatives"

    class Office(models.TextChoices):
        MEMBER = "member", "Member"
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice Chair"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(max_length=200)
    appointed_by = models.CharField(max_length=20, choices=Appointer.choices)
    office = models.CharField(max_length=12, choices=Office.choices, default=Office.MEMBER)
    expertise = models.CharField(max_length=300, help_text="Fields of expertise, comma-separated (cybersecurity, election law…)")
    federal_employee = models.BooleanField(default=False, help_text="An officer or employee of the United States (S.2261 §5(a)(3)(A))")
    appointed_on = models.DateField()
    term_ends_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    left_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["body", "left_on", "appointed_on", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def fields(self) -> set[str]:
        return {f.strip().lower() for f in self.expertise.split(",") if f.strip()}


class Meeting(models.Model):
    """A meeting of a body: agenda before, minutes after; public unless protected (H.R. 5011 §302(h))."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    agenda = models.TextField()
    minutes = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    protection = models.CharField(max_length=300, blank=True, help_text="Why a meeting is closed (the statute or order that protects it)")

    class Meta:
        ordering = ["-held_at"]


class GuidelineVersion(models.Model):
    """One version of the election cybersecurity guidelines (S.2261 §5(b)) and its way to publication."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (the Advisory Panel drafts)"
        COMMENT = "comment", "Public comment (45 days, S.2261 §5(f))"
        REVISION = "revision", "Considering comments"
        AT_SECRETARY = "at_secretary", "Submitted to the Secretary (S.2261 §5(h)/(l))"
        AT_CONGRESS = "at_congress", "Submitted to Congress (S.2261 §5(i))"
        PUBLISHED = "published", "Distributed and published (S.2261 §5(j), (k))"

    class Cycle(models.TextChoices):
        INITIAL = "initial", "The first guidelines (S.2261 §5(h))"
        REVIEW = "review", "A periodic review (S.2261 §5(l))"

    reference = models.CharField(max_length=20, unique=True)
    number = models.PositiveSmallIntegerField(unique=True, help_text="Version 1, 2, …")
    cycle = models.CharField(max_length=10, choices=Cycle.choices)
    title = models.CharField(max_length=300)
    summary = models.TextField()
    #: [{"heading": str, "text": str, "covers": [citation, …]}] — ``covers`` ties a section to the
    #: content the statute requires (§5(b)(1)–(2), §5(d)(1)–(2)).
    sections = models.JSONField(default=list)
    #: {"S.2261 §5(e)(1)(A)": "how it was considered", …} — the factors of §5(e).
    factors = models.JSONField(default=dict)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.DRAFT)
    solicitation = models.OneToOneField("comments.Solicitation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    federal_register_citation = models.CharField(max_length=80, blank=True, help_text="The Federal Register notice of the comment period")
    submitted_to_secretary_at = models.DateTimeField(null=True, blank=True)
    sent_to_congress_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, help_text="Who received it from the Secretary (resolved from the congress data)")
    modified_by_secretary = models.BooleanField(default=False)
    justification = models.TextField(blank=True, help_text="S.2261 §5(i)(2): the Secretary's written justification of modifications")
    distributed_at = models.DateTimeField(null=True, blank=True)
    distributed_to = models.PositiveIntegerField(default=0, help_text="Election agencies the guidelines were sent to (S.2261 §5(j))")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    @property
    def text(self) -> str:
        """The whole document as plain text (for the diff and the comment period's body)."""
        return "\n\n".join(f"{s['heading']}\n\n{s['text']}" for s in self.sections)


class Consultation(models.Model):
    """A consultation of S.2261 §5(g) for a version of the guidelines."""

    version = models.ForeignKey(GuidelineVersion, on_delete=models.CASCADE, related_name="consultations")
    entity = models.CharField(max_length=12, help_text="The §5(g) paragraph consulted, e.g. 5g12 (MS-ISAC)")
    held_on = models.DateField()
    summary = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["held_on"]


class Report(models.Model):
    """One statutory report (a kind of :data:`.catalog.KINDS`) for one cycle."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", "Drafting"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        SUBMITTED = "submitted", "Submitted"

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    cycle = models.CharField(max_length=40, blank=True)
    obligation = models.ForeignKey("obligations.Obligation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    #: [{"key": str, "heading": str, "text": str, "generated": bool, "cites": str}]
    sections = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFTING)
    authors = models.CharField(max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, help_text="Who received it, resolved from the congress data at submission")
    solicitation = models.ForeignKey("comments.Solicitation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_public = models.BooleanField(default=False, help_text="A public version may be published")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Objective(models.Model):
    """A strategic objective of the implementation plan (H.R. 5011 §301(c)(1))."""

    plan = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    strategy_topic = models.CharField(max_length=30, help_text="The §301(b) consideration it answers, e.g. H.R. 5011 §301(b)(1)")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_objective_number_per_plan")]


class Task(models.Model):
    """A task of an objective with its timeline, cost and metric (H.R. 5011 §301(c)(1)–(3))."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=300)
    starts_on = models.DateField()
    due_on = models.DateField()
    cost = models.DecimalField(max_digits=14, decimal_places=0, help_text="Projected cost, whole dollars (§301(c)(2))")
    metric = models.CharField(max_length=300, help_text="How performance is measured (§301(c)(3))")
    target = models.DecimalField(max_digits=12, decimal_places=2)
    actual = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    unit = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["objective__number", "due_on", "pk"]

    @property
    def progress(self) -> int:
        """Per cent of the target reached (0–100)."""
        if not self.target:
            return 0
        return max(0, min(100, int(self.actual * 100 / self.target)))
