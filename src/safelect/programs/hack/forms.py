"""Forms of Hack the Election; the services check everything again. Moments are typed in the
viewer's time zone (``datetime-local``) and stored aware."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms

from safelect.core.directory.models import SYSTEM_CATEGORIES
from safelect.core.web.forms import LocalMoment, UswdsForm

from .models import Designation, Finding, Remediation

DATE = {"type": "date"}


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class ProofField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ApplicationForm(UswdsForm):
    legal_name = forms.CharField(max_length=200, required=False, label="Full legal name")
    email = forms.CharField(max_length=254, required=False, label="Email address", help_text="Your sign-in name; decisions are sent here.")
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False), required=False, label="Password", help_text="At least 12 characters."
    )
    country = forms.CharField(max_length=80, required=False, label="Country of residence")
    affiliations = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Affiliations with election agencies or providers",
        help_text="Employers and clients among them; a conflict is managed, not hidden.",
    )
    attested_identity = forms.BooleanField(required=False, label="The identity I give is mine, and I can prove it on request.")
    attested_adult = forms.BooleanField(required=False, label="I am 18 or older.")
    attested_not_barred = forms.BooleanField(required=False, label="No law, sanction or employer rule bars me from taking part.")
    agree = forms.BooleanField(required=False, label="I agree to the program's rules and the safe-harbour statement shown above.")
    safe_harbor_version = forms.CharField(widget=forms.HiddenInput, required=False)
    hall_of_fame = forms.BooleanField(required=False, label="List me in the public hall of fame if I receive an award.")
    public_name = forms.CharField(max_length=80, required=False, label="Name to show in the hall of fame")


class ListingForm(UswdsForm):
    hall_of_fame = forms.BooleanField(required=False, label="List me in the public hall of fame and name me on advisories' credit line.")
    public_name = forms.CharField(max_length=80, required=False, label="Name to show")


class DecisionForm(UswdsForm):
    decision = forms.ChoiceField(choices=[("qualify", "Qualify"), ("refuse", "Do not qualify")], widget=forms.RadioSelect)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Reason",
        help_text="Required when not qualifying; the applicant reads it.",
    )


class SystemForm(UswdsForm):
    category = forms.ChoiceField(choices=SYSTEM_CATEGORIES, label="Kind of system")
    manufacturer = forms.CharField(max_length=120)
    product = forms.CharField(max_length=120)
    version = forms.CharField(max_length=60, required=False)
    note = forms.CharField(max_length=300, required=False, label="Where and how it is used")


class DesignationForm(UswdsForm):
    system = forms.ModelChoiceField(queryset=None, label="System from your inventory")
    circumstances = forms.ChoiceField(choices=Designation.Circumstances.choices)
    starts_on = forms.DateField(widget=forms.DateInput(attrs=DATE), label="First day it may be assessed")
    ends_on = forms.DateField(widget=forms.DateInput(attrs=DATE), label="Last day")
    rules_of_engagement = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Rules of engagement")
    out_of_scope = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Out of scope")
    agree = forms.BooleanField(required=False, label="We agree to the safe-harbour statement shown above.")
    safe_harbor_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems


class SafeHarborForm(UswdsForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Safe-harbour statement")
    consultation = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Consultations this version reflects (S.2261 §8(f))")


class SolicitationForm(UswdsForm):
    title = forms.CharField(max_length=300, initial="Input on the Hack the Election program (S.2261 §8(c))", label="Title of the request")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What the agencies are asked")
    closes_on = forms.DateField(widget=forms.DateInput(attrs=DATE), label="Comments close at the end of")


class RoundForm(UswdsForm):
    title = forms.CharField(max_length=200, label="Name of the round")
    opens_at = LocalMoment(label="Opens")
    closes_at = LocalMoment(label="Closes")
    rules = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Rules of the round")
    scopes = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple, label="Designated systems offered")
    award_critical = forms.IntegerField(min_value=0, initial=0, label="Award for a critical finding (US dollars)")
    award_high = forms.IntegerField(min_value=0, initial=0, label="High (US dollars)")
    award_medium = forms.IntegerField(min_value=0, initial=0, label="Medium (US dollars)")
    award_low = forms.IntegerField(min_value=0, initial=0, label="Low (US dollars)")
    non_monetary = forms.CharField(max_length=300, required=False, label="Non-monetary award")

    def __init__(self, *args, zone: str, scopes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["scopes"].queryset = scopes
        self.fields["scopes"].label_from_instance = lambda d: (
            f"{d.reference}: {d.system} — {d.organization.name} ({d.starts_on:%b %-d} to {d.ends_on:%b %-d, %Y})"
        )
        for name in ("opens_at", "closes_at"):
            self.fields[name].help_text = f"Local time in {zone.replace('_', ' ')}."

    def moment(self, name: str) -> dt.datetime | None:
        value = self.cleaned_data.get(name)
        return None if value is None else value.replace(tzinfo=None).replace(tzinfo=ZoneInfo(self.zone))


class ReportForm(UswdsForm):
    designation = forms.ModelChoiceField(queryset=None, label="Scope (system offered in an open round)")
    title = forms.CharField(max_length=200)
    affected_version = forms.CharField(max_length=60, label="Version tested")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Description and impact")
    steps = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Steps to reproduce")
    cwe = forms.CharField(max_length=12, label="Weakness (CWE)", help_text="A CWE identifier from MITRE's catalog, e.g. CWE-79.")
    cvss_vector = forms.CharField(
        max_length=300,
        label="CVSS 4.0 vector",
        help_text="e.g. CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N — scored by the cvss library.",
    )
    files = ProofField(
        widget=MultipleFiles,
        required=False,
        label="Proof-of-concept files",
        help_text="Up to 5 files, 20 MB each: text, scripts, images, PDF, packet captures, ZIP. Never opened or run here.",
    )

    def __init__(self, *args, scopes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["designation"].queryset = scopes
        self.fields["designation"].label_from_instance = lambda d: f"{d.system} ({d.get_circumstances_display()}) — {d.reference}"


class TriageForm(UswdsForm):
    status = forms.ChoiceField(choices=[c for c in Finding.Status.choices if c[0] != "submitted"], widget=forms.RadioSelect, label="Triage")
    triage_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Note to the researcher")
    duplicate_of = forms.CharField(max_length=20, required=False, label="Duplicate of (reference)", help_text="For a duplicate only.")
    novel = forms.ChoiceField(
        choices=[("", "—"), ("yes", "Yes: previously unidentified"), ("no", "No: known before")],
        required=False,
        label="Previously unidentified? (S.2261 §8(d)(3))",
        help_text="For a valid report only.",
    )
    novelty_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Why (sources checked)")
    tlp = forms.ChoiceField(
        choices=[("amber", "TLP:AMBER"), ("amber+strict", "TLP:AMBER+STRICT"), ("green", "TLP:GREEN"), ("red", "TLP:RED")],
        initial="amber",
        label="Marking of the notification",
    )


class DisclosureDateForm(UswdsForm):
    disclosure_on = forms.DateField(widget=forms.DateInput(attrs=DATE), label="Agreed disclosure date")
    agreed = forms.CharField(max_length=300, label="Agreed by (the vendor's contact, and when)")


class DiscloseForm(UswdsForm):
    advisory_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Public advisory")


class RemediationForm(UswdsForm):
    status = forms.ChoiceField(choices=Remediation.Status.choices, label="Remediation status")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Note")
    assistance_request = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Ask for technical assistance (S.2261 §8(d)(5))",
        help_text="Optional.",
    )
