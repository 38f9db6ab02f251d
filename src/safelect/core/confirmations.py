"""Signed links that prove a person reads an email address: the one mechanism behind every "confirm
your address" message (a public comment's author, a Hack the Election applicant).

A token carries the purpose, the record's id and the address (lower-cased), signed with the site's
secret; it expires after :data:`MAX_AGE`. Nothing is stored until the link is followed, so a
re-sent link and the first one both work, and a changed address invalidates the old links.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError

MAX_AGE = 14 * 24 * 3600  # two weeks: a person away for a week still finds a working link


def token(purpose: str, pk: int, email: str) -> str:
    """The token for the link that confirms ``email`` on record ``pk`` of ``purpose``."""
    return signing.dumps({"p": pk, "e": email.strip().lower()}, salt=f"safelect.confirm.{purpose}", compress=True)


def read(purpose: str, value: str, *, max_age: int = MAX_AGE) -> tuple[int, str]:
    """``(pk, email)`` of a followed link; a clear ValidationError for a wrong or expired one."""
    try:
        data = signing.loads(value, salt=f"safelect.confirm.{purpose}", max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationError("This confirmation link has expired: ask for a new one.") from exc
    except signing.BadSignature as exc:
        raise ValidationError("This confirmation link is not valid.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("p"), int) or not isinstance(data.get("e"), str):
        raise ValidationError("This confirmation link is not valid.")
    return data["p"], data["e"]
