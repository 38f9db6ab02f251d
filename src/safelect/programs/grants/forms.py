"""Grant forms. The services validate everything again; these shape the pages."""

from __future__ import annotations

from django import forms

from safelect.core.web.forms import UswdsForm, uswds_class

from .content import fields_for
from .models import STATUTES, ConditionCheck, Provider
from .services import CRITERIA

MAX_INPUT_BYTES = 1024 * 1024
DATE = forms.DateInput(attrs={"type": "date"})


class ProgramForm(UswdsForm):
    title = forms.CharField(max_length=200)
    statute = forms.ChoiceField(choices=STATUTES, widget=forms.RadioSelect)
    fiscal_year = forms.IntegerField(min_value=2018, max_value=2100)
    appropriation = forms.CharField(
        label="Appropriation (whole dollars)", help_text="For example 386000000. A formula program divides it among the States."
    )
    opens_on = forms.DateField(label="Applications open", widget=DATE)
    closes_on = forms.DateField(label="Applications close", widget=DATE)
    input_file = forms.FileField(
        required=False,
        label="Votes on ineligible systems (S.2261 §7(g) only)",
        help_text="A CSV file, one row per State: its two-letter code, the votes expected on ineligible systems and all votes (column names in the grants guide, docs/grants.md). At most 1 MB.",
    )

    def clean_input_file(self):
        upload = self.cleaned_data.get("input_file")
        if upload is not None and upload.size > MAX_INPUT_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB; a table of States is a few kilobytes.")
        return upload


def application_form(statute: str, *, local: bool, data=None, initial=None, competitive: bool = False) -> UswdsForm:
    """The statute's questions (:mod:`.content`), each labelled with the provision that asks it."""
    form = UswdsForm(data=data, initial=initial)
    for field in fields_for(statute, local=local):
        help_text = f"{field.help} ({field.citation})" if field.help else f"({field.citation})"
        required = False  # a draft may be incomplete; submitting checks what the statute requires
        if field.kind == "text":
            form.fields[field.key] = forms.CharField(
                label=field.label, help_text=help_text, required=required, widget=forms.Textarea(attrs={"rows": 4})
            )
        elif field.kind in ("money", "count", "year"):
            form.fields[field.key] = forms.CharField(
                label=field.label, help_text=help_text, required=required, widget=forms.TextInput(attrs={"inputmode": "numeric"})
            )
        elif field.kind == "yesno":
            form.fields[field.key] = forms.ChoiceField(
                label=field.label, help_text=help_text, required=required, choices=(("yes", "Yes"), ("no", "No")), widget=forms.RadioSelect
            )
        else:
            form.fields[field.key] = forms.ChoiceField(
                label=field.label, help_text=help_text, required=required, choices=field.choices, widget=forms.RadioSelect
            )
    if competitive:
        form.fields["amount_requested"] = forms.CharField(
            label="Amount requested (whole dollars)", required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
        )
    for bound in form.fields.values():
        bound.widget.attrs.setdefault("class", uswds_class(bound.widget))
    return form


class JudgementForm(UswdsForm):
    code = forms.CharField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=ConditionCheck.Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class NoteForm(UswdsForm):
    note = forms.CharField(
        label="What the applicant must change, or why it is denied", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AwardForm(UswdsForm):
    amount = forms.CharField(
        label="Amount (whole dollars)",
        required=False,
        help_text="Competitive and interim programs only; formula programs award the State's allocation.",
    )
    payments = forms.IntegerField(label="Number of payments", min_value=1, max_value=12, initial=1)
    first_due = forms.DateField(label="First payment due", widget=DATE)


class ScoreForm(UswdsForm):
    score = forms.IntegerField(label="Score (0–100)", min_value=0, max_value=100, required=False)
    conflict = forms.BooleanField(label="I have a conflict of interest with this applicant", required=False)
    conflict_note = forms.CharField(label="The conflict", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(UswdsForm):
    period = forms.CharField(max_length=40, help_text="For example FY2027")
    text = forms.CharField(label="What the grant did", widget=forms.Textarea(attrs={"rows": 4}))
    spent = forms.CharField(label="Spent in the period (whole dollars)")


class RemainingFundsForm(UswdsForm):
    certification = forms.CharField(
        label="Certification that the election agencies within the State have implemented the guidelines (S.2261 §7(c)(2)(A))",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    uses = forms.CharField(
        label="Hardware, software or services you propose to buy with the remaining funds", widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(UswdsForm):
    approved = forms.ChoiceField(
        label="Decision (S.2261 §7(c)(2)(B))", choices=(("yes", "Approve the uses"), ("no", "Do not approve")), widget=forms.RadioSelect
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(UswdsForm):
    paid_on = forms.DateField(label="Paid on", widget=DATE)


def provider_form(listing: str, data=None, provider: Provider | None = None) -> UswdsForm:
    initial = {}
    if provider is not None:
        initial = {"name": provider.name, "services": provider.services, "contract_vehicle": provider.contract_vehicle}
        for code, value in provider.criteria.items():
            initial[f"met_{code}"] = value.get("met")
            initial[f"evidence_{code}"] = value.get("evidence")
    form = UswdsForm(data=data, initial=initial)
    form.fields["name"] = forms.CharField(max_length=200)
    form.fields["services"] = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    form.fields["contract_vehicle"] = forms.CharField(required=False, max_length=200)
    for code, citation, text in CRITERIA[listing]:
        form.fields[f"met_{code}"] = forms.BooleanField(label=f"{text} ({citation})", required=False)
        form.fields[f"evidence_{code}"] = forms.CharField(
            label=f"Evidence for {citation}", required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
    for bound in form.fields.values():
        bound.widget.attrs.setdefault("class", uswds_class(bound.widget))
    return form
