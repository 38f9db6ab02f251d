"""People who sign in to safelect and the organizations they act for.

A person has one login (their email address). Each :class:`Membership` ties them to one
directory organization with a set of roles (``roles.ROLES``); a person with several memberships
switches which organization they act for, and every action records it.

Sign-in state lives here too: failed attempts (for the lock-out), the TOTP authenticator and its
one-time recovery codes, API tokens for machine clients, invitations, and the security
clearances later programs use to gate classified material.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .encryption import EncryptedTextField
from .roles import ROLES


class User(AbstractUser):
    """One person's login. The email address is the sign-in name."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True, help_text="Sign-in refused until then (lock-out after failures).")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


def validate_roles(value: list[str]) -> None:
    unknown = [code for code in value if code not in ROLES]
    if unknown:
        raise ValidationError(f"unknown role(s): {', '.join(unknown)}")


class Membership(models.Model):
    """A person's place in one organization, with the roles they hold there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="memberships")
    roles = ArrayField(models.CharField(max_length=40), default=list, validators=[validate_roles])
    is_admin = models.BooleanField(default=False, help_text="May invite and manage the organization's members.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_organization")]
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return f"{self.user} at {self.organization} ({', '.join(self.roles)})"

    @property
    def role_labels(self) -> list[str]:
        return [ROLES[c].label for c in self.roles if c in ROLES]


class SignInFailure(models.Model):
    """One failed sign-in: the lock-out counts these per account over a sliding window."""

    email = models.CharField(max_length=254, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="sign_in_failures")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]


class TotpDevice(models.Model):
    """A person's TOTP authenticator (RFC 6238).

    The secret is shown once, during set-up, and never again; it is encrypted at rest. ``last_timestep`` refuses a code
    that was already used (replay within its 30-second window).
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedTextField(help_text="Base32 TOTP seed, encrypted at rest (see encryption.py).")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_timestep = models.BigIntegerField(default=0)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A one-time code that replaces a TOTP code once; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)


class ApiToken(models.Model):
    """A machine client's credential, acting for one membership with a subset of its permissions.

    The full token ``sfl_<prefix>_<secret>`` is shown once; only the SHA-256 of the secret is stored
    and ``prefix`` finds the row.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    permissions = ArrayField(models.CharField(max_length=100), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (sfl_{self.prefix}_…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Invitation(models.Model):
    """An emailed invitation to join an organization with given roles; single-use, expiring.

    Only the SHA-256 of the emailed token is stored.
    """

    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    roles = ArrayField(models.CharField(max_length=40), default=list, validators=[validate_roles])
    is_admin = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="invitations_sent")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_accepted")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.organization}"

    @property
    def role_labels(self) -> list[str]:
        return [ROLES[c].label for c in self.roles if c in ROLES]

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class Clearance(models.Model):
    """A person's security clearance (S.2261 §4(m); H.R. 5011 §203), used to gate classified material."""

    class Level(models.TextChoices):
        CONFIDENTIAL = "confidential", "Confidential"
        SECRET = "secret", "Secret"
        TOP_SECRET = "top_secret", "Top Secret"

    class Kind(models.TextChoices):
        FINAL = "final", "Final"
        INTERIM = "interim", "Interim"
        TEMPORARY = "temporary", "Temporary"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Revoked"

    LEVEL_ORDER = {Level.CONFIDENTIAL: 1, Level.SECRET: 2, Level.TOP_SECRET: 3}

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="clearances")
    level = models.CharField(max_length=20, choices=Level.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sponsor = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="sponsored_clearances")
    granted_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=models.F("granted_on")),
                name="clearance_expires_after_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.get_kind_display()}) for {self.user}"
