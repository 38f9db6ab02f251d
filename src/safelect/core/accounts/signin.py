"""Sign-in services: password check with lock-out, TOTP two-factor, recovery codes, password reset.

Lock-out: ``LOCKOUT_FAILURES`` failed sign-ins within ``LOCKOUT_WINDOW`` lock the account for
``LOCKOUT_DURATION`` (5 / 15 minutes / 15 minutes; settings ``SAFELECT_LOCKOUT_*`` may override).
Failures are rows of :class:`SignInFailure`, so several server processes agree.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import secrets
import time
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safelect.core.journal.services import record

from .models import RecoveryCode, SignInFailure, TotpDevice, User

LOCKOUT_FAILURES = getattr(settings, "SAFELECT_LOCKOUT_FAILURES", 5)
LOCKOUT_WINDOW = dt.timedelta(minutes=getattr(settings, "SAFELECT_LOCKOUT_WINDOW_MINUTES", 15))
LOCKOUT_DURATION = dt.timedelta(minutes=getattr(settings, "SAFELECT_LOCKOUT_MINUTES", 15))
TOTP_ISSUER = "safelect"
RECOVERY_CODE_COUNT = 10


def locked_message(user: User) -> str:
    return (f"This account is locked after {LOCKOUT_FAILURES} failed sign-ins; try again after "
            f"{user.locked_until.astimezone(dt.timezone.utc):%H:%M} UTC or reset your password.")


@dataclass
class SignInResult:
    user: User | None
    error: str = ""
    locked: bool = False


def check_password(request, email: str, password: str) -> SignInResult:
    """Check an email and password, counting failures and locking the account after too many."""
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email).first()
    now = timezone.now()
    if user is not None and user.is_locked(now):
        return SignInResult(None, locked_message(user), locked=True)
    authenticated = authenticate(request, username=user.email if user else email, password=password)
    if authenticated is not None:
        SignInFailure.objects.filter(user=authenticated).delete()
        return SignInResult(authenticated)
    return _failed(request, email, user, now)


@transaction.atomic
def _failed(request, email: str, user: User | None, now) -> SignInResult:
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    SignInFailure.objects.create(email=email[:254], user=user, at=now, ip_address=ip or None)
    generic = "The email address or password is not correct."
    if user is None:
        return SignInResult(None, generic)
    user = User.objects.select_for_update().get(pk=user.pk)
    since = now - LOCKOUT_WINDOW
    if user.locked_until is not None and user.locked_until > since:
        since = user.locked_until  # failures before the last lock ended do not count again
    count = SignInFailure.objects.filter(user=user, at__gt=since).count()
    if count >= LOCKOUT_FAILURES:
        user.locked_until = now + LOCKOUT_DURATION
        user.save(update_fields=["locked_until"])
        record(actor=None, organization=None, action="accounts:user:lock", obj=user,
               summary={"failures": count, "locked_until": user.locked_until.isoformat(), "ip_address": ip})
        return SignInResult(None, locked_message(user), locked=True)
    left = LOCKOUT_FAILURES - count
    return SignInResult(None, f"{generic} {left} attempt{'s' if left != 1 else ''} left before the account is locked.")


def second_factor_failed(request, user: User) -> SignInResult:
    """A wrong TOTP or recovery code counts towards the same lock-out as a wrong password."""
    result = _failed(request, user.email, user, timezone.now())
    if not result.locked:
        result.error = result.error.replace("email address or password", "code")
    return result


# --- TOTP ---------------------------------------------------------------------------------------

def has_confirmed_totp(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def start_totp_setup(user: User) -> TotpDevice:
    """A new unconfirmed secret for ``user`` (replacing an unconfirmed one; a confirmed one stays)."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is not None and device.is_confirmed and device.secret:
        return device
    if device is not None and not device.secret:
        # The seed is unreadable (SAFELECT_SECRET_KEY was rotated): enrol again.
        device.secret, device.confirmed_at, device.last_timestep = pyotp.random_base32(), None, 0
        device.save(update_fields=["secret", "confirmed_at", "last_timestep"])
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32())
    return device


def provisioning_uri(user: User, device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as inline SVG (no image request leaves the page)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg"):] if "<svg" in svg else svg


def _code_matches(device: TotpDevice, code: str, now: float | None = None) -> int | None:
    """The time step ``code`` belongs to (±1 step of drift), if it is newer than the last one used."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6 or not device.secret:
        return None
    totp = pyotp.TOTP(device.secret)
    step = int((now or time.time()) // totp.interval)
    for candidate in (step - 1, step, step + 1):
        if candidate > device.last_timestep and hmac.compare_digest(totp.at(candidate * totp.interval), code):
            return candidate
    return None


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


@transaction.atomic
def confirm_totp_setup(user: User, code: str) -> list[str] | None:
    """Confirm set-up with a first code; returns fresh recovery codes (shown once) or None."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        return None
    step = _code_matches(device, code)
    if step is None:
        return None
    device.last_timestep = step
    device.confirmed_at = timezone.now()
    device.save(update_fields=["last_timestep", "confirmed_at"])
    codes = new_recovery_codes(user)
    record(actor=user, organization=None, action="accounts:totp:confirm", obj=user, summary={"recovery_codes": len(codes)})
    return codes


def new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash_recovery(c)) for c in codes])
    return codes


@transaction.atomic
def verify_second_factor(user: User, code: str) -> bool:
    """A current TOTP code (not used before) or an unused recovery code, which is then spent."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = _code_matches(device, code)
    if step is not None:
        device.last_timestep = step
        device.save(update_fields=["last_timestep"])
        return True
    spare = RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True, code_hash=_hash_recovery(code or "")).first()
    if spare is not None:
        spare.used_at = timezone.now()
        spare.save(update_fields=["used_at"])
        record(actor=user, organization=None, action="accounts:totp:recovery_code_used", obj=user)
        return True
    return False


def demo_secret(seed: str) -> str:
    """A fixed base32 TOTP secret derived from ``seed`` (demo users only: these are public)."""
    return base64.b32encode(hashlib.sha256(f"safelect-demo-totp:{seed}".encode()).digest()[:20]).decode()


# --- password reset -----------------------------------------------------------------------------

@transaction.atomic
def request_password_reset(email: str) -> None:
    """Email a single-use, expiring reset link if the address has an account (silently otherwise)."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = f"{settings.BASE_URL}/accounts/password-reset/{uid}/{default_token_generator.make_token(user)}/"
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    record(actor=None, organization=None, action="accounts:password:reset_request", obj=user)
    address = user.email
    transaction.on_commit(lambda: send_mail(
        "Reset your safelect password",
        f"Someone asked to reset the password of {address} on safelect.\n\nChoose a new password within {hours} hours: {link}\n\n"
        "If it was not you, ignore this message; your password stays as it is.",
        None, [address]))


@transaction.atomic
def reset_password(user: User, new_password: str) -> None:
    """Set the new password and lift a lock-out (the emailed link proved control of the address)."""
    user.set_password(new_password)
    user.locked_until = None
    user.save(update_fields=["password", "locked_until"])
    SignInFailure.objects.filter(user=user).delete()
    record(actor=user, organization=None, action="accounts:password:reset", obj=user)
