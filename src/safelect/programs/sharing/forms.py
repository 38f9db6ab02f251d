"""Sharing forms; the services validate everything again."""

from __future__ import annotations

import json

from django import forms

from safelect.core.directory.models import Organization, State
from safelect.core.web.forms import UswdsForm

from .models import TLP_CHOICES, TOPICS, Decision, FederalWithholding, Item, Product

SYSTEMS = [
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
MAX_BUNDLE_BYTES = 5 * 1024 * 1024


class BundleField(forms.CharField):
    """A STIX 2.1 bundle pasted as JSON (or empty)."""

    widget = forms.Textarea(attrs={"rows": 6, "class": "font-mono-3xs"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if len(value.encode()) > MAX_BUNDLE_BYTES:
            raise forms.ValidationError(f"Keep the bundle under {MAX_BUNDLE_BYTES // (1024 * 1024)} MB.")
        try:
            return json.loads(value)
        except ValueError as exc:
            raise forms.ValidationError(f"This is not JSON: {exc}.") from None


class ItemForm(UswdsForm):
    title = forms.CharField(max_length=200, label="Short title")
    topic = forms.ChoiceField(choices=TOPICS, widget=forms.RadioSelect, label="About an election cybersecurity…")
    source = forms.ChoiceField(choices=Item.Source.choices, label="Where it came from")
    tlp = forms.ChoiceField(choices=TLP_CHOICES, label="TLP 2.0 marking it came with")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Summary")
    systems = forms.MultipleChoiceField(
        choices=SYSTEMS, widget=forms.CheckboxSelectMultiple, required=False, label="Election systems concerned"
    )
    stix = BundleField(
        required=False, label="STIX 2.1 bundle (optional)", help_text="Paste the JSON; it is checked with the OASIS validator."
    )

    def __init__(self, *args, partner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if partner:  # a federal entity or the sharing center submits as itself
            del self.fields["source"]


class DecisionForm(UswdsForm):
    outcome = forms.ChoiceField(choices=Decision.Outcome.choices, widget=forms.RadioSelect, label="Decision", initial="share")
    particular_information = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Which information this decision covers")
    good_cause = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Good cause (withholding only)")
    review_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Review the withholding on")
    title = forms.CharField(required=False, max_length=200, label="Your title (the Secretary or the delegate deciding)")


class ProductForm(UswdsForm):
    kind = forms.ChoiceField(choices=Product.Kind.choices, label="Kind of product")
    title = forms.CharField(max_length=200, label="Title")
    topic = forms.ChoiceField(choices=TOPICS, widget=forms.RadioSelect, label="Topic")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="What recipients need to know and do")
    systems = forms.MultipleChoiceField(
        choices=SYSTEMS, widget=forms.CheckboxSelectMultiple, required=False, label="Election systems concerned"
    )
    tlp = forms.ChoiceField(choices=TLP_CHOICES, label="TLP 2.0 label (who may see it)")
    further_sharing = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Further-sharing guidance (§4(d)(3))")
    services = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Services that help (§4(d)(2)), one per line"
    )
    stix = BundleField(required=False, label="Indicators and measures as a STIX 2.1 bundle (optional)")
    to_federal = forms.BooleanField(required=False, label="The appropriate federal entities (§4(c)(1))")
    to_all_states = forms.BooleanField(required=False, label="All State election agencies (§4(c)(2))")
    to_subscribers = forms.BooleanField(required=False, label="Agencies that asked for ongoing updates on this topic (§4(c)(3))")
    to_system_users = forms.BooleanField(
        required=False, label="Agencies that reported incidents involving the systems chosen above (§4(c)(4))"
    )
    affected_states = forms.ModelMultipleChoiceField(
        queryset=State.objects.order_by("name"),
        required=False,
        label="Affected States (§4(c)(4)); for a threat notice, the States whose chief officials receive it",
    )
    affected_organizations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label="Affected organizations, by name (§4(c)(4))",
        help_text="Hold Ctrl or ⌘ to choose several.",
    )
    affected_provider = forms.ModelChoiceField(
        queryset=Organization.objects.filter(kind=Organization.Kind.ELECTION_SERVICE_PROVIDER).order_by("name"),
        required=False,
        label="The agencies served by this election service provider (§4(c)(4))",
    )

    affected_counties = forms.CharField(
        required=False,
        label="Local election agencies of these counties (five-digit FIPS codes, separated by commas)",
        help_text="e.g. 01001, 55025",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affected_organizations"].queryset = Organization.objects.filter(
            kind__in=[
                Organization.Kind.STATE_ELECTION_OFFICE,
                Organization.Kind.ELECTION_SERVICE_PROVIDER,
                Organization.Kind.FEDERAL_ENTITY,
                Organization.Kind.EAC,
                Organization.Kind.ISAC,
            ]
        ).order_by("name")

    def clean_affected_counties(self):
        from safelect.core.directory.congress import UnknownPlace, resolve_places
        from safelect.core.directory.models import Jurisdiction

        codes = [c.strip() for c in (self.cleaned_data.get("affected_counties") or "").split(",") if c.strip()]
        try:
            counties, _states = resolve_places(codes, [])
        except UnknownPlace as exc:
            raise forms.ValidationError(str(exc)) from None
        return list(Organization.objects.filter(pk__in=Jurisdiction.objects.filter(county__in=counties).values("organization_id")))

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["affected_organizations"] = [*data.get("affected_organizations", []), *data.pop("affected_counties", [])]
        bundle = data.pop("stix", None)
        data["stix_objects"] = bundle.get("objects", []) if isinstance(bundle, dict) else []
        return data


class SubscriptionForm(UswdsForm):
    topics = forms.MultipleChoiceField(
        choices=TOPICS, widget=forms.CheckboxSelectMultiple, required=False, label="Topics (none chosen: all)"
    )
    systems = forms.MultipleChoiceField(
        choices=SYSTEMS, widget=forms.CheckboxSelectMultiple, required=False, label="Election systems (none chosen: all)"
    )


class WithholdingForm(UswdsForm):
    decided_by_name = forms.CharField(max_length=200, label="Official who decided")
    authority = forms.ChoiceField(choices=FederalWithholding.Authority.choices, widget=forms.RadioSelect, label="Authority (§4(b))")
    particular_information = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="The particular information withheld")
    good_cause = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Good cause")
    decided_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date of the written determination")


