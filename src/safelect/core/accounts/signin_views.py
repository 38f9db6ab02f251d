"""Sign-in pages: password (with lock-out), two-factor verification and set-up, sign-out,
password reset by email, and accepting an invitation.

A person with a confirmed authenticator is signed in only after the TOTP step (until then the
session holds a short-lived ``pending_user_id``). A person whose roles require two factors but
who has no authenticator yet is signed in and sent to set-up; their MFA roles count only once
set-up is confirmed (``session["mfa_verified"]``).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_decode
from django.views.decorators.debug import sensitive_post_parameters

from safelect.core.web.permissions import PUBLIC, requires

from . import services, signin
from .actor import Actor
from .forms import AcceptInvitationForm, CodeForm, EmailForm, NewPasswordForm, SetupCodeForm, SignInForm
from .middleware import SESSION_KEY
from .models import User
from .permissions import user_requires_mfa

PENDING_SECONDS = 300
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next(request, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return default


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url and next_url != "/" else url


@requires(PUBLIC)
@sensitive_post_parameters("password")
def sign_in(request):
    next_url = _next(request)
    form = SignInForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        result = signin.check_password(request, form.cleaned_data["email"], form.cleaned_data["password"])
        if result.user is not None:
            user = result.user
            if signin.has_confirmed_totp(user):
                request.session.cycle_key()
                request.session["pending_user_id"] = user.pk
                request.session["pending_since"] = time.time()
                return redirect(_with_next(reverse("accounts:two-factor"), next_url))
            login(request, user, backend=BACKEND)
            request.session["mfa_verified"] = False
            if user_requires_mfa(user):
                messages.info(request, "Your roles require two-factor sign-in: set up an authenticator app to continue.")
                return redirect(_with_next(reverse("accounts:two-factor-setup"), next_url))
            return redirect(next_url)
        error = result.error
    return render(request, "accounts/sign_in.html", {"form": form, "error": error, "next": next_url})


def _pending_user(request) -> User | None:
    pk, since = request.session.get("pending_user_id"), request.session.get("pending_since", 0)
    if pk is None or time.time() - since > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


@requires(PUBLIC)
def two_factor(request):
    """The TOTP step: after the password, or when a signed-in person needs a second factor."""
    next_url = _next(request)
    if request.user.is_authenticated:
        user = request.user
        if request.session.get("mfa_verified"):
            return redirect(next_url)
        if not signin.has_confirmed_totp(user):
            return redirect(_with_next(reverse("accounts:two-factor-setup"), next_url))
    else:
        user = _pending_user(request)
        if user is None:
            messages.warning(request, "Sign in with your email address and password first.")
            return redirect(_with_next(settings.LOGIN_URL, next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user.is_locked():
            form.add_error("code", signin.locked_message(user))
        elif signin.verify_second_factor(user, form.cleaned_data["code"]):
            if not request.user.is_authenticated:
                login(request, user, backend=BACKEND)
            else:
                request.session.cycle_key()
            request.session.pop("pending_user_id", None)
            request.session["mfa_verified"] = True
            return redirect(next_url)
        else:
            form.add_error("code", signin.second_factor_failed(request, user).error)
    return render(request, "accounts/two_factor.html", {"form": form, "next": next_url})


@requires("accounts:account:view")
def two_factor_setup(request):
    next_url = _next(request)
    user = request.user
    if signin.has_confirmed_totp(user):
        if not request.session.get("mfa_verified"):
            return redirect(_with_next(reverse("accounts:two-factor"), next_url))
        return render(request, "accounts/two_factor_setup.html", {"confirmed": True})
    device = signin.start_totp_setup(user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = signin.confirm_totp_setup(user, form.cleaned_data["code"])
        if codes is not None:
            request.session.cycle_key()
            request.session["mfa_verified"] = True
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
        form.add_error("code", "That code does not match; check the time on your device and try the newest code.")
    uri = signin.provisioning_uri(user, device)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "secret": device.secret, "qr_svg": signin.qr_svg(uri), "next": next_url, "confirmed": False},
    )


@requires(PUBLIC)
def sign_out(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    logout(request)
    messages.success(request, "You are signed out.")
    return redirect("/")


@requires(PUBLIC)
def password_reset(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signin.request_password_reset(form.cleaned_data["email"])
        return render(request, "accounts/password_reset_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/password_reset.html", {"form": form})


@requires(PUBLIC)
@sensitive_post_parameters("password1", "password2")
def password_reset_confirm(request, uidb64: str, token: str):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_reset_invalid.html", status=400)
    form = NewPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        signin.reset_password(user, form.cleaned_data["password2"])
        messages.success(request, "Your password is changed and the account unlocked. Sign in with the new password.")
        return redirect(settings.LOGIN_URL)
    return render(request, "accounts/password_reset_confirm.html", {"form": form})


@requires(PUBLIC)
@sensitive_post_parameters("password1", "password2")
def accept_invitation(request, token: str):
    invitation = services.find_invitation(token)
    if invitation is None:
        raise Http404("This invitation is not valid: it was used, withdrawn or has expired.")
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = None
    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            raise PermissionDenied("This invitation was sent to another email address; sign out first.")
        if request.method == "POST":
            membership = services.accept_invitation(Actor.of(request), raw=token)
            request.session[SESSION_KEY] = membership.pk
            messages.success(request, f"You joined {invitation.organization.name}.")
            return redirect("accounts:organizations")
    elif existing is None:
        form = AcceptInvitationForm(request.POST or None, user=User(email=invitation.email))
        if request.method == "POST" and form.is_valid():
            try:
                user = User.objects.create_user(
                    username=invitation.email,
                    email=invitation.email,
                    password=form.cleaned_data["password2"],
                    full_name=form.cleaned_data["full_name"],
                )
                membership = services.accept_invitation(Actor.person(user), raw=token)
            except ValidationError as exc:
                raise Http404(str(exc)) from None
            login(request, user, backend=BACKEND)
            request.session["mfa_verified"] = False
            request.session[SESSION_KEY] = membership.pk
            if user_requires_mfa(user):
                return redirect("accounts:two-factor-setup")
            messages.success(request, f"Welcome to safelect. You act for {invitation.organization.name}.")
            return redirect("accounts:organizations")
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invitation, "form": form, "existing": existing, "sign_in_url": _with_next(settings.LOGIN_URL, request.path)},
    )
