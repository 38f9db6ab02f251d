"""Every route declares the permission it needs.

``@requires("app:resource:action")`` marks a Django view or a django-ninja operation with the
permission it needs and checks it on every request; ``@requires(PUBLIC)`` says the route is open
to anyone, signed in or not (the "public" role of the directory and catalogue pages).  A test
walks the URL resolver and fails on any route without a declaration.

The check itself belongs to the accounts app, which installs it with :func:`install_authority`
when Django starts; the web shell never imports the accounts app (see the layers in
``pyproject.toml``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

PUBLIC = "public"
ATTRIBUTE = "safelect_permission"


class _Authority:
    """Who decides permissions. The web shell sits below the accounts app in the layers, so it
    does not import it: the accounts app installs its checks here when Django starts
    (:func:`install_authority`, called from ``AccountsConfig.ready``). Until then every
    non-public route is refused (fail closed)."""

    has_permission: Callable[[Any, str], bool] = staticmethod(lambda request, permission: False)
    would_have_with_mfa: Callable[[Any, str], bool] = staticmethod(lambda request, permission: False)


def install_authority(*, has_permission: Callable[[Any, str], bool], would_have_with_mfa: Callable[[Any, str], bool]) -> None:
    """Install the permission checks: ``has_permission(request, permission)`` and
    ``would_have_with_mfa(request, permission)`` (True when a passed second factor would grant it)."""
    _Authority.has_permission = staticmethod(has_permission)
    _Authority.would_have_with_mfa = staticmethod(would_have_with_mfa)


def allowed(request, permission: str) -> bool:
    """True when the request may use ``permission`` (PUBLIC always)."""
    return permission == PUBLIC or _Authority.has_permission(request, permission)


def _mfa_redirect(request, permission: str):
    """Where to send a person whose second factor would grant ``permission`` (None: nowhere)."""
    if not _Authority.would_have_with_mfa(request, permission):
        return None
    from django.shortcuts import redirect
    from django.utils.http import urlencode

    return redirect(f"/accounts/two-factor/?{urlencode({'next': request.get_full_path()})}")


def _api_error(status: int, detail: str, path: str = ""):
    from django.http import JsonResponse

    if path.startswith("/taxii2/"):  # a TAXII 2.1 error message
        response = JsonResponse(
            {"title": detail, "http_status": str(status)}, status=status, content_type="application/taxii+json;version=2.1"
        )
        if status == 401:
            response["WWW-Authenticate"] = 'Basic realm="safelect TAXII", charset="UTF-8"'
        return response
    return JsonResponse({"detail": detail}, status=status)


def requires(permission: str) -> Callable:
    """Declare and enforce the permission a view (or API operation) needs.

    Anonymous: pages redirect to sign-in, the API answers 401 (with the reason a presented token
    was refused). Signed in without the permission: 403, or for a page that a passed second
    factor would open, a redirect to two-factor sign-in.
    """
    if permission != PUBLIC and permission.count(":") != 2:
        raise ValueError(f"permission {permission!r} must be named app:resource:action")

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if permission != PUBLIC:
                is_api = request.path.startswith(("/api/", "/taxii2/"))
                user = getattr(request, "user", None)
                if user is None or not user.is_authenticated:
                    if is_api:
                        reason = getattr(request, "api_token_error", None)
                        return _api_error(
                            401, reason or "authentication required: sign in or send Authorization: Bearer sfl_...", request.path
                        )
                    from django.contrib.auth.views import redirect_to_login

                    return redirect_to_login(request.get_full_path())
                if not allowed(request, permission):
                    if is_api:
                        return _api_error(403, f"you do not have the permission {permission}", request.path)
                    redirect = _mfa_redirect(request, permission)
                    if redirect is not None:
                        return redirect
                    raise PermissionDenied(f"you do not have the permission {permission}")
            return view(request, *args, **kwargs)

        setattr(wrapped, ATTRIBUTE, permission)
        return wrapped

    return decorate


def declared_permission(view: Callable) -> str | None:
    """The permission a view declared, looking through class-based and wrapped views."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "__wrapped__", None)):
        if candidate is not None and getattr(candidate, ATTRIBUTE, None):
            return getattr(candidate, ATTRIBUTE)
    return None


_VERBS = {
    "view": "See",
    "view_internal": "See the internal columns of",
    "view_personal": "See personal data in",
    "view_classified": "See classified markers of",
    "edit": "Edit",
    "manage": "Manage",
    "run": "Run",
    "resolve": "Resolve",
    "fulfil": "Record the fulfilment of",
    "waive": "Waive",
    "record_inapplicable": "Record as not applying:",
    "switch": "Switch",
    "internal": "Include internal columns in",
}


def permission_words(code: str) -> str:
    """``engagements:engagement:view`` → "Engagements — see engagement": a permission for people."""
    parts = code.split(":")
    if len(parts) != 3:
        return code
    app, resource, action = parts
    verb = _VERBS.get(action, action.replace("_", " ").capitalize())
    return f"{app.replace('_', ' ').capitalize()} — {verb[0].lower() + verb[1:]} {resource.replace('_', ' ')}"
