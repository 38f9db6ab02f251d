"""Forms of the account pages. Widgets carry USWDS classes; Django ties errors to fields
(``aria-invalid`` and ``aria-describedby`` → ``<id>_error``, rendered by ``web/_field.html``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from safelect.core.directory.models import Organization, State
from safelect.core.web.forms import UswdsForm
from safelect.core.web.permissions import permission_words

from .models import Clearance
from .roles import ROLES


class SignInForm(UswdsForm):
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CodeForm(UswdsForm):
    code = forms.CharField(
        label="Authentication code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class SetupCodeForm(UswdsForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=6,
        min_length=6,
        help_text="Enter the 6-digit code the app shows after you add the secret.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EmailForm(UswdsForm):
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class NewPasswordForm(UswdsForm):
    password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password.",
    )
    password2 = forms.CharField(label="New password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError("The two passwords differ.")
        if second:
            password_validation.validate_password(second, self.user)
        return second


class AcceptInvitationForm(NewPasswordForm):
    full_name = forms.CharField(label="Your full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    field_order = ["full_name", "password1", "password2"]


def _role_choices(kind: str | None = None):
    return [(code, role.label) for code, role in ROLES.items() if kind is None or kind in role.org_kinds]


class InviteForm(UswdsForm):
    email = forms.EmailField(label="Email address of the person to invite")
    roles = forms.MultipleChoiceField(label="Roles", widget=forms.CheckboxSelectMultiple)
    is_admin = forms.BooleanField(label="May manage this organization's members", required=False)

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = _role_choices(organization.kind if organization else None)


class TokenForm(UswdsForm):
    name = forms.CharField(label="Token name", max_length=100, help_text="Where the token is used, e.g. 'county EMS export'.")
    permissions = forms.MultipleChoiceField(label="Permissions", widget=forms.CheckboxSelectMultiple)
    expires_on = forms.DateField(
        label="Expires on", widget=forms.DateInput(attrs={"type": "date"}), help_text="At most one year from today."
    )

    def __init__(self, *args, available=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = [(p, permission_words(p)) for p in sorted(available, key=permission_words)]
        self.fields["expires_on"].initial = (timezone.now() + dt.timedelta(days=90)).date()


class ClearanceForm(UswdsForm):
    email = forms.EmailField(label="Email address of the cleared person")
    level = forms.ChoiceField(label="Level", choices=Clearance.Level.choices)
    kind = forms.ChoiceField(label="Kind", choices=Clearance.Kind.choices)
    # Sponsors are the national office (and its regional offices) and the Federal entities (S.2261 §4(l)).
    sponsor = forms.ModelChoiceField(
        Organization.objects.filter(kind__in=[Organization.Kind.NATIONAL_OFFICE, Organization.Kind.FEDERAL_ENTITY]).order_by("name"),
        label="Sponsoring organization",
        to_field_name="key",
        initial="national-office",
        empty_label=None,
    )
    granted_on = forms.DateField(label="Granted on", widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Required for interim and temporary clearances.",
    )


class ProviderLinkForm(UswdsForm):
    """Add a provider ↔ agency relationship: an agency picks the provider; a provider names the
    agency it serves by State and name (there are 6,500 agencies: no list to scroll)."""

    state = forms.ModelChoiceField(State.objects.order_by("name"), required=False, label="State or territory of the agency")
    agency_name = forms.CharField(
        required=False, max_length=200, label="Agency name", help_text="As in the directory, e.g. “Autauga County”."
    )
    provider = forms.ModelChoiceField(Organization.objects.none(), required=False, label="Election service provider")
    services = forms.CharField(
        max_length=300, label="What the provider does for the agency", help_text="e.g. hosts the election night results site."
    )

    def __init__(self, *args, for_provider: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_provider = for_provider
        if for_provider:
            del self.fields["provider"]
        else:
            del self.fields["state"], self.fields["agency_name"]
            self.fields["provider"].queryset = Organization.objects.filter(kind=Organization.Kind.ELECTION_SERVICE_PROVIDER).order_by(
                "name"
            )
            self.fields["provider"].required = True

    def clean(self):
        data = super().clean()
        if not self.for_provider:
            data["counterpart"] = data.get("provider")
            return data
        state, name = data.get("state"), (data.get("agency_name") or "").strip()
        if state is None or not name:
            raise forms.ValidationError("Choose the agency's State and type its name.")
        agencies = Organization.objects.filter(state=state, kind__in=["local_election_agency", "state_election_office"])
        found = list(agencies.filter(name__iexact=name)) or list(agencies.filter(name__istartswith=name)[:6])
        if not found:
            raise forms.ValidationError(f"No election agency in {state.name} is named “{name}”.")
        if len(found) > 1:
            raise forms.ValidationError(
                f"“{name}” matches several agencies in {state.name}: {', '.join(o.name for o in found[:5])}. Type the full name."
            )
        data["counterpart"] = found[0]
        return data
