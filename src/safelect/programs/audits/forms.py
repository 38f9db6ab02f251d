"""Audit forms; the services validate everything again."""

from __future__ import annotations

from django import forms

from safelect.core.web.forms import UswdsForm
from safelect.rla.cvr import FORMATS

from .models import Audit

CVR_FORMATS = [
    ("auto", "Detect it from the file"),
    ("dominion", "Dominion (CVR export CSV)"),
    ("ess", "ES&S (CVR CSV)"),
    ("hart", "Hart (zip of XML)"),
    ("clearballot", "Clear Ballot (ClearVote CSV)"),
    ("nist", "NIST SP 1500-103 (JSON)"),
]
if [c for c, _ in CVR_FORMATS[1:]] != list(FORMATS):  # the pure readers decide the list
    raise ImportError("audits.forms lists CVR formats safelect.rla.cvr does not read")


class AuditForm(UswdsForm):
    name = forms.CharField(max_length=200, label="Name of the audit")
    election = forms.CharField(max_length=200, label="Election audited")
    kind = forms.ChoiceField(label="Type of audit", choices=Audit.Kind.choices, widget=forms.RadioSelect)
    risk_limit = forms.CharField(label="Risk limit (percent)", help_text="For example 5, or 2.5.")
    jurisdictions = forms.CharField(
        label="Participating jurisdictions",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One per line: the jurisdiction's name as the directory lists it.",
    )


class ManifestForm(UswdsForm):
    file = forms.FileField(
        label="Ballot manifest", help_text="CSV or XLSX with Batch Name, Number of Ballots and optionally Tabulator and Container."
    )


class CvrForm(UswdsForm):
    file = forms.FileField(label="Cast vote records")
    cvr_format = forms.ChoiceField(label="Format", choices=CVR_FORMATS, initial="auto")


class BatchTalliesForm(UswdsForm):
    file = forms.FileField(
        label="Batch tallies",
        help_text="CSV or XLSX, one row per batch, contest and choice: Batch Name, Contest, Choice, Votes; optionally Tabulator and Vote For.",
    )


class CalculatorSizeForm(UswdsForm):
    risk_limit = forms.FloatField(label="Risk limit (percent)", initial=5)
    ballots = forms.IntegerField(label="Ballots cast in the contest")
    winner = forms.IntegerField(label="Votes for the reported winner")
    runner_up = forms.IntegerField(label="Votes for the runner-up")


class CalculatorDrawForm(UswdsForm):
    seed = forms.CharField(max_length=200, label="Random seed", help_text="At least 20 digits, from a public dice roll.")
    sample_size = forms.IntegerField(label="Ballots to draw", min_value=1)
    manifest = forms.FileField(label="Ballot manifest (CSV)", help_text="Columns Batch Name and Number of Ballots; at most 1 MB.")
