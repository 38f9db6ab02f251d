"""Security headers on a page, an API response and an error page."""

import re

import pytest
from django.test import Client, override_settings


def _csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/directory/", "/api/directory/states", "/no-such-page/", "/api/no-such-operation"])
def test_every_response_carries_a_strict_content_security_policy(path):
    response = Client().get(path)
    csp = _csp(response)
    assert csp["default-src"] == "default-src 'self'"
    assert re.fullmatch(r"script-src 'self' 'nonce-[\w-]{16,}'", csp["script-src"])
    assert "unsafe-inline" not in response["Content-Security-Policy"] and "unsafe-eval" not in response["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "frame-ancestors 'none'" and csp["object-src"] == "object-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_nonce_differs_per_request_and_inline_scripts_carry_it(make_member):
    _, staff = make_member("national_program_staff")
    first, second = staff.get("/obligations/calendar/2026/3/"), staff.get("/obligations/calendar/2026/3/")
    nonce = re.search(r"'nonce-([\w-]+)'", first["Content-Security-Policy"]).group(1)
    assert nonce != re.search(r"'nonce-([\w-]+)'", second["Content-Security-Policy"]).group(1)
    page = first.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline and all(f'nonce="{nonce}"' in attrs or 'type="application/json"' in attrs for attrs in inline)
    assert ' style="' not in page


@pytest.mark.django_db
def test_hsts_and_the_tls_proxy_header_when_configured():
    with override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        response = Client().get("/directory/", HTTP_X_FORWARDED_PROTO="https")
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_api_docs_load_swagger_from_our_own_static_files():
    page = Client().get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200
