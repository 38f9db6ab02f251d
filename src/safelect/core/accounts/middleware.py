"""The organization a request acts for.

Sets ``request.acting_membership`` and ``request.acting_organization``:

* a request to ``/api/`` or ``/taxii2/`` with ``Authorization: Bearer sfl_...`` acts as the token's
  user for the token's membership (``request.api_token``); a bad token leaves the request anonymous
  and puts the reason in ``request.api_token_error`` (the API's auth turns it into HTTP 401). TAXII
  clients also send the token as the password of HTTP Basic (any user name), as off-the-shelf
  clients do;
* otherwise a signed-in person acts for the membership chosen with the switcher
  (``session["acting_membership_id"]``), by default the first active membership they joined.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from . import tokens
from .models import Membership

SESSION_KEY = "acting_membership_id"
TOKEN_PATHS = ("/api/", "/taxii2/")


def _basic_password(raw: str) -> str:
    """The password of an HTTP Basic credential (the API token), or "" when malformed."""
    import base64
    import binascii

    try:
        decoded = base64.b64decode(raw.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""
    return decoded.partition(":")[2]


def active_memberships(user):
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organization", "organization__state", "organization__region")
        .order_by("organization__name", "pk")
    )


def choose_membership(request):
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = active_memberships(user).order_by("created_at", "pk")  # default: the first one they joined
    wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if wanted is not None:
        chosen = memberships.filter(pk=wanted).first()
        if chosen is not None:
            return chosen
    return memberships.first()


class ActingOrganizationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.api_token = None
        request.api_token_error = None
        request.acting_membership = None
        header = request.headers.get("Authorization", "")
        if request.path.startswith(TOKEN_PATHS) and header:
            scheme, _, raw = header.partition(" ")
            if scheme.lower() == "basic" and request.path.startswith("/taxii2/"):
                scheme, raw = "bearer", _basic_password(raw)
            if scheme.lower() == "bearer":
                try:
                    token = tokens.authenticate(raw.strip())
                except tokens.TokenError as exc:
                    request.api_token_error = str(exc)
                    request.user = AnonymousUser()
                else:
                    request.api_token = token
                    request.user = token.user
                    request.acting_membership = token.membership
                    # A token request never uses (or creates) the browser's session identity.
                    request._dont_enforce_csrf_checks = True
        if request.api_token is None and request.api_token_error is None:
            request.acting_membership = choose_membership(request)
        membership = request.acting_membership
        request.acting_organization = membership.organization if membership is not None else None
        return self.get_response(request)
