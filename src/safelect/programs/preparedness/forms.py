"""Forms of the preparedness services; the services check everything again."""

from __future__ import annotations

from django import forms

from safelect.core.accounts.models import Clearance
from safelect.core.web.forms import UswdsForm

from .models import TLP_CHOICES, AssessmentTeam, CatalogService, ClearanceRequest, ThreatAssessment


class CatalogForm(UswdsForm):
    title = forms.CharField(max_length=200)
    agency = forms.CharField(max_length=200, label="Federal agency providing it")
    category = forms.ChoiceField(choices=CatalogService.Category.choices)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What it is")
    eligibility = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Who may receive it")
    how_to_request = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="How to request it")
    request_in_safelect = forms.ChoiceField(choices=CatalogService.Request.choices, required=False, label="Request link in safelect")
    cost = forms.CharField(max_length=200, required=False)
    contact_name = forms.CharField(max_length=200, label="Point of contact")
    contact_email = forms.CharField(max_length=254, label="Point of contact's email")
    contact_phone = forms.CharField(max_length=40, required=False, label="Point of contact's phone")
    annex_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Classified annex: where and how cleared personnel obtain it",
        help_text="Shown only to people with an active clearance. Never the annex itself.",
    )
    published = forms.BooleanField(required=False, initial=True, label="Published in the public catalog")


class AssessmentRequestForm(UswdsForm):
    systems = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Systems to assess", help_text="One per line: product, version, where it runs."
    )
    window = forms.CharField(max_length=200, required=False, label="When the assessment may take place", help_text="Optional.")
    agency = forms.CharField(
        max_length=200,
        required=False,
        label="For a local election agency",
        help_text="Optional: the agency's name as the directory lists it; empty for your own office's systems.",
    )


class ScheduleForm(UswdsForm):
    team = forms.ModelChoiceField(queryset=AssessmentTeam.objects.filter(active=True), label="Assessment team")
    start_on = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    end_on = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))


class ReportForm(UswdsForm):
    findings = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Findings")
    tlp = forms.ChoiceField(choices=TLP_CHOICES, initial="amber+strict", label="Sensitivity (TLP)")


class ClearanceRequestForm(UswdsForm):
    person = forms.CharField(max_length=254, label="The person's email address", help_text="An active member of the organization.")
    category = forms.ChoiceField(choices=ClearanceRequest.Category.choices, widget=forms.RadioSelect)
    level = forms.ChoiceField(choices=Clearance.Level.choices, initial="secret")
    temporary = forms.BooleanField(required=False, label="Ask for a temporary clearance meanwhile (H.R. 5011 §203(3))")
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Why access is needed. No investigation content."
    )


class ClearanceStatusForm(UswdsForm):
    status = forms.ChoiceField(choices=[(s, label) for s, label in ClearanceRequest.Status.choices if s != "requested"], label="New status")
    on = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label="Interim clearance expires on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For an interim clearance.",
    )


class TemporaryForm(UswdsForm):
    on = forms.DateField(label="Issued on", widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label="Expires on", widget=forms.DateInput(attrs={"type": "date"}))


class ThreatForm(UswdsForm):
    status = forms.ChoiceField(choices=ThreatAssessment.Status.choices[1:], label="Step")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Unclassified note",
        help_text="Required when delivered: how it was delivered.",
    )
