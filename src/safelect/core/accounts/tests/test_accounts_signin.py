"""Sign-in security: Argon2, lock-out, CSRF, cookies, TOTP, recovery codes, password reset."""

import datetime as dt

import pyotp
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from safelect.core.accounts import signin
from safelect.core.accounts.models import Membership, RecoveryCode, TotpDevice, User
from safelect.core.accounts.testing import make_member
from safelect.core.journal.models import Entry
from safelect.core.outbox.testing import deliver_pending

PASSWORD = "correct horse battery staple 42"


def _user(email="person@test.safelect.invalid", role="local_election_official", org="jurisdiction:0100100000", password=PASSWORD):
    user, _ = make_member(role, org, email=email, password=password)
    return user


def _sign_in(client, email, password, next_url=""):
    return client.post("/accounts/sign-in/", {"email": email, "password": password, "next": next_url})


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2():
    user = _user()
    stored = User.objects.values_list("password", flat=True).get(pk=user.pk)
    assert stored.startswith("argon2$argon2id$") and PASSWORD not in stored


def _answer(response) -> str:
    """The error a sign-in page shows (the message list), without per-request tokens."""
    import re

    return " ".join(re.findall(r'class="usa-(?:alert__text|error-message)[^"]*"[^>]*>(.*?)<', response.text, re.S))


@pytest.mark.django_db
def test_five_failures_pause_an_address_and_known_and_unknown_addresses_answer_alike():
    user = _user()
    known, unknown = Client(), Client()
    for attempt in range(5):
        a = _answer(_sign_in(known, user.email, "wrong password"))
        b = _answer(_sign_in(unknown, "nobody@test.safelect.invalid", "wrong password"))
        assert a == b and a, (attempt, a, b)
        assert "attempts left" not in a
    assert "paused after 5 failed attempts" in a
    user.refresh_from_db()
    assert user.locked_until is not None
    assert f"try again after {user.locked_until:%H:%M} UTC" in a
    # Even the right password is refused while paused, with the same answer.
    response = _sign_in(known, user.email, PASSWORD)
    assert _answer(response) == _answer(_sign_in(unknown, "nobody@test.safelect.invalid", PASSWORD))
    assert "_auth_user_id" not in known.session
    assert Entry.objects.filter(action="accounts:user:lock", object_id=str(user.pk)).exists()
    # After the pause ends, the right password works.
    later = timezone.now() - dt.timedelta(minutes=31)
    signin.SignInFailure.objects.update(at=later)
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    response = _sign_in(known, user.email, PASSWORD)
    assert response.status_code == 302 and known.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_paused_address_does_not_stop_its_api_tokens(make_member):
    from safelect.core.accounts import services
    from safelect.core.accounts.actor import Actor

    user, _ = make_member("local_election_official", "jurisdiction:0100100000", password=PASSWORD)
    membership = Membership.objects.get(user=user)
    token, raw = services.create_token(Actor.member(membership), name="integration", permissions=["accounts:organization:view"])
    for _ in range(6):
        _sign_in(Client(), user.email, "wrong password")
    user.refresh_from_db()
    assert user.is_locked()
    response = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_one_client_address_is_paused_after_many_failures_across_accounts(settings):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(signin.CLIENT_FAILURES):
        _sign_in(client, f"someone{n}@test.safelect.invalid", "guess")
    user = _user()
    response = _sign_in(client, user.email, PASSWORD)
    assert "Too many failed sign-ins from your network" in response.text and "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert _sign_in(other, user.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_unknown_email_gets_the_generic_message():
    response = _sign_in(Client(), "nobody@test.safelect.invalid", "whatever")
    assert "The email address or password is not correct." in response.text


