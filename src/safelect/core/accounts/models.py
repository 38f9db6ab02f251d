"""People who sign in to safelect.

A person has one login (their email address); what they may do comes from their memberships in
directory organizations and the roles on each membership.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """One person's login. The email address is the sign-in name."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.email
