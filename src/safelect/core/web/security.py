"""The Content-Security-Policy of every response.

Pages load scripts, styles, fonts and images only from safelect's own static files (USWDS and
htmx are installed packages served by whitenoise, never a CDN); no inline script runs unless it
carries the request's nonce (``{{ request.csp_nonce }}``, for the few templates that need one);
no inline style attribute; nothing may frame a page; forms post only to safelect. API responses
and error pages get the same header. HSTS and the TLS-proxy header are Django settings
(``SAFELECT_HSTS_SECONDS``, ``SAFELECT_BEHIND_TLS_PROXY``).
"""

from __future__ import annotations

import secrets

POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = POLICY.format(nonce=request.csp_nonce)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class RejectNulMiddleware:
    """A NUL character in a query string or a form field is refused before any view runs.

    PostgreSQL cannot store or compare text holding NUL (0x00); passed through, such input reached
    the database as a server error (schemathesis found it in the directory API). JSON bodies are
    checked for the escape ``\\u0000``. The API answers 422 in its usual shape, pages answer 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return self._refuse(request)
        form = request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        if form and any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists()):
            return self._refuse(request)
        if request.content_type == "application/json" and request.method in ("POST", "PUT", "PATCH") and b"\\u0000" in request.body:
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request):
        from .api_errors import invalid
        from .errors import bad_request

        if request.path.startswith("/api/"):
            return invalid([{"loc": ["query"], "msg": "text may not contain the NUL character (0x00)", "type": "value_error"}])
        return bad_request(request)