@pytest.mark.django_db
def test_csrf_is_enforced_on_forms():
    user = _user()
    client = Client(enforce_csrf_checks=True)
    assert _sign_in(client, user.email, PASSWORD).status_code == 403
    page = client.get("/accounts/sign-in/")
    token = page.cookies["csrftoken"].value
    response = client.post("/accounts/sign-in/", {"email": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    # Sign-out is a POST with CSRF as well.
    assert client.post("/accounts/sign-out/").status_code == 403
    assert client.get("/accounts/sign-out/").status_code == 405


def test_session_cookie_settings():
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SECURE is settings.SECURE_COOKIES
    assert settings.CSRF_COOKIE_SECURE is settings.SECURE_COOKIES
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_totp_step_before_the_session_is_signed_in():
    user = _user(email="chief@test.safelect.invalid", role="chief_state_election_official", org="state:WI")
    secret = pyotp.random_base32()
    TotpDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
    client = Client()
    response = _sign_in(client, user.email, PASSWORD, "/accounts/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/two-factor/", {"code": "000000", "next": "/accounts/"})
    assert "_auth_user_id" not in client.session and "code is not correct" in response.text
    code = pyotp.TOTP(secret).now()
    response = client.post("/accounts/two-factor/", {"code": code, "next": "/accounts/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert client.session["mfa_verified"] is True and client.session["_auth_user_id"] == str(user.pk)
    # The same code cannot be replayed.
    other = Client()
    _sign_in(other, user.email, PASSWORD)
    assert "_auth_user_id" not in other.session
    other.post("/accounts/two-factor/", {"code": code})
    assert "_auth_user_id" not in other.session


@pytest.mark.django_db
def test_mfa_role_without_authenticator_is_sent_to_setup_and_confirms():
    user = _user(email="staff@test.safelect.invalid", role="national_program_staff", org="national-office")
    client = Client()
    response = _sign_in(client, user.email, PASSWORD)
    assert response["Location"].startswith("/accounts/two-factor/setup/")
    # Signed in, but national roles do not count yet: a national route sends them to two-factor.
    response = client.get("/accounts/organizations/national-office/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    assert client.get("/api/accounts/organizations/national-office").status_code == 403
    page = client.get("/accounts/two-factor/setup/")
    assert page.status_code == 200 and "<svg" in page.text
    device = TotpDevice.objects.get(user=user)
    assert device.secret in page.text
    response = client.post("/accounts/two-factor/setup/", {"code": pyotp.TOTP(device.secret).now()})
    assert response.status_code == 200 and "recovery-codes" in response.text
    assert client.session["mfa_verified"] is True
    assert RecoveryCode.objects.filter(user=user).count() == 10
    assert all(len(rc.code_hash) == 64 for rc in RecoveryCode.objects.filter(user=user))
    # Never shown again.
    assert device.secret not in client.get("/accounts/two-factor/setup/").text
    assert client.get("/accounts/organizations/national-office/").status_code == 200


@pytest.mark.django_db
def test_recovery_code_works_once():
    user = _user(email="rc@test.safelect.invalid", role="state_election_staff", org="state:WI")
    TotpDevice.objects.create(user=user, secret=pyotp.random_base32(), confirmed_at=timezone.now())
    codes = signin.new_recovery_codes(user)
    assert signin.verify_second_factor(user, codes[0]) is True
    assert signin.verify_second_factor(user, codes[0]) is False


@pytest.mark.django_db
def test_national_staff_without_totp_cannot_reach_a_national_route(make_member):
    _, client = make_member("clearance_officer", mfa=False)
    response = client.get("/accounts/clearances/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    _, verified = make_member("clearance_officer", mfa=True)
    assert verified.get("/accounts/clearances/").status_code == 200


@pytest.mark.django_db
def test_password_reset_by_email_is_single_use_and_unlocks(smtp_server):
    user = _user()
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=10))
    client = Client()
    response = client.post("/accounts/password-reset/", {"email": user.email})
    assert response.status_code == 200 and deliver_pending() == 1
    body = smtp_server.messages[0].get_content()
    link = next(word for word in body.split() if "/accounts/password-reset/" in word)
    path = link.split(settings.BASE_URL, 1)[1]
    new = "a much better passphrase 2026"
    assert client.get(path).status_code == 200
    response = client.post(path, {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new) and user.locked_until is None
    assert client.get(path).status_code == 400  # single use
    # Unknown addresses get the same answer and no mail.
    client.post("/accounts/password-reset/", {"email": "nobody@test.safelect.invalid"})
    assert deliver_pending() == 0 and len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_sign_out_ends_the_session():
    user = _user()
    client = Client()
    _sign_in(client, user.email, PASSWORD)
    assert client.post("/accounts/sign-out/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert Membership.objects.filter(user=user).exists()
