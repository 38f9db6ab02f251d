"""An audit, its participating jurisdictions, the files they upload and the audited contests
(S.2261 §5(d): audits of paper ballots with high statistical confidence; H.R. 5011 §298)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Audit(models.Model):
    class Kind(models.TextChoices):
        BALLOT_POLLING = "ballot_polling", "Ballot polling (BRAVO)"
        BALLOT_COMPARISON = "ballot_comparison", "Ballot comparison (cast vote records)"
        BATCH_COMPARISON = "batch_comparison", "Batch comparison (MACRO)"

    class Status(models.TextChoices):
        SETUP = "setup", "Setting up"
        LAUNCHED = "launched", "Launched"
        HAND_COUNT = "hand_count", "Full hand count"
        COMPLETE = "complete", "Complete"

    reference = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    election = models.CharField(max_length=200)
    state = models.ForeignKey("directory.State", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="+", help_text="The State office that runs it"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    risk_limit = models.DecimalField(max_digits=5, decimal_places=2, help_text="Percent")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SETUP)
    seed = models.CharField(max_length=100, blank=True, help_text="From the public dice-rolling ceremony; fixed at launch")
    launched_at = models.DateTimeField(null=True, blank=True)
    launched_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="How the audit ended, in words")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    SCOPE_FIELDS = {"organization_field": "organization", "shared_field": "participants__organization"}

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"


class Participant(models.Model):
    """A jurisdiction taking part in an audit, with its current manifest and CVR summaries."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="participants")
    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="+")
    # Contest names as this jurisdiction's CVRs spell them → the audit's standard name.
    contest_names = models.JSONField(default=dict, blank=True)

    SCOPE_FIELDS = {"organization_field": "organization", "state_field": "audit__state"}

    class Meta:
        ordering = ["organization__name"]
        constraints = [models.UniqueConstraint(fields=["audit", "organization"], name="one_participation_per_jurisdiction")]

    def __str__(self) -> str:
        return self.organization.name

    def current(self, kind: str):
        """The file of ``kind`` in use: the latest one processed (a refused or pending one replaces nothing)."""
        return self.uploads.filter(kind=kind, status=Upload.Status.PROCESSED).order_by("-uploaded_at", "-pk").first()


class Upload(models.Model):
    """A file a jurisdiction uploaded, processed by a background job. Until the audit is launched a
    new file of the same kind replaces the old (kept as superseded, with its digest)."""

    class Kind(models.TextChoices):
        MANIFEST = "manifest", "Ballot manifest"
        CVR = "cvr", "Cast vote records"
        BATCH_TALLIES = "batch_tallies", "Batch tallies"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be processed"
        PROCESSING = "processing", "Processing"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Refused"
        SUPERSEDED = "superseded", "Replaced by a newer file"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="uploads")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    cvr_format = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True, help_text="Manifest: batches and ballots; CVR: the tally")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)

    SCOPE_FIELDS = {"organization_field": "participant__organization", "state_field": "participant__audit__state"}

    class Meta:
        ordering = ["-uploaded_at", "-pk"]


class Contest(models.Model):
    """A contest of the audit under its standard name, with the totals the jurisdictions' CVRs report."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="contests")
    name = models.CharField(max_length=300)
    votes_allowed = models.PositiveSmallIntegerField(default=1)
    num_winners = models.PositiveSmallIntegerField(default=1)
    choices = models.JSONField(default=dict)
    ballots = models.PositiveIntegerField(default=0)
    targeted = models.BooleanField(default=False)

    class Meta:
        ordering = ["audit", "name"]
        constraints = [models.UniqueConstraint(fields=["audit", "name"], name="one_contest_name_per_audit")]


class Round(models.Model):
    """One round of draws: its size (the draws of all rounds so far extend one consistent sample)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    sample_size = models.PositiveIntegerField(help_text="Draws in this round")
    previous = models.PositiveIntegerField(help_text="Draws of the earlier rounds")
    with_replacement = models.BooleanField()
    chosen = models.CharField(max_length=200, help_text="The option the administrator chose, in words")
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    measured_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(null=True, blank=True, help_text="Per targeted contest: its measured risk and whether the limit is met")

    class Meta:
        ordering = ["audit", "number"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"], name="one_round_per_number")]


class Draw(models.Model):
    """One draw of a round: the ballot (jurisdiction, tabulator, batch, position) and its ticket.
    A ballot drawn twice appears as two draws (with generations 1 and 2)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="draws")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="draws")
    tabulator = models.CharField(max_length=200, blank=True)
    batch = models.CharField(max_length=200)
    container = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField()
    ticket = models.CharField(max_length=40)
    generation = models.PositiveSmallIntegerField()
    # Ballot comparison: what the tabulator read on this card ({contest: [choices]}), looked up in the
    # jurisdiction's CVR file when the round is drawn; cvr_missing when no card has this place.
    cvr = models.JSONField(null=True, blank=True)
    cvr_missing = models.BooleanField(default=False)

    SCOPE_FIELDS = {"organization_field": "participant__organization", "state_field": "participant__audit__state"}

    class Meta:
        ordering = ["round", "ticket"]


class Board(models.Model):
    """An audit board of a jurisdiction for one round: it signs in with its own code (no personal
    accounts), records the ballots assigned to it, and signs off with its members' names."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="boards")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(max_length=100)
    code_hash = models.CharField(max_length=200)
    failed_sign_ins = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True, help_text="Too many wrong codes: the jurisdiction issues a new one")
    members = models.CharField(max_length=300, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_FIELDS = {"organization_field": "participant__organization", "state_field": "participant__audit__state"}

    class Meta:
        ordering = ["participant", "name"]


class BallotRecord(models.Model):
    """What an audit board read on one sampled ballot (recorded once, counted as often as drawn)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="records")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="ballots")
    container = models.CharField(max_length=200, blank=True)
    tabulator = models.CharField(max_length=200, blank=True)
    batch = models.CharField(max_length=200)
    position = models.PositiveIntegerField()
    times_drawn = models.PositiveSmallIntegerField(default=1)
    not_found = models.BooleanField(default=False)
    votes = models.JSONField(null=True, blank=True, help_text="contest → {choices: [...], blank, overvote}; null until recorded")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["board", "container", "tabulator", "batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "participant", "tabulator", "batch", "position"], name="one_record_per_sampled_ballot")
        ]


class BatchTally(models.Model):
    """Votes counted by hand in one batch: a batch drawn for a batch-comparison round, or a batch of
    a full hand count. Recorded by the jurisdiction (administrator or tally entry), once."""

    class Purpose(models.TextChoices):
        SAMPLE = "sample", "Sampled batch"
        HAND_COUNT = "hand_count", "Full hand count"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="batch_tallies")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="batch_tallies")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    tabulator = models.CharField(max_length=200, blank=True)
    batch = models.CharField(max_length=200)
    container = models.CharField(max_length=200, blank=True)
    ballots = models.PositiveIntegerField()
    votes = models.JSONField(null=True, blank=True, help_text="contest → {choice: votes}; null until recorded")
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    SCOPE_FIELDS = {"organization_field": "participant__organization", "state_field": "participant__audit__state"}

    class Meta:
        ordering = ["participant", "container", "tabulator", "batch"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "purpose", "participant", "tabulator", "batch"], name="one_tally_per_batch_and_purpose"
            )
        ]
