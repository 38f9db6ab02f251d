"""What every grant write shares: the permission check, whole-dollar parsing and who administers
a statute's grants."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import Organization
from safelect.core.directory.queries import national_office

MAX_TEXT = 20_000
MAX_DOLLARS = 10**12


def _require(actor: Actor, permission: str, what: str) -> None:
    if not actor.may(permission):
        raise PermissionDenied(f"you may not {what}")


def _dollars(value, field: str, errors: dict, *, required: bool = True) -> int:
    text = str(value if value is not None else "").strip().replace(",", "").replace("$", "")
    if not text:
        if required:
            errors[field] = "Give an amount in whole dollars."
        return 0
    if not text.isdigit():
        errors[field] = "Whole dollars, with no cents or signs (e.g. 386000000)."
        return 0
    if int(text) > MAX_DOLLARS:
        errors[field] = "That is more than any appropriation."
        return 0
    return int(text)


def national_administrator(statute: str) -> Organization:
    """Who administers a statute's grants: the Election Assistance Commission for HAVA parts 7 and 8
    (H.R. 5011 §101, §111: "the Commission shall make a grant"); the national office (the Secretary's
    component of S.2261 §7(a)(1), and HSA §321) for the others."""
    if statute.startswith("hr5011"):
        found = Organization.objects.filter(kind=Organization.Kind.EAC).order_by("pk").first()
        if found is not None:
            return found
    return national_office()
