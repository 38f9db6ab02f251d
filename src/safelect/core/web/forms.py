"""A base form whose widgets carry USWDS classes, so every app's forms look and behave alike."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def uswds_class(widget: forms.Widget) -> str:
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.CheckboxInput)):
        return "usa-checkbox__input"
    if isinstance(widget, forms.RadioSelect):
        return "usa-radio__input"
    if isinstance(widget, forms.Select):
        return "usa-select"
    if isinstance(widget, forms.Textarea):
        return "usa-textarea"
    if isinstance(widget, forms.FileInput):
        return "usa-file-input"
    return "usa-input"


class UswdsForm(forms.Form):
    """Adds the USWDS class of each widget unless the form set one itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", uswds_class(field.widget))


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: each message beside its field, or above the form when
    the field is not on it (every app's views use this one helper)."""
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


class LocalMoment(forms.DateTimeField):
    """A ``datetime-local`` input; the form reads it in the zone it is given (every app's one)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
