"""The kernel in a real browser: sign-in with TOTP, switching organization, the inbox, object
scope by URL and by API token, lock-out — each page checked with axe-core."""

import re

import pyotp
import pytest

from safelect.core.accounts.demo import demo_email
from safelect.core.accounts.signin import demo_secret
from safelect.core.web.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

AUTAUGA, BALDWIN = "jurisdiction:0100100000", "jurisdiction:0100300000"


def keyboard_check(page, label) -> None:
    """USWDS draws its own radios and checkboxes over hidden inputs: choose them with the keyboard."""
    field = page.get_by_label(label)
    field.focus()
    page.keyboard.press("Space")
    assert field.is_checked()


def sign_in(page, email, password=DEMO_PASSWORD):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_state_official_signs_in_with_totp_switches_and_reads_the_inbox(page, assert_accessible):
    email = demo_email("wi-chief")
    page.goto("/accounts/sign-in/")
    assert_accessible(page)
    sign_in(page, email)
    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    assert_accessible(page)
    page.get_by_label("Authentication code").fill(pyotp.TOTP(demo_secret(email)).now())
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/accounts/two-factor" not in url)
    header = page.locator("#acting-organization")
    assert "Wisconsin" in header.inner_text()
    assert_accessible(page)

    header.click()
    page.wait_for_url(re.compile(r"/accounts/organizations/$"))
    assert_accessible(page)
    keyboard_check(page, re.compile("Minnesota"))
    page.get_by_role("button", name="Switch").press("Enter")
    page.wait_for_load_state()
    assert "Minnesota" in page.locator("#acting-organization").inner_text()
    assert_accessible(page)

    page.goto("/accounts/")
    assert page.get_by_role("heading", name="Your account").is_visible()
    assert_accessible(page)

    # The inbox belongs to the outbox app; read a notice when that page exists.
    response = page.goto("/outbox/inbox/")
    if response is not None and response.status == 404:
        pytest.skip("the inbox (/outbox/inbox/) is not installed yet")
    assert response is not None and response.ok
    assert_accessible(page)


def test_county_official_cannot_reach_the_neighbouring_county_by_url_or_api(page, assert_accessible, playwright_request):
    sign_in(page, demo_email("autauga"))
    page.wait_for_url(lambda url: "/accounts/sign-in/" not in url)
    assert "Autauga" in page.locator("#acting-organization").inner_text()

    own = page.goto(f"/accounts/organizations/{AUTAUGA}/")
    assert own.status == 200
    assert_accessible(page)
    members = page.goto(f"/accounts/organizations/{AUTAUGA}/members/")
    assert members.status == 200
    assert_accessible(page)
    assert page.goto(f"/accounts/organizations/{BALDWIN}/").status in (403, 404)
    assert page.goto(f"/accounts/organizations/{BALDWIN}/members/").status in (403, 404)

    # An API token made on the account page.
    page.goto("/accounts/")
    assert_accessible(page)
    page.get_by_label("Token name").fill("browser test")
    keyboard_check(page, "accounts:organization:view")
    page.get_by_role("button", name="Create the token").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("sfl_")
    assert_accessible(page)

    api = playwright_request(token)
    assert api.get(f"/api/accounts/organizations/{AUTAUGA}").status == 200
    denied = api.get(f"/api/accounts/organizations/{BALDWIN}")
    assert denied.status in (403, 404)

    # Revoking it makes the API answer 401 with the reason.
    page.goto("/accounts/")
    page.get_by_role("button", name=re.compile("Revoke")).first.click()
    page.wait_for_load_state()
    refused = api.get(f"/api/accounts/organizations/{AUTAUGA}")
    assert refused.status == 401 and refused.json() == {"detail": "API token revoked"}


def test_five_wrong_passwords_lock_the_account_and_say_so(page, assert_accessible):
    email = demo_email("researcher")
    for _ in range(5):
        sign_in(page, email, "not the password")
    message = page.locator("#sign-in-error").inner_text()
    assert re.search(r"This account is locked after 5 failed sign-ins; try again after \d\d:\d\d UTC or reset your password", message)
    assert_accessible(page)
