"""Authentication of the JSON API: an API token (``Authorization: Bearer sfl_...``) or the session.

Pass :data:`api_auth` as ``NinjaAPI(auth=api_auth)`` (or on a router). It never decides *what* a
caller may do — ``@requires`` does, per operation — it only refuses bad credentials:

* a token that is unknown, revoked or expired → 401 ``{"detail": "API token revoked"}`` etc.;
* a session request with an unsafe method and no valid CSRF token → 403;
* no credentials at all → let through as anonymous, so PUBLIC operations (the directory) stay
  open; ``@requires`` answers 401 for any other operation.
"""

from __future__ import annotations

from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class Anonymous:
    """The truthy 'no credentials' result: the operation runs and ``@requires`` decides."""

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "Anonymous()"


ANONYMOUS = Anonymous()


class TokenOrSession(HttpBearer):
    openapi_description = (
        "An API token created on the account page, sent as `Authorization: Bearer sfl_<prefix>_<secret>`; "
        "or the browser session (with the X-CSRFToken header for unsafe methods). Operations marked public need neither."
    )

    def __call__(self, request):
        error = getattr(request, "api_token_error", None)
        if error:
            raise HttpError(401, error)
        token = getattr(request, "api_token", None)
        if token is not None:
            return token
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise HttpError(403, "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's value")
            return user
        return ANONYMOUS

    def authenticate(self, request, token):  # pragma: no cover - __call__ does the work
        return None


api_auth = TokenOrSession()
