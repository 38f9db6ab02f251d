"""People who sign in to safelect and the organizations they act for.

A person has one login (their email address). Each :class:`Membership` ties them to one
directory organization with a set of roles (``roles.ROLES``); a person with several memberships
switches which organization they act for, and every action records it.
"""

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models

from .roles import ROLES


class User(AbstractUser):
    """One person's login. The email address is the sign-in name."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.email


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
