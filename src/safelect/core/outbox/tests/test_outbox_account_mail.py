"""Invitations and password resets go through the outbox: no SMTP server needed to answer, retried
until the server takes them, the single-use link never kept once delivered.

Before, both were sent inside the request: with no SMTP server reachable, "Send the invitation"
answered 500 (the invitation was created anyway) and a reset for an existing account answered 500
while an unknown address answered "check your email", telling anyone which addresses have accounts.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from safelect.core.accounts.models import Invitation, User
from safelect.core.outbox import delivery
from safelect.core.outbox.account_mail import INVITATION, PASSWORD_RESET
from safelect.core.outbox.models import Delivery, Notice
from safelect.core.outbox.testing import LoopbackSmtp, deliver_pending, free_port

pytestmark = pytest.mark.django_db
AUTAUGA = "jurisdiction:0100100000"


@pytest.fixture
def no_smtp(settings):
    """Email settings pointing at a loopback port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER = False, ""
    return settings


def _page_text(response) -> str:
    """The page without its per-request CSRF token and nonce, to compare two answers."""
    text = re.sub(r'(csrfmiddlewaretoken" value=|nonce=)"[^"]*"', r"\1", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", text)


def test_invitation_answers_without_smtp_then_is_delivered_once_the_server_is_back(make_member, no_smtp):
    _, admin = make_member("local_election_official", AUTAUGA, is_admin=True)
    response = admin.post(
        f"/accounts/organizations/{AUTAUGA}/members/",
        {"email": "new.clerk@test.safelect.invalid", "roles": ["local_election_official"]},
        follow=True,
    )
    assert response.status_code == 200 and Invitation.objects.filter(email="new.clerk@test.safelect.invalid").exists()
    notice = Notice.objects.get(kind=INVITATION)
    assert "link" not in notice.context and "/accounts/invitations/" not in str(notice.context)
    assert deliver_pending() == 0
    pending = Delivery.objects.get(notice=notice)
    assert pending.status == "pending" and pending.attempts == 1 and "Connection" in pending.last_error
    Delivery.objects.filter(pk=pending.pk).update(next_attempt_at=timezone.now())  # the retry falls due
    server = LoopbackSmtp(port=no_smtp.EMAIL_PORT)
    try:
        assert deliver_pending() == 1 and deliver_pending() == 0
        (message,) = server.messages
        assert message["To"] == "new.clerk@test.safelect.invalid" and "/accounts/invitations/" in message.get_content()
    finally:
        server.stop()
    notice.refresh_from_db()
    assert notice.email_body == delivery.ERASED_BODY  # the link is not kept once delivered


def test_password_reset_answers_the_same_for_known_and_unknown_addresses_without_smtp(no_smtp):
    User.objects.create_user(
        username="clerk@test.safelect.invalid", email="clerk@test.safelect.invalid", password="a long enough passphrase 1"
    )
    known = Client().post("/accounts/password-reset/", {"email": "clerk@test.safelect.invalid"})
    unknown = Client().post("/accounts/password-reset/", {"email": "nobody@test.safelect.invalid"})
    assert known.status_code == unknown.status_code == 200
    assert _page_text(known).replace("clerk@", "X@") == _page_text(unknown).replace("nobody@", "X@")
    assert Notice.objects.filter(kind=PASSWORD_RESET).count() == 1
    assert Delivery.objects.get(notice__kind=PASSWORD_RESET).address == "clerk@test.safelect.invalid"
