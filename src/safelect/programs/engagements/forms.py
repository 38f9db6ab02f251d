"""Forms of the engagement pages.  Free text is typed with its redaction spans marked
``[[(b)(6)|withheld words]]`` — the same lossless form the internal export writes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from safelect.core.directory.models import Jurisdiction, Region, State
from safelect.core.web.forms import UswdsForm

from .models import TEXT_FIELDS, Engagement, FollowUp, MeetingStatus, ReviewFlag

MARKUP_HELP = "Mark text to withhold from FOIA release as [[(b)(6)|the words]] (exemption code, bar, text)."
LABELS = {f: Engagement._meta.get_field(f).verbose_name.capitalize() for f in TEXT_FIELDS}


def national_staff():
    return (
        get_user_model()
        .objects.filter(memberships__organization__kind="national_office", memberships__is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


class EngagementForm(UswdsForm):
    state = forms.ModelChoiceField(State.objects.order_by("name"), label="State or territory")
    jurisdiction = forms.CharField(label="Local jurisdiction (EAVS code)", required=False, max_length=10)
    status = forms.ChoiceField(choices=MeetingStatus.choices, initial="dated")
    meeting_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Required when the meeting was held."
    )
    points_of_contact = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(), required=False, label="National-office points of contact"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points_of_contact"].queryset = national_staff()
        for name in TEXT_FIELDS:
            self.fields[name] = forms.CharField(
                label=LABELS[name], required=False, help_text=MARKUP_HELP, widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"})
            )

    @classmethod
    def initial_for(cls, engagement: Engagement) -> dict:
        data = {name: engagement.text(name).marked() for name in TEXT_FIELDS}
        data.update(
            state=engagement.state,
            status=engagement.status,
            meeting_date=engagement.meeting_date,
            jurisdiction=engagement.jurisdiction.eavs_code if engagement.jurisdiction_id else "",
            points_of_contact=list(engagement.points_of_contact.all()),
        )
        return data

    def clean_jurisdiction(self):
        code = self.cleaned_data["jurisdiction"].strip()
        if not code:
            return None
        found = Jurisdiction.objects.filter(eavs_code=code).first()
        if found is None:
            raise forms.ValidationError(f"no jurisdiction with the EAVS code {code!r}")
        return found

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in TEXT_FIELDS}
        state = self.cleaned_data["state"]
        data.update(
            state=state,
            region=state.region,
            jurisdiction=self.cleaned_data["jurisdiction"],
            status=self.cleaned_data["status"],
            meeting_date=self.cleaned_data["meeting_date"],
        )
        return data


class FollowUpForm(UswdsForm):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}), label="What has to be done")
    owner = forms.ModelChoiceField(
        get_user_model().objects.none(), required=False, label="Owner (a safelect user)", help_text="You, unless you choose someone else."
    )
    owner_text = forms.CharField(required=False, max_length=200, label="…or the owner's name, if they have no account")
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Due date")

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = national_staff()
        if owner is not None and self.fields["owner"].queryset.filter(pk=owner.pk).exists():
            self.fields["owner"].initial = owner.pk


class CloseFollowUpForm(UswdsForm):
    outcome = forms.ChoiceField(choices=[(FollowUp.Status.DONE, "Done"), (FollowUp.Status.CANCELLED, "Cancelled")])
    note = forms.CharField(required=False, max_length=500, label="Note (required to cancel)")


class ResolveFlagForm(UswdsForm):
    outcome = forms.ChoiceField(choices=[(ReviewFlag.Status.RESOLVED, "Resolved"), (ReviewFlag.Status.DISMISSED, "Dismissed")])
    note = forms.CharField(max_length=1000, label="How it was resolved, or why it is dismissed")
    state = forms.ModelChoiceField(State.objects.order_by("name"), required=False, label="Set the State (for a State or region flag)")
    keep = forms.ChoiceField(required=False, widget=forms.RadioSelect, label="Keep the text of")

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        if versions:
            choices = [("", "The text as it is now")]
            choices += [(str(v.pk), f"{v}: {text[:200]}") for v, text in versions]
            self.fields["keep"].choices = choices
        else:
            del self.fields["keep"]


class UploadForm(UswdsForm):
    file = forms.FileField(label="Weekly summary (.txt, .tsv, .csv or .xlsx)")


class ExportForm(UswdsForm):
    format = forms.ChoiceField(choices=[("xlsx", "Excel workbook (XLSX)"), ("pdf", "PDF"), ("csv", "CSV")])
    region = forms.ModelChoiceField(Region.objects.all(), required=False, empty_label="National (all regions)", to_field_name="number")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    foia = forms.BooleanField(required=False, label="FOIA release (replace each redacted span with its exemption code)")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "the end of the period is before its start")
        return data


class ListFilterForm(UswdsForm):
    """Filters of the engagement list: region, State and (for national staff) point of contact."""

    region = forms.ModelChoiceField(Region.objects.all(), required=False, empty_label="All regions", to_field_name="number")
    state = forms.ModelChoiceField(
        State.objects.order_by("name"),
        required=False,
        empty_label="All States and territories",
        to_field_name="usps",
        label="State or territory",
    )
    poc = forms.ModelChoiceField(get_user_model().objects.none(), required=False, empty_label="Anyone", label="Point of contact")

    def __init__(self, *args, internal: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if internal:
            self.fields["poc"].queryset = national_staff()
        else:  # State officials see their own State's released records: nothing to filter by
            for name in ("region", "state", "poc"):
                del self.fields[name]

    def apply(self, engagements):
        if not self.is_valid():
            return engagements
        data = self.cleaned_data
        if data.get("region"):
            engagements = engagements.filter(region=data["region"])
        if data.get("state"):
            engagements = engagements.filter(state=data["state"])
        if data.get("poc"):
            engagements = engagements.filter(points_of_contact=data["poc"])
        return engagements


class CoverageFilterForm(UswdsForm):
    region = forms.ModelChoiceField(Region.objects.all(), required=False, empty_label="All regions", to_field_name="number")
    poc = forms.ModelChoiceField(get_user_model().objects.none(), required=False, empty_label="Anyone", label="Point of contact")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["poc"].queryset = national_staff()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "the end of the period is before its start")
        return data
