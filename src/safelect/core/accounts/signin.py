"""Sign-in services: password check with lock-out, TOTP two-factor, recovery codes, password reset.

Lock-out: ``LOCKOUT_FAILURES`` failed sign-ins to one address within ``LOCKOUT_WINDOW`` pause
sign-in to that address for ``LOCKOUT_DURATION`` (5 / 15 minutes / 15 minutes), whether or not it
has an account, so the answers never tell which addresses do; ``CLIENT_FAILURES`` failures from one
client address pause that client. Settings ``SAFELECT_LOCKOUT_*`` may override. Failures are rows
of :class:`SignInFailure`, so several server processes agree. API tokens are not affected.
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
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safelect.core.journal.services import record

from .models import RecoveryCode, SignInFailure, TotpDevice, User
from .signals import announce, password_reset_requested

LOCKOUT_FAILURES = getattr(settings, "SAFELECT_LOCKOUT_FAILURES", 5)
LOCKOUT_WINDOW = dt.timedelta(minutes=getattr(settings, "SAFELECT_LOCKOUT_WINDOW_MINUTES", 15))
LOCKOUT_DURATION = dt.timedelta(minutes=getattr(settings, "SAFELECT_LOCKOUT_MINUTES", 15))
#: Failed sign-ins from one client address within the window before that address is paused.
CLIENT_FAILURES = getattr(settings, "SAFELECT_LOCKOUT_CLIENT_FAILURES", 30)
TOTP_ISSUER = "safelect"
RECOVERY_CODE_COUNT = 10
GENERIC_FAILURE = (
    f"The email address or password is not correct. After {LOCKOUT_FAILURES} failed attempts within "
    f"{int(LOCKOUT_WINDOW.total_seconds() // 60)} minutes, sign-in to that address pauses for "
    f"{int(LOCKOUT_DURATION.total_seconds() // 60)} minutes."
)


def _paused_message(until: dt.datetime) -> str:
    return (
        f"Sign-in to this address is paused after {LOCKOUT_FAILURES} failed attempts; try again after "
        f"{until.astimezone(dt.UTC):%H:%M} UTC or reset your password."
    )


def locked_message(user: User) -> str:
    return _paused_message(user.locked_until)


@dataclass
class SignInResult:
    user: User | None
    error: str = ""
    locked: bool = False


def address_paused_until(email: str, now: dt.datetime) -> dt.datetime | None:
    """When sign-in to ``email`` resumes, if it is paused now — computed from the failures recorded
    for the address, so a known and an unknown address behave (and answer) exactly alike."""
    times = (
        SignInFailure.objects.filter(email__iexact=email, at__gt=now - LOCKOUT_WINDOW - LOCKOUT_DURATION)
        .order_by("at")
        .values_list("at", flat=True)
    )
    pause_end, recent = None, []
    for at in times:
        if pause_end is not None and at < pause_end:
            continue
        recent = [t for t in recent if t > at - LOCKOUT_WINDOW] + [at]
        if len(recent) >= LOCKOUT_FAILURES:
            pause_end, recent = at + LOCKOUT_DURATION, []
    return pause_end if pause_end is not None and pause_end > now else None


def client_paused_until(ip: str | None, now: dt.datetime) -> dt.datetime | None:
    """Throttle by client address too, so one client cannot try many accounts."""
    if not ip:
        return None
    recent = SignInFailure.objects.filter(ip_address=ip, at__gt=now - LOCKOUT_WINDOW)
    if recent.count() < CLIENT_FAILURES:
        return None
    return recent.order_by("-at").values_list("at", flat=True)[0] + LOCKOUT_DURATION


def check_password(request, email: str, password: str) -> SignInResult:
    """Check an email and password, counting failures and pausing the address after too many.

    Every answer is the same for an address with an account and one without: the same generic
    failure, the same pause after the same number of failures. A pause stops interactive sign-in
    only; API tokens keep working unless the account itself is deactivated (otherwise anyone who
    knows an address could cut an agency's integrations off by typing wrong passwords).
    """
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email).first()
    now = timezone.now()
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    client_pause = client_paused_until(ip, now)
    if client_pause is not None:
        return SignInResult(
            None, f"Too many failed sign-ins from your network; try again after {client_pause.astimezone(dt.UTC):%H:%M} UTC.", locked=True
        )
    paused = address_paused_until(email, now)
    if paused is None and user is not None and user.is_locked(now):
        paused = user.locked_until
    if paused is not None:
        return SignInResult(None, _paused_message(paused), locked=True)
    authenticated = authenticate(request, username=user.email if user else email, password=password)
    if authenticated is not None:
        SignInFailure.objects.filter(email__iexact=email).delete()
        return SignInResult(authenticated)
    return _failed(request, email, user, now)


@transaction.atomic
def _failed(request, email: str, user: User | None, now) -> SignInResult:
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    SignInFailure.objects.create(email=email.lower()[:254], user=user, at=now, ip_address=ip or None)
    paused = address_paused_until(email, now)
    if paused is None:
        return SignInResult(None, GENERIC_FAILURE)
    if user is not None:
        user = User.objects.select_for_update().get(pk=user.pk)
        user.locked_until = paused
        user.save(update_fields=["locked_until"])
        record(
            actor=None,
            organization=None,
            action="accounts:user:lock",
            obj=user,
            summary={"failures": LOCKOUT_FAILURES, "locked_until": paused.isoformat(), "ip_address": ip},
        )
    return SignInResult(None, _paused_message(paused), locked=True)


def second_factor_failed(request, user: User) -> SignInResult:
    """A wrong TOTP or recovery code counts towards the same lock-out as a wrong password."""
    result = _failed(request, user.email, user, timezone.now())
    if not result.locked:
        result.error = "The code is not correct."
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
    return svg[svg.index("<svg") :] if "<svg" in svg else svg


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
    """Email a single-use, expiring reset link if the address has an account (silently otherwise).

    The message goes to the outbox in this transaction (see :mod:`.signals`): no SMTP server is
    needed to answer the request, and the email is retried until the server takes it."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = f"{settings.BASE_URL}/accounts/password-reset/{uid}/{default_token_generator.make_token(user)}/"
    record(actor=None, organization=None, action="accounts:password:reset_request", obj=user)
    announce(password_reset_requested, user=user, link=link, hours=settings.PASSWORD_RESET_TIMEOUT // 3600)


@transaction.atomic
def reset_password(user: User, new_password: str) -> None:
    """Set the new password and lift a lock-out (the emailed link proved control of the address)."""
    user.set_password(new_password)
    user.locked_until = None
    user.save(update_fields=["password", "locked_until"])
    SignInFailure.objects.filter(Q(user=user) | Q(email__iexact=user.email)).delete()
    record(actor=user, organization=None, action="accounts:password:reset", obj=user)
