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