class ClassifiedForm(UswdsForm):
    description = forms.CharField(
        max_length=300, label="Unclassified description", help_text="Never the content: safelect is an unclassified system."
    )
    topic = forms.ChoiceField(choices=TOPICS, widget=forms.RadioSelect, label="About an election cybersecurity…")
    level = forms.ChoiceField(
        choices=[("confidential", "Confidential"), ("secret", "Secret"), ("top_secret", "Top Secret")], label="Classification level"
    )
    originator = forms.ModelChoiceField(
        queryset=Organization.objects.filter(kind__in=[Organization.Kind.FEDERAL_ENTITY, Organization.Kind.EAC]).order_by("name"),
        label="Originating federal entity",
    )


class ReviewRequestForm(UswdsForm):
    reviewer = forms.ModelChoiceField(
        queryset=Organization.objects.filter(kind__in=[Organization.Kind.FEDERAL_ENTITY, Organization.Kind.EAC]).order_by("name"),
        label="Federal entity with authority to conduct the review",
    )


class OutcomeForm(UswdsForm):
    outcome = forms.ChoiceField(
        choices=[("declassified", "Declassified"), ("partly", "Partly declassified"), ("denied", "Declassification denied")],
        widget=forms.RadioSelect,
        label="Outcome of the review",
    )
    declassified_text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label="The declassified version (unclassified text)"
    )
    tlp = forms.ChoiceField(choices=TLP_CHOICES, initial="amber", label="TLP 2.0 marking of the declassified version")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note")
