"""Encryption at rest for secrets safelect must read back (TOTP seeds, webhook secrets).

Passwords, API tokens, recovery codes and feed tokens are stored as hashes; a TOTP seed cannot
be, because every sign-in recomputes codes from it. It is stored as a Fernet token (AES-128-CBC
with HMAC-SHA256) under a key derived from ``SECRET_KEY`` with HKDF, so a database dump alone
does not reveal it.

Rotating the key: put the old key in ``SAFELECT_SECRET_KEY_FALLBACKS`` (Django's
``SECRET_KEY_FALLBACKS``) and the new one in ``SAFELECT_SECRET_KEY``. Values are then read with any
of the keys (``MultiFernet``) and written with the new one; ``safelect secrets rotate`` re-encrypts
every stored value under the new key, after which the old key can be dropped. A value no key can
read comes back as ``""``; callers treat that as "not set up" (two-factor sign-in is set up again)
or refuse to use it (a webhook is not signed with an empty secret).
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

FERNET_PREFIX = "gAAAAA"


@cache
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"safelect-at-rest-v1", info=b"secrets").derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    fallbacks = list(getattr(settings, "SECRET_KEY_FALLBACKS", []) or [])
    return MultiFernet([_fernet(settings.SECRET_KEY), *(_fernet(k) for k in fallbacks)])


def encrypt(text: str) -> str:
    return _fernet(settings.SECRET_KEY).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The plain text, or "" when no current or fallback key can read it."""
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def rotate(token: str) -> str | None:
    """``token`` re-encrypted under the current key (None when no key can read it)."""
    try:
        return _keys().rotate(token.encode()).decode()
    except InvalidToken:
        return None


def encrypted_columns():
    """Every (model, field name) stored with :class:`EncryptedTextField`, across installed apps."""
    from django.apps import apps

    return [(model, f.name) for model in apps.get_models() for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def rotate_all() -> dict[str, tuple[int, int]]:
    """Re-encrypt every stored secret under the current key: label → (rotated, unreadable)."""
    from django.db import connection, transaction

    result = {}
    with transaction.atomic():
        for model, name in encrypted_columns():
            table, column = model._meta.db_table, model._meta.get_field(name).column
            done = unreadable = 0
            with connection.cursor() as cursor:
                cursor.execute(f'select id, "{column}" from "{table}" where "{column}" is not null for update')
                for pk, value in cursor.fetchall():
                    fresh = rotate(value) if value else None
                    if fresh is None:
                        unreadable += bool(value)
                        continue
                    cursor.execute(f'update "{table}" set "{column}" = %s where id = %s', [fresh, pk])
                    done += 1
            result[f"{model._meta.label}.{name}"] = (done, unreadable)
    return result


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
