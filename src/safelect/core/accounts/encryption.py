"""Encryption at rest for secrets safelect must read back (TOTP seeds, webhook secrets).

Passwords, API tokens, recovery codes and feed tokens are stored as hashes; a TOTP seed cannot
be, because every sign-in recomputes codes from it. It is stored as a Fernet token (AES-128-CBC
with HMAC-SHA256) under a key derived from ``SECRET_KEY`` with HKDF, so a database dump alone
does not reveal it. Rotating ``SAFELECT_SECRET_KEY`` makes stored seeds unreadable: people then
set up two-factor sign-in again (the sign-in flow treats an unreadable seed as no device).
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

FERNET_PREFIX = "gAAAAA"


@cache
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"safelect-at-rest-v1", info=b"secrets").derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(text: str) -> str:
    return _fernet(settings.SECRET_KEY).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The plain text, or "" when the key changed (the secret must then be set up again)."""
    try:
        return _fernet(settings.SECRET_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def encrypt_column_in_place(table: str, column: str):
    """A ``RunPython`` function that encrypts the plain-text values a column held before it
    became an :class:`EncryptedTextField` (values already encrypted are left alone)."""

    def forwards(apps, schema_editor):
        quoted_table, quoted_column = (schema_editor.quote_name(n) for n in (table, column))
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"select id, {quoted_column} from {quoted_table}")
            for pk, value in cursor.fetchall():
                if value and not value.startswith(FERNET_PREFIX):
                    cursor.execute(f"update {quoted_table} set {quoted_column} = %s where id = %s", [encrypt(value), pk])

    return forwards


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python code sees the plain text."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else encrypt(value)
