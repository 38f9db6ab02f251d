"""TOTP seeds are encrypted at rest: the database never holds the base32 seed."""

import pyotp
import pytest
from django.db import connection
from django.test import override_settings

from safelect.core.accounts import signin
from safelect.core.accounts.encryption import FERNET_PREFIX
from safelect.core.accounts.models import TotpDevice, User

pytestmark = pytest.mark.django_db


def _raw_secret(device_id):
    with connection.cursor() as cursor:
        cursor.execute("select secret from accounts_totpdevice where id = %s", [device_id])
        return cursor.fetchone()[0]


def test_the_seed_is_stored_encrypted_and_read_back_plain():
    user = User.objects.create_user(username="seed", email="seed@example.org", password="a long pass phrase 2026")
    device = signin.start_totp_setup(user)
    stored = _raw_secret(device.pk)
    assert stored.startswith(FERNET_PREFIX) and device.secret not in stored
    reread = TotpDevice.objects.get(pk=device.pk)
    assert reread.secret == device.secret and len(reread.secret) == 32
    pyotp.TOTP(reread.secret).now()  # a usable base32 seed


def test_a_rotated_secret_key_means_enrolling_again_not_a_crash():
    user = User.objects.create_user(username="rot", email="rot@example.org", password="a long pass phrase 2026")
    device = signin.start_totp_setup(user)
    code = pyotp.TOTP(device.secret).now()
    with override_settings(SECRET_KEY="a-different-secret-key-after-rotation-000000000"):
        unreadable = TotpDevice.objects.get(pk=device.pk)
        assert unreadable.secret == ""
        assert signin._code_matches(unreadable, code) is None
        fresh = signin.start_totp_setup(user)
        assert fresh.secret and not fresh.is_confirmed


def test_webhook_secrets_are_encrypted_at_rest_too():
    from safelect.core.directory.models import Organization
    from safelect.core.outbox.models import WebhookEndpoint

    endpoint = WebhookEndpoint.objects.create(
        organization=Organization.objects.get(key="state:WI"), url="https://hooks.example.org/safelect", secret="whsec-0123456789abcdef"
    )
    with connection.cursor() as cursor:
        cursor.execute("select secret from outbox_webhookendpoint where id = %s", [endpoint.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith(FERNET_PREFIX) and "0123456789abcdef" not in stored
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == "whsec-0123456789abcdef"


def test_the_migration_step_encrypts_plain_seeds_left_from_before():
    from safelect.core.accounts.encryption import encrypt_column_in_place

    user = User.objects.create_user(username="old", email="old@example.org", password="a long pass phrase 2026")
    with connection.cursor() as cursor:
        cursor.execute(
            "insert into accounts_totpdevice (user_id, secret, last_timestep) values (%s, %s, 0) returning id",
            [user.pk, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"],
        )
        device_id = cursor.fetchone()[0]
    forwards = encrypt_column_in_place("accounts_totpdevice", "secret")
    with connection.schema_editor() as editor:
        forwards(None, editor)
        forwards(None, editor)  # a second run leaves encrypted values alone
    assert _raw_secret(device_id).startswith(FERNET_PREFIX)
    assert TotpDevice.objects.get(pk=device_id).secret == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
