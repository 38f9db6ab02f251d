"""Incident forms. Moments are typed as local date and time in the agency's own time zone (the
zone its clocks run in) and stored aware; the services validate everything again."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms

from safelect.core.web.forms import LocalMoment, UswdsForm

from .models import ELECTION_SYSTEMS, Incident


class _ZonedForm(UswdsForm):
    def __init__(self, *args, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        for field in self.fields.values():
            if isinstance(field, LocalMoment):
                field.help_text = f"Local time in {zone.replace('_', ' ')}."

    def moment(self, name: str) -> dt.datetime | None:
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        return value.replace(tzinfo=None).replace(tzinfo=ZoneInfo(self.zone))


class PossibleIncidentForm(_ZonedForm):
    title = forms.CharField(max_length=200, label="Short title", help_text="e.g. “Log-in attempts on the results site”.")
    aware_at = LocalMoment(label="When did your agency become aware of it?")
    how_learned = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="How did you learn of it?")
    systems = forms.MultipleChoiceField(choices=ELECTION_SYSTEMS, widget=forms.CheckboxSelectMultiple, label="Election systems involved")
    provider_incident = forms.ModelChoiceField(
        queryset=None, required=False, label="Following a provider's notice (S.2261 §4(j)(2))", empty_label="No: our agency found it"
    )

    def __init__(self, *args, provider_incidents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if provider_incidents is None or not provider_incidents.exists():
            del self.fields["provider_incident"]
        else:
            self.fields["provider_incident"].queryset = provider_incidents


class AssessmentForm(_ZonedForm):
    outcome = forms.ChoiceField(choices=Incident.Assessment.choices, widget=forms.RadioSelect, label="Assessment")
    discovered_at = LocalMoment(required=False, label="When was the incident discovered? (if it occurred)")
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Reason (required for “No incident”)")
    next_review_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Next review (required for “Still assessing”)"
    )


class NoticeForm(_ZonedForm):
    """The §4(k)(1) content of a notice or an update."""

    started_at = LocalMoment(label="When did the incident start? (§4(k)(1)(A))")
    ended_at = LocalMoment(required=False, label="When did it end? (leave empty if it continues)")
    systems = forms.MultipleChoiceField(
        choices=ELECTION_SYSTEMS, widget=forms.CheckboxSelectMultiple, label="Election systems believed accessed (§4(k)(1)(B))"
    )
    circumstances = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Circumstances (§4(k)(1)(B))")
    information_acquired = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Information acquired (§4(k)(1)(B))")
    measures_planned = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Technical measures planned (§4(k)(1)(C))")
    measures_implemented = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Technical measures implemented (§4(k)(1)(C))")

    def values(self) -> dict:
        data = {
            name: self.cleaned_data.get(name)
            for name in ("systems", "circumstances", "information_acquired", "measures_planned", "measures_implemented")
        }
        return {**data, "started_at": self.moment("started_at"), "ended_at": self.moment("ended_at")}


class FirstNoticeForm(NoticeForm):
    late_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="If the 3 days have passed: why is the notice late?",
    )


class UpdateForm(NoticeForm):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What is new in this update?")

    field_order = ["note"]


class SignificanceForm(_ZonedForm):
    """§4(p)(1)(A): the national office's determination (criteria from the current definition)."""

    criteria = forms.MultipleChoiceField(
        choices=[], widget=forms.CheckboxSelectMultiple, label="Criteria of the definition the incident meets"
    )
    basis_at = LocalMoment(label="When was there a reasonable basis to conclude that it is significant?")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why")
    counties = forms.CharField(
        required=False,
        label="Affected counties (five-digit FIPS codes, separated by commas)",
        help_text="Empty: the reporting agency's county, or its whole State for a State office.",
    )

    def __init__(self, *args, definition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [(code, label) for code, label in definition.criteria]

    def clean_counties(self):
        from safelect.core.directory.congress import UnknownPlace, resolve_places

        codes = [c.strip() for c in (self.cleaned_data.get("counties") or "").split(",") if c.strip()]
        try:
            counties, _states = resolve_places(codes, [])
        except UnknownPlace as exc:
            raise forms.ValidationError(str(exc)) from None
        return counties


class CongressForm(UswdsForm):
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="What is new (required for an update, S.2261 §4(p)(1)(B))"
    )


class DefinitionForm(UswdsForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Definition")
    criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Criteria, one per line: code | words",
        help_text="e.g. registration_access | Confirmed unauthorised access to a voter registration database",
    )
    adopted_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Adopted on")

    def clean_criteria(self):
        pairs = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            code, bar, words = line.partition("|")
            if not bar or not code.strip() or not words.strip():
                raise forms.ValidationError(f"Line {number}: write “code | words”.")
            pairs.append((code.strip(), words.strip()))
        return pairs


class SubmissionForm(UswdsForm):
    submitted_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Submitted to the committees on")


class ProviderNoticeForm(FirstNoticeForm):
    """§4(j)(1): the provider's notice to the agencies it serves."""

    agencies = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Agencies to notify (those you serve)"
    )

    field_order = ["agencies"]

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = customers
        self.fields["late_reason"].label = "If the 3 days since you discovered the possible incident have passed: why is the notice late?"


class CloseForm(UswdsForm):
    note = forms.CharField(
        label="How was the incident resolved?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Closing starts the retention period after which voters' personal information in the incident is purged (S.2261 §4(g)).",
    )
