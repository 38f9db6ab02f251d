"""API tokens: ``sfl_<prefix>_<secret>``, shown once, stored as the SHA-256 of the secret.

Only reading and checking live here; creating and revoking are services (they journal).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "sfl"


class TokenError(Exception):
    """A presented token that must be refused; the message is what the client sees (HTTP 401)."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token_parts() -> tuple[str, str]:
    """A fresh (prefix, secret). The prefix is hex (no underscore) so parsing is unambiguous."""
    return secrets.token_hex(6), secrets.token_urlsafe(32)


def format_token(prefix: str, secret: str) -> str:
    return f"{TOKEN_PREFIX}_{prefix}_{secret}"


def authenticate(raw: str) -> ApiToken:
    """The usable token for ``raw``, or :class:`TokenError` saying why not."""
    head, _, rest = raw.partition("_")
    prefix, _, secret = rest.partition("_")
    if head != TOKEN_PREFIX or not prefix or not secret:
        raise TokenError("unknown API token")
    token = ApiToken.objects.select_related("user", "membership__organization").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.token_hash, hash_secret(secret)):
        raise TokenError("unknown API token")
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenError("API token revoked")
    if token.expires_at <= now:
        raise TokenError(f"API token expired on {token.expires_at:%Y-%m-%d %H:%M} UTC")
    if not token.user.is_active or not token.membership.is_active:
        raise TokenError("API token's account or membership is no longer active")
    # A sign-in pause (wrong passwords typed by anyone who knows the address) does not stop tokens.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
